"""Two people acting on one application at the same moment: one wins, nothing is lost."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition

from subsidies import services
from subsidies.models import Application, TransitionLog
from subsidies.services import WorkflowError
from subsidies.workflow import Status
from tests.factories import ApplicationFactory, assessor


@pytest.mark.django_db
def test_a_stale_copy_cannot_overwrite_a_newer_status():
    """Saving an application loaded before someone else's transition fails loudly."""
    application = ApplicationFactory(submitted=True)
    Application.objects.filter(pk=application.pk).update(preconditions_met=True)
    first = Application.objects.get(pk=application.pk)
    second = Application.objects.get(pk=application.pk)
    first.accept(at=timezone.now())
    first.save()
    second.withdraw(at=timezone.now())
    with pytest.raises(ConcurrentTransition), transaction.atomic():
        second.save()
    assert Application.objects.get(pk=application.pk).status == Status.IN_ASSESSMENT


@pytest.mark.postgres
def test_two_assessors_at_once_exactly_one_wins(on_postgres):
    """On PostgreSQL, accept and request_supplement fired together: one succeeds, one gets an error."""
    application = ApplicationFactory(submitted=True)
    Application.objects.filter(pk=application.pk).update(preconditions_met=True)
    users = [assessor(), assessor()]
    barrier = threading.Barrier(2)
    outcomes = {}

    def act(index, transition, extra):
        try:
            barrier.wait(timeout=10)
            services.fire(
                application=application,
                transition=transition,
                actor=users[index],
                **extra,
            )
            outcomes[index] = "won"
        except WorkflowError as error:
            outcomes[index] = str(error)
        finally:
            connection.close()

    now = timezone.now()
    threads = [
        threading.Thread(target=act, args=(0, "accept", {})),
        threading.Thread(
            target=act,
            args=(1, "request_supplement", {"due_at": now + timedelta(days=7)}),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(o == "won" for o in outcomes.values()) == [False, True]
    loser_message = next(o for o in outcomes.values() if o != "won")
    assert "niet" in loser_message  # a Dutch sentence, not a stack trace
    log = TransitionLog.objects.filter(application_id=application.pk).exclude(
        transition="submit"
    )
    assert log.count() == 1
    assert Application.objects.get(pk=application.pk).status == log.get().target
