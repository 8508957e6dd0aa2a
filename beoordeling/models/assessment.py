"""Assessment records: randvoorwaarden, rubrics, teams, assignments and scores.

Randvoorwaarden
    ``PreconditionRule``: one randvoorwaarde of a scheme, configured by an administrator.
    It is hard (not met means refusal) or soft (a warning), and it is either computed
    by one of the pure checks in ``beoordeling.preconditions`` (``computed_check``) or
    judged by the assessor alone. ``PreconditionReview`` is one confirmation by an
    assessor of all the rules of an application, with a ``PreconditionOutcome`` per
    rule: the proposal with its reason, the confirmed outcome and, when the assessor
    departs from the proposal, the motivation. Reviews are never edited: a new check
    makes a new review, so the history stays.

Rubrics (beoordelingsmatrix)
    ``Rubric`` is one version of a scheme's rubric and ``RubricCriterion`` its criteria
    (weight, knock-out). A version is never edited once it exists: changing a rubric
    publishes the next version. A score points to the criterion row of the version it
    was given on (PROTECT), so no later change can alter or break a score. All
    assessments of one application use the version fixed in its ``AssessmentSummary``.

Teams and assignments
    ``Team``: assessors with the wijken and/or schemes they look after. An assessor sees
    an application when its wijk or scheme belongs to one of their teams, or when they
    are assigned to it. ``Assessment``: one assessor on one application. Before scoring
    the assessor declares having no conflict of interest, or recuses with a reason; a
    recused assessment never counts and can never be scored. Scores (``Score``, 0-4
    with a motivation per criterion) stay a draft until submitted; submitted scores are
    final. ``ConsensusNote``: the score for a criterion where the assessors were 2 or
    more points apart. One assessor proposes it; it counts only when the other agrees
    (``AGREED``) or, when they disagree, when a third assessor (not one of the two, not
    recused) decides (``DECIDED``). Proposals that were not agreed stay as history.

The summary
    ``AssessmentSummary`` holds the outcome per application: the impact score, the
    proposed amount and whether the application can be honoured at all (a knock-out or
    insufficient impact), with the reason in words for the letter. The facts the
    workflow guards read are copied to ``Application.impact_score`` and
    ``proposed_cents``.

``AssessmentEvent`` is the audit trail of everything above that is not a workflow
transition (assignments, declarations, recusals, consensus, and the four eyes refusing
or sending back an award); like the transition log
it is written once and never changed. Writes go through
``beoordeling.assessment.services``; rules that decide live in the pure modules.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import ASSESSOR
from beoordeling import scoring
from beoordeling.preconditions import Outcome
from portal.shared.writeonce import WriteOnceError, WriteOnceModel
from subsidies.models import Application, Scheme, Wijk

__all__ = [
    "Assessment",
    "AssessmentEvent",
    "AssessmentSummary",
    "ComputedCheck",
    "CONSENSUS_FINAL",
    "CONSENSUS_RESPONSE_FIELDS",
    "ConsensusNote",
    "ConsensusStatus",
    "ImmutableRecordError",
    "OutcomeChoice",
    "PreconditionOutcome",
    "PreconditionReview",
    "PreconditionRule",
    "ReasonCodeChoice",
    "Rubric",
    "RubricCriterion",
    "Score",
    "Team",
]


#: An assessment record that must stay as it was cannot be changed or deleted: the one
#: write-once exception (``portal.shared.writeonce``), under the name callers know.
ImmutableRecordError = WriteOnceError


class ComputedCheck(models.TextChoices):
    """The pure checks in ``beoordeling.preconditions`` a rule can be computed by."""

    NONE = "", _("Geen: de beoordelaar beoordeelt zelf")
    ACTIVITY_START = (
        "check_activity_starts_after_application",
        _("Berekend: de activiteit begint na de aanvraag"),
    )
    AMOUNT = (
        "check_amount_within_maximum",
        _("Berekend: het bedrag past binnen het maximum"),
    )
    THREE_YEARS = (
        "check_three_year_limit",
        _("Berekend: grens van 3 jaar bij betaalde inzet"),
    )
    WMO_GOAL = "check_wmo_goal", _("Berekend: draagt bij aan een Wmo-doel")
    CORE_ACTIVITY = (
        "check_core_activity",
        _("Berekend: buurtnetwerk of informatievoorziening"),
    )
    NOT_A_STARTER = "check_not_a_starter", _("Berekend: geen startend initiatief")
    NO_OTHER_FUNDING = (
        "check_no_other_municipal_funding",
        _("Berekend: geen andere gemeentelijke regeling meer"),
    )
    PARTLY_PAID = "check_partly_paid", _("Berekend: deels betaalde inzet")
    TRACK = "check_track", _("Berekend: spoor A of B")
    TRACK_REQUIREMENTS = (
        "check_track_requirements",
        _("Berekend: voorwaarde van het spoor"),
    )
    NO_CARE_TASKS = "check_no_care_tasks", _("Berekend: geen zorgtaken")


class OutcomeChoice(models.TextChoices):
    """The stored values of ``beoordeling.preconditions.Outcome``."""

    MET = Outcome.MET.value, _("Voldaan")
    NOT_MET = Outcome.NOT_MET.value, _("Niet voldaan")
    UNKNOWN = Outcome.UNKNOWN.value, _("Onbekend")


class ReasonCodeChoice(models.TextChoices):
    """The stored values of ``beoordeling.scoring.ReasonCode``."""

    PRECONDITIONS_NOT_MET = (
        scoring.ReasonCode.PRECONDITIONS_NOT_MET.value,
        _("Randvoorwaarden niet voldaan"),
    )
    KNOCKOUT = (
        scoring.ReasonCode.KNOCKOUT.value,
        _("Knock-out: een 0 op een knock-outcriterium"),
    )
    INSUFFICIENT_IMPACT = (
        scoring.ReasonCode.INSUFFICIENT_IMPACT.value,
        _("Onvoldoende impact"),
    )
    BELOW_ONE_EURO = scoring.ReasonCode.BELOW_ONE_EURO.value, _("Minder dan één euro")
    IMPACT_BAND = (
        scoring.ReasonCode.IMPACT_BAND.value,
        _("Bedrag volgens de impactband"),
    )


# --- randvoorwaarden --------------------------------------------------------------


class PreconditionRule(models.Model):
    scheme = models.ForeignKey(
        Scheme,
        on_delete=models.CASCADE,
        related_name="precondition_rules",
        verbose_name=_("regeling"),
    )
    code = models.SlugField(_("code"), max_length=64)
    label = models.CharField(_("randvoorwaarde"), max_length=200)
    public_text = models.CharField(
        _("uitleg voor aanvragers"),
        max_length=300,
        blank=True,
        default="",
        help_text=_(
            "Zo staat de randvoorwaarde op de pagina van de regeling: in gewone "
            "woorden, voor bewoners. Leeg: de randvoorwaarde zelf."
        ),
    )
    description = models.TextField(
        _("toelichting voor de beoordelaar"), blank=True, default=""
    )
    computed_check = models.CharField(
        _("berekening"),
        max_length=64,
        choices=ComputedCheck.choices,
        blank=True,
        default="",
        help_text=_(
            "Een berekende randvoorwaarde krijgt een voorstel met de reden; de "
            "beoordelaar bevestigt het of wijkt ervan af met een motivering."
        ),
    )
    hard = models.BooleanField(
        _("harde randvoorwaarde"),
        default=True,
        help_text=_(
            "Niet voldaan aan een harde randvoorwaarde betekent afwijzen. Een zachte "
            "randvoorwaarde is alleen een waarschuwing."
        ),
    )
    parameter = models.PositiveSmallIntegerField(
        _("drempel"),
        null=True,
        blank=True,
        help_text=_(
            "Alleen voor ‘geen startend initiatief’: het minimale aantal jaren "
            "(standaard 3)."
        ),
    )
    active = models.BooleanField(_("actief"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("randvoorwaarde")
        verbose_name_plural = _("randvoorwaarden")
        ordering = ["scheme", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "code"], name="unique_precondition_code_per_scheme"
            )
        ]

    def __str__(self):
        return f"{self.scheme}: {self.label}"


class PreconditionReview(WriteOnceModel):
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="precondition_reviews",
        verbose_name=_("aanvraag"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("beoordelaar"),
    )
    reviewed_at = models.DateTimeField(_("beoordeeld op"))
    met = models.BooleanField(_("alle harde randvoorwaarden voldaan"))
    motivation = models.TextField(_("motivering"), blank=True)

    class Meta:
        verbose_name = _("toets randvoorwaarden")
        verbose_name_plural = _("toetsen randvoorwaarden")
        ordering = ["reviewed_at", "pk"]
        get_latest_by = ["reviewed_at", "pk"]

    def __str__(self):
        return f"{self.application_id}: {self.reviewed_at:%d-%m-%Y}"


class PreconditionOutcome(WriteOnceModel):
    review = models.ForeignKey(
        PreconditionReview, on_delete=models.CASCADE, related_name="outcomes"
    )
    rule = models.ForeignKey(
        PreconditionRule,
        on_delete=models.SET_NULL,
        null=True,
        related_name="outcomes",
        verbose_name=_("randvoorwaarde"),
    )
    code = models.SlugField(_("code"), max_length=64)
    label = models.CharField(_("randvoorwaarde"), max_length=200)
    hard = models.BooleanField(_("hard"))
    proposed = models.CharField(
        _("voorstel"), max_length=16, choices=OutcomeChoice.choices
    )
    proposal_reason = models.TextField(_("reden van het voorstel"))
    confirmed = models.CharField(
        _("uitkomst"), max_length=16, choices=OutcomeChoice.choices
    )
    motivation = models.TextField(_("motivering"), blank=True)

    class Meta:
        verbose_name = _("uitkomst randvoorwaarde")
        verbose_name_plural = _("uitkomsten randvoorwaarden")
        ordering = ["review", "pk"]

    def __str__(self):
        return f"{self.code}: {self.confirmed}"

    @property
    def overridden(self):
        return self.proposed != self.confirmed

    @property
    def reason(self):
        return self.motivation or self.proposal_reason


# --- rubrics ----------------------------------------------------------------------


class RubricQuerySet(models.QuerySet):
    def current_for(self, scheme):
        return self.filter(scheme=scheme).order_by("-version").first()


class Rubric(models.Model):
    scheme = models.ForeignKey(
        Scheme,
        on_delete=models.PROTECT,
        related_name="rubrics",
        verbose_name=_("regeling"),
    )
    version = models.PositiveSmallIntegerField(_("versie"))
    note = models.TextField(_("wat is er veranderd"), blank=True)
    created_at = models.DateTimeField(_("gemaakt op"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gemaakt door"),
    )

    objects = RubricQuerySet.as_manager()

    class Meta:
        verbose_name = _("beoordelingsmatrix")
        verbose_name_plural = _("beoordelingsmatrices")
        ordering = ["scheme", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "version"], name="unique_rubric_version"
            )
        ]

    def __str__(self):
        return f"{self.scheme} v{self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ImmutableRecordError(
                "A rubric version cannot be changed; publish a new version."
            )
        super().save(*args, **kwargs)

    def to_pure(self, criteria=None):
        """The ``scoring.Rubric`` of this version (pass ``criteria`` if prefetched)."""
        rows = criteria if criteria is not None else self.criteria.all()
        return scoring.Rubric(
            version=self.version,
            criteria=tuple(
                scoring.Criterion(c.code, c.name, c.weight, c.knockout) for c in rows
            ),
        )


class RubricCriterion(models.Model):
    rubric = models.ForeignKey(
        Rubric, on_delete=models.CASCADE, related_name="criteria"
    )
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("criterium"), max_length=300)
    anchor = models.TextField(_("wat hoort bij een 4 (sterk)"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("gewicht"), validators=[MinValueValidator(1)]
    )
    knockout = models.BooleanField(
        _("knock-out"),
        default=False,
        help_text=_("Een 0 op dit criterium betekent afwijzen."),
    )
    sort_order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("criterium")
        verbose_name_plural = _("criteria")
        ordering = ["rubric", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rubric", "code"], name="unique_criterion_code_per_rubric"
            ),
            models.CheckConstraint(
                condition=models.Q(weight__gte=1), name="criterion_weight_positive"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ImmutableRecordError(
                "A criterion of a published rubric cannot be changed; publish a "
                "new version."
            )
        super().save(*args, **kwargs)


# --- teams ------------------------------------------------------------------------


class Team(models.Model):
    name = models.CharField(_("naam"), max_length=128, unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="assessment_teams",
        blank=True,
        # Wagtail's user form never sets is_staff: the group makes an assessor.
        limit_choices_to={"groups__name": ASSESSOR},
        verbose_name=_("leden"),
    )
    wijken = models.ManyToManyField(
        Wijk,
        related_name="assessment_teams",
        blank=True,
        verbose_name=_("wijken"),
    )
    schemes = models.ManyToManyField(
        Scheme,
        related_name="assessment_teams",
        blank=True,
        verbose_name=_("regelingen"),
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self):
        return self.name


# --- the assessment of one application --------------------------------------------


class AssessmentSummary(models.Model):
    application = models.OneToOneField(
        Application,
        on_delete=models.CASCADE,
        related_name="assessment_summary",
        verbose_name=_("aanvraag"),
    )
    rubric = models.ForeignKey(
        Rubric,
        on_delete=models.PROTECT,
        related_name="summaries",
        verbose_name=_("beoordelingsmatrix"),
    )
    impact_score = models.DecimalField(
        _("impactscore"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    proposed_cents = models.PositiveBigIntegerField(
        _("voorgesteld bedrag (cent)"), null=True, blank=True
    )
    percent = models.PositiveSmallIntegerField(
        _("percentage van de band"), null=True, blank=True
    )
    rejected = models.BooleanField(
        _("kan niet worden gehonoreerd"),
        default=False,
        help_text=_(
            "Een knock-out of onvoldoende impact: de besluitvormer wijst af met de "
            "reden hieronder."
        ),
    )
    knocked_out = models.BooleanField(_("knock-out"), default=False)
    reason_code = models.CharField(
        _("reden (code)"), max_length=32, choices=ReasonCodeChoice.choices, blank=True
    )
    reason_text = models.TextField(_("reden voor de brief"), blank=True)
    completed_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("afgerond door"),
    )

    class Meta:
        verbose_name = _("uitkomst beoordeling")
        verbose_name_plural = _("uitkomsten beoordeling")

    def __str__(self):
        return f"{self.application_id}: {self.impact_score}"


class AssessmentQuerySet(models.QuerySet):
    def counting(self):
        """Assessments that count: the assessor did not recuse."""
        return self.filter(conflict=False)

    def submitted(self):
        return self.counting().filter(submitted_at__isnull=False)


class Assessment(models.Model):
    class State(models.TextChoices):
        AWAITING_DECLARATION = "verklaring", _("Wacht op verklaring belangen")
        DRAFT = "concept", _("Scores in concept")
        SUBMITTED = "ingediend", _("Scores ingediend")
        RECUSED = "teruggetrokken", _("Teruggetrokken (belangenconflict)")

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("aanvraag"),
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("beoordelaar"),
    )
    rubric = models.ForeignKey(
        Rubric,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("beoordelingsmatrix"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("toegewezen door"),
    )
    assigned_at = models.DateTimeField(_("toegewezen op"))
    declared_at = models.DateTimeField(
        _("belangen verklaard op"), null=True, blank=True
    )
    conflict = models.BooleanField(_("belangenconflict"), default=False)
    conflict_reason = models.TextField(_("reden belangenconflict"), blank=True)
    advice = models.TextField(_("advies"), blank=True)
    submitted_at = models.DateTimeField(_("ingediend op"), null=True, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("beoordeling")
        verbose_name_plural = _("beoordelingen")
        ordering = ["application", "assigned_at", "pk"]
        permissions = [
            (
                "view_all_applications",
                _("Kan alle aanvragen in de werkvoorraad zien (alleen lezen)"),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "assessor"],
                name="one_assessment_per_assessor",
            )
        ]

    def __str__(self):
        return f"{self.application_id}: {self.assessor}"

    @property
    def state(self):
        if self.conflict:
            return self.State.RECUSED
        if self.submitted_at is not None:
            return self.State.SUBMITTED
        if self.declared_at is not None:
            return self.State.DRAFT
        return self.State.AWAITING_DECLARATION

    @property
    def state_label(self):
        return self.State(self.state).label

    @property
    def is_submitted(self):
        return self.submitted_at is not None and not self.conflict

    @property
    def may_score(self):
        return (
            self.declared_at is not None
            and not self.conflict
            and self.submitted_at is None
        )


class Score(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        RubricCriterion,
        on_delete=models.PROTECT,
        related_name="scores",
        verbose_name=_("criterium"),
    )
    score = models.PositiveSmallIntegerField(
        _("score"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(scoring.SCORE_MIN),
            MaxValueValidator(scoring.SCORE_MAX),
        ],
    )
    motivation = models.TextField(_("motivering"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["assessment", "criterion__sort_order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="one_score_per_criterion"
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True)
                | models.Q(score__gte=scoring.SCORE_MIN, score__lte=scoring.SCORE_MAX),
                name="score_on_the_scale",
            ),
        ]

    def __str__(self):
        return f"{self.criterion.code}: {self.score}"


class ConsensusStatus(models.TextChoices):
    PROPOSED = "voorstel", _("Voorstel: wacht op de andere beoordelaar")
    AGREED = "akkoord", _("Afgesproken door beide beoordelaars")
    DISAGREED = "oneens", _("Niet overgenomen door de andere beoordelaar")
    DECIDED = "derde", _("Besloten door een derde beoordelaar")


#: A consensus note in one of these states counts as the agreed score.
CONSENSUS_FINAL = (ConsensusStatus.AGREED, ConsensusStatus.DECIDED)
#: The fields the other assessor's answer fills in on a proposal, once.
CONSENSUS_RESPONSE_FIELDS = frozenset(
    {"status", "responded_by", "responded_at", "response"}
)


class ConsensusNote(WriteOnceModel):
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="consensus_notes",
        verbose_name=_("aanvraag"),
    )
    criterion = models.ForeignKey(
        RubricCriterion,
        on_delete=models.PROTECT,
        related_name="consensus_notes",
        verbose_name=_("criterium"),
    )
    score = models.PositiveSmallIntegerField(
        _("afgesproken score"),
        validators=[
            MinValueValidator(scoring.SCORE_MIN),
            MaxValueValidator(scoring.SCORE_MAX),
        ],
    )
    note = models.TextField(_("toelichting"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"))
    status = models.CharField(
        _("stand"),
        max_length=16,
        choices=ConsensusStatus.choices,
        default=ConsensusStatus.PROPOSED,
    )
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beantwoord door"),
    )
    responded_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    response = models.TextField(_("antwoord"), blank=True)

    class Meta:
        verbose_name = _("consensus")
        verbose_name_plural = _("consensus")
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion"],
                condition=models.Q(status__in=CONSENSUS_FINAL),
                name="one_consensus_per_criterion",
            ),
            models.UniqueConstraint(
                fields=["application", "criterion"],
                condition=models.Q(status=ConsensusStatus.PROPOSED),
                name="one_open_consensus_proposal",
            ),
        ]

    def __str__(self):
        return f"{self.application_id} {self.criterion.code}: {self.score}"

    def save(self, *args, **kwargs):
        """A proposal is answered once (agree or disagree); nothing else changes."""
        update_fields = kwargs.get("update_fields")
        if (
            self.pk is not None
            and not self._state.adding
            and update_fields
            and set(update_fields) <= CONSENSUS_RESPONSE_FIELDS
        ):
            if not ConsensusNote.objects.filter(
                pk=self.pk, status=ConsensusStatus.PROPOSED
            ).exists():
                raise ImmutableRecordError("An answered consensus cannot be changed.")
            return models.Model.save(self, *args, **kwargs)
        return super().save(*args, **kwargs)


class AssessmentEvent(WriteOnceModel):
    class Kind(models.TextChoices):
        ASSIGNED = "toegewezen", _("Beoordelaar toegewezen")
        DECLARED = "verklaard", _("Geen belangenconflict verklaard")
        RECUSED = "teruggetrokken", _("Teruggetrokken wegens belangenconflict")
        PRECONDITIONS = "randvoorwaarden", _("Randvoorwaarden getoetst")
        SUPPLEMENT = "aanvulling", _("Aanvulling gevraagd")
        SUBMITTED = "scores", _("Scores ingediend")
        DISAGREEMENT = "verschil", _("Verschil van 2 punten of meer")
        CONSENSUS_PROPOSED = "consensus_voorstel", _("Consensus voorgesteld")
        CONSENSUS = "consensus", _("Consensus afgesproken door beide beoordelaars")
        CONSENSUS_DISAGREED = (
            "consensus_oneens",
            _("Consensusvoorstel niet overgenomen"),
        )
        CONSENSUS_THIRD = "consensus_derde", _("Consensus besloten door een derde")
        COMPLETED = "afgerond", _("Beoordeling afgerond")
        FOUR_EYES_REFUSED = "4ogen_geweigerd", _("Vier ogen: toekenning geweigerd")
        FOUR_EYES_SENT_BACK = (
            "4ogen_teruggestuurd",
            _("Vier ogen: teruggestuurd naar de eerste besluitvormer"),
        )
        FOUR_EYES_RESUBMITTED = "4ogen_opnieuw", _("Vier ogen: opnieuw voorgelegd")
        FOUR_EYES_WITHDRAWN = "4ogen_ingetrokken", _("Vier ogen: voorstel ingetrokken")

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="assessment_events",
        verbose_name=_("aanvraag"),
    )
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
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
    text = models.TextField(_("toelichting"), blank=True)

    class Meta:
        verbose_name = _("gebeurtenis beoordeling")
        verbose_name_plural = _("gebeurtenissen beoordeling")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.application_id}: {self.kind}"
