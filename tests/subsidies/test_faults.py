"""Faults during a submission: the database drops, and either everything or nothing stays."""

from unittest import mock

import psycopg
import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from subsidies import services
from subsidies.models import (
    Application,
    OutgoingMail,
    TargetGroup,
    Theme,
    TransitionLog,
)
from subsidies.workflow import Status
from tests.factories import AddressedApplicantFactory, ApplicationFactory

pytestmark = pytest.mark.django_db


def test_connection_lost_while_logging_leaves_the_concept_untouched():
    """The database fails after the status change but before the log: nothing is kept."""
    application = ApplicationFactory()
    with (
        mock.patch.object(
            TransitionLog.objects,
            "create",
            side_effect=OperationalError("server closed"),
        ),
        pytest.raises(OperationalError),
    ):
        services.fire(
            application=application,
            transition="submit",
            actor=application.applicant_user,
        )
    fresh = Application.objects.get(pk=application.pk)
    assert fresh.status == Status.DRAFT and fresh.submitted_at is None
    assert not TransitionLog.objects.filter(application=application).exists()
    # The resident simply tries again and it works.
    again = services.fire(
        application=fresh, transition="submit", actor=application.applicant_user
    )
    assert again.status == Status.SUBMITTED
    assert TransitionLog.objects.filter(application=application).count() == 1


@pytest.mark.postgres
def test_a_real_dropped_connection_during_a_submission_keeps_nothing(
    on_postgres, client
):
    """On PostgreSQL the server really ends the connection halfway through the submit
    request (after the status change, before the log row): the request fails with the
    503 page, the application is still a complete concept with no log row and no receipt queued,
    and sending it again works."""
    application = ApplicationFactory(
        applicant=AddressedApplicantFactory(), expected_reach=30, volunteers=4
    )
    application.target_groups.set([TargetGroup.objects.create(slug="a", name="A")])
    application.themes.set([Theme.objects.create(slug="b", name="B")])
    client.force_login(application.applicant_user)
    client.raise_request_exception = False
    url = reverse("subsidies:step", args=[application.reference, "controle"])
    real_create = TransitionLog.objects.create

    def the_server_ends_this_connection(**kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        settings = connection.settings_dict
        with psycopg.connect(
            dbname=settings["NAME"],
            user=settings["USER"],
            host=settings["HOST"],
            port=settings["PORT"] or 5432,
            autocommit=True,
        ) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])
        return real_create(**kwargs)

    with mock.patch.object(
        TransitionLog.objects, "create", side_effect=the_server_ends_this_connection
    ):
        response = client.post(url, {"truthful_declaration": "on"})
    # The database went away: the Dutch "try again shortly" page, not a bare 500.
    assert response.status_code == 503 and response["Retry-After"]
    connection.close()  # what Django does with a broken connection between requests

    fresh = Application.objects.get(pk=application.pk)
    assert fresh.status == Status.DRAFT and fresh.submitted_at is None
    assert not TransitionLog.objects.filter(application=application).exists()
    assert not OutgoingMail.objects.filter(reference=fresh.reference).exists()

    response = client.post(url, {"truthful_declaration": "on"})
    assert response.status_code == 302
    fresh = Application.objects.get(pk=application.pk)
    assert fresh.status == Status.SUBMITTED
    assert TransitionLog.objects.filter(application=application).count() == 1
    assert OutgoingMail.objects.filter(reference=fresh.reference).count() == 1
