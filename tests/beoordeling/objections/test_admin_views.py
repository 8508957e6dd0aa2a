"""The Bezwaren screens in the Wagtail admin, as handlers and Besluitvormers use them."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.roles import OBJECTION_HANDLER
from beoordeling.models import Objection, ObjectionLog
from beoordeling.objections import terms
from beoordeling.objections.admin import STEP_PATHS
from beoordeling.objections.services import deciding
from beoordeling.objections.workflow import (
    Ground,
    HearingWaiver,
    ObjectionState,
    Outcome,
)
from subsidies.models import Document
from tests.beoordeling.objections.factories import (
    days_ago,
    decided_with_letter,
    objection_handler,
    objection_in_handling,
    objection_lodged,
    objection_ready,
)
from tests.factories import assessor, decision_maker

pytestmark = pytest.mark.django_db


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def detail(objection):
    return reverse("bezwaren:detail", args=[objection.pk])


def step(name, objection):
    return reverse(f"bezwaren:{name}", args=[objection.pk])


def prefixed(name, **data):
    return {f"{name}-{key}": value for key, value in data.items()}


def page_of(client, objection):
    response = client.get(detail(objection))
    assert response.status_code == 200
    return response.content.decode()


# --- the queue ------------------------------------------------------------------------


def test_the_queue_shows_a_late_and_an_overdue_bezwaar_with_their_warnings(client):
    """A handler sees every bezwaar with its application, the contested decision, the
    late flag and the decision date; an overdue one is marked red and one due within
    a week orange, like the assessment queue, and the menu item 'Bezwaren' is there.

    The bezwaren are lodged through the services; the clock of two is then run out
    by setting the due date (as the assessment queue's tests do), since a beschikking
    cannot be sent before its application was received."""
    handler = objection_handler()
    late = objection_lodged(at=timezone.now() + timedelta(days=60))
    overdue = objection_in_handling(handler=handler)
    soon = objection_lodged()
    Objection.objects.filter(pk=overdue.pk).update(decision_due_on=days_ago(1))
    Objection.objects.filter(pk=soon.pk).update(
        decision_due_on=timezone.localdate() + timedelta(days=3)
    )
    assert late.is_late and not overdue.is_late

    client.force_login(handler)
    response = client.get(reverse("bezwaren:index"))
    assert response.status_code == 200
    page = response.content.decode()
    for objection in (late, overdue):
        assert objection.reference in page
        assert objection.application.reference in page
        assert objection.decision.kenmerk in page
    late_row = page.split(f'data-objection="{late.reference}"')[1].split("</tr>")[0]
    overdue_row = page.split(f'data-objection="{overdue.reference}"')[1].split("</tr>")[
        0
    ]
    assert "Te laat" in late_row
    assert "Te laat" not in overdue_row
    assert 'data-deadline="overdue"' in overdue_row
    assert "Beslistermijn verlopen" in overdue_row
    assert "w-bg-critical-200" in overdue_row
    assert 'data-deadline="overdue"' not in late_row
    soon_row = page.split(f'data-objection="{soon.reference}"')[1].split("</tr>")[0]
    assert 'data-deadline="due_soon"' in soon_row
    assert "Beslistermijn binnen 7 dagen" in soon_row
    assert "w-bg-warning-100" in soon_row
    assert "Bezwaren" in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_queue_filters_on_state_and_on_my_bezwaren(client):
    """'Alleen mijn bezwaren' shows what the handler handles; a state filter only
    that state."""
    handler = objection_handler()
    mine = objection_in_handling(handler=handler)
    other = objection_lodged()
    client.force_login(handler)
    page = client.get(reverse("bezwaren:index"), {"mijn": "on"}).content.decode()
    assert mine.reference in page and other.reference not in page
    page = client.get(
        reverse("bezwaren:index"), {"stand": ObjectionState.RECEIVED}
    ).content.decode()
    assert other.reference in page and mine.reference not in page


# --- registering a paper bezwaarschrift ------------------------------------------------


def test_registering_a_paper_bezwaar_stores_it_with_its_attachment_and_acknowledgement(
    client,
):
    """The handler types over a letter: the bezwaar is stored as typed, the scan is
    an attachment, the objector gets an ontvangstbevestiging, and the detail page
    shows all of it."""
    handler = objection_handler()
    application, decision = decided_with_letter()
    client.force_login(handler)
    scan = SimpleUploadedFile("brief.pdf", b"%PDF-1.4\nbezwaarschrift")
    response = client.post(
        reverse("bezwaren:register"),
        {
            "kenmerk": decision.kenmerk.lower(),
            "objector_name": "Fatima El Amrani",
            "reasons": "Wij hebben de deelnemerslijst wel meegestuurd.",
            "received_on": days_ago(0).isoformat(),
            "posted_on": days_ago(0).isoformat(),
            "attachments": [scan],
        },
    )
    objection = Objection.objects.get(decision=decision)
    assert response.status_code == 302
    assert response["Location"] == detail(objection)
    assert objection.channel == "post"
    assert objection.objector_name == "Fatima El Amrani"
    assert objection.reasons == "Wij hebben de deelnemerslijst wel meegestuurd."
    assert objection.received_on == days_ago(0)
    assert objection.posted_on == days_ago(0)
    assert objection.lodged_by == handler
    assert not objection.is_late
    assert objection.term_end == terms.objection_term_end(decision.date_sent)
    assert objection.acknowledgement is not None
    attachment = Document.objects.get(
        application=application, kind=Document.Kind.OBJECTION
    )
    assert attachment.file.read() == b"%PDF-1.4\nbezwaarschrift"
    assert ObjectionLog.objects.filter(objection=objection, transition="lodge").exists()
    assert any(objection.reference in m for m in messages_of(response))

    page = page_of(client, objection)
    assert "Wij hebben de deelnemerslijst wel meegestuurd." in page
    assert "Fatima El Amrani" in page
    assert "Ontvangstbevestiging" in page
    assert (
        reverse("bezwaren:document", args=[objection.pk, objection.acknowledgement.pk])
        in page
    )
    assert reverse("bezwaren:document", args=[objection.pk, attachment.pk]) in page
    assert reverse("besluiten:decision_pdf", args=[decision.pk]) in page
    download = client.get(
        reverse("bezwaren:document", args=[objection.pk, attachment.pk])
    )
    assert b"".join(download.streaming_content) == b"%PDF-1.4\nbezwaarschrift"


def test_a_register_form_with_errors_keeps_what_was_typed_and_says_what_is_wrong(
    client,
):
    """An unknown kenmerk and missing reasons are named in Dutch; the name and the
    date stay filled in, and nothing is stored."""
    client.force_login(objection_handler())
    response = client.post(
        reverse("bezwaren:register"),
        {
            "kenmerk": "D2026-999999",
            "objector_name": "Kees de Boer",
            "reasons": "",
            "received_on": days_ago(1).isoformat(),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Er is geen besluit met kenmerk D2026-999999" in page
    assert "Neem de gronden van het bezwaar over uit de brief." in page
    assert 'value="Kees de Boer"' in page
    assert f'value="{days_ago(1).isoformat()}"' in page
    assert Objection.objects.count() == 0


# --- handling -------------------------------------------------------------------------


def test_assigning_an_involved_handler_is_refused_with_the_7_5_message(client):
    """A handler who decided the application cannot handle its bezwaar (Awb 7:5): the
    page says so and keeps the choice; nothing is stored."""
    objection = objection_lodged()
    involved = objection.decider
    involved.groups.add(Group.objects.get(name=OBJECTION_HANDLER))
    colleague = objection_handler()
    client.force_login(colleague)
    response = client.post(
        step("assign", objection), prefixed("assign", handler=involved.pk)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "artikel 7:5 Awb" in page
    assert f'<option value="{involved.pk}" selected>' in page
    objection.refresh_from_db()
    assert objection.handler_id is None
    assert objection.state == ObjectionState.RECEIVED

    response = client.post(
        step("assign", objection), prefixed("assign", handler=colleague.pk)
    )
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.handler == colleague
    assert objection.state == ObjectionState.IN_HANDLING
    assert colleague.email in page_of(client, objection)


def test_classifying_and_judging_lateness_store_what_the_forms_said(client):
    """The ground and the advisory committee are stored (the due date becomes twelve
    weeks); a late bezwaar judged not excusable shows that with its motivation."""
    handler = objection_handler()
    objection = objection_in_handling(
        handler=handler, at=timezone.now() + timedelta(days=60)
    )
    assert objection.is_late
    client.force_login(handler)
    response = client.post(
        step("classify", objection),
        prefixed("classify", ground=Ground.AMOUNT, committee="on"),
    )
    assert response.status_code == 302
    response = client.post(
        step("judge_lateness", objection),
        prefixed(
            "judge_lateness",
            excusable="nee",
            motivation="Geen reden gegeven voor de late brief.",
        ),
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    objection.refresh_from_db()
    assert objection.ground == Ground.AMOUNT
    assert objection.committee is True
    assert objection.decision_due_on == terms.decision_due(
        date_sent=objection.decision.date_sent,
        received_on=objection.received_on,
        committee=True,
    )
    assert objection.excusable is False
    assert objection.excusability_motivation == "Geen reden gegeven voor de late brief."
    page = page_of(client, objection)
    assert "Hoogte van het bedrag" in page
    assert "met advies van een adviescommissie" in page
    assert "niet verschoonbaar: Geen reden gegeven voor de late brief." in page


def test_planning_a_hearing_stores_date_and_place_and_sends_the_invitation(client):
    """The hearing's moment and place are stored as typed, the invitation letter is
    made, and recording a report before the hearing is refused with what was typed
    kept."""
    handler = objection_handler()
    objection = objection_in_handling(handler=handler)
    client.force_login(handler)
    day = timezone.localdate() + timedelta(days=14)
    response = client.post(
        step("schedule_hearing", objection),
        prefixed(
            "schedule_hearing",
            hearing_date=day.isoformat(),
            hearing_time="14:30",
            place="Stadskantoor, Stadsplateau 1",
        ),
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    objection.refresh_from_db()
    assert objection.state == ObjectionState.HEARING_SCHEDULED
    moment = timezone.localtime(objection.hearing_at)
    assert (moment.date(), moment.hour, moment.minute) == (day, 14, 30)
    assert objection.hearing_place == "Stadskantoor, Stadsplateau 1"
    assert objection.hearing_invitation is not None
    page = page_of(client, objection)
    assert "Stadskantoor, Stadsplateau 1" in page
    assert "Uitnodiging voor de hoorzitting" in page

    response = client.post(
        step("record_hearing", objection),
        prefixed("record_hearing", report="De indiener lichtte de lijst toe."),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "De hoorzitting is nog niet geweest." in page
    assert "De indiener lichtte de lijst toe.</textarea>" in page
    objection.refresh_from_db()
    assert objection.hearing_report == ""


def test_waiving_the_hearing_stores_the_ground_and_motivation(client):
    """Not hearing the objector on a ground of 7:3 makes the bezwaar ready for the
    decision; the ground and motivation are stored and shown."""
    handler = objection_handler()
    objection = objection_in_handling(handler=handler)
    client.force_login(handler)
    response = client.post(
        step("waive_hearing", objection),
        prefixed(
            "waive_hearing",
            waiver=HearingWaiver.MANIFESTLY_UNFOUNDED,
            motivation="Het bezwaar gaat over een andere regeling.",
        ),
    )
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.state == ObjectionState.READY
    assert objection.hearing_waiver == HearingWaiver.MANIFESTLY_UNFOUNDED
    assert objection.hearing_waiver_motivation == (
        "Het bezwaar gaat over een andere regeling."
    )
    page = page_of(client, objection)
    assert "Het bezwaar is kennelijk ongegrond" in page
    assert "Het bezwaar gaat over een andere regeling." in page


def test_extending_the_decision_stores_the_new_date_and_the_letter_once(client):
    """The deferral moves 'beslissen uiterlijk' six weeks on, the queue says
    'verdaagd', and a second deferral is not offered."""
    handler = objection_handler()
    objection = objection_in_handling(handler=handler)
    due = objection.decision_due_on
    client.force_login(handler)
    response = client.post(
        step("extend", objection),
        prefixed("extend", reason="Wij wachten op het advies van de wijkadviseur."),
    )
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.extended_on == timezone.localdate()
    assert objection.decision_due_on == terms.extended_due(due)
    assert (
        objection.extension_reason == "Wij wachten op het advies van de wijkadviseur."
    )
    assert objection.extension_letter is not None
    page = page_of(client, objection)
    assert "Wij wachten op het advies van de wijkadviseur." in page
    assert f'action="{step("extend", objection)}"' not in page
    row = (
        client.get(reverse("bezwaren:index"))
        .content.decode()
        .split(f'data-objection="{objection.reference}"')[1]
        .split("</tr>")[0]
    )
    assert "verdaagd" in row


def test_the_handler_records_and_takes_the_decision_through_the_screens(client):
    """An unfounded bezwaar: the draft is stored as typed, then 'Beslissen' makes the
    beslissing op bezwaar, linked on the page."""
    handler = objection_handler()
    objection = objection_ready(handler=handler)
    client.force_login(handler)
    response = client.post(
        step("record_decision", objection),
        prefixed(
            "record_decision",
            outcome=Outcome.UNFOUNDED,
            motivation="De beoordeling volgde de regeling.",
        ),
    )
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.outcome == Outcome.UNFOUNDED
    assert objection.motivation == "De beoordeling volgde de regeling."
    assert objection.remedy_cents is None
    response = client.post(step("decide", objection), {})
    assert response.status_code == 302, response.content.decode()[-3000:]
    objection.refresh_from_db()
    assert objection.state == ObjectionState.DECIDED
    assert objection.decision_on_objection is not None
    page = page_of(client, objection)
    assert "De beoordeling volgde de regeling." in page
    assert (
        reverse("besluiten:decision_pdf", args=[objection.decision_on_objection.pk])
        in page
    )


def test_a_new_amount_is_typed_in_euros_and_stored_in_cents(client):
    """'1.250,50' on a well-founded bezwaar against an afwijzing is 125050 cents; a
    text that is no amount is refused in Dutch and kept in the field."""
    handler = objection_handler()
    objection = objection_ready(handler=handler, status="afgewezen")
    client.force_login(handler)
    response = client.post(
        step("record_decision", objection),
        prefixed(
            "record_decision",
            outcome=Outcome.WELL_FOUNDED,
            motivation="De score was te laag.",
            remedy="twaalf euro",
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Vul een bedrag in euro" in page
    assert 'value="twaalf euro"' in page
    response = client.post(
        step("record_decision", objection),
        prefixed(
            "record_decision",
            outcome=Outcome.WELL_FOUNDED,
            motivation="De score was te laag.",
            remedy="1.250,50",
        ),
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    objection.refresh_from_db()
    assert objection.remedy_cents == 125_050
    assert "1.250,50" in page_of(client, objection)


# --- four eyes --------------------------------------------------------------------------


def _proposed(handler):
    """A well-founded bezwaar against an afwijzing whose new award is above the
    round's four-eyes line, proposed by ``handler``."""
    objection = objection_ready(handler=handler, status="afgewezen")
    round_ = objection.application.round
    round_.four_eyes_threshold_cents = 100_000
    round_.save(update_fields=["four_eyes_threshold_cents"])
    deciding.objection_record_decision(
        objection=objection,
        outcome=Outcome.WELL_FOUNDED,
        motivation="De score had hoger moeten zijn.",
        remedy_cents=200_000,
        actor=handler,
    )
    proposed = deciding.objection_decide(objection=objection, actor=handler)
    assert proposed.state == ObjectionState.AWAITING_APPROVAL
    return proposed


def test_a_besluitvormer_sees_what_it_costs_the_round_and_approves(client):
    """Above the four-eyes line the handler's 'Beslissen' proposes; a Besluitvormer
    sees the cost (from the reserve or the ceiling's rest, and whether it fits) and
    approves, which makes the beslissing op bezwaar."""
    handler = objection_handler()
    objection = _proposed(handler)
    cost = deciding.objection_cost(objection)
    second = decision_maker()
    client.force_login(second)
    page = page_of(client, objection)
    assert "Wat kost deze beslissing de ronde?" in page
    assert "2.000,00" in page
    assert "Ja, het past binnen het plafond." in page
    assert cost.fits and cost.cost_cents == 200_000
    assert f'action="{step("approve", objection)}"' in page
    assert f'action="{step("send_back", objection)}"' in page
    assert f'action="{step("assign", objection)}"' not in page

    response = client.post(step("approve", objection), {})
    assert response.status_code == 302, response.content.decode()[-3000:]
    objection.refresh_from_db()
    assert objection.state == ObjectionState.DECIDED
    assert objection.approved_by == second
    assert objection.decision_on_objection is not None
    assert objection.application.awarded_cents == 200_000


def test_a_besluitvormer_sends_back_with_a_reason_and_an_empty_reason_is_refused(
    client,
):
    """Sending back needs a reason; with it the bezwaar is ready for the handler
    again and the reason is shown."""
    handler = objection_handler()
    objection = _proposed(handler)
    client.force_login(decision_maker())
    response = client.post(step("send_back", objection), prefixed("send_back"))
    assert response.status_code == 200
    assert "Schrijf op waarom. De behandelaar leest het." in response.content.decode()
    response = client.post(
        step("send_back", objection),
        prefixed("send_back", reason="Het bedrag is hoger dan gevraagd."),
    )
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.state == ObjectionState.READY
    assert objection.review_reason == "Het bedrag is hoger dan gevraagd."
    assert "Het bedrag is hoger dan gevraagd." in page_of(client, objection)


def test_a_handler_cannot_approve(client):
    """The handler who proposed has no approve button, and a POST to approve is
    refused like the other admin screens do; nothing changes."""
    handler = objection_handler()
    objection = _proposed(handler)
    client.force_login(handler)
    page = page_of(client, objection)
    assert f'action="{step("approve", objection)}"' not in page
    response = client.post(step("approve", objection), {})
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"] == reverse("wagtailadmin_home")
    objection.refresh_from_db()
    assert objection.state == ObjectionState.AWAITING_APPROVAL
    assert objection.approved_by is None


def test_a_handler_registers_a_withdrawal(client):
    """A withdrawal by letter is recorded with how it came in; the state and log
    show it."""
    handler = objection_handler()
    objection = objection_in_handling(handler=handler)
    client.force_login(handler)
    response = client.post(
        step("withdraw", objection),
        prefixed("withdraw", reason="Brief van 3 december: trekt het bezwaar in."),
    )
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.state == ObjectionState.WITHDRAWN
    assert objection.withdrawal_reason == "Brief van 3 december: trekt het bezwaar in."
    assert "Brief van 3 december: trekt het bezwaar in." in page_of(client, objection)


# --- who may not ---------------------------------------------------------------------------


def _every_url(objection):
    document = objection.acknowledgement
    yield "get", reverse("bezwaren:index")
    yield "get", reverse("bezwaren:register")
    yield "post", reverse("bezwaren:register")
    yield "get", detail(objection)
    yield "get", reverse("bezwaren:document", args=[objection.pk, document.pk])
    for name in STEP_PATHS:
        yield "post", step(name, objection)


@pytest.mark.parametrize("who", ["assessor", "applicant"])
def test_an_assessor_and_an_applicant_get_no_access_to_any_bezwaar_url(client, who):
    """Without ``view_objection`` every URL is refused before anything is looked up
    or changed: staff go back to the dashboard, residents get 403."""
    objection = objection_lodged()
    user = assessor() if who == "assessor" else objection.application.applicant_user
    client.force_login(user)
    for method, address in _every_url(objection):
        response = getattr(client, method)(address)
        if who == "assessor":
            assert response.status_code == 302, address
            assert response["Location"] == reverse("wagtailadmin_home"), address
        else:
            assert response.status_code == 403, address
    objection.refresh_from_db()
    assert objection.state == ObjectionState.RECEIVED
    assert Objection.objects.count() == 1
    client.force_login(assessor())
    assert "Bezwaren" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_a_besluitvormer_reads_bezwaren_but_takes_no_handling_step(client):
    """A Besluitvormer sees the queue and a bezwaar, without handling steps; a POST to
    one is refused and changes nothing."""
    objection = objection_lodged()
    client.force_login(decision_maker())
    assert objection.reference in client.get(reverse("bezwaren:index")).content.decode()
    page = page_of(client, objection)
    assert f'action="{step("assign", objection)}"' not in page
    response = client.post(
        step("assign", objection), prefixed("assign", handler=objection.decider.pk)
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    objection.refresh_from_db()
    assert objection.handler_id is None
    assert client.get(reverse("bezwaren:register")).status_code == 302
