"""A resident's quiet session, in Chromium: the warning before the end (WCAG 2.2.1),
"Ingelogd blijven" keeping the session going, and the end leading to the login page
with a message. The periods are cut to seconds: 8 for the session, the warning 6
before its end."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from sesame.utils import get_token

from tests.e2e.conftest import login_link_for
from tests.factories import ApplicationFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "Bankje bij de speeltuin in Zuilen"
MINE = reverse("subsidies:my_applications")


@pytest.fixture
def short_sessions(settings):
    settings.RESIDENT_SESSION_SECONDS = 8
    settings.SESSION_WARNING_SECONDS = 6


@pytest.fixture
def resident(site, page, short_sessions):
    """A resident with a saved application, logged in by the link, on Mijn aanvragen."""
    application = ApplicationFactory(title=TITLE)
    user = application.applicant_user
    page.goto(f"{site}{reverse('accounts:magic_link')}?t={get_token(user)}")
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(f"{site}{MINE}")
    return user


def stored_session(page):
    key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    return Session.objects.get(session_key=key)


def warning(page):
    return page.get_by_role("alertdialog", name="Wilt u ingelogd blijven?")


def test_the_warning_keeps_the_session_when_asked(
    site, page, resident, assert_accessible
):
    """Before the end the dialog opens with the focus on "Ingelogd blijven" and no
    accessibility faults; pressing it each time keeps the resident logged in past
    the moment the first period would have ended."""
    first_end = stored_session(page).expire_date
    dialog = warning(page)
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Over 6 seconden logt u automatisch uit")
    stay = dialog.get_by_role("button", name="Ingelogd blijven")
    expect(stay).to_be_focused()
    assert_accessible(page, "the session warning")

    while timezone.now() <= first_end + timedelta(seconds=1):
        expect(dialog).to_be_visible()
        stay.click()
        expect(dialog).to_be_hidden()

    assert stored_session(page).expire_date > first_end
    page.reload()
    expect(page).to_have_url(f"{site}{MINE}")
    header = page.locator("header")
    expect(header.get_by_role("button", name="Uitloggen")).to_be_visible()
    expect(page.get_by_text(TITLE)).to_be_visible()
    assert stored_session(page).get_decoded()[SESSION_KEY] == str(resident.pk)


def test_the_end_leads_to_the_login_page_with_a_message(site, page, resident):
    """Nothing pressed: the page goes to the login page, which says the session ended
    for safety and that what was saved is kept; logging in again leads back to Mijn
    aanvragen, with the application still there."""
    expect(warning(page)).to_be_visible()
    expect(page).to_have_url(
        re.compile(r"/inloggen/\?next=%2Fmijn-aanvragen%2F$"), timeout=20_000
    )
    expect(page.get_by_text("omdat u een tijd niets heeft gedaan")).to_be_visible()
    expect(page.get_by_text("Wat u heeft opgeslagen, is bewaard.")).to_be_visible()
    expect(page.locator("header").get_by_role("link", name="Inloggen")).to_be_visible()
    expect(warning(page)).to_have_count(0)
    keys = [c["value"] for c in page.context.cookies() if c["name"] == "sessionid"]
    live = Session.objects.filter(session_key__in=keys, expire_date__gt=timezone.now())
    assert not any(SESSION_KEY in session.get_decoded() for session in live)

    page.get_by_role("textbox", name="Uw e-mailadres").fill(resident.email)
    page.get_by_role("button", name="Stuur mij een inloglink").click()
    page.goto(login_link_for(resident.email))
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(f"{site}{MINE}")
    expect(page.get_by_text(TITLE)).to_be_visible()
