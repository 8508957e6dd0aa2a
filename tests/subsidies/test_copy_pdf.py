"""The copy to keep (issue 18): the applicant downloads what was sent as a PDF and as a
text file, with every answer, each budget line, the totals, the documents, the date
and time of receipt (Europe/Amsterdam) and the kenmerk, equal to what is stored; the
copy page and the receipt e-mail say the same. Only the applicant's own application,
only once sent."""

import io
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from subsidies import services
from subsidies.demo import seed_reference_data, seed_rounds
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
    return services.application_submit(
        application=application,
        user=user,
        truthful_declaration=True,
        accepts_electronic_decisions=True,
        at=_yesterday_late_utc(),
    )


def stored_values(application):
    """What the copy must show, read from the database (not from the code that builds
    the copy): every answer, each budget line and income with its amount, the total,
    the documents, the kenmerk, the scheme and the date and time of receipt."""
    fresh = Application.objects.get(pk=application.pk)
    applicant = Applicant.objects.get(pk=fresh.applicant_id)
    received = fresh.submitted_at.astimezone(AMSTERDAM)
    values = [
        fresh.reference,
        fresh.round.scheme.name,
        f"{received.day} {MONTHS[received.month - 1]} {received.year} om "
        f"{received:%H:%M} uur",
        applicant.name,
        applicant.kvk_number,
        applicant.rsin,
        applicant.contact_name,
        applicant.contact_email,
        applicant.contact_phone,
        f"{applicant.street}, {applicant.postcode} {applicant.city}",
        applicant.account_holder,
        fresh.title,
        fresh.summary,
        fresh.wijk.name,
        fresh.impact_plan,
        str(fresh.expected_reach),
        str(fresh.volunteers),
        *(b.name for b in fresh.buurten.all()),
        *(t.name for t in fresh.themes.all()),
        *(t.name for t in fresh.target_groups.all()),
        *(p.name for p in Partner.objects.filter(application=fresh)),
        format_euros(fresh.requested_cents),
    ]
    for line in BudgetLine.objects.filter(application=fresh).order_by("pk"):
        values += [
            f"{line.get_category_display()}: {line.description}",
            format_euros(line.amount_cents),
        ]
    for item in OtherFunding.objects.filter(application=fresh).order_by("pk"):
        values += [item.source, format_euros(item.amount_cents)]
    for document in Document.objects.filter(application=fresh):
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
    return [squash(value) for value in values if value]


def download(client, application, name):
    return client.get(reverse(f"subsidies:{name}", args=[application.reference]))


@pytest.mark.parametrize("slug", ["initiatievenfonds", "duurzaam", "flexbudget"])
def test_the_pdf_and_text_copies_hold_every_stored_value(client, world, slug):
    """For each scheme (so every kind of question), the PDF read back with pypdf and
    the text file hold every answer, each budget line with its amount, the other
    incomes, the total, the document names, the kenmerk and the date and time of
    receipt in Utrecht, as stored; both are attachments named after the kenmerk."""
    application = submit_everything(client, slug)
    assert BudgetLine.objects.filter(application=application).count() == 3
    expected = stored_values(application)
    # The date of receipt is Utrecht's: 23:30 UTC is 00:30 or 01:30 the next day.
    assert any(value.endswith(("00:30 uur", "01:30 uur")) for value in expected)

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
    pdf_content = pdf_text(pdf.content)
    text_content = squash(text.content.decode("utf-8"))
    for value in expected:
        assert value in pdf_content, value
        assert value in text_content, value
    # The full IBAN, for the applicant's own records (the e-mail masks it).
    assert "NL91 ABNA 0417 1643 00" in pdf_content
    assert "IBAN: NL91 ABNA 0417 1643 00" in text_content


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


def test_the_copy_page_and_the_receipt_email_say_the_same(
    client, world, django_capture_on_commit_callbacks
):
    """The copy page and the receipt e-mail show the same stored values as the PDF:
    every answer, line, total, document, the kenmerk and the date and time of receipt
    (the e-mail masks the IBAN); both offer the PDF and the text file."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        application = submit_everything(client, "initiatievenfonds")
    (receipt,) = mail.outbox
    body = squash(receipt.body)
    page = client.get(reverse("subsidies:copy", args=[application.reference]))
    page_content = html_text(page.content)
    pdf_content = pdf_text(download(client, application, "copy_pdf").content)
    for value in stored_values(application):
        assert value in pdf_content, value
        assert value in page_content, value
        if " om " in value and value.endswith(" uur"):
            date, time = value.removesuffix(" uur").split(" om ")
            assert f"ontvangen op {date} om {time} uur" in body
        elif value != application.round.scheme.name:
            assert value in body, value
    assert "NL91 **** **** 4300" in body
    for name in ("copy_pdf", "copy_text"):
        url = reverse(f"subsidies:{name}", args=[application.reference])
        assert url in receipt.body
        assert f'href="{url}"' in page.content.decode()
    assert "Download als PDF" in page_content
    assert "Download als tekstbestand" in page_content
    assert "geen getagde PDF" in page_content


def test_the_status_page_offers_both_downloads_once_sent(client, world):
    """The status page links to the PDF and the text file of a sent application; a
    concept's status page offers no copy."""
    application = submit_everything(client, "initiatievenfonds")
    content = client.get(
        reverse("subsidies:detail", args=[application.reference])
    ).content.decode()
    for name, text in (
        ("copy_pdf", "Download als PDF"),
        ("copy_text", "Download als tekstbestand"),
    ):
        url = reverse(f"subsidies:{name}", args=[application.reference])
        assert f'href="{url}" download>{text}</a>' in content

    concept = ApplicationFactory()
    client.force_login(concept.applicant_user)
    content = client.get(
        reverse("subsidies:detail", args=[concept.reference])
    ).content.decode()
    assert "Download als PDF" not in content


def test_only_the_applicant_gets_the_copy(client, world):
    """Another resident gets 404 for both downloads, an anonymous visitor is sent to
    the login, and a concept has no copy (404) even for its own applicant."""
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

    concept = ApplicationFactory()
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


def test_the_downloads_stay_in_dutch_on_the_english_site(client, world):
    """The copy to keep is in the language of submission (Dutch), also when the
    resident reads the site in English."""
    application = submit_everything(client, "initiatievenfonds")
    client.cookies["django_language"] = "en"
    page = client.get(reverse("subsidies:copy", args=[application.reference]))
    assert "About the applicant" in page.content.decode()  # the site is English
    pdf_content = pdf_text(download(client, application, "copy_pdf").content)
    text_content = download(client, application, "copy_text").content.decode()
    for content in (pdf_content, text_content):
        assert "Over de aanvrager" in content
        assert "Ontvangen op" in content
        assert "About the applicant" not in content
