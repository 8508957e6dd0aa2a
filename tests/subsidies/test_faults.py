"""Faults during a submission: the database drops, and either everything or nothing stays."""

from unittest import mock

import pytest
from django.db import OperationalError

from subsidies import services
from subsidies.models import Application, TransitionLog
from subsidies.workflow import Status
from tests.factories import ApplicationFactory

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


def test_connection_lost_while_saving_the_status_leaves_nothing():
    """The database fails on the status update itself: no log row, still a concept."""
    application = ApplicationFactory()
    with (
        mock.patch.object(
            Application, "save", side_effect=OperationalError("connection reset")
        ),
        pytest.raises(OperationalError),
    ):
        services.fire(
            application=application,
            transition="submit",
            actor=application.applicant_user,
        )
    assert Application.objects.get(pk=application.pk).status == Status.DRAFT
    assert not TransitionLog.objects.filter(application=application).exists()
