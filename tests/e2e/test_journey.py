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

import pytest
from django.core import mail
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
from .journey import (
    DUTCH,
    REQUESTED_CENTS,
    expect_error,
    fill_steps_four_to_six,
    fill_steps_one_to_three,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "fatima.bewoner@example.nl"


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
    expect_error(page, "Is uw activiteit al begonnen?")
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
    expect_error(page, "naam@voorbeeld.nl")
    expect(page.get_by_label("Uw e-mailadres")).to_have_value("fatima@")
    assert_accessible(page, "the login page with an error")
    log_in_by_mail(page, EMAIL)
    expect(page).to_have_url(re.compile(r"/aanvragen/initiatievenfonds/$"))
    page.get_by_role("button", name="Start de aanvraag").click()

    fill_steps_one_to_three(page, DUTCH, assert_accessible, email=EMAIL)

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

    fill_steps_four_to_six(page, DUTCH, assert_accessible)

    # --- received, the receipt e-mail, the status page --------------------------------
    expect(
        page.get_by_role("heading", name="Wij hebben uw aanvraag ontvangen")
    ).to_be_visible()
    assert_accessible(page, "the confirmation")
    application = Application.objects.get(applicant__members__email=EMAIL)
    assert application.status == Status.SUBMITTED
    assert application.requested_cents == REQUESTED_CENTS
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
