"""The resident's journey with the test client: check, start, each step, documents,
submit with a receipt, and what follows (status, aanvulling, withdrawal)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone, translation

from subsidies import services, steps
from subsidies.models import (
    Applicant,
    Application,
    BudgetLine,
    Document,
    OutgoingMail,
    SupplementRequest,
    TransitionLog,
)
from subsidies.workflow import Status
from tests.drafts import QUICK_CHECK_ANSWERS
from tests.factories import (
    ApplicationFactory,
    RoundFactory,
    SchemeFactory,
    UserFactory,
    WijkFactory,
    assessor,
    decided_application,
)

pytestmark = pytest.mark.django_db

ORGANISATION = {
    "kind": "organisatie",
    "name": "Stichting Buurtkracht",
    "kvk_number": "41234567",
    "contact_name": "Sanne Visser",
    "contact_email": "sanne@example.nl",
    "street": "Oudegracht 1",
    "postcode": "3511 AB",
    "city": "Utrecht",
    "iban": "NL91ABNA0417164300",
    "account_holder": "Stichting Buurtkracht",
}


def _date(days):
    return (timezone.localdate() + timedelta(days=days)).strftime("%d-%m-%Y")


def step_url(application, step):
    return reverse("subsidies:step", args=[application.reference, step])


@pytest.fixture
def resident(client):
    user = UserFactory(role="Aanvrager", email="bewoner@example.nl")
    client.force_login(user)
    return user


@pytest.fixture
def draft(client, scheme, resident):
    response = client.post(reverse("subsidies:start", args=[scheme.slug]))
    application = Application.objects.get(created_by=resident)
    assert response["Location"] == step_url(application, "organisatie")
    return application


def _initiative(choices, **change):
    return {
        "title": "Buurtmaaltijd Hoograven",
        "summary": "Elke maand koken buren voor buren.",
        "wijk": choices["wijk"].pk,
        "buurten": [choices["buurt"].pk],
        "activity_start": _date(40),
        "activity_end": _date(120),
        "target_groups": [choices["group"].pk],
        "themes": [choices["theme"].pk],
        "partners-TOTAL_FORMS": "1",
        "partners-INITIAL_FORMS": "0",
        "partners-0-name": "Buurthuis De Boog",
        "partners-0-kind": "anders",
        "partners-0-role": "Geeft de ruimte.",
        "action": "next",
        **change,
    }


def _budget(*lines, action="next"):
    data = {
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": "0",
        "other-TOTAL_FORMS": "1",
        "other-INITIAL_FORMS": "0",
        "other-0-source": "Eigen bijdrage",
        "other-0-state": "eigen_bijdrage",
        "other-0-amount": "50",
        "action": action,
    }
    for index, (category, description, amount) in enumerate(lines):
        data[f"lines-{index}-category"] = category
        data[f"lines-{index}-description"] = description
        data[f"lines-{index}-amount"] = amount
    return data


def _fill_everything(client, application, choices):
    client.post(
        step_url(application, "organisatie"), {**ORGANISATION, "action": "next"}
    )
    client.post(step_url(application, "initiatief"), _initiative(choices))
    client.post(
        step_url(application, "impact"),
        {
            "impact_plan": "Buren leren elkaar kennen.",
            "expected_reach": "40",
            "volunteers": "6",
            "q_toegankelijk": "ja",
            "action": "next",
        },
    )
    client.post(
        step_url(application, "begroting"),
        _budget(("materiaal", "Pannen", "1.250,50"), ("huur", "Zaal", "300")),
    )


# --- before the form ------------------------------------------------------------------


def test_the_quick_check_says_which_scheme_fits(client, scheme):
    """Answering the ja/nee questions shows a verdict per scheme with a start button."""
    response = client.post(reverse("subsidies:check"), QUICK_CHECK_ANSWERS)
    assert response.status_code == 200
    content = response.content.decode()
    assert "past bij uw plan" in content
    assert reverse("subsidies:start", args=[scheme.slug]) in content


def test_the_quick_check_lists_unanswered_questions_above_the_form(client, scheme):
    """Unanswered questions appear in the error summary, linked to their first option."""
    response = client.post(reverse("subsidies:check"), {"started": "nee"})
    content = response.content.decode()
    assert "error-summary-title" in content
    assert 'href="#id_in_utrecht_0"' in content
    assert "<title>Fout: 9 fouten" in content


def test_an_anonymous_visitor_is_asked_to_log_in_before_starting(client, scheme):
    """The start page is public; starting needs a login and comes back here."""
    url = reverse("subsidies:start", args=[scheme.slug])
    response = client.get(url)
    assert response.status_code == 200
    assert f"{reverse('accounts:login')}?next={url}" in response.content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert not Application.objects.exists()


def test_starting_makes_a_concept_with_its_own_applicant(draft, resident, scheme):
    """Start: a concept in the open round, the user a member of a new applicant."""
    assert draft.status == Status.DRAFT
    assert draft.round.scheme == scheme
    assert draft.applicant.has_member(resident)
    assert draft.applicant.contact_email == resident.email
    assert draft.current_step == "organisatie"
    assert draft.question_set.version == 2


def test_a_second_application_copies_the_applicant_details(
    client, draft, resident, scheme
):
    """Details typed once are offered again (no redundant entry), as a separate copy."""
    client.post(step_url(draft, "organisatie"), {**ORGANISATION, "action": "next"})
    client.post(reverse("subsidies:start", args=[scheme.slug]))
    second = Application.objects.filter(created_by=resident).latest("pk")
    assert second.pk != draft.pk
    assert second.applicant.pk != draft.applicant.pk
    assert second.applicant.iban == "NL91ABNA0417164300"
    assert second.applicant.name == "Stichting Buurtkracht"


def test_no_open_round_means_no_start(client, resident):
    """Without an open round the start is refused with a message."""
    scheme = SchemeFactory(slug="flexbudget", name="Flexbudget", reference_prefix="SF")
    RoundFactory(scheme=scheme, closed=True)
    response = client.post(reverse("subsidies:start", args=[scheme.slug]), follow=True)
    assert "geen ronde open" in response.content.decode()
    assert not Application.objects.exists()


# --- the steps ---------------------------------------------------------------------------


@pytest.mark.parametrize("step", steps.SLUGS)
def test_every_step_offers_help_from_the_wijkbureau_and_the_sociaal_makelaar(
    client, draft, step
):
    """Each step of the form has the "Hulp nodig?" block with both contacts."""
    page = client.get(step_url(draft, step)).content.decode()
    assert "Hulp nodig?" in page
    assert "Het wijkbureau" in page and "De sociaal makelaar" in page
    assert 'href="tel:14030"' in page


def test_a_valid_step_is_saved_and_leads_to_the_next(client, draft):
    """The organisation step stores the applicant and moves on."""
    response = client.post(
        step_url(draft, "organisatie"), {**ORGANISATION, "action": "next"}
    )
    assert response["Location"] == step_url(draft, "initiatief")
    applicant = Applicant.objects.get(pk=draft.applicant_id)
    assert applicant.iban == "NL91ABNA0417164300"
    assert applicant.kvk_number == "41234567"
    draft.refresh_from_db()
    assert draft.current_step == "initiatief"


def test_a_step_with_an_error_keeps_what_was_typed_and_saves_what_was_right(
    client, draft
):
    """A wrong IBAN: the page comes back with it, the rest of the step is stored."""
    data = {**ORGANISATION, "iban": "NL91 ABNA 0417 1643 01", "action": "next"}
    response = client.post(step_url(draft, "organisatie"), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Dit IBAN klopt niet" in content
    assert (
        'value="NL91ABNA0417164301"' in content or "NL91 ABNA 0417 1643 01" in content
    )
    assert 'aria-invalid="true"' in content
    applicant = Applicant.objects.get(pk=draft.applicant_id)
    assert applicant.name == "Stichting Buurtkracht"
    assert applicant.iban == ""


def test_leaving_and_coming_back_resumes_at_the_last_step(client, draft, choices):
    """'Opslaan en later verder' saves; the resume link goes back to that step."""
    client.post(step_url(draft, "organisatie"), {**ORGANISATION, "action": "next"})
    response = client.post(
        step_url(draft, "initiatief"), _initiative(choices, action="save")
    )
    assert response["Location"] == reverse("subsidies:my_applications")
    client.logout()
    client.force_login(draft.created_by)
    response = client.get(reverse("subsidies:resume", args=[draft.reference]))
    assert response["Location"] == step_url(draft, "initiatief")
    page = client.get(step_url(draft, "initiatief")).content.decode()
    assert 'value="Buurtmaaltijd Hoograven"' in page
    assert "Buurthuis De Boog" in page


def test_the_initiative_step_stores_places_dates_choices_and_partners(
    client, draft, choices
):
    """Wijk, buurten, period, target groups, themes and partners are stored."""
    client.post(step_url(draft, "initiatief"), _initiative(choices))
    draft.refresh_from_db()
    assert draft.wijk == choices["wijk"]
    assert list(draft.buurten.all()) == [choices["buurt"]]
    assert draft.activity_start == timezone.localdate() + timedelta(days=40)
    assert draft.partners.get().name == "Buurthuis De Boog"
    assert list(draft.themes.all()) == [choices["theme"]]


def test_a_past_start_date_is_refused_but_the_title_is_kept(client, draft, choices):
    """An activity that already started is refused; the valid title is saved."""
    data = _initiative(choices, activity_start=_date(-3))
    response = client.post(step_url(draft, "initiatief"), data)
    assert "na vandaag" in response.content.decode()
    draft.refresh_from_db()
    assert draft.title == "Buurtmaaltijd Hoograven"
    assert draft.activity_start is None


def test_scheme_answers_are_stored_with_their_question_set_version(client, draft):
    """The impact step stores the scheme's answers and the version they answer."""
    client.post(
        step_url(draft, "impact"),
        {
            "impact_plan": "Meer contact.",
            "expected_reach": "30",
            "volunteers": "4",
            "q_toegankelijk": "nee",
            "action": "next",
        },
    )
    draft.refresh_from_db()
    assert draft.answers == {
        "toegankelijk": False,
        services.ANSWERS_VERSION_KEY: 2,
    }
    assert draft.expected_reach == 30


def test_the_budget_becomes_the_requested_amount(client, draft):
    """Budget lines in euros are stored in cents; the requested amount is their sum."""
    response = client.post(
        step_url(draft, "begroting"),
        _budget(("materiaal", "Pannen", "1.250,50"), ("huur", "Zaal", "300")),
    )
    assert response["Location"] == step_url(draft, "bijlagen")
    draft.refresh_from_db()
    assert draft.requested_cents == 155050
    assert sorted(draft.budget_lines.values_list("amount_cents", flat=True)) == [
        30000,
        125050,
    ]
    assert draft.other_funding.get().amount_cents == 5000


def test_a_budget_with_an_error_stores_nothing_and_shows_the_typed_total(client, draft):
    """One unreadable amount: nothing stored, every typed value shown again."""
    response = client.post(
        step_url(draft, "begroting"),
        _budget(("materiaal", "Pannen", "1.250,50"), ("huur", "Zaal", "twintig")),
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Kostenpost 2: Vul een bedrag" in content
    assert 'value="twintig"' in content
    assert "€\u00a01.250,50" in content
    assert not BudgetLine.objects.filter(application=draft).exists()


def test_an_allowed_document_is_stored_privately_and_a_renamed_executable_is_not(
    client, draft
):
    """A real PDF is stored with its checked type; an .exe called .pdf is refused."""
    url = step_url(draft, "bijlagen")
    exe = SimpleUploadedFile("begroting.pdf", b"MZ\x90\x00" + b"\x00" * 64)
    response = client.post(url, {"kind": "begroting", "file": exe, "action": "upload"})
    assert response.status_code == 200
    assert "Dit soort bestand kunnen wij niet aannemen" in response.content.decode()
    assert not Document.objects.exists()

    pdf = SimpleUploadedFile("../../lijst.pdf", b"%PDF-1.4\nhandtekeningen")
    response = client.post(url, {"kind": "draagvlak", "file": pdf, "action": "upload"})
    assert response["Location"] == url
    document = Document.objects.get()
    assert document.original_name == "lijst.pdf"
    assert document.content_type == "application/pdf"
    assert document.file.storage is not None
    assert document.file.name.startswith(f"applications/{draft.pk}/")

    delete = reverse("subsidies:document_delete", args=[draft.reference, document.pk])
    client.post(delete)
    assert not Document.objects.exists()


def test_upload_without_a_file_asks_for_one(client, draft):
    """'Bestand toevoegen' without a file says so."""
    response = client.post(
        step_url(draft, "bijlagen"), {"kind": "draagvlak", "action": "upload"}
    )
    assert "Kies eerst een bestand" in response.content.decode()


# --- submitting ----------------------------------------------------------------------------


def test_the_review_lists_what_is_missing_and_refuses_to_send(client, draft):
    """An incomplete concept: the problems per step in Dutch, and it stays a concept."""
    response = client.post(
        step_url(draft, "controle"), {"truthful_declaration": "on", "action": "submit"}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Dit moet u nog aanvullen" in content
    assert "Vul het IBAN in." in content
    assert "Kies de wijk van de activiteit." in content
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert not draft.truthful_declaration
    assert not OutgoingMail.objects.exists()


def test_the_declaration_is_required(client, draft, choices):
    """Without the truthful declaration nothing is sent."""
    _fill_everything(client, draft, choices)
    response = client.post(step_url(draft, "controle"), {"action": "submit"})
    assert "naar waarheid" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_submitting_sends_the_application_and_a_receipt_with_a_copy(
    client, draft, choices, resident, django_capture_on_commit_callbacks
):
    """Submit fires the workflow; the receipt (sent after the commit, through the
    outbox) has the reference and every answer."""
    _fill_everything(client, draft, choices)
    # Step 1 asked the typed contact address (sanne@) to confirm itself, by link only.
    (confirmation,) = OutgoingMail.objects.all()
    assert confirmation.to == ["sanne@example.nl"]
    assert "Buurtmaaltijd Hoograven" not in confirmation.body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            step_url(draft, "controle"),
            {
                "truthful_declaration": "on",
                "decisions_by_email": "on",
                "action": "submit",
            },
        )
    assert response["Location"] == reverse("subsidies:received", args=[draft.reference])
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    assert draft.decision_due_at is not None
    assert draft.applicant.accepts_electronic_decisions is True
    log = TransitionLog.objects.get(application=draft)
    assert (log.transition, log.actor) == ("submit", resident)

    receipts = OutgoingMail.objects.exclude(pk=confirmation.pk)
    assert [item.reference for item in receipts] == [draft.reference]
    assert len(mail.outbox) == 1
    receipt = mail.outbox[0]
    assert draft.reference in receipt.subject
    # Only the login address, proved by the login link; the typed contact address
    # (sanne@) is not confirmed yet and gets nothing more (docs/security.md).
    assert receipt.to == ["bewoner@example.nl"]
    for text in (
        "Buurtmaaltijd Hoograven",
        "IBAN: NL91 **** **** 4300",
        "Oudegracht 1, 3511 AB Utrecht",
        "€ 1.250,50",
        "Toegankelijk?: Ja",
        "Gevraagd bedrag (totaal): € 1.550,50",
    ):
        assert text in receipt.body
    assert "NL91ABNA0417164300" not in receipt.body.replace(" ", "")

    page = client.get(reverse("subsidies:received", args=[draft.reference]))
    assert draft.reference in page.content.decode()


def test_my_applications_shows_each_with_its_public_status(client, resident):
    """The list shows the user's own applications with the public label only."""
    mine = ApplicationFactory(submitted=True)
    mine.applicant.members.add(resident)
    foreign = ApplicationFactory(submitted=True)
    content = client.get(reverse("subsidies:my_applications")).content.decode()
    assert mine.reference in content
    assert foreign.reference not in content
    assert "Ontvangen" in content


def test_the_status_page_tells_the_story_in_public_words(client):
    """Timeline in public words, the decision date, and no staff names."""
    application = ApplicationFactory(submitted=True)
    staff = assessor(email="a.beoordelaar@utrecht.example")
    services.fire(
        application=application,
        transition="request_supplement",
        actor=staff,
        due_at=timezone.now() + timedelta(days=10),
    )
    client.force_login(application.applicant_user)
    content = client.get(
        reverse("subsidies:detail", args=[application.reference])
    ).content.decode()
    assert "U heeft de aanvraag verstuurd" in content
    assert "Wij hebben u gevraagd om meer informatie" in content
    assert "De termijn staat stil" in content
    assert staff.email not in content
    assert "Aanvraag intrekken" in content


def _status_page(client, application):
    client.force_login(application.applicant.members.first())
    url = reverse("subsidies:detail", args=[application.reference])
    return client.get(url).content.decode()


def _dutch_date(moment):
    with translation.override("nl"):
        return date_filter(timezone.localtime(moment), "j F Y")


def test_the_status_page_and_the_list_show_the_decision_deadline(client):
    """While it waits, the resident sees the last day for the decision."""
    application = ApplicationFactory(submitted=True)
    due = _dutch_date(application.decision_due_at)
    content = _status_page(client, application)
    assert "U krijgt een besluit uiterlijk op" in content and due in content
    listing = client.get(reverse("subsidies:my_applications")).content.decode()
    assert "Besluit uiterlijk" in listing and due in listing


def test_a_decided_application_shows_its_decision_date_and_amount(client):
    """After the award: the decision date and the amount awarded, no deadline."""
    application = decided_application(
        round=RoundFactory(), wijk=WijkFactory(), awarded_cents=180_000
    )
    content = _status_page(client, application)
    assert "Besloten op" in content
    assert _dutch_date(application.decided_at) in content
    assert "Toegekend bedrag" in content and "€\u00a01.800,00" in content
    assert "U krijgt een besluit uiterlijk op" not in content


# --- after submitting ---------------------------------------------------------------------


@pytest.fixture
def supplement_asked():
    return ApplicationFactory(
        supplement_requested=True,
        supplement_message="Stuur de lijst met handtekeningen mee.",
    )


def test_answering_a_request_for_more_information(
    client, supplement_asked, django_capture_on_commit_callbacks
):
    """The answer and its files are stored, the application goes back to 'ingediend'."""
    application = supplement_asked
    client.force_login(application.applicant_user)
    url = reverse("subsidies:supplement", args=[application.reference])
    page = client.get(url).content.decode()
    assert "Stuur de lijst met handtekeningen mee." in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "answer": "Hierbij de lijst.",
                "files": [SimpleUploadedFile("lijst.pdf", b"%PDF-1.4 lijst")],
            },
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    request = application.supplement_requests.get()
    assert request.answer == "Hierbij de lijst." and request.answered_at
    assert application.documents.get().kind == Document.Kind.SUPPLEMENT
    assert "aanvulling" in mail.outbox[-1].subject


def test_an_answer_after_the_deadline_is_refused_and_stores_nothing(
    client, supplement_asked
):
    """After the hersteltermijn the answer is refused; nothing is stored half."""
    application = supplement_asked
    past = timezone.now() - timedelta(days=1)
    SupplementRequest.objects.filter(application=application).update(due_at=past)
    Application.objects.filter(pk=application.pk).update(supplement_due_at=past)
    client.force_login(application.applicant_user)
    response = client.post(
        reverse("subsidies:supplement", args=[application.reference]),
        {
            "answer": "Te laat.",
            "files": [SimpleUploadedFile("lijst.pdf", b"%PDF-1.4 lijst")],
        },
    )
    assert "termijn" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.SUPPLEMENT_REQUESTED
    assert not application.documents.exists()
    assert application.supplement_requests.get().answer == ""


def test_a_refused_file_in_an_aanvulling_is_reported(client, supplement_asked):
    """An executable among the files: a Dutch error, nothing stored."""
    application = supplement_asked
    client.force_login(application.applicant_user)
    response = client.post(
        reverse("subsidies:supplement", args=[application.reference]),
        {
            "answer": "Hier.",
            "files": [SimpleUploadedFile("scan.pdf", b"MZ\x90\x00" + b"\x00" * 40)],
        },
    )
    assert "niet aannemen" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.SUPPLEMENT_REQUESTED


def test_withdrawing_asks_for_confirmation_first(
    client, django_capture_on_commit_callbacks
):
    """GET shows the question; only the POST withdraws, and a mail confirms it."""
    application = ApplicationFactory(submitted=True)
    client.force_login(application.applicant_user)
    url = reverse("subsidies:withdraw", args=[application.reference])
    page = client.get(url).content.decode()
    assert "Weet u zeker" in page
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"reason": "Het gaat niet door."})
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    assert TransitionLog.objects.filter(
        application=application, transition="withdraw", reason="Het gaat niet door."
    ).exists()
    assert "ingetrokken" in mail.outbox[-1].subject
    assert client.get(url)["Location"] == reverse(
        "subsidies:detail", args=[application.reference]
    )


def test_the_receipts_copy_is_in_the_mail_language_not_the_pages(
    client, draft, choices, django_capture_on_commit_callbacks
):
    """The resident's e-mails are English (chosen earlier, or by the wijkbureau), but
    this browser shows Dutch (no language chosen here): the receipt is English all
    through, its copy of the answers too, and sending does not turn it Dutch."""
    _fill_everything(client, draft, choices)
    Applicant.objects.filter(pk=draft.applicant_id).update(mail_language="en")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            step_url(draft, "controle"),
            {"truthful_declaration": "on", "action": "submit"},
        )
    assert response.status_code == 302
    assert Applicant.objects.get(pk=draft.applicant_id).mail_language == "en"
    receipt = OutgoingMail.objects.filter(reference=draft.reference).last()
    assert "Number of volunteers" in receipt.body
    assert "Aantal vrijwilligers" not in receipt.body


def test_emptying_the_contact_e_mail_turns_decisions_by_e_mail_off(draft, resident):
    """Without an address a decision can only come by post: the stored choice goes
    off with the address, so the review step never asks to untick a box it hides."""
    Applicant.objects.filter(pk=draft.applicant_id).update(
        accepts_electronic_decisions=True
    )
    draft.refresh_from_db()
    services.applicant_update(
        application=draft, user=resident, fields={"contact_email": ""}
    )
    stored = Applicant.objects.get(pk=draft.applicant_id)
    assert stored.contact_email == ""
    assert stored.accepts_electronic_decisions is False
