"""Allocation runs, decisions (beschikkingen) and their letters.

- ``AllocationRun``: one computation of the verdeelregel (``beoordeling.allocation``) for
  a round: a snapshot of every parameter (the exact JSON input of the pure rule), its
  output, and one ``AllocationResult`` per application. Many concept runs may exist and
  be compared; fixing (vaststellen) one makes it immutable and drives the decisions. A
  run of kind ``ronde`` takes every assessed application of a round at once; a run of
  kind ``aanvraag`` decides one application of a continuous-intake scheme (order of
  receipt) against what is left of the ceiling.
- ``AllocationResult``: rank, amount and reason of one application in one run. An
  application is decided by at most one fixed result (a database constraint). Awards
  above the round's four-eyes threshold wait for a second decision maker, who approves,
  refuses or sends back (``ReviewState``, each with a reason); a refused or withdrawn
  result no longer decides its application, so its money returns to the round.
- ``Decision``: the beschikking: type, kenmerk (``D2026-000123``, from
  the one counter of kenmerken, ``subsidies.counters``), date sent, last day for bezwaar, amount and the SHA-256 of the
  PDF, which is stored as a ``subsidies.Document`` of kind ``beschikking`` so the
  applicant's pages can offer it without importing this app. A decision is immutable:
  only the moment the applicant was notified is filled in once, afterwards.
- ``LetterBatch``: the letters of a round generated in the background, a
  ``BackgroundJob`` (``beoordeling.models.jobs``), with the progress (total, done,
  skipped, failed) the task writes and the admin shows.

Writes go through ``beoordeling.decisions.services``; the models only guard their immutability.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.shared.writeonce import WriteOnceError, WriteOnceModel
from subsidies.models import Application, Document, Round, Wijk

from .jobs import BackgroundJob, JobStatus

__all__ = [
    "AFTER_AWARD_KINDS",
    "AfterAwardAction",
    "AfterAwardProposal",
    "AllocationReason",
    "AllocationResult",
    "AllocationRun",
    "Decision",
    "DecisionError",
    "DecisionKind",
    "ImmutableDecisionError",
    "LetterBatch",
    "RELEASED_STATES",
    "REPEATABLE_KINDS",
    "ReviewState",
    "RunKind",
    "RunStatus",
]


#: A fixed run, its results or a decision cannot be changed or deleted: the one
#: write-once exception (``portal.shared.writeonce``), under the name callers know.
ImmutableDecisionError = WriteOnceError


class DecisionError(Exception):
    """A decision step that may not happen now; the message is for the user, in Dutch."""


class RunKind(models.TextChoices):
    ROUND = "ronde", _("Hele ronde")
    APPLICATION = "aanvraag", _("Eén aanvraag (op volgorde van binnenkomst)")


class RunStatus(models.TextChoices):
    CONCEPT = "concept", _("Concept")
    FIXED = "vastgesteld", _("Vastgesteld")


class AllocationReason(models.TextChoices):
    """The reasons of ``beoordeling.allocation.Reason``, with a label for staff."""

    FLOOR = "floor", _("Toegekend: wijkgarantie")
    RANK = "rank", _("Toegekend: op volgorde")
    PARTIAL = "partial", _("Deels toegekend: restant van het budget")
    BUDGET = "budget", _("Niet toegekend: budget op")
    CAP = "cap", _("Niet toegekend: maximum van de wijk bereikt")
    ZERO_AMOUNT = "zero_amount", _("Niet toegekend: geen bedrag (onvoldoende impact)")


class AllocationRun(WriteOnceModel):
    """Write-once from the moment it is fixed (``write_once_frozen``)."""

    round = models.ForeignKey(
        Round,
        on_delete=models.PROTECT,
        related_name="allocation_runs",
        verbose_name=_("ronde"),
    )
    number = models.PositiveIntegerField(_("nummer"))
    #: The published verdeelregel version the run applied (its only parameters).
    rule = models.ForeignKey(
        "subsidies.AllocationRule",
        on_delete=models.PROTECT,
        null=True,
        related_name="runs",
        verbose_name=_("verdeelregel"),
    )
    #: Why this application was decided before an older complete one (order of receipt).
    order_exception = models.TextField(
        _("motivering afwijking volgorde van binnenkomst"), blank=True
    )
    kind = models.CharField(
        _("soort"), max_length=16, choices=RunKind.choices, default=RunKind.ROUND
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RunStatus.choices,
        default=RunStatus.CONCEPT,
    )
    note = models.CharField(_("toelichting"), max_length=200, blank=True)
    ceiling_cents = models.PositiveBigIntegerField(_("subsidieplafond (cent)"))
    committed_cents = models.PositiveBigIntegerField(
        _("al vastgelegd bij berekening (cent)")
    )
    budget_cents = models.PositiveBigIntegerField(_("te verdelen (cent)"))
    total_cents = models.PositiveBigIntegerField(_("verdeeld (cent)"))
    mode = models.CharField(_("verdeelregel"), max_length=16)
    on_shortfall = models.CharField(_("als een aanvraag niet past"), max_length=16)
    min_partial_cents = models.PositiveBigIntegerField(_("minimaal deelbedrag (cent)"))
    lottery_seed = models.CharField(_("lotingszaad"), max_length=64, blank=True)
    #: Per wijk, in round terms: code, name, weight, floor, cap, committed before.
    wijk_parameters = models.JSONField(_("parameters per wijk"))
    #: The exact input and output of ``beoordeling.allocation`` (design.md §5).
    input_document = models.JSONField(_("invoer verdeelregel"))
    output_document = models.JSONField(_("uitkomst verdeelregel"))
    #: SHA-256 of the candidates as they were, to refuse fixing a stale run.
    candidates_fingerprint = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("berekend door"),
    )
    created_at = models.DateTimeField(_("berekend op"))
    fixed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgesteld door"),
    )
    fixed_at = models.DateTimeField(_("vastgesteld op"), null=True, blank=True)

    class Meta:
        verbose_name = _("verdeling")
        verbose_name_plural = _("verdelingen")
        ordering = ["round", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "number"], name="unique_allocation_run_number"
            ),
            models.CheckConstraint(
                condition=models.Q(total_cents__lte=models.F("budget_cents")),
                name="allocation_run_within_budget",
            ),
        ]

    def __str__(self):
        return f"{self.round} – verdeling {self.number}"

    @classmethod
    def write_once_frozen(cls):
        return models.Q(status=RunStatus.FIXED)

    @property
    def is_fixed(self):
        return self.status == RunStatus.FIXED


class ReviewState(models.TextChoices):
    """What the four eyes did with an award above the threshold, besides approving.

    ``OPEN``: no second judgement yet (or none needed; approving sets ``approved_by``).
    Refused or withdrawn, the result no longer decides its application: its money
    returns to the round and the application can be in a new run.
    """

    OPEN = "", _("Nog geen tweede oordeel")
    SENT_BACK = "teruggestuurd", _("Teruggestuurd naar de eerste besluitvormer")
    REFUSED = "geweigerd", _("Geweigerd door de tweede besluitvormer")
    WITHDRAWN = "ingetrokken", _("Ingetrokken door de eerste besluitvormer")


#: A result in one of these states no longer decides its application.
RELEASED_STATES = (ReviewState.REFUSED, ReviewState.WITHDRAWN)

#: The only fields of a fixed result that may still change: the four eyes' judgement.
APPROVAL_FIELDS = frozenset(
    {
        "approved_by",
        "approved_at",
        "review_state",
        "reviewed_by",
        "reviewed_at",
        "review_reason",
    }
)


class AllocationResult(WriteOnceModel):
    """Write-once once its run is fixed, but for the approval fields."""

    write_once_open_fields = APPROVAL_FIELDS

    run = models.ForeignKey(
        AllocationRun, on_delete=models.CASCADE, related_name="results"
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="allocation_results",
        verbose_name=_("aanvraag"),
    )
    wijk = models.ForeignKey(
        Wijk, on_delete=models.PROTECT, related_name="+", verbose_name=_("wijk")
    )
    score = models.DecimalField(
        _("impactscore"), max_digits=5, decimal_places=2, null=True
    )
    candidate_cents = models.PositiveBigIntegerField(_("voorgesteld bedrag (cent)"))
    rank = models.PositiveIntegerField(_("plaats"), null=True)
    awarded = models.BooleanField(_("toegekend"))
    amount_cents = models.PositiveBigIntegerField(_("toegekend bedrag (cent)"))
    reason = models.CharField(
        _("reden"), max_length=16, choices=AllocationReason.choices
    )
    #: Copied from the run when it is fixed, so the database can hold the rule that an
    #: application is decided by one fixed result at most.
    is_fixed = models.BooleanField(default=False, editable=False)
    needs_second_approval = models.BooleanField(_("vier ogen nodig"), default=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("goedgekeurd door"),
    )
    approved_at = models.DateTimeField(_("goedgekeurd op"), null=True, blank=True)
    #: The last refusal, sending back, resubmission or withdrawal; the whole history
    #: is in ``AssessmentEvent`` (the application's "Verloop").
    review_state = models.CharField(
        _("tweede oordeel"),
        max_length=16,
        choices=ReviewState.choices,
        default=ReviewState.OPEN,
        blank=True,
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("laatst beoordeeld door"),
    )
    reviewed_at = models.DateTimeField(_("laatst beoordeeld op"), null=True, blank=True)
    review_reason = models.TextField(_("reden"), blank=True)

    class Meta:
        verbose_name = _("uitkomst per aanvraag")
        verbose_name_plural = _("uitkomsten per aanvraag")
        ordering = ["run", models.F("rank").asc(nulls_last=True), "application_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "application"], name="unique_result_per_run"
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(is_fixed=True)
                & ~models.Q(review_state__in=RELEASED_STATES),
                name="one_fixed_result_per_application",
            ),
        ]

    def __str__(self):
        return f"{self.run}: {self.application_id} {self.reason}"

    @classmethod
    def write_once_frozen(cls):
        return models.Q(is_fixed=True)

    @property
    def awaits_approval(self):
        return (
            self.needs_second_approval
            and self.approved_by_id is None
            and self.review_state == ReviewState.OPEN
        )

    @property
    def is_sent_back(self):
        return self.review_state == ReviewState.SENT_BACK


class DecisionKind(models.TextChoices):
    """The letter types of ``beoordeling.letters.LetterType``."""

    VERLENING = "verlening", _("Verlening")
    AFWIJZING_RANDVOORWAARDEN = (
        "afwijzing_randvoorwaarden",
        _("Afwijzing: randvoorwaarden"),
    )
    AFWIJZING_IMPACT = "afwijzing_impact", _("Afwijzing: onvoldoende impact")
    AFWIJZING_BUDGET = "afwijzing_budget", _("Afwijzing: budget op")
    AFWIJZING_CAP = "afwijzing_cap", _("Afwijzing: maximum van de wijk")
    BUITEN_BEHANDELING = "buiten_behandeling", _("Buiten behandeling")
    VASTSTELLING = "vaststelling", _("Vaststelling")
    WIJZIGING = "wijziging", _("Wijziging")
    INTREKKING = "intrekking", _("Intrekking")
    TERUGVORDERING = "terugvordering", _("Terugvordering")
    BESLISSING_OP_BEZWAAR = "beslissing_op_bezwaar", _("Beslissing op bezwaar")


#: Kinds an application may get more than once: a wijziging after a wijziging, a
#: terugvordering after each decision that lowered the grant, a beslissing op bezwaar
#: per bezwaar.
REPEATABLE_KINDS = (
    DecisionKind.WIJZIGING,
    DecisionKind.TERUGVORDERING,
    DecisionKind.BESLISSING_OP_BEZWAAR,
)
#: The beschikkingen about a grant already made.
AFTER_AWARD_KINDS = (
    DecisionKind.VASTSTELLING,
    DecisionKind.WIJZIGING,
    DecisionKind.INTREKKING,
    DecisionKind.TERUGVORDERING,
)


class LetterBatch(BackgroundJob):
    class Kind(models.TextChoices):
        #: The beschikkingen of a round's decided applications (verlening, afwijzing).
        DECISIONS = "besluiten", _("Besluiten op aanvragen")
        #: Fixing each listed grant (``fix``) with its vaststelling letter.
        FIXING = "vaststellingen", _("Vaststellingen")

    class Status(models.TextChoices):
        WAITING = JobStatus.WAITING.value, JobStatus.WAITING.label
        RUNNING = JobStatus.RUNNING.value, JobStatus.RUNNING.label
        DONE = JobStatus.DONE.value, JobStatus.DONE.label
        #: Not "Mislukt": that is the count of letters that failed.
        FAILED = JobStatus.FAILED.value, _("Afgebroken")

    #: Its task can die before it takes the batch (on the demo's SQLite, on "database
    #: is locked"), or the enqueue after the commit can fail.
    STALLS_WHILE_WAITING = True

    round = models.ForeignKey(
        Round,
        on_delete=models.PROTECT,
        related_name="letter_batches",
        verbose_name=_("ronde"),
    )
    kind = models.CharField(
        _("soort"), max_length=16, choices=Kind.choices, default=Kind.DECISIONS
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.WAITING
    )
    date_sent = models.DateField(_("verzenddatum"))
    notify = models.BooleanField(_("aanvragers e-mailen"), default=True)
    application_ids = models.JSONField(_("aanvragen"), default=list)
    skipped = models.PositiveIntegerField(
        _("overgeslagen (had al een brief)"), default=0
    )
    failed = models.PositiveIntegerField(_("mislukt"), default=0)
    errors = models.JSONField(_("fouten"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("gestart door"),
    )

    class Meta(BackgroundJob.Meta):
        verbose_name = _("brievenreeks")
        verbose_name_plural = _("brievenreeksen")

    def __str__(self):
        return f"{self.round}: brieven {self.created_at:%d-%m-%Y %H:%M}"

    @property
    def processed(self):
        return self.done + self.skipped + self.failed

    def may_retry(self):
        """Also once it is done with failures: those letters are tried again."""
        done_with_failures = self.status == self.Status.DONE and self.failed > 0
        return super().may_retry() or done_with_failures


class Decision(WriteOnceModel):
    """Never changed or deleted, but for when its mail went out (``notified_at``)."""

    write_once_open_fields = frozenset({"notified_at"})

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("aanvraag"),
    )
    kind = models.CharField(_("soort"), max_length=32, choices=DecisionKind.choices)
    kenmerk = models.CharField(_("kenmerk"), max_length=16, unique=True)
    date_sent = models.DateField(_("verzenddatum"))
    bezwaar_deadline = models.DateField(_("uiterste datum bezwaar"))
    amount_cents = models.PositiveBigIntegerField(
        _("bedrag (cent)"),
        help_text=_(
            "Verleend; bij een vaststelling het vastgestelde bedrag, bij een wijziging "
            "het nieuwe bedrag, bij een intrekking 0."
        ),
    )
    #: What the letter reclaims (Awb 4:57), in cents; the payments ledger reads it.
    reclaim_cents = models.PositiveBigIntegerField(
        _("terug te vorderen (cent)"), default=0
    )
    #: The ground of an intrekking or wijziging (``beoordeling.letters.Ground``).
    ground = models.CharField(_("grond"), max_length=16, blank=True)
    #: The beschikking this one follows from (a vaststelling: the verlening).
    follows = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followed_by",
        verbose_name=_("volgt op"),
    )
    sha256 = models.CharField(_("SHA-256 van de brief"), max_length=64)
    document = models.OneToOneField(
        Document,
        on_delete=models.PROTECT,
        related_name="decision",
        verbose_name=_("brief (PDF)"),
    )
    allocation_result = models.ForeignKey(
        AllocationResult,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("uitkomst verdeling"),
    )
    batch = models.ForeignKey(
        LetterBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("brievenreeks"),
    )
    sent_electronically = models.BooleanField(
        _("elektronisch verzonden (toestemming art. 2:8 Awb)"), default=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gemaakt door"),
    )
    created_at = models.DateTimeField(_("gemaakt op"))
    notified_at = models.DateTimeField(_("aanvrager gemaild op"), null=True, blank=True)

    class Meta:
        verbose_name = _("beschikking")
        verbose_name_plural = _("beschikkingen")
        ordering = ["-date_sent", "-kenmerk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind"],
                condition=~models.Q(kind__in=REPEATABLE_KINDS),
                name="one_decision_per_kind",
            )
        ]

    def __str__(self):
        return f"{self.kenmerk} ({self.get_kind_display()})"


class AfterAwardAction(models.TextChoices):
    FIX = "vaststellen", _("Vaststellen")
    AMEND = "wijzigen", _("Wijzigen")
    REVOKE = "intrekken", _("Intrekken")


class AfterAwardProposal(models.Model):
    """A decision maker's vaststelling, wijziging or intrekking of one grant, with what
    it decides. Done at once, or, when the round's four-eyes threshold asks it, after a
    second decision maker approved it (``beoordeling.decisions.services.after_award``).
    The beschikking it made is ``decision``."""

    class State(models.TextChoices):
        WAITING = "wacht", _("Wacht op een tweede besluitvormer")
        DONE = "uitgevoerd", _("Uitgevoerd")
        REFUSED = "geweigerd", _("Geweigerd door de tweede besluitvormer")

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="after_award_proposals",
        verbose_name=_("aanvraag"),
    )
    action = models.CharField(
        _("besluit"), max_length=16, choices=AfterAwardAction.choices
    )
    state = models.CharField(
        _("stand"), max_length=16, choices=State.choices, default=State.WAITING
    )
    fixed_cents = models.PositiveBigIntegerField(
        _("vast te stellen bedrag (cent)"), null=True, blank=True
    )
    new_awarded_cents = models.PositiveBigIntegerField(
        _("nieuw bedrag (cent)"), null=True, blank=True
    )
    new_activity_end = models.DateField(_("nieuwe einddatum"), null=True, blank=True)
    ground = models.CharField(_("grond"), max_length=16, blank=True)
    effective_on = models.DateField(_("gaat in op"), null=True, blank=True)
    motivation = models.TextField(_("motivering"), blank=True)
    #: A vaststelling per budget line: ``{"label", "granted_cents", "fixed_cents",
    #: "ground", "motivation"}`` (``beoordeling.letters.LineFixing``; ground a
    #: ``FixingGround`` value), from the review of the verantwoording.
    lines = models.JSONField(_("per begrotingspost"), default=list, blank=True)
    #: A wijziging the recipient asked for (``subsidies.ChangeRequest``).
    change_request = models.ForeignKey(
        "subsidies.ChangeRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("verzoek om wijziging"),
    )
    date_sent = models.DateField(_("verzenddatum"), null=True, blank=True)
    needs_second_approval = models.BooleanField(_("vier ogen nodig"), default=False)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("voorgesteld door"),
    )
    proposed_at = models.DateTimeField(_("voorgesteld op"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tweede besluitvormer"),
    )
    reviewed_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    review_reason = models.TextField(_("reden"), blank=True)
    decision = models.OneToOneField(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposal",
        verbose_name=_("beschikking"),
    )

    class Meta:
        verbose_name = _("besluit na de toekenning")
        verbose_name_plural = _("besluiten na de toekenning")
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(state="wacht"),
                name="one_waiting_after_award_proposal",
            )
        ]

    def __str__(self):
        return f"{self.application} – {self.get_action_display()}"
