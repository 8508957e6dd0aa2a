"""The staff password reset is audited to the end (issue 14): a new password set
through a reset link, and a reset link refused, are recorded with who, when and from
which IP address, and the Beheerder reads them on "Tweede stap medewerkers"."""

import logging
import re

import pytest
from django.core import mail
from django.core.cache import cache

from accounts.models import SecurityEvent
from accounts.roles import ADMINISTRATOR, ASSESSOR
from portal.shared.writeonce import WriteOnceError
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

IP = "192.0.2.44"
NEW_PASSWORD = "een-lang-nieuw-wachtwoord-2026"


def _reset_link():
    (message,) = mail.outbox
    return re.search(
        r"https?://[^/\s]+(/admin/password_reset/confirm/\S+/)", message.body
    )[1]


def _audit_lines(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "initiatiefloket.audit"]


def test_a_completed_and_a_refused_reset_are_recorded_and_shown_to_the_beheerder(
    client, settings, caplog
):
    """Ask, open the link, set a new password: recorded as completed with the user and
    IP. The same link again, and a made-up one, are recorded as refused. The Beheerder
    sees the three kinds of event with address and IP address on the staff screen."""
    settings.STAFF_REQUIRE_2FA = False
    caplog.set_level(logging.INFO, logger="initiatiefloket.audit")
    cache.clear()
    staff = UserFactory(email="medewerker@utrecht.example", role=ASSESSOR)
    staff.set_password("oud-wachtwoord-dat-niemand-weet")
    staff.save()

    client.post(
        "/admin/password_reset/",
        {"email": "medewerker@utrecht.example"},
        REMOTE_ADDR=IP,
    )
    link = _reset_link()
    form_page = client.get(link, REMOTE_ADDR=IP, follow=True)
    assert form_page.status_code == 200
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_password_url,
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        REMOTE_ADDR=IP,
    )
    assert done.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password(NEW_PASSWORD)

    # The link is spent: the password it was made for has changed.
    again = client.get(link, REMOTE_ADDR="198.51.100.9")
    assert again.status_code == 200
    assert "form" not in again.context or again.context["form"] is None
    # A made-up link that names no account.
    client.get("/admin/password_reset/confirm/OTk5OTk/nep-code/", REMOTE_ADDR=IP)

    events = list(
        SecurityEvent.objects.order_by("pk").values_list("kind", "email", "ip", "user")
    )
    assert events == [
        (SecurityEvent.Kind.RESET_REQUESTED, "medewerker@utrecht.example", IP, None),
        (
            SecurityEvent.Kind.RESET_COMPLETED,
            "medewerker@utrecht.example",
            IP,
            staff.pk,
        ),
        (
            SecurityEvent.Kind.RESET_REFUSED,
            "medewerker@utrecht.example",
            "198.51.100.9",
            staff.pk,
        ),
        (SecurityEvent.Kind.RESET_REFUSED, "", IP, None),
    ]
    lines = _audit_lines(caplog)
    assert (
        f"Password reset completed: user='medewerker@utrecht.example' ip={IP}" in lines
    )
    assert (
        "Password reset link refused (invalid, expired or used): "
        "user='medewerker@utrecht.example' ip=198.51.100.9"
    ) in lines
    assert not any(NEW_PASSWORD in line for line in lines)

    beheerder = UserFactory(email="beheer@utrecht.example", role=ADMINISTRATOR)
    client.force_login(beheerder)
    page = client.get("/admin/tweede-stap-medewerkers/")
    assert page.status_code == 200
    html = page.content.decode()
    section = html[html.index('id="logboek"') :]
    for text in (
        "Logboek wachtwoordherstel",
        "Wachtwoordherstel aangevraagd",
        "Nieuw wachtwoord ingesteld",
        "Herstellink geweigerd",
        "medewerker@utrecht.example",
        IP,
        "198.51.100.9",
    ):
        assert text in section, text
    cache.clear()


def test_a_security_event_is_never_changed():
    """The record is append-only: saving an existing row again or deleting it is
    refused."""
    event = SecurityEvent.objects.create(
        kind=SecurityEvent.Kind.RESET_REFUSED, email="x@utrecht.example", ip=IP
    )
    event.ip = "203.0.113.1"
    with pytest.raises(WriteOnceError):
        event.save()
    with pytest.raises(WriteOnceError):
        SecurityEvent.objects.all().delete()
    assert SecurityEvent.objects.get().ip == IP


def test_an_assessor_does_not_see_the_log(client, settings):
    """Only the Beheerder's staff screen shows the log; an assessor is refused."""
    settings.STAFF_REQUIRE_2FA = False
    SecurityEvent.objects.create(
        kind=SecurityEvent.Kind.RESET_COMPLETED, email="geheim@utrecht.example", ip=IP
    )
    client.force_login(UserFactory(role=ASSESSOR))
    response = client.get("/admin/tweede-stap-medewerkers/", follow=True)
    assert "geheim@utrecht.example" not in response.content.decode()


def test_guessing_reset_links_cannot_fill_the_log(client):
    """Made-up reset links from one address: the first 20 in an hour are kept as
    SecurityEvent rows (never deleted), the rest only in the log, so the Beheerder's
    screen and the table cannot be flooded."""
    for number in range(25):
        client.get(
            f"/admin/password_reset/confirm/OTk5OTk/nep-{number}/",
            REMOTE_ADDR="198.51.100.9",
        )
    refused = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.RESET_REFUSED)
    assert refused.count() == 20
    client.get("/admin/password_reset/confirm/OTk5OTk/nep/", REMOTE_ADDR="203.0.113.4")
    assert refused.count() == 21
