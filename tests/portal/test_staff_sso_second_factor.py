"""Staff who sign on through the gemeente's provider: when it asserted multi-factor
the portal's own code is not asked again, otherwise it still is (with
STAFF_REQUIRE_2FA); and logging out of the admin ends the provider's session too."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY

from accounts.oidc import session as oidc_session
from accounts.roles import ASSESSOR
from tests.factories import UserFactory
from tests.services.oidc_provider import (
    STAFF_MFA,
    STAFF_MFA_EMAIL,
    STAFF_PASSWORD_ONLY,
    TIMEOUT,
    csrf_token,
    portal_session,
    provider_login,
    submit_provider_logout,
)


@pytest.fixture
def codes_required(settings):
    settings.STAFF_REQUIRE_2FA = True
    settings.STAFF_SESSION_SECONDS = 1800


def sign_on(live_server, account):
    browser = requests.Session()
    page = provider_login(browser, f"{live_server.url}/inloggen/medewerker/", account)
    return browser, page


def admin_logout(browser, live_url):
    return browser.post(
        f"{live_url}/admin/logout/",
        data={"csrfmiddlewaretoken": csrf_token(browser, live_url)},
        headers={"Referer": f"{live_url}/admin/"},
        allow_redirects=False,
        timeout=TIMEOUT,
    )


@pytest.mark.django_db(transaction=True)
def test_sign_on_with_multi_factor_reaches_the_admin_without_the_code(
    oidc, live_server, codes_required
):
    """The provider asserted a second factor (amr otp): straight into the Wagtail
    admin, no code page; the session is the staff one and says how it was made."""
    browser, page = sign_on(live_server, STAFF_MFA)
    assert page.status_code == 200
    assert page.url == f"{live_server.url}/admin/"
    assert "tweede-stap" not in page.url
    assert "/admin/logout/" in page.text  # the admin's menu, with "Uitloggen"
    assert "Tweede stap" not in page.text
    session = portal_session(browser)
    assert session[BACKEND_SESSION_KEY] == "accounts.oidc.backends.StaffBackend"
    assert session[oidc_session.MFA_KEY] is True
    assert session["_session_expiry"] == 1800
    again = browser.get(f"{live_server.url}/admin/", timeout=TIMEOUT)
    assert again.url == f"{live_server.url}/admin/" and again.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_sign_on_without_multi_factor_still_needs_the_code(
    oidc, live_server, codes_required
):
    """The provider checked only a password (amr pwd): the admin sends the staff
    member to the portal's own second step, which they have not set up yet."""
    browser, page = sign_on(live_server, STAFF_PASSWORD_ONLY)
    assert page.url == f"{live_server.url}/admin/tweede-stap/?next=/admin/"
    assert "Tweede stap nog niet ingesteld" in page.text
    session = portal_session(browser)
    assert SESSION_KEY in session and oidc_session.MFA_KEY not in session
    again = browser.get(f"{live_server.url}/admin/", timeout=TIMEOUT)
    assert "/admin/tweede-stap/" in again.url


@pytest.mark.django_db
def test_a_password_login_never_counts_as_multi_factor(client, settings):
    """The multi-factor mark alone, without the staff sign-on as the login's
    backend (here a password login), lets nobody past the code page."""
    settings.STAFF_REQUIRE_2FA = True
    client.force_login(
        UserFactory(role=ASSESSOR), backend="django.contrib.auth.backends.ModelBackend"
    )
    session = client.session
    session[oidc_session.MFA_KEY] = True
    session[oidc_session.METHOD_KEY] = "medewerker"
    session.save()
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/tweede-stap/?next=/admin/"


@pytest.mark.django_db(transaction=True)
def test_admin_logout_after_sign_on_ends_the_provider_session(
    oidc, live_server, codes_required
):
    """ "Uitloggen" in the admin logs out here and sends the browser to the provider's
    end-session page; after it the browser is at /uitgelogd/, and the next sign-on
    asks for the account again."""
    browser, page = sign_on(live_server, STAFF_MFA)
    start = f"{live_server.url}/inloggen/medewerker/"
    silent = browser.get(start, timeout=TIMEOUT)  # the provider still knows them
    assert silent.url == f"{live_server.url}/admin/"

    response = admin_logout(browser, live_server.url)

    assert response.status_code == 302
    target = urlsplit(response.headers["Location"])
    assert f"{target.scheme}://{target.netloc}" == oidc
    assert target.path == "/session/end"
    query = parse_qs(target.query)
    assert query["client_id"] == ["initiatiefloket-medewerker"]
    assert query["post_logout_redirect_uri"] == [f"{live_server.url}/uitgelogd/"]
    assert SESSION_KEY not in portal_session(browser)

    back = submit_provider_logout(browser, response.headers["Location"])
    assert back.url == f"{live_server.url}/uitgelogd/"
    assert "U bent uitgelogd" in back.text
    admin = browser.get(f"{live_server.url}/admin/", timeout=TIMEOUT)
    assert admin.url.startswith(f"{live_server.url}/admin/login/")
    again = browser.get(start, timeout=TIMEOUT)
    assert again.url.startswith(f"{oidc}/interaction/")
    assert "Testaccount" in again.text
    assert STAFF_MFA_EMAIL not in again.text


@pytest.mark.django_db
def test_admin_logout_after_a_password_login_stays_in_the_portal(client):
    """Without a sign-on there is no provider session: Wagtail's logout as before,
    back to the staff login."""
    client.force_login(UserFactory(role=ASSESSOR))
    response = client.post("/admin/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/"
    assert SESSION_KEY not in client.session
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_admin_logout_is_post_only(client):
    """A link (GET) to the admin logout logs nobody out."""
    user = UserFactory(role=ASSESSOR)
    client.force_login(user)
    assert client.get("/admin/logout/").status_code == 405
    assert client.session[SESSION_KEY] == str(user.pk)


def test_the_admin_logout_url_is_the_portals():
    """Wagtail's menu posts to the same URL the portal's view answers."""
    from django.urls import resolve, reverse

    from portal.security import StaffLogoutView

    assert reverse("wagtailadmin_logout") == "/admin/logout/"
    assert resolve("/admin/logout/").func.view_class is StaffLogoutView
