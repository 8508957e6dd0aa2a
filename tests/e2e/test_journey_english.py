"""The resident journey of test_journey.py in English, in a real browser.

The resident opens the Dutch home page, presses "English" in the header and stays on
the same page, now in English. From there: the quick check, the login by e-mail link,
the six steps with one mistake each (English messages in the summary and at the
field), the submission, the English receipt e-mail and the status page. axe-core
checks every page, with and without errors, against WCAG 2.2 AA. Content that lives in
the database (scheme names and their extra questions, wijken, buurten, target groups
and themes) stays Dutch, so those labels are Dutch here too.

portal/urls.py does not route ``set_language`` yet; tests/i18n/urls.py adds it.
"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from cms.demo import seed_english
from subsidies.models import Application, Document
from subsidies.workflow import Status

from .conftest import QUICK_CHECK_ANSWERS, login_link_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "sam.resident@example.org"
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 256
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def english_site(site, settings):
    settings.ROOT_URLCONF = "tests.i18n.urls"
    seed_english()
    return site


def _day(days):
    return (timezone.localdate() + timedelta(days=days)).strftime("%d-%m-%Y")


def _summary(page):
    return page.locator(".portal-error-summary")


def _expect_error(page, text):
    expect(_summary(page)).to_be_visible()
    expect(page.locator("#error-summary-title")).to_be_focused()
    expect(_summary(page)).to_contain_text(text)


def test_a_resident_applies_in_english(english_site, context, assert_accessible):
    """Switch to English on the home page (same URL, lang="en"), then the quick
    check, login, six steps with a mistake each, submission, the English receipt and
    the status page, with axe at 0 violations on every page."""
    site = english_site
    page = context.new_page()

    # --- the Dutch home page; the switch keeps the page --------------------------------
    page.goto(site + "/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    switch = page.locator("[data-language-switch]")
    expect(switch.get_by_role("button", name="English")).to_have_attribute("lang", "en")
    assert_accessible(page, "the Dutch home page with the language switch")
    switch.get_by_role("button", name="English").click()
    expect(page).to_have_url(site + "/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(
        page.get_by_role("heading", name="Money for your plan in the neighbourhood")
    ).to_be_visible()
    expect(
        page.locator("[data-language-switch]").get_by_role("button", name="English")
    ).to_have_attribute("aria-pressed", "true")
    assert_accessible(page, "the English home page")

    # --- the quick check ---------------------------------------------------------------
    page.get_by_role("link", name="Do the quick check").first.click()
    expect(page).to_have_url(re.compile(r"/aanvragen/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(page, "the quick check")
    page.get_by_role("button", name="See which scheme fits").click()
    _expect_error(page, "Has your activity already started?")
    assert_accessible(page, "the quick check with errors")
    for name, value in QUICK_CHECK_ANSWERS.items():
        page.locator(f"input[name={name}][value={value}]").check()
    page.get_by_role("button", name="See which scheme fits").click()
    expect(page.get_by_role("heading", name="Result")).to_be_visible()
    assert_accessible(page, "the quick check result")
    page.get_by_role("link", name="Apply to Initiatievenfonds").click()

    # --- start page and login by e-mail link -------------------------------------------
    expect(page.get_by_role("heading", name="What you need")).to_be_visible()
    assert_accessible(page, "the start page")
    page.get_by_role("link", name="Log in and start").click()
    assert_accessible(page, "the login page")
    page.get_by_label("Your e-mail address").fill("sam@")
    page.get_by_role("button", name="Send me a login link").click()
    _expect_error(page, "name@example.com")
    expect(page.get_by_label("Your e-mail address")).to_have_value("sam@")
    assert_accessible(page, "the login page with an error")
    page.get_by_label("Your e-mail address").fill(EMAIL)
    page.get_by_role("button", name="Send me a login link").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    assert_accessible(page, "the login-link-sent page")
    login_mail = next(m for m in reversed(mail.outbox) if EMAIL in m.to)
    assert login_mail.subject == "Your login link for the Initiatiefloket"
    page.goto(login_link_for(EMAIL))
    assert_accessible(page, "the page behind the login link")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/aanvragen/initiatievenfonds/$"))
    page.get_by_role("button", name="Start the application").click()

    # --- step 1: the applicant, with a wrong IBAN --------------------------------------
    expect(
        page.get_by_role("heading", name="About the applicant", level=1)
    ).to_be_visible()
    assert_accessible(page, "step 1")
    page.get_by_label("Residents' group without a legal form").check()
    page.get_by_label("Name of the foundation, association or residents' group").fill(
        "Residents of Hoograven"
    )
    page.get_by_label("Name of the contact person").fill("Sam Jansen")
    page.get_by_label("Street and house number").fill("Hoofdstraat 12")
    page.get_by_label("Postcode").fill("3526 AB")
    page.get_by_label("IBAN (account number)").fill("NL91 ABNA 0417 1643 01")
    page.get_by_label("Account holder's name").fill("S. Jansen")
    page.get_by_role("button", name="Save and continue", exact=True).click()
    _expect_error(page, "This IBAN is not correct")
    expect(page.get_by_label("Name of the contact person")).to_have_value("Sam Jansen")
    expect(page.get_by_label("IBAN (account number)")).to_have_attribute(
        "aria-invalid", "true"
    )
    assert_accessible(page, "step 1 with an error")
    page.get_by_label("IBAN (account number)").fill("NL91 ABNA 0417 1643 00")
    page.get_by_role("button", name="Save and continue", exact=True).click()

    # --- step 2: the initiative, with the end before the start -------------------------
    expect(page.get_by_role("heading", name="Your initiative", level=1)).to_be_visible()
    assert_accessible(page, "step 2")
    page.get_by_label("Title of your initiative").fill("Dinner table for neighbours")
    page.get_by_label("Short description").fill(
        "Every Wednesday neighbours cook for neighbours who live alone."
    )
    page.get_by_label(
        "In which district (wijk) does the activity take place?"
    ).select_option(label="Zuid")
    page.get_by_label("Hoograven (Zuid)").check()
    page.get_by_label("First day of the activity").fill(_day(40))
    page.get_by_label("Last day of the activity").fill(_day(10))
    page.get_by_label("Ouderen", exact=True).check()
    page.get_by_label("Samen eten", exact=True).check()
    page.get_by_role("button", name="Save and continue", exact=True).click()
    _expect_error(page, "The last day is before the first day")
    expect(page.get_by_label("Title of your initiative")).to_have_value(
        "Dinner table for neighbours"
    )
    assert_accessible(page, "step 2 with an error")
    page.get_by_label("Last day of the activity").fill(_day(200))
    page.get_by_role("button", name="Save and continue", exact=True).click()

    # --- step 3: impact, with a scheme question left open ------------------------------
    expect(
        page.get_by_role("heading", name="What does it bring?", level=1)
    ).to_be_visible()
    assert_accessible(page, "step 3")
    page.get_by_label("What changes because of your initiative?").fill(
        "Neighbours who live alone eat together and get to know each other."
    )
    page.get_by_label("About how many people take part?").fill("35")
    page.get_by_label("How many volunteers help?").fill("6")
    page.get_by_label("In hoeveel eerdere jaren").fill("0")
    page.get_by_label("Hoe weet u dat de buurt dit wil?").fill(
        "Forty neighbours signed."
    )
    page.locator("input[name=q_toegankelijk][value=ja]").check()
    page.get_by_role("button", name="Save and continue", exact=True).click()
    _expect_error(page, "Choose yes or no for:")
    expect(page.get_by_label("About how many people take part?")).to_have_value("35")
    assert_accessible(page, "step 3 with an error")
    page.locator("input[name=q_volledig_vrijwillig][value=ja]").check()
    page.get_by_role("button", name="Save and continue", exact=True).click()

    # --- step 4: the budget, with an amount in words -----------------------------------
    expect(page.get_by_role("heading", name="Budget", level=1)).to_be_visible()
    assert_accessible(page, "step 4")
    page.locator("select[name='lines-0-category']").select_option(
        label="Food and drink"
    )
    page.locator("input[name='lines-0-description']").fill("Groceries")
    page.locator("input[name='lines-0-amount']").fill("1.250,50")
    page.locator("select[name='lines-1-category']").select_option(
        label="Rent of a space"
    )
    page.locator("input[name='lines-1-description']").fill(
        "Hall in the community centre"
    )
    page.locator("input[name='lines-1-amount']").fill("twenty")
    page.get_by_role("button", name="Save and continue", exact=True).click()
    _expect_error(page, "Cost item 2: Enter an amount in euros")
    expect(page.locator("input[name='lines-1-amount']")).to_have_value("twenty")
    assert_accessible(page, "step 4 with an error")
    page.locator("input[name='lines-1-amount']").fill("300")
    page.get_by_role("button", name="Save and continue", exact=True).click()

    # --- step 5: documents, first an executable called .pdf ----------------------------
    expect(page.get_by_role("heading", name="Attachments", level=1)).to_be_visible()
    assert_accessible(page, "step 5")
    page.get_by_label("What kind of document is it?").select_option(label="Budget")
    page.get_by_label("Choose a file").set_input_files(
        {"name": "budget.pdf", "mimeType": "application/pdf", "buffer": EXECUTABLE}
    )
    page.get_by_role("button", name="Add a file").click()
    _expect_error(page, "We cannot accept this type of file")
    assert_accessible(page, "step 5 with an error")
    page.get_by_label("What kind of document is it?").select_option(
        label="Proof of support"
    )
    page.get_by_label("Choose a file").set_input_files(
        {"name": "signatures.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Add a file").click()
    expect(page.get_by_role("link", name="signatures.pdf")).to_be_visible()
    page.get_by_role("button", name="Save and continue", exact=True).click()

    # --- step 6: review, first without the declaration ---------------------------------
    expect(page.get_by_role("heading", name="Check and send", level=1)).to_be_visible()
    assert_accessible(page, "step 6")
    page.get_by_role("button", name="Send application").click()
    _expect_error(page, "truthfully")
    assert_accessible(page, "step 6 with an error")
    page.get_by_label("I declare that I have filled in everything truthfully.").check()
    page.get_by_role("button", name="Send application").click()

    # --- received, the English receipt e-mail, the status page -------------------------
    expect(
        page.get_by_role("heading", name="We have received your application")
    ).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(page, "the confirmation")
    application = Application.objects.get(applicant__members__email=EMAIL)
    assert application.status == Status.SUBMITTED
    assert application.requested_cents == 155050
    assert Document.objects.get(application=application).original_name == (
        "signatures.pdf"
    )
    receipt = next(m for m in mail.outbox if application.reference in m.subject)
    assert receipt.subject == (
        f"Acknowledgement of receipt of your application {application.reference}"
    )
    assert "Your reference is " + application.reference in receipt.body
    assert "Dinner table for neighbours" in receipt.body
    page.get_by_role("link", name="See the status of your application").click()
    expect(page.locator(".portal-status")).to_have_text("Received")
    expect(
        page.get_by_text("You have sent the application. We have received it.")
    ).to_be_visible()
    assert_accessible(page, "the status page")
    page.get_by_role("navigation", name="Main menu").get_by_role(
        "link", name="My applications"
    ).click()
    expect(page.get_by_text(application.reference)).to_be_visible()
    assert_accessible(page, "My applications")

    # --- back to Dutch on the same page ------------------------------------------------
    page.locator("[data-language-switch]").get_by_role(
        "button", name="Nederlands"
    ).click()
    expect(page).to_have_url(re.compile(r"/mijn-aanvragen/$"))
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", name="Mijn aanvragen", level=1)).to_be_visible()
