"""The mail outbox: every e-mail to an applicant or a colleague is queued here first.

A mail row is written in the same database transaction as the change it reports, so a
transition is never lost because the mail server refused, and a mail is never sent for a
change that was rolled back. Delivery happens after the commit (a background task) and
is retried until it succeeds or ``MAX_ATTEMPTS`` is reached.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutgoingMail(models.Model):
    class State(models.TextChoices):
        PENDING = "wachtend", _("Wachtend")
        SENT = "verzonden", _("Verzonden")
        FAILED = "mislukt", _("Mislukt")

    MAX_ATTEMPTS = 8

    to = models.JSONField(_("aan"))
    subject = models.CharField(_("onderwerp"), max_length=255)
    body = models.TextField(_("tekst"))
    attachments = models.JSONField(_("bijlagen"), default=list, blank=True)
    reference = models.CharField(_("kenmerk"), max_length=40, blank=True, db_index=True)
    state = models.CharField(
        _("status"), max_length=12, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    last_error = models.TextField(_("laatste fout"), blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    sent_at = models.DateTimeField(_("verzonden op"), null=True, blank=True)

    class Meta:
        verbose_name = _("uitgaande e-mail")
        verbose_name_plural = _("uitgaande e-mails")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["state", "created_at"])]

    def __str__(self):
        return f"{self.subject} ({self.get_state_display()})"
