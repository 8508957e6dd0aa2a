"""Reads for the assessment screens: who sees what, the queue, facts and scores.

Who sees which application (``applications_visible_to``)
    Concepts are never shown. A superuser, or a user with
    ``beoordeling.view_all_applications`` (Besluitvormer, Beheerder), sees every
    submitted application; unless they also hold ``subsidies.assess_application`` the
    screens are read-only for them. An assessor (``subsidies.assess_application``) sees
    an application when they are assigned to it, or when its wijk or its scheme belongs
    to one of their teams. Anyone else sees nothing. Acting on an application
    (``may_act``) needs the assessor permission and no recusal on that application.

Whose scores are shown (``scores_visible_to``)
    Assessors score independently. An assigned assessor sees the other scores only once
    they have submitted their own, and never after recusing. An assessor who is not
    assigned sees them once the assessment is complete. Decision makers and
    administrators, who do not score, see every submitted score. Drafts are shown to
    their author only.

Deadlines (``deadline_state``)
    The decision clock runs in ``ingediend``, ``in_beoordeling`` and ``beoordeeld``:
    past ``decision_due_at`` is overdue, within ``DUE_SOON_DAYS`` is due soon. While an
    aanvulling is awaited the clock stands still; once the hersteltermijn has passed,
    the application can be set aside.
"""

import operator
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from enum import StrEnum
from functools import reduce

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import ASSESS_APPLICATION, ASSESSOR, VIEW_ALL_APPLICATIONS
from subsidies.models import Application, ApplicationAssistance
from subsidies.services_assisted import assisted
from subsidies.workflow import CLOCK_RUNNING_STATES, OPEN_STATES, Status

from .. import scoring
from ..models import (
    CONSENSUS_FINAL,
    Assessment,
    AssessmentSummary,
    ConsensusNote,
    PreconditionReview,
    PreconditionRule,
    Rubric,
    Score,
    Team,
)

DUE_SOON_DAYS = 7


# --- who may see and do what ------------------------------------------------------


def can_see_all(user):
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm(VIEW_ALL_APPLICATIONS))
    )


def is_assessor(user):
    return bool(
        user.is_authenticated and user.is_active and user.has_perm(ASSESS_APPLICATION)
    )


def applications_visible_to(user):
    """The submitted applications ``user`` may see in the assessment screens."""
    applications = Application.objects.submitted()
    if can_see_all(user):
        return applications
    if not is_assessor(user):
        return applications.none()
    teams = Team.objects.filter(members=user)
    return applications.filter(
        Q(pk__in=Assessment.objects.filter(assessor=user).values("application_id"))
        | Q(wijk__in=teams.values("wijken"))
        | Q(round__scheme__in=teams.values("schemes"))
    )


def has_recused(user, application):
    return Assessment.objects.filter(
        application=application, assessor=user, conflict=True
    ).exists()


def may_act(user, application):
    """May ``user`` check, ask for an aanvulling, assign or complete? (not: score)."""
    return is_assessor(user) and not stands_aside(user, application)


def stands_aside(user, application):
    """Awb 2:4: ``user`` declared a conflict of interest, or filled in the application
    for the resident at the wijkbureau; either way they do not handle it."""
    return has_recused(user, application) or assisted(application, user)


# --- the workflow steps this user is offered ---------------------------------------
# django-fsm decides which transitions exist from the current status, which guards
# hold and which permission each needs; the screens add only the team rule (an
# application outside the user's work answers 404, ``applications_visible_to``) and
# the recusal rule below.


def offered_transitions(user, application):
    """The transitions django-fsm offers ``user`` now, minus the recusal rule.

    ``get_available_user_status_transitions``: the source, every guard and the
    permission in one call. An assessor who recused, or who filled the application
    in at the wijkbureau, is offered none.
    """
    if stands_aside(user, application):
        return frozenset()
    return frozenset(
        t.name for t in application.get_available_user_status_transitions(user)
    )


def steps_within_reach(user, application):
    """The transitions from the current status that ``user`` may fire, guards aside.

    For the steps whose own form records the facts the guard reads: the
    randvoorwaarden (``accept``/``reject_preconditions`` read ``preconditions_met``)
    and completing (``complete_assessment`` reads the impact score it writes).
    Source and permission still come from django-fsm; recusal removes them all.
    """
    if stands_aside(user, application):
        return frozenset()
    return frozenset(
        t.name
        for t in application.get_all_status_transitions()
        if t.source == application.status and t.has_perm(application, user)
    )


# --- the queue and the dashboard --------------------------------------------------


class Task(StrEnum):
    """The assessor's piles of work, as a queue filter."""

    CHECK = "controleren"
    WAITING = "aanvulling"
    SCORE = "scoren"
    DECIDE = "besluiten"

    @property
    def label(self):
        return {
            Task.CHECK: _("Randvoorwaarden toetsen"),
            Task.WAITING: _("Wacht op aanvulling"),
            Task.SCORE: _("Impact scoren"),
            Task.DECIDE: _("Klaar voor besluit"),
        }[self]

    @property
    def status(self):
        return {
            Task.CHECK: Status.SUBMITTED,
            Task.WAITING: Status.SUPPLEMENT_REQUESTED,
            Task.SCORE: Status.IN_ASSESSMENT,
            Task.DECIDE: Status.ASSESSED,
        }[self]


class Deadline(StrEnum):
    OVERDUE = "verlopen"
    SOON = "binnenkort"
    RUNNING = "lopend"
    PAUSED = "stilgezet"
    TERM_EXPIRED = "hersteltermijn_verlopen"
    NONE = ""

    @property
    def label(self):
        return {
            Deadline.OVERDUE: _("Beslistermijn verlopen"),
            Deadline.SOON: _("Beslistermijn binnen %(days)s dagen")
            % {"days": DUE_SOON_DAYS},
            Deadline.RUNNING: _("Beslistermijn loopt"),
            Deadline.PAUSED: _("Termijn staat stil (aanvulling)"),
            Deadline.TERM_EXPIRED: _("Hersteltermijn verlopen"),
            Deadline.NONE: "",
        }[self]


@dataclass(frozen=True)
class _DeadlineRule:
    """One row of the deadline rule: an application in one of ``statuses`` whose
    ``due`` field lies in [now + ``from_days``, now + ``to_days``) (an open end for
    None) is in ``state``; ``when_missing`` says whether an empty ``due`` counts."""

    state: Deadline
    statuses: frozenset
    due: str
    from_days: int | None
    to_days: int | None
    when_missing: bool = False

    def q(self, now):
        """The rule as a database filter."""
        window = Q(**{f"{self.due}__isnull": False})
        if self.from_days is not None:
            window &= Q(**{f"{self.due}__gte": now + timedelta(days=self.from_days)})
        if self.to_days is not None:
            window &= Q(**{f"{self.due}__lt": now + timedelta(days=self.to_days)})
        if self.when_missing:
            window |= Q(**{f"{self.due}__isnull": True})
        return Q(status__in=self.statuses) & window

    def matches(self, application, now):
        """The same rule for one application in memory."""
        if application.status not in self.statuses:
            return False
        due = getattr(application, self.due)
        if due is None:
            return self.when_missing
        if self.from_days is not None and due < now + timedelta(days=self.from_days):
            return False
        return self.to_days is None or due < now + timedelta(days=self.to_days)


_AWAITING = frozenset({Status.SUPPLEMENT_REQUESTED})

#: The deadline rule, once: the database filter (``deadline_q``) and the state of one
#: application (``deadline_state``) are both read from these rows, so a change is
#: made here only. An application matching none of them has ``Deadline.NONE``
#: (decided, a concept, or a running clock without a due date yet).
DEADLINE_RULES = (
    _DeadlineRule(Deadline.OVERDUE, CLOCK_RUNNING_STATES, "decision_due_at", None, 0),
    _DeadlineRule(
        Deadline.SOON, CLOCK_RUNNING_STATES, "decision_due_at", 0, DUE_SOON_DAYS
    ),
    _DeadlineRule(
        Deadline.RUNNING, CLOCK_RUNNING_STATES, "decision_due_at", DUE_SOON_DAYS, None
    ),
    _DeadlineRule(Deadline.TERM_EXPIRED, _AWAITING, "supplement_due_at", None, 0),
    _DeadlineRule(
        Deadline.PAUSED, _AWAITING, "supplement_due_at", 0, None, when_missing=True
    ),
)


def deadline_q(state, *, now):
    """The queryset filter for one deadline state (for the queue and the dashboard),
    read from ``DEADLINE_RULES``; ``Deadline.NONE`` is every application no rule
    matches (tests/beoordeling/assessment/test_deadline_rule.py holds that every
    application matches exactly the filter of the state ``deadline_state`` gives)."""
    if state == Deadline.NONE:
        return ~reduce(operator.or_, (rule.q(now) for rule in DEADLINE_RULES))
    return next(rule.q(now) for rule in DEADLINE_RULES if rule.state == state)


def deadline_state(application, *, now=None):
    """The deadline state of one application: the first of ``DEADLINE_RULES`` it
    matches, or ``Deadline.NONE``."""
    now = now or timezone.now()
    return next(
        (rule.state for rule in DEADLINE_RULES if rule.matches(application, now)),
        Deadline.NONE,
    )


def _queue_visible_to(user):
    """``applications_visible_to(user)`` written for a long queue: the same rows.

    The same three conditions OR-ed in another order: the team's wijken and
    regelingen first (a hashed list of a few ids each), the user's own assessments
    last. PostgreSQL builds a hashed subplan only when a row gets that far, so for an
    assessor whose team covers the rows the hash of all her assessments is never
    built; in the general order it was built first, for the paginator's COUNT and
    again for the page, and at 100,000 applications that was most of the page's time.
    (A correlated EXISTS instead of IN raised the COUNT's estimated cost past
    PostgreSQL's JIT threshold and spent more on compiling than it saved.)
    test_queue_visibility holds the queue to the rule's rows.
    """
    applications = Application.objects.submitted()
    if can_see_all(user):
        return applications
    if not is_assessor(user):
        return applications.none()
    teams = Team.objects.filter(members=user)
    return applications.filter(
        Q(wijk__in=teams.values("wijken"))
        | Q(round__scheme__in=teams.values("schemes"))
        | Q(pk__in=Assessment.objects.filter(assessor=user).values("application_id"))
    )


def queue(user):
    """The queue rows: related objects loaded in a fixed number of queries."""
    return (
        _queue_visible_to(user)
        .select_related("round__scheme", "wijk", "applicant")
        .prefetch_related(
            Prefetch(
                "assessments",
                queryset=Assessment.objects.select_related("assessor").order_by(
                    "assigned_at", "pk"
                ),
            )
        )
    )


@dataclass(frozen=True)
class DeadlineOverview:
    overdue: int
    due_soon: int
    term_expired: int
    urgent: list


def deadline_overview(user, *, now=None, limit=8):
    """Counts of overdue and nearly due applications and the most urgent ones."""
    now = now or timezone.now()
    visible = applications_visible_to(user)
    overdue = deadline_q(Deadline.OVERDUE, now=now)
    soon = deadline_q(Deadline.SOON, now=now)
    expired = deadline_q(Deadline.TERM_EXPIRED, now=now)
    counts = visible.aggregate(
        overdue=Count("pk", filter=overdue),
        soon=Count("pk", filter=soon),
        expired=Count("pk", filter=expired),
    )
    urgent = list(
        visible.filter(overdue | soon | expired)
        .select_related("round__scheme", "wijk")
        .order_by("decision_due_at", "supplement_due_at", "pk")[:limit]
    )
    for application in urgent:
        application.deadline = deadline_state(application, now=now)
    return DeadlineOverview(
        overdue=counts["overdue"],
        due_soon=counts["soon"],
        term_expired=counts["expired"],
        urgent=urgent,
    )


# --- the application's own data ---------------------------------------------------


def application_for_detail(user, pk):
    """The application with everything the detail screen shows, or DoesNotExist."""
    return (
        applications_visible_to(user)
        .select_related("round__scheme", "wijk", "applicant", "question_set")
        .prefetch_related(
            "budget_lines",
            "other_funding",
            "partners",
            "documents",
            "buurten",
            "target_groups",
            "themes",
            "supplement_requests__requested_by",
            "transition_log",
        )
        .get(pk=pk)
    )


# --- randvoorwaarden --------------------------------------------------------------


def latest_precondition_review(application):
    return (
        PreconditionReview.objects.filter(application=application)
        .select_related("reviewer")
        .prefetch_related("outcomes")
        .order_by("-reviewed_at", "-pk")
        .first()
    )


@dataclass(frozen=True)
class PublicPrecondition:
    """A randvoorwaarde as the public scheme page shows it."""

    label: str
    hard: bool


def public_preconditions(scheme):
    """The scheme's active randvoorwaarden in the assessors' order, in one query.

    These are the rules assessors apply, so the scheme page cannot promise other ones.
    Only the residents' wording (``public_text``, else the label) and whether the
    rule is hard go out: the description is written for the assessor.
    """
    rows = (
        PreconditionRule.objects.filter(scheme=scheme, active=True)
        .order_by("sort_order", "pk")
        .values_list("public_text", "label", "hard")
    )
    return [
        PublicPrecondition(label=text or label, hard=hard) for text, label, hard in rows
    ]


# --- scores -----------------------------------------------------------------------


@dataclass
class AssessmentState:
    """Everything the scores of one application add up to, computed once.

    ``raw`` aggregates the submitted scores as given; ``open_disagreements`` are its
    flagged criteria without an agreed consensus (both assessors, or a third). ``final`` aggregates with the agreed
    consensus score in place of both assessors' scores on such criteria; it is what
    the impact score and the amount come from.
    """

    summary: AssessmentSummary | None
    rubric: Rubric | None
    criteria: list
    assessments: list
    submitted: list
    required: int
    consensus: dict = field(default_factory=dict)
    raw: scoring.Aggregate | None = None
    final: scoring.Aggregate | None = None
    open_disagreements: tuple = ()

    @property
    def enough_submitted(self):
        return len(self.submitted) >= self.required

    @property
    def complete_possible(self):
        return (
            self.enough_submitted
            and self.final is not None
            and not self.open_disagreements
        )


def _runs(submitted, criteria, consensus):
    runs = []
    for assessment in submitted:
        given = {s.criterion_id: s for s in assessment.scores.all()}
        run = []
        for criterion in criteria:
            agreed = consensus.get(criterion.code)
            if agreed is not None:
                run.append(
                    scoring.CriterionScore(criterion.code, agreed.score, agreed.note)
                )
            else:
                score = given[criterion.pk]
                run.append(
                    scoring.CriterionScore(
                        criterion.code, score.score, score.motivation
                    )
                )
        runs.append(run)
    return runs


def assessment_state(application):
    """Load and combine the assessments of one application."""
    summary = (
        AssessmentSummary.objects.filter(application=application)
        .select_related("rubric")
        .first()
    )
    assessments = list(
        Assessment.objects.filter(application=application)
        .select_related("assessor")
        .prefetch_related(
            Prefetch("scores", queryset=Score.objects.select_related("criterion"))
        )
        .order_by("assigned_at", "pk")
    )
    rubric = summary.rubric if summary else None
    criteria = list(rubric.criteria.all()) if rubric else []
    submitted = [a for a in assessments if a.is_submitted]
    state = AssessmentState(
        summary=summary,
        rubric=rubric,
        criteria=criteria,
        assessments=assessments,
        submitted=submitted,
        required=application.round.scheme.assessors_required,
    )
    if not (rubric and submitted):
        return state
    state.consensus = {
        note.criterion.code: note
        for note in ConsensusNote.objects.filter(
            application=application, status__in=CONSENSUS_FINAL
        ).select_related("criterion", "recorded_by", "responded_by")
    }
    pure = rubric.to_pure(criteria)
    state.raw = scoring.aggregate(pure, _runs(submitted, criteria, {}))
    state.open_disagreements = tuple(
        code for code in state.raw.disagreements if code not in state.consensus
    )
    state.final = scoring.aggregate(pure, _runs(submitted, criteria, state.consensus))
    return state


def scores_visible_to(user, application, assessments):
    """May ``user`` see the submitted scores of others? (see the module docstring)."""
    own = next((a for a in assessments if a.assessor_id == user.pk), None)
    if own is not None:
        return own.is_submitted
    if can_see_all(user):
        return True
    return application.status not in OPEN_STATES


@dataclass(frozen=True)
class ScoreCell:
    assessor: object
    score: int | None
    motivation: str
    draft: bool = False


@dataclass(frozen=True)
class CriterionRow:
    criterion: object
    cells: tuple
    mean: Decimal | None
    disagreement: bool
    consensus: object


def score_table(state, user, application):
    """Rows per criterion with the scores ``user`` may see, plus whether others show."""
    visible = scores_visible_to(user, application, state.assessments)
    shown = [
        a
        for a in state.assessments
        if (a.is_submitted and visible) or (a.assessor_id == user.pk and not a.conflict)
    ]
    results = {r.code: r for r in state.raw.criteria} if state.raw and visible else {}
    rows = []
    for criterion in state.criteria:
        cells = []
        for assessment in shown:
            score = next(
                (s for s in assessment.scores.all() if s.criterion_id == criterion.pk),
                None,
            )
            cells.append(
                ScoreCell(
                    assessor=assessment.assessor,
                    score=score.score if score else None,
                    motivation=score.motivation if score else "",
                    draft=not assessment.is_submitted,
                )
            )
        result = results.get(criterion.code)
        rows.append(
            CriterionRow(
                criterion=criterion,
                cells=tuple(cells),
                mean=result.mean if result else None,
                disagreement=bool(result and result.disagreement),
                consensus=state.consensus.get(criterion.code) if visible else None,
            )
        )
    return rows, shown, visible


# --- assignment -------------------------------------------------------------------


def assessor_candidates(application):
    """Active assessors not yet assigned to the application, team members first;
    never whoever filled it in for the resident at the wijkbureau."""
    user_model = get_user_model()
    covering = Team.objects.filter(members=OuterRef("pk")).filter(
        Q(wijken=application.wijk_id) | Q(schemes=application.round.scheme_id)
    )
    assessors = user_model.objects.filter(
        Q(groups__name=ASSESSOR) | Q(is_superuser=True)
    ).values("pk")
    return (
        user_model.objects.filter(is_active=True, pk__in=assessors)
        .exclude(assessments__application=application)
        .exclude(
            pk__in=ApplicationAssistance.objects.filter(application=application).values(
                "assisted_by"
            )
        )
        .annotate(in_team=Exists(covering))
        .order_by("-in_team", "first_name", "last_name", "email")
    )
