"""A session ends after a quiet period: 15 minutes for residents (DigiD's norm), the
staff period for staff; a resident's page warns before the end and can keep the
session going ("Ingelogd blijven"), and the end leads to the login page with a
message."""

import re
from datetime import timedelta

import pytest
import requests
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from sesame.utils import get_token

from accounts.models import User
from accounts.oidc import session as oidc_session
from accounts.roles import ASSESSOR
from portal.security import SESSION_RENEWED_KEY
from tests.factories import UserFactory
from tests.services import oidc_provider as accounts

pytestmark = pytest.mark.django_db

MINE = "/mijn-aanvragen/"


@pytest.fixture(autouse=True)
def periods(settings):
    settings.RESIDENT_SESSION_SECONDS = 900
    settings.STAFF_SESSION_SECONDS = 1800
    settings.SESSION_WARNING_SECONDS = 120


def stored_session(client):
    return Session.objects.get(session_key=client.session.session_key)


def resident(client, **kwargs):
    user = UserFactory(role="Aanvrager", **kwargs)
    client.force_login(user)
    session = client.session
    session[oidc_session.METHOD_KEY] = oidc_session.EMAIL
    session.save()
    return user


def dialog_of(page):
    match = re.search(r"<dialog[^>]*>.*?</dialog>", page, re.S)
    return match.group(0) if match else ""


def test_a_residents_session_ends_after_a_quiet_quarter_of_an_hour(client):
    """A resident's page sets the session (database and cookie) to end 15 minutes
    after this request; moved 15 minutes on, the resident is logged out."""
    resident(client)
    before = timezone.now()
    response = client.get(MINE)
    after = timezone.now()
    assert response.status_code == 200
    assert client.session.get_expiry_age() == 900
    assert response.cookies["sessionid"]["max-age"] == 900
    ends = stored_session(client).expire_date
    assert before + timedelta(seconds=900) <= ends <= after + timedelta(seconds=900)

    Session.objects.filter(pk=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    gone = client.get(MINE)
    assert gone.status_code == 302 and gone["Location"].startswith("/inloggen/")


def test_staff_keep_the_staff_period(client):
    """A staff member's session is set to the staff period, on a public page too,
    and their pages carry no residents' warning."""
    client.force_login(UserFactory(role=ASSESSOR))
    response = client.get("/")
    assert client.session.get_expiry_age() == 1800
    assert response.cookies["sessionid"]["max-age"] == 1800
    page = response.content.decode()
    assert "<dialog" not in page and "session.js" not in page


def test_a_page_soon_after_writes_nothing_and_a_page_later_starts_again(client):
    """Within a minute of the last start a page leaves the session as stored (no
    write); a page after a longer quiet moment starts the 15 minutes again, and the
    warning counts down from what the session really has left."""
    resident(client)
    client.get(MINE)
    first_end = stored_session(client).expire_date
    again = client.get(MINE)
    assert "sessionid" not in again.cookies
    assert stored_session(client).expire_date == first_end
    left = int(re.search(r'data-seconds-left="(\d+)"', again.content.decode())[1])
    assert 890 <= left <= 900

    session = client.session
    session[SESSION_RENEWED_KEY] -= 120  # the last start, two minutes ago
    session.save()
    later = client.get(MINE)
    assert later.cookies["sessionid"]["max-age"] == 900
    assert stored_session(client).expire_date > first_end
    left = int(re.search(r'data-seconds-left="(\d+)"', later.content.decode())[1])
    assert left == 900


def test_the_login_request_itself_sets_the_residents_period(client):
    """The request that logs a resident in (the login link) already gives the session
    its 15 minutes, before any further page."""
    user = UserFactory(role="Aanvrager", email="bewoner@example.nl")
    response = client.post(reverse("accounts:magic_link"), {"t": get_token(user)})
    assert response.status_code == 302
    assert response.cookies["sessionid"]["max-age"] == 900
    assert client.session.get_expiry_age() == 900


def test_a_residents_page_carries_the_warning_dialog(client):
    """The dialog: a modal alert dialog named by its heading, the end in 2 minutes in
    Dutch, "Ingelogd blijven" (a POST with CSRF to the keep-alive URL, focused) and
    "Uitloggen"; its timings as data attributes, read by a static script."""
    resident(client)
    page = client.get(MINE).content.decode()
    dialog = dialog_of(page)
    assert 'role="alertdialog"' in dialog and 'aria-modal="true"' in dialog
    assert 'aria-labelledby="session-warning-title"' in dialog
    assert 'id="session-warning-title"' in dialog
    assert 'aria-describedby="session-warning-text"' in dialog
    assert "Over 2 minuten logt u automatisch uit" in dialog
    assert 'data-session-seconds="900"' in dialog
    assert 'data-warning-seconds="120"' in dialog
    assert 'data-expired-url="/sessie/verlopen/?next=%2Fmijn-aanvragen%2F"' in dialog
    keepalive = re.search(
        r'<form method="post" action="/sessie/verlengen/".*?</form>', dialog, re.S
    )[0]
    assert "csrfmiddlewaretoken" in keepalive and "Ingelogd blijven" in keepalive
    assert "autofocus" in keepalive
    assert 'action="/uitloggen/"' in dialog and "Uitloggen" in dialog
    assert "js/session.js" in page


def test_anonymous_pages_carry_no_warning(client):
    """Nobody logged in: no dialog, no script for it."""
    page = client.get("/inloggen/").content.decode()
    assert "<dialog" not in page and "session.js" not in page


def test_a_digid_resident_without_email_is_named_by_the_login(client):
    """A resident known only by DigiD reads "Ingelogd met DigiD" in the header (no
    empty e-mail address), and gets the residents' period and the warning."""
    user = User.objects.create_identified_user()
    client.force_login(user)
    session = client.session
    session[oidc_session.METHOD_KEY] = "digid"
    session.save()
    page = client.get(MINE).content.decode()
    assert "Ingelogd met DigiD" in page and "None" not in page.split("<main")[0]
    assert dialog_of(page)
    assert client.session.get_expiry_age() == 900


def test_keepalive_starts_the_quiet_period_again(client):
    """ "Ingelogd blijven" answers 204 and writes a later end at once, even within the
    minute in which pages write nothing."""
    resident(client)
    client.get(MINE)
    session = client.session
    session[SESSION_RENEWED_KEY] -= 30
    session.save()
    first_end = stored_session(client).expire_date
    response = client.post(reverse("accounts:session_keepalive"))
    assert response.status_code == 204
    assert response.cookies["sessionid"]["max-age"] == 900
    assert stored_session(client).expire_date > first_end
    assert client.get(MINE).status_code == 200


def test_keepalive_is_post_with_csrf_only(settings):
    """A GET does not keep a session going (405); a POST without the CSRF token is
    refused (403) and changes nothing."""
    client = Client(enforce_csrf_checks=True)
    resident(client)
    page = client.get(MINE).content.decode()
    first_end = stored_session(client).expire_date
    assert client.get(reverse("accounts:session_keepalive")).status_code == 405
    refused = client.post(reverse("accounts:session_keepalive"))
    assert refused.status_code == 403
    assert stored_session(client).expire_date == first_end
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    ok = client.post(
        reverse("accounts:session_keepalive"), {"csrfmiddlewaretoken": token}
    )
    assert ok.status_code == 204


def test_keepalive_without_a_session_is_refused(client):
    """After the end (or never logged in) "Ingelogd blijven" is 403, and no session
    is made."""
    response = client.post(reverse("accounts:session_keepalive"))
    assert response.status_code == 403
    assert "niet meer ingelogd" in response.content.decode()
    assert Session.objects.count() == 0


def test_the_end_leads_to_the_login_page_with_a_message(client):
    """When the time ran out: the login page says the session ended for safety and
    that what was saved is kept, and leads back to the page after logging in."""
    response = client.get(
        reverse("accounts:session_expired"), {"next": "/aanvraag/ABC/"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/inloggen/?next=%2Faanvraag%2FABC%2F"
    page = response.content.decode()
    assert "omdat u een tijd niets heeft gedaan" in page
    assert "Wat u heeft opgeslagen, is bewaard." in page


def test_the_end_page_sends_back_while_the_session_lives(client):
    """Another tab kept the session going: the page goes back to where it was (and
    never to another site)."""
    resident(client)
    client.get(MINE)
    url = reverse("accounts:session_expired")
    assert client.get(url, {"next": MINE})["Location"] == MINE
    outside = client.get(url, {"next": "https://evil.example/"})
    assert outside["Location"] == MINE


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "account,method",
    [(accounts.DIGID_MIDDEN, "digid"), (accounts.EHERKENNING_EH3, "eherkenning")],
)
def test_a_digid_or_eherkenning_session_gets_the_residents_period(
    oidc, live_server, account, method
):
    """Logged in through the real provider, the session (as stored) ends after the
    residents' 15 minutes, and Mijn aanvragen carries the warning."""
    browser = requests.Session()
    r = browser.get(f"{live_server.url}/inloggen/{method}/", timeout=10)
    action = re.search(r'action="([^"]+)"', r.text).group(1)
    r = browser.post(
        r.url.split("/interaction")[0] + action,
        data={"account": account, "action": "login"},
        timeout=10,
    )
    assert r.url == f"{live_server.url}{MINE}"
    assert 'data-session-seconds="900"' in dialog_of(r.text)
    key = browser.cookies["sessionid"]
    store = Session.objects.get(session_key=key).get_decoded()
    assert store["_session_expiry"] == 900
    assert store[oidc_session.METHOD_KEY] == method


def test_the_end_page_sends_staff_back_to_the_admin(client):
    """Staff never get the residents' warning; should they open the end page while
    logged in, it leads to the admin, not to Mijn aanvragen."""
    client.force_login(UserFactory(role=ASSESSOR))
    client.get("/")
    response = client.get(reverse("accounts:session_expired"))
    assert response["Location"] == "/admin/"


def test_the_end_page_logs_out_a_session_in_its_last_seconds(client):
    """The page's timer ran out a moment before the server's: the end page itself is
    no activity, so it logs the resident out and shows the login page's message."""
    resident(client)
    client.get(MINE)
    session = client.session
    session[SESSION_RENEWED_KEY] -= 898  # two seconds left
    session.save()
    response = client.get(
        reverse("accounts:session_expired"), {"next": MINE}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/inloggen/?next=%2Fmijn-aanvragen%2F"
    assert "omdat u een tijd niets heeft gedaan" in response.content.decode()
    assert SESSION_KEY not in client.session
    assert client.get(MINE)["Location"].startswith("/inloggen/")
