"""Logging out after a DigiD login ends the session at the provider too
(RP-initiated logout), and the provider sends the browser back to /uitgelogd/."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth import SESSION_KEY

from accounts.roles import APPLICANT
from tests.factories import UserFactory
from tests.services.oidc_provider import (
    DIGID_MIDDEN,
    TIMEOUT,
    login_by_email_link,
    portal_logout,
    portal_session,
    provider_login,
    submit_provider_logout,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_logout_ends_the_session_here_and_at_the_provider(oidc, live_server):
    """POST /uitloggen/ goes to the provider's end_session with the client and the
    way back; after the provider's form the browser is at /uitgelogd/, logged out
    here, and a new DigiD login asks for the account again."""
    browser = requests.Session()
    start = f"{live_server.url}/inloggen/digid/"
    provider_login(browser, start, DIGID_MIDDEN)
    assert SESSION_KEY in portal_session(browser)
    # While the provider's session lasts, a new login needs no page at the provider.
    silent = browser.get(start, timeout=TIMEOUT)
    assert silent.url == f"{live_server.url}/mijn-aanvragen/"

    response = portal_logout(browser, live_server.url)

    assert response.status_code == 302
    target = urlsplit(response.headers["Location"])
    assert f"{target.scheme}://{target.netloc}" == oidc
    assert target.path == "/session/end"
    query = parse_qs(target.query)
    assert query["client_id"] == ["initiatiefloket-digid"]
    assert query["post_logout_redirect_uri"] == [f"{live_server.url}/uitgelogd/"]
    assert "id_token_hint" not in query
    assert SESSION_KEY not in portal_session(browser)

    page = submit_provider_logout(browser, response.headers["Location"])

    assert page.status_code == 200
    assert page.url == f"{live_server.url}/uitgelogd/"
    assert "U bent uitgelogd" in page.text
    assert 'action="/uitloggen/"' not in page.text  # the header offers no logout
    assert SESSION_KEY not in portal_session(browser)
    again = browser.get(start, timeout=TIMEOUT)
    assert again.url.startswith(f"{oidc}/interaction/")
    assert "Testaccount" in again.text


def test_logout_after_an_email_login_stays_in_the_portal(oidc, live_server):
    """A login by e-mail link has no provider session to end: logging out goes to
    the portal's front page, which says "U bent uitgelogd"."""
    UserFactory(email="bewoner@example.nl", role=APPLICANT)
    browser = requests.Session()
    login_by_email_link(browser, live_server.url, "bewoner@example.nl")
    assert SESSION_KEY in portal_session(browser)

    response = portal_logout(browser, live_server.url)

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert SESSION_KEY not in portal_session(browser)
    page = browser.get(f"{live_server.url}/", timeout=TIMEOUT)
    assert "U bent uitgelogd" in page.text
