"""The seeded demo holds real assessment work, consistent with the recorded facts."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from beoordeling.assessment import selectors
from beoordeling.assessment.demo import seed_assessments
from beoordeling.models import (
    Assessment,
    AssessmentEvent,
    AssessmentSummary,
    PreconditionReview,
    PreconditionRule,
    Rubric,
    Score,
    Team,
)
from subsidies.models import Application, Scheme
from subsidies.workflow import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_demo", stdout=StringIO())


def test_demo_has_rubrics_randvoorwaarden_and_teams(seeded):
    """Three rubrics (version 1), randvoorwaarden per scheme, teams with members."""
    for scheme in Scheme.objects.all():
        rubric = Rubric.objects.current_for(scheme)
        assert rubric.version == 1
        assert sum(c.weight for c in rubric.criteria.all()) == 100
        assert PreconditionRule.objects.filter(scheme=scheme, hard=True).count() >= 3
    assert Rubric.objects.get(scheme__slug="duurzaam").criteria.get(code="C6").knockout
    assert Team.objects.count() >= 2
    assert all(team.members.exists() for team in Team.objects.all())


def test_assessed_demo_applications_carry_the_score_of_their_scores(seeded):
    """Every assessed application has submitted scores that give its impact score."""
    assessed = Application.objects.exclude(impact_score=None)
    assert assessed.count() >= 10
    for application in assessed:
        state = selectors.assessment_state(application)
        assert len(state.submitted) == application.round.scheme.assessors_required
        assert not state.open_disagreements
        assert state.final.impact_score == application.impact_score
        summary = AssessmentSummary.objects.get(application=application)
        assert summary.proposed_cents == application.proposed_cents
        assert summary.completed_at is not None
        # An award on bezwaar (the demo has one) is the beslissing op bezwaar's
        # amount, not the assessment's proposal.
        on_bezwaar = application.objections.filter(outcome="gegrond").exists()
        if application.status == Status.AWARDED and not on_bezwaar:
            assert application.awarded_cents == application.proposed_cents


def test_demo_shows_work_in_progress(seeded):
    """An open disagreement, a recusal with its reason, drafts and checked reviews."""
    in_assessment = Application.objects.filter(status=Status.IN_ASSESSMENT)
    states = [selectors.assessment_state(a) for a in in_assessment]
    assert any(state.open_disagreements for state in states)
    recused = Assessment.objects.filter(conflict=True)
    assert recused.count() >= 1
    assert all(a.conflict_reason for a in recused)
    assert AssessmentEvent.objects.filter(kind=AssessmentEvent.Kind.RECUSED).exists()
    assert Score.objects.filter(assessment__submitted_at=None).exists()
    checked = Application.objects.exclude(preconditions_met=None)
    assert PreconditionReview.objects.count() == checked.count()
    rejected = PreconditionReview.objects.filter(met=False)
    assert rejected.exists()
    assert all(
        r.outcomes.filter(confirmed="niet_voldaan", hard=True).exists()
        for r in rejected
    )


def test_seeding_the_assessments_again_adds_nothing(seeded):
    """The assessment seed is idempotent."""
    counts = [
        model.objects.count()
        for model in (
            Assessment,
            Score,
            PreconditionReview,
            Rubric,
            Team,
            AssessmentEvent,
        )
    ]
    seed_assessments(now=timezone.now())
    assert [
        model.objects.count()
        for model in (
            Assessment,
            Score,
            PreconditionReview,
            Rubric,
            Team,
            AssessmentEvent,
        )
    ] == counts
