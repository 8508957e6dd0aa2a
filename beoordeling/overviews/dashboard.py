"""The budget dashboard: per scheme, round and wijk what was available and what went.

Per round: the ceiling (subsidieplafond), what is committed and what remains, the
number of submitted applications and of awards. Per wijk within a round: the same
counts and amounts, the wijk's floor and cap, and its share of the money awarded in the
round against its fair share of the city's need.

Definitions, the same as the award overview so the figures match an export to the cent:

- *toegekend* (awarded): the sum of ``awarded_cents`` (the verleend amount) of
  applications in status ``toegekend`` or a later one (``GRANTED_STATES``); the sum of
  the column "Toegekend bedrag" of the award overview filtered on that round (and
  wijk) and those statuses. A lower vaststelling does not give money back to a round.
- *gereserveerd* (reserved): awards a fixed allocation honoured that still wait for the
  second decision maker (``beoordeeld`` with outcome ``gehonoreerd``): that money is no
  longer available. Both come from ``ApplicationQuerySet.committed_sums``, the same
  sums as the ceiling guard, the allocation runs and the public scheme page.
- *vastgelegd* (committed) = toegekend + gereserveerd; *beschikbaar* (remaining) = the
  ceiling minus committed, never below zero. A wijk has no ceiling of its own.
- *aanvragen*: submitted applications (not concepts); *toekenningen*: in status
  ``toegekend`` or a later one (``GRANTED_STATES``: verantwoording, vastgesteld,
  afgesloten, subsidie ingetrokken), the same applications whose money is *toegekend*.
- *aandeel*: the wijk's share of the money awarded in the round; *eerlijk aandeel*:
  its ``fair_share_weight`` divided by the sum of the weights of all wijken.

Below the budget, the open obligations after the award for the same rounds
(``obligations_dashboard``, defined in ``beoordeling.overviews.obligations``).

Amounts stay integer cents; shares are ``Decimal`` fractions. The chart geometry is
computed here so the template only draws it (server-rendered SVG, no JavaScript).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from subsidies.models import Application, Round, Wijk
from subsidies.rounds import rule_in_force
from subsidies.workflow import GRANTED_STATES, Status

from .obligations import obligations

HUNDRED = Decimal(100)
CHART_WIDTH = 360  # the longest bar, in SVG units
CHART_ROW_HEIGHT = 34
#: Awarded: toegekend, and on to the verantwoording, vaststelling, closure or intrekking
#: (the applications whose ``awarded_cents`` count as awarded in ``committed_sums``).
AWARDED_Q = Q(status__in=GRANTED_STATES)


def percent(fraction):
    """A fraction as a percentage with one decimal, for the screen."""
    if fraction is None:
        return None
    return (fraction * HUNDRED).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class WijkLine:
    wijk_id: int | None
    name: str
    fair_share: Decimal
    floor_cents: int
    cap_cents: int | None
    applications: int
    awards: int
    awarded_cents: int
    reserved_cents: int
    awarded_share: Decimal | None

    @property
    def committed_cents(self):
        return self.awarded_cents + self.reserved_cents

    @property
    def awarded_percent(self):
        return percent(self.awarded_share)

    @property
    def fair_percent(self):
        return percent(self.fair_share)

    @property
    def below_floor(self):
        return self.committed_cents < self.floor_cents


@dataclass(frozen=True)
class ChartBar:
    label: str
    awarded_percent: Decimal
    fair_percent: Decimal
    awarded_width: int
    fair_width: int
    y: int


@dataclass(frozen=True)
class RoundLine:
    round: Round
    ceiling_cents: int
    applications: int
    awards: int
    awarded_cents: int
    reserved_cents: int
    wijken: tuple = field(default_factory=tuple)

    @property
    def committed_cents(self):
        return self.awarded_cents + self.reserved_cents

    @property
    def remaining_cents(self):
        return max(0, self.ceiling_cents - self.committed_cents)

    @property
    def used_fraction(self):
        if not self.ceiling_cents:
            return Decimal(0)
        return min(Decimal(1), Decimal(self.committed_cents) / self.ceiling_cents)

    @property
    def used_percent(self):
        return percent(self.used_fraction)

    @property
    def used_width(self):
        return int(self.used_fraction * CHART_WIDTH)

    @property
    def chart(self):
        """Two bars per wijk: its share of the awarded money and its fair share."""
        widest = max(
            [w.awarded_share or Decimal(0) for w in self.wijken]
            + [w.fair_share for w in self.wijken]
            + [Decimal("0.0001")]
        )
        bars = []
        for index, line in enumerate(self.wijken):
            awarded = line.awarded_share or Decimal(0)
            bars.append(
                ChartBar(
                    label=line.name,
                    awarded_percent=percent(awarded),
                    fair_percent=percent(line.fair_share),
                    awarded_width=int(awarded / widest * CHART_WIDTH),
                    fair_width=int(line.fair_share / widest * CHART_WIDTH),
                    y=index * CHART_ROW_HEIGHT,
                )
            )
        return bars

    @property
    def chart_height(self):
        return max(1, len(self.wijken)) * CHART_ROW_HEIGHT


@dataclass(frozen=True)
class SchemeLine:
    scheme_name: str
    rounds: tuple

    @property
    def ceiling_cents(self):
        return sum(r.ceiling_cents for r in self.rounds)

    @property
    def awarded_cents(self):
        return sum(r.awarded_cents for r in self.rounds)

    @property
    def reserved_cents(self):
        return sum(r.reserved_cents for r in self.rounds)

    @property
    def committed_cents(self):
        return sum(r.committed_cents for r in self.rounds)

    @property
    def remaining_cents(self):
        return sum(r.remaining_cents for r in self.rounds)

    @property
    def applications(self):
        return sum(r.applications for r in self.rounds)

    @property
    def awards(self):
        return sum(r.awards for r in self.rounds)


def fair_shares(wijken):
    total = sum((w.fair_share_weight for w in wijken), Decimal(0))
    return {
        w.pk: (w.fair_share_weight / total if total else Decimal(0)) for w in wijken
    }


def _rounds(*, scheme_id=None, round_id=None, year=None, open_only=False):
    rounds = Round.objects.select_related("scheme").order_by(
        "scheme__name", "-opens_at", "name"
    )
    if scheme_id:
        rounds = rounds.filter(scheme_id=scheme_id)
    if round_id:
        rounds = rounds.filter(pk=round_id)
    if year:
        rounds = rounds.filter(opens_at__year=year)
    if open_only:
        rounds = rounds.open()
    return list(rounds)


def round_lines(rounds, *, wijk_id=None):
    """A ``RoundLine`` per round, with a ``WijkLine`` per wijk."""
    wijken = list(Wijk.objects.order_by("sort_order", "name"))
    shares = fair_shares(wijken)
    if wijk_id:
        wijken = [w for w in wijken if w.pk == wijk_id]
    round_ids = [r.pk for r in rounds]
    figures = {}
    applications = Application.objects.filter(round_id__in=round_ids).exclude(
        status=Status.DRAFT
    )
    if wijk_id:
        applications = applications.filter(wijk_id=wijk_id)
    for row in (
        applications.values("round_id", "wijk_id")
        .annotate(
            applications=Count("pk"),
            awards=Count("pk", filter=AWARDED_Q),
            **Application.objects.committed_sums(),
        )
        .order_by()
    ):
        figures[(row["round_id"], row["wijk_id"])] = row
    # Floors and caps as published (the rule in force), not the round's draft.
    limits = {}
    for round_ in rounds:
        rule = rule_in_force(round_)
        for wijk_id, limit in (rule.limits_by_wijk_id() if rule else {}).items():
            limits[(round_.pk, wijk_id)] = limit
    lines = []
    for round_ in rounds:
        rows = {
            wijk_id: row for (rid, wijk_id), row in figures.items() if rid == round_.pk
        }
        round_awarded = sum(row["awarded"] or 0 for row in rows.values())
        wijk_lines = []
        for wijk in wijken:
            row = rows.get(wijk.pk, {})
            limit = limits.get((round_.pk, wijk.pk))
            awarded = row.get("awarded") or 0
            wijk_lines.append(
                WijkLine(
                    wijk_id=wijk.pk,
                    name=wijk.name,
                    fair_share=shares[wijk.pk],
                    floor_cents=limit[0] if limit else 0,
                    cap_cents=limit[1] if limit else None,
                    applications=row.get("applications", 0),
                    awards=row.get("awards", 0),
                    awarded_cents=awarded,
                    reserved_cents=row.get("reserved") or 0,
                    awarded_share=(
                        Decimal(awarded) / round_awarded if round_awarded else None
                    ),
                )
            )
        if None in rows:
            row = rows[None]
            wijk_lines.append(
                WijkLine(
                    wijk_id=None,
                    name="Zonder wijk",
                    fair_share=Decimal(0),
                    floor_cents=0,
                    cap_cents=None,
                    applications=row["applications"],
                    awards=row["awards"],
                    awarded_cents=row["awarded"] or 0,
                    reserved_cents=row["reserved"] or 0,
                    awarded_share=(
                        Decimal(row["awarded"] or 0) / round_awarded
                        if round_awarded
                        else None
                    ),
                )
            )
        lines.append(
            RoundLine(
                round=round_,
                ceiling_cents=round_.ceiling_cents,
                applications=sum(row["applications"] for row in rows.values()),
                awards=sum(row["awards"] for row in rows.values()),
                awarded_cents=round_awarded,
                reserved_cents=sum(row["reserved"] or 0 for row in rows.values()),
                wijken=tuple(wijk_lines),
            )
        )
    return lines


def budget_dashboard(*, scheme_id=None, round_id=None, wijk_id=None, year=None):
    """The dashboard: a ``SchemeLine`` per scheme with its rounds, newest round first."""
    lines = round_lines(
        _rounds(scheme_id=scheme_id, round_id=round_id, year=year), wijk_id=wijk_id
    )
    schemes = {}
    for line in lines:
        schemes.setdefault(line.round.scheme.name, []).append(line)
    return [
        SchemeLine(scheme_name=name, rounds=tuple(rounds))
        for name, rounds in schemes.items()
    ]


def obligations_dashboard(*, scheme_id=None, round_id=None, wijk_id=None, year=None):
    """The open obligations after the award for the same rounds as the dashboard
    (``beoordeling.overviews.obligations``)."""
    rounds = _rounds(scheme_id=scheme_id, round_id=round_id, year=year)
    return obligations(rounds, wijk_id=wijk_id)


def open_rounds_budget():
    """The open rounds with ceiling, committed and remaining: the home panel."""
    return round_lines(_rounds(open_only=True))
