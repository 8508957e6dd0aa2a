"""The lifecycle traits of ``ApplicationFactory`` go through the real services: each
state is reached by the transitions the screens fire, and what those services store
beside the status (the request for an aanvulling, the fixed allocation run, the
amount) is there to read back."""

import pytest

from beoordeling.models import AllocationResult, AssessmentEvent
from subsidies.models import SupplementRequest, TransitionLog
from subsidies.workflow import AllocationOutcome, Status
from tests.factories import ApplicationFactory, RoundFactory

pytestmark = pytest.mark.django_db


def steps(application):
    return list(
        TransitionLog.objects.filter(application=application)
        .order_by("at", "pk")
        .values_list("transition", flat=True)
    )


def test_supplement_requested_is_asked_by_an_assessor_of_its_team():
    application = ApplicationFactory(
        supplement_requested=True, supplement_message="Stuur de begroting mee."
    )
    assert application.status == Status.SUPPLEMENT_REQUESTED
    assert steps(application) == ["submit", "request_supplement"]
    request = SupplementRequest.objects.get(application=application)
    assert request.message == "Stuur de begroting mee."
    assert application.supplement_due_at == request.due_at
    assert AssessmentEvent.objects.filter(
        application=application, kind=AssessmentEvent.Kind.SUPPLEMENT
    ).exists()


def test_in_assessment_and_assessed_record_the_facts_the_guards_read():
    accepted = ApplicationFactory(in_assessment=True)
    assert accepted.status == Status.IN_ASSESSMENT
    assert accepted.preconditions_met is True
    assert steps(accepted) == ["submit", "accept"]

    assessed = ApplicationFactory(assessed=True, score=81, proposed_cents=120_000)
    assert assessed.status == Status.ASSESSED
    assert (str(assessed.impact_score), assessed.proposed_cents) == ("81.00", 120_000)
    assert steps(assessed) == ["submit", "accept", "complete_assessment"]


def test_awarded_is_decided_by_a_fixed_allocation_run():
    application = ApplicationFactory(awarded=True, amount_cents=300_000)
    assert application.status == Status.AWARDED
    assert application.allocation_outcome == AllocationOutcome.HONOURED
    assert application.awarded_cents == 300_000
    result = AllocationResult.objects.get(application=application)
    assert result.is_fixed and result.awarded
    assert steps(application)[-1] == "award"


def test_rejected_is_refused_by_the_run_with_nothing_awarded():
    application = ApplicationFactory(rejected=True, round=RoundFactory())
    assert application.status == Status.REJECTED
    assert application.allocation_outcome == AllocationOutcome.NOT_HONOURED
    assert application.awarded_cents == 0
    assert steps(application)[-1] == "reject"
