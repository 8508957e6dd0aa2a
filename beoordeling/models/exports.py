"""Export and import records: who exported or imported what, when, how many rows.

- ``ExportLog``: one row per export that produced a file, from the Wagtail admin, from a
  background job or from ``manage.py export_overview``: who (or which command), which
  overview, which filters (as ids and as the words shown at the time), which format,
  when and how many rows. Written once and never changed (AVG/BIO: an export of
  personal data is an accountable act).
- ``ExportJob``: a large export made in the background, a ``BackgroundJob``
  (``beoordeling.models.jobs``). The task writes its progress (``total``, ``done``,
  ``progress_at``) and stores the file in the ``private`` storage; only its creator or
  a superuser downloads it. A job that is running without progress for
  ``STALLED_AFTER`` lost its worker (as a letter batch would): its creator may start it
  again, and so may a job that failed.
- ``ImportRecord``: one uploaded spreadsheet (historical applications or buurten), kept
  in the ``private`` storage between the dry run and the confirmation, with the
  outcome of the last check (counts and every row error) and, once confirmed, who
  imported it and when. It is the import log.
- ``HistoryLink``: a Beheerder's decision to link an imported applicant's history to
  a portal applicant, with the motivation, who and when. Written once and never
  changed; shown on the import screen and to the assessors of the portal applicant.

Writes go through ``beoordeling.overviews.exports.services`` and ``beoordeling.overviews.imports``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.shared.writeonce import WriteOnceError, WriteOnceModel

from .jobs import STALLED_AFTER, BackgroundJob  # noqa: F401 - read here by callers

__all__ = [
    "ExportChannel",
    "ExportFormat",
    "ExportJob",
    "ExportKind",
    "ExportLog",
    "HistoryLink",
    "ImmutableExportLogError",
    "ImportKind",
    "ImportRecord",
]


def private_storage():
    from django.core.files.storage import storages

    return storages["private"]


#: The export log and the history links are written once: the one write-once
#: exception (``portal.shared.writeonce``), under the name callers know.
ImmutableExportLogError = WriteOnceError


class ExportKind(models.TextChoices):
    AWARDS = "besluiten", _("Besluiten en toekenningen")
    APPLICATIONS = "aanvragen", _("Aanvragen")
    SCORES = "scores", _("Scores per criterium")
    OPEN_DATA = "open-data", _("Open data (Woo): subsidies aan organisaties")
    FIXINGS = "vaststellingen", _("Vaststellingen")
    PAYMENTS = "betalingen", _("Betalingen")
    OBJECTIONS = "bezwaren", _("Overzicht bezwaren")


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel (XLSX)")
    CSV = "csv", _("CSV")
    JSON = "json", _("JSON")


class ExportChannel(models.TextChoices):
    ADMIN = "beheer", _("Beheeromgeving, direct")
    BACKGROUND = "achtergrond", _("Beheeromgeving, op de achtergrond")
    COMMAND = "opdracht", _("Opdrachtregel (manage.py export_overview)")


class ExportLog(WriteOnceModel):
    kind = models.CharField(_("overzicht"), max_length=16, choices=ExportKind.choices)
    format = models.CharField(_("formaat"), max_length=8, choices=ExportFormat.choices)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    filters_text = models.TextField(_("filters (zoals getoond)"), blank=True)
    row_count = models.PositiveIntegerField(_("aantal regels"))
    channel = models.CharField(_("via"), max_length=16, choices=ExportChannel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    actor_label = models.CharField(_("door (naam)"), max_length=254)
    filename = models.CharField(_("bestandsnaam"), max_length=200, blank=True)
    job = models.ForeignKey(
        "ExportJob",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="logs",
        verbose_name=_("achtergrondexport"),
    )
    created_at = models.DateTimeField(_("op"))

    class Meta:
        verbose_name = _("export (logboek)")
        verbose_name_plural = _("exportlogboek")
        ordering = ["-created_at", "-pk"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.get_kind_display()} ({self.format}) {self.created_at:%d-%m-%Y %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableExportLogError("The export log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableExportLogError("The export log cannot be deleted.")


class ExportJob(BackgroundJob):
    kind = models.CharField(_("overzicht"), max_length=16, choices=ExportKind.choices)
    format = models.CharField(_("formaat"), max_length=8, choices=ExportFormat.choices)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    filters_text = models.TextField(_("filters (zoals getoond)"), blank=True)
    done = models.PositiveIntegerField(_("geschreven"), default=0)
    file = models.FileField(
        _("bestand"),
        storage=private_storage,
        upload_to="exports/",
        max_length=255,
        blank=True,
    )
    filename = models.CharField(_("bestandsnaam"), max_length=200, blank=True)
    error = models.TextField(_("fout"), blank=True)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("achtergrondexport")
        verbose_name_plural = _("achtergrondexports")
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.get_kind_display()} ({self.format}) {self.created_at:%d-%m-%Y %H:%M}"

    def _is_own(self, user):
        return user.pk == self.created_by_id or user.is_superuser

    def may_download(self, user):
        return (
            self.status == self.Status.DONE and bool(self.file) and self._is_own(user)
        )

    def may_restart(self, user):
        return self.may_retry() and self._is_own(user)


class ImportKind(models.TextChoices):
    HISTORY = "historie", _("Historische aanvragen en toekenningen")
    BUURTEN = "buurten", _("Buurten (wijkcode, buurtnaam, CBS-code)")


class ImportRecord(models.Model):
    class Status(models.TextChoices):
        CHECKED = "gecontroleerd", _("Gecontroleerd: klaar om in te lezen")
        INVALID = "fouten", _("Fouten gevonden: niets ingelezen")
        IMPORTED = "ingelezen", _("Ingelezen")

    kind = models.CharField(_("soort"), max_length=16, choices=ImportKind.choices)
    file = models.FileField(
        _("bestand"), storage=private_storage, upload_to="imports/", max_length=255
    )
    original_name = models.CharField(_("bestandsnaam"), max_length=200)
    format = models.CharField(_("formaat"), max_length=8)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(_("grootte (bytes)"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.CHECKED
    )
    row_count = models.PositiveIntegerField(_("aantal regels"), default=0)
    #: Counts of the last check: ``{"nieuw": n, "gewijzigd": n, "ongewijzigd": n}``.
    summary = models.JSONField(_("samenvatting"), default=dict, blank=True)
    #: Every row error of the last check: ``[{"regel", "kolom", "fout"}]``.
    errors = models.JSONField(_("fouten"), default=list, blank=True)
    #: What the rows would do (the dry run), for the preview: ``[{"regel", ...}]``.
    preview = models.JSONField(_("voorbeeld"), default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("geüpload door"),
    )
    uploaded_at = models.DateTimeField(_("geüpload op"))
    checked_at = models.DateTimeField(_("gecontroleerd op"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ingelezen door"),
    )
    imported_at = models.DateTimeField(_("ingelezen op"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-uploaded_at", "-pk"]
        default_permissions = ("view",)
        permissions = [
            (
                "import_data",
                _("Kan historische aanvragen en buurten importeren"),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.original_name}"

    @property
    def is_imported(self):
        return self.status == self.Status.IMPORTED

    @property
    def may_confirm(self):
        return self.status == self.Status.CHECKED


class HistoryLink(WriteOnceModel):
    """A Beheerder linked the history of an applicant the import made to a portal
    applicant: the portal applicant's members became members of the imported one,
    so they see its applications in "Mijn aanvragen"
    (``beoordeling.overviews.imports.linking``). Written once, never changed."""

    imported_applicant = models.ForeignKey(
        "subsidies.Applicant",
        on_delete=models.PROTECT,
        related_name="history_links",
        verbose_name=_("aanvrager uit de import"),
    )
    portal_applicant = models.ForeignKey(
        "subsidies.Applicant",
        on_delete=models.PROTECT,
        related_name="linked_history",
        verbose_name=_("aanvrager in het portaal"),
    )
    portal_reference = models.CharField(_("kenmerk in het portaal"), max_length=20)
    members = models.JSONField(_("toegevoegde gebruikers"), default=list)
    motivation = models.TextField(_("motivering"))
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("gekoppeld door"),
    )
    linked_at = models.DateTimeField(_("gekoppeld op"), default=timezone.now)

    class Meta:
        verbose_name = _("koppeling van historie")
        verbose_name_plural = _("koppelingen van historie")
        ordering = ["-linked_at", "-pk"]

    def __str__(self):
        return f"{self.imported_applicant} -> {self.portal_reference}"
