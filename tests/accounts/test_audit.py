"""Logins, failed and refused attempts go to the audit log with the address and the IP,
never with a password or a login-link token."""

import logging
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from sesame.utils import get_token

from accounts.roles import APPLICANT, ASSESSOR
from tests.factories import UserFactory
from tests.two_factor import invitation_token

pytestmark = pytest.mark.django_db

AUDIT = "initiatiefloket.audit"
PASSWORD = "geheim-wachtwoord-123"
IP = "203.0.113.7"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def audit(caplog):
    caplog.set_level(logging.INFO, logger=AUDIT)
    return caplog


def audit_lines(caplog):
    return [r.getMessage() for r in caplog.records if r.name == AUDIT]


def test_a_successful_staff_login_is_logged_with_address_and_ip(client, audit):
    """One line with the e-mail address and the IP; the password is not in it."""
    UserFactory(email="medewerker@example.nl", role=ASSESSOR)
    client.post(
        "/admin/login/",
        {"username": "medewerker@example.nl", "password": PASSWORD},
        REMOTE_ADDR=IP,
    )
    lines = audit_lines(audit)
    assert any(
        line.startswith("Login succeeded")
        and "medewerker@example.nl" in line
        and IP in line
        for line in lines
    ), lines
    assert PASSWORD not in audit.text


@pytest.mark.parametrize("url", ["/admin/login/", "/django-admin/login/"])
def test_a_failed_password_login_is_logged_without_the_password(client, audit, url):
    """Wrong passwords show in the log with the address typed and the IP."""
    UserFactory(email="medewerker@example.nl", role=ASSESSOR)
    client.post(
        url,
        {"username": "medewerker@example.nl", "password": "Fout-Wachtwoord-9"},
        REMOTE_ADDR=IP,
    )
    [line] = [line for line in audit_lines(audit) if line.startswith("Login failed")]
    assert "medewerker@example.nl" in line and IP in line and url in line
    assert "Fout-Wachtwoord-9" not in audit.text


def test_a_rate_limited_login_is_logged(client, audit, settings):
    """A refusal by the rate limit names the limit, the address and the IP (only
    failed attempts count, so the first one is wrong)."""
    settings.LOGIN_RATE_LIMIT_PER_USER = 1
    UserFactory(email="medewerker@example.nl", role=ASSESSOR)
    for password in ("Fout-Wachtwoord-9", PASSWORD):
        client.post(
            "/django-admin/login/",
            {"username": "medewerker@example.nl", "password": password},
            REMOTE_ADDR=IP,
        )
    [line] = [line for line in audit_lines(audit) if line.startswith("Rate limit")]
    assert "admin-login" in line and "medewerker@example.nl" in line and IP in line
    assert "over=user" in line
    assert PASSWORD not in audit.text


def test_typed_text_cannot_forge_a_log_line(client, audit):
    """A username with a line break is logged escaped, on one line."""
    client.post(
        "/admin/login/",
        {"username": "x\nLogin succeeded: user='root'", "password": "x"},
    )
    [line] = [line for line in audit_lines(audit) if line.startswith("Login failed")]
    assert "\n" not in line


def test_a_login_link_request_and_its_use_are_logged_without_the_token(client, audit):
    """Asking is logged with the address, the IP and what was sent; using it as a login."""
    UserFactory(email="bewoner@example.nl", role=APPLICANT)
    client.post("/inloggen/", {"email": "bewoner@example.nl"}, REMOTE_ADDR=IP)
    link = re.search(r"http://testserver(/inloggen/link/\?\S+)", mail.outbox[0].body)
    token = re.search(r"[?&]t=([^&\s]+)", link.group(1)).group(1)
    page = client.get(link.group(1))
    form_token = re.search(r'name="t" value="([^"]+)"', page.content.decode()).group(1)
    client.post(reverse("accounts:magic_link"), {"t": form_token}, REMOTE_ADDR=IP)

    lines = audit_lines(audit)
    [requested] = [line for line in lines if line.startswith("Login link requested")]
    assert "bewoner@example.nl" in requested and IP in requested
    assert "sent=login link" in requested
    [logged_in] = [line for line in lines if line.startswith("Login succeeded")]
    assert "bewoner@example.nl" in logged_in and "sesame" in logged_in
    assert token not in audit.text and form_token not in audit.text


def test_a_staff_request_for_a_login_link_is_logged_as_such(client, audit):
    """The log shows that a staff address got the note, not a link."""
    UserFactory(email="medewerker@example.nl", role=ASSESSOR)
    client.post("/inloggen/", {"email": "medewerker@example.nl"})
    [line] = [line for line in audit_lines(audit) if "requested" in line]
    assert "sent=staff note" in line


def test_a_refused_login_link_is_logged_without_the_token(client, audit):
    """A spent or forged token is logged as refused, with the IP and not the token."""
    staff = UserFactory(email="medewerker@example.nl", role=ASSESSOR)
    for token in ("n.vervalst", get_token(staff), "ongeldig-token"):
        response = client.post(
            reverse("accounts:magic_link"), {"t": token}, REMOTE_ADDR=IP
        )
        assert response.status_code == 400
        assert token not in audit.text
    refused = [line for line in audit_lines(audit) if "Login link refused" in line]
    assert len(refused) == 3 and all(IP in line for line in refused)


def test_a_rate_limited_login_link_request_is_logged(client, audit, settings):
    """Asking too often for one address is logged with the address and the IP."""
    settings.LOGIN_LINK_LIMIT_PER_EMAIL = 1
    for _ in range(2):
        client.post("/inloggen/", {"email": "veel@example.nl"}, REMOTE_ADDR=IP)
    [line] = [line for line in audit_lines(audit) if line.startswith("Rate limit")]
    assert "login-link" in line and "veel@example.nl" in line and IP in line


def test_a_logout_is_logged(client, audit):
    """Uitloggen shows in the log with the address."""
    client.force_login(UserFactory(email="weg@example.nl", role=APPLICANT))
    client.post(reverse("accounts:logout"), REMOTE_ADDR=IP)
    [line] = [line for line in audit_lines(audit) if line.startswith("Logout")]
    assert "weg@example.nl" in line and IP in line


@override_settings(STAFF_REQUIRE_2FA=True)
def test_second_factor_codes_refused_and_accepted_are_logged(client, audit):
    """A wrong code and the set-up with the right one each leave a line, with the
    address and the IP, never the code itself."""
    user = UserFactory(role=ASSESSOR, email="beoordelaar.tfa@utrecht.example")
    client.force_login(user)
    token = invitation_token(user)
    client.post("/admin/tweede-stap/instellen/", {"t": token}, REMOTE_ADDR=IP)
    device = TOTPDevice.objects.get(user=user)
    right = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=6):06d}"
    wrong = "000000" if right != "000000" else "111111"
    client.post("/admin/tweede-stap/bevestigen/", {"code": wrong}, REMOTE_ADDR=IP)
    device.refresh_from_db()
    device.throttle_reset()
    client.post("/admin/tweede-stap/bevestigen/", {"code": right}, REMOTE_ADDR=IP)
    lines = [line for line in audit_lines(audit) if "Second factor" in line]
    user_ = "user='beoordelaar.tfa@utrecht.example'"
    assert lines == [
        f"Second factor invitation sent: {user_} by='-' reason='test' reset=False",
        f"Second factor invitation used: {user_}",
        f"Second factor refused: {user_} ip={IP}",
        f"Second factor set up: {user_} ip={IP}",
    ]
    assert not any(right in line or wrong in line for line in audit_lines(audit))
