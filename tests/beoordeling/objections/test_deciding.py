"""Deciding on a bezwaar: the handler's draft, deciding alone or with four eyes, the
ceiling and the round's reserve for bezwaren. Each test reads back the bezwaar, its
log, the application and the round's money from the database."""

import pytest

from beoordeling.decisions.selectors import round_budget
from beoordeling.decisions.services import decisions as decision_services
from beoordeling.decisions.services.letters import _peek_kenmerk_number, decision_issue
from beoordeling.models import Decision, DecisionKind, Objection, ObjectionLog
from beoordeling.objections.services import ObjectionError
from beoordeling.objections.services.deciding import (
    objection_approve,
    objection_cost,
    objection_decide,
    objection_record_decision,
    objection_send_back,
)
from beoordeling.objections.services.handling import objection_judge_lateness
from beoordeling.objections.workflow import ObjectionState, Outcome
from subsidies.models import Application, Round, TransitionLog
from subsidies.workflow import Status
from tests.beoordeling.objections.factories import (
    objection_handler,
    objection_in_handling,
    objection_ready,
)
from tests.factories import (
    RoundFactory,
    WijkFactory,
    assessed_application,
    assessor,
    decided_application,
    decision_maker,
)

pytestmark = pytest.mark.django_db


def _stored(objection):
    return Objection.objects.get(pk=objection.pk)


def _log(objection):
    return list(
        ObjectionLog.objects.filter(objection=objection).values_list(
            "transition", "source", "target"
        )
    )


def _record(objection, outcome=Outcome.WELL_FOUNDED, remedy_cents=None, **kwargs):
    return objection_record_decision(
        objection=objection,
        outcome=outcome,
        motivation=kwargs.pop("motivation", "De score voor bereik was te laag."),
        remedy_cents=remedy_cents,
        actor=kwargs.pop("actor", objection.handler),
    )


# --- the draft ----------------------------------------------------------------------


def test_only_the_handler_records_the_decision_when_it_is_ready():
    """Another handler, a bezwaar still in handling or a decision without motivation
    is refused with a Dutch message, and nothing of the draft is stored."""
    objection = objection_ready(status="afgewezen")
    with pytest.raises(ObjectionError, match="Alleen de behandelaar"):
        _record(objection, remedy_cents=100_000, actor=objection_handler())
    with pytest.raises(ObjectionError, match="Motiveer"):
        _record(objection, remedy_cents=100_000, motivation="  ")
    waiting = objection_in_handling(status="afgewezen")
    with pytest.raises(ObjectionError, match="klaar is voor de beslissing"):
        _record(waiting, remedy_cents=100_000)
    stored = _stored(objection)
    assert (stored.outcome, stored.motivation, stored.remedy_cents) == ("", "", None)


def test_award_after_rejection_stays_within_the_request_and_the_maximum():
    """The amount granted on bezwaar after an afwijzing is above € 0 and at most the
    requested amount (and the scheme's maximum); a correct one is stored as draft."""
    objection = objection_ready(status="afgewezen")
    requested = objection.application.requested_cents
    with pytest.raises(ObjectionError, match="hoger dan € 0"):
        _record(objection, remedy_cents=0)
    with pytest.raises(ObjectionError, match="gevraagde bedrag"):
        _record(objection, remedy_cents=requested + 1)
    with pytest.raises(ObjectionError, match="bedrag van het nieuwe besluit"):
        _record(objection, remedy_cents=None)
    _record(objection, remedy_cents=requested)
    stored = _stored(objection)
    assert (stored.outcome, stored.remedy_cents) == (Outcome.WELL_FOUNDED, requested)
    assert stored.state == ObjectionState.READY  # a draft, no transition
    assert [row[0] for row in _log(objection)][-1] == "waive_hearing"


def test_late_bezwaar_not_excusable_can_only_be_inadmissible():
    """A bezwaar lodged after the six weeks and judged not excusable is
    niet-ontvankelijk; the application keeps its afwijzing."""
    objection = objection_ready(status="afgewezen")
    # Lodged after the six weeks (the clock itself: test_lodging.py).
    Objection.objects.filter(pk=objection.pk).update(is_late=True)
    objection = _stored(objection)
    with pytest.raises(ObjectionError, match="verschoonbaar"):
        _record(objection, outcome=Outcome.NOT_ADMISSIBLE)
    objection = objection_judge_lateness(
        objection=objection,
        excusable=False,
        motivation="Geen reden gegeven voor de late indiening.",
        actor=objection.handler,
    )
    with pytest.raises(ObjectionError, match="niet-ontvankelijk"):
        _record(objection, remedy_cents=100_000)
    _record(objection, outcome=Outcome.NOT_ADMISSIBLE)
    decided = objection_decide(objection=objection, actor=objection.handler)
    assert decided.state == ObjectionState.DECIDED
    assert decided.outcome == Outcome.NOT_ADMISSIBLE and decided.cost_cents == 0
    assert decided.decision_on_objection.kind == DecisionKind.BESLISSING_OP_BEZWAAR
    assert Application.objects.get(pk=objection.application_id).status == (
        Status.REJECTED
    )


def test_unfounded_decision_leaves_the_application_as_it_was():
    """Ongegrond: the bezwaar is decided with its letter, the application and its
    transition log do not change."""
    objection = objection_ready(status="afgewezen")
    before = TransitionLog.objects.filter(application=objection.application).count()
    _record(objection, outcome=Outcome.UNFOUNDED, remedy_cents=100_000)
    assert _stored(objection).remedy_cents is None
    decided = objection_decide(objection=objection, actor=objection.handler)
    assert decided.state == ObjectionState.DECIDED
    assert decided.decided_at is not None and decided.cost_cents == 0
    assert _log(objection)[-1] == (
        "decide",
        ObjectionState.READY,
        ObjectionState.DECIDED,
    )
    application = Application.objects.get(pk=objection.application_id)
    assert application.status == Status.REJECTED
    assert TransitionLog.objects.filter(application=application).count() == before
    assert decided.decision_on_objection is not None


# --- four eyes ----------------------------------------------------------------------


def test_four_eyes_above_the_threshold_propose_send_back_approve():
    """Above the round's four-eyes line the handler proposes; he cannot approve it
    himself, nor can the decision maker who decided the application (7:5); another
    decision maker sends it back with a reason, then approves it: the application is
    toegekend with the approver in its log."""
    objection = objection_ready(status="afgewezen")
    Round.objects.filter(pk=objection.application.round_id).update(
        four_eyes_threshold_cents=100_000
    )
    _record(objection, remedy_cents=200_000)
    proposed = objection_decide(objection=objection, actor=objection.handler)
    assert proposed.state == ObjectionState.AWAITING_APPROVAL
    assert proposed.proposed_by == objection.handler
    assert Application.objects.get(pk=objection.application_id).status == (
        Status.REJECTED
    )

    with pytest.raises(ObjectionError, match="zelf behandeld"):
        objection_approve(objection=objection, actor=objection.handler)
    with pytest.raises(ObjectionError, match="7:5"):
        objection_approve(objection=objection, actor=objection.decider)
    assert _stored(objection).state == ObjectionState.AWAITING_APPROVAL

    second = decision_maker()
    with pytest.raises(ObjectionError, match="waarom"):
        objection_send_back(objection=objection, actor=second, reason=" ")
    back = objection_send_back(
        objection=objection, actor=second, reason="Motiveer het bedrag beter."
    )
    assert back.state == ObjectionState.READY
    assert back.review_reason == "Motiveer het bedrag beter."
    assert _log(objection)[-1][0] == "send_back"

    _record(objection, remedy_cents=200_000, motivation="Bereik is wel aangetoond.")
    objection_decide(objection=objection, actor=objection.handler)
    approved = objection_approve(objection=objection, actor=second)
    assert approved.state == ObjectionState.DECIDED
    assert approved.approved_by == second and approved.approved_at is not None
    assert approved.cost_cents == 200_000
    application = Application.objects.get(pk=objection.application_id)
    assert (application.status, application.awarded_cents) == (
        Status.AWARDED,
        200_000,
    )
    award = TransitionLog.objects.filter(
        application=application, transition="award_on_objection"
    ).get()
    assert award.actor == second
    assert [row[0] for row in _log(objection)][-4:] == [
        "propose",
        "send_back",
        "propose",
        "approve",
    ]


# --- the ceiling and the reserve ----------------------------------------------------


def test_well_founded_bezwaar_above_the_ceiling_stores_nothing():
    """In a round whose ceiling is used up, the award on bezwaar is refused with a
    Dutch message about the ceiling: the bezwaar stays ready, the application
    afgewezen, no letter and no kenmerk is used."""
    objection = objection_ready(status="afgewezen")
    round_ = objection.application.round
    decided_application(
        round=round_,
        wijk=WijkFactory(code="zuid", name="Zuid"),
        awarded_cents=300_000,
        assessed_by=assessor(),
    )
    Round.objects.filter(pk=round_.pk).update(
        ceiling_cents=round_budget(round_).committed_cents
    )
    _record(objection, remedy_cents=100_000)
    cost = objection_cost(objection)
    assert (cost.cost_cents, cost.fits, cost.from_rest_cents) == (
        100_000,
        False,
        100_000,
    )
    year = objection.decision.date_sent.year
    number = _peek_kenmerk_number(year=year)
    logged = len(_log(objection))

    with pytest.raises(ObjectionError, match="subsidieplafond"):
        objection_decide(objection=objection, actor=objection.handler)

    stored = _stored(objection)
    assert stored.state == ObjectionState.READY
    assert stored.decided_at is None and stored.decision_on_objection is None
    assert stored.cost_cents == 0
    assert len(_log(objection)) == logged
    assert Application.objects.get(pk=objection.application_id).status == (
        Status.REJECTED
    )
    assert not Decision.objects.filter(kind=DecisionKind.BESLISSING_OP_BEZWAAR).exists()
    assert _peek_kenmerk_number(year=year) == number


def test_reserve_stays_out_of_the_allocation_and_pays_for_the_bezwaar():
    """A round of € 9.000 with € 3.000 kept for bezwaren: the allocation run spends
    € 6.000 (two of three applications); the third's bezwaar is well-founded and its
    € 3.000 comes from the reserve, so the round ends exactly at its ceiling."""
    round_ = RoundFactory(ceiling_cents=900_000, objection_reserve_cents=300_000)
    wijk = WijkFactory(code="noord", name="Noord")
    staff = assessor()
    decider = decision_maker()
    applications = [
        assessed_application(
            round=round_,
            wijk=wijk,
            proposed_cents=300_000,
            score=90 - i,
            assessed_by=staff,
        )
        for i in range(3)
    ]
    assert round_budget(round_).remaining_cents == 600_000
    run = decision_services.allocation_run_create(round=round_, actor=decider)
    decision_services.allocation_run_fix(run=run, actor=decider)
    statuses = [Application.objects.get(pk=a.pk).status for a in applications]
    assert statuses == [Status.AWARDED, Status.AWARDED, Status.REJECTED]
    budget = round_budget(round_)
    assert (budget.committed_cents, budget.remaining_cents) == (600_000, 0)
    assert budget.reserve_left_cents == 300_000

    decision, _created = decision_issue(
        application=applications[2], actor=decider, notify=False
    )
    assert decision.kind == DecisionKind.AFWIJZING_BUDGET
    objection = objection_ready(decision=decision)
    _record(objection, remedy_cents=300_000)
    cost = objection_cost(objection)
    assert cost.cost_cents == 300_000
    assert (cost.reserve_left_cents, cost.from_reserve_cents, cost.from_rest_cents) == (
        300_000,
        300_000,
        0,
    )
    assert cost.fits

    decided = objection_decide(objection=objection, actor=objection.handler)

    assert decided.cost_cents == 300_000
    budget = round_budget(round_)
    assert budget.committed_cents == 900_000 == round_.ceiling_cents
    assert (budget.objection_used_cents, budget.reserve_left_cents) == (300_000, 0)
    assert budget.remaining_cents == 0
    after = objection_cost(decided)
    assert (after.cost_cents, after.reserve_left_cents) == (300_000, 0)
