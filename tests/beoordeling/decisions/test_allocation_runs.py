"""Allocation runs in the database: concept runs, fixing, four eyes, order of receipt."""

import io
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from beoordeling import allocation
from beoordeling.assessment.demo import WEAK_PROFILE
from beoordeling.decisions import selectors
from beoordeling.decisions.services import decisions as services
from beoordeling.models import (
    AllocationResult,
    AllocationRun,
    DecisionError,
    ImmutableDecisionError,
    RunKind,
    RunStatus,
)
from subsidies import facts
from subsidies.models import Application, RoundWijkLimit, TransitionLog
from subsidies.rounds import rule_in_force, rule_publish_deviation
from subsidies.workflow import AllocationOutcome, Status
from tests.factories import (
    RoundFactory,
    WijkFactory,
    assessed_application,
    assessor,
    decision_maker,
    publish_rule,
    ranked_profiles,
)
from tests.factories import receipt_round as round_in_order_of_receipt

pytestmark = pytest.mark.django_db


@pytest.fixture
def wijken():
    return {
        "noord": WijkFactory(
            code="noord", name="Noord", fair_share_weight=Decimal("50"), sort_order=1
        ),
        "oost": WijkFactory(
            code="oost", name="Oost", fair_share_weight=Decimal("30"), sort_order=2
        ),
        "zuid": WijkFactory(
            code="zuid", name="Zuid", fair_share_weight=Decimal("20"), sort_order=3
        ),
    }


@pytest.fixture
def round_():
    return RoundFactory(ceiling_cents=1_000_000, on_shortfall="skip")


@pytest.fixture
def staff():
    return assessor()


@pytest.fixture
def deciders():
    return decision_maker(), decision_maker()


#: Profiles strongest first: the rubric computes strictly descending impact scores,
#: every one in the highest band (the full amount is proposed).
BY_STRENGTH = ranked_profiles(9)


def make(round_, wijk, proposed, profile, staff, **kwargs):
    """Assessed with ``profile`` (``BY_STRENGTH[i]``, or ``WEAK_PROFILE``: below every
    band, nothing proposed) and ``proposed`` requested and proposed."""
    return assessed_application(
        round=round_,
        wijk=wijk,
        amount_cents=proposed or 100_000,
        proposed_cents=proposed,
        profile=profile,
        assessed_by=staff,
        **kwargs,
    )


def no_limits(wijken):
    return {w.pk: (0, None) for w in wijken.values()}


def create_run(round_, decider, wijken, limits=None, **kwargs):
    """A concept run; other parameters than the published rule's are published first
    as a motivated new version of the verdeelregel (the only way to deviate), at the
    round's opening: before the applications came in, as a version published later
    does not apply to them (Awb 4:27 lid 2)."""
    on_shortfall = kwargs.pop("on_shortfall", "skip")
    min_partial = kwargs.pop("min_partial_cents", 0)
    if limits or on_shortfall != "skip" or min_partial:
        rule_publish_deviation(
            round=round_,
            actor=decider,
            motivation="Andere parameters voor deze test.",
            limits=limits or no_limits(wijken),
            on_shortfall=on_shortfall,
            min_partial_cents=min_partial,
            at=min(round_.opens_at, kwargs.get("at") or timezone.now(), timezone.now()),
        )
    return services.allocation_run_create(round=round_, actor=decider, **kwargs)


def test_concept_run_stores_its_parameters_and_results_without_deciding(
    round_, wijken, staff, deciders
):
    """A concept run snapshots input and output; the applications stay undecided."""
    a = make(round_, wijken["noord"], 400_000, BY_STRENGTH[5], staff)
    b = make(round_, wijken["oost"], 300_000, BY_STRENGTH[6], staff)
    run = create_run(round_, deciders[0], wijken, note="eerste poging")
    assert run.status == RunStatus.CONCEPT and run.kind == RunKind.ROUND
    assert run.number == 1 and run.note == "eerste poging"
    assert run.budget_cents == 1_000_000 and run.total_cents == 700_000
    ids = {c["id"] for c in run.input_document["candidates"]}
    assert ids == {a.reference, b.reference}
    assert run.output_document["total_cents"] == 700_000
    assert run.results.count() == 2
    for application in (a, b):
        application.refresh_from_db()
        assert application.status == Status.ASSESSED
        assert application.allocation_outcome == ""


def test_stored_input_document_reproduces_the_stored_output_through_the_cli(
    round_, wijken, staff, deciders
):
    """The snapshot is the published JSON: the CLI gives exactly the stored output."""
    make(round_, wijken["noord"], 400_000, BY_STRENGTH[4], staff)
    make(round_, wijken["oost"], 700_000, BY_STRENGTH[6], staff)
    make(round_, wijken["zuid"], 0, WEAK_PROFILE, staff)
    run = create_run(round_, deciders[0], wijken)
    stdout = io.StringIO()
    status = allocation.main(
        [],
        stdin=io.BytesIO(json.dumps(run.input_document).encode()),
        stdout=stdout,
        stderr=io.StringIO(),
    )
    assert status == 0
    assert json.loads(stdout.getvalue()) == run.output_document


def test_fixing_writes_the_facts_then_awards_and_rejects(
    round_, wijken, staff, deciders
):
    """Fixing records outcome, amount, rank and reason, then fires award or reject."""
    first = make(round_, wijken["noord"], 600_000, BY_STRENGTH[1], staff)
    second = make(round_, wijken["oost"], 300_000, BY_STRENGTH[5], staff)
    third = make(round_, wijken["zuid"], 300_000, BY_STRENGTH[6], staff)
    knocked_out = make(round_, wijken["zuid"], 0, WEAK_PROFILE, staff)
    run = create_run(round_, deciders[0], wijken)
    run = services.allocation_run_fix(run=run, actor=deciders[0])
    assert run.status == RunStatus.FIXED and run.fixed_by == deciders[0]
    expected = {
        first.pk: (Status.AWARDED, 600_000, 1, AllocationOutcome.HONOURED),
        second.pk: (Status.AWARDED, 300_000, 2, AllocationOutcome.HONOURED),
        third.pk: (Status.REJECTED, 0, 3, AllocationOutcome.NOT_HONOURED),
        knocked_out.pk: (Status.REJECTED, 0, None, AllocationOutcome.NOT_HONOURED),
    }
    for pk, (status, amount, rank, outcome) in expected.items():
        application = Application.objects.get(pk=pk)
        assert application.status == status
        assert application.awarded_cents == amount
        assert application.rank == rank
        assert application.allocation_outcome == outcome
        assert application.allocation_reason
        log = TransitionLog.objects.filter(application_id=pk).last()
        assert log.actor == deciders[0] and log.transition in ("award", "reject")
    reasons = dict(run.results.values_list("application_id", "reason"))
    assert reasons[third.pk] == "budget" and reasons[knocked_out.pk] == "zero_amount"


def test_a_fixed_run_and_its_results_cannot_be_changed_or_deleted(
    round_, wijken, staff, deciders
):
    """Vastgesteld is final: save and delete raise on the run and its results."""
    make(round_, wijken["noord"], 100_000, BY_STRENGTH[5], staff)
    run = services.allocation_run_fix(
        run=create_run(round_, deciders[0], wijken), actor=deciders[0]
    )
    run.note = "achteraf"
    with pytest.raises(ImmutableDecisionError):
        run.save()
    with pytest.raises(ImmutableDecisionError):
        run.delete()
    result = run.results.get()
    result.amount_cents = 1
    with pytest.raises(ImmutableDecisionError):
        result.save()
    with pytest.raises(ImmutableDecisionError):
        AllocationRun.objects.filter(pk=run.pk).update(total_cents=0)
    with pytest.raises(ImmutableDecisionError):
        AllocationRun.objects.filter(pk=run.pk).delete()
    with pytest.raises(ImmutableDecisionError):
        AllocationResult.objects.filter(pk=result.pk).update(amount_cents=1)
    with pytest.raises(ImmutableDecisionError):
        AllocationResult.objects.filter(pk=result.pk).delete()


def test_a_run_is_fixed_once_and_other_concepts_become_stale(
    round_, wijken, staff, deciders
):
    """After one run is fixed, an older concept of the same round is refused."""
    make(round_, wijken["noord"], 100_000, BY_STRENGTH[5], staff)
    older = create_run(round_, deciders[0], wijken)
    newer = create_run(round_, deciders[0], wijken)
    services.allocation_run_fix(run=newer, actor=deciders[0])
    with pytest.raises(DecisionError, match="Sinds deze verdeling"):
        services.allocation_run_fix(run=older, actor=deciders[0])
    with pytest.raises(DecisionError, match="al vastgesteld"):
        services.allocation_run_fix(run=newer, actor=deciders[0])
    assert selectors.run_is_stale(older)


def test_a_run_is_refused_when_a_score_changed_after_it_was_computed(
    round_, wijken, staff, deciders
):
    """Changed facts since the computation make the run stale."""
    application = make(round_, wijken["noord"], 100_000, BY_STRENGTH[5], staff)
    run = create_run(round_, deciders[0], wijken)
    facts.record_assessment(
        application,
        impact_score=Decimal("60"),
        proposed_cents=application.proposed_cents,
    )
    with pytest.raises(DecisionError):
        services.allocation_run_fix(run=run, actor=deciders[0])


def test_a_changed_floor_changes_the_outcome_and_both_runs_can_be_compared(
    round_, wijken, staff, deciders
):
    """A floor for Zuid lets its best application in ahead of higher scores elsewhere."""
    noord = [
        make(round_, wijken["noord"], 400_000, BY_STRENGTH[1 + i], staff)
        for i in range(3)
    ]
    zuid = make(round_, wijken["zuid"], 300_000, BY_STRENGTH[7], staff)
    plain = create_run(round_, deciders[0], wijken)
    limits = no_limits(wijken) | {wijken["zuid"].pk: (200_000, None)}
    guaranteed = create_run(round_, deciders[0], wijken, limits=limits)
    plain_reason = plain.results.get(application=zuid).reason
    floor_reason = guaranteed.results.get(application=zuid).reason
    assert (plain_reason, floor_reason) == ("budget", "floor")
    assert guaranteed.results.get(application=noord[1]).reason == "budget"
    comparison = selectors.runs_compare([plain, guaranteed])
    differing = {row.application.pk for row in comparison.rows if row.differs}
    assert differing == {zuid.pk, noord[1].pk}
    zuid_cells = dict(comparison.wijk_rows)[wijken["zuid"]]
    assert [cell.awarded_cents for cell in zuid_cells] == [0, 300_000]


def test_a_later_run_distributes_only_what_is_left_and_lowers_floors_and_caps(
    round_, wijken, staff, deciders
):
    """Money already committed counts against the ceiling, the floors and the caps."""
    make(round_, wijken["noord"], 600_000, BY_STRENGTH[1], staff)
    services.allocation_run_fix(
        run=create_run(round_, deciders[0], wijken), actor=deciders[0]
    )
    later = make(round_, wijken["noord"], 500_000, BY_STRENGTH[0], staff)
    limits = no_limits(wijken) | {wijken["noord"].pk: (700_000, 900_000)}
    run = create_run(round_, deciders[0], wijken, limits=limits)
    assert run.committed_cents == 600_000 and run.budget_cents == 400_000
    district = next(d for d in run.input_document["districts"] if d["code"] == "noord")
    assert district == {"code": "noord", "floor_cents": 100_000, "cap_cents": 300_000}
    assert run.results.get(application=later).reason == "budget"


def test_knocked_out_applications_take_part_as_zero_amount(
    round_, wijken, staff, deciders
):
    """Proposed amount 0 is a zero_amount candidate without rank, rejected on fixing."""
    application = make(round_, wijken["oost"], 0, WEAK_PROFILE, staff)
    run = create_run(round_, deciders[0], wijken)
    result = run.results.get()
    assert (result.reason, result.rank, result.awarded) == ("zero_amount", None, False)
    services.allocation_run_fix(run=run, actor=deciders[0])
    assert Application.objects.get(pk=application.pk).status == Status.REJECTED


def test_only_a_decision_maker_computes_or_fixes_a_run(round_, wijken, staff, deciders):
    """An assessor gets a Dutch refusal."""
    make(round_, wijken["noord"], 100_000, BY_STRENGTH[5], staff)
    with pytest.raises(DecisionError, match="besluitvormer"):
        create_run(round_, staff, wijken)
    run = create_run(round_, deciders[0], wijken)
    with pytest.raises(DecisionError, match="besluitvormer"):
        services.allocation_run_fix(run=run, actor=staff)


def test_a_round_without_assessed_applications_cannot_be_allocated(
    round_, wijken, deciders
):
    """Nothing to distribute is a clear message, not an empty run."""
    with pytest.raises(DecisionError, match="geen beoordeelde aanvragen"):
        create_run(round_, deciders[0], wijken)


def test_awards_above_the_threshold_wait_for_a_second_decision_maker(
    wijken, staff, deciders
):
    """Four eyes: the money is reserved, the status stays, another user approves."""
    round_ = RoundFactory(ceiling_cents=1_000_000, four_eyes_threshold_cents=250_000)
    big = make(round_, wijken["noord"], 400_000, BY_STRENGTH[1], staff)
    small = make(round_, wijken["oost"], 200_000, BY_STRENGTH[5], staff)
    run = services.allocation_run_fix(
        run=create_run(round_, deciders[0], wijken), actor=deciders[0]
    )
    big.refresh_from_db()
    assert big.status == Status.ASSESSED
    assert big.allocation_outcome == AllocationOutcome.HONOURED
    assert big.awarded_cents == 400_000
    assert Application.objects.get(pk=small.pk).status == Status.AWARDED
    waiting = selectors.awaiting_approval(round=round_)
    assert [r.application_id for r in waiting] == [big.pk]
    assert selectors.round_budget(round_).committed_cents == 600_000
    result = run.results.get(application=big)
    with pytest.raises(DecisionError, match="zelf vastgesteld"):
        services.allocation_result_approve(result=result, approver=deciders[0])
    with pytest.raises(DecisionError, match="besluitvormer"):
        services.allocation_result_approve(result=result, approver=staff)
    services.allocation_result_approve(result=result, approver=deciders[1])
    big.refresh_from_db()
    assert big.status == Status.AWARDED and big.second_approver == deciders[1]
    assert TransitionLog.objects.filter(application=big).last().actor == deciders[1]
    result.refresh_from_db()
    assert result.approved_by == deciders[1] and not result.awaits_approval
    with pytest.raises(DecisionError, match="al goedgekeurd"):
        services.allocation_result_approve(result=result, approver=deciders[1])


def test_money_waiting_for_approval_is_not_distributed_again(wijken, staff, deciders):
    """A reserved award keeps its money out of a later run."""
    round_ = RoundFactory(ceiling_cents=500_000, four_eyes_threshold_cents=100_000)
    make(round_, wijken["noord"], 400_000, BY_STRENGTH[1], staff)
    services.allocation_run_fix(
        run=create_run(round_, deciders[0], wijken), actor=deciders[0]
    )
    later = make(round_, wijken["oost"], 200_000, BY_STRENGTH[0], staff)
    run = create_run(round_, deciders[0], wijken)
    assert run.budget_cents == 100_000
    assert [r.application_id for r in run.results.all()] == [later.pk]
    assert run.results.get().reason == "budget"


@pytest.fixture
def receipt_round(wijken):
    round_ = round_in_order_of_receipt(ceiling_cents=1_000_000, rule=False)
    RoundWijkLimit.objects.create(
        round=round_, wijk=wijken["zuid"], floor_cents=300_000, cap_cents=None
    )
    RoundWijkLimit.objects.create(
        round=round_, wijk=wijken["oost"], floor_cents=0, cap_cents=250_000
    )
    publish_rule(round_)
    return round_


def test_order_of_receipt_decides_one_application_against_what_is_left(
    receipt_round, wijken, staff, deciders
):
    """Each decision is its own fixed run; Zuid's guaranteed money stays reserved."""
    now = timezone.now()
    first = make(receipt_round, wijken["noord"], 500_000, BY_STRENGTH[7], staff)
    second = make(receipt_round, wijken["noord"], 300_000, BY_STRENGTH[7], staff)
    run = services.application_decide_by_receipt(application=first, actor=deciders[0])
    assert run.kind == RunKind.APPLICATION and run.status == RunStatus.FIXED
    assert run.budget_cents == 700_000  # 1,000,000 minus Zuid's 300,000 guarantee
    assert Application.objects.get(pk=first.pk).status == Status.AWARDED
    run = services.application_decide_by_receipt(application=second, actor=deciders[0])
    assert run.budget_cents == 200_000
    assert run.results.get().reason == "budget"
    assert Application.objects.get(pk=second.pk).status == Status.REJECTED
    zuid = make(
        receipt_round, wijken["zuid"], 300_000, BY_STRENGTH[8], staff, complete_at=now
    )
    run = services.application_decide_by_receipt(application=zuid, actor=deciders[0])
    assert run.budget_cents == 500_000
    assert run.results.get().reason == "floor"
    assert selectors.round_budget(receipt_round).committed_cents == 800_000


def test_order_of_receipt_respects_the_wijk_cap(receipt_round, wijken, staff, deciders):
    """Oost may have 250,000 in the round; the next application over it is refused."""
    first = make(receipt_round, wijken["oost"], 200_000, BY_STRENGTH[7], staff)
    second = make(receipt_round, wijken["oost"], 100_000, BY_STRENGTH[7], staff)
    services.application_decide_by_receipt(application=first, actor=deciders[0])
    run = services.application_decide_by_receipt(application=second, actor=deciders[0])
    assert run.results.get().reason == "cap"
    assert Application.objects.get(pk=second.pk).status == Status.REJECTED


def test_order_of_receipt_is_refused_for_a_ranking_scheme(
    round_, wijken, staff, deciders
):
    """A tender round is decided as a whole."""
    application = make(round_, wijken["noord"], 100_000, BY_STRENGTH[5], staff)
    with pytest.raises(DecisionError, match="rangorde"):
        services.application_decide_by_receipt(
            application=application, actor=deciders[0]
        )


def test_an_application_is_decided_by_one_fixed_result_only(
    receipt_round, wijken, staff, deciders
):
    """Deciding twice is refused; the database holds one fixed result per application."""
    application = make(receipt_round, wijken["noord"], 100_000, BY_STRENGTH[7], staff)
    services.application_decide_by_receipt(application=application, actor=deciders[0])
    with pytest.raises(DecisionError, match="niet worden besloten"):
        services.application_decide_by_receipt(
            application=application, actor=deciders[0]
        )
    assert (
        AllocationResult.objects.filter(application=application, is_fixed=True).count()
        == 1
    )


def test_the_run_screen_shows_the_floors_and_caps_of_the_published_rule(
    receipt_round, wijken
):
    """The run screen starts from the published verdeelregel, never from another
    minimum (the old screen opened with each wijk's fair share of the ceiling)."""
    rule = rule_in_force(receipt_round)
    shown = {
        d.wijk.code: d for d in selectors.wijk_parameter_defaults(receipt_round, rule)
    }
    assert shown["zuid"].floor_cents == 300_000 and shown["zuid"].cap_cents is None
    assert shown["noord"].floor_cents == 0 and shown["noord"].cap_cents is None
    assert shown["oost"].floor_cents == 0 and shown["oost"].cap_cents == 250_000


def test_the_run_screen_marks_under_represented_wijken(round_, wijken, staff, deciders):
    """Below half of its fair share a wijk is flagged; a wijk without applications too."""
    make(round_, wijken["noord"], 800_000, BY_STRENGTH[1], staff)
    make(round_, wijken["oost"], 100_000, BY_STRENGTH[5], staff)
    run = create_run(round_, deciders[0], wijken)
    view = selectors.run_view(run)
    flags = {row.wijk.code: row.flag for row in view.wijken}
    assert flags == {"noord": "boven", "oost": "onder", "zuid": "geen"}
    oost = next(row for row in view.wijken if row.wijk.code == "oost")
    assert oost.fair_amount_cents == 270_000 and oost.awarded_cents == 100_000
    assert [bar.label for bar in view.chart] == ["Noord", "Oost", "Zuid"]
    assert max(bar.awarded_width for bar in view.chart) <= selectors.CHART_BAR_WIDTH
    assert [row.result.rank for row in view.rows] == [1, 2]


def test_runs_are_numbered_per_round(round_, wijken, staff, deciders):
    """Every run of a round gets the next number."""
    make(round_, wijken["noord"], 100_000, BY_STRENGTH[5], staff)
    numbers = [create_run(round_, deciders[0], wijken).number for _ in range(3)]
    assert numbers == [1, 2, 3]
    assert AllocationRun.objects.filter(round=round_).count() == 3


def test_complete_at_orders_equal_scores(round_, wijken, staff, deciders):
    """With equal scores the application that was complete earlier ranks first."""
    now = timezone.now()
    late = make(
        round_, wijken["noord"], 100_000, BY_STRENGTH[6], staff, complete_at=now
    )
    early = make(
        round_,
        wijken["noord"],
        100_000,
        BY_STRENGTH[6],
        staff,
        complete_at=now - timedelta(days=3),
    )
    run = create_run(round_, deciders[0], wijken)
    ranks = dict(run.results.values_list("application_id", "rank"))
    assert ranks[early.pk] == 1 and ranks[late.pk] == 2
