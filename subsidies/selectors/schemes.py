"""The public facts of a scheme, live from the database: open round, money left,
impact bands and the wijk guarantee."""

from dataclasses import dataclass, field

from django.db.models import Sum

from ..models import Wijk
from ..rounds import rule_in_force
from ..workflow import IN_PROCESS_STATES


@dataclass(frozen=True)
class RoundBudget:
    ceiling_cents: int
    committed_cents: int
    in_process_cents: int
    in_process_count: int

    @property
    def available_cents(self):
        return max(0, self.ceiling_cents - self.committed_cents)


@dataclass(frozen=True)
class WijkGuarantee:
    wijk: str
    floor_cents: int
    cap_cents: int | None
    is_aandachtswijk: bool


@dataclass(frozen=True)
class ImpactBand:
    min_score: int
    max_score: int | None
    percent: int


@dataclass(frozen=True)
class SchemeFacts:
    scheme: object
    open_round: object = None
    budget: RoundBudget | None = None
    wijk_guarantees: tuple = field(default_factory=tuple)
    #: The published verdeelregel in force (``AllocationRule``), or None.
    rule: object = None
    impact_bands: tuple = field(default_factory=tuple)
    lowest_band_score: int = 0

    @property
    def is_open(self):
        return self.open_round is not None


def round_budget(round_):
    """Ceiling, committed (``ApplicationQuerySet.committed_cents``) and in process."""
    applications = round_.applications.all()
    committed = applications.committed_cents()
    pending = applications.filter(status__in=IN_PROCESS_STATES).uncommitted()
    totals = pending.aggregate(total=Sum("requested_cents"))
    return RoundBudget(
        ceiling_cents=round_.ceiling_cents,
        committed_cents=committed,
        in_process_cents=totals["total"] or 0,
        in_process_count=pending.count(),
    )


def _impact_bands(scheme):
    bands = sorted(
        (
            (int(band["min_score"]), int(band["percent"]))
            for band in scheme.impact_bands or []
        ),
        reverse=True,
    )
    result = []
    upper = None
    for min_score, percent in bands:
        result.append(
            ImpactBand(
                min_score=min_score,
                max_score=None if upper is None else upper - 1,
                percent=percent,
            )
        )
        upper = min_score
    return tuple(result)


def scheme_public_facts(scheme, at=None):
    """What the scheme page shows, live: open round, money left, bands, guarantees."""
    open_round = scheme.open_round(at)
    bands = _impact_bands(scheme)
    facts = {
        "scheme": scheme,
        "impact_bands": bands,
        "lowest_band_score": bands[-1].min_score if bands else 0,
    }
    if open_round is not None:
        facts["open_round"] = open_round
        facts["budget"] = round_budget(open_round)
        # The guarantees come from the published rule record, never from the draft.
        rule = rule_in_force(open_round, at)
        facts["rule"] = rule
        if rule is not None:
            wijken = Wijk.objects.in_bulk([row["wijk_id"] for row in rule.wijk_limits])
            facts["wijk_guarantees"] = tuple(
                WijkGuarantee(
                    wijk=row["name"],
                    floor_cents=row["floor_cents"],
                    cap_cents=row["cap_cents"],
                    is_aandachtswijk=getattr(
                        wijken.get(row["wijk_id"]), "is_aandachtswijk", False
                    ),
                )
                for row in rule.wijk_limits
            )
    return SchemeFacts(**facts)
