"""A transition whose guards do not hold is refused with a message that says, in
Dutch, which transition from which status was refused and why; nothing changes."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from subsidies import facts, services
from subsidies.models import Application, TransitionLog
from subsidies.services import GUARD_REASONS, WorkflowError
from tests.factories import (
    ApplicationFactory,
    RoundFactory,
    assessor,
    decision_maker,
)

pytestmark = pytest.mark.django_db


def _refused(application, transition, actor):
    with pytest.raises(WorkflowError) as refused:
        services.fire(application=application, transition=transition, actor=actor)
    stored = Application.objects.get(pk=application.pk)
    assert stored.status == application.status
    assert not TransitionLog.objects.filter(
        application=application, transition=transition
    ).exists()
    return str(refused.value)


def test_a_closed_round_names_the_transition_the_status_and_the_reason():
    closed = ApplicationFactory(round=RoundFactory(closed=True))
    message = _refused(closed, "submit", closed.applicant_user)
    assert message == (
        "De stap 'indienen' kan nu niet vanuit de status 'Concept', "
        "omdat de ronde niet open is."
    )


def test_every_guard_that_fails_is_named_with_what_is_missing():
    """No budget and an activity that starts today: both reasons, and the form's
    missing part in words."""
    application = ApplicationFactory(
        amount_cents=0, activity_start=timezone.localdate()
    )
    message = _refused(application, "submit", application.applicant_user)
    assert message == (
        "De stap 'indienen' kan nu niet vanuit de status 'Concept', "
        "omdat er nog iets ontbreekt: een begroting met minstens één kostenpost "
        "en de activiteit niet na vandaag begint."
    )


def test_an_award_above_the_threshold_says_a_second_decision_maker_is_needed():
    application = facts.record_preconditions(
        ApplicationFactory(submitted=True), met=True
    )
    application = services.fire(
        application=application, transition="accept", actor=assessor()
    )
    application = facts.record_assessment(
        application, impact_score=Decimal("80.00"), proposed_cents=1_500_000
    )
    application = services.fire(
        application=application, transition="complete_assessment", actor=None
    )
    application.round.four_eyes_threshold_cents = 1_000_000
    application.round.save()
    facts.record_allocation(application, honoured=True, awarded_cents=1_500_000, rank=1)
    message = _refused(application, "award", decision_maker())
    assert message == (
        "De stap 'toekennen' kan nu niet vanuit de status 'Beoordeeld', "
        "omdat een tweede beslisser dit bedrag nog moet goedkeuren."
    )


def test_the_message_is_english_for_an_english_reader():
    closed = ApplicationFactory(round=RoundFactory(closed=True))
    with translation.override("en"):
        message = _refused(closed, "submit", closed.applicant_user)
    assert "round is not open" in message
    assert "omdat" not in message


def test_every_guard_of_the_workflow_has_a_reason_in_words():
    field = Application._meta.get_field("status")
    conditions = {
        condition
        for transition in field.get_all_transitions(Application)
        for condition in transition.conditions
    }
    assert conditions and conditions <= set(GUARD_REASONS)


def test_a_supplement_after_the_term_says_the_term_is_over():
    application = ApplicationFactory(submitted=True)
    resident = application.applicant_user
    application = services.fire(
        application=application,
        transition="request_supplement",
        actor=None,
        due_at=timezone.now() + timedelta(days=14),
    )
    Application.objects.filter(pk=application.pk).update(
        supplement_due_at=timezone.now() - timedelta(days=1)
    )
    application.refresh_from_db()
    message = _refused(application, "supplement", resident)
    assert message == (
        "De stap 'aanvulling insturen' kan nu niet vanuit de status "
        "'Aanvulling gevraagd', omdat de termijn voor de aanvulling voorbij is."
    )
