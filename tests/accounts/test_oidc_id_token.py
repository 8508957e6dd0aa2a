"""The ID token checks mozilla-django-oidc leaves out (OpenID Connect Core 3.1.3.7,
5.3.2): issued by the configured provider, to this client, not expired, and userinfo
about the same subject. A token that fails one logs nobody in; the log names the check,
never a claim value."""

import logging
import time

import pytest
from django.test import RequestFactory
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from accounts.models import LoginIdentity, User
from accounts.oidc.backends import CLOCK_SKEW_SECONDS, DigiDBackend
from tests.services.oidc_provider import DIGID_MIDDEN_BSN, provider_settings

pytestmark = pytest.mark.django_db

ISSUER = "https://broker.example"
MIDDEN = "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract"


@pytest.fixture
def backend(settings):
    settings.OIDC_PROVIDERS = provider_settings(ISSUER)
    backend = DigiDBackend()
    backend.request = RequestFactory().get("/inloggen/digid/callback/")
    backend.request.session = {}
    return backend


def id_token(**changes):
    payload = {
        "iss": ISSUER,
        "aud": "initiatiefloket-digid",
        "sub": "pseudoniem-1",
        "exp": int(time.time()) + 300,
        "acr": MIDDEN,
        "nonce": "n",
    }
    payload.update(changes)
    return {name: value for name, value in payload.items() if value is not None}


@pytest.fixture
def userinfo(monkeypatch):
    """What the provider's userinfo endpoint answers (the library's request)."""
    answer = {"sub": "pseudoniem-1", "bsn": DIGID_MIDDEN_BSN}
    monkeypatch.setattr(
        OIDCAuthenticationBackend, "get_userinfo", lambda *args: dict(answer)
    )
    return answer


def test_a_valid_token_logs_the_resident_in(backend, userinfo):
    user = backend.get_or_create_user("access", "id", id_token())

    assert LoginIdentity.objects.get().user == user
    assert backend.request.oidc_login.level == "midden"


def test_an_audience_list_with_this_client_as_authorised_party_is_accepted(
    backend, userinfo
):
    payload = id_token(
        aud=["initiatiefloket-digid", "andere-dienst"], azp="initiatiefloket-digid"
    )
    assert backend.get_or_create_user("access", "id", payload) is not None


@pytest.mark.parametrize(
    ("check", "changes"),
    [
        ("iss", {"iss": "https://andere-broker.example"}),
        ("iss", {"iss": None}),
        ("aud", {"aud": "initiatiefloket-eherkenning"}),
        ("aud", {"aud": None}),
        ("azp", {"aud": ["initiatiefloket-digid", "andere-dienst"]}),
        ("exp", {"exp": -CLOCK_SKEW_SECONDS - 5}),  # seconds from now
        ("exp", {"exp": None}),
        ("sub", {"sub": ""}),
    ],
)
def test_a_token_for_another_issuer_client_or_time_logs_nobody_in(
    backend, userinfo, caplog, check, changes
):
    if changes.get("exp"):
        changes = {**changes, "exp": int(time.time()) + changes["exp"]}
    caplog.set_level(logging.DEBUG)

    assert backend.get_or_create_user("access", "id", id_token(**changes)) is None

    assert backend.request.oidc_failure == "error"
    assert not User.objects.exists()
    assert f"check={check}" in caplog.text
    assert DIGID_MIDDEN_BSN not in caplog.text


def test_userinfo_about_another_subject_logs_nobody_in(backend, userinfo, caplog):
    """The userinfo must be about the person of the ID token."""
    userinfo["sub"] = "pseudoniem-2"

    assert backend.get_or_create_user("access", "id", id_token()) is None

    assert backend.request.oidc_failure == "error"
    assert not LoginIdentity.objects.exists()
    assert "check=sub" in caplog.text
    assert DIGID_MIDDEN_BSN not in caplog.text


def test_the_level_is_read_from_the_id_token_not_the_userinfo(backend, userinfo):
    """The userinfo cannot raise the level the signed ID token states."""
    userinfo["acr"] = MIDDEN
    basis = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"

    assert backend.get_or_create_user("access", "id", id_token(acr=basis)) is None
    assert backend.request.oidc_failure == "level"
