"""The resident journey of test_journey.py in English, in a real browser.

The resident opens the Dutch home page, presses "English" in the header and stays on
the same page, now in English. From there: the quick check, the login by e-mail link,
the six steps with one mistake each (English messages in the summary and at the field;
tests/e2e/journey.py fills them, as in the Dutch journey), the submission, the English
receipt e-mail and the status page. axe-core checks every page, with and without
errors, against WCAG 2.2 AA. Content that lives in the database (wijken, buurten,
target groups, themes and the scheme's extra questions) stays Dutch, so those labels
are Dutch here too.

portal/urls.py does not route ``set_language`` yet; tests/i18n/urls.py adds it.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from cms.demo import seed_english
from subsidies.models import Application, Document
from subsidies.workflow import Status
from tests.drafts import QUICK_CHECK_ANSWERS

from .conftest import login_link_for
from .journey import (
    ENGLISH,
    REQUESTED_CENTS,
    expect_error,
    fill_steps_four_to_six,
    fill_steps_one_to_three,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "sam.resident@example.org"


@pytest.fixture
def english_site(site, settings):
    settings.ROOT_URLCONF = "tests.i18n.urls"
    seed_english()
    return site


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
    expect_error(page, "Has your activity already started?")
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
    expect_error(page, "name@example.com")
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

    fill_steps_one_to_three(page, ENGLISH, assert_accessible, email=EMAIL)
    fill_steps_four_to_six(page, ENGLISH, assert_accessible)

    # --- received, the English receipt e-mail, the status page -------------------------
    expect(
        page.get_by_role("heading", name="We have received your application")
    ).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(page, "the confirmation")
    application = Application.objects.get(applicant__members__email=EMAIL)
    assert application.status == Status.SUBMITTED
    assert application.requested_cents == REQUESTED_CENTS
    assert application.applicant.accepts_electronic_decisions is True
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
