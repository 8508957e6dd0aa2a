"""Findings of the outside security review (issue 14) that have no better home: each
test failed on the code before the fix."""

import logging
import threading
import time

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from sesame.utils import get_token

from accounts import magic_links
from accounts.roles import ASSESSOR
from beoordeling.models import AllocationResult
from portal import gunicorn_conf
from subsidies import services
from subsidies.models import (
    Application,
    BudgetLine,
    OutgoingMail,
    Partner,
    TargetGroup,
    Theme,
)
from tests.factories import (
    AddressedApplicantFactory,
    ApplicationFactory,
    RoundFactory,
    UserFactory,
    WijkFactory,
    decided_application,
    fixed_round,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "https:evil.example",
        "/\\evil.example",
    ],
)
def test_the_four_eyes_approval_never_follows_next_off_site(client, settings, next_url):
    """The approval's ``next`` goes only to a page on this site; anything else falls
    back to the approvals list."""
    settings.STAFF_REQUIRE_2FA = False
    _round, _applications, decider = fixed_round(count=1)
    result = AllocationResult.objects.first()
    client.force_login(decider)
    url = reverse("besluiten:approve", args=[result.pk])
    response = client.post(url, {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == reverse("besluiten:approvals")
    inside = client.post(url, {"next": "/admin/besluiten/"})
    assert inside["Location"] == "/admin/besluiten/"


@pytest.mark.postgres
@pytest.mark.parametrize(
    "url",
    [
        "/django-admin/subsidies/application/?status__exact=%00",
        "/django-admin/subsidies/application/?q=%00",
        "/admin/beoordelen/?q=a%00b",
        "/open-data/?jaar=%00",
    ],
)
def test_a_nul_byte_in_the_query_string_is_a_400_not_a_500(on_postgres, client, url):
    """On PostgreSQL a NUL byte in an admin filter was a 500; now it is refused."""
    client.raise_request_exception = False
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(url)
    assert response.status_code == 400


def test_a_decided_application_is_read_only_in_the_django_admin(client):
    """A superuser cannot change an awarded application outside the workflow: the
    change form is view-only and a POST is refused, nothing stored, nothing logged."""
    application = decided_application(round=RoundFactory(), wijk=WijkFactory())
    before = (application.title, application.requested_cents, application.status)
    log_count = application.transition_log.count()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:subsidies_application_change", args=[application.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    response = client.post(
        url, {"title": "Veranderd", "requested_cents": 1, "round": application.round_id}
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert (
        application.title,
        application.requested_cents,
        application.status,
    ) == before
    assert application.transition_log.count() == log_count


def test_the_staff_password_reset_is_rate_limited_and_audited(client, settings, caplog):
    """Each request is in the audit log; after the limit no more reset mails go out,
    for a known address as for an unknown one."""
    caplog.set_level(logging.INFO, logger="initiatiefloket.audit")
    settings.LOGIN_RATE_LIMIT_PER_USER = 3
    cache.clear()
    UserFactory(email="medewerker@utrecht.example", role=ASSESSOR)
    for _ in range(5):
        client.post(
            "/admin/password_reset/",
            {"email": "medewerker@utrecht.example"},
            REMOTE_ADDR="192.0.2.7",
        )
    assert len(mail.outbox) == 3
    lines = [
        r.getMessage() for r in caplog.records if r.name == "initiatiefloket.audit"
    ]
    requested = [line for line in lines if line.startswith("Password reset requested")]
    assert (
        requested
        == ["Password reset requested: user='medewerker@utrecht.example' ip=192.0.2.7"]
        * 3
    )
    assert (
        sum(line.startswith("Rate limit refused password-reset") for line in lines) == 2
    )
    cache.clear()


@pytest.mark.postgres
def test_a_login_link_used_twice_at_once_logs_in_one_session(on_postgres):
    """Two requests with the same one-time link at the same moment: one wins."""
    user = UserFactory(role="Aanvrager", email="tweemaal@example.nl")
    token = get_token(user)
    barrier = threading.Barrier(2)
    outcomes = []

    def use():
        try:
            barrier.wait(timeout=10)
            found, _backend = magic_links.user_for_token(token)
            outcomes.append(found is not None)
        finally:
            connection.close()

    threads = [threading.Thread(target=use) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [False, True]
    assert magic_links.user_for_token(token) == (None, None)


def test_asking_for_a_login_link_does_the_same_work_for_every_address(client, settings):
    """The request only queues a task: the same queries, no look-up of the address,
    whether it is unknown, a resident's, an inactive account's or a staff member's."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }
    UserFactory(role="Aanvrager", email="bewoner@example.nl")
    UserFactory(role="Aanvrager", email="weg@example.nl", is_active=False)
    UserFactory(role=ASSESSOR, email="collega@utrecht.example")
    client.get("/inloggen/")  # a warm server: the site of the host is cached
    seen = []
    for email in (
        "onbekend@example.nl",
        "bewoner@example.nl",
        "weg@example.nl",
        "collega@utrecht.example",
    ):
        with CaptureQueriesContext(connection) as queries:
            response = client.post("/inloggen/", {"email": email})
        assert response.status_code == 302
        sql = [query["sql"] for query in queries.captured_queries]
        assert not any("accounts_user" in line for line in sql), sql
        seen.append(len(sql))
    assert len(set(seen)) == 1, seen
    assert mail.outbox == []


def test_login_tokens_stay_out_of_the_access_log_and_the_referer(client):
    """gunicorn logs the path without the query string and without the Referer; the
    page behind a login link tells the browser to send no Referer with its button."""
    log_format = gunicorn_conf.access_log_format
    assert "%(U)s" in log_format
    for atom in ("%(r)s", "%(q)s", "%(f)s", "%({"):
        assert atom not in log_format
    atoms = {
        "h": "192.0.2.1",
        "t": "[06/Dec/2026:12:00:00 +0000]",
        "m": "GET",
        "U": "/inloggen/link/",
        "H": "HTTP/1.1",
        "s": 200,
        "B": 512,
        "M": 3,
        "a": "Mozilla",
    }
    assert "geheim-token" not in log_format % atoms
    user = UserFactory(role="Aanvrager")
    page = client.get("/inloggen/link/", {"t": get_token(user)})
    assert page.status_code == 200 and page["Referrer-Policy"] == "origin"


def test_the_receipt_goes_to_the_login_address_never_to_the_typed_contact_address():
    """A contact address the resident typed (and nobody checked) gets no receipt;
    the login address, proved by the login link, does."""
    application = ApplicationFactory(
        applicant=AddressedApplicantFactory(contact_email="vreemde@example.org"),
        expected_reach=30,
        volunteers=4,
    )
    application.target_groups.set([TargetGroup.objects.create(slug="a", name="A")])
    application.themes.set([Theme.objects.create(slug="b", name="B")])
    login_address = application.applicant_user.email
    services.application_submit(
        application=application,
        user=application.applicant_user,
        truthful_declaration=True,
        accepts_electronic_decisions=True,
    )
    sent = list(OutgoingMail.objects.all())
    assert sent and all(m.to == [login_address] for m in sent)
    assert not any("vreemde@example.org" in m.to for m in sent)


def test_an_applicant_without_a_member_gets_no_mail_address():
    """Mail goes only to members' login addresses, never to contact_email alone."""
    lonely = AddressedApplicantFactory(contact_email="vreemde@example.org")
    assert lonely.mail_recipients() == []
    member = UserFactory(role="Aanvrager", email="Lid@Example.nl")
    gone = UserFactory(role="Aanvrager", email="weg@example.nl", is_active=False)
    lonely.members.add(member, gone)
    assert lonely.mail_recipients() == ["lid@example.nl"]


def _two_tabs_at_once(monkeypatch, manager, save_a, save_b):
    """Run two saves at the same moment; each holds its transaction open a little
    after storing its rows, the way a slow request does."""
    real_bulk_create = manager.bulk_create

    def slow_bulk_create(*args, **kwargs):
        result = real_bulk_create(*args, **kwargs)
        time.sleep(0.5)
        return result

    monkeypatch.setattr(manager, "bulk_create", slow_bulk_create)
    barrier = threading.Barrier(2)
    errors = []

    def run(save):
        try:
            barrier.wait(timeout=10)
            save()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(s,)) for s in (save_a, save_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


@pytest.mark.postgres
def test_two_tabs_saving_the_budget_keep_one_set_of_lines(on_postgres, monkeypatch):
    """Two tabs save the budget step at once (EUR 15,000 each against a EUR 20,000
    maximum): one set of lines is stored, never both."""
    application = ApplicationFactory()
    user = application.applicant_user

    def save(description):
        def go():
            services.application_set_budget(
                application=Application.objects.get(pk=application.pk),
                user=user,
                lines=[
                    {
                        "category": BudgetLine.Category.MATERIALS,
                        "description": description,
                        "amount_cents": 1_500_000,
                    }
                ],
                other_funding=[],
            )

        return go

    _two_tabs_at_once(
        monkeypatch, BudgetLine.objects, save("Tabblad A"), save("Tabblad B")
    )
    lines = list(BudgetLine.objects.filter(application=application))
    assert len(lines) == 1, [line.description for line in lines]
    application.refresh_from_db()
    assert application.requested_cents == 1_500_000


@pytest.mark.postgres
def test_two_tabs_saving_the_partners_keep_one_set(on_postgres, monkeypatch):
    application = ApplicationFactory()
    user = application.applicant_user

    def save(name):
        def go():
            services.application_set_partners(
                application=Application.objects.get(pk=application.pk),
                user=user,
                partners=[{"name": name}],
            )

        return go

    _two_tabs_at_once(monkeypatch, Partner.objects, save("Buurthuis"), save("School"))
    assert Partner.objects.filter(application=application).count() == 1
