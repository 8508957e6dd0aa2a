"""The second factor set up in Chromium: password, the invitation link, the secret
shown once, a code from it, the recovery codes, the admin; the link works once and
its button sends no Referer (the token is in the page's URL)."""

import base64
import re

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from accounts.roles import ASSESSOR
from tests.factories import UserFactory
from tests.two_factor import invitation_token

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def code_from(secret_text):
    secret = secret_text.replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key, step=30, t0=0, digits=6):06d}"


def test_a_staff_member_sets_up_the_second_factor_by_invitation(
    live_server, page, settings
):
    settings.STAFF_REQUIRE_2FA = True
    settings.PUBLIC_SITE_URL = live_server.url
    user = UserFactory(role=ASSESSOR, email="nieuw.collega@utrecht.example")
    token = invitation_token(user)

    page.goto(f"{live_server.url}/admin/login/")
    page.fill('input[name="username"]', user.email)
    page.fill('input[name="password"]', "geheim-wachtwoord-123")
    page.locator('form button[type="submit"]').first.click()
    expect(
        page.get_by_role("heading", name="Tweede stap nog niet ingesteld")
    ).to_be_visible()
    assert page.locator("[data-secret]").count() == 0

    link = f"{live_server.url}/admin/tweede-stap/instellen/?t={token}"
    page.goto(link)
    with page.expect_request(re.compile(r".*/admin/tweede-stap/instellen/$")) as sent:
        page.get_by_role("button", name="Sleutel tonen").click()
    headers = {name.lower(): value for name, value in sent.value.headers.items()}
    assert headers.get("referer", "").rstrip("/") == live_server.url  # no token
    secret = page.locator("[data-secret]").inner_text()
    page.get_by_label("Code uit uw authenticator-app of een herstelcode").fill(
        code_from(secret)
    )
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("heading", name="Uw tweede stap werkt")).to_be_visible()
    assert page.locator("[data-recovery-codes] li").count() == 10
    page.get_by_role("link", name="Verder naar het beheer").click()
    expect(page).to_have_url(re.compile(r".*/admin/$"))

    page.goto(link)
    page.get_by_role("button", name="Sleutel tonen").click()
    expect(
        page.get_by_role("heading", name="Deze uitnodiging werkt niet")
    ).to_be_visible()
    assert page.locator("[data-secret]").count() == 0
