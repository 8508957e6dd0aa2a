"""The review of a verantwoording and the steekproef of the ex officio route.

- ``ReportReview``: the assessor's proposal for the vaststelling after a report: the
  amount (in full, or lower per approved budget line with a ground from Awb 4:46 lid 2
  and a motivation), with one ``ReportReviewLine`` per budget line. The vaststelling
  letter reads the latest one; ``facts.record_fixed_amount`` holds the amount the
  ``fix`` transition reads.
- ``SampleDraw``: one steekproef: the population (ended ex officio awards not drawn
  from before), the percentage, the seed that makes the choice repeatable, and the
  awards it selected (asked for a report).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from subsidies.models import Application, BudgetLine

__all__ = [
    "ReductionGround",
    "ReportReview",
    "ReportReviewLine",
    "SampleDraw",
]


class ReductionGround(models.TextChoices):
    """Why a vaststelling is lower than the verlening (Awb 4:46 lid 2), and the
    costs that do not count because they were not needed."""

    NOT_DONE = (
        "niet_verricht",
        _("De activiteiten zijn niet (helemaal) verricht (Awb 4:46 lid 2 onder a)"),
    )
    OBLIGATIONS = (
        "verplichtingen",
        _(
            "Niet voldaan aan de verplichtingen bij de subsidie (Awb 4:46 lid 2 onder b)"
        ),
    )
    INCORRECT = (
        "onjuiste_gegevens",
        _("Onjuiste of onvolledige gegevens verstrekt (Awb 4:46 lid 2 onder c)"),
    )
    GRANT_WRONG = (
        "verlening_onjuist",
        _(
            "De verlening was onjuist en de ontvanger wist dat of had dat moeten weten "
            "(Awb 4:46 lid 2 onder d)"
        ),
    )
    UNNECESSARY = "onnodige_kosten", _("Kosten die niet nodig waren, tellen niet mee")


class ReportReview(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="report_reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("voorgesteld op"))
    granted_cents = models.PositiveBigIntegerField(_("verleend (cent)"))
    proposal_cents = models.PositiveBigIntegerField(_("voorgesteld (cent)"))
    in_full = models.BooleanField(_("volledig"))
    ground = models.CharField(
        _("grond"), max_length=30, choices=ReductionGround.choices, blank=True
    )
    motivation = models.TextField(_("motivering"), blank=True)

    class Meta:
        verbose_name = _("voorstel vaststelling")
        verbose_name_plural = _("voorstellen vaststelling")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.application.reference}: {self.proposal_cents}"


class ReportReviewLine(models.Model):
    review = models.ForeignKey(
        ReportReview, on_delete=models.CASCADE, related_name="lines"
    )
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(_("omschrijving"), max_length=200)
    approved_cents = models.PositiveBigIntegerField(_("begroot (cent)"))
    spent_cents = models.PositiveBigIntegerField(_("uitgegeven (cent)"))
    accepted_cents = models.PositiveBigIntegerField(_("geaccepteerd (cent)"))

    class Meta:
        verbose_name = _("kostenpost in het voorstel")
        verbose_name_plural = _("kostenposten in het voorstel")
        ordering = ["budget_line_id"]

    def __str__(self):
        return self.description

    @property
    def reduction_cents(self):
        """How much less than the approved amount is accepted (0 when not less)."""
        return max(self.approved_cents - self.accepted_cents, 0)


class SampleDraw(models.Model):
    drawn_at = models.DateTimeField(_("getrokken op"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    seed = models.CharField(_("seed"), max_length=64)
    percentage = models.PositiveSmallIntegerField(_("percentage"))
    due_on = models.DateField(_("verantwoording uiterlijk"))
    population = models.ManyToManyField(
        Application, related_name="sample_populations", verbose_name=_("populatie")
    )
    selected = models.ManyToManyField(
        Application, related_name="sample_selections", verbose_name=_("gekozen")
    )

    class Meta:
        verbose_name = _("steekproef")
        verbose_name_plural = _("steekproeven")
        ordering = ["-drawn_at", "-pk"]

    def __str__(self):
        return f"{_('Steekproef')} {self.drawn_at:%d-%m-%Y} ({self.seed})"
