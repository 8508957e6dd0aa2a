"""The verantwoording: what a grant recipient reports after the activities.

One ``Report`` per application, filled in over five steps and saved at each one (like
the application form: ``step_versions`` counts the saves per step, so a second tab
cannot overwrite the first unseen). The money step has one ``ReportLine`` per approved
budget line (what was really spent) and ``ReportIncome`` rows (money received from
others). When the gemeente asks for more (``ReportQuestion``), the report opens again
for the recipient until the answer is sent; every question stays on record with its
answer. ``ReportReminder`` records each reminder mail once.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .applications import Application, BudgetLine


class Report(models.Model):
    class Course(models.TextChoices):
        AS_PLANNED = "ja", _("Ja, zoals gepland")
        PARTLY = "deels", _("Voor een deel")
        NOT = "nee", _("Nee, anders dan gepland")

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="report"
    )
    what_happened = models.TextField(_("wat er is gebeurd"), blank=True)
    course = models.CharField(
        _("ging het zoals gepland?"), max_length=10, choices=Course.choices, blank=True
    )
    deviations = models.TextField(_("wat ging anders"), blank=True)
    started_on = models.DateField(_("begonnen op"), null=True, blank=True)
    ended_on = models.DateField(_("klaar op"), null=True, blank=True)
    participants = models.PositiveIntegerField(_("deelnemers"), null=True, blank=True)
    volunteers = models.PositiveIntegerField(_("vrijwilligers"), null=True, blank=True)
    truthful_declaration = models.BooleanField(_("naar waarheid"), default=False)
    #: Where the recipient was, to resume there (a slug of ``steps.REPORT_STEPS``).
    current_step = models.CharField(max_length=30, blank=True)
    #: How often each step was saved, to refuse a save from a stale tab.
    step_versions = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("verantwoording")
        verbose_name_plural = _("verantwoordingen")

    def __str__(self):
        return f"{_('Verantwoording')} {self.application.reference}"

    @property
    def spent_cents(self):
        return sum(line.spent_cents for line in self.lines.all())

    @property
    def income_cents(self):
        return sum(item.amount_cents for item in self.income.all())


class ReportLine(models.Model):
    """What was really spent on one approved budget line."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="lines")
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.CASCADE, related_name="report_lines"
    )
    spent_cents = models.PositiveBigIntegerField(_("uitgegeven (cent)"))

    class Meta:
        verbose_name = _("uitgave")
        verbose_name_plural = _("uitgaven")
        ordering = ["budget_line_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "budget_line"], name="one_report_line_per_budget_line"
            )
        ]

    def __str__(self):
        return f"{self.budget_line}: {self.spent_cents}"


class ReportIncome(models.Model):
    """Money received from others for the activities (a fund, a sponsor, tickets)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="income")
    source = models.CharField(_("van wie"), max_length=200)
    amount_cents = models.PositiveBigIntegerField(_("bedrag (cent)"))

    class Meta:
        verbose_name = _("ontvangen inkomsten")
        verbose_name_plural = _("ontvangen inkomsten")
        ordering = ["pk"]

    def __str__(self):
        return self.source


class ReportQuestion(models.Model):
    """The gemeente asks for more about the report; the recipient answers."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="questions"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    message = models.TextField(_("vraag"))
    asked_at = models.DateTimeField(_("gevraagd op"))
    due_at = models.DateTimeField(_("antwoord uiterlijk"))
    answer = models.TextField(_("antwoord"), blank=True)
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)

    class Meta:
        verbose_name = _("vraag over de verantwoording")
        verbose_name_plural = _("vragen over de verantwoording")
        ordering = ["asked_at", "pk"]

    def __str__(self):
        return self.message[:60]


class ReportReminder(models.Model):
    """A reminder about the report that was sent, once per kind and due date."""

    class Kind(models.TextChoices):
        BEFORE = "voor", _("Herinnering voor de uiterste datum")
        LATE = "te_laat", _("Herinnering: de datum is voorbij")
        LATE_AGAIN = "te_laat_2", _("Tweede herinnering: de datum is voorbij")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="report_reminders"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    #: The due date the reminder was about: a moved date may be reminded of again.
    due_on = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        verbose_name = _("herinnering verantwoording")
        verbose_name_plural = _("herinneringen verantwoording")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind", "due_on"], name="one_reminder_each"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.due_on})"
