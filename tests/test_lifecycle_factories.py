"""The lifecycle traits of ``ApplicationFactory`` go through the real services: each
state is reached by the transitions the screens fire, and what those services store
beside the status (the request for an aanvulling, the fixed allocation run, the
amount) is there to read back."""

from decimal import Decimal

import pytest

from beoordeling.assessment.demo import WEAK_PROFILE
from beoordeling.models import (
    AllocationResult,
    Assessment,
    AssessmentEvent,
    AssessmentSummary,
    Team,
)
from subsidies.models import SupplementRequest, TransitionLog
from subsidies.workflow import AllocationOutcome, Status
from tests.factories import (
    ApplicationFactory,
    RoundFactory,
    impact_for,
    ranked_profiles,
)

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

    profile = (4, 3, 3, 4, 3)
    assessed = ApplicationFactory(assessed=True, profile=profile, amount_cents=120_000)
    assert assessed.status == Status.ASSESSED
    expected = impact_for(assessed.round.scheme, profile)
    assert expected >= 75  # the highest default band: the full amount
    assert (assessed.impact_score, assessed.proposed_cents) == (expected, 120_000)
    assert steps(assessed) == ["submit", "accept", "complete_assessment"]


def test_assessed_is_scored_on_the_rubric_by_two_assessors_of_its_team():
    """Two assessors of a team that covers the wijk declare no interest and score
    every criterion with a motivation; the summary holds what the rubric computed."""
    application = ApplicationFactory(assessed=True, points=3)
    assessments = list(
        Assessment.objects.filter(application=application).order_by("pk")
    )
    assert len(assessments) == 2
    for record in assessments:
        assert record.declared_at is not None and not record.conflict
        assert record.submitted_at is not None
        assert Team.objects.filter(
            members=record.assessor, wijken=application.wijk
        ).exists()
        scores = list(record.scores.values_list("criterion__code", "score"))
        codes = list(record.rubric.criteria.values_list("code", flat=True))
        assert sorted(scores) == sorted((code, 3) for code in codes)
        assert not record.scores.filter(motivation="").exists()
    summary = AssessmentSummary.objects.get(application=application)
    assert summary.completed_at is not None
    assert summary.impact_score == application.impact_score == Decimal("75.00")
    assert summary.proposed_cents == application.proposed_cents == 250_000
    assert (
        application.transition_log.get(transition="complete_assessment").actor
        == assessments[-1].assessor
    )


def test_a_weaker_profile_ranks_lower_and_a_weak_one_proposes_nothing():
    """The profile, not a number, decides the strength: lower scores give a lower
    impact score, and below every impact band nothing is proposed."""
    round_ = RoundFactory()
    strong, weaker = (
        ApplicationFactory(assessed=True, round=round_, profile=profile)
        for profile in ranked_profiles(2)
    )
    assert strong.impact_score > weaker.impact_score
    weak = ApplicationFactory(assessed=True, round=round_, profile=WEAK_PROFILE)
    assert weak.impact_score == impact_for(round_.scheme, WEAK_PROFILE)
    assert weak.impact_score < 50 and weak.proposed_cents == 0


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
    assert application.proposed_cents == 0
    assert application.status == Status.REJECTED
    assert application.allocation_outcome == AllocationOutcome.NOT_HONOURED
    assert application.awarded_cents == 0
    assert steps(application)[-1] == "reject"
