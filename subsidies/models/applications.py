"""The application (aanvraag) and what belongs to it.

An application is made in one round by one applicant. The requested amount is the sum
of its budget lines. Its status moves only through the ``@transition`` methods below
(the state table is in ``subsidies.workflow``); the field is protected, and saving a
stale copy fails instead of overwriting a newer status. Services in
``subsidies.services`` call the transitions under a row lock and write the
transition log.

Deadlines: the decision clock starts when the application is complete
(``complete_at``); ``decision_due_at`` is that moment plus the scheme's beslistermijn,
moved on by the time spent waiting for an aanvulling (Awb 4:15).
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition

from .. import workflow
from ..workflow import AllocationOutcome, Status
from .applicants import Applicant
from .geo import Buurt, TargetGroup, Theme, Wijk
from .schemes import QuestionSet, Round

#: The two parts of the money committed against a round's ceiling (the one place they
#: are defined): awarded, every verlening the gemeente sent, also after its vaststelling
#: or intrekking (the ceiling caps the verleningen, Awb 4:25; a lower vaststelling does
#: not give money back to a round), and reserved: honoured by a fixed allocation and
#: waiting for the second approval (four eyes); that money is no longer available either.
_AWARDED = Q(status__in=workflow.GRANTED_STATES)
_RESERVED = Q(status=Status.ASSESSED, allocation_outcome=AllocationOutcome.HONOURED)


class ApplicationQuerySet(models.QuerySet):
    # --- the money committed against a round's ceiling ----------------------------
    # The public scheme page, the ceiling guard (``Round.committed_cents``), the
    # allocation runs and the budget dashboard all count it through these methods.

    def committed(self):
        """Applications whose money counts against their round's ceiling."""
        return self.filter(_AWARDED | _RESERVED)

    def uncommitted(self):
        return self.exclude(_AWARDED | _RESERVED)

    def committed_sums(self):
        """Aggregates for ``aggregate`` or ``annotate`` (after ``values``): ``awarded``
        and ``reserved`` in cents, never None; committed is their sum."""
        return {
            "awarded": Sum("awarded_cents", filter=_AWARDED, default=0),
            "reserved": Sum("awarded_cents", filter=_RESERVED, default=0),
        }

    def committed_cents(self):
        """The committed money of these applications, in cents."""
        sums = self.aggregate(**self.committed_sums())
        return sums["awarded"] + sums["reserved"]

    def for_applicant_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(applicant__members=user)

    def submitted(self):
        return self.exclude(status=Status.DRAFT)

    def with_related(self):
        return self.select_related("round__scheme", "applicant", "wijk")


class Application(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    reference = models.CharField(
        _("kenmerk"), max_length=20, unique=True, editable=False
    )
    round = models.ForeignKey(
        Round,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("ronde"),
    )
    applicant = models.ForeignKey(
        Applicant,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("aanvrager"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )
    title = models.CharField(_("titel van het initiatief"), max_length=200, blank=True)
    summary = models.TextField(_("korte beschrijving"), max_length=3000, blank=True)
    activity_start = models.DateField(_("start activiteit"), null=True, blank=True)
    activity_end = models.DateField(_("einde activiteit"), null=True, blank=True)
    wijk = models.ForeignKey(
        Wijk,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("wijk"),
    )
    buurten = models.ManyToManyField(
        Buurt, blank=True, related_name="applications", verbose_name=_("buurten")
    )
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, verbose_name=_("doelgroepen")
    )
    themes = models.ManyToManyField(Theme, blank=True, verbose_name=_("thema's"))
    impact_plan = models.TextField(_("impactplan"), max_length=5000, blank=True)
    expected_reach = models.PositiveIntegerField(
        _("verwacht bereik (personen)"), null=True, blank=True
    )
    volunteers = models.PositiveIntegerField(
        _("aantal vrijwilligers"), null=True, blank=True
    )
    question_set = models.ForeignKey(
        QuestionSet,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )
    answers = models.JSONField(_("antwoorden regeling"), default=dict, blank=True)
    requested_cents = models.PositiveBigIntegerField(
        _("gevraagd bedrag (cent)"), default=0, editable=False
    )
    truthful_declaration = models.BooleanField(
        _("naar waarheid ingevuld"), default=False
    )
    current_step = models.CharField(
        _("laatste stap"), max_length=32, blank=True, default=""
    )
    #: How often each step was saved ({slug: number}). A step page carries the number
    #: it was shown with; a save from a page shown before the last save of that step
    #: (another tab) is refused (``subsidies.services.application_step_saving``).
    step_versions = models.JSONField(
        _("versies per stap"), default=dict, blank=True, editable=False
    )

    status = FSMField(
        _("status"),
        default=Status.DRAFT,
        choices=Status.choices,
        protected=True,
        db_index=True,
    )
    created_at = models.DateTimeField(
        _("aangemaakt op"), default=timezone.now, editable=False
    )
    updated_at = models.DateTimeField(_("bijgewerkt op"), auto_now=True)
    submitted_at = models.DateTimeField(
        _("ingediend op"), null=True, blank=True, editable=False
    )
    complete_at = models.DateTimeField(
        _("compleet op"), null=True, blank=True, editable=False
    )
    decision_due_at = models.DateTimeField(
        _("uiterste beslisdatum"), null=True, blank=True, editable=False
    )
    paused_for = models.DurationField(
        _("klok stilgezet"), default=timedelta, editable=False
    )
    supplement_requested_at = models.DateTimeField(
        null=True, blank=True, editable=False
    )
    supplement_due_at = models.DateTimeField(
        _("hersteltermijn tot"), null=True, blank=True, editable=False
    )
    decided_at = models.DateTimeField(
        _("besloten op"), null=True, blank=True, editable=False
    )

    # Facts recorded by the assessment; the guards read them.
    preconditions_met = models.BooleanField(
        _("randvoorwaarden voldaan"), null=True, editable=False
    )
    preconditions_motivation = models.TextField(
        _("motivering randvoorwaarden"), blank=True, editable=False
    )
    impact_score = models.DecimalField(
        _("impactscore"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
    )
    proposed_cents = models.PositiveBigIntegerField(
        _("voorgesteld bedrag (cent)"), null=True, editable=False
    )
    allocation_outcome = models.CharField(
        _("uitkomst verdeling"),
        max_length=20,
        choices=AllocationOutcome.choices,
        blank=True,
        editable=False,
    )
    allocation_reason = models.TextField(
        _("reden verdeling"), blank=True, editable=False
    )
    rank = models.PositiveIntegerField(
        _("rangnummer"), null=True, blank=True, editable=False
    )
    awarded_cents = models.PositiveBigIntegerField(
        _("toegekend bedrag (cent)"), null=True, editable=False
    )
    second_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    # --- after the award: the settlement, its deadlines and the money ------------------
    # Recorded by ``subsidies.facts`` (the settlement terms, a report asked, the fixed
    # amount, the totals of the payments ledger); the transitions set the moments.
    settlement = models.CharField(
        _("vaststelling"),
        max_length=16,
        choices=workflow.Settlement.choices,
        blank=True,
        editable=False,
    )
    report_due_on = models.DateField(
        _("verantwoording uiterlijk"), null=True, blank=True, editable=False
    )
    fixing_due_on = models.DateField(
        _("vaststelling uiterlijk"), null=True, blank=True, editable=False
    )
    report_submitted_at = models.DateTimeField(
        _("verantwoording ontvangen op"), null=True, blank=True, editable=False
    )
    report_supplement_requested_at = models.DateTimeField(
        _("aanvulling verantwoording gevraagd op"),
        null=True,
        blank=True,
        editable=False,
    )
    report_supplement_due_at = models.DateTimeField(
        _("aanvulling verantwoording uiterlijk"),
        null=True,
        blank=True,
        editable=False,
    )
    fixed_cents = models.PositiveBigIntegerField(
        _("vastgesteld bedrag (cent)"), null=True, blank=True, editable=False
    )
    fixing_motivation = models.TextField(
        _("motivering vaststelling"), blank=True, editable=False
    )
    fixed_at = models.DateTimeField(
        _("vastgesteld op"), null=True, blank=True, editable=False
    )
    reclaim_limit_on = models.DateField(
        _("intrekken of terugvorderen uiterlijk"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Vijf jaar na de vaststelling (Awb 4:49 lid 3 en 4:57 lid 4)."),
    )
    paid_cents = models.PositiveBigIntegerField(
        _("betaald (cent)"), default=0, editable=False
    )
    repaid_cents = models.PositiveBigIntegerField(
        _("terugbetaald (cent)"), default=0, editable=False
    )
    revoked_at = models.DateTimeField(
        _("ingetrokken op"), null=True, blank=True, editable=False
    )
    closed_at = models.DateTimeField(
        _("afgesloten op"), null=True, blank=True, editable=False
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("aanvraag")
        verbose_name_plural = _("aanvragen")
        ordering = ["-created_at"]
        permissions = [
            ("assess_application", _("Kan aanvragen beoordelen")),
            ("decide_application", _("Kan besluiten op aanvragen")),
            ("export_overview", _("Kan overzichten exporteren")),
            ("manage_payments", _("Kan betalingen beheren")),
        ]
        indexes = [
            models.Index(fields=["round", "status"]),
            models.Index(fields=["decision_due_at"]),
            # The staff queue sorted by amount walks this instead of sorting them all.
            models.Index(fields=["requested_cents"]),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}".strip()

    # --- the workflow ---------------------------------------------------------------

    @transition(
        field=status,
        source=Status.DRAFT,
        target=Status.SUBMITTED,
        conditions=[
            workflow.form_is_complete,
            workflow.round_is_open,
            workflow.activity_starts_after_today,
        ],
        permission=workflow.is_applicant,
    )
    def submit(self, *, at):
        self.submitted_at = at
        self.complete_at = at
        self.recompute_decision_due()

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.SUPPLEMENT_REQUESTED,
        permission=workflow.is_assessor,
    )
    def request_supplement(self, *, at, due_at):
        self.supplement_requested_at = at
        self.supplement_due_at = due_at

    @transition(
        field=status,
        source=Status.SUPPLEMENT_REQUESTED,
        target=Status.SUBMITTED,
        conditions=[workflow.supplement_term_running],
        permission=workflow.is_applicant,
    )
    def supplement(self, *, at):
        self.paused_for += at - self.supplement_requested_at
        self.supplement_requested_at = None
        self.supplement_due_at = None
        self.recompute_decision_due()

    @transition(
        field=status,
        source=Status.SUPPLEMENT_REQUESTED,
        target=Status.SET_ASIDE,
        conditions=[workflow.supplement_term_expired],
        permission=workflow.is_assessor,
    )
    def set_aside(self, *, at):
        self.decided_at = at

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.IN_ASSESSMENT,
        conditions=[workflow.preconditions_met],
        permission=workflow.is_assessor,
    )
    def accept(self, *, at):
        pass

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.REJECTED,
        conditions=[workflow.preconditions_failed],
        permission=workflow.is_assessor,
    )
    def reject_preconditions(self, *, at):
        self.decided_at = at
        self.awarded_cents = 0

    @transition(
        field=status,
        source=Status.IN_ASSESSMENT,
        target=Status.ASSESSED,
        conditions=[workflow.assessment_recorded],
        permission=workflow.is_assessor,
    )
    def complete_assessment(self, *, at):
        pass

    @transition(
        field=status,
        source=Status.ASSESSED,
        target=Status.AWARDED,
        conditions=[workflow.allocation_honours, workflow.four_eyes_satisfied],
        permission=workflow.is_decision_maker,
    )
    def award(self, *, at):
        self.decided_at = at

    @transition(
        field=status,
        source=Status.ASSESSED,
        target=Status.REJECTED,
        conditions=[workflow.allocation_does_not_honour],
        permission=workflow.is_decision_maker,
    )
    def reject(self, *, at):
        self.decided_at = at
        self.awarded_cents = 0

    @transition(
        field=status,
        source=[
            Status.DRAFT,
            Status.SUBMITTED,
            Status.SUPPLEMENT_REQUESTED,
            Status.IN_ASSESSMENT,
            Status.ASSESSED,
        ],
        target=Status.WITHDRAWN,
        permission=workflow.is_applicant,
    )
    def withdraw(self, *, at):
        self.decided_at = at

    # --- after the award ----------------------------------------------------------------

    @transition(
        field=status,
        source=Status.AWARDED,
        target=Status.FIXED,
        conditions=[workflow.settled_directly],
        permission=workflow.is_decision_maker,
    )
    def fix_directly(self, *, at):
        self._fixed(at, self.awarded_cents)

    @transition(
        field=status,
        source=Status.AWARDED,
        target=Status.REPORT_SUBMITTED,
        conditions=[workflow.report_asked],
        permission=workflow.is_applicant,
    )
    def submit_report(self, *, at):
        self.report_submitted_at = at
        self.fixing_due_on = timezone.localdate(at) + timedelta(
            weeks=workflow.FIXING_WEEKS
        )

    @transition(
        field=status,
        source=Status.REPORT_SUBMITTED,
        target=Status.REPORT_SUPPLEMENT_REQUESTED,
        permission=workflow.is_assessor,
    )
    def request_report_supplement(self, *, at, due_at):
        self.report_supplement_requested_at = at
        self.report_supplement_due_at = due_at
        # The report will change: a proposed amount is reviewed again, never reused.
        self.fixed_cents = None
        self.fixing_motivation = ""

    @transition(
        field=status,
        source=Status.REPORT_SUPPLEMENT_REQUESTED,
        target=Status.REPORT_SUBMITTED,
        permission=workflow.is_applicant,
    )
    def supplement_report(self, *, at):
        paused = timezone.localdate(at) - timezone.localdate(
            self.report_supplement_requested_at
        )
        if self.fixing_due_on is not None:
            self.fixing_due_on += paused
        self.report_supplement_requested_at = None
        self.report_supplement_due_at = None

    @transition(
        field=status,
        source=[Status.AWARDED, Status.REPORT_SUBMITTED],
        target=Status.FIXED,
        conditions=[workflow.fixing_allowed],
        permission=workflow.is_decision_maker,
    )
    def fix(self, *, at):
        self._fixed(at, self.fixed_cents)

    @transition(
        field=status,
        source=Status.AWARDED,
        target=Status.AWARDED,
        permission=workflow.is_decision_maker,
    )
    def amend(self, *, at):
        pass

    @transition(
        field=status,
        source=[
            Status.AWARDED,
            Status.REPORT_SUBMITTED,
            Status.REPORT_SUPPLEMENT_REQUESTED,
            Status.FIXED,
            Status.CLOSED,
        ],
        target=Status.REVOKED,
        conditions=[workflow.within_reclaim_limit],
        permission=workflow.is_decision_maker,
    )
    def revoke(self, *, at):
        self.revoked_at = at
        self.fixed_cents = 0
        self.report_supplement_requested_at = None
        self.report_supplement_due_at = None

    @transition(
        field=status,
        source=Status.FIXED,
        target=Status.CLOSED,
        conditions=[workflow.money_settled],
        permission=workflow.is_financial_administrator,
    )
    def close(self, *, at):
        self.closed_at = at

    # --- a well-founded bezwaar: the new decision in place of the old (Awb 7:11) -----------
    # The bezwaar's service records the new facts (amount, settlement) first, under the
    # round's ceiling guard, and fires one of these with the handler as actor.

    @transition(
        field=status,
        source=Status.REJECTED,
        target=Status.AWARDED,
        conditions=[workflow.award_recorded],
        permission=workflow.is_objection_decider,
    )
    def award_on_objection(self, *, at):
        self.decided_at = at

    @transition(
        field=status,
        source=Status.SET_ASIDE,
        target=Status.SUBMITTED,
        permission=workflow.is_objection_decider,
    )
    def reopen_on_objection(self, *, at):
        # The application is handled after all, as if it had never been set aside:
        # it keeps its place in the order of receipt (``complete_at``), and the
        # beslistermijn runs again from today.
        self.decided_at = None
        self.supplement_requested_at = None
        self.supplement_due_at = None
        if self.complete_at is None:
            self.complete_at = at
        self.paused_for = timedelta(0)
        weeks = timedelta(weeks=self.round.scheme.decision_weeks)
        self.decision_due_at = at + weeks

    @transition(
        field=status,
        source=Status.AWARDED,
        target=Status.AWARDED,
        conditions=[workflow.award_recorded],
        permission=workflow.is_objection_decider,
    )
    def revise_award_on_objection(self, *, at):
        pass

    @transition(
        field=status,
        source=[Status.FIXED, Status.CLOSED],
        target=Status.FIXED,
        conditions=[workflow.fixed_amount_recorded],
        permission=workflow.is_objection_decider,
    )
    def revise_fixing_on_objection(self, *, at):
        self.closed_at = None

    @transition(
        field=status,
        source=Status.REVOKED,
        target=Status.AWARDED,
        conditions=[workflow.never_fixed],
        permission=workflow.is_objection_decider,
    )
    def restore_award_on_objection(self, *, at):
        self.revoked_at = None
        self.fixed_cents = None

    @transition(
        field=status,
        source=Status.REVOKED,
        target=Status.FIXED,
        conditions=[workflow.was_fixed, workflow.fixed_amount_recorded],
        permission=workflow.is_objection_decider,
    )
    def restore_fixing_on_objection(self, *, at):
        self.revoked_at = None

    def _fixed(self, at, fixed_cents):
        self.fixed_cents = fixed_cents
        self.fixed_at = at
        self.fixing_due_on = None
        self.reclaim_limit_on = workflow.years_later(
            timezone.localdate(at), workflow.RECLAIM_LIMIT_YEARS
        )

    # --- single-object rules --------------------------------------------------------

    @property
    def scheme(self):
        return self.round.scheme

    @property
    def public_status(self):
        return workflow.PUBLIC_LABELS[Status(self.status)]

    @property
    def is_editable_by_applicant(self):
        return self.status == Status.DRAFT

    @property
    def is_granted(self):
        """A verlening was sent (whatever followed it)."""
        return self.status in workflow.GRANTED_STATES

    @property
    def clock_is_paused(self):
        return self.status == Status.SUPPLEMENT_REQUESTED

    @property
    def withdrawn_at(self):
        """When the applicant withdrew it (``withdraw`` stores the moment in
        ``decided_at``, but a withdrawal is no decision)."""
        return self.decided_at if self.status == Status.WITHDRAWN else None

    @property
    def decision_date(self):
        """When the gemeente decided; None while undecided and for a withdrawal."""
        return None if self.status == Status.WITHDRAWN else self.decided_at

    @property
    def decision_is_late(self):
        """The beslistermijn has passed without a decision (as ``overdue()`` counts)."""
        return (
            self.status in workflow.CLOCK_RUNNING_STATES
            and self.decision_due_at is not None
            and self.decision_due_at < timezone.now()
        )

    def recompute_decision_due(self):
        if self.complete_at is None:
            self.decision_due_at = None
            return
        weeks = timedelta(weeks=self.round.scheme.decision_weeks)
        self.decision_due_at = self.complete_at + weeks + self.paused_for

    def budget_total_cents(self):
        return self.budget_lines.aggregate(total=Sum("amount_cents"))["total"] or 0


class BudgetLine(models.Model):
    class Category(models.TextChoices):
        MATERIALS = "materiaal", _("Materiaal en middelen")
        RENT = "huur", _("Huur van ruimte")
        COMMUNICATION = "communicatie", _("Communicatie en publiciteit")
        VOLUNTEERS = "vrijwilligers", _("Vergoeding voor vrijwilligers")
        PAID_WORK = "betaalde_inzet", _("Betaalde inzet")
        CATERING = "catering", _("Eten en drinken")
        OTHER = "overig", _("Overig")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines"
    )
    category = models.CharField(
        _("soort kosten"), max_length=20, choices=Category.choices
    )
    description = models.CharField(_("omschrijving"), max_length=200)
    amount_cents = models.PositiveBigIntegerField(_("bedrag (cent)"))

    class Meta:
        verbose_name = _("begrotingsregel")
        verbose_name_plural = _("regels van de begroting")
        ordering = ["pk"]

    def __str__(self):
        return self.description


class OtherFunding(models.Model):
    class State(models.TextChoices):
        REQUESTED = "aangevraagd", _("Aangevraagd")
        PROMISED = "toegezegd", _("Toegezegd")
        OWN = "eigen_bijdrage", _("Eigen bijdrage")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="other_funding"
    )
    source = models.CharField(_("bron"), max_length=200)
    state = models.CharField(_("stand"), max_length=20, choices=State.choices)
    amount_cents = models.PositiveBigIntegerField(_("bedrag (cent)"))

    class Meta:
        verbose_name = _("andere financiering")
        verbose_name_plural = _("andere financiering")
        ordering = ["pk"]

    def __str__(self):
        return self.source


class Partner(models.Model):
    class Kind(models.TextChoices):
        SOCIAL_BROKER = "sociaal_makelaar", _("Sociaal makelaar")
        NEIGHBOURHOOD_TEAM = "buurtteam", _("Buurtteam")
        INFORMAL_CARE = "informele_zorg", _("Informele zorgorganisatie")
        WIJKBUREAU = "wijkbureau", _("Wijkbureau")
        OTHER = "anders", _("Anders")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="partners"
    )
    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(
        _("soort partner"), max_length=20, choices=Kind.choices, default=Kind.OTHER
    )
    role = models.CharField(_("rol in het initiatief"), max_length=300, blank=True)
    letter_of_support = models.BooleanField(_("steunbrief"), default=False)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["pk"]

    def __str__(self):
        return self.name


def document_path(instance, filename):
    # The stored name is random; the original name is kept in the database only.
    return f"applications/{instance.application_id}/{instance.sha256[:2]}/{instance.sha256}"


def private_storage():
    from django.core.files.storage import storages

    return storages["private"]


class Document(models.Model):
    class Kind(models.TextChoices):
        BUDGET = "begroting", _("Begroting")
        SUPPORT = "draagvlak", _("Bewijs van draagvlak")
        STATUTES = "statuten", _("Statuten of KvK-uittreksel")
        BANK = "bankafschrift", _("Bankafschrift met IBAN")
        ANNUAL_ACCOUNTS = "jaarrekening", _("Jaarrekening of financieel overzicht")
        SUPPLEMENT = "aanvulling", _("Aanvulling")
        REPORT = "verantwoording", _("Bewijs bij de verantwoording")
        DECISION_LETTER = "beschikking", _("Beschikking (besluit)")
        OBJECTION = "bezwaar", _("Bijlage bij een bezwaar")
        LETTER = "brief", _("Brief van de gemeente")
        OTHER = "overig", _("Overig")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("soort document"), max_length=20, choices=Kind.choices)
    file = models.FileField(
        _("bestand"), upload_to=document_path, storage=private_storage, max_length=255
    )
    original_name = models.CharField(_("bestandsnaam"), max_length=200)
    content_type = models.CharField(_("bestandstype"), max_length=100)
    size = models.PositiveBigIntegerField(_("grootte (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("geüpload op"), default=timezone.now)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documenten")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name


class SupplementRequest(models.Model):
    """A request for more information (Awb 4:5) and the applicant's answer."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="supplement_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    message = models.TextField(_("wat ontbreekt"))
    requested_at = models.DateTimeField(_("gevraagd op"))
    due_at = models.DateTimeField(_("hersteltermijn tot"))
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    answer = models.TextField(_("antwoord"), blank=True)

    class Meta:
        verbose_name = _("verzoek om aanvulling")
        verbose_name_plural = _("verzoeken om aanvulling")
        ordering = ["requested_at"]

    def __str__(self):
        return f"{self.application.reference}: {self.requested_at:%d-%m-%Y}"


class ReferenceCounter(models.Model):
    """The last number handed out per prefix and year, for references like IF-2026-0042."""

    prefix = models.CharField(max_length=4)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["prefix", "year"], name="unique_reference_counter"
            )
        ]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last_number}"
