"""The deadline rule: the queue's filter (``deadline_q``) and the state shown for one
application (``deadline_state``) are the same rule. Every application, in every status
and with every kind of deadline, matches exactly one filter: the state it shows."""

from datetime import timedelta
from itertools import product

import pytest
from django.utils import timezone

from beoordeling.assessment.selectors import (
    DUE_SOON_DAYS,
    Deadline,
    deadline_q,
    deadline_state,
)
from subsidies.models import Application
from subsidies.workflow import Status
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()
DECISION_DUE = {
    "none": None,
    "past": NOW - timedelta(seconds=1),
    "exactly now": NOW,
    "soon": NOW + timedelta(days=1),
    "at the soon edge": NOW + timedelta(days=DUE_SOON_DAYS),
    "later": NOW + timedelta(days=30),
}
SUPPLEMENT_DUE = {
    "none": None,
    "past": NOW - timedelta(hours=1),
    "exactly now": NOW,
    "future": NOW + timedelta(days=3),
}


def test_every_application_matches_exactly_the_filter_of_the_state_it_shows():
    application = ApplicationFactory(submitted=True)
    mismatches = []
    for status, (decision_key, decision_due), (
        supplement_key,
        supplement_due,
    ) in product(Status, DECISION_DUE.items(), SUPPLEMENT_DUE.items()):
        Application.objects.filter(pk=application.pk).update(
            status=status,
            decision_due_at=decision_due,
            supplement_due_at=supplement_due,
        )
        stored = Application.objects.get(pk=application.pk)
        shown = deadline_state(stored, now=NOW)
        matched = [
            state
            for state in Deadline
            if Application.objects.filter(pk=application.pk)
            .filter(deadline_q(state, now=NOW))
            .exists()
        ]
        if matched != [shown]:
            mismatches.append((status, decision_key, supplement_key, shown, matched))
    assert mismatches == []


@pytest.mark.parametrize(
    ("status", "decision_due", "supplement_due", "expected"),
    [
        (Status.SUBMITTED, NOW - timedelta(days=1), None, Deadline.OVERDUE),
        (Status.IN_ASSESSMENT, NOW + timedelta(days=2), None, Deadline.SOON),
        (Status.ASSESSED, NOW + timedelta(days=20), None, Deadline.RUNNING),
        (Status.SUPPLEMENT_REQUESTED, None, NOW + timedelta(days=3), Deadline.PAUSED),
        (
            Status.SUPPLEMENT_REQUESTED,
            None,
            NOW - timedelta(days=1),
            Deadline.TERM_EXPIRED,
        ),
        (Status.AWARDED, NOW - timedelta(days=1), None, Deadline.NONE),
        (Status.DRAFT, None, None, Deadline.NONE),
    ],
)
def test_the_queue_shows_the_deadline_a_person_expects(
    status, decision_due, supplement_due, expected
):
    """The label on the queue: overdue, within 7 days, running, paused by an
    aanvulling, the hersteltermijn over; nothing once decided or before submission."""
    application = ApplicationFactory(submitted=True)
    Application.objects.filter(pk=application.pk).update(
        status=status, decision_due_at=decision_due, supplement_due_at=supplement_due
    )
    state = deadline_state(Application.objects.get(pk=application.pk), now=NOW)
    assert state == expected
    assert (
        Application.objects.filter(deadline_q(expected, now=NOW))
        .filter(pk=application.pk)
        .exists()
    )


def test_the_dead_deadline_methods_are_gone():
    """One rule: the queryset no longer carries its own ``overdue``/``due_within``."""
    assert not hasattr(Application.objects, "overdue")
    assert not hasattr(Application.objects, "due_within")


def test_the_rule_is_written_once_in_its_table(monkeypatch):
    """Widening "due soon" to 30 days in ``DEADLINE_RULES`` alone changes both the
    queue's filter and the label of one application: there is no second copy."""
    from dataclasses import replace

    from beoordeling.assessment import selectors

    wider = tuple(
        replace(rule, to_days=30)
        if rule.state == Deadline.SOON
        else replace(rule, from_days=30)
        if rule.state == Deadline.RUNNING
        else rule
        for rule in selectors.DEADLINE_RULES
    )
    monkeypatch.setattr(selectors, "DEADLINE_RULES", wider)
    application = ApplicationFactory(submitted=True)
    Application.objects.filter(pk=application.pk).update(
        decision_due_at=NOW + timedelta(days=20)
    )
    stored = Application.objects.get(pk=application.pk)
    assert deadline_state(stored, now=NOW) == Deadline.SOON
    assert list(
        Application.objects.filter(deadline_q(Deadline.SOON, now=NOW)).values_list(
            "pk", flat=True
        )
    ) == [application.pk]
