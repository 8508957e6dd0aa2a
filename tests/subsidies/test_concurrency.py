"""Two people acting on one application at the same moment: one wins, nothing is lost."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition

from subsidies import facts, services
from subsidies.models import Application, TransitionLog
from subsidies.services import WorkflowError
from subsidies.workflow import Status
from tests.factories import ApplicationFactory, assessor


@pytest.mark.django_db
def test_a_stale_copy_cannot_overwrite_a_newer_status():
    """Saving an application loaded before someone else's transition fails loudly."""
    application = ApplicationFactory(submitted=True)
    facts.record_preconditions(application, met=True)
    first = Application.objects.get(pk=application.pk)
    second = Application.objects.get(pk=application.pk)
    first.accept(at=timezone.now())
    first.save()
    second.withdraw(at=timezone.now())
    with pytest.raises(ConcurrentTransition), transaction.atomic():
        second.save()
    assert Application.objects.get(pk=application.pk).status == Status.IN_ASSESSMENT


def _waiting_on_a_lock():
    """How many other backends of this database wait for a row lock right now."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


@pytest.mark.postgres
def test_the_second_assessor_waits_for_the_row_lock_then_is_told_it_is_not_possible(
    on_postgres,
):
    """On PostgreSQL, deterministically: the first assessor's accept holds the
    application's row lock (its transaction kept open on an event); the second
    assessor's request_supplement must block on that lock (PostgreSQL shows it
    waiting), and once the first commits it reads the new status and gets the Dutch
    'not possible' message. One log row, the first assessor's."""
    application = ApplicationFactory(submitted=True)
    facts.record_preconditions(application, met=True)
    first, second = assessor(), assessor()
    holding, release = threading.Event(), threading.Event()
    outcome = {}

    def hold_the_lock():
        try:
            with transaction.atomic():
                services.fire(application=application, transition="accept", actor=first)
                holding.set()
                assert release.wait(timeout=30)
        finally:
            connection.close()

    def try_meanwhile():
        try:
            services.fire(
                application=application,
                transition="request_supplement",
                actor=second,
                due_at=timezone.now() + timedelta(days=7),
            )
            outcome["second"] = "won"
        except WorkflowError as error:
            outcome["second"] = str(error)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    assert holding.wait(timeout=30)
    waiter = threading.Thread(target=try_meanwhile)
    waiter.start()
    deadline = time.monotonic() + 30
    while _waiting_on_a_lock() == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _waiting_on_a_lock() == 1  # the second is blocked on the row lock ...
    assert waiter.is_alive() and outcome == {}  # ... and has not finished
    release.set()
    holder.join(timeout=30)
    waiter.join(timeout=30)

    assert outcome["second"] == (
        "U kunt deze aanvraag nu niet aanvulling vragen: de status is 'In beoordeling'."
    )
    log = TransitionLog.objects.filter(application_id=application.pk).exclude(
        transition="submit"
    )
    assert [(row.transition, row.actor_id) for row in log] == [("accept", first.pk)]
    assert Application.objects.get(pk=application.pk).status == Status.IN_ASSESSMENT
