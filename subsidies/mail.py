"""Queue e-mail in the outbox and deliver it after the commit, with retries.

``queue_mail`` is what services call; ``deliver_pending`` is what the background task and
the ``send_queued_mail`` command call. A refused or unreachable mail server leaves the mail
pending for the next attempt; the change it reports has already been committed.
"""

import base64
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .iban import mask_ibans_in
from .models import OutgoingMail

logger = logging.getLogger(__name__)


def queue_mail(*, to, subject, body, attachments=(), reference=""):
    """Queue one e-mail; it is sent after the surrounding transaction commits.

    ``attachments`` is a sequence of ``(filename, bytes, mimetype)``. Every IBAN in
    the subject and body is masked (``subsidies.iban``): e-mail is no place for a
    bank account number, whoever wrote it there.
    """
    mail = OutgoingMail.objects.create(
        to=list(to),
        subject=mask_ibans_in(" ".join(subject.split())),
        body=mask_ibans_in(body),
        attachments=[
            {
                "name": name,
                "content": base64.b64encode(content).decode("ascii"),
                "mimetype": mimetype,
            }
            for name, content, mimetype in attachments
        ],
        reference=reference,
    )
    transaction.on_commit(lambda: deliver_mail_task.enqueue(mail.pk))
    return mail


#: Kept on a mail that had nobody to go to (a resident known only by DigiD or
#: eHerkenning whose contact address is not confirmed yet): never marked as sent.
NO_RECIPIENT = "Geen ontvanger: er is (nog) geen bevestigd e-mailadres."


def deliver(mail):
    """Try to send one mail; record the outcome. Returns True when it was sent."""
    if not mail.to:
        mail.state = OutgoingMail.State.FAILED
        mail.last_error = NO_RECIPIENT
        mail.save(update_fields=["state", "last_error"])
        return False
    message = EmailMessage(
        subject=mail.subject,
        body=mail.body,
        to=mail.to,
        from_email=settings.DEFAULT_FROM_EMAIL,
    )
    for attachment in mail.attachments:
        message.attach(
            attachment["name"],
            base64.b64decode(attachment["content"]),
            attachment["mimetype"],
        )
    mail.attempts += 1
    try:
        message.send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as error:
        mail.last_error = f"{type(error).__name__}: {error}"[:2000]
        if mail.attempts >= OutgoingMail.MAX_ATTEMPTS:
            mail.state = OutgoingMail.State.FAILED
        logger.warning(
            "Mail %s not sent (attempt %s): %s", mail.pk, mail.attempts, mail.last_error
        )
        mail.save(update_fields=["attempts", "last_error", "state"])
        return False
    mail.state = OutgoingMail.State.SENT
    mail.sent_at = timezone.now()
    mail.last_error = ""
    mail.save(update_fields=["attempts", "last_error", "state", "sent_at"])
    return True


def deliver_pending(*, limit=500):
    """Send what is still waiting, oldest first. Returns (sent, still pending)."""
    sent = 0
    pending = OutgoingMail.objects.filter(state=OutgoingMail.State.PENDING).order_by(
        "created_at"
    )[:limit]
    for mail in pending:
        sent += deliver(mail)
    return sent, OutgoingMail.objects.filter(state=OutgoingMail.State.PENDING).count()


@task()
def deliver_mail_task(mail_id):
    with transaction.atomic():
        mail = (
            OutgoingMail.objects.select_for_update()
            .filter(pk=mail_id, state=OutgoingMail.State.PENDING)
            .first()
        )
        if mail is not None:
            deliver(mail)
