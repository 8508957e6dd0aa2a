"""A new resident, in a real browser, from the home page to the decision letter.

One deliberate mistake per step is reported above the form and at the field, and
nothing typed is lost; halfway the browser is closed and the resident comes back on
a fresh one (a new context: no cookies) and resumes where they were. axe-core checks
every page, with and without errors, against WCAG 2.2 AA. After the submission the
staff work runs through the real services (randvoorwaarden, the assessors, a fixed
allocation run, the letter batch) and the resident, back in Chromium, sees the
decision on "Mijn aanvragen" and downloads the beschikking.
"""

import re
import subprocess
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from beoordeling.assessment import services as assessment_services
from beoordeling.decisions.services import decisions
from beoordeling.decisions.services import letters as letter_services
from beoordeling.models import Decision, Rubric
from subsidies.models import Application, Document
from subsidies.workflow import Status
from tests.beoordeling.assessment.test_assessment_services import (
    IF_SCORES,
    confirm_all,
    scores,
)
from tests.factories import TeamFactory, assessor, decision_maker, rubric_for

from .conftest import answer_quick_check, log_in_by_mail

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "fatima.bewoner@example.nl"
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 256
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _day(days):
    return (timezone.localdate() + timedelta(days=days)).strftime("%d-%m-%Y")


def _summary(page):
    return page.locator(".portal-error-summary")


def _expect_error(page, text):
    expect(_summary(page)).to_be_visible()
    expect(page.locator("#error-summary-title")).to_be_focused()
    expect(_summary(page)).to_contain_text(text)


def _staff_decide_and_send_the_letter(application):
    """The staff chain through the real services: the randvoorwaarden accepted, the
    scheme's number of assessors, of a team for the wijk, assigned and scoring, a fixed allocation run of
    the round, and the letter batch run at once. Returns the decision maker."""
    scheme = application.round.scheme
    Rubric.objects.current_for(scheme) or rubric_for(scheme)
    people = [assessor() for _ in range(scheme.assessors_required)]
    TeamFactory(members=people, wijken=[application.wijk])
    assessment_services.preconditions_record(
        application=application, actor=people[0], choices=confirm_all(application)
    )
    for person in people:
        assessment = assessment_services.assessor_assign(
            application=application, assessor=person, actor=person
        )
        assessment = assessment_services.assessment_declare(
            assessment=assessment, actor=person, conflict=False
        )
        assessment_services.assessment_save(
            assessment=assessment, actor=person, scores=scores(IF_SCORES), submit=True
        )
    application.refresh_from_db()
    assert application.status == Status.ASSESSED
    decider = decision_maker()
    run = decisions.allocation_run_create(round=application.round, actor=decider)
    decisions.allocation_run_fix(run=run, actor=decider)
    application.refresh_from_db()
    # The initiatievenfonds fixes an award up to € 5.000 in the verlening itself.
    assert application.status == Status.FIXED
    batch = decisions.letter_batch_start(
        round=application.round, actor=decider, enqueue=False
    )
    counts = letter_services.letter_batch_run(batch_id=batch.pk)
    batch.refresh_from_db()
    assert counts["done"] == 1, batch.errors
    return decider


def _pdf_text(path):
    """The text of a PDF as pdftotext reads it, whitespace folded to single spaces."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return " ".join(text.replace("\xa0", " ").split())


def test_a_new_resident_applies_from_the_home_page_to_the_decision_letter(
    site, browser, context, assert_accessible, tmp_path
):
    """Home, quick check, login by mail link, six steps with a mistake each, a
    closed browser, resume, submission, receipt and the status page; then the staff
    decide through the services, and the resident sees the award on "Mijn
    aanvragen" and downloads the beschikking, whose text names the reference, the
    title and the awarded amount as the status page shows it."""
    page = context.new_page()

    # --- the home page, with the Utrecht CSS really loaded ----------------------------
    page.goto(site + "/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    red = page.locator(".portal-nav").evaluate(
        "element => getComputedStyle(element).backgroundColor"
    )
    assert red == "rgb(204, 0, 0)"
    assert_accessible(page, "the home page")

    # --- the quick check: first without answers, then with ----------------------------
    page.get_by_role("link", name="Doe de snelle check").first.click()
    expect(page).to_have_url(re.compile(r"/aanvragen/$"))
    assert_accessible(page, "the quick check")
    page.get_by_role("button", name="Bekijk welke regeling past").click()
    _expect_error(page, "Is uw activiteit al begonnen?")
    assert_accessible(page, "the quick check with errors")
    answer_quick_check(page)
    assert_accessible(page, "the quick check result")
    page.get_by_role("link", name="Vraag aan bij Initiatievenfonds").click()

    # --- start page and login by e-mail link ------------------------------------------
    expect(
        page.get_by_role("heading", name="Initiatievenfonds", level=1)
    ).to_be_visible()
    assert_accessible(page, "the start page")
    page.get_by_role("link", name="Inloggen en beginnen").click()
    assert_accessible(page, "the login page")
    page.get_by_label("Uw e-mailadres").fill("fatima@")
    page.get_by_role("button", name="Stuur mij een inloglink").click()
    _expect_error(page, "naam@voorbeeld.nl")
    expect(page.get_by_label("Uw e-mailadres")).to_have_value("fatima@")
    assert_accessible(page, "the login page with an error")
    log_in_by_mail(page, EMAIL)
    expect(page).to_have_url(re.compile(r"/aanvragen/initiatievenfonds/$"))
    page.get_by_role("button", name="Start de aanvraag").click()

    # --- step 1: the applicant, with a wrong IBAN -------------------------------------
    expect(
        page.get_by_role("heading", name="Over de aanvrager", level=1)
    ).to_be_visible()
    assert_accessible(page, "step 1")
    page.get_by_label("Bewonersgroep zonder rechtsvorm").check()
    page.get_by_label("Naam van de stichting, vereniging of bewonersgroep").fill(
        "Bewonersgroep Eettafel Hoograven"
    )
    page.get_by_label("Naam van de contactpersoon").fill("Fatima El Amrani")
    expect(page.get_by_label("E-mailadres van de contactpersoon")).to_have_value(EMAIL)
    page.get_by_label("Straat en huisnummer").fill("Hoofdstraat 12")
    page.get_by_label("Postcode").fill("3526 AB")
    page.get_by_label("IBAN (rekeningnummer)").fill("NL91 ABNA 0417 1643 01")
    page.get_by_label("Tenaamstelling van de rekening").fill("F. El Amrani")
    page.get_by_role("button", name="Opslaan en verder").click()
    _expect_error(page, "Dit IBAN klopt niet")
    expect(
        page.get_by_label("Naam van de stichting, vereniging of bewonersgroep")
    ).to_have_value("Bewonersgroep Eettafel Hoograven")
    expect(page.get_by_label("Naam van de contactpersoon")).to_have_value(
        "Fatima El Amrani"
    )
    expect(page.get_by_label("Postcode")).to_have_value("3526 AB")
    expect(page.get_by_label("IBAN (rekeningnummer)")).to_have_value(
        "NL91 ABNA 0417 1643 01"
    )
    expect(page.get_by_label("IBAN (rekeningnummer)")).to_have_attribute(
        "aria-invalid", "true"
    )
    assert_accessible(page, "step 1 with an error")
    _summary(page).get_by_role("link", name=re.compile("Dit IBAN klopt niet")).click()
    expect(page.get_by_label("IBAN (rekeningnummer)")).to_be_focused()
    page.get_by_label("IBAN (rekeningnummer)").fill("NL91 ABNA 0417 1643 00")
    page.get_by_role("button", name="Opslaan en verder").click()

    # --- step 2: the initiative, with the end before the start ------------------------
    expect(page.get_by_role("heading", name="Uw initiatief", level=1)).to_be_visible()
    assert_accessible(page, "step 2")
    page.get_by_label("Titel van uw initiatief").fill("Eettafel voor buren")
    page.get_by_label("Korte beschrijving").fill(
        "Elke woensdag koken buren voor buren die alleen wonen."
    )
    page.get_by_label("In welke wijk vindt de activiteit plaats?").select_option(
        label="Zuid"
    )
    page.get_by_label("Hoograven (Zuid)").check()
    page.get_by_label("Eerste dag van de activiteit").fill(_day(40))
    page.get_by_label("Laatste dag van de activiteit").fill(_day(10))
    page.get_by_label("Ouderen", exact=True).check()
    page.get_by_label("Samen eten", exact=True).check()
    page.get_by_label("Naam van de partner").fill("Buurthuis De Boog")
    page.get_by_role("button", name="Opslaan en verder").click()
    _expect_error(page, "De laatste dag ligt voor de eerste dag")
    expect(page.get_by_label("Titel van uw initiatief")).to_have_value(
        "Eettafel voor buren"
    )
    expect(page.get_by_label("Laatste dag van de activiteit")).to_have_value(_day(10))
    expect(page.get_by_label("Hoograven (Zuid)")).to_be_checked()
    assert_accessible(page, "step 2 with an error")
    page.get_by_label("Laatste dag van de activiteit").fill(_day(200))
    page.get_by_role("button", name="Opslaan en verder").click()

    # --- step 3: impact, with a scheme question left open -----------------------------
    expect(
        page.get_by_role("heading", name="Wat levert het op?", level=1)
    ).to_be_visible()
    assert_accessible(page, "step 3")
    page.get_by_label("Wat verandert er door uw initiatief?").fill(
        "Buren die alleen wonen eten samen en leren elkaar kennen. We tellen de "
        "gasten en vragen twee keer per jaar wat het hun oplevert."
    )
    page.get_by_label("Hoeveel mensen doen ongeveer mee?").fill("35")
    page.get_by_label("Hoeveel vrijwilligers helpen mee?").fill("6")
    page.get_by_label("In hoeveel eerdere jaren").fill("0")
    page.get_by_label("Hoe weet u dat de buurt dit wil?").fill(
        "Veertig buren tekenden de lijst."
    )
    page.locator("input[name=q_toegankelijk][value=ja]").check()
    page.get_by_role("button", name="Opslaan en verder").click()
    _expect_error(page, "Draait uw initiatief helemaal op vrijwilligers?")
    expect(page.get_by_label("Hoeveel mensen doen ongeveer mee?")).to_have_value("35")
    expect(page.get_by_label("Wat verandert er door uw initiatief?")).to_have_value(
        re.compile(r"^Buren die alleen wonen eten samen")
    )
    expect(page.locator("input[name=q_toegankelijk][value=ja]")).to_be_checked()
    assert_accessible(page, "step 3 with an error")
    page.locator("input[name=q_volledig_vrijwillig][value=ja]").check()
    page.get_by_role("button", name="Opslaan en verder").click()
    expect(page.get_by_role("heading", name="Begroting", level=1)).to_be_visible()

    # --- the resident closes the browser and comes back on a fresh one ----------------
    context.close()
    fresh = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    fresh.set_default_timeout(10_000)
    page = fresh.new_page()
    page.goto(site + "/mijn-aanvragen/")
    expect(page).to_have_url(re.compile(r"/inloggen/\?next="))
    log_in_by_mail(page, EMAIL)
    expect(page.get_by_role("heading", name="Mijn aanvragen")).to_be_visible()
    expect(page.get_by_text("U was bij stap 4: Begroting.")).to_be_visible()
    assert_accessible(page, "Mijn aanvragen with a concept")
    page.get_by_role("link", name="Verder met invullen").click()

    # --- step 4: the budget, with an amount in words ----------------------------------
    expect(page.get_by_role("heading", name="Begroting", level=1)).to_be_visible()
    expect(page.locator(".portal-stepper__item--done")).to_have_count(3)
    assert_accessible(page, "step 4")
    page.locator("select[name='lines-0-category']").select_option(
        label="Eten en drinken"
    )
    page.locator("input[name='lines-0-description']").fill("Boodschappen")
    page.locator("input[name='lines-0-amount']").fill("1.250,50")
    page.locator("select[name='lines-1-category']").select_option(
        label="Huur van ruimte"
    )
    page.locator("input[name='lines-1-description']").fill("Zaal in het buurthuis")
    page.locator("input[name='lines-1-amount']").fill("twintig")
    expect(page.locator("[data-budget-total]")).to_have_text("€ 1.250,50 *")
    page.get_by_role("button", name="Opslaan en verder").click()
    _expect_error(page, "Kostenpost 2: Vul een bedrag")
    expect(page.locator("input[name='lines-1-amount']")).to_have_value("twintig")
    expect(page.locator("input[name='lines-0-amount']")).to_have_value("1.250,50")
    assert_accessible(page, "step 4 with an error")
    page.locator("input[name='lines-1-amount']").fill("300")
    expect(page.locator("[data-budget-total]")).to_have_text("€ 1.550,50")
    page.get_by_role("button", name="Opslaan en verder").click()

    # --- step 5: documents, first an executable called .pdf ---------------------------
    expect(page.get_by_role("heading", name="Bijlagen", level=1)).to_be_visible()
    assert_accessible(page, "step 5")
    page.get_by_label("Wat voor document is het?").select_option(label="Begroting")
    page.get_by_label("Kies een bestand").set_input_files(
        {"name": "begroting.pdf", "mimeType": "application/pdf", "buffer": EXECUTABLE}
    )
    page.get_by_role("button", name="Bestand toevoegen").click()
    _expect_error(page, "Dit soort bestand kunnen wij niet aannemen")
    expect(page.get_by_label("Wat voor document is het?")).to_have_value("begroting")
    assert_accessible(page, "step 5 with an error")
    page.get_by_label("Wat voor document is het?").select_option(
        label="Bewijs van draagvlak"
    )
    page.get_by_label("Kies een bestand").set_input_files(
        {"name": "handtekeningen.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Bestand toevoegen").click()
    expect(page.get_by_role("link", name="handtekeningen.pdf")).to_be_visible()
    page.get_by_role("button", name="Opslaan en verder").click()

    # --- step 6: review, first without the declaration --------------------------------
    expect(
        page.get_by_role("heading", name="Controleren en versturen", level=1)
    ).to_be_visible()
    expect(page.get_by_text("Dit moet u nog aanvullen")).to_have_count(0)
    assert_accessible(page, "step 6")
    by_email = page.get_by_label(re.compile("Ik wil het besluit over deze aanvraag"))
    by_email.check()
    page.get_by_role("button", name="Aanvraag versturen").click()
    _expect_error(page, "naar waarheid")
    expect(by_email).to_be_checked()
    assert_accessible(page, "step 6 with an error")
    page.get_by_label("Ik verklaar dat ik alles naar waarheid heb ingevuld.").check()
    page.get_by_role("button", name="Aanvraag versturen").click()

    # --- received, the receipt e-mail, the status page --------------------------------
    expect(
        page.get_by_role("heading", name="Wij hebben uw aanvraag ontvangen")
    ).to_be_visible()
    assert_accessible(page, "the confirmation")
    application = Application.objects.get(applicant__members__email=EMAIL)
    assert application.status == Status.SUBMITTED
    assert application.requested_cents == 155050
    assert application.answers["volledig_vrijwillig"] is True
    assert application.applicant.accepts_electronic_decisions is True
    assert Document.objects.get(application=application).original_name == (
        "handtekeningen.pdf"
    )
    receipt = next(m for m in mail.outbox if application.reference in m.subject)
    assert "Eettafel voor buren" in receipt.body
    page.get_by_role("link", name="Bekijk de status van uw aanvraag").click()
    expect(page.locator(".portal-status")).to_have_text("Ontvangen")
    expect(page.get_by_text("U heeft de aanvraag verstuurd.")).to_be_visible()
    assert_accessible(page, "the status page")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Mijn aanvragen"
    ).click()
    expect(page.get_by_text(application.reference)).to_be_visible()
    assert_accessible(page, "Mijn aanvragen")

    # --- the staff decide, through the real services ----------------------------------
    _staff_decide_and_send_the_letter(application)
    application.refresh_from_db()
    assert Decision.objects.filter(application=application, kind="verlening").exists()

    # --- back on Mijn aanvragen: the decision and the beschikking ---------------------
    page.reload()
    item = page.locator(".portal-application").filter(has_text=application.reference)
    expect(item.locator(".portal-status")).to_have_text("Subsidie vastgesteld")
    assert_accessible(page, "Mijn aanvragen with a decision")
    item.get_by_role("link", name="Eettafel voor buren").click()
    expect(page.locator(".portal-status")).to_have_text("Subsidie vastgesteld")
    fixed = page.locator(".portal-facts__row").filter(has_text="Vastgesteld bedrag")
    expect(fixed.locator("dd")).to_have_text("€\u00a01.550,00")
    awarded = page.locator(".portal-facts__row").filter(has_text="Toegekend bedrag")
    shown = " ".join(awarded.locator("dd").inner_text().replace("\xa0", " ").split())
    # The proposal is the requested € 1.550,50 rounded down to whole euros
    # (beoordeling/scoring.py), and the run awards it in full.
    assert application.awarded_cents == 155000
    assert shown == "€ 1.550,00"
    expect(page.get_by_role("heading", name="Het besluit")).to_be_visible()
    assert_accessible(page, "the status page with the decision")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"Download het besluit \(PDF")).click()
    download = download_info.value
    assert download.suggested_filename == f"besluit-{application.reference}.pdf"
    letter = tmp_path / download.suggested_filename
    download.save_as(letter)
    assert letter.read_bytes().startswith(b"%PDF")
    text = _pdf_text(letter)
    assert application.reference in text
    assert "Eettafel voor buren" in text
    assert shown in text, (shown, text)
    fresh.close()
