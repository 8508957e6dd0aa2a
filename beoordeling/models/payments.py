"""The payments ledger, payment batches with four eyes, and bank statements.

- ``PaymentInstruction``: one amount that is due between the gemeente and a recipient:
  a ``voorschot`` (Awb 4:95), a ``betaling`` (the amount after the vaststelling, or
  all of it on a direct vaststelling, Awb 4:52) or a ``terugvordering`` (money the
  recipient pays back, Awb 4:57). Its end-to-end id (``IF-2026-0042-V1``) is unique
  and travels with the money through the bank. Status ``open``, ``betaald`` or
  ``vervallen``; a paid row records when, by whom, and from where (by hand, or the
  bank statement and its entry). ``beoordeling.payments.services.plan_payments`` is
  the only writer of the ledger rows; the totals paid and repaid go to the application
  through ``subsidies.facts.record_money``.
- ``PaymentBatch`` with its ``PaymentBatchItem``\\ s: outgoing instructions composed by
  one financial administrator and approved by another (four eyes), then exported as
  a SEPA file and CSV/XLSX. Each item keeps the IBAN and name it was composed with and
  the Verification of Payee outcome. An instruction is in at most one live batch (a
  partial unique constraint on ``PaymentBatchItem.live``).
- ``BankStatement``: an uploaded camt.053 with its dry run; once confirmed, the rows it
  marked paid name it. The same file (by SHA-256) is processed only once.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from subsidies.models import Application

__all__ = [
    "BankStatement",
    "BatchStatus",
    "PaymentBatch",
    "PaymentBatchItem",
    "PaymentInstruction",
    "PaymentKind",
    "PaymentSource",
    "PaymentStatus",
    "StatementStatus",
    "VopOutcome",
]


class PaymentKind(models.TextChoices):
    ADVANCE = "voorschot", _("Voorschot")
    PAYMENT = "betaling", _("Betaling")
    RECLAIM = "terugvordering", _("Terugvordering")


class PaymentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PAID = "betaald", _("Betaald")
    LAPSED = "vervallen", _("Vervallen")


class PaymentSource(models.TextChoices):
    HAND = "hand", _("Met de hand")
    STATEMENT = "bankafschrift", _("Bankafschrift")


class PaymentInstruction(models.Model):
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="payment_instructions",
        verbose_name=_("aanvraag"),
    )
    kind = models.CharField(_("soort"), max_length=16, choices=PaymentKind.choices)
    sequence = models.PositiveSmallIntegerField(_("volgnummer"))
    end_to_end_id = models.CharField(_("betalingskenmerk"), max_length=35, unique=True)
    amount_cents = models.PositiveBigIntegerField(_("bedrag (cent)"))
    due_on = models.DateField(_("uiterlijk op"))
    period_start = models.DateField(_("voor activiteiten vanaf"), null=True, blank=True)
    period_end = models.DateField(_("tot en met"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PaymentStatus.choices,
        default=PaymentStatus.OPEN,
    )
    paid_on = models.DateField(_("betaald op"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("geregistreerd door"),
    )
    source = models.CharField(
        _("bron"), max_length=16, choices=PaymentSource.choices, blank=True
    )
    source_reference = models.CharField(
        _("referentie bron"), max_length=200, blank=True
    )
    statement = models.ForeignKey(
        "BankStatement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instructions",
        verbose_name=_("bankafschrift"),
    )
    note = models.TextField(_("toelichting"), blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    lapsed_at = models.DateTimeField(_("vervallen op"), null=True, blank=True)

    class Meta:
        verbose_name = _("betaalopdracht")
        verbose_name_plural = _("betaalopdrachten")
        ordering = ["due_on", "end_to_end_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_cents__gt=0), name="payment_amount_positive"
            ),
            models.UniqueConstraint(
                fields=["application", "kind", "sequence"],
                name="one_payment_per_sequence",
            ),
            models.CheckConstraint(
                condition=~Q(status="betaald") | Q(paid_on__isnull=False),
                name="paid_payment_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "kind", "due_on"])]

    def __str__(self):
        return self.end_to_end_id

    @property
    def outgoing(self):
        return self.kind != PaymentKind.RECLAIM


class BatchStatus(models.TextChoices):
    CONCEPT = "concept", _("Concept")
    APPROVED = "goedgekeurd", _("Goedgekeurd")
    EXPORTED = "geexporteerd", _("Geëxporteerd")
    CANCELLED = "geannuleerd", _("Geannuleerd")


class PaymentBatch(models.Model):
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=BatchStatus.choices,
        default=BatchStatus.CONCEPT,
    )
    execution_date = models.DateField(_("uitvoeringsdatum"))
    composed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("samengesteld door"),
    )
    composed_at = models.DateTimeField(_("samengesteld op"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("goedgekeurd door"),
    )
    approved_at = models.DateTimeField(_("goedgekeurd op"), null=True, blank=True)
    exported_at = models.DateTimeField(_("geëxporteerd op"), null=True, blank=True)
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("geëxporteerd door"),
    )
    cancelled_at = models.DateTimeField(_("geannuleerd op"), null=True, blank=True)
    total_cents = models.PositiveBigIntegerField(_("totaal (cent)"), default=0)
    item_count = models.PositiveIntegerField(_("aantal betalingen"), default=0)

    class Meta:
        verbose_name = _("betaalbatch")
        verbose_name_plural = _("betaalbatches")
        ordering = ["-composed_at", "-pk"]
        constraints = [
            # Four eyes: the approver is never the composer.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True)
                | ~Q(approved_by=models.F("composed_by")),
                name="batch_four_eyes",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["concept", "geannuleerd"])
                | Q(approved_by__isnull=False),
                name="batch_approved_has_approver",
            ),
        ]

    def __str__(self):
        return f"Betaalbatch {self.pk} ({self.execution_date:%d-%m-%Y})"

    @property
    def reference(self):
        """The batch number as the bank and the financial system see it."""
        return f"BB-{self.pk:05d}"


class VopOutcome(models.TextChoices):
    MATCH = "match", _("Naam klopt")
    CLOSE = "bijna", _("Naam lijkt erop")
    NO_MATCH = "geen_match", _("Naam klopt niet")
    MISSING = "ontbreekt", _("Naam of IBAN ontbreekt")


class PaymentBatchItem(models.Model):
    batch = models.ForeignKey(
        PaymentBatch,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("betaalbatch"),
    )
    instruction = models.ForeignKey(
        PaymentInstruction,
        on_delete=models.PROTECT,
        related_name="batch_items",
        verbose_name=_("betaalopdracht"),
    )
    #: True while the batch may still lead to a payment: an instruction is in at most
    #: one live item (a cancelled batch, or an item taken out, frees it).
    live = models.BooleanField(_("actief"), default=True)
    amount_cents = models.PositiveBigIntegerField(_("bedrag (cent)"))
    iban = models.CharField(_("IBAN"), max_length=34)
    account_holder = models.CharField(_("tenaamstelling rekening"), max_length=200)
    vop_outcome = models.CharField(
        _("naamcontrole"), max_length=16, choices=VopOutcome.choices
    )
    vop_compared_with = models.CharField(
        _("vergeleken met"), max_length=200, blank=True
    )
    vop_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("toch opgenomen door"),
    )

    class Meta:
        verbose_name = _("betaling in batch")
        verbose_name_plural = _("betalingen in batch")
        ordering = ["instruction__end_to_end_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["instruction"],
                condition=Q(live=True),
                name="instruction_in_one_live_batch",
            ),
            models.CheckConstraint(
                condition=Q(amount_cents__gt=0), name="batch_item_amount_positive"
            ),
        ]

    def __str__(self):
        return f"{self.batch}: {self.instruction}"


class StatementStatus(models.TextChoices):
    DRY_RUN = "proef", _("Proef (nog niet verwerkt)")
    PROCESSED = "verwerkt", _("Verwerkt")


class BankStatement(models.Model):
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=StatementStatus.choices,
        default=StatementStatus.DRY_RUN,
    )
    file_name = models.CharField(_("bestandsnaam"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    statement_id = models.CharField(_("afschriftnummer"), max_length=100, blank=True)
    account_iban = models.CharField(_("rekening"), max_length=34, blank=True)
    content = models.BinaryField(_("inhoud"))
    entry_count = models.PositiveIntegerField(_("boekingen"), default=0)
    matched_count = models.PositiveIntegerField(_("herkend"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ingelezen door"),
    )
    uploaded_at = models.DateTimeField(_("ingelezen op"))
    processed_at = models.DateTimeField(_("verwerkt op"), null=True, blank=True)

    class Meta:
        verbose_name = _("bankafschrift")
        verbose_name_plural = _("bankafschriften")
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sha256"],
                condition=Q(status="verwerkt"),
                name="statement_processed_once",
            )
        ]

    def __str__(self):
        return self.file_name
