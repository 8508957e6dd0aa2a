"""Bezwaren: an objection against one beschikking, its handling and its log.

- ``Objection``: one bezwaarschrift (Awb 6:4) against one ``Decision``, lodged online
  by the applicant or registered from paper by a handler. Its state moves only through
  the ``@transition`` methods below (the table is in
  ``beoordeling.objections.workflow``); services in ``beoordeling.objections.services``
  fire them under a row lock and write ``ObjectionLog``. The clocks (term, lateness,
  the decision due and its one deferral) come from ``beoordeling.objections.terms``.
  The letters it produced (ontvangstbevestiging, uitnodiging, verdaging) are
  ``subsidies.Document`` rows; the beslissing op bezwaar is a ``Decision`` of kind
  ``beslissing_op_bezwaar``.
- ``ObjectionLog``: every transition of a bezwaar, by whom, when, from where to where
  and why; write-once, like the application's transition log.

``involved_user_ids`` is the one answer to "who took part in this application" for the
conflict check of Awb 7:5.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition

from beoordeling.objections import workflow
from beoordeling.objections.workflow import (
    Channel,
    Ground,
    HearingWaiver,
    ObjectionState,
    Outcome,
)
from portal.shared.writeonce import WriteOnceModel
from subsidies.models import Application, Document, TransitionLog

from .assessment import (
    Assessment,
    AssessmentEvent,
    AssessmentSummary,
    ConsensusNote,
    PreconditionReview,
)
from .decisions import AfterAwardProposal, AllocationResult, Decision, DecisionKind
from .reports import ReportReview

__all__ = ["Objection", "ObjectionLog", "involved_user_ids"]


def involved_user_ids(application):
    """Everyone who took part in assessing or deciding ``application`` (Awb 7:5)."""
    pk = application.pk
    ids = set()
    pairs = (
        (Assessment.objects.filter(application_id=pk), ("assessor_id",)),
        (PreconditionReview.objects.filter(application_id=pk), ("reviewer_id",)),
        (AssessmentSummary.objects.filter(application_id=pk), ("completed_by_id",)),
        (
            ConsensusNote.objects.filter(application_id=pk),
            ("recorded_by_id", "responded_by_id"),
        ),
        (AssessmentEvent.objects.filter(application_id=pk), ("actor_id",)),
        (TransitionLog.objects.filter(application_id=pk), ("actor_id",)),
        (Decision.objects.filter(application_id=pk), ("created_by_id",)),
        (
            AllocationResult.objects.filter(application_id=pk, is_fixed=True),
            (
                "run__created_by_id",
                "run__fixed_by_id",
                "approved_by_id",
                "reviewed_by_id",
            ),
        ),
        (
            AfterAwardProposal.objects.filter(application_id=pk),
            ("proposed_by_id", "reviewed_by_id"),
        ),
        (ReportReview.objects.filter(application_id=pk), ("reviewer_id",)),
    )
    for queryset, fields in pairs:
        for row in queryset.values_list(*fields):
            ids.update(value for value in row if value is not None)
    return ids


class Objection(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    reference = models.CharField(_("kenmerk bezwaar"), max_length=20, unique=True)
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="objections",
        verbose_name=_("aanvraag"),
    )
    decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        related_name="objections",
        verbose_name=_("bestreden besluit"),
    )
    state = FSMField(
        _("stand"),
        max_length=32,
        choices=ObjectionState.choices,
        default=ObjectionState.RECEIVED,
        protected=True,
    )
    # --- lodging ----------------------------------------------------------------------
    channel = models.CharField(_("ingediend"), max_length=8, choices=Channel.choices)
    objector_name = models.CharField(_("naam indiener"), max_length=200)
    reasons = models.TextField(_("gronden van het bezwaar"))
    received_on = models.DateField(_("ontvangen op"))
    #: The postmark of a bezwaarschrift by post (Awb 6:9 lid 2), when it matters.
    posted_on = models.DateField(_("datum poststempel"), null=True, blank=True)
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ingediend of geregistreerd door"),
    )
    lodged_at = models.DateTimeField(_("geregistreerd op"))
    attachments = models.ManyToManyField(
        Document, blank=True, related_name="+", verbose_name=_("bijlagen")
    )
    term_end = models.DateField(_("einde bezwaartermijn"))
    is_late = models.BooleanField(_("te laat ingediend"), default=False)
    acknowledgement = models.OneToOneField(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ontvangstbevestiging"),
    )
    # --- handling ---------------------------------------------------------------------
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("behandelaar"),
    )
    ground = models.CharField(
        _("onderwerp van het bezwaar"),
        max_length=16,
        choices=Ground.choices,
        blank=True,
    )
    #: Awb 6:11: whether a late bezwaar is excusable (None: not judged yet).
    excusable = models.BooleanField(_("termijnoverschrijding verschoonbaar"), null=True)
    excusability_motivation = models.TextField(
        _("motivering verschoonbaarheid"), blank=True
    )
    #: An advisory committee (Awb 7:13) gives twelve weeks instead of six.
    committee = models.BooleanField(_("adviescommissie"), default=False)
    decision_due_on = models.DateField(_("beslissen uiterlijk op"))
    extended_on = models.DateField(_("verdaagd op"), null=True, blank=True)
    extension_reason = models.TextField(_("reden verdaging"), blank=True)
    extension_letter = models.OneToOneField(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verdagingsbrief"),
    )
    hearing_at = models.DateTimeField(_("hoorzitting op"), null=True, blank=True)
    hearing_place = models.CharField(
        _("plaats hoorzitting"), max_length=200, blank=True
    )
    hearing_invitation = models.OneToOneField(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uitnodiging hoorzitting"),
    )
    hearing_report = models.TextField(_("verslag hoorzitting"), blank=True)
    hearing_waiver = models.CharField(
        _("afgezien van horen"), max_length=8, choices=HearingWaiver.choices, blank=True
    )
    hearing_waiver_motivation = models.TextField(
        _("motivering afzien van horen"), blank=True
    )
    # --- the decision -----------------------------------------------------------------
    outcome = models.CharField(
        _("beslissing"), max_length=20, choices=Outcome.choices, blank=True
    )
    motivation = models.TextField(_("motivering"), blank=True)
    #: Well-founded: the amount the new decision grants or fixes (cents), None when
    #: the new decision is about no amount (a buiten-behandelingstelling revoked).
    remedy_cents = models.PositiveBigIntegerField(
        _("nieuw bedrag (cent)"), null=True, blank=True
    )
    #: What the new decision adds to the money committed against the round's ceiling.
    cost_cents = models.PositiveBigIntegerField(
        _("extra ten laste van de ronde (cent)"), default=0
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("voorgelegd door"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("goedgekeurd door"),
    )
    approved_at = models.DateTimeField(_("goedgekeurd op"), null=True, blank=True)
    review_reason = models.TextField(_("reden terugsturen"), blank=True)
    decided_at = models.DateTimeField(_("beslist op"), null=True, blank=True)
    decision_on_objection = models.OneToOneField(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="objection_decided",
        verbose_name=_("beslissing op bezwaar"),
    )
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("toelichting intrekking"), blank=True)

    class Meta:
        verbose_name = _("bezwaar")
        verbose_name_plural = _("bezwaren")
        ordering = ["-lodged_at", "-pk"]
        permissions = [("handle_objection", _("Kan bezwaren behandelen"))]
        indexes = [models.Index(fields=["state", "decision_due_on"])]

    def __str__(self):
        return f"{self.reference} ({self.get_state_display()})"

    # --- single-object rules ------------------------------------------------------------

    def involved_user_ids(self):
        return involved_user_ids(self.application)

    def remedy_complete(self):
        """A well-founded bezwaar says what comes in the place of the decision: an
        amount, but for a buiten-behandelingstelling (the application is handled)."""
        if self.decision.kind == DecisionKind.BUITEN_BEHANDELING:
            return True
        return self.remedy_cents is not None

    @property
    def is_open(self):
        return self.state in workflow.OPEN_STATES

    # --- transitions (the table: beoordeling.objections.workflow) ----------------------

    @transition(
        field=state,
        source=[ObjectionState.RECEIVED, ObjectionState.IN_HANDLING],
        target=ObjectionState.IN_HANDLING,
        conditions=[workflow.handler_not_involved],
        permission=workflow.may_handle,
    )
    def assign(self, *, at):
        pass

    @transition(
        field=state,
        source=list(workflow.HANDLING_STATES),
        target=None,
        conditions=[workflow.is_late],
        permission=workflow.is_handler,
    )
    def judge_lateness(self, *, at):
        pass

    @transition(
        field=state,
        source=[ObjectionState.IN_HANDLING, ObjectionState.READY],
        target=ObjectionState.HEARING_SCHEDULED,
        conditions=[workflow.hearing_planned],
        permission=workflow.is_handler,
    )
    def schedule_hearing(self, *, at):
        pass

    @transition(
        field=state,
        source=ObjectionState.HEARING_SCHEDULED,
        target=ObjectionState.READY,
        conditions=[workflow.hearing_reported],
        permission=workflow.is_handler,
    )
    def record_hearing(self, *, at):
        pass

    @transition(
        field=state,
        source=[ObjectionState.IN_HANDLING, ObjectionState.HEARING_SCHEDULED],
        target=ObjectionState.READY,
        conditions=[workflow.waiver_motivated],
        permission=workflow.is_handler,
    )
    def waive_hearing(self, *, at):
        pass

    @transition(
        field=state,
        source=list(workflow.HANDLING_STATES),
        target=None,
        conditions=[workflow.not_extended_before],
        permission=workflow.is_handler,
    )
    def extend(self, *, at, due_on):
        self.extended_on = timezone.localdate(at)
        self.decision_due_on = due_on

    @transition(
        field=state,
        source=ObjectionState.READY,
        target=ObjectionState.DECIDED,
        conditions=[workflow.decidable_alone],
        permission=workflow.is_handler,
    )
    def decide(self, *, at):
        self.decided_at = at

    @transition(
        field=state,
        source=ObjectionState.READY,
        target=ObjectionState.AWAITING_APPROVAL,
        conditions=[workflow.decidable_with_approval],
        permission=workflow.is_handler,
    )
    def propose(self, *, at):
        pass

    @transition(
        field=state,
        source=ObjectionState.AWAITING_APPROVAL,
        target=ObjectionState.DECIDED,
        conditions=[workflow.approver_independent],
        permission=workflow.is_decision_maker,
    )
    def approve(self, *, at):
        self.approved_at = at
        self.decided_at = at

    @transition(
        field=state,
        source=ObjectionState.AWAITING_APPROVAL,
        target=ObjectionState.READY,
        permission=workflow.is_decision_maker,
    )
    def send_back(self, *, at):
        self.approved_by = None

    @transition(
        field=state,
        source=list(workflow.OPEN_STATES),
        target=ObjectionState.WITHDRAWN,
        permission=workflow.is_objector_or_handler,
    )
    def withdraw(self, *, at):
        self.withdrawn_at = at


class ObjectionLog(WriteOnceModel):
    objection = models.ForeignKey(
        Objection,
        on_delete=models.PROTECT,
        related_name="log",
        verbose_name=_("bezwaar"),
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("aanvraag"),
    )
    transition = models.CharField(_("stap"), max_length=40)
    source = models.CharField(
        _("van"), max_length=32, choices=ObjectionState.choices, blank=True
    )
    target = models.CharField(_("naar"), max_length=32, choices=ObjectionState.choices)
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
    reason = models.TextField(_("toelichting"), blank=True)

    class Meta:
        verbose_name = _("logregel bezwaar")
        verbose_name_plural = _("log bezwaren")
        ordering = ["at", "pk"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.objection.reference}: {self.source} -> {self.target}"
