"""The objector's pages under "Mijn aanvragen": bezwaar maken, volgen, intrekken and
the letters, for the applicant's members only (anyone else gets a 404)."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from beoordeling.decisions.services.letters import decision_notify
from beoordeling.models import Objection, ObjectionLog
from beoordeling.objections import selectors as objection_selectors
from beoordeling.objections import terms
from beoordeling.objections.services import lodging
from beoordeling.objections.services.deciding import (
    objection_decide,
    objection_record_decision,
)
from beoordeling.objections.workflow import Channel, ObjectionState, Outcome
from subsidies.models import Document, OutgoingMail
from subsidies.selectors.access import document_usage
from tests.factories import UserFactory

from .factories import decided_with_letter, objection_lodged, objection_ready

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01"
    b"\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
REASONS = "De score voor bereik klopt niet: er doen veertig buren mee."


def _day(value):
    return date_filter(value, "j F Y")


def _urls(objection):
    ref = objection.application.reference
    bz = objection.reference
    return [
        reverse("bezwaar:index", args=[ref]),
        reverse("bezwaar:new", args=[ref]),
        reverse("bezwaar:sent", args=[ref, bz]),
        reverse("bezwaar:withdraw", args=[ref, bz]),
        reverse("bezwaar:letter", args=[ref, bz, objection.acknowledgement_id]),
    ]


@pytest.fixture
def rejected():
    """A rejected application with its afwijzing sent today, and its owner."""
    application, decision = decided_with_letter(status="afgewezen")
    return application, decision, application.applicant_user


def test_the_page_lists_the_decision_with_its_last_day_and_explains_bezwaar(
    client, rejected
):
    """The owner sees the afwijzing with its kenmerk, date and last day for bezwaar,
    and in plain words: free, not by e-mail, or by post to Postbus 16200."""
    application, decision, user = rejected
    client.force_login(user)
    response = client.get(reverse("bezwaar:index", args=[application.reference]))
    assert response.status_code == 200
    page = response.content.decode()
    assert decision.kenmerk in page
    assert _day(decision.date_sent) in page
    assert _day(terms.objection_term_end(decision.date_sent)) in page
    assert "Bezwaar maken is gratis." in page
    assert "per e-mail kan niet" in page
    assert "Postbus 16200" in page and "3500 CE Utrecht" in page
    new = reverse("bezwaar:new", args=[application.reference])
    assert f"{new}?besluit={decision.kenmerk}" in page


def test_the_status_page_links_to_bezwaar_maken_once_there_is_a_decision(
    client, rejected
):
    """The status page of a decided application has a link "Bezwaar maken" to the
    objection page."""
    application, _decision, user = rejected
    client.force_login(user)
    page = client.get(reverse("subsidies:detail", args=[application.reference]))
    assert reverse("bezwaar:index", args=[application.reference]) in (
        page.content.decode()
    )


def test_the_form_takes_the_kenmerk_from_the_letter(client, rejected):
    """Opened with ?besluit=<kenmerk>, the decision is chosen already and the name is
    the logged-in user's."""
    application, decision, user = rejected
    client.force_login(user)
    url = reverse("bezwaar:new", args=[application.reference])
    response = client.get(f"{url}?besluit={decision.kenmerk}")
    form = response.context["form"]
    assert form["decision"].value() == decision.kenmerk
    assert form["objector_name"].value() == user.get_full_name()
    assert "late_reason" not in form.fields


def test_a_bezwaar_without_reasons_keeps_what_was_typed_and_says_what_is_missing(
    client, rejected
):
    """Sent without reasons: a Dutch error summary, the typed name is still there, a
    file must be chosen again, and nothing is stored."""
    application, decision, user = rejected
    client.force_login(user)
    response = client.post(
        reverse("bezwaar:new", args=[application.reference]),
        {
            "decision": decision.kenmerk,
            "objector_name": "Fatima el Amrani",
            "reasons": "",
            "confirm": "on",
            "files": SimpleUploadedFile("foto.png", PNG),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Schrijf waarom u het niet eens bent met het besluit." in page
    assert 'href="#id_reasons"' in page
    assert 'value="Fatima el Amrani"' in page
    assert "Kies ze opnieuw" in page
    assert not Objection.objects.exists()


def test_a_lodged_bezwaar_is_stored_and_its_acknowledgement_can_be_downloaded(
    client, rejected
):
    """After sending: the bezwaar is stored as typed, with its attachment; the
    confirmation page shows the BZ reference and the date we decide by, and the
    ontvangstbevestiging downloads as the stored PDF."""
    application, decision, user = rejected
    client.force_login(user)
    response = client.post(
        reverse("bezwaar:new", args=[application.reference]),
        {
            "decision": decision.kenmerk,
            "objector_name": "Fatima el Amrani",
            "reasons": REASONS,
            "confirm": "on",
            "files": SimpleUploadedFile("foto.png", PNG),
        },
    )
    objection = Objection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "bezwaar:sent", args=[application.reference, objection.reference]
    )
    assert objection.reference.startswith("BZ")
    assert (objection.decision, objection.application) == (decision, application)
    assert (objection.objector_name, objection.reasons) == ("Fatima el Amrani", REASONS)
    assert (objection.channel, objection.lodged_by, objection.is_late) == (
        Channel.ONLINE,
        user,
        False,
    )
    assert objection.state == ObjectionState.RECEIVED
    attachment = application.documents.get(kind=Document.Kind.OBJECTION)
    assert attachment.size == len(PNG)

    page = client.get(response["Location"]).content.decode()
    assert objection.reference in page
    assert _day(objection.decision_due_on) in page
    download = reverse(
        "bezwaar:letter",
        args=[application.reference, objection.reference, objection.acknowledgement_id],
    )
    assert download in page
    pdf = client.get(download)
    assert pdf.status_code == 200
    body = b"".join(pdf.streaming_content)
    assert body.startswith(b"%PDF")
    with objection.acknowledgement.file.open("rb") as stored:
        assert body == stored.read()

    listing = client.get(reverse("bezwaar:index", args=[application.reference]))
    text = listing.content.decode()
    assert objection.reference in text and "Ontvangen" in text
    assert _day(objection.received_on) in text
    assert download in text


class _Later:
    """``django.utils.timezone`` as it reads ``shift`` later (the pages and the
    lodging ask it what today is)."""

    def __init__(self, shift):
        self.shift = shift

    def now(self):
        return timezone.now() + self.shift

    def localdate(self, value=None):
        return timezone.localdate(value or self.now())

    def __getattr__(self, name):
        return getattr(timezone, name)


def test_a_late_bezwaar_is_taken_in_with_why_it_is_late(client, rejected, monkeypatch):
    """After the term the form says so and asks why; the bezwaar is still stored,
    flagged late, with the answer added to the reasons."""
    application, decision, user = rejected
    later = _Later(timedelta(days=50))
    for module in (objection_selectors, lodging):
        monkeypatch.setattr(module, "timezone", later)
    client.force_login(user)
    index = client.get(reverse("bezwaar:index", args=[application.reference]))
    assert "(deze datum is voorbij)" in index.content.decode()
    url = reverse("bezwaar:new", args=[application.reference])
    page = client.get(url).content.decode()
    assert "De termijn voor bezwaar is voorbij" in page
    assert _day(terms.objection_term_end(decision.date_sent)) in page
    assert "Waarom bent u te laat?" in page
    client.post(
        url,
        {
            "decision": decision.kenmerk,
            "objector_name": "Fatima el Amrani",
            "reasons": REASONS,
            "late_reason": "Ik lag in het ziekenhuis.",
            "confirm": "on",
        },
    )
    objection = Objection.objects.get()
    assert objection.is_late
    assert objection.received_on == later.localdate()
    assert objection.reasons.startswith(REASONS)
    assert "Ik lag in het ziekenhuis." in objection.reasons


def test_a_decision_with_an_open_bezwaar_is_not_offered_again(client):
    """Once a bezwaar runs against the only decision, the page offers no second one
    and the form sends the user back to the list, which shows the bezwaar."""
    objection = objection_lodged(status="afgewezen")
    application = objection.application
    client.force_login(application.applicant_user)
    index = reverse("bezwaar:index", args=[application.reference])
    page = client.get(index).content.decode()
    assert f"Bezwaar maken tegen besluit {objection.decision.kenmerk}" not in page
    assert "U heeft al bezwaar gemaakt" in page
    assert objection.reference in page
    response = client.get(reverse("bezwaar:new", args=[application.reference]))
    assert response.status_code == 302
    assert response["Location"] == index


def test_withdrawing_stores_the_state_and_a_log_row(client):
    """The objector confirms on a page, gives a reason, and the bezwaar is
    ingetrokken, with its log row by them; the list says so."""
    objection = objection_lodged(status="afgewezen")
    application = objection.application
    user = application.applicant_user
    client.force_login(user)
    url = reverse("bezwaar:withdraw", args=[application.reference, objection.reference])
    page = client.get(url)
    assert "Weet u zeker dat u uw bezwaar wilt intrekken?" in page.content.decode()
    response = client.post(url, {"reason": "We hebben het uitgepraat."})
    assert response["Location"] == reverse(
        "bezwaar:index", args=[application.reference]
    )
    objection.refresh_from_db()
    assert objection.state == ObjectionState.WITHDRAWN
    assert objection.withdrawn_at is not None
    log = ObjectionLog.objects.filter(objection=objection).order_by("at", "pk").last()
    assert (log.transition, log.target, log.actor) == (
        "withdraw",
        ObjectionState.WITHDRAWN,
        user,
    )
    assert "We hebben het uitgepraat." in log.reason
    listing = client.get(reverse("bezwaar:index", args=[application.reference]))
    assert "Ingetrokken" in listing.content.decode()
    again = client.get(url)
    assert again.status_code == 302


def test_another_applicant_gets_404_on_every_objection_url(client):
    """Someone of another applicant, logged in, gets a 404 on the page, the form, the
    confirmation, withdrawing (GET and POST) and the letter; nothing changes."""
    objection = objection_lodged(status="afgewezen")
    client.force_login(UserFactory(role="Aanvrager"))
    for url in _urls(objection):
        assert client.get(url).status_code == 404, url
    withdraw = reverse(
        "bezwaar:withdraw",
        args=[objection.application.reference, objection.reference],
    )
    assert client.post(withdraw, {"reason": ""}).status_code == 404
    objection.refresh_from_db()
    assert objection.state == ObjectionState.RECEIVED


def test_anonymous_visitors_are_sent_to_log_in(client):
    """Every objection URL sends an anonymous visitor to the login."""
    objection = objection_lodged(status="afgewezen")
    login = reverse("accounts:login")
    for url in _urls(objection):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{login}?next="), url


def test_only_the_letters_of_the_bezwaar_download_through_it(client):
    """An attachment, another application's letter or the afwijzing itself is not a
    letter of this bezwaar: 404 through the bezwaar's download URL."""
    objection = objection_lodged(status="afgewezen")
    other = objection_lodged(status="afgewezen")
    application = objection.application
    client.force_login(application.applicant_user)
    for pk in (objection.decision.document_id, other.acknowledgement_id):
        url = reverse(
            "bezwaar:letter", args=[application.reference, objection.reference, pk]
        )
        assert client.get(url).status_code == 404, pk
    foreign = reverse(
        "bezwaar:letter",
        args=[application.reference, other.reference, other.acknowledgement_id],
    )
    assert client.get(foreign).status_code == 404


def test_the_beslissing_op_bezwaar_downloads_for_the_objector_only(client):
    """Once decided, the list says so with the outcome and offers the beslissing op
    bezwaar as the stored PDF, and no longer offers to withdraw; another applicant
    gets a 404 on it."""
    objection = objection_ready(status="afgewezen")
    objection_record_decision(
        objection=objection,
        outcome=Outcome.UNFOUNDED,
        motivation="De score is volgens de matrix gegeven.",
        actor=objection.handler,
    )
    objection_decide(objection=objection, actor=objection.handler)
    objection = Objection.objects.get(pk=objection.pk)
    application = objection.application
    document = objection.decision_on_objection.document
    url = reverse(
        "bezwaar:letter", args=[application.reference, objection.reference, document.pk]
    )
    client.force_login(UserFactory(role="Aanvrager"))
    assert client.get(url).status_code == 404

    client.force_login(application.applicant.members.first())
    page = client.get(reverse("bezwaar:index", args=[application.reference]))
    text = page.content.decode()
    assert "Wij hebben beslist" in text and "Ongegrond" in text
    assert url in text
    withdraw = reverse(
        "bezwaar:withdraw", args=[application.reference, objection.reference]
    )
    assert withdraw not in text
    status = client.get(reverse("subsidies:detail", args=[application.reference]))
    assert "Beslissing op bezwaar van" in status.content.decode()
    response = client.get(url)
    body = b"".join(response.streaming_content)
    with document.file.open("rb") as stored:
        assert body == stored.read()


def test_the_gemeentes_letters_are_not_listed_or_counted_as_the_applicants_uploads(
    client,
):
    """The ontvangstbevestiging is a letter of the gemeente: the status page does not
    list it among the applicant's attachments, and it does not use their upload quota;
    the file the objector attached is theirs, and counts."""
    objection = objection_lodged(files=[SimpleUploadedFile("foto.png", PNG)])
    application = objection.application
    letter = objection.acknowledgement
    (attachment,) = objection.attachments.all()
    client.force_login(application.applicant_user)
    page = client.get(reverse("subsidies:detail", args=[application.reference]))
    attachments = page.content.decode().split('id="bijlagen"', 1)[1]
    assert letter.original_name not in attachments
    assert attachment.original_name in attachments
    count, size = document_usage(application)
    uploads = application.documents.exclude(
        kind__in=(Document.Kind.DECISION_LETTER, Document.Kind.LETTER)
    )
    assert (count, size) == (uploads.count(), sum(d.size for d in uploads))
    assert attachment in uploads and letter not in uploads


def test_the_beschikking_and_its_mail_say_bezwaar_can_be_made_online(client):
    """The afwijzing letter tells the resident where to object online (Mijn aanvragen,
    'Bezwaar maken'), the mail says so too, and that is the page that takes it."""
    application, decision = decided_with_letter(status="afgewezen")
    with decision.document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "online bezwaar maken: log in bij Mijn aanvragen" in text
    assert "kies 'Bezwaar maken'" in text
    decision_notify(decision=decision)
    mail = OutgoingMail.objects.get(reference=decision.kenmerk)
    assert "ook online bij 'Mijn aanvragen'" in mail.body
    client.force_login(application.applicant_user)
    page = client.get(reverse("subsidies:detail", args=[application.reference]))
    assert "Bezwaar maken" in page.content.decode()


def test_a_decision_whose_bezwaar_was_decided_is_not_offered_again(client):
    """After the beslissing op bezwaar, the list offers no new bezwaar against the
    contested besluit (nor against the beslissing itself) and the form sends the user
    back to the list, where the decided bezwaar is shown."""
    objection = objection_ready(status="afgewezen")
    objection_record_decision(
        objection=objection,
        outcome=Outcome.UNFOUNDED,
        motivation="De score is volgens de matrix gegeven.",
        actor=objection.handler,
    )
    objection_decide(objection=objection, actor=objection.handler)
    objection = Objection.objects.get(pk=objection.pk)
    assert objection.state == ObjectionState.DECIDED
    application = objection.application
    assert objection_selectors.objectable_decisions(application) == []
    client.force_login(application.applicant.members.first())
    index = reverse("bezwaar:index", args=[application.reference])
    page = client.get(index).content.decode()
    new = reverse("bezwaar:new", args=[application.reference])
    assert f"{new}?besluit={objection.decision.kenmerk}" not in page
    assert f"{new}?besluit={objection.decision_on_objection.kenmerk}" not in page
    assert objection.reference in page and "Ongegrond" in page
    response = client.get(f"{new}?besluit={objection.decision.kenmerk}")
    assert response.status_code == 302
    assert response["Location"] == index
    assert Objection.objects.filter(application=application).count() == 1
