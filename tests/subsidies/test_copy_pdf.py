"""The copy to keep (issue 18): the applicant downloads what was sent as a PDF and as a
text file, with every answer, each budget line, the totals, the documents, the date
and time of receipt (Europe/Amsterdam) and the kenmerk, equal to what is stored; the
copy page and the receipt e-mail say the same. Only the applicant's own application,
only once sent."""

import io
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from subsidies import services
from subsidies.copy_pdf import MISSING
from subsidies.demo import seed_reference_data, seed_rounds
from subsidies.forms import ImpactForm, InitiativeForm, OrganisationForm, ReviewForm
from subsidies.models import (
    Applicant,
    Application,
    BudgetLine,
    Buurt,
    Document,
    OtherFunding,
    Partner,
)
from subsidies.money import format_euros
from subsidies.selectors import submission_copy
from subsidies.workflow import Status
from tests.drafts import fill_everything
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db

MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def squash(text):
    """One space for any run of white space (PDF lines wrap where they like)."""
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def loose(text):
    """``squash`` without colons: the text file writes "label: value" where the PDF
    and the page put the value under the label."""
    return squash(text.replace(":", " "))


def pdf_text(content):
    return squash(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    )


def html_text(content):
    text = re.sub(r"<[^>]+>", " ", content.decode())
    for entity, char in (
        ("&nbsp;", " "),
        ("&amp;", "&"),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&#x27;", "'"),
        ("&quot;", '"'),
    ):
        text = text.replace(entity, char)
    return squash(text)


def _yesterday_late_utc():
    """23:30 UTC yesterday: already today in Utrecht, so the date shows the zone."""
    yesterday = timezone.now().astimezone(UTC).date() - timedelta(days=1)
    return datetime(yesterday.year, yesterday.month, yesterday.day, 23, 30, tzinfo=UTC)


@pytest.fixture
def world():
    seed_reference_data()
    seed_rounds(timezone.now())


def submit_everything(client, slug, email="bewoner@example.nl"):
    """A resident starts an application for the scheme ``slug``, every part filled
    (three budget lines with cents, two other incomes, two partners, a document and an
    answer to every question), and sends it at 23:30 UTC yesterday."""
    user = UserFactory(role="Aanvrager", email=email)
    client.force_login(user)
    client.post(reverse("subsidies:start", args=[slug]))
    application = Application.objects.get(created_by=user)
    application.wijk = Buurt.objects.first().wijk
    application.save()
    application = fill_everything(application)
    application.title = "Verf voor de speeltuin & <het> plein"
    application.summary = "We schilderen samen.\nDaarna eten we soep."
    application.activity_start = timezone.localdate() + timedelta(days=60)
    application.activity_end = timezone.localdate() + timedelta(days=90)
    application.save()
    # The document was uploaded before the application was sent.
    Document.objects.filter(application=application).update(
        uploaded_at=_yesterday_late_utc() - timedelta(hours=2)
    )
    return services.application_submit(
        application=application,
        user=user,
        truthful_declaration=True,
        accepts_electronic_decisions=True,
        at=_yesterday_late_utc(),
    )


def dutch_date(value):
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def shown(obj, name, form_field=None):
    """How the copy shows the stored value of ``obj.name``, worked out from the
    model and form field alone (not from the code that builds the copy); a list for
    a many-to-many answer, "" for an empty one."""
    value = getattr(obj, name)
    if hasattr(value, "all"):  # a many-to-many answer: each chosen name
        return [item.name for item in value.all()]
    if value is None or value == "":
        return ""
    if hasattr(value, "_meta"):  # a chosen row (the wijk)
        return value.name
    if isinstance(value, date):
        return dutch_date(value)
    if isinstance(value, bool):
        return "Ja" if value else "Nee"
    if name == "iban":  # grouped by four, as on a bank card
        return " ".join(value[i : i + 4] for i in range(0, len(value), 4))
    if name.endswith("_cents"):
        return format_euros(value)
    model_field = obj._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices)[value])
    choices = getattr(form_field, "choices", None)
    if choices:
        return str(dict(choices)[value])
    return str(value)


def _values(values):
    out = []
    for value in values:
        out += value if isinstance(value, list) else [value]
    return [squash(value) for value in out if value]


#: The last step's answers and where each is stored (a new question on that step
#: fails ``expected_answers`` until the copy and this map show it).
REVIEW_ANSWERS = {
    "truthful_declaration": lambda application: application.truthful_declaration,
    "decisions_by_email": lambda application: (
        application.applicant.accepts_electronic_decisions
    ),
}


def expected_answers(application):
    """What the copy must show, read from the database and the step forms' own
    fields (not from ``submission_copy``): each field of the organisation, initiative
    and impact forms, every question of the scheme, each field of every partner,
    budget line and other income, the total, the documents sent, both answers of the
    last step, the kenmerk, the scheme and the date and time of receipt. A field the
    copy leaves out makes the tests that use this fail."""
    fresh = Application.objects.get(pk=application.pk)
    applicant = Applicant.objects.get(pk=fresh.applicant_id)
    received = fresh.submitted_at.astimezone(AMSTERDAM)
    values = [
        fresh.reference,
        fresh.round.scheme.name,
        f"{dutch_date(received)} om {received:%H:%M} uur",
        format_euros(fresh.requested_cents),
    ]
    for form, obj in (
        (OrganisationForm, applicant),
        (InitiativeForm, fresh),
        (ImpactForm, fresh),
    ):
        for name, field in form.base_fields.items():
            values.append(shown(obj, name, field))
    for model in (Partner, BudgetLine, OtherFunding):
        names = [
            field.name
            for field in model._meta.concrete_fields
            if not field.primary_key and field.name != "application"
        ]
        for row in model.objects.filter(application=fresh).order_by("pk"):
            for name in names:
                value = shown(row, name)
                if isinstance(getattr(row, name), bool):
                    # "Steunbrief: ja": the model's own name for the answer.
                    label = row._meta.get_field(name).verbose_name
                    value = f"{str(label).capitalize()}: {value.lower()}"
                values.append(value)
    for document in Document.objects.filter(
        application=fresh, uploaded_at__lte=fresh.submitted_at
    ):
        values += [document.get_kind_display(), document.original_name]
    for question in fresh.question_set.questions:
        values.append(question["label"])
        answer = fresh.answers[question["key"]]
        labels = dict(question.get("choices", []))
        if question["kind"] == "yesno":
            values.append("Ja" if answer else "Nee")
        elif question["kind"] == "multichoice":
            values.append(", ".join(labels[code] for code in answer))
        elif question["kind"] == "choice":
            values.append(labels[answer])
        else:
            values.append(str(answer))
    assert set(ReviewForm.base_fields) == set(REVIEW_ANSWERS)
    for name, field in ReviewForm.base_fields.items():
        answer = "Ja" if REVIEW_ANSWERS[name](fresh) else "Nee"
        values.append(f"{field.label} {answer}")
    return _values(values)


def download(client, application, name):
    return client.get(reverse(f"subsidies:{name}", args=[application.reference]))


@override_settings(TIME_ZONE="UTC")
@pytest.mark.parametrize("slug", ["initiatievenfonds", "duurzaam", "flexbudget"])
def test_the_pdf_and_text_copies_hold_every_stored_value(client, world, slug):
    """For each scheme (so every kind of question), the PDF read back with pypdf and
    the text file hold every answer of every step form, each partner with its letter
    of support, each budget line and income with its amount, the total, the document
    names, the declaration and the choice for decisions by e-mail, the kenmerk and the
    date and time of receipt in Utrecht (on a server whose clock runs on UTC), as
    stored; both are attachments named after the kenmerk."""
    application = submit_everything(client, slug)
    assert BudgetLine.objects.filter(application=application).count() == 3
    expected = expected_answers(application)
    # The date of receipt is Utrecht's: 23:30 UTC is 00:30 or 01:30 the next day.
    assert any(value.endswith(("00:30 uur", "01:30 uur")) for value in expected)
    for value in ("Steunbrief: ja", "Steunbrief: nee", "Buurthuis De Boog"):
        assert value in expected

    pdf = download(client, application, "copy_pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == (
        f'attachment; filename="aanvraag-{application.reference}.pdf"'
    )
    text = download(client, application, "copy_text")
    assert text["Content-Type"] == "text/plain; charset=utf-8"
    assert text["Content-Disposition"] == (
        f'attachment; filename="aanvraag-{application.reference}.txt"'
    )
    pdf_content = loose(pdf_text(pdf.content))
    text_content = loose(text.content.decode("utf-8"))
    for value in expected:
        assert loose(value) in pdf_content, value
        assert loose(value) in text_content, value
    # The full IBAN, for the applicant's own records (the e-mail masks it).
    assert "NL91 ABNA 0417 1643 00" in pdf_content
    assert "IBAN: NL91 ABNA 0417 1643 00" in squash(text.content.decode())


def test_a_dropped_answer_fails_the_expected_values(client, world):
    """The expected values come from the forms and the stored rows: a field the copy
    would leave out (here the volunteers, the partner's letter of support and the
    declaration) is still expected, so a copy without it fails."""
    application = submit_everything(client, "initiatievenfonds")
    expected = expected_answers(application)
    fresh = Application.objects.get(pk=application.pk)
    assert str(fresh.volunteers) in expected
    assert "Steunbrief: ja" in expected
    assert f"{ReviewForm.base_fields['truthful_declaration'].label} Ja" in expected
    assert f"{ReviewForm.base_fields['decisions_by_email'].label} Ja" in expected


def test_every_row_of_the_copy_is_in_the_pdf_and_text_in_order(client, world):
    """The PDF and the text file show each section's title and each label with its
    value, in the order of the copy page, so nothing is left out or shuffled."""
    application = submit_everything(client, "initiatievenfonds")
    pdf_content = pdf_text(download(client, application, "copy_pdf").content)
    text_content = squash(download(client, application, "copy_text").content.decode())
    pdf_at = text_at = 0
    for section in submission_copy(application):
        pdf_at = pdf_content.index(section.title, pdf_at)
        text_at = text_content.index(f"== {section.title} ==", text_at)
        for label, value in section.rows:
            shown = squash(value) if value else "Niet ingevuld"
            pdf_at = pdf_content.index(f"{squash(label)} {shown}", pdf_at)
            text_at = text_content.index(
                f"{squash(label)}: {shown if value else 'niet ingevuld'}", text_at
            )


def test_the_pdf_has_a_title_a_language_bookmarks_and_real_text(client, world):
    """What reportlab can give for accessibility: the title (shown in the title
    bar), the author and subject, the language nl-NL, a bookmark per section, the
    fonts embedded and no images (the text is text)."""
    application = submit_everything(client, "initiatievenfonds")
    reader = PdfReader(io.BytesIO(download(client, application, "copy_pdf").content))
    title = f"Kopie van uw aanvraag {application.reference}"
    assert reader.metadata.title == title
    assert reader.metadata.author == "Gemeente Utrecht"
    assert reader.metadata.subject == "Kopie van uw aanvraag bij Initiatievenfonds"
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "nl-NL"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]
    assert catalog["/PageMode"] == "/UseOutlines"
    assert [item.title for item in reader.outline] == [title] + [
        section.title for section in submission_copy(application)
    ]
    for page in reader.pages:
        resources = page["/Resources"]
        assert "/XObject" not in resources
        for font in resources["/Font"].values():
            assert "/FontFile2" in font.get_object()["/FontDescriptor"]


@override_settings(TIME_ZONE="UTC")
def test_the_copy_page_and_the_receipt_email_say_the_same(
    client, world, django_capture_on_commit_callbacks
):
    """The copy page and the receipt e-mail show the same stored values as the PDF:
    every answer, partner, line, total, document, the declaration, the kenmerk and the
    date and time of receipt in Utrecht on a UTC server (the e-mail masks the IBAN);
    both offer the PDF and the text file."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        application = submit_everything(client, "initiatievenfonds")
    (receipt,) = mail.outbox
    body = loose(receipt.body)
    page = client.get(reverse("subsidies:copy", args=[application.reference]))
    page_content = loose(html_text(page.content))
    pdf_content = loose(pdf_text(download(client, application, "copy_pdf").content))
    iban = Applicant.objects.get(pk=application.applicant_id).iban
    for value in expected_answers(application):
        assert loose(value) in pdf_content, value
        assert loose(value) in page_content, value
        if " om " in value and value.endswith(" uur"):
            assert loose(f"ontvangen op {value}") in body
        elif value.replace(" ", "") != iban:
            assert loose(value) in body, value
    assert "NL91 **** **** 4300" in receipt.body
    for name in ("copy_pdf", "copy_text"):
        url = reverse(f"subsidies:{name}", args=[application.reference])
        assert url in receipt.body
        assert f'href="{url}" hreflang="nl"' in page.content.decode()
    assert "Download als PDF" in page_content
    assert "Download als tekstbestand" in page_content
    assert "geen getagde PDF" in page_content
    # On the Dutch site and in a Dutch e-mail no "(in het Nederlands)".
    assert "in het Nederlands" not in page_content
    assert "in het Nederlands" not in body


def test_documents_added_after_sending_are_not_in_the_copy(client, world):
    """The copy is what was sent: an aanvulling, a verantwoording or a bezwaar
    document uploaded after ``submitted_at`` is not under "Bijlagen" in the PDF, the
    text file or on the copy page; the document sent with it is."""
    application = submit_everything(client, "initiatievenfonds")
    later = application.submitted_at + timedelta(days=3)
    for kind, name in (
        (Document.Kind.SUPPLEMENT, "aanvulling-later.pdf"),
        (Document.Kind.REPORT, "bonnetjes-later.pdf"),
        (Document.Kind.OBJECTION, "bezwaar-later.pdf"),
    ):
        Document.objects.create(
            application=application,
            kind=kind,
            file=ContentFile(b"%PDF-1.4 later", name=name),
            original_name=name,
            content_type="application/pdf",
            size=14,
            sha256="1" * 64,
            uploaded_at=later,
        )
    pdf_content = pdf_text(download(client, application, "copy_pdf").content)
    text_content = squash(download(client, application, "copy_text").content.decode())
    page_content = html_text(
        client.get(reverse("subsidies:copy", args=[application.reference])).content
    )
    for content in (pdf_content, text_content, page_content):
        assert "steunbrief.pdf" in content
        for name in ("aanvulling-later.pdf", "bonnetjes-later.pdf", "bezwaar-later"):
            assert name not in content


def test_the_status_page_offers_both_downloads_once_sent(client, world):
    """The status page links to the PDF and the text file of a sent application
    (marked as Dutch with hreflang); a concept's status page offers no copy, nor
    does that of a concept withdrawn before it was sent."""
    application = submit_everything(client, "initiatievenfonds")
    content = client.get(
        reverse("subsidies:detail", args=[application.reference])
    ).content.decode()
    for name, text in (
        ("copy_pdf", "Download als PDF"),
        ("copy_text", "Download als tekstbestand"),
    ):
        url = reverse(f"subsidies:{name}", args=[application.reference])
        assert f'href="{url}" hreflang="nl" download>{text}</a>' in content

    concept = ApplicationFactory()
    withdrawn = withdrawn_concept()
    for other in (concept, withdrawn):
        client.force_login(other.applicant_user)
        content = client.get(
            reverse("subsidies:detail", args=[other.reference])
        ).content.decode()
        assert "Download als PDF" not in content
        assert "Bekijk wat u heeft verstuurd" not in content


def withdrawn_concept():
    """A concept its applicant withdrew before ever sending it."""
    concept = ApplicationFactory()
    withdrawn = services.application_withdraw(
        application=concept, user=concept.applicant_user, reason="Toch niet"
    )
    assert withdrawn.status == Status.WITHDRAWN
    assert withdrawn.submitted_at is None
    withdrawn.applicant_user = concept.applicant_user
    return withdrawn


def test_only_the_applicant_gets_the_copy(client, world):
    """Another resident gets 404 for both downloads, an anonymous visitor is sent to
    the login, a concept has no copy (404) even for its own applicant, nor has a
    concept withdrawn before it was sent; the downloads answer only GET (a POST gets
    405)."""
    application = submit_everything(client, "initiatievenfonds")
    assert application.status == Status.SUBMITTED
    names = ("copy_pdf", "copy_text")

    client.force_login(UserFactory(role="Aanvrager", email="ander@example.nl"))
    for name in names:
        assert download(client, application, name).status_code == 404

    client.logout()
    login = reverse("accounts:login")
    for name in names:
        response = download(client, application, name)
        assert response.status_code == 302
        assert response["Location"].startswith(f"{login}?next="), name

    client.force_login(application.created_by)
    for name in names:
        url = reverse(f"subsidies:{name}", args=[application.reference])
        assert client.post(url).status_code == 405
        assert client.get(url).status_code == 200

    for concept in (ApplicationFactory(), withdrawn_concept()):
        client.force_login(concept.applicant_user)
        for name in names:
            assert download(client, concept, name).status_code == 404
        page = client.get(reverse("subsidies:copy", args=[concept.reference]))
        assert "Deze aanvraag is nog niet verstuurd." in page.content.decode()
        assert "Download als PDF" not in page.content.decode()


def test_the_same_application_gives_the_same_pdf(client, world):
    """Downloading twice gives byte-identical files (nothing in the PDF depends on
    the moment of download)."""
    application = submit_everything(client, "initiatievenfonds")
    first = download(client, application, "copy_pdf").content
    assert download(client, application, "copy_pdf").content == first


def test_the_downloads_stay_in_dutch_on_the_english_site(
    client, world, django_capture_on_commit_callbacks
):
    """The copy to keep is in Dutch (the record), also when the resident reads the
    site in English: the links say so ("in Dutch") and carry hreflang="nl", and the
    English receipt e-mail says the copy is in Dutch."""
    client.cookies["django_language"] = "en"
    mail.outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True),
        translation.override("en"),
    ):
        application = submit_everything(client, "initiatievenfonds")
    with translation.override("en"):
        in_dutch = gettext("(in het Nederlands)")
        copy_in_dutch = gettext(
            "Deze kopie is in het Nederlands, de taal van ons dossier."
        )
    (receipt,) = mail.outbox
    assert copy_in_dutch in receipt.body
    for view in ("copy", "detail"):
        page = client.get(reverse(f"subsidies:{view}", args=[application.reference]))
        content = page.content.decode()
        for name in ("copy_pdf", "copy_text"):
            url = reverse(f"subsidies:{name}", args=[application.reference])
            assert re.search(
                rf'href="{url}" hreflang="nl" download>[^<]+ {re.escape(in_dutch)}</a>',
                content,
            ), (view, name)
    page = client.get(reverse("subsidies:copy", args=[application.reference]))
    assert "About the applicant" in page.content.decode()  # the site is English
    pdf_content = pdf_text(download(client, application, "copy_pdf").content)
    text_content = download(client, application, "copy_text").content.decode()
    for content in (pdf_content, text_content):
        assert "Over de aanvrager" in content
        assert "Ontvangen op" in content
        assert "About the applicant" not in content


def test_characters_the_font_lacks_show_a_mark_and_the_text_file_keeps_them(
    client, world
):
    """Turkish and Polish letters read back from the PDF exactly; an emoji and
    Chinese characters, which DejaVu Sans cannot draw, show as a visible mark with a
    note that the text file has them, and the text file holds them all unchanged."""
    application = submit_everything(client, "initiatievenfonds")
    latin = "Ağaç şeker ılık İstanbul, Łódź żółć źdźbło gęś"
    Application.objects.filter(pk=application.pk).update(
        summary=f"{latin} 🎉 buurtfeest 你好"
    )
    pdf_content = pdf_text(download(client, application, "copy_pdf").content)
    text_content = download(client, application, "copy_text").content.decode()
    assert f"{latin} {MISSING} buurtfeest {MISSING}{MISSING}" in pdf_content
    assert "🎉" not in pdf_content and "你" not in pdf_content
    assert "Het tekstbestand van deze kopie heeft alle tekens" in pdf_content
    assert f"{latin} 🎉 buurtfeest 你好" in text_content

    # Without such characters there is no note.
    Application.objects.filter(pk=application.pk).update(summary=latin)
    pdf_content = pdf_text(download(client, application, "copy_pdf").content)
    assert latin in pdf_content
    assert MISSING not in pdf_content
    assert "Het tekstbestand van deze kopie" not in pdf_content


def test_a_long_answer_reads_back_whole_with_the_footer_last_on_each_page(
    client, world
):
    """An answer longer than a page reads back whole from the PDF: each page's text
    ends with its footer (kenmerk and page number), drawn after the content, so the
    footer never lands before the page's text."""
    application = submit_everything(client, "initiatievenfonds")
    long_text = " ".join(f"Zin {n} over de buurt en het feest." for n in range(600))
    Application.objects.filter(pk=application.pk).update(summary=long_text)
    reader = PdfReader(io.BytesIO(download(client, application, "copy_pdf").content))
    assert len(reader.pages) >= 3
    bodies = []
    for number, page in enumerate(reader.pages, start=1):
        lines = [line for line in page.extract_text().splitlines() if line.strip()]
        footer = f"Kenmerk {application.reference}, pagina {number}"
        assert squash(lines[-1]) == footer, number
        assert all(footer not in line for line in lines[:-1])
        bodies.append(" ".join(lines[:-1]))
    assert long_text in squash(" ".join(bodies))
