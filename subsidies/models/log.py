"""The transition log: every workflow step, by whom, when, from where to where, and why.

Rows are written once, by ``subsidies.services.fire``, in the same database transaction
as the status change. They are never edited or deleted: ``save`` on an existing row and
``delete`` raise, the admin shows them read-only, and an application with log rows
cannot be deleted (PROTECT), so its history cannot silently disappear.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.shared.writeonce import WriteOnceError, WriteOnceModel

from ..workflow import Status
from .applications import Application

#: The transition log is never changed or deleted: the one write-once exception
#: (``portal.shared.writeonce``), under the name callers know.
ImmutableLogError = WriteOnceError


class TransitionLog(WriteOnceModel):
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="transition_log",
        verbose_name=_("aanvraag"),
    )
    reference = models.CharField(_("kenmerk"), max_length=20)
    transition = models.CharField(_("stap"), max_length=40)
    source = models.CharField(_("van"), max_length=32, choices=Status.choices)
    target = models.CharField(_("naar"), max_length=32, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    actor_label = models.CharField(_("door (naam)"), max_length=254)
    at = models.DateTimeField(_("op"))
    reason = models.TextField(_("reden"), blank=True)

    class Meta:
        verbose_name = _("logregel")
        verbose_name_plural = _("transitielog")
        ordering = ["at", "pk"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.reference}: {self.source} -> {self.target}"
