"""A provider that is not configured does not exist for the visitor (404); one that
cannot be reached gives a Dutch page (503); a callback the portal did not start
logs nobody in (mozilla-django-oidc's state check)."""

import socket

import pytest
import requests
from django.contrib.auth import SESSION_KEY

from accounts.models import LoginIdentity, User
from tests.services.oidc_provider import (
    DIGID_MIDDEN,
    TIMEOUT,
    portal_session,
    provider_login,
)

PROVIDERS = ("digid", "eherkenning", "medewerker")


def without_issuer(providers):
    return {name: {**values, "issuer": ""} for name, values in providers.items()}


@pytest.mark.django_db
@pytest.mark.parametrize("provider", PROVIDERS)
def test_an_unconfigured_provider_answers_404(client, settings, provider):
    """No issuer set: the start and the callback are 404, and the login page offers
    no button for it."""
    settings.OIDC_PROVIDERS = without_issuer(settings.OIDC_PROVIDERS)

    assert client.get(f"/inloggen/{provider}/").status_code == 404
    callback = client.get(f"/inloggen/{provider}/callback/?code=x&state=y")
    assert callback.status_code == 404
    assert f'href="/inloggen/{provider}/"' not in client.get("/inloggen/").text


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.django_db
@pytest.mark.parametrize("provider", PROVIDERS)
def test_an_unreachable_provider_gives_a_dutch_page(client, settings, provider):
    """The issuer does not answer: "Inloggen is niet gelukt" with status 503 and a
    way to try again; nobody is logged in."""
    issuer = f"http://127.0.0.1:{closed_port()}"
    settings.OIDC_PROVIDERS = {
        name: {
            **values,
            "issuer": issuer,
            "client_id": f"initiatiefloket-{name}",
            "client_secret": "geheim",
        }
        for name, values in settings.OIDC_PROVIDERS.items()
    }

    response = client.get(f"/inloggen/{provider}/")

    assert response.status_code == 503
    page = response.content.decode()
    assert "Inloggen is niet gelukt" in page
    assert "Probeer het over een paar minuten opnieuw" in page
    assert f'href="/inloggen/{provider}/"' in page
    assert SESSION_KEY not in client.session


@pytest.mark.django_db(transaction=True)
def test_a_callback_with_a_state_the_portal_did_not_send_logs_nobody_in(
    oidc, live_server
):
    """Without a login started in this browser, or with another state than the one
    it sent, the callback is refused and nothing is stored."""
    callback = f"{live_server.url}/inloggen/digid/callback/"
    browser = requests.Session()

    never_started = browser.get(
        callback, params={"code": "abc", "state": "onbekend"}, timeout=TIMEOUT
    )
    assert never_started.status_code == 400
    assert "Inloggen is niet gelukt" in never_started.text

    started = browser.get(f"{live_server.url}/inloggen/digid/", timeout=TIMEOUT)
    assert started.url.startswith(f"{oidc}/interaction/")
    forged = browser.get(
        callback, params={"code": "abc", "state": "onbekend"}, timeout=TIMEOUT
    )
    assert forged.status_code == 400
    assert "Inloggen is niet gelukt" in forged.text

    assert SESSION_KEY not in portal_session(browser)
    assert not LoginIdentity.objects.exists()
    assert not User.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_callback_replayed_in_another_browser_logs_nobody_in(oidc, live_server):
    """The provider's answer (code and state) is bound to the browser that started
    the login: opened in another browser it logs nobody in."""
    browser = requests.Session()
    page = provider_login(browser, f"{live_server.url}/inloggen/digid/", DIGID_MIDDEN)
    [answer] = [
        hop.url
        for hop in page.history
        if hop.url.startswith(f"{live_server.url}/inloggen/digid/callback/")
    ]
    user = LoginIdentity.objects.get().user

    other = requests.Session()
    replayed = other.get(answer, timeout=TIMEOUT)

    assert replayed.status_code == 400
    assert "Inloggen is niet gelukt" in replayed.text
    assert SESSION_KEY not in portal_session(other)
    again = browser.get(answer, timeout=TIMEOUT)
    assert again.status_code == 400  # the state was spent
    assert list(User.objects.all()) == [user]
