"""The wijzigingsverzoek: a recipient asks to change a grant already made.

The recipient of a toegekend grant asks, from the status page, to move the last day of
the activities, or to change the activities or the budget lines, and says why. Staff
grant or refuse it with a reason. A granted request that changes the recipient's rights
(the end date) is carried out by a wijzigingsbesluit (``beoordeling.decisions``);
otherwise the answer is the reply itself. The request never changes the application:
only that besluit does, through ``subsidies.facts.record_amendment``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .applications import Application


class ChangeRequest(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Nog niet beantwoord")
        GRANTED = "toegewezen", _("Toegewezen")
        REFUSED = "afgewezen", _("Afgewezen")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="change_requests"
    )
    new_activity_end = models.DateField(
        _("nieuwe laatste dag van de activiteiten"), null=True, blank=True
    )
    activities_change = models.TextField(
        _("wat verandert aan de activiteiten"), blank=True
    )
    budget_change = models.TextField(_("wat verandert aan de begroting"), blank=True)
    reason = models.TextField(_("waarom"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("gevraagd op"))
    state = models.CharField(
        _("stand"), max_length=12, choices=State.choices, default=State.OPEN
    )
    answer = models.TextField(_("antwoord"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)

    class Meta:
        verbose_name = _("verzoek om wijziging")
        verbose_name_plural = _("verzoeken om wijziging")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(state="open"),
                name="one_open_change_request",
            )
        ]

    def __str__(self):
        return f"{_('Verzoek om wijziging')} {self.application.reference}"

    @property
    def is_open(self):
        return self.state == self.State.OPEN

    def changes_rights(self):
        """True when granting it changes the beschikking: a new last day."""
        return (
            self.new_activity_end is not None
            and self.new_activity_end != self.application.activity_end
        )
