"""Bezwaren per scheme and round (the budget dashboard), with the definitions the
"Overzicht bezwaren" export uses too.

Per round, counted from the database on the day of the dashboard (Europe/Amsterdam):

- *beschikkingen*: the decisions on applications of the round, the beslissingen op
  bezwaar left out (against those the road is beroep, not bezwaar);
- *met bezwaar*: of those, the ones at least one bezwaar was lodged against (a
  withdrawn one too: it was lodged); *aandeel*: met bezwaar / beschikkingen;
- *bezwaren*: every bezwaar lodged; *beslist*: those in state ``beslist``;
- *gegrond*: decided with outcome gegrond; *aandeel gegrond*: gegrond / beslist;
- *open*: in an open state (``workflow.OPEN_STATES``); *te laat*: open and its
  ``decision_due_on`` (after a deferral, the deferred date) is before today;
- *kosten*: the sum of ``cost_cents`` of the bezwaren decided gegrond: what the new
  decisions in the place of the contested ones (Awb 7:11) added to the money
  committed against the round's ceiling;
- *reserve* is ``Round.objection_reserve_cents``; *reserve over* is
  ``RoundBudget.reserve_left_cents`` of ``beoordeling.decisions.selectors`` (reserve
  minus what every gegrond bezwaar of the round cost, never below zero), which the
  allocation runs keep free. The reserve belongs to the round, not to a wijk: with a
  wijk filter the other figures narrow, the reserve and what is left of it stay the
  round's. The totals add up each round's reserve left, so one round's overspend
  never eats into another round's reserve.

Beside the figures, a table per scheme, round, ground (``Ground``) and outcome
(``Outcome``; an open bezwaar counts as "open", a withdrawn one as "ingetrokken").
The export ``beoordeling.overviews.exports.objections`` reads the same fields with
the same rules (``within_term``, ``outcome_key``, ``hearing_key``, ``round_cost``),
and a test holds
its rows to these numbers.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beoordeling.decisions.selectors import round_budget
from beoordeling.models import Decision, DecisionKind, Objection
from beoordeling.objections.workflow import (
    OPEN_STATES,
    Ground,
    ObjectionState,
    Outcome,
)

from .dashboard import _rounds, percent

#: The outcome column of the table and the export: an outcome, "open" or "ingetrokken".
OUTCOME_OPEN = "open"
OUTCOME_WITHDRAWN = "ingetrokken"
OUTCOME_LABELS = {
    **dict(Outcome.choices),
    OUTCOME_OPEN: _("Nog niet beslist"),
    OUTCOME_WITHDRAWN: _("Ingetrokken"),
}
GROUND_LABELS = {**dict(Ground.choices), "": _("Nog niet ingedeeld")}

DECIDED_Q = Q(state=ObjectionState.DECIDED)
WELL_FOUNDED_Q = DECIDED_Q & Q(outcome=Outcome.WELL_FOUNDED)
OPEN_Q = Q(state__in=OPEN_STATES)


def overdue_q(today):
    return OPEN_Q & Q(decision_due_on__lt=today)


def outcome_key(state, outcome):
    """The outcome column: the decided outcome, "open" or "ingetrokken"."""
    if state == ObjectionState.WITHDRAWN:
        return OUTCOME_WITHDRAWN
    if state == ObjectionState.DECIDED:
        return outcome
    return OUTCOME_OPEN


def round_cost(state, outcome, cost_cents):
    """What a bezwaar cost the round: its ``cost_cents`` once decided gegrond, else 0."""
    if state == ObjectionState.DECIDED and outcome == Outcome.WELL_FOUNDED:
        return cost_cents
    return 0


def within_term(decided_on, due_on):
    """Decided on or before the (deferred) due date; ``None`` while not decided."""
    if decided_on is None:
        return None
    return decided_on <= due_on


def hearing_key(hearing_at, hearing_report, hearing_waiver):
    """ "gehouden", "afgezien", "gepland" or "" (nothing about a hearing yet)."""
    if hearing_waiver:
        return "afgezien"
    if hearing_at is not None and (hearing_report or "").strip():
        return "gehouden"
    if hearing_at is not None:
        return "gepland"
    return ""


def share(part, whole):
    return Decimal(part) / whole if whole else None


@dataclass(frozen=True)
class ObjectionRoundLine:
    round: object
    decisions: int
    objected: int
    objections: int
    decided: int
    upheld: int
    open: int
    overdue: int
    cost_cents: int
    reserve_cents: int
    #: ``RoundBudget.reserve_left_cents`` of the round, whatever the wijk filter.
    reserve_left_cents: int

    @property
    def objected_percent(self):
        return percent(share(self.objected, self.decisions))

    @property
    def upheld_percent(self):
        return percent(share(self.upheld, self.decided))


@dataclass(frozen=True)
class ObjectionGroupLine:
    scheme_name: str
    round_name: str
    ground: str
    outcome: str
    count: int
    cost_cents: int

    @property
    def ground_label(self):
        return GROUND_LABELS.get(self.ground, self.ground)

    @property
    def outcome_label(self):
        return OUTCOME_LABELS.get(self.outcome, self.outcome)


@dataclass(frozen=True)
class ObjectionDashboard:
    today: object
    rounds: tuple
    groups: tuple

    @property
    def totals(self):
        lines = self.rounds
        return ObjectionRoundLine(
            round=None,
            **{
                name: sum(getattr(line, name) for line in lines)
                for name in (
                    "decisions",
                    "objected",
                    "objections",
                    "decided",
                    "upheld",
                    "open",
                    "overdue",
                    "cost_cents",
                    "reserve_cents",
                    "reserve_left_cents",
                )
            },
        )


def _by_round(queryset, **aggregates):
    return {
        row.pop("application__round_id"): row
        for row in queryset.values("application__round_id")
        .annotate(**aggregates)
        .order_by()
    }


def objection_dashboard(
    *, scheme_id=None, round_id=None, wijk_id=None, year=None, today=None
):
    """The bezwaren of the dashboard's rounds: an ``ObjectionDashboard``."""
    today = today or timezone.localdate()
    rounds = _rounds(scheme_id=scheme_id, round_id=round_id, year=year)
    round_ids = [r.pk for r in rounds]
    where = Q(application__round_id__in=round_ids)
    if wijk_id:
        where &= Q(application__wijk_id=wijk_id)
    decisions = _by_round(
        Decision.objects.filter(where).exclude(kind=DecisionKind.BESLISSING_OP_BEZWAAR),
        decisions=Count("pk"),
    )
    objections = Objection.objects.filter(where)
    figures = _by_round(
        objections,
        objected=Count("decision_id", distinct=True),
        objections=Count("pk"),
        decided=Count("pk", filter=DECIDED_Q),
        upheld=Count("pk", filter=WELL_FOUNDED_Q),
        open=Count("pk", filter=OPEN_Q),
        overdue=Count("pk", filter=overdue_q(today)),
        cost_cents=Sum("cost_cents", filter=WELL_FOUNDED_Q, default=0),
    )
    lines = []
    for round_ in rounds:
        row = figures.get(round_.pk, {})
        lines.append(
            ObjectionRoundLine(
                round=round_,
                decisions=decisions.get(round_.pk, {}).get("decisions", 0),
                objected=row.get("objected", 0),
                objections=row.get("objections", 0),
                decided=row.get("decided", 0),
                upheld=row.get("upheld", 0),
                open=row.get("open", 0),
                overdue=row.get("overdue", 0),
                cost_cents=row.get("cost_cents", 0),
                reserve_cents=round_.objection_reserve_cents,
                reserve_left_cents=round_budget(round_).reserve_left_cents,
            )
        )
    counted = {}
    for row in objections.values(
        "application__round_id", "ground", "state", "outcome", "cost_cents"
    ).order_by():
        key = (
            row["application__round_id"],
            row["ground"],
            outcome_key(row["state"], row["outcome"]),
        )
        count, cost = counted.get(key, (0, 0))
        counted[key] = (
            count + 1,
            cost + round_cost(row["state"], row["outcome"], row["cost_cents"]),
        )
    order = {r.pk: index for index, r in enumerate(rounds)}
    names = {r.pk: (r.scheme.name, r.name) for r in rounds}
    grounds = list(GROUND_LABELS)
    outcomes = list(OUTCOME_LABELS)
    groups = [
        ObjectionGroupLine(
            scheme_name=names[round_pk][0],
            round_name=names[round_pk][1],
            ground=ground,
            outcome=outcome,
            count=count,
            cost_cents=cost,
        )
        for (round_pk, ground, outcome), (count, cost) in sorted(
            counted.items(),
            key=lambda item: (
                order[item[0][0]],
                grounds.index(item[0][1]) if item[0][1] in grounds else 99,
                outcomes.index(item[0][2]) if item[0][2] in outcomes else 99,
            ),
        )
    ]
    return ObjectionDashboard(today=today, rounds=tuple(lines), groups=tuple(groups))
