"""The bezwaar workflow: the state table rebuilt from the FSM, and one log row per step."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from beoordeling.models import Objection, ObjectionLog
from beoordeling.objections import workflow
from beoordeling.objections.services import ObjectionError
from beoordeling.objections.services.handling import (
    objection_assign,
    objection_extend,
    objection_judge_lateness,
    objection_record_hearing,
    objection_schedule_hearing,
    objection_waive_hearing,
    objection_withdraw,
)
from beoordeling.objections.services.lodging import objection_register
from beoordeling.objections.services.transitions import objection_fire
from beoordeling.objections.workflow import (
    LODGE,
    HearingWaiver,
    ObjectionState,
    Outcome,
)
from subsidies.models import Round
from tests.beoordeling.objections.factories import (
    decided_with_letter,
    objection_handler,
    objection_in_handling,
    objection_lodged,
    objection_ready,
)
from tests.factories import decision_maker


def fsm_table():
    """(source, name, target) of every ``@transition``; no target: the state stays."""
    field = Objection._meta.get_field("state")
    table = set()
    for transition in field.get_all_transitions(Objection):
        target = (
            transition.target if transition.target is not None else transition.source
        )
        table.add(
            (
                ObjectionState(transition.source),
                transition.name,
                ObjectionState(target),
            )
        )
    return table


def test_fsm_matches_the_documented_state_table():
    """The ``@transition`` methods of ``Objection`` are exactly ``STATE_TABLE``."""
    assert fsm_table() == set(workflow.STATE_TABLE)


def test_every_transition_has_its_words_and_every_word_a_transition():
    """``TRANSITIONS`` (the log's and the objector's words) names each FSM step, and
    lodging, and nothing else."""
    names = {name for _source, name, _target in fsm_table()}
    assert set(workflow.TRANSITIONS) == names | {LODGE}
    assert LODGE not in names


@pytest.mark.parametrize("state", list(ObjectionState))
def test_every_move_outside_the_table_raises(state):
    """From each state, every step not in the table is refused by django-fsm."""
    objection = Objection(state=state)
    allowed = {name for source, name, _t in workflow.STATE_TABLE if source == state}
    for name in {name for _s, name, _t in workflow.STATE_TABLE} - allowed:
        with pytest.raises(TransitionNotAllowed):
            getattr(objection, name)(at=timezone.now(), due_on=None) if (
                name == "extend"
            ) else getattr(objection, name)(at=timezone.now())


def test_the_state_cannot_be_assigned_directly():
    """The state field is protected: only a transition changes it."""
    objection = Objection(state=ObjectionState.RECEIVED)
    with pytest.raises(AttributeError):
        objection.state = ObjectionState.DECIDED


def _rows(objection):
    return list(ObjectionLog.objects.filter(objection=objection).order_by("pk"))


def _step(objection, do, *, transition, actor, source, target):
    """Run ``do()``; exactly one new log row says who, from where, to where."""
    before = _rows(objection)
    result = do()
    after = _rows(objection)
    assert len(after) == len(before) + 1, transition
    row = after[-1]
    assert (row.transition, row.source, row.target) == (transition, source, target)
    assert row.actor == actor
    assert row.actor_label == actor.email
    stored = Objection.objects.get(pk=objection.pk)
    assert stored.state == target
    return result


@pytest.mark.django_db
def test_each_step_of_a_late_bezwaar_writes_one_log_row():
    """Register (late), assign, judge the lateness, defer, plan and report the hearing,
    propose, send back, propose again and approve: each is one row in the log."""
    application, decision = decided_with_letter()
    # The round's four-eyes line is lowered after the award: the remedy is above it.
    Round.objects.filter(pk=application.round_id).update(
        four_eyes_threshold_cents=100_000
    )
    handler = objection_handler()
    at = timezone.now() + timedelta(days=70)  # the bezwaarschrift came in late
    objection = objection_register(
        decision=decision,
        objector_name="Stichting Buurtkracht",
        reasons="Het bedrag is te laag.",
        received_on=timezone.localdate(at),
        actor=handler,
        at=at,
    )
    (lodged,) = _rows(objection)
    assert (lodged.transition, lodged.source, lodged.target) == (
        LODGE,
        "",
        ObjectionState.RECEIVED,
    )
    assert lodged.actor == handler
    assert objection.is_late

    received, in_handling = ObjectionState.RECEIVED, ObjectionState.IN_HANDLING
    _step(
        objection,
        lambda: objection_assign(objection=objection, handler=handler, actor=handler),
        transition="assign",
        actor=handler,
        source=received,
        target=in_handling,
    )
    _step(
        objection,
        lambda: objection_judge_lateness(
            objection=Objection.objects.get(pk=objection.pk),
            excusable=True,
            motivation="De indiener lag in het ziekenhuis.",
            actor=handler,
        ),
        transition="judge_lateness",
        actor=handler,
        source=in_handling,
        target=in_handling,
    )
    _step(
        objection,
        lambda: objection_extend(
            objection=objection,
            reason="Wij wachten op advies.",
            actor=handler,
            at=at,
        ),
        transition="extend",
        actor=handler,
        source=in_handling,
        target=in_handling,
    )
    hearing_at = at + timedelta(days=10)
    _step(
        objection,
        lambda: objection_schedule_hearing(
            objection=objection,
            hearing_at=hearing_at,
            place="Stadskantoor, Stadsplateau 1",
            actor=handler,
            at=at,
        ),
        transition="schedule_hearing",
        actor=handler,
        source=in_handling,
        target=ObjectionState.HEARING_SCHEDULED,
    )
    _step(
        objection,
        lambda: objection_record_hearing(
            objection=Objection.objects.get(pk=objection.pk),
            report="De indiener lichtte zijn bezwaar toe.",
            actor=handler,
            at=hearing_at + timedelta(hours=2),
        ),
        transition="record_hearing",
        actor=handler,
        source=ObjectionState.HEARING_SCHEDULED,
        target=ObjectionState.READY,
    )

    def complete(row):
        row.outcome = Outcome.WELL_FOUNDED
        row.motivation = "De score was te laag."
        row.remedy_cents = 250_000

    def propose():
        return objection_fire(
            objection=objection,
            transition="propose",
            actor=handler,
            prepare=complete,
        )

    _step(
        objection,
        propose,
        transition="propose",
        actor=handler,
        source=ObjectionState.READY,
        target=ObjectionState.AWAITING_APPROVAL,
    )
    approver = decision_maker()
    _step(
        objection,
        lambda: objection_fire(
            objection=objection,
            transition="send_back",
            actor=approver,
            reason="Motiveer het bedrag.",
        ),
        transition="send_back",
        actor=approver,
        source=ObjectionState.AWAITING_APPROVAL,
        target=ObjectionState.READY,
    )
    _step(
        objection,
        propose,
        transition="propose",
        actor=handler,
        source=ObjectionState.READY,
        target=ObjectionState.AWAITING_APPROVAL,
    )

    def approve_by(row):
        row.approved_by = approver

    _step(
        objection,
        lambda: objection_fire(
            objection=objection,
            transition="approve",
            actor=approver,
            prepare=approve_by,
        ),
        transition="approve",
        actor=approver,
        source=ObjectionState.AWAITING_APPROVAL,
        target=ObjectionState.DECIDED,
    )
    assert [row.transition for row in _rows(objection)] == [
        LODGE,
        "assign",
        "judge_lateness",
        "extend",
        "schedule_hearing",
        "record_hearing",
        "propose",
        "send_back",
        "propose",
        "approve",
    ]


@pytest.mark.django_db
def test_decide_waive_and_withdraw_write_one_log_row_each():
    """A small bezwaar decided alone, and another withdrawn by its objector."""
    objection = objection_in_handling()
    handler = objection.handler
    _step(
        objection,
        lambda: objection_waive_hearing(
            objection=objection,
            waiver=HearingWaiver.MANIFESTLY_UNFOUNDED,
            motivation="De gronden gaan niet over het besluit.",
            actor=handler,
        ),
        transition="waive_hearing",
        actor=handler,
        source=ObjectionState.IN_HANDLING,
        target=ObjectionState.READY,
    )

    def complete(row):
        row.outcome = Outcome.UNFOUNDED
        row.motivation = "Het besluit blijft staan."

    _step(
        objection,
        lambda: objection_fire(
            objection=objection, transition="decide", actor=handler, prepare=complete
        ),
        transition="decide",
        actor=handler,
        source=ObjectionState.READY,
        target=ObjectionState.DECIDED,
    )

    other = objection_lodged()
    user = other.application.applicant_user
    _step(
        other,
        lambda: objection_withdraw(objection=other, user=user, reason="Opgelost."),
        transition="withdraw",
        actor=user,
        source=ObjectionState.RECEIVED,
        target=ObjectionState.WITHDRAWN,
    )


@pytest.mark.django_db
def test_a_refused_step_writes_no_log_row_and_changes_nothing():
    """A guard that is not met (deciding an incomplete bezwaar) leaves no trace."""
    objection = objection_in_handling()
    before = _rows(objection)
    with pytest.raises(ObjectionError):
        objection_fire(
            objection=objection, transition="decide", actor=objection.handler
        )
    assert _rows(objection) == before
    assert Objection.objects.get(pk=objection.pk).state == ObjectionState.IN_HANDLING


@pytest.mark.django_db
def test_a_hearing_can_still_be_planned_after_deciding_not_to_hear():
    """Not heard on a ground of 7:3, and then the decision needs a hearing after all
    (the ground no longer fits): the handler plans one from 'klaar voor de beslissing',
    with its invitation, and records it; the bezwaar is never stuck."""
    objection = objection_ready()
    assert objection.state == ObjectionState.READY
    now = timezone.now()
    planned = objection_schedule_hearing(
        objection=objection,
        hearing_at=now + timedelta(days=14),
        place="Stadskantoor, Stadsplateau 1",
        actor=objection.handler,
        at=now,
    )
    stored = Objection.objects.get(pk=planned.pk)
    assert stored.state == ObjectionState.HEARING_SCHEDULED
    assert stored.hearing_invitation is not None
    assert (
        list(
            ObjectionLog.objects.filter(objection=stored).values_list(
                "transition", flat=True
            )
        )[-1]
        == "schedule_hearing"
    )
