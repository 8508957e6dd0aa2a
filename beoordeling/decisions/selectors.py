"""Reads for the allocation and decision screens: budgets, candidates, runs, letters.

The ceiling (subsidieplafond) of a round is committed by every application that is
awarded (``toegekend``) and by every application a fixed allocation honoured that
still waits for its four-eyes approval (``beoordeeld`` with outcome ``gehonoreerd``):
that money is reserved the moment the run is fixed, so no later decision can spend it.

The reserve for bezwaren (``Round.objection_reserve_cents``) is part of the ceiling
that the allocation runs and the decisions in order of receipt leave alone: what they
may spend (``RoundBudget.remaining_cents``) is the ceiling minus the committed money
minus the part of the reserve that decided well-founded bezwaren have not used yet
(their ``Objection.cost_cents``). A bezwaar pays from that reserve first; the ceiling
guard (``subsidies.rounds.ceiling_guard``) still caps everything together.

Fair share (domain brief §4.7): a wijk's share of the city's need is its
``fair_share_weight`` divided by the sum of the weights. On a run's screen each wijk's
awarded money is set against that share of the money awarded in the round; below half
of it the wijk is marked under-represented, above one and a half times over-represented.
"""

import hashlib
import json
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from subsidies.models import AllocationRule, Application, OutgoingMail, Round, Wijk
from subsidies.models.rules import rule_for_submission
from subsidies.workflow import DECIDED_STATES, Status

from ..allocation import REASON_TEXTS
from ..models import (
    RELEASED_STATES,
    AllocationReason,
    AllocationResult,
    AllocationRun,
    AssessmentEvent,
    Decision,
    LetterBatch,
    Objection,
    ReviewState,
    RunKind,
    RunStatus,
)
from ..objections.workflow import ObjectionState, Outcome

UNDER_REPRESENTED = Decimal("0.5")
OVER_REPRESENTED = Decimal("1.5")

#: The reason of every outcome in words, for the screens (the letters add more).
REASON_SENTENCES = {
    AllocationReason.FLOOR: _(
        "Toegekend: de wijk had haar gegarandeerde minimum nog niet bereikt."
    ),
    AllocationReason.RANK: _(
        "Toegekend: de aanvraag was aan de beurt en er was genoeg geld over."
    ),
    AllocationReason.PARTIAL: _(
        "Deels toegekend: het geld dat nog over was, en daarna stopt de verdeling."
    ),
    AllocationReason.BUDGET: _(
        "Niet toegekend: er was niet genoeg geld meer over toen de aanvraag aan de beurt was."
    ),
    AllocationReason.CAP: _(
        "Niet toegekend: met deze aanvraag zou de wijk boven haar maximum komen."
    ),
    AllocationReason.ZERO_AMOUNT: _(
        "Niet toegekend: het bedrag is 0 euro (onvoldoende impact of een knock-out)."
    ),
}


def reason_sentence(reason):
    return REASON_SENTENCES[AllocationReason(reason)]


def reason_letter_text(reason):
    """The fragment that completes the letter sentence '... omdat <text>.'"""
    return REASON_TEXTS[str(reason)]


# --- budget -------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundBudget:
    ceiling_cents: int
    committed_cents: int
    committed_by_wijk: dict
    awaiting_approval_cents: int
    #: The round's reserve for well-founded bezwaren, and what decided ones used of it.
    objection_reserve_cents: int = 0
    objection_used_cents: int = 0

    @property
    def reserve_left_cents(self):
        """The part of the reserve no decided bezwaar has used (never negative)."""
        return max(0, self.objection_reserve_cents - self.objection_used_cents)

    @property
    def available_cents(self):
        """What is left under the ceiling, the unused reserve included."""
        return max(0, self.ceiling_cents - self.committed_cents)

    @property
    def remaining_cents(self):
        """What an allocation run or a decision in order of receipt may still spend:
        the ceiling minus the committed money minus the unused reserve."""
        return max(0, self.available_cents - self.reserve_left_cents)


def objection_reserve_used(round, *, at=None):
    """The money decided well-founded bezwaren of ``round`` added to its commitments
    (those decided up to ``at`` when given: what a fixed run found used)."""
    objections = Objection.objects.filter(
        application__round=round,
        state=ObjectionState.DECIDED,
        outcome=Outcome.WELL_FOUNDED,
    )
    if at is not None:
        objections = objections.filter(decided_at__lte=at)
    return objections.aggregate(used=Sum("cost_cents", default=0))["used"]


def round_budget(round):
    """The committed money per wijk (``ApplicationQuerySet.committed_sums``)."""
    rows = (
        Application.objects.filter(round=round)
        .committed()
        .values("wijk_id")
        .annotate(**Application.objects.committed_sums())
        .order_by()
    )
    by_wijk = {row["wijk_id"]: row["awarded"] + row["reserved"] for row in rows}
    waiting = sum(row["reserved"] for row in rows)
    return RoundBudget(
        ceiling_cents=round.ceiling_cents,
        committed_cents=sum(by_wijk.values()),
        committed_by_wijk=by_wijk,
        awaiting_approval_cents=waiting,
        objection_reserve_cents=round.objection_reserve_cents,
        objection_used_cents=objection_reserve_used(round),
    )


# --- candidates and parameters ---------------------------------------------------------


def allocation_candidates(round):
    """Assessed applications of the round that no fixed allocation has decided yet."""
    return (
        Application.objects.filter(
            round=round, status=Status.ASSESSED, allocation_outcome=""
        )
        .select_related("wijk", "applicant")
        .order_by("pk")
    )


def allocation_group(round, at=None):
    """The candidates the next round run decides, with the version of the verdeelregel
    that applies to them, as ``(rule, applications)``.

    Awb 4:27 lid 2: a version published after an application was submitted has no
    effect on it; each application is decided by the version in force when it was
    submitted (``rule_for_submission``). One run applies one version, so it takes the
    applications of the oldest version among the candidates; those of a later version
    follow in the next run. ``rule`` is None when no version is published yet.
    """
    at = at or timezone.now()
    rules = list(AllocationRule.objects.filter(round=round, published_at__lte=at))
    candidates = list(allocation_candidates(round))
    if not rules:
        return None, candidates
    groups = {}
    for application in candidates:
        rule = rule_for_submission(rules, application.submitted_at)
        groups.setdefault(rule, []).append(application)
    if not groups:
        return max(rules, key=lambda rule: rule.version), []
    rule = min(groups, key=lambda rule: rule.version)
    return rule, groups[rule]


def fair_shares():
    """Each wijk with its share of the city's need, as a fraction summing to 1."""
    wijken = list(Wijk.objects.order_by("sort_order", "name"))
    total = sum((w.fair_share_weight for w in wijken), Decimal(0))
    return [(w, (w.fair_share_weight / total) if total else Decimal(0)) for w in wijken]


def _cents_share(cents, share):
    return int((Decimal(cents) * share).to_integral_value(rounding=ROUND_DOWN))


@dataclass(frozen=True)
class WijkDefault:
    wijk: Wijk
    fair_share: Decimal
    floor_cents: int
    cap_cents: int | None
    committed_cents: int

    @property
    def fair_share_percent(self):
        return (self.fair_share * 100).quantize(Decimal("0.1"))


def wijk_parameter_defaults(round, rule):
    """Per wijk, in round terms: its fair share, what it has, and the floor and cap of
    the published verdeelregel ``rule`` (what the run screen shows and the deviation
    form starts from)."""
    limits = rule.limits_by_wijk_id() if rule is not None else {}
    committed = round_budget(round).committed_by_wijk
    defaults = []
    for wijk, share in fair_shares():
        floor, cap = limits.get(wijk.pk, (0, None))
        defaults.append(
            WijkDefault(
                wijk=wijk,
                fair_share=share,
                floor_cents=floor,
                cap_cents=cap,
                committed_cents=committed.get(wijk.pk, 0),
            )
        )
    return defaults


# --- rounds -------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundRow:
    round: Round
    budget: RoundBudget
    assessed: int
    candidates: int
    decided: int
    awaiting_approval: int
    without_letter: int
    runs: int
    fixed_runs: int


def rounds_overview():
    rounds = (
        Round.objects.select_related("scheme")
        .annotate(
            assessed=Count(
                "applications", filter=Q(applications__status=Status.ASSESSED)
            ),
            candidates=Count(
                "applications",
                filter=Q(
                    applications__status=Status.ASSESSED,
                    applications__allocation_outcome="",
                ),
            ),
            decided=Count(
                "applications", filter=Q(applications__status__in=DECIDED_STATES)
            ),
        )
        .order_by("scheme__name", "-opens_at")
    )
    rows = []
    for round_ in rounds:
        runs = AllocationRun.objects.filter(round=round_, kind=RunKind.ROUND)
        rows.append(
            RoundRow(
                round=round_,
                budget=round_budget(round_),
                assessed=round_.assessed,
                candidates=round_.candidates,
                decided=round_.decided,
                awaiting_approval=awaiting_approval(round=round_).count(),
                without_letter=len(decided_without_letter(round_)),
                runs=runs.count(),
                fixed_runs=runs.filter(status=RunStatus.FIXED).count(),
            )
        )
    return rows


def round_runs(round):
    return (
        AllocationRun.objects.filter(round=round, kind=RunKind.ROUND)
        .select_related("created_by", "fixed_by")
        .annotate(
            awarded_count=Count("results", filter=Q(results__awarded=True)),
            result_count=Count("results"),
        )
        .order_by("-number")
    )


def round_runs_with_state(round):
    """The round's runs, each with ``is_stale``: a concept that can no longer be fixed."""
    rule, group = allocation_group(round)
    current = candidates_fingerprint(group, round_budget(round), round.ceiling_cents)
    runs = list(round_runs(round))
    for run in runs:
        run.is_stale = run.status == RunStatus.CONCEPT and (
            run.candidates_fingerprint != current
            or run.rule_id != (rule.pk if rule else None)
        )
    return runs


def single_decisions(round):
    return (
        AllocationResult.objects.filter(run__round=round, run__kind=RunKind.APPLICATION)
        .exclude(review_state__in=RELEASED_STATES)
        .select_related("application", "wijk", "run__created_by")
        .order_by("-run__number")
    )


def awaiting_approval(*, round=None):
    """Fixed awards above the four-eyes threshold that wait for a second decision maker."""
    results = AllocationResult.objects.filter(
        is_fixed=True,
        needs_second_approval=True,
        approved_by__isnull=True,
        review_state=ReviewState.OPEN,
        application__status=Status.ASSESSED,
    ).select_related("application__applicant", "wijk", "run__round", "run__fixed_by")
    if round is not None:
        results = results.filter(run__round=round)
    return results.order_by("run__round", "run__number", "rank")


def sent_back(*, round=None, to=None):
    """Awards the four eyes sent back, waiting for the decision maker who fixed the run
    (``to``: only those of that decision maker)."""
    results = AllocationResult.objects.filter(
        is_fixed=True,
        review_state=ReviewState.SENT_BACK,
        application__status=Status.ASSESSED,
    ).select_related(
        "application__applicant", "wijk", "run__round", "run__fixed_by", "reviewed_by"
    )
    if round is not None:
        results = results.filter(run__round=round)
    if to is not None:
        results = results.filter(run__fixed_by=to)
    return results.order_by("run__round", "run__number", "rank")


FOUR_EYES_EVENTS = (
    AssessmentEvent.Kind.FOUR_EYES_REFUSED,
    AssessmentEvent.Kind.FOUR_EYES_SENT_BACK,
    AssessmentEvent.Kind.FOUR_EYES_RESUBMITTED,
    AssessmentEvent.Kind.FOUR_EYES_WITHDRAWN,
)


def four_eyes_history(result):
    """What the four eyes did before with the application of ``result`` (any run)."""
    return AssessmentEvent.objects.filter(
        application_id=result.application_id, kind__in=FOUR_EYES_EVENTS
    ).order_by("at", "pk")


def decided_without_letter(round):
    """Ids of the round's decided applications that have no beschikking yet."""
    return list(
        Application.objects.filter(round=round, status__in=DECIDED_STATES)
        .exclude(Exists(Decision.objects.filter(application=OuterRef("pk"))))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def round_decisions(round):
    return (
        Decision.objects.filter(application__round=round)
        .select_related("application__applicant", "document")
        .order_by("kenmerk")
    )


def decision_mail(decision):
    """The outbox mail that announced ``decision`` (None when none was queued)."""
    return OutgoingMail.objects.filter(reference=decision.kenmerk).last()


def round_batches(round):
    return LetterBatch.objects.filter(round=round).select_related("created_by")


def round_fixed_by_applications(round):
    """Applications of the round decided by their own run (order of receipt)."""
    return single_decisions(round).filter(run__status=RunStatus.FIXED)


# --- one run ------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultRow:
    result: AllocationResult
    reason_label: str
    reason_sentence: str


@dataclass(frozen=True)
class WijkRow:
    wijk: Wijk
    fair_share: Decimal  # fraction
    candidates: int
    awarded_count: int
    requested_cents: int
    committed_before_cents: int
    run_awarded_cents: int
    awarded_cents: int  # committed before + this run
    fair_amount_cents: int
    floor_cents: int
    cap_cents: int | None
    ratio: Decimal | None
    flag: str  # "", "onder", "boven", "geen"

    @property
    def flag_label(self):
        return {
            "onder": _("ondervertegenwoordigd"),
            "boven": _("oververtegenwoordigd"),
            "geen": _("geen aanvragen"),
        }.get(self.flag, "")

    @property
    def fair_share_percent(self):
        return (self.fair_share * 100).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class ChartBar:
    label: str
    y: int
    awarded_width: int
    fair_x: int
    flag: str
    text: str


@dataclass(frozen=True)
class RunView:
    run: AllocationRun
    rows: list
    wijken: list
    chart: list = field(default_factory=list)
    chart_height: int = 0
    awarded_count: int = 0
    round_awarded_cents: int = 0
    is_stale: bool = False


CHART_LABEL_WIDTH = 170
CHART_BAR_WIDTH = 420
CHART_ROW = 26


def _flag(ratio, candidates, awarded):
    if candidates == 0 and awarded == 0:
        return "geen"
    if ratio is None:
        return ""
    if ratio < UNDER_REPRESENTED:
        return "onder"
    if ratio > OVER_REPRESENTED:
        return "boven"
    return ""


def wijk_rows(run, results):
    """Per wijk: the money of the round after this run against its fair share."""
    params = {p["wijk_id"]: p for p in run.wijk_parameters}
    per_wijk = {}
    for result in results:
        row = per_wijk.setdefault(result.wijk_id, [0, 0, 0, 0])
        row[0] += 1
        row[1] += 1 if result.awarded else 0
        row[2] += result.candidate_cents
        row[3] += result.amount_cents
    round_total = run.committed_cents + run.total_cents
    rows = []
    for wijk, share in fair_shares():
        candidates, count, requested, run_awarded = per_wijk.get(wijk.pk, [0, 0, 0, 0])
        param = params.get(wijk.pk, {})
        before = param.get("committed_cents", 0)
        awarded = before + run_awarded
        fair_amount = _cents_share(round_total, share)
        ratio = (
            (Decimal(awarded) / Decimal(fair_amount)).quantize(Decimal("0.01"))
            if fair_amount
            else None
        )
        rows.append(
            WijkRow(
                wijk=wijk,
                fair_share=share,
                candidates=candidates,
                awarded_count=count,
                requested_cents=requested,
                committed_before_cents=before,
                run_awarded_cents=run_awarded,
                awarded_cents=awarded,
                fair_amount_cents=fair_amount,
                floor_cents=param.get("floor_cents", 0),
                cap_cents=param.get("cap_cents"),
                ratio=ratio,
                flag=_flag(ratio, candidates, awarded),
            )
        )
    return rows


def _chart(rows):
    scale_max = max(
        [r.awarded_cents for r in rows] + [r.fair_amount_cents for r in rows] + [1]
    )
    bars = []
    for index, row in enumerate(rows):
        bars.append(
            ChartBar(
                label=row.wijk.name,
                y=index * CHART_ROW,
                awarded_width=round(CHART_BAR_WIDTH * row.awarded_cents / scale_max),
                fair_x=CHART_LABEL_WIDTH
                + round(CHART_BAR_WIDTH * row.fair_amount_cents / scale_max),
                flag=row.flag,
                text=str(row.flag_label),
            )
        )
    return bars, len(rows) * CHART_ROW


def candidates_fingerprint(candidates, budget, ceiling_cents):
    """SHA-256 of everything a round run depends on, to refuse fixing a stale run."""
    state = {
        "ceiling": ceiling_cents,
        "committed": sorted(
            budget.committed_by_wijk.items(), key=lambda item: item[0] or 0
        ),
        "candidates": [
            [
                a.pk,
                a.wijk_id,
                a.proposed_cents,
                str(a.impact_score),
                a.complete_at.isoformat() if a.complete_at else None,
            ]
            for a in sorted(candidates, key=lambda a: a.pk)
        ],
    }
    if budget.reserve_left_cents:
        # A changed reserve changes what the run may spend (absent when 0, so the
        # fingerprints of rounds without a reserve stay as they were).
        state["reserve"] = budget.reserve_left_cents
    encoded = json.dumps(state, sort_keys=True).encode()
    return hashlib.sha256(encoded).hexdigest()


def run_is_stale(run):
    """A concept run can no longer be fixed when the round changed since it was made."""
    if run.status != RunStatus.CONCEPT or run.kind != RunKind.ROUND:
        return False
    budget = round_budget(run.round)
    rule, group = allocation_group(run.round)
    current = candidates_fingerprint(group, budget, run.round.ceiling_cents)
    return current != run.candidates_fingerprint or run.rule_id != (
        rule.pk if rule else None
    )


def run_view(run):
    results = list(
        run.results.select_related("application__applicant", "wijk", "approved_by")
    )
    rows = [
        ResultRow(
            result=r,
            reason_label=r.get_reason_display(),
            reason_sentence=str(reason_sentence(r.reason)),
        )
        for r in results
    ]
    wijken = wijk_rows(run, results)
    chart, height = _chart(wijken)
    return RunView(
        run=run,
        rows=rows,
        wijken=wijken,
        chart=chart,
        chart_height=height,
        awarded_count=sum(1 for r in results if r.awarded),
        round_awarded_cents=run.committed_cents + run.total_cents,
        is_stale=run_is_stale(run),
    )


@dataclass(frozen=True)
class CompareRow:
    application: Application
    wijk: Wijk
    cells: list  # per run: AllocationResult or None
    differs: bool


@dataclass(frozen=True)
class Comparison:
    runs: list
    wijk_rows: list  # (wijk, [WijkRow per run])
    rows: list


def runs_compare(runs):
    """Side by side: per wijk and per application, what each run gives."""
    views = [run_view(run) for run in runs]
    wijk_table = []
    for index, (wijk, _share) in enumerate(fair_shares()):
        wijk_table.append((wijk, [view.wijken[index] for view in views]))
    by_application = {}
    for column, view in enumerate(views):
        for row in view.rows:
            result = row.result
            cells = by_application.setdefault(
                result.application_id,
                [result.application, result.wijk, [None] * len(views)],
            )
            cells[2][column] = result
    rows = []
    for application, wijk, cells in by_application.values():
        outcomes = {(c.awarded, c.amount_cents, c.reason) if c else None for c in cells}
        rows.append(
            CompareRow(
                application=application,
                wijk=wijk,
                cells=cells,
                differs=len(outcomes) > 1,
            )
        )
    rows.sort(key=lambda r: (min((c.rank or 10**9) for c in r.cells if c),))
    return Comparison(runs=views, wijk_rows=wijk_table, rows=rows)
