"""Lodging a bezwaar: online by the applicant, on paper by a handler (Awb 6:4-6:14).

Each test reads back the stored bezwaar, its first log row, its attachments and its
ontvangstbevestiging (the letter and the mail).
"""

import threading
from datetime import date, datetime, time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from beoordeling.decisions.services.letters import next_kenmerk, store_letter
from beoordeling.models import Decision, DecisionKind, Objection, ObjectionLog
from beoordeling.objections import terms
from beoordeling.objections.selectors import (
    objectable_decisions,
    objection_attachments,
    objections_for_user,
    open_objection_for,
)
from beoordeling.objections.services import ObjectionError
from beoordeling.objections.services.deciding import (
    objection_decide,
    objection_record_decision,
)
from beoordeling.objections.services.handling import objection_withdraw
from beoordeling.objections.services.lodging import (
    objection_lodge,
    objection_register,
)
from beoordeling.objections.workflow import LODGE, Channel, ObjectionState, Outcome
from subsidies.models import Document, OutgoingMail
from subsidies.selectors.access import document_usage
from tests.beoordeling.objections.factories import (
    REASONS,
    decided_with_letter,
    objection_handler,
    objection_lodged,
    objection_ready,
)
from tests.factories import ApplicantFactory, UserFactory, assessor

pytestmark = pytest.mark.django_db


def _moment(day):
    """Noon on ``day``, in the portal's time zone."""
    return timezone.make_aware(datetime.combine(day, time(12)))


def _pdf(name="toelichting.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n")


def _log(objection):
    return list(ObjectionLog.objects.filter(objection=objection).order_by("pk"))


def _next_saturday(after):
    day = after + timedelta(days=1)
    while day.weekday() != 5:
        day += timedelta(days=1)
    return day


def test_an_applicant_lodges_a_bezwaar_online_with_an_attachment():
    """The bezwaar is stored with its kenmerk, term and due date, the attachment as a
    document of kind bezwaar, one log row 'bezwaar indienen', and the
    ontvangstbevestiging as a letter and a mail with the kenmerk."""
    application, decision = decided_with_letter()
    user = application.applicant_user
    objection = objection_lodge(
        decision=decision,
        objector_name="Stichting Buurtkracht",
        reasons="  " + REASONS + "  ",
        files=[_pdf()],
        user=user,
    )
    stored = Objection.objects.get(pk=objection.pk)
    today = timezone.localdate()
    assert stored.reference == f"BZ{today.year}-000001"
    assert stored.state == ObjectionState.RECEIVED
    assert stored.channel == Channel.ONLINE
    assert stored.application_id == application.pk
    assert stored.decision_id == decision.pk
    assert stored.objector_name == "Stichting Buurtkracht"
    assert stored.reasons == REASONS
    assert stored.received_on == today
    assert stored.posted_on is None
    assert stored.lodged_by == user
    assert stored.term_end == terms.objection_term_end(decision.date_sent)
    assert stored.is_late is False
    assert stored.decision_due_on == terms.decision_due(
        date_sent=decision.date_sent, received_on=today
    )
    (row,) = _log(stored)
    assert (row.transition, row.source, row.target, row.actor) == (
        LODGE,
        "",
        ObjectionState.RECEIVED,
        user,
    )
    (attachment,) = objection_attachments(stored)
    assert attachment.kind == Document.Kind.OBJECTION
    assert attachment.original_name == "toelichting.pdf"
    assert attachment.uploaded_by == user
    with attachment.file.open("rb") as handle:
        assert handle.read().startswith(b"%PDF-1.4")
    assert stored.acknowledgement is not None
    assert stored.acknowledgement.kind == Document.Kind.LETTER
    mail = OutgoingMail.objects.get(reference=stored.reference)
    assert stored.reference in mail.subject
    assert decision.kenmerk in mail.body
    assert list(objections_for_user(user)) == [stored]
    assert open_objection_for(decision) == stored
    assert objectable_decisions(application) == []


def test_a_handler_registers_a_bezwaarschrift_that_came_by_post():
    """Paper: the day of receipt and the postmark are stored, the handler is who
    registered it, and the log names the handler."""
    application, decision = decided_with_letter()
    handler = objection_handler()
    today = timezone.localdate()
    objection = objection_register(
        decision=decision,
        objector_name="Mevrouw A. Bakker",
        reasons="Ik ben het niet eens met de afwijzing.",
        received_on=today,
        posted_on=today - timedelta(days=1),
        actor=handler,
    )
    stored = Objection.objects.get(pk=objection.pk)
    assert stored.channel == Channel.PAPER
    assert stored.received_on == today
    assert stored.posted_on == today - timedelta(days=1)
    assert stored.lodged_by == handler
    assert stored.is_late is False
    (row,) = _log(stored)
    assert (row.transition, row.actor, row.actor_label) == (
        LODGE,
        handler,
        handler.email,
    )
    assert stored.acknowledgement is not None
    assert list(objections_for_user(application.applicant_user)) == [stored]


def test_received_after_the_term_extended_by_the_atw_is_flagged_late_not_refused():
    """Sent on a Saturday, six weeks later is a Saturday: the term runs on to the
    Monday. Received that Monday is on time; received the Tuesday is late, and still
    registered (Awb 6:11: the handler judges whether that is excusable)."""
    sent = _next_saturday(timezone.localdate())
    application, decision = decided_with_letter(date_sent=sent)
    end = terms.objection_term_end(sent)
    assert end > sent + timedelta(days=42)
    assert end.weekday() == 0
    handler = objection_handler()

    on_time = objection_register(
        decision=decision,
        objector_name="Stichting Buurtkracht",
        reasons="Het bedrag is te laag.",
        received_on=end,
        actor=handler,
        at=_moment(end),
    )
    assert Objection.objects.get(pk=on_time.pk).is_late is False
    objection_withdraw(objection=on_time, user=handler, reason="Per brief ingetrokken.")

    late_day = end + timedelta(days=1)
    late = objection_register(
        decision=decision,
        objector_name="Stichting Buurtkracht",
        reasons="Het bedrag is te laag.",
        received_on=late_day,
        actor=handler,
        at=_moment(late_day),
    )
    stored = Objection.objects.get(pk=late.pk)
    assert stored.is_late is True
    assert stored.term_end == end
    assert stored.state == ObjectionState.RECEIVED
    # Late: the six weeks for the decision count from the day it came in.
    assert stored.decision_due_on == terms.atw_end(late_day + timedelta(weeks=6))
    mail = OutgoingMail.objects.get(reference=stored.reference)
    assert "na het einde van de termijn" in mail.body


def test_a_letter_posted_on_the_last_day_may_arrive_within_a_week():
    """Awb 6:9: posted on the last day and received five days later is on time;
    received nine days later it is late."""
    application, decision = decided_with_letter()
    end = terms.objection_term_end(decision.date_sent)
    handler = objection_handler()
    in_grace = end + timedelta(days=5)
    first = objection_register(
        decision=decision,
        objector_name="Stichting Buurtkracht",
        reasons="Het bedrag is te laag.",
        received_on=in_grace,
        posted_on=end,
        actor=handler,
        at=_moment(in_grace),
    )
    stored = Objection.objects.get(pk=first.pk)
    assert stored.is_late is False
    # On time, so the six weeks to decide count from the end of the term (7:10).
    assert stored.decision_due_on == terms.decision_due(
        date_sent=decision.date_sent, received_on=end
    )
    objection_withdraw(objection=first, user=handler)

    too_late = end + timedelta(days=9)
    second = objection_register(
        decision=decision,
        objector_name="Stichting Buurtkracht",
        reasons="Het bedrag is te laag.",
        received_on=too_late,
        posted_on=end,
        actor=handler,
        at=_moment(too_late),
    )
    stored = Objection.objects.get(pk=second.pk)
    assert stored.is_late is True
    assert stored.posted_on == end


def test_a_second_open_bezwaar_against_the_same_decision_is_refused():
    """While one bezwaar is open, another against the same besluit is refused with
    the kenmerk of the open one; after a withdrawal a new one is possible."""
    first = objection_lodged()
    user = first.application.applicant_user
    with pytest.raises(ObjectionError) as refused:
        objection_lodge(
            decision=first.decision,
            objector_name="Stichting Buurtkracht",
            reasons="Nog een keer.",
            user=user,
        )
    assert first.reference in str(refused.value)
    assert Objection.objects.filter(decision=first.decision).count() == 1
    assert ObjectionLog.objects.count() == 1

    objection_withdraw(objection=first, user=user, reason="Toch niet.")
    second = objection_lodge(
        decision=first.decision,
        objector_name="Stichting Buurtkracht",
        reasons="Toch wel.",
        user=user,
    )
    assert second.reference != first.reference
    assert open_objection_for(first.decision) == second


def _beslissing_op_bezwaar(application, actor):
    """A beslissing op bezwaar on ``application``, stored as the letters store one."""
    today = timezone.localdate()
    kenmerk = next_kenmerk(year=today.year)
    pdf = b"%PDF-1.4\n%%EOF\n"
    document = store_letter(
        application=application,
        name=f"beslissing-op-bezwaar-{kenmerk}.pdf",
        pdf=pdf,
        digest="0" * 64,
        actor=actor,
        at=timezone.now(),
    )
    return Decision.objects.create(
        application=application,
        kind=DecisionKind.BESLISSING_OP_BEZWAAR,
        kenmerk=kenmerk,
        date_sent=today,
        bezwaar_deadline=today + timedelta(days=42),
        amount_cents=0,
        sha256="0" * 64,
        document=document,
        created_by=actor,
        created_at=timezone.now(),
    )


def test_no_bezwaar_against_a_beslissing_op_bezwaar():
    """Against a beslissing op bezwaar only beroep is possible: the applicant is told
    so, and it is not offered as a decision to object to."""
    application, decision = decided_with_letter()
    beslissing = _beslissing_op_bezwaar(application, application.decider)
    for lodge in (
        lambda: objection_lodge(
            decision=beslissing,
            objector_name="Stichting Buurtkracht",
            reasons="Weer niet eens.",
            user=application.applicant_user,
        ),
        lambda: objection_register(
            decision=beslissing,
            objector_name="Stichting Buurtkracht",
            reasons="Weer niet eens.",
            received_on=timezone.localdate(),
            actor=objection_handler(),
        ),
    ):
        with pytest.raises(ObjectionError) as refused:
            lodge()
        assert "beroep" in str(refused.value)
    assert not Objection.objects.exists()
    offered = objectable_decisions(application)
    assert [item.decision for item in offered] == [decision]
    assert offered[0].in_time is True
    assert offered[0].term_end == terms.objection_term_end(decision.date_sent)


def test_another_applicant_cannot_lodge_a_bezwaar():
    """A member of another applicant, or staff, cannot lodge online; nothing stored."""
    application, decision = decided_with_letter()
    stranger = UserFactory(role="Aanvrager")
    ApplicantFactory(members=[stranger])
    for user in (stranger, assessor()):
        with pytest.raises(ObjectionError):
            objection_lodge(
                decision=decision,
                objector_name="Iemand anders",
                reasons="Ik wil ook bezwaar maken.",
                user=user,
            )
    assert not Objection.objects.exists()
    assert not ObjectionLog.objects.exists()
    assert list(objections_for_user(stranger)) == []


def test_registering_needs_a_handler_a_reason_and_a_date_not_in_the_future():
    """Who may register, and what a paper bezwaar needs; nothing is stored."""
    application, decision = decided_with_letter()
    handler = objection_handler()
    today = timezone.localdate()
    base = {
        "decision": decision,
        "objector_name": "Stichting Buurtkracht",
        "reasons": "Het bedrag is te laag.",
        "received_on": today,
        "actor": handler,
    }
    refusals = [
        ({"actor": assessor()}, "bezwaarbehandelaar"),
        ({"received_on": today + timedelta(days=1)}, "toekomst"),
        ({"received_on": None}, "datum"),
        ({"posted_on": today + timedelta(days=1)}, "poststempel"),
        ({"reasons": "   "}, "gronden"),
        ({"objector_name": ""}, "naam"),
    ]
    for change, word in refusals:
        with pytest.raises(ObjectionError) as refused:
            objection_register(**{**base, **change})
        assert word in str(refused.value)
    assert not Objection.objects.exists()
    assert not Document.objects.filter(kind=Document.Kind.OBJECTION).exists()


def test_a_refused_attachment_stores_nothing():
    """A file that is no allowed type is refused with the upload check's message;
    no bezwaar, no document, no letter."""
    application, decision = decided_with_letter()
    letters_before = Document.objects.filter(kind=Document.Kind.LETTER).count()
    program = SimpleUploadedFile("begroting.pdf", b"MZ\x90\x00\x03\x00\x00\x00")
    with pytest.raises(ObjectionError) as refused:
        objection_lodge(
            decision=decision,
            objector_name="Stichting Buurtkracht",
            reasons=REASONS,
            files=[program],
            user=application.applicant_user,
        )
    assert "Dit soort bestand" in str(refused.value)
    assert not Objection.objects.exists()
    assert not Document.objects.filter(kind=Document.Kind.OBJECTION).exists()
    assert Document.objects.filter(kind=Document.Kind.LETTER).count() == letters_before


def test_a_decision_past_its_term_is_still_offered_but_not_in_time():
    """The objector may still lodge after the term (it will be flagged late)."""
    application, decision = decided_with_letter()
    later = terms.objection_term_end(decision.date_sent) + timedelta(days=1)
    (offered,) = objectable_decisions(application, today=later)
    assert offered.decision == decision
    assert offered.in_time is False
    assert isinstance(offered.term_end, date)


@pytest.mark.postgres
def test_two_lodgings_at_once_give_one_open_bezwaar(on_postgres):
    """Two members of the applicant send a bezwaar against the same besluit at the
    same moment: one is stored, the other is told a bezwaar is already open."""
    application, decision = decided_with_letter()
    second_member = UserFactory(role="Aanvrager")
    application.applicant.members.add(second_member)
    users = [application.applicant_user, second_member]
    barrier = threading.Barrier(2)
    outcomes = [None, None]

    def work(index):
        try:
            barrier.wait(timeout=10)
            objection_lodge(
                decision=decision,
                objector_name="Stichting Buurtkracht",
                reasons=REASONS,
                user=users[index],
            )
            outcomes[index] = "ok"
        except ObjectionError as error:
            outcomes[index] = str(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes, key=lambda o: o != "ok")[0] == "ok", outcomes
    assert "loopt al een bezwaar" in [o for o in outcomes if o != "ok"][0]
    (stored,) = Objection.objects.filter(decision=decision)
    assert ObjectionLog.objects.filter(objection=stored).count() == 1
    assert OutgoingMail.objects.filter(reference__startswith="BZ").count() == 1


def _decided_objection():
    """A bezwaar decided ongegrond, through the real services."""
    objection = objection_ready(status="afgewezen")
    objection_record_decision(
        objection=objection,
        outcome=Outcome.UNFOUNDED,
        motivation="De score is volgens de matrix gegeven.",
        actor=objection.handler,
    )
    objection_decide(objection=objection, actor=objection.handler)
    return Objection.objects.get(pk=objection.pk)


def test_no_new_bezwaar_against_a_decision_whose_bezwaar_was_decided():
    """Once the bezwaar against a besluit is decided, a new bezwaar against that
    besluit is refused online and on paper with a Dutch sentence pointing to beroep,
    and the besluit is no longer offered; nothing new is stored."""
    decided = _decided_objection()
    assert decided.state == ObjectionState.DECIDED
    application, decision = decided.application, decided.decision
    user = application.applicant.members.first()
    documents = Document.objects.count()
    for lodge in (
        lambda: objection_lodge(
            decision=decision,
            objector_name="Stichting Buurtkracht",
            reasons="Nog steeds niet eens.",
            files=[_pdf()],
            user=user,
        ),
        lambda: objection_register(
            decision=decision,
            objector_name="Stichting Buurtkracht",
            reasons="Nog steeds niet eens.",
            received_on=timezone.localdate(),
            actor=objection_handler(),
        ),
    ):
        with pytest.raises(ObjectionError) as refused:
            lodge()
        message = str(refused.value)
        assert "al beslist" in message and decided.reference in message
        assert "beroep" in message and "rechtbank Midden-Nederland" in message
    assert list(Objection.objects.filter(decision=decision)) == [decided]
    assert Document.objects.count() == documents
    assert objectable_decisions(application) == []


def test_a_withdrawn_bezwaar_leaves_the_decision_open_to_a_new_one():
    """A withdrawn bezwaar is no decision: the besluit is offered again and a new
    bezwaar against it is taken."""
    first = objection_lodged()
    user = first.application.applicant_user
    objection_withdraw(objection=first, user=user, reason="Toch niet.")
    (offered,) = objectable_decisions(first.application)
    assert offered.decision == first.decision
    second = objection_lodge(
        decision=first.decision,
        objector_name="Stichting Buurtkracht",
        reasons="Toch wel.",
        user=user,
    )
    assert Objection.objects.get(pk=second.pk).state == ObjectionState.RECEIVED


def test_staff_register_a_paper_bezwaar_with_a_scan_when_the_applicant_is_at_quota(
    settings,
):
    """An applicant whose uploads fill the quota cannot add a file online, but a
    handler still registers their paper bezwaarschrift with its scan: the scan is
    stored as an attachment and counts against no quota of the applicant."""
    application, decision = decided_with_letter()
    count, _size = document_usage(application)
    settings.APPLICATION_DOCUMENTS_MAX_COUNT = count
    with pytest.raises(ObjectionError) as refused:
        objection_lodge(
            decision=decision,
            objector_name="Stichting Buurtkracht",
            reasons=REASONS,
            files=[_pdf()],
            user=application.applicant_user,
        )
    assert "hoogstens" in str(refused.value)
    assert not Objection.objects.exists()

    handler = objection_handler()
    objection = objection_register(
        decision=decision,
        objector_name="Stichting Buurtkracht",
        reasons=REASONS,
        received_on=timezone.localdate(),
        files=[_pdf("bezwaarschrift-scan.pdf")],
        actor=handler,
    )
    stored = Objection.objects.get(pk=objection.pk)
    assert stored.channel == Channel.PAPER
    (scan,) = objection_attachments(stored)
    assert (scan.kind, scan.original_name, scan.uploaded_by) == (
        Document.Kind.OBJECTION,
        "bezwaarschrift-scan.pdf",
        handler,
    )
    with scan.file.open("rb") as handle:
        assert handle.read().startswith(b"%PDF-1.4")
