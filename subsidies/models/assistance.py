"""An application filled in at the wijkbureau, for a resident (issue 18).

A staff member with the role Wijkbureau (``accounts.roles.ASSIST_APPLICATION``)
starts a concept for a resident who is at the desk or on the phone, fills in the same
steps, records how the resident agreed, and hands the concept over: by the e-mail
login link, or, for a resident without e-mail, by a one-time code printed for them
that they type after logging in with DigiD. The facts of that help are kept here, one
row per application; every step is also a line in the transition log that names the
staff member (``subsidies.services_assisted``).

Only a keyed hash of the hand-over code is stored (``handover_code_hash``); the code
itself is shown once, on the sheet printed for the resident.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .applications import Application


class ConsentMethod(models.TextChoices):
    IN_PERSON = "wijkbureau", _("Aan de balie van het wijkbureau")
    PHONE = "telefoon", _("Aan de telefoon")
    IN_WRITING = "schriftelijk", _("Schriftelijk (brief of formulier)")


class HandoverRoute(models.TextChoices):
    EMAIL = "email", _("Inloglink per e-mail")
    DIGID = "digid", _("DigiD met een overdrachtscode")


class ApplicationAssistance(models.Model):
    application = models.OneToOneField(
        Application,
        on_delete=models.CASCADE,
        related_name="assistance",
        verbose_name=_("aanvraag"),
    )
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assisted_applications",
        verbose_name=_("ingevuld door"),
    )
    #: The staff member's name as it was when they helped (the log keeps it too).
    assisted_by_label = models.CharField(_("ingevuld door (naam)"), max_length=254)
    resident_name = models.CharField(_("naam bewoner"), max_length=200)
    resident_email = models.EmailField(_("e-mailadres bewoner"), blank=True)
    resident_phone = models.CharField(
        _("telefoonnummer bewoner"), max_length=32, blank=True
    )
    route = models.CharField(
        _("overdracht via"), max_length=8, choices=HandoverRoute.choices
    )
    started_at = models.DateTimeField(_("begonnen op"))

    consent_method = models.CharField(
        _("toestemming gegeven"),
        max_length=16,
        choices=ConsentMethod.choices,
        blank=True,
    )
    consent_given_at = models.DateTimeField(
        _("toestemming gegeven op"), null=True, blank=True
    )
    consent_note = models.TextField(_("toelichting toestemming"), blank=True)
    consent_recorded_at = models.DateTimeField(
        _("toestemming vastgelegd op"), null=True, blank=True
    )

    handed_over_at = models.DateTimeField(_("overgedragen op"), null=True, blank=True)
    #: HMAC-SHA256 of the hand-over code (DigiD route); NULL when there is none.
    handover_code_hash = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )
    handover_code_expires_at = models.DateTimeField(
        _("code geldig tot"), null=True, blank=True
    )
    handover_code_used_at = models.DateTimeField(
        _("code gebruikt op"), null=True, blank=True
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("overgenomen door"),
    )

    class Meta:
        verbose_name = _("aanvraag met hulp")
        verbose_name_plural = _("aanvragen met hulp")
        ordering = ["-started_at", "-pk"]
        default_permissions = ("view",)
        permissions = [
            ("assist_application", _("Aanvragen met hulp invullen (wijkbureau)"))
        ]

    def __str__(self):
        return f"{self.application.reference} ({self.assisted_by_label})"

    @property
    def has_consent(self):
        return bool(self.consent_method and self.consent_given_at)

    @property
    def is_handed_over(self):
        return self.handed_over_at is not None
