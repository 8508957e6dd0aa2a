"""Security headers, staff sessions, the second factor for staff, login rate limits."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import resolve, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.admin.forms.pages import PageViewRestrictionForm

from accounts.models import User
from accounts.roles import ASSESSOR
from tests.factories import UserFactory
from tests.two_factor import enrol, fresh_code

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def group_only_staff(**kwargs):
    """A Beoordelaar as Wagtail's user screen makes one: in the group, no is_staff."""
    user = UserFactory(role=ASSESSOR, **kwargs)
    User.objects.filter(pk=user.pk).update(is_staff=False)
    return User.objects.get(pk=user.pk)


def test_pages_carry_a_strict_content_security_policy(client):
    """Scripts only from our own origin, never inline; no framing; no sensors or camera."""
    response = client.get("/admin/login/")
    policy = response["Content-Security-Policy"]
    script_src = next(
        part for part in policy.split(";") if part.strip().startswith("script-src")
    )
    assert "'self'" in script_src and "unsafe-inline" not in script_src
    assert "frame-ancestors 'none'" in policy
    assert "camera=()" in response["Permissions-Policy"]


def test_staff_sessions_expire_after_a_quiet_half_hour(client, settings):
    """A staff session is set to end after STAFF_SESSION_SECONDS without activity."""
    settings.STAFF_SESSION_SECONDS = 1800
    client.force_login(UserFactory(role=ASSESSOR))
    client.get("/admin/login/")
    assert client.session.get_expiry_age() == 1800


@override_settings(STAFF_REQUIRE_2FA=True)
def test_staff_must_set_up_and_enter_a_code_before_the_admin(client):
    """Without a verified code a staff member is sent to the code page; after the
    set-up by invitation, and with a code on the next login, they get in."""
    user = UserFactory(role=ASSESSOR)
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/tweede-stap/" in response["Location"]
    missing = client.get("/admin/tweede-stap/?next=/admin/").content.decode()
    assert "uitnodiging" in missing and "data-secret" not in missing
    enrol(client, user)
    assert client.get("/admin/").status_code == 200

    client.logout()
    client.force_login(user)
    device = TOTPDevice.objects.get(user=user)
    code = fresh_code(device)
    wrong = "000000" if code != "000000" else "111111"
    refused = client.post("/admin/tweede-stap/", {"code": wrong, "next": "/admin/"})
    assert "klopt niet" in refused.content.decode()
    ok = client.post(
        "/admin/tweede-stap/", {"code": fresh_code(device), "next": "/admin/"}
    )
    assert ok.status_code == 302 and ok["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_group_only_staff_sessions_expire_too(client, settings):
    """A staff-group member without is_staff gets the short staff session as well."""
    settings.STAFF_SESSION_SECONDS = 1800
    client.force_login(group_only_staff())
    client.get("/admin/login/")
    assert client.session.get_expiry_age() == 1800


def test_residents_get_their_own_shorter_session(client, settings):
    """The staff expiry is not applied to an Aanvrager: theirs is the residents' one
    (tests/portal/test_session_timeout.py)."""
    settings.STAFF_SESSION_SECONDS = 1800
    settings.RESIDENT_SESSION_SECONDS = 900
    client.force_login(UserFactory(role="Aanvrager"))
    client.get("/")
    assert client.session.get_expiry_age() == 900


@override_settings(STAFF_REQUIRE_2FA=True)
def test_group_only_staff_must_enter_a_code_before_the_admin(client):
    """Without is_staff a staff-group member is still sent through the second factor."""
    user = group_only_staff()
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/tweede-stap/" in response["Location"]
    enrol(client, user)
    assert client.get("/admin/").status_code == 200


@override_settings(STAFF_REQUIRE_2FA=True)
def test_the_code_page_refuses_an_outside_redirect(client):
    """After the code the user is only sent to a page on this site."""
    user = UserFactory(role=ASSESSOR)
    client.force_login(user)
    device, _codes = enrol(client, user)
    client.logout()
    client.force_login(user)
    response = client.post(
        "/admin/tweede-stap/",
        {"code": fresh_code(device), "next": "https://evil.example/"},
    )
    assert response["Location"] == "/admin/"


@pytest.mark.parametrize(
    "login_url,role",
    [("/admin/login/", ASSESSOR), ("/django-admin/login/", None)],
    ids=["wagtail", "django-admin"],
)
def test_both_admin_logins_are_rate_limited(client, settings, login_url, role):
    """After too many attempts for one address either password login refuses, even
    the right password, with a Dutch message."""
    settings.LOGIN_RATE_LIMIT_PER_USER = 3
    if role:
        UserFactory(email="medewerker@example.nl", role=role)
    else:
        UserFactory(email="medewerker@example.nl", is_staff=True, is_superuser=True)
    for _ in range(3):
        response = client.post(
            login_url, {"username": "medewerker@example.nl", "password": "fout"}
        )
        assert response.status_code == 200  # the normal "wrong password" form
    blocked = client.post(
        login_url,
        {"username": "medewerker@example.nl", "password": "geheim-wachtwoord-123"},
        follow=True,
    )
    assert "te vaak geprobeerd" in blocked.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_two_admin_logins_count_together(client, settings):
    """Alternating between the Wagtail and the Django admin login gains no attempts."""
    settings.LOGIN_RATE_LIMIT_PER_USER = 3
    UserFactory(email="beheer@example.nl", is_staff=True, is_superuser=True)
    wrong = {"username": "beheer@example.nl", "password": "fout"}
    client.post("/admin/login/", wrong)
    client.post("/django-admin/login/", wrong)
    client.post("/admin/login/", wrong)
    blocked = client.post(
        "/django-admin/login/",
        {"username": "beheer@example.nl", "password": "geheim-wachtwoord-123"},
    )
    assert blocked.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_page_privacy_password_login_is_switched_off(client):
    """Wagtail's /_util/login/ took unlimited password guesses (30 wrong ones, then
    the right one logged in). It no longer checks passwords: every request goes to the
    residents' login, and the shared-password page privacy cannot be chosen."""
    UserFactory(email="medewerker@example.nl", role=ASSESSOR)
    for _ in range(30):
        client.post(
            "/_util/login/", {"username": "medewerker@example.nl", "password": "fout"}
        )
    right = client.post(
        "/_util/login/?next=/admin/",
        {"username": "medewerker@example.nl", "password": "geheim-wachtwoord-123"},
    )
    assert right.status_code == 302
    assert right["Location"] == "/inloggen/?next=%2Fadmin%2F"
    assert "_auth_user_id" not in client.session
    assert client.get("/_util/login/")["Location"] == "/inloggen/"
    outside = client.get("/_util/login/?next=https://evil.example/")
    assert outside["Location"] == "/inloggen/"
    choices = dict(PageViewRestrictionForm().fields["restriction_type"].choices)
    assert "password" not in choices


def test_the_django_admin_login_keeps_its_name():
    """The rate-limited Django admin login still answers to ``admin:login``."""
    assert reverse("admin:login") == "/django-admin/login/"
    assert resolve("/django-admin/login/").view_name == "admin:login"


def test_production_settings_pass_the_deploy_check():
    """`manage.py check --deploy` with the production settings reports no warning."""
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "DJANGO_SECRET_KEY": "x9$Kq2!vLr7@pZ3#mN8&wT5^bY1*cF6(hJ4)dG0-sA2+eU7=iO9~" * 2,
        "DJANGO_ALLOWED_HOSTS": "initiatiefloket.utrecht.example",
        # Production refuses to start without these (tests/portal/test_production_settings.py).
        "PUBLIC_SITE_URL": "https://initiatiefloket.utrecht.example",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
        "REDIS_URL": "redis://127.0.0.1:6379/15",
        "DJANGO_S3_BUCKET": "initiatiefloket-private",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_every_page_for_someone_logged_in_is_never_stored(client):
    """Shared computers: the form steps, the review step, Mijn aanvragen, the status
    page and the staff screens all say ``no-store``; a public page for a visitor who
    is not logged in may be cached."""
    from subsidies import steps
    from tests.factories import ApplicationFactory, decision_maker

    assert "no-store" not in client.get("/aanvragen/").get("Cache-Control", "")
    application = ApplicationFactory()
    client.force_login(application.applicant_user)
    urls = [
        reverse("subsidies:my_applications"),
        reverse("subsidies:detail", args=[application.reference]),
        *(
            reverse("subsidies:step", args=[application.reference, step.slug])
            for step in steps.STEPS
        ),
        "/aanvragen/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url
    client.force_login(decision_maker())
    for url in ("/admin/", "/admin/beoordelen/"):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"], url
