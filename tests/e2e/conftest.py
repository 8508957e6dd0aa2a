"""Real-browser fixtures: one Debian Chromium per test session, a fresh context per test.

Chromium is Debian's (``/usr/bin/chromium``), driven by Playwright for Python with
``executable_path``; ``playwright install`` is never run. Without that browser the
tests are skipped locally and fail under CI (which installs it). The site is pytest-django's ``live_server``,
which serves the static files (the Utrecht CSS) through the staticfiles handler.
"""

import os
import re
import time
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.drafts import QUICK_CHECK_ANSWERS

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = "Debian's Chromium is not installed at /usr/bin/chromium"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; .ci/run installs it, so CI must have it")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def site(live_server, settings):
    """The seeded public site: reference data, open rounds, the randvoorwaarden the
    scheme pages list, and the Wagtail pages."""
    from beoordeling.assessment.demo import seed_rules
    from cms.demo import seed_pages
    from subsidies.demo import seed_reference_data, seed_rounds

    settings.PUBLIC_SITE_URL = live_server.url
    seed_reference_data()
    seed_rounds(timezone.now())
    seed_rules()
    seed_pages()
    return live_server.url


@pytest.fixture
def context(browser):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="nl-NL"
    )
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def assert_accessible(axe):
    """Run axe-core with the WCAG 2.2 AA tags and fail with a readable report."""

    def check(page, label):
        results = axe.run(
            page,
            options={
                "runOnly": {"type": "tag", "values": WCAG_TAGS},
                "resultTypes": ["violations"],
            },
        )
        assert results.violations_count == 0, (
            f"axe found violations on {label} ({page.url}):\n"
            + results.generate_report()
        )

    return check


def login_link_for(email, *, timeout=5):
    """The newest login link mailed to ``email`` (the test settings keep mail in memory)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in reversed(mail.outbox):
            if email in message.to:
                match = re.search(r"(https?://\S+/inloggen/link/\?\S+)", message.body)
                if match:
                    return match.group(1)
        time.sleep(0.05)
    raise AssertionError(f"No login link mailed to {email}")


def log_in_by_mail(page, email, *, visit=None):
    """On the login page: ask for a link, open it from the mail and press the button.

    ``visit(page, label)``, if given, is called on the "look in your e-mail" page and
    on the page behind the link, before the button is pressed."""
    page.get_by_label("Uw e-mailadres").fill(email)
    page.get_by_role("button", name="Stuur mij een inloglink").click()
    expect(page.get_by_role("heading", name="Kijk in uw e-mail")).to_be_visible()
    if visit:
        visit(page, "the login-link-sent page")
    page.goto(login_link_for(email))
    if visit:
        visit(page, "the page behind the login link")
    page.get_by_role("button", name="Inloggen").click()


def answer_quick_check(page):
    """On the quick check: answer every question (see above) and ask for the result."""
    for name, value in QUICK_CHECK_ANSWERS.items():
        page.locator(f"input[name={name}][value={value}]").check()
    page.get_by_role("button", name="Bekijk welke regeling past").click()
    expect(page.get_by_role("heading", name="Uitkomst")).to_be_visible()
