"""The public facts of a scheme, live from the database: open round, money left,
impact bands and the wijk guarantee.

The home page, the scheme page and the quick check show them on every visit, so
``scheme_public_facts`` keeps them in the cache until the first of: a change that
can move a figure (``scheme_facts_changed``, called by ``subsidies.signals`` when an
application leaves the concept status or changes after it, when a decision is
taken, or a round, scheme, verdeelregel or wijk is saved), the open round closing,
the next round opening, or ``FACTS_SECONDS``.
"""

import dataclasses
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.cache import cache
from django.db.models import Count, Sum
from django.utils import timezone

from portal.shared.generations import Generation

from ..models import Round, Wijk
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
    totals = pending.aggregate(total=Sum("requested_cents"), count=Count("pk"))
    return RoundBudget(
        ceiling_cents=round_.ceiling_cents,
        committed_cents=committed,
        in_process_cents=totals["total"] or 0,
        in_process_count=totals["count"],
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


#: The longest a cached SchemeFacts is shown (a safety net: every change that moves a
#: figure drops the cache at once).
FACTS_SECONDS = 300
_GENERATION_KEY = "subsidies:scheme-facts:generation"
_GENERATIONS = Generation(_GENERATION_KEY)


def scheme_facts_changed():
    """Forget every cached ``SchemeFacts``: the next visit reads them anew."""
    _GENERATIONS.bump()


def scheme_public_facts(scheme, at=None):
    """What the scheme page shows: open round, money left, bands, guarantees.

    Live when ``at`` is given; otherwise from the cache while nothing changed (see
    the module docstring), read anew when anything did.
    """
    if at is not None:
        return _scheme_public_facts(scheme, at)
    key = f"subsidies:scheme-facts:{scheme.pk}:{_GENERATIONS.current()}"
    now = timezone.now()
    cached = cache.get(key)
    if cached is not None and now < cached[1]:
        return dataclasses.replace(cached[0], scheme=scheme)
    facts = _scheme_public_facts(scheme, now)
    until = [now + timedelta(seconds=FACTS_SECONDS)]
    if facts.open_round is not None:
        until.append(facts.open_round.closes_at)
    next_opening = (
        Round.objects.filter(scheme=scheme, opens_at__gt=now)
        .order_by("opens_at")
        .values_list("opens_at", flat=True)
        .first()
    )
    if next_opening is not None:
        until.append(next_opening)
    valid_until = min(until)
    cache.set(key, (facts, valid_until), FACTS_SECONDS)
    return facts


def _scheme_public_facts(scheme, at):
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
