"""Setting up the second factor: by invitation only, the secret shown once, confirmed
before it counts, a second set-up with the current factor or a Beheerder's reset,
recovery codes; and the code limits count only failures."""

import io
import logging
import re

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import enrolment
from accounts.models import TwoFactorInvitation
from accounts.roles import ADMINISTRATOR, ASSESSOR
from subsidies.models import OutgoingMail
from tests.factories import UserFactory
from tests.two_factor import enrol, fresh_code, invitation_token

pytestmark = pytest.mark.django_db

AUDIT = "initiatiefloket.audit"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@override_settings(STAFF_REQUIRE_2FA=True)
def test_the_password_alone_never_shows_a_secret(client):
    """Trust on first use is gone: a staff member (or whoever has the password) who
    opens the code page without a second factor sees no secret, and no device is made;
    a code posted there sets nothing up."""
    user = UserFactory(role=ASSESSOR)
    client.force_login(user)
    for _ in range(2):
        page = client.get("/admin/tweede-stap/?next=/admin/")
        assert page.status_code == 200
        content = page.content.decode()
        assert "data-secret" not in content and "sleutel" not in content
        assert "uitnodiging" in content
    client.post("/admin/tweede-stap/", {"code": "123456"})
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert client.get("/admin/").status_code == 302


@override_settings(STAFF_REQUIRE_2FA=True)
def test_an_attacker_with_the_password_keeps_no_second_factor(client):
    """End to end: the attacker logs in with the stolen password in another session
    before and while the real staff member sets up the app. The attacker never sees
    a secret, cannot spend the invitation (it is bound to its first use), cannot
    confirm the real user's device, and is still refused at the admin afterwards."""
    user = UserFactory(role=ASSESSOR, email="medewerker@utrecht.example")
    attacker = Client()
    attacker.force_login(user)
    assert "data-secret" not in attacker.get("/admin/tweede-stap/").content.decode()

    client.force_login(user)
    token = invitation_token(user)
    secret_page = client.post("/admin/tweede-stap/instellen/", {"t": token})
    assert "data-secret" in secret_page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    # The same token again (a second tab, the attacker, a reload): refused.
    again = attacker.post("/admin/tweede-stap/instellen/", {"t": token})
    assert again.status_code == 400 and "data-secret" not in again.content.decode()
    # The attacker's session has no set-up in progress: a right code confirms nothing.
    stolen = attacker.post(
        "/admin/tweede-stap/bevestigen/", {"code": fresh_code(device)}
    )
    assert stolen.status_code == 400
    device.refresh_from_db()
    assert not device.confirmed

    done = client.post("/admin/tweede-stap/bevestigen/", {"code": fresh_code(device)})
    assert done.status_code == 200 and "data-recovery-codes" in done.content.decode()
    assert client.get("/admin/").status_code == 200
    assert attacker.get("/admin/").status_code == 302
    assert TOTPDevice.objects.filter(user=user).count() == 1


@override_settings(STAFF_REQUIRE_2FA=True)
def test_the_secret_is_shown_once_and_the_invitation_works_once(client):
    """The link opens a page with a button (mail scanners only GET); the button shows
    the secret; the same link a second time shows nothing."""
    user = UserFactory(role=ASSESSOR)
    client.force_login(user)
    token = invitation_token(user)
    button = client.get(f"/admin/tweede-stap/instellen/?t={token}")
    assert button.status_code == 200
    assert "data-secret" not in button.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()
    first = client.post("/admin/tweede-stap/instellen/", {"t": token})
    assert "data-secret" in first.content.decode()
    second = client.post("/admin/tweede-stap/instellen/", {"t": token})
    assert second.status_code == 400 and "data-secret" not in second.content.decode()


def test_an_invitation_is_only_for_its_own_staff_member_and_expires(client, settings):
    """Another staff member's invitation, or an expired one, sets nothing up."""
    # The settings fixture, not @override_settings: mixed, the fixture's undo at
    # teardown brings the decorator's values back for every later test.
    settings.STAFF_REQUIRE_2FA = True
    owner = UserFactory(role=ASSESSOR)
    other = UserFactory(role=ASSESSOR)
    token = invitation_token(owner)
    client.force_login(other)
    assert client.post("/admin/tweede-stap/instellen/", {"t": token}).status_code == 400
    assert not TOTPDevice.objects.exists()

    token = invitation_token(owner)
    TwoFactorInvitation.objects.filter(user=owner, used_at=None).update(
        expires_at="2000-01-01T00:00:00Z"
    )
    client.force_login(owner)
    assert client.post("/admin/tweede-stap/instellen/", {"t": token}).status_code == 400


@override_settings(STAFF_REQUIRE_2FA=True)
def test_a_device_counts_only_after_a_confirmed_code(client):
    """A set-up left halfway is no second factor: the admin stays closed, and the code
    page still asks for the invitation."""
    user = UserFactory(role=ASSESSOR)
    client.force_login(user)
    client.post("/admin/tweede-stap/instellen/", {"t": invitation_token(user)})
    device = TOTPDevice.objects.get(user=user)
    assert client.get("/admin/").status_code == 302
    refused = client.post("/admin/tweede-stap/", {"code": fresh_code(device)})
    assert refused.status_code == 200
    assert "data-secret" not in refused.content.decode()
    assert client.get("/admin/").status_code == 302


@override_settings(STAFF_REQUIRE_2FA=True)
def test_a_second_set_up_needs_the_current_factor(client):
    """Without a verified session the new-app page sends to the code page; with it,
    the new app replaces the old one once confirmed."""
    user = UserFactory(role=ASSESSOR)
    client.force_login(user)
    old, _codes = enrol(client, user)
    client.logout()
    client.force_login(user)  # password only
    response = client.post("/admin/tweede-stap/opnieuw/")
    assert response.status_code == 302 and "/admin/tweede-stap/" in response["Location"]
    assert TOTPDevice.objects.filter(user=user).count() == 1

    client.post("/admin/tweede-stap/", {"code": fresh_code(old)})
    page = client.post("/admin/tweede-stap/opnieuw/")
    assert "data-secret" in page.content.decode()
    new = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post("/admin/tweede-stap/bevestigen/", {"code": fresh_code(new)})
    assert list(TOTPDevice.objects.filter(user=user)) == [new]


@override_settings(STAFF_REQUIRE_2FA=True)
def test_recovery_codes_each_work_once(client):
    """A recovery code lets a staff member in instead of the app, once."""
    user = UserFactory(role=ASSESSOR)
    client.force_login(user)
    _device, codes = enrol(client, user)
    client.logout()
    client.force_login(user)
    ok = client.post("/admin/tweede-stap/", {"code": codes[0], "next": "/admin/"})
    assert ok.status_code == 302 and ok["Location"] == "/admin/"
    client.logout()
    client.force_login(user)
    again = client.post("/admin/tweede-stap/", {"code": codes[0], "next": "/admin/"})
    assert again.status_code == 200 and "klopt niet" in again.content.decode()


@override_settings(STAFF_REQUIRE_2FA=True)
def test_a_beheerder_resets_by_a_new_invitation_and_it_is_audited(client, caplog):
    """The Beheerder's button removes the old factor and mails a new invitation to the
    staff member's own address; the audit log names who did it. Other staff cannot."""
    caplog.set_level(logging.INFO, logger=AUDIT)
    user = UserFactory(role=ASSESSOR, email="kwijt@utrecht.example")
    client.force_login(user)
    enrol(client, user)

    beheerder = UserFactory(role=ADMINISTRATOR, email="beheer@utrecht.example")
    colleague = UserFactory(role=ASSESSOR)
    with override_settings(STAFF_REQUIRE_2FA=False):
        client.force_login(colleague)
        refused = client.post("/admin/tweede-stap-medewerkers/", {"user": user.pk})
        assert refused.status_code == 302 and refused["Location"] == "/admin/"
        assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()

        client.force_login(beheerder)
        listing = client.get("/admin/tweede-stap-medewerkers/")
        assert listing.status_code == 200
        assert "kwijt@utrecht.example" in listing.content.decode()
        done = client.post("/admin/tweede-stap-medewerkers/", {"user": user.pk})
        assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    mail = OutgoingMail.objects.order_by("-pk").first()
    assert mail.to == ["kwijt@utrecht.example"]
    assert re.search(r"/admin/tweede-stap/instellen/\?t=\S+", mail.body)
    lines = [r.getMessage() for r in caplog.records if r.name == AUDIT]
    assert (
        "Second factor invitation sent: user='kwijt@utrecht.example' "
        "by='beheer@utrecht.example' reason='reset by Beheerder' reset=True"
    ) in lines


def test_a_staff_account_made_in_wagtail_gets_an_invitation(client, settings):
    """Creating a staff member in Wagtail's user screen mails them an invitation."""
    settings.STAFF_REQUIRE_2FA = False
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    group = Group.objects.get_or_create(name=ASSESSOR)[0]
    response = client.post(
        "/admin/users/new/",
        {
            "email": "nieuw@utrecht.example",
            "first_name": "Nieuw",
            "last_name": "Collega",
            "password1": "een-lang-wachtwoord-2026",
            "password2": "een-lang-wachtwoord-2026",
            "is_active": "on",
            "groups": [group.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    invitation = TwoFactorInvitation.objects.get(user__email="nieuw@utrecht.example")
    assert invitation.created_by == admin and invitation.reason == "new account"
    mail = OutgoingMail.objects.order_by("-pk").first()
    assert mail.to == ["nieuw@utrecht.example"]


def test_the_code_limit_counts_only_wrong_codes(client, settings):
    """Five logins with a right code in the window do not lock a staff member out."""
    settings.STAFF_REQUIRE_2FA = True
    settings.LOGIN_RATE_LIMIT_PER_USER = 3
    user = UserFactory(role=ASSESSOR)
    client.force_login(user)
    device, _codes = enrol(client, user)
    for _ in range(6):
        client.logout()
        client.force_login(user)
        ok = client.post(
            "/admin/tweede-stap/", {"code": fresh_code(device), "next": "/admin/"}
        )
        assert ok.status_code == 302, ok.content.decode()[-1500:]


def test_the_password_limit_counts_only_failures(client, settings):
    """Six good password logins in a window with a limit of three all go through;
    failures still count."""
    settings.LOGIN_RATE_LIMIT_PER_USER = 3
    UserFactory(email="vaak@utrecht.example", role=ASSESSOR)
    good = {"username": "vaak@utrecht.example", "password": "geheim-wachtwoord-123"}
    for login_url in ["/admin/login/", "/django-admin/login/"] * 3:
        client.post(login_url, good)
        assert "_auth_user_id" in client.session, login_url
        client.logout()
    for _ in range(3):
        client.post("/admin/login/", {**good, "password": "fout"})
    client.post("/admin/login/", good, follow=True)
    assert "_auth_user_id" not in client.session
    assert enrolment.RECOVERY_CODE_COUNT == 10


def test_the_first_superuser_is_invited_from_the_command_line():
    """``manage.py invite_two_factor`` mails the invitation; residents get none."""
    admin = UserFactory(
        is_staff=True, is_superuser=True, email="eerste@utrecht.example"
    )
    call_command("invite_two_factor", "eerste@utrecht.example", stdout=io.StringIO())
    assert TwoFactorInvitation.objects.get(user=admin).reason == "management command"
    UserFactory(role="Aanvrager", email="bewoner@example.nl")
    with pytest.raises(CommandError):
        call_command("invite_two_factor", "bewoner@example.nl")
