"""Hostile input: each value gets a clear Dutch message, is shown back harmlessly,
and nothing is stored half."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from subsidies.models import Applicant, Application, BudgetLine, Document
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>'
SQL = "'; DROP TABLE subsidies_application; --"


@pytest.fixture
def draft(client):
    application = ApplicationFactory()
    client.force_login(application.applicant_user)
    return application


def url(application, step):
    return reverse("subsidies:step", args=[application.reference, step])


@pytest.mark.parametrize("value", [SCRIPT, SQL, "Robert'); --", "ÅÄÖ 🏳️‍🌈 名字"])
def test_markup_and_sql_are_stored_as_plain_text_and_shown_escaped(
    client, draft, value
):
    """Script tags and SQL fragments are just text: stored as typed, never run."""
    data = {
        "title": value,
        "summary": value,
        "activity_start": "31-31-2099",  # keeps the step invalid, so it re-renders
        "partners-TOTAL_FORMS": "1",
        "partners-INITIAL_FORMS": "0",
        "action": "next",
    }
    response = client.post(url(draft, "initiatief"), data)
    content = response.content.decode()
    assert response.status_code == 200
    assert SCRIPT not in content
    draft.refresh_from_db()
    assert draft.title == value
    assert Application.objects.count() == 1


def test_ten_megabytes_in_a_field_gets_a_friendly_dutch_400_page(client, draft):
    """Above DATA_UPLOAD_MAX_MEMORY_SIZE: a Dutch page, status 400, nothing stored."""
    before = Application.objects.get(pk=draft.pk).summary
    response = client.post(
        url(draft, "initiatief"),
        {"title": "Nieuw", "summary": "x" * (10 * 1024 * 1024), "action": "next"},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Dat lukte niet" in content
    assert "te groot" in content
    draft.refresh_from_db()
    assert draft.summary == before
    assert draft.title != "Nieuw"


def test_a_long_text_below_the_limit_is_refused_per_field(client, draft):
    """A very long title gets a length message; the typed text is not lost."""
    response = client.post(
        url(draft, "initiatief"),
        {
            "title": "t" * 100_000,
            "partners-TOTAL_FORMS": "0",
            "partners-INITIAL_FORMS": "0",
            "action": "next",
        },
    )
    content = response.content.decode()
    assert "hoogstens 200 tekens" in content
    assert "t" * 100_000 in content
    draft.refresh_from_db()
    assert len(draft.title) <= 200


def test_null_characters_are_refused(client, draft):
    """Text with NUL characters is refused instead of stored."""
    response = client.post(
        url(draft, "initiatief"),
        {
            "title": "Buurt\x00feest",
            "partners-TOTAL_FORMS": "0",
            "partners-INITIAL_FORMS": "0",
            "action": "next",
        },
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert "\x00" not in draft.title


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-100", "negatief"),
        ("-0,01", "negatief"),
        ("0", "hoger is dan 0"),
        ("1000000000000", "te hoog"),
        ("9" * 40, "met cijfers"),
        ("1e9", "met cijfers"),
        ("NaN", "met cijfers"),
        (SQL, "met cijfers"),
    ],
)
def test_negative_and_absurd_amounts_are_refused_and_nothing_is_stored(
    client, draft, amount, message
):
    """A bad amount stops the whole budget step; the old lines stay as they were."""
    before = list(
        BudgetLine.objects.filter(application=draft).values_list("pk", flat=True)
    )
    response = client.post(
        url(draft, "begroting"),
        {
            "lines-TOTAL_FORMS": "2",
            "lines-INITIAL_FORMS": "0",
            "lines-0-category": "materiaal",
            "lines-0-description": "Pannen",
            "lines-0-amount": "100",
            "lines-1-category": "huur",
            "lines-1-description": "Zaal",
            "lines-1-amount": amount,
            "other-TOTAL_FORMS": "0",
            "other-INITIAL_FORMS": "0",
            "action": "next",
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    after = list(
        BudgetLine.objects.filter(application=draft).values_list("pk", flat=True)
    )
    assert after == before
    draft.refresh_from_db()
    assert draft.requested_cents == 250_000


def test_a_forged_number_of_rows_is_refused(client, draft):
    """A formset claiming a million rows is capped, not built."""
    response = client.post(
        url(draft, "begroting"),
        {
            "lines-TOTAL_FORMS": "1000000",
            "lines-INITIAL_FORMS": "0",
            "other-TOTAL_FORMS": "0",
            "other-INITIAL_FORMS": "0",
            "action": "next",
        },
    )
    assert response.status_code == 200
    assert BudgetLine.objects.filter(application=draft).count() == 1


@pytest.mark.parametrize(
    "iban", ["NL91ABNA0417164301", "NL00 0000", "DE89 3704 0044 0532 0130 01", SCRIPT]
)
def test_a_wrong_iban_is_refused_and_the_stored_one_kept(client, draft, iban):
    """A wrong IBAN is reported in Dutch; the stored IBAN is not overwritten."""
    response = client.post(
        url(draft, "organisatie"),
        {
            "kind": "organisatie",
            "name": "Stichting Buurtkracht",
            "kvk_number": "41234567",
            "contact_name": "Sanne",
            "contact_email": "sanne@example.nl",
            "street": "Oudegracht 1",
            "postcode": "3511 AB",
            "city": "Utrecht",
            "iban": iban,
            "account_holder": "Stichting Buurtkracht",
            "action": "next",
        },
    )
    assert "Dit IBAN klopt niet" in response.content.decode()
    assert Applicant.objects.get(pk=draft.applicant_id).iban == "NL91ABNA0417164300"


def test_an_executable_renamed_to_pdf_is_refused(client, draft):
    """The upload is judged by its content: refused, with a Dutch explanation."""
    exe = SimpleUploadedFile(
        "begroting.pdf",
        b"MZ\x90\x00\x03" + b"\x00" * 200,
        content_type="application/pdf",
    )
    response = client.post(
        url(draft, "bijlagen"), {"kind": "begroting", "file": exe, "action": "upload"}
    )
    content = response.content.decode()
    assert "Dit soort bestand kunnen wij niet aannemen" in content
    assert "niet naar de naam" in content
    assert not Document.objects.exists()


def test_a_forged_document_kind_is_refused(client, draft):
    """The applicant cannot upload something that pretends to be a decision letter."""
    pdf = SimpleUploadedFile("besluit.pdf", b"%PDF-1.4 nep")
    response = client.post(
        url(draft, "bijlagen"), {"kind": "beschikking", "file": pdf, "action": "upload"}
    )
    assert "Kies een soort document uit de lijst" in response.content.decode()
    assert not Document.objects.exists()


def test_a_forged_choice_is_refused(client, draft):
    """An applicant kind that is not offered is refused."""
    response = client.post(
        url(draft, "organisatie"), {"kind": "gemeente", "action": "next"}
    )
    assert "Kies een van de twee mogelijkheden" in response.content.decode()
    assert Applicant.objects.get(pk=draft.applicant_id).kind == "organisatie"
