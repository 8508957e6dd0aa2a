"""Residents log in with a one-time link by e-mail: no password, rate limited, and
nobody learns whether an address has an account."""

import re
from unittest import mock

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from sesame.utils import get_token

from accounts.models import User
from accounts.roles import APPLICANT
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/inloggen/"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def ask_link(client, email, **extra):
    return client.post(LOGIN, {"email": email, **extra})


def link_from_mail(message):
    match = re.search(r"http://testserver(/inloggen/link/\?\S+)", message.body)
    assert match, message.body
    return match.group(1)


def open_link(client, link):
    """Open the link (a page with a button) and press the button."""
    page = client.get(link)
    assert page.status_code == 200
    # The login form only: the header's language switch has a "next" of its own.
    action = re.escape(reverse("accounts:magic_link"))
    form = re.search(
        rf'<form[^>]*action="{action}".*?</form>', page.content.decode(), re.S
    ).group(0)
    token = re.search(r'name="t" value="([^"]+)"', form).group(1)
    next_value = re.search(r'name="next" value="([^"]*)"', form)
    data = {"t": token, "next": next_value.group(1) if next_value else ""}
    return client.post(reverse("accounts:magic_link"), data)


def test_the_login_page_asks_only_for_an_email_address(client):
    """One field, server-side validation only, in Dutch."""
    content = client.get(LOGIN).content.decode()
    assert 'name="email"' in content
    assert "novalidate" in content
    assert "wachtwoord" in content
    assert 'type="password"' not in content


def test_a_new_address_gets_an_account_in_the_aanvrager_group_on_first_login(client):
    """The account is made when the link is used, not when it is asked for."""
    response = ask_link(client, "Nieuw@Example.nl")
    assert response["Location"] == reverse("accounts:link_sent")
    assert not User.objects.filter(email="nieuw@example.nl").exists()
    assert mail.outbox[0].to == ["nieuw@example.nl"]
    response = open_link(client, link_from_mail(mail.outbox[0]))
    assert response["Location"] == reverse("subsidies:my_applications")
    user = User.objects.get(email="nieuw@example.nl")
    assert user.groups.filter(name=APPLICANT).exists()
    assert not user.has_usable_password()
    assert int(client.session[SESSION_KEY]) == user.pk


def test_a_link_works_only_once(client):
    """Using a link twice fails the second time, for new and known addresses."""
    ask_link(client, "eenmalig@example.nl")
    link = link_from_mail(mail.outbox[0])
    open_link(client, link)
    client.logout()
    assert open_link(client, link).status_code == 400

    UserFactory(email="bekend@example.nl", role=APPLICANT)
    ask_link(client, "bekend@example.nl")
    link = link_from_mail(mail.outbox[-1])
    assert open_link(client, link).status_code == 302
    client.logout()
    response = open_link(client, link)
    assert response.status_code == 400
    assert "werkt niet meer" in response.content.decode()


def test_opening_the_link_alone_does_not_log_in(client):
    """Mail scanners that open links do not spend them: only the button logs in."""
    ask_link(client, "scanner@example.nl")
    client.get(link_from_mail(mail.outbox[0]))
    assert SESSION_KEY not in client.session
    assert not User.objects.filter(email="scanner@example.nl").exists()


def test_an_expired_link_is_refused(client, settings):
    """After SESAME_MAX_AGE seconds the link no longer works."""
    ask_link(client, "laat@example.nl")
    link = link_from_mail(mail.outbox[0])
    with mock.patch("django.core.signing.time.time", return_value=10**10):
        response = open_link(client, link)
    assert response.status_code == 400
    assert not User.objects.filter(email="laat@example.nl").exists()


def test_known_and_unknown_addresses_get_the_same_answer(client):
    """The response does not reveal whether an account exists."""
    UserFactory(email="bestaat@example.nl", role=APPLICANT)
    known = ask_link(client, "bestaat@example.nl")
    unknown = ask_link(client, "bestaatniet@example.nl")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_staff_get_no_login_link(client):
    """A staff address gets a pointer to the admin login, not a link that logs in."""
    UserFactory(email="medewerker@utrecht.example", role="Beoordelaar")
    response = ask_link(client, "medewerker@utrecht.example")
    assert response["Location"] == reverse("accounts:link_sent")
    assert "/inloggen/link/" not in mail.outbox[0].body
    assert "/admin/" in mail.outbox[0].body


def test_a_staff_member_cannot_log_in_with_a_resident_token(client):
    """Even a valid sesame token for a staff user is refused by the login view."""
    staff = UserFactory(email="staf@utrecht.example", role="Beoordelaar")
    response = client.post(reverse("accounts:magic_link"), {"t": get_token(staff)})
    assert response.status_code == 400
    assert SESSION_KEY not in client.session


def group_only_staff(email):
    """A Beoordelaar as Wagtail's user screen makes one: in the group, no is_staff."""
    user = UserFactory(email=email, role="Beoordelaar")
    User.objects.filter(pk=user.pk).update(is_staff=False)
    return User.objects.get(pk=user.pk)


def test_group_only_staff_get_no_login_link(client):
    """A staff-group member without is_staff gets the pointer to the admin, no link."""
    group_only_staff("groep@utrecht.example")
    response = ask_link(client, "groep@utrecht.example")
    assert response["Location"] == reverse("accounts:link_sent")
    assert "/inloggen/link/" not in mail.outbox[0].body
    assert "/admin/" in mail.outbox[0].body


def test_group_only_staff_cannot_log_in_with_a_resident_token(client):
    """A valid sesame token for a staff-group member without is_staff is refused."""
    staff = group_only_staff("groep@utrecht.example")
    response = client.post(reverse("accounts:magic_link"), {"t": get_token(staff)})
    assert response.status_code == 400
    assert SESSION_KEY not in client.session


def test_an_inactive_user_gets_no_mail(client):
    """Deactivated accounts get nothing, and the page looks the same."""
    UserFactory(email="weg@example.nl", role=APPLICANT, is_active=False)
    response = ask_link(client, "weg@example.nl")
    assert response.status_code == 302
    assert mail.outbox == []


def test_too_many_requests_for_one_address_are_refused_in_dutch(client, settings):
    """Above the limit per address: a clear Dutch message, status 429, no mail."""
    settings.LOGIN_LINK_LIMIT_PER_EMAIL = 2
    for _ in range(2):
        assert ask_link(client, "veel@example.nl").status_code == 302
    response = ask_link(client, "veel@example.nl")
    assert response.status_code == 429
    assert "te vaak om een inloglink gevraagd" in response.content.decode()
    assert len(mail.outbox) == 2
    assert ask_link(client, "iemand.anders@example.nl").status_code == 302


def test_too_many_requests_from_one_ip_are_refused(client, settings):
    """Above the limit per IP address, even for different addresses."""
    settings.LOGIN_LINK_LIMIT_PER_IP = 3
    for number in range(3):
        assert ask_link(client, f"adres{number}@example.nl").status_code == 302
    response = ask_link(client, "adres9@example.nl")
    assert response.status_code == 429
    assert len(mail.outbox) == 3
    other_ip = client.post(
        LOGIN, {"email": "adres9@example.nl"}, REMOTE_ADDR="10.0.0.9"
    )
    assert other_ip.status_code == 302


def test_a_wrong_address_gets_a_dutch_error(client):
    """An invalid address is reported above the form and at the field."""
    response = ask_link(client, "geen-adres")
    content = response.content.decode()
    assert response.status_code == 200
    assert "naam@voorbeeld.nl" in content
    assert "error-summary-title" in content
    assert mail.outbox == []


def test_the_link_brings_the_resident_back_where_they_were(client):
    """A safe 'next' travels through the mail; a foreign one is ignored."""
    ask_link(client, "terug@example.nl", next="/aanvragen/initiatievenfonds/")
    response = open_link(client, link_from_mail(mail.outbox[0]))
    assert response["Location"] == "/aanvragen/initiatievenfonds/"
    client.logout()
    ask_link(client, "kwaad@example.nl", next="https://kwaad.example/")
    assert "kwaad.example" not in mail.outbox[-1].body
    response = open_link(client, link_from_mail(mail.outbox[-1]))
    assert response["Location"] == reverse("subsidies:my_applications")


def test_the_link_uses_the_configured_site_address_not_the_host_header(
    client, settings
):
    """A forged Host header cannot send a login link to another site."""
    settings.ALLOWED_HOSTS = ["*"]
    settings.PUBLIC_SITE_URL = "https://initiatiefloket.utrecht.example"
    client.post(LOGIN, {"email": "host@example.nl"}, HTTP_HOST="kwaad.example")
    assert (
        "https://initiatiefloket.utrecht.example/inloggen/link/" in mail.outbox[0].body
    )
    assert "kwaad.example" not in mail.outbox[0].body


def test_logging_out(client):
    """Uitloggen ends the session."""
    client.force_login(UserFactory(role=APPLICANT))
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert SESSION_KEY not in client.session
