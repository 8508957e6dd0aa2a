"""Handling a bezwaar: who may handle it (7:5), lateness (6:11), the hearing (7:2,
7:3), the one deferral (7:10), classifying, withdrawal, and the work list.

Each test reads back the stored bezwaar and its log; the letters as documents and
mails.
"""

from datetime import datetime, time, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.urls import reverse
from django.utils import timezone

from accounts.roles import OBJECTION_HANDLER
from beoordeling.models import Objection, ObjectionLog
from beoordeling.objections import terms
from beoordeling.objections.selectors import (
    objection_deadline_state,
    objection_queue,
)
from beoordeling.objections.services import ObjectionError
from beoordeling.objections.services.handling import (
    objection_assign,
    objection_classify,
    objection_extend,
    objection_judge_lateness,
    objection_record_hearing,
    objection_schedule_hearing,
    objection_waive_hearing,
    objection_withdraw,
)
from beoordeling.objections.services.lodging import objection_register
from beoordeling.objections.workflow import Ground, HearingWaiver, ObjectionState
from subsidies.models import Document, OutgoingMail
from tests.beoordeling.objections.factories import (
    decided_with_letter,
    objection_handler,
    objection_in_handling,
    objection_lodged,
    objection_ready,
)
from tests.factories import ApplicantFactory, UserFactory, assessor, decision_maker

pytestmark = pytest.mark.django_db

CONFLICT = "was betrokken bij de aanvraag"


def _log(objection):
    return list(
        ObjectionLog.objects.filter(objection=objection)
        .order_by("pk")
        .values_list("transition", flat=True)
    )


def _fresh(objection):
    return Objection.objects.get(pk=objection.pk)


def _make_handler(user):
    user.groups.add(Group.objects.get(name=OBJECTION_HANDLER))
    return type(user).objects.get(pk=user.pk)  # drop the cached permissions


# --- Awb 7:5: who may handle -----------------------------------------------------------


@pytest.mark.parametrize("status", ["toegekend", "afgewezen"])
def test_the_assessor_of_the_application_may_not_handle_its_bezwaar(status):
    """Someone who assessed the application, even with the handler role, is refused
    with the 7:5 message; the bezwaar stays received, nothing is logged."""
    person = assessor()
    application, decision = decided_with_letter(status=status, assessed_by=person)
    objection = objection_lodged(decision=decision)
    person = _make_handler(person)
    coordinator = objection_handler()
    with pytest.raises(ObjectionError) as refused:
        objection_assign(objection=objection, handler=person, actor=coordinator)
    assert CONFLICT in str(refused.value)
    assert "artikel 7:5 Awb" in str(refused.value)
    stored = _fresh(objection)
    assert (stored.state, stored.handler) == (ObjectionState.RECEIVED, None)
    assert _log(stored) == ["lodge"]


@pytest.mark.parametrize("status", ["toegekend", "afgewezen"])
def test_the_decision_maker_who_decided_may_not_handle_its_bezwaar(status):
    """The decision maker who awarded or rejected the application is involved too."""
    objection = objection_lodged(status=status)
    decider = _make_handler(objection.decider)
    with pytest.raises(ObjectionError) as refused:
        objection_assign(objection=objection, handler=decider, actor=decider)
    assert CONFLICT in str(refused.value)
    assert _fresh(objection).handler is None
    assert _log(objection) == ["lodge"]


def test_an_uninvolved_handler_takes_the_bezwaar():
    """A Bezwaarbehandelaar who took no part: in handling, named in the log."""
    objection = objection_lodged()
    handler = objection_handler(first_name="Sanne", last_name="de Wit")
    coordinator = objection_handler()
    assigned = objection_assign(objection=objection, handler=handler, actor=coordinator)
    stored = _fresh(assigned)
    assert stored.state == ObjectionState.IN_HANDLING
    assert stored.handler == handler
    row = ObjectionLog.objects.filter(objection=stored).last()
    assert (row.transition, row.actor) == ("assign", coordinator)
    assert "Sanne de Wit" in row.reason


def test_only_a_bezwaarbehandelaar_assigns_or_is_assigned():
    """An assessor cannot be the handler, nor hand out the bezwaar."""
    objection = objection_lodged()
    with pytest.raises(ObjectionError) as refused:
        objection_assign(objection=objection, handler=assessor(), actor=assessor())
    assert "Bezwaarbehandelaar" in str(refused.value)
    with pytest.raises(ObjectionError):
        objection_assign(
            objection=objection, handler=objection_handler(), actor=assessor()
        )
    assert _fresh(objection).state == ObjectionState.RECEIVED
    assert _log(objection) == ["lodge"]


# --- Awb 7:10: the one deferral ----------------------------------------------------------


def test_the_decision_is_deferred_once_by_six_weeks_with_a_letter():
    """The new last day is six weeks later (with the Atw), the reason and the day are
    stored, the verdagingsbrief is a letter document and a mail; a second deferral
    is refused and changes nothing."""
    objection = objection_in_handling()
    old_due = _fresh(objection).decision_due_on
    extended = objection_extend(
        objection=objection,
        reason="Wij vragen eerst advies aan de wijkcommissie.",
        actor=objection.handler,
    )
    stored = _fresh(extended)
    assert stored.decision_due_on == terms.extended_due(old_due)
    assert stored.decision_due_on >= old_due + timedelta(weeks=6)
    assert terms.is_working_day(stored.decision_due_on)
    assert stored.extended_on == timezone.localdate()
    assert stored.extension_reason == "Wij vragen eerst advies aan de wijkcommissie."
    assert stored.extension_letter.kind == Document.Kind.LETTER
    assert stored.state == ObjectionState.IN_HANDLING
    assert OutgoingMail.objects.filter(reference=stored.reference).count() == 2
    assert _log(stored) == ["lodge", "assign", "extend"]

    with pytest.raises(ObjectionError) as refused:
        objection_extend(objection=stored, reason="Nog later.", actor=stored.handler)
    assert "al een keer verdaagd" in str(refused.value)
    again = _fresh(stored)
    assert again.decision_due_on == stored.decision_due_on
    assert again.extension_letter_id == stored.extension_letter_id
    assert _log(again) == ["lodge", "assign", "extend"]


def test_a_deferral_needs_a_reason_the_handler_and_a_running_term():
    """No reason, someone else, or after the last day: refused, nothing stored."""
    objection = objection_in_handling()
    with pytest.raises(ObjectionError):
        objection_extend(objection=objection, reason=" ", actor=objection.handler)
    for someone_else in (objection_handler(), None):
        with pytest.raises(ObjectionError):
            objection_extend(objection=objection, reason="Advies.", actor=someone_else)
    due = _fresh(objection).decision_due_on
    after = timezone.make_aware(datetime.combine(due + timedelta(days=1), time(9)))
    with pytest.raises(ObjectionError) as refused:
        objection_extend(
            objection=objection, reason="Advies.", actor=objection.handler, at=after
        )
    assert "voorbij" in str(refused.value)
    stored = _fresh(objection)
    assert (stored.extended_on, stored.extension_letter) == (None, None)
    assert _log(stored) == ["lodge", "assign"]


# --- Awb 6:11: lateness -------------------------------------------------------------------


def test_lateness_is_judged_only_for_a_late_bezwaar():
    """On time: there is nothing to judge. Late: excusable or not, with motivation,
    stored and logged; the state stays."""
    on_time = objection_in_handling()
    with pytest.raises(ObjectionError) as refused:
        objection_judge_lateness(
            objection=on_time,
            excusable=True,
            motivation="Ziek.",
            actor=on_time.handler,
        )
    assert "op tijd" in str(refused.value)
    assert _fresh(on_time).excusable is None

    application, decision = decided_with_letter()
    late_day = terms.objection_term_end(decision.date_sent) + timedelta(days=10)
    at = timezone.make_aware(datetime.combine(late_day, time(10)))
    handler = objection_handler()
    late = objection_register(
        decision=decision,
        objector_name="Stichting Buurtkracht",
        reasons="Het bedrag is te laag.",
        received_on=late_day,
        actor=handler,
        at=at,
    )
    late = objection_assign(objection=late, handler=handler, actor=handler, at=at)
    with pytest.raises(ObjectionError):
        objection_judge_lateness(
            objection=late, excusable=False, motivation="  ", actor=handler
        )
    judged = objection_judge_lateness(
        objection=late,
        excusable=False,
        motivation="Geen reden gegeven voor de vertraging.",
        actor=handler,
        at=at,
    )
    stored = _fresh(judged)
    assert stored.is_late is True
    assert stored.excusable is False
    assert stored.excusability_motivation == "Geen reden gegeven voor de vertraging."
    assert stored.state == ObjectionState.IN_HANDLING
    row = ObjectionLog.objects.filter(objection=stored).last()
    assert (row.transition, row.reason) == (
        "judge_lateness",
        "Geen reden gegeven voor de vertraging.",
    )


# --- Awb 7:2, 7:3: the hearing ----------------------------------------------------------


def test_a_hearing_is_planned_in_the_future_and_the_invitation_goes_out():
    """A hearing in the past or without a place is refused; a planned one is stored
    with its invitation letter and mail."""
    objection = objection_in_handling()
    handler = objection.handler
    now = timezone.now()
    for hearing_at, place in ((now - timedelta(hours=1), "Stadskantoor"), (now, "")):
        with pytest.raises(ObjectionError):
            objection_schedule_hearing(
                objection=objection,
                hearing_at=hearing_at,
                place=place,
                actor=handler,
                at=now,
            )
    assert _fresh(objection).hearing_at is None
    hearing_at = now + timedelta(days=14)
    planned = objection_schedule_hearing(
        objection=objection,
        hearing_at=hearing_at,
        place="Stadskantoor, Stadsplateau 1",
        actor=handler,
        at=now,
    )
    stored = _fresh(planned)
    assert stored.state == ObjectionState.HEARING_SCHEDULED
    assert stored.hearing_at == hearing_at
    assert stored.hearing_place == "Stadskantoor, Stadsplateau 1"
    assert stored.hearing_invitation.kind == Document.Kind.LETTER
    assert OutgoingMail.objects.filter(reference=stored.reference).count() == 2
    assert _log(stored) == ["lodge", "assign", "schedule_hearing"]


def test_the_hearing_report_is_recorded_after_the_hearing():
    """Before the hearing, or without a report: refused. After it: ready."""
    objection = objection_in_handling()
    handler = objection.handler
    now = timezone.now()
    hearing_at = now + timedelta(days=7)
    objection_schedule_hearing(
        objection=objection,
        hearing_at=hearing_at,
        place="Stadskantoor",
        actor=handler,
        at=now,
    )
    with pytest.raises(ObjectionError) as refused:
        objection_record_hearing(
            objection=_fresh(objection), report="Verslag.", actor=handler, at=now
        )
    assert "nog niet geweest" in str(refused.value)
    later = hearing_at + timedelta(hours=3)
    with pytest.raises(ObjectionError):
        objection_record_hearing(
            objection=_fresh(objection), report=" ", actor=handler, at=later
        )
    recorded = objection_record_hearing(
        objection=_fresh(objection),
        report="De indiener lichtte toe dat veel buren meedoen.",
        actor=handler,
        at=later,
    )
    stored = _fresh(recorded)
    assert stored.state == ObjectionState.READY
    assert stored.hearing_report == "De indiener lichtte toe dat veel buren meedoen."
    assert _log(stored)[-1] == "record_hearing"


def test_not_hearing_needs_a_ground_of_7_3_and_its_motivation():
    """Without a valid ground or motivation refused; with them ready for the
    decision, also after a hearing was planned."""
    objection = objection_in_handling()
    handler = objection.handler
    for waiver, motivation in (("7:3z", "Reden."), (HearingWaiver.FULLY_MET, " ")):
        with pytest.raises(ObjectionError):
            objection_waive_hearing(
                objection=objection,
                waiver=waiver,
                motivation=motivation,
                actor=handler,
            )
    assert _fresh(objection).state == ObjectionState.IN_HANDLING
    objection_schedule_hearing(
        objection=objection,
        hearing_at=timezone.now() + timedelta(days=7),
        place="Stadskantoor",
        actor=handler,
    )
    waived = objection_waive_hearing(
        objection=objection,
        waiver=HearingWaiver.OBJECTOR_DECLINED,
        motivation="De indiener belde af en wil niet gehoord worden.",
        actor=handler,
    )
    stored = _fresh(waived)
    assert stored.state == ObjectionState.READY
    assert stored.hearing_waiver == HearingWaiver.OBJECTOR_DECLINED
    assert stored.hearing_waiver_motivation.startswith("De indiener belde af")
    assert _log(stored) == ["lodge", "assign", "schedule_hearing", "waive_hearing"]


def test_a_hearing_step_before_a_handler_is_refused():
    """A received bezwaar has no handler yet: no hearing, no deferral."""
    objection = objection_lodged()
    handler = objection_handler()
    with pytest.raises(ObjectionError):
        objection_schedule_hearing(
            objection=objection,
            hearing_at=timezone.now() + timedelta(days=7),
            place="Stadskantoor",
            actor=handler,
        )
    with pytest.raises(ObjectionError):
        objection_extend(objection=objection, reason="Advies.", actor=handler)
    stored = _fresh(objection)
    assert (stored.state, stored.hearing_at, stored.hearing_invitation) == (
        ObjectionState.RECEIVED,
        None,
        None,
    )
    assert _log(stored) == ["lodge"]


# --- classifying --------------------------------------------------------------------------


def test_classifying_with_a_committee_gives_twelve_weeks_until_deferred():
    """The ground and committee are stored; the due date follows the committee while
    the decision was not deferred, and stays after a deferral."""
    objection = objection_in_handling()
    handler = objection.handler
    with pytest.raises(ObjectionError):
        objection_classify(
            objection=objection, ground="onzin", committee=True, actor=handler
        )
    classified = objection_classify(
        objection=objection, ground=Ground.ASSESSMENT, committee=True, actor=handler
    )
    stored = _fresh(classified)
    assert (stored.ground, stored.committee) == (Ground.ASSESSMENT, True)
    assert stored.decision_due_on == terms.decision_due(
        date_sent=stored.decision.date_sent,
        received_on=stored.received_on,
        committee=True,
    )
    # Not a step of the workflow, but in the log with the state unchanged.
    assert _log(stored) == ["lodge", "assign", "classify"]
    row = ObjectionLog.objects.filter(objection=stored).last()
    assert (row.source, row.target, row.actor) == (
        ObjectionState.IN_HANDLING,
        ObjectionState.IN_HANDLING,
        handler,
    )
    assert row.reason == "Onderwerp: Beoordeling of score. Adviescommissie: ja."
    extended = objection_extend(objection=stored, reason="Advies.", actor=handler)
    due = _fresh(extended).decision_due_on
    objection_classify(
        objection=extended, ground=Ground.AMOUNT, committee=False, actor=handler
    )
    again = _fresh(extended)
    assert (again.ground, again.committee, again.decision_due_on) == (
        Ground.AMOUNT,
        False,
        due,
    )
    with pytest.raises(ObjectionError):
        objection_classify(
            objection=again,
            ground=Ground.OTHER,
            committee=False,
            actor=objection_handler(),
        )


# --- withdrawal -----------------------------------------------------------------------------


def test_the_objector_withdraws_the_bezwaar():
    """Withdrawn with the moment and the reason; a withdrawn bezwaar is not open."""
    objection = objection_ready()
    user = objection.application.applicant_user
    withdrawn = objection_withdraw(
        objection=objection, user=user, reason="We kregen uitleg en zijn tevreden."
    )
    stored = _fresh(withdrawn)
    assert stored.state == ObjectionState.WITHDRAWN
    assert stored.withdrawn_at is not None
    assert stored.withdrawal_reason == "We kregen uitleg en zijn tevreden."
    assert not stored.is_open
    row = ObjectionLog.objects.filter(objection=stored).last()
    assert (row.transition, row.actor, row.source) == (
        "withdraw",
        user,
        ObjectionState.READY,
    )
    with pytest.raises(ObjectionError):
        objection_withdraw(objection=stored, user=user)
    assert _log(stored).count("withdraw") == 1


def test_another_applicant_cannot_withdraw_but_a_handler_can():
    """A stranger is refused; a handler records a withdrawal by letter."""
    objection = objection_lodged()
    stranger = UserFactory(role="Aanvrager")
    ApplicantFactory(members=[stranger])
    for nobody in (stranger, None, AnonymousUser()):
        with pytest.raises(ObjectionError):
            objection_withdraw(objection=objection, user=nobody)
    assert _fresh(objection).state == ObjectionState.RECEIVED
    handler = objection_handler()
    objection_withdraw(objection=objection, user=handler, reason="Brief van 3 mei.")
    stored = _fresh(objection)
    assert stored.state == ObjectionState.WITHDRAWN
    assert ObjectionLog.objects.filter(objection=stored).last().actor == handler


# --- the work list ------------------------------------------------------------------------


def test_the_queue_shows_open_bezwaren_to_staff_who_may_see_them():
    """Handlers and decision makers see the open ones, first due first; ``mine``
    only one's own; an assessor sees none; withdrawn ones leave the list."""
    first = objection_in_handling()
    second = objection_lodged()
    handler = first.handler
    assert set(objection_queue(handler)) == {_fresh(first), _fresh(second)}
    assert list(objection_queue(handler, mine=True)) == [_fresh(first)]
    assert list(objection_queue(handler, state=ObjectionState.RECEIVED)) == [
        _fresh(second)
    ]
    assert set(objection_queue(decision_maker())) == {_fresh(first), _fresh(second)}
    assert list(objection_queue(assessor())) == []
    objection_withdraw(objection=second, user=handler)
    assert list(objection_queue(handler)) == [_fresh(first)]
    assert list(objection_queue(handler, state=ObjectionState.WITHDRAWN)) == [
        _fresh(second)
    ]


def test_the_deadline_state_warns_a_week_ahead():
    """Overdue after the last day, due soon within seven days, otherwise ok; none
    once withdrawn."""
    objection = _fresh(objection_lodged())
    due = objection.decision_due_on
    assert objection_deadline_state(objection, due - timedelta(days=8)) == "ok"
    assert objection_deadline_state(objection, due - timedelta(days=7)) == "due_soon"
    assert objection_deadline_state(objection, due) == "due_soon"
    assert objection_deadline_state(objection, due + timedelta(days=1)) == "overdue"
    objection_withdraw(objection=objection, user=objection_handler())
    assert objection_deadline_state(_fresh(objection), due + timedelta(days=1)) is None


def test_only_the_own_handler_records_a_withdrawal_once_one_is_assigned():
    """A withdrawal by letter or phone is recorded by the bezwaar's own handler; a
    colleague who does not handle it may not (any handler may while none is assigned)."""
    objection = objection_in_handling()
    colleague = objection_handler()
    with pytest.raises(ObjectionError):
        objection_withdraw(objection=objection, user=colleague, reason="Per telefoon")
    stored = objection_withdraw(
        objection=objection, user=objection.handler, reason="Per telefoon"
    )
    assert stored.state == ObjectionState.WITHDRAWN


def test_a_committee_cannot_make_an_overdue_bezwaar_on_time_again():
    """Once the date the decision was due has passed, calling in an advisory committee
    is refused in Dutch: the due date, the committee and the log stay as they were.
    Classifying the ground without a committee still works then."""
    objection = objection_in_handling()
    handler = objection.handler
    due = objection.decision_due_on
    late = timezone.make_aware(datetime.combine(due + timedelta(days=1), time(12)))
    before = _log(objection)
    with pytest.raises(ObjectionError) as refused:
        objection_classify(
            objection=objection,
            ground=Ground.ASSESSMENT,
            committee=True,
            actor=handler,
            at=late,
        )
    assert "beslistermijn is al voorbij" in str(refused.value)
    stored = _fresh(objection)
    assert (stored.committee, stored.decision_due_on, stored.ground) == (
        False,
        due,
        "",
    )
    assert _log(stored) == before
    assert objection_deadline_state(stored, due + timedelta(days=1)) == "overdue"

    objection_classify(
        objection=stored,
        ground=Ground.PROCEDURE,
        committee=False,
        actor=handler,
        at=late,
    )
    again = _fresh(objection)
    assert (again.ground, again.committee, again.decision_due_on) == (
        Ground.PROCEDURE,
        False,
        due,
    )
    assert _log(again) == [*before, "classify"]


def test_the_staff_log_names_a_classification_in_dutch(client):
    """The bezwaar's page in the admin lists the classification in its log as
    'bezwaar indelen' with the ground and the committee, by the handler."""
    objection = objection_in_handling()
    handler = objection.handler
    objection_classify(
        objection=objection, ground=Ground.AMOUNT, committee=False, actor=handler
    )
    client.force_login(handler)
    page = client.get(reverse("bezwaren:detail", args=[objection.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<td>Bezwaar indelen</td>" in html  # capfirst of the log word
    assert "Onderwerp: Hoogte van het bedrag. Adviescommissie: nee." in html
