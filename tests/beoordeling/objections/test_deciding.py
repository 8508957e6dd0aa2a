"""Deciding on a bezwaar: the handler's draft, deciding alone or with four eyes, the
ceiling and the round's reserve for bezwaren. Each test reads back the bezwaar, its
log, the application and the round's money from the database."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from beoordeling.decisions.selectors import round_budget
from beoordeling.decisions.services import decisions as decision_services
from beoordeling.decisions.services.letters import (
    _peek_kenmerk_number,
    decision_issue,
    next_kenmerk,
    store_letter,
)
from beoordeling.models import Decision, DecisionKind, Objection, ObjectionLog
from beoordeling.objections import workflow
from beoordeling.objections.services import ObjectionError
from beoordeling.objections.services.deciding import (
    objection_approve,
    objection_cost,
    objection_decide,
    objection_record_decision,
    objection_send_back,
)
from beoordeling.objections.services.handling import (
    objection_judge_lateness,
    objection_waive_hearing,
)
from beoordeling.objections.workflow import HearingWaiver, ObjectionState, Outcome
from subsidies.models import Application, Round, TransitionLog
from subsidies.workflow import Status
from tests.beoordeling.objections.factories import (
    decided_with_letter,
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
    ranked_profiles,
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
            profile=profile,
            assessed_by=staff,
        )
        for profile in ranked_profiles(3)
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


# --- review fixes: the 7:3 ground, a person, a terugvordering -------------------------


def _waived(waiver, status="afgewezen"):
    objection = objection_in_handling(status=status)
    return objection_waive_hearing(
        objection=objection,
        waiver=waiver,
        motivation="Uit het bezwaarschrift zelf blijkt dit al.",
        actor=objection.handler,
    )


def test_not_heard_as_manifestly_inadmissible_only_decides_inadmissible():
    """Not heard because the bezwaar is kennelijk niet-ontvankelijk (7:3 a): the
    handler cannot decide it ongegrond or gegrond (a Dutch message names the ground);
    niet-ontvankelijk is stored and decided."""
    objection = _waived(HearingWaiver.MANIFESTLY_INADMISSIBLE)
    for outcome, remedy in ((Outcome.UNFOUNDED, None), (Outcome.WELL_FOUNDED, 1)):
        with pytest.raises(
            ObjectionError, match=r"artikel 7:3a Awb.*niet-ontvankelijk"
        ):
            _record(objection, outcome=outcome, remedy_cents=remedy)
    assert _stored(objection).outcome == ""
    _record(objection, outcome=Outcome.NOT_ADMISSIBLE)
    decided = objection_decide(objection=objection, actor=objection.handler)
    assert (decided.state, decided.outcome) == (
        ObjectionState.DECIDED,
        Outcome.NOT_ADMISSIBLE,
    )


def test_not_heard_as_fully_met_only_decides_well_founded():
    """Not heard because the bezwaar is volledig tegemoetgekomen (7:3 e): ongegrond
    and niet-ontvankelijk are refused; gegrond is stored as the draft."""
    objection = _waived(HearingWaiver.FULLY_MET)
    for outcome in (Outcome.UNFOUNDED, Outcome.NOT_ADMISSIBLE):
        with pytest.raises(ObjectionError, match=r"artikel 7:3e Awb.*'gegrond'"):
            _record(objection, outcome=outcome)
    _record(objection, remedy_cents=100_000)
    stored = _stored(objection)
    assert (stored.outcome, stored.remedy_cents) == (Outcome.WELL_FOUNDED, 100_000)


def test_not_heard_as_manifestly_unfounded_allows_every_outcome():
    """Kennelijk ongegrond (7:3 b): ongegrond is the usual outcome, but a gegrond or
    niet-ontvankelijk decision is stored too (it does the objector no harm)."""
    for outcome, remedy in (
        (Outcome.UNFOUNDED, None),
        (Outcome.NOT_ADMISSIBLE, None),
        (Outcome.WELL_FOUNDED, 100_000),
    ):
        objection = _waived(HearingWaiver.MANIFESTLY_UNFOUNDED)
        _record(objection, outcome=outcome, remedy_cents=remedy)
        assert _stored(objection).outcome == outcome


def test_a_waiver_that_does_not_fit_the_outcome_blocks_deciding():
    """A draft that contradicts the 7:3 ground (stored past the service) is not
    complete: the workflow offers neither decide nor propose, and deciding is refused
    without a beslissing op bezwaar."""
    objection = _waived(HearingWaiver.FULLY_MET)
    Objection.objects.filter(pk=objection.pk).update(
        outcome=Outcome.UNFOUNDED, motivation="Het besluit klopt."
    )
    stored = _stored(objection)
    assert not workflow.decision_complete(stored)
    offered = {t.name for t in stored.get_available_state_transitions()}
    assert not offered & {"decide", "propose"}
    with pytest.raises(ObjectionError):
        objection_decide(objection=stored, actor=objection.handler)
    after = _stored(objection)
    assert after.state == ObjectionState.READY
    assert after.decision_on_objection is None


@pytest.mark.parametrize("who", ["none", "anonymous"])
def test_deciding_steps_need_a_person(who):
    """Recording, deciding, approving and sending back refuse the system (actor
    None) and an anonymous visitor with a Dutch message; nothing changes."""
    actor = None if who == "none" else AnonymousUser()
    objection = objection_ready(status="afgewezen")
    with pytest.raises(ObjectionError, match="Alleen een bezwaarbehandelaar"):
        _record(objection, outcome=Outcome.UNFOUNDED, actor=actor)
    _record(objection, outcome=Outcome.UNFOUNDED)
    with pytest.raises(ObjectionError, match="Alleen een bezwaarbehandelaar"):
        objection_decide(objection=objection, actor=actor)
    with pytest.raises(ObjectionError, match="Alleen een bezwaarbehandelaar"):
        objection_approve(objection=objection, actor=actor)
    with pytest.raises(ObjectionError, match="Alleen een bezwaarbehandelaar"):
        objection_send_back(objection=objection, actor=actor, reason="Nee.")
    stored = _stored(objection)
    assert stored.state == ObjectionState.READY
    assert stored.decision_on_objection is None
    assert [row[0] for row in _log(objection)][-1] == "waive_hearing"


def _terugvordering(application, actor):
    """A standalone terugvordering, stored as the letters store a decision."""
    today = timezone.localdate()
    kenmerk = next_kenmerk(year=today.year)
    document = store_letter(
        application=application,
        name=f"terugvordering-{kenmerk}.pdf",
        pdf=b"%PDF-1.4\n%%EOF\n",
        digest="0" * 64,
        actor=actor,
        at=timezone.now(),
    )
    return Decision.objects.create(
        application=application,
        kind=DecisionKind.TERUGVORDERING,
        kenmerk=kenmerk,
        date_sent=today,
        bezwaar_deadline=today + timedelta(days=42),
        amount_cents=0,
        reclaim_cents=50_000,
        sha256="0" * 64,
        document=document,
        created_by=actor,
        created_at=timezone.now(),
    )


def test_well_founded_bezwaar_against_a_terugvordering_alone_is_refused():
    """A gegrond bezwaar against a terugvordering on its own is refused in Dutch
    (the amount follows from the vaststelling or intrekking); ongegrond is fine and
    the application's award and payments stay as they were."""
    application, _verlening = decided_with_letter()
    decision = _terugvordering(application, application.decider)
    against = objection_ready(decision=decision)
    before = Application.objects.get(pk=application.pk)
    with pytest.raises(ObjectionError, match="terugvordering kan hier niet gegrond"):
        _record(against, remedy_cents=0)
    assert _stored(against).outcome == ""
    _record(against, outcome=Outcome.UNFOUNDED)
    decided = objection_decide(objection=against, actor=against.handler)
    assert decided.state == ObjectionState.DECIDED
    after = Application.objects.get(pk=application.pk)
    assert (after.status, after.awarded_cents) == (before.status, before.awarded_cents)
