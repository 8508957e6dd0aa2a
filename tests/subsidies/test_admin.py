"""Administration screens: configuration for the Beheerder, the log for nobody to edit."""

import pytest
from django.urls import reverse

from accounts.roles import ADMINISTRATOR
from subsidies.models import TransitionLog
from tests.factories import ApplicationFactory, UserFactory, assessor

pytestmark = pytest.mark.django_db


def test_transition_log_cannot_be_changed_in_the_django_admin(admin_client):
    """Even a superuser gets no form to change or delete a log row."""
    application = ApplicationFactory(submitted=True)
    row = TransitionLog.objects.get(application=application)
    change = reverse("admin:subsidies_transitionlog_change", args=[row.pk])
    response = admin_client.post(change, {"reason": "weg ermee"})
    assert response.status_code in (302, 403) or b"weg ermee" not in response.content
    row.refresh_from_db()
    assert row.reason == ""
    delete = reverse("admin:subsidies_transitionlog_delete", args=[row.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert (
        admin_client.get(reverse("admin:subsidies_transitionlog_add")).status_code
        == 403
    )
    assert TransitionLog.objects.filter(pk=row.pk).exists()


def test_no_wagtail_admin_screen_edits_the_log():
    """No URL in the Wagtail admin is registered for the transition log."""
    from django.urls import get_resolver

    names = [name for name in get_resolver().reverse_dict if isinstance(name, str)]
    assert not [
        name
        for name in names
        if "transitionlog" in name and not name.startswith("admin:")
    ]


def test_administrator_configures_schemes_in_wagtail(client):
    """A Beheerder reaches the scheme list; an assessor does not."""
    beheerder = UserFactory(role=ADMINISTRATOR)
    client.force_login(beheerder)
    assert client.get("/admin/scheme/").status_code == 200
    client.force_login(assessor())
    assert client.get("/admin/scheme/").status_code in (302, 403)


def test_applicant_cannot_reach_the_admin(client):
    """An applicant is not staff: both admins answer "Geen toegang" (403), and the
    page shows the way to Mijn aanvragen instead of a staff login form."""
    application = ApplicationFactory()
    client.force_login(application.applicant_user)
    for url in ("/admin/", "/admin/scheme/", "/django-admin/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "/mijn-aanvragen/" in response.content.decode()
