"""The mail outbox: a refused mail server never loses a transition, and mail is retried."""

import smtplib
from unittest import mock

import pytest
from django.core import mail as django_mail
from django.core.management import call_command
from django.db import transaction

from subsidies import services
from subsidies.mail import deliver_pending, queue_mail
from subsidies.models import OutgoingMail, TransitionLog
from subsidies.workflow import Status
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def submit_and_mail(application):
    with transaction.atomic():
        application = services.fire(
            application=application,
            transition="submit",
            actor=application.applicant_user,
        )
        queue_mail(
            to=["bewoner@example.nl"],
            subject="Ontvangen",
            body="Wij hebben uw aanvraag.",
            reference=application.reference,
        )
    return application


def test_mail_is_sent_after_the_commit(django_capture_on_commit_callbacks):
    """A queued mail leaves once the transaction commits, with its attachment."""
    with django_capture_on_commit_callbacks(execute=True):
        queue_mail(
            to=["a@example.nl"],
            subject="Besluit",
            body="Zie bijlage.",
            attachments=[("besluit.pdf", b"%PDF-1.7 test", "application/pdf")],
        )
    assert len(django_mail.outbox) == 1
    assert django_mail.outbox[0].attachments[0][0] == "besluit.pdf"
    assert OutgoingMail.objects.get().state == OutgoingMail.State.SENT


def test_a_refusing_mail_server_does_not_lose_the_transition(
    django_capture_on_commit_callbacks,
):
    """The mail server says no: the submission stands, the mail waits and is retried."""
    application = ApplicationFactory()
    with (
        mock.patch(
            "django.core.mail.EmailMessage.send",
            side_effect=smtplib.SMTPServerDisconnected("weg"),
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        application = submit_and_mail(application)
    assert application.status == Status.SUBMITTED
    assert (
        TransitionLog.objects.filter(
            application=application, transition="submit"
        ).count()
        == 1
    )
    queued = OutgoingMail.objects.get(reference=application.reference)
    assert queued.state == OutgoingMail.State.PENDING and queued.attempts == 1
    assert django_mail.outbox == []

    call_command("send_queued_mail", stdout=mock.MagicMock())
    queued.refresh_from_db()
    assert queued.state == OutgoingMail.State.SENT and len(django_mail.outbox) == 1


def test_no_mail_for_a_change_that_was_rolled_back(django_capture_on_commit_callbacks):
    """When the transaction fails, nothing is queued and nothing is sent."""
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue_mail(to=["a@example.nl"], subject="x", body="y")
        raise RuntimeError("database gone")
    assert OutgoingMail.objects.count() == 0 and django_mail.outbox == []


def test_a_mail_that_keeps_failing_is_marked_failed():
    """After the maximum number of attempts a mail stops being retried and is marked."""
    queued = queue_mail(to=["a@example.nl"], subject="x", body="y")
    with mock.patch(
        "django.core.mail.EmailMessage.send", side_effect=OSError("no route")
    ):
        for _ in range(OutgoingMail.MAX_ATTEMPTS):
            deliver_pending()
    queued.refresh_from_db()
    assert queued.state == OutgoingMail.State.FAILED and "no route" in queued.last_error


def test_a_mail_with_nobody_to_go_to_is_never_marked_sent(
    django_capture_on_commit_callbacks,
):
    """A resident known only by DigiD or eHerkenning, whose contact address is not
    confirmed yet, has no mail address: the outbox keeps the mail as not sent, with
    the reason, instead of calling it sent (issue 17)."""
    with django_capture_on_commit_callbacks(execute=True):
        queue_mail(to=[], subject="Ontvangen", body="Wij hebben uw aanvraag.")
    stored = OutgoingMail.objects.get()
    assert django_mail.outbox == []
    assert stored.state == OutgoingMail.State.FAILED
    assert stored.sent_at is None
    assert "Geen ontvanger" in stored.last_error
