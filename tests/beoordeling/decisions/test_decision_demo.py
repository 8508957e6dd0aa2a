"""The seeded demo of allocation and decisions: runs, four eyes and letters."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from beoordeling.decisions import selectors
from beoordeling.decisions.demo import RANKING_SCHEME, seed_decisions
from beoordeling.models import (
    AllocationResult,
    AllocationRun,
    Decision,
    RunKind,
    RunStatus,
)
from subsidies.models import Application, Document, Round
from subsidies.rounds import rule_in_force
from subsidies.workflow import DECIDED_STATES, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_demo", stdout=StringIO())


def test_the_ranking_round_is_decided_by_a_run_of_its_published_rule(seeded):
    """One fixed run decided the round, with the round's published verdeelregel as its
    only parameters (the demo used to fix a run with floors typed at the fair share
    of the ceiling, next to a concept with other floors)."""
    round_ = (
        Round.objects.filter(
            scheme__slug=RANKING_SCHEME, allocation_runs__kind=RunKind.ROUND
        )
        .distinct()
        .get()
    )
    [run] = AllocationRun.objects.filter(round=round_)
    assert run.status == RunStatus.FIXED
    rule = rule_in_force(round_)
    assert run.rule == rule and rule.version == 1 and rule.text
    assert rule.published_at < round_.opens_at
    published = rule.limits_by_wijk_id()
    assert {
        p["wijk_id"]: (p["floor_cents"], p["cap_cents"]) for p in run.wijk_parameters
    } == published


def test_every_seeded_round_has_its_published_rule(seeded):
    """Every round of the demo has version 1 of its verdeelregel, with a text."""
    for round_ in Round.objects.all():
        rule = rule_in_force(round_, round_.opens_at)
        assert rule is not None and rule.version == 1 and rule.text, round_


def test_every_allocation_decision_comes_from_a_fixed_run(seeded):
    """Awarded and allocation-rejected applications have a fixed result behind them
    (but an award on bezwaar: the beslissing op bezwaar revoked its rejection)."""
    decided = Application.objects.filter(
        status__in=[Status.AWARDED, Status.REJECTED], preconditions_met=True
    ).exclude(objections__outcome="gegrond")
    assert decided.filter(status=Status.AWARDED).exists()
    assert decided.filter(status=Status.REJECTED).exists()
    for application in decided:
        result = AllocationResult.objects.get(application=application, is_fixed=True)
        assert result.awarded is (application.status == Status.AWARDED)
        assert result.amount_cents == application.awarded_cents


def test_the_demo_has_an_award_waiting_for_the_second_decision_maker(seeded):
    """Four eyes in the demo: one award waits, its money reserved."""
    waiting = list(selectors.awaiting_approval())
    assert len(waiting) == 1
    assert waiting[0].application.status == Status.ASSESSED


def test_every_decided_application_has_its_letter(seeded):
    """Awards (also those the demo took on past the award), rejections and set-asides
    all have their first beschikking stored as a Document; the intrekking has its own."""
    decided = Application.objects.filter(status__in=DECIDED_STATES)
    assert decided.count() >= 8
    for application in decided:
        decision = Decision.objects.filter(application=application).earliest("pk")
        assert decision.document.kind == Document.Kind.DECISION_LETTER
    kinds = set(Decision.objects.values_list("kind", flat=True))
    assert {"verlening", "afwijzing_impact", "afwijzing_randvoorwaarden"} <= kinds
    assert "buiten_behandeling" in kinds
    revoked = Application.objects.get(status=Status.REVOKED)
    assert revoked.decisions.filter(kind="intrekking").count() == 1


def test_every_status_still_appears_and_the_seed_is_idempotent(seeded):
    """The demo shows every status; a second seed adds no runs or letters."""
    assert set(Application.objects.values_list("status", flat=True)) == set(
        Status.values
    )
    counts = (AllocationRun.objects.count(), Decision.objects.count())
    call_command("seed_demo", stdout=StringIO())
    seed_decisions(now=timezone.now())
    assert (AllocationRun.objects.count(), Decision.objects.count()) == counts


def test_the_demo_year_goes_on_past_the_award(seeded):
    """A report to review and one with a question open, a directly fixed grant paid and
    closed, another in a batch waiting for the second financial administrator, and a
    seed run again changes none of it."""
    from beoordeling.decisions.demo import seed_after_award
    from beoordeling.models import PaymentBatch, PaymentInstruction
    from beoordeling.payments.demo import seed_payments
    from subsidies.models import Report

    to_review = Application.objects.get(status=Status.REPORT_SUBMITTED)
    assert Report.objects.get(application=to_review).submitted_at is not None
    asked = Application.objects.get(status=Status.REPORT_SUPPLEMENT_REQUESTED)
    assert asked.report_supplement_due_at is not None
    closed = Application.objects.get(status=Status.CLOSED)
    assert closed.paid_cents == closed.fixed_cents == closed.awarded_cents
    batch = PaymentBatch.objects.get()
    assert batch.status == "concept" and batch.approved_by is None
    assert batch.composed_by.email == "financien@initiatiefloket.example"
    in_batch = {item.instruction.application for item in batch.items.all()}
    assert in_batch and all(a.status == Status.FIXED for a in in_batch)
    revoked = Application.objects.get(status=Status.REVOKED)
    assert not revoked.payment_instructions.filter(status="open").exists()
    counts = (PaymentInstruction.objects.count(), PaymentBatch.objects.count())
    seed_after_award(now=timezone.now())
    seed_payments(now=timezone.now())
    assert (PaymentInstruction.objects.count(), PaymentBatch.objects.count()) == counts
