"""More Hypothesis properties of scoring: the documented amounts at every band boundary,
and the aggregate of several assessors (what the assessment actually records)."""

from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from beoordeling.scoring import (
    RUBRICS,
    SCORE_MAX,
    SCORE_MIN,
    CriterionScore,
    ReasonCode,
    aggregate,
    bands_from_config,
    propose_amount,
)
from subsidies.models.schemes import DEFAULT_IMPACT_BANDS

PROPERTIES = settings(max_examples=150, deadline=None, database=None)
SCALE = st.integers(SCORE_MIN, SCORE_MAX)
CENTS = st.integers(0, 10**9)
MAXIMUMS = st.integers(1, 10**9)

#: design.md §4 with each boundary and the value just below it.
BOUNDARIES = [
    (Decimal("100"), 100),
    (Decimal("75"), 100),
    (Decimal("74.99"), 80),
    (Decimal("60"), 80),
    (Decimal("59.99"), 60),
    (Decimal("50"), 60),
    (Decimal("49.99"), None),
    (Decimal("0"), None),
]


def documented_amount(base, percent):
    """percent of the base, rounded down to whole euros (in cents)."""
    return base * percent // 100 // 100 * 100


@pytest.mark.parametrize(("score", "percent"), BOUNDARIES)
@PROPERTIES
@given(requested=CENTS, maximum=MAXIMUMS)
@example(requested=1_000_000, maximum=2_000_000)
@example(requested=2_500_001, maximum=2_000_000)
@example(requested=199, maximum=2_000_000)
def test_every_boundary_gives_the_documented_amount(score, percent, requested, maximum):
    """At and just below each band boundary: the documented share of min(asked, max)."""
    bands = bands_from_config(DEFAULT_IMPACT_BANDS)
    proposal = propose_amount(
        score=score, requested_cents=requested, scheme_max_cents=maximum, bands=bands
    )
    base = min(requested, maximum)
    if percent is None:
        assert proposal.rejected
        assert proposal.reason_code is ReasonCode.INSUFFICIENT_IMPACT
        assert proposal.amount_cents == 0
    else:
        assert proposal.percent == percent
        assert proposal.amount_cents == documented_amount(base, percent)
        assert proposal.rejected is (proposal.amount_cents == 0)


def test_the_scheme_default_bands_are_the_documented_ones():
    """The scheme's default JSON setting equals scoring's documented bands."""
    from beoordeling.scoring import DEFAULT_BANDS

    assert bands_from_config(DEFAULT_IMPACT_BANDS) == DEFAULT_BANDS


@st.composite
def panels(draw):
    """A seeded rubric and the scores of one to three assessors."""
    rubric = draw(st.sampled_from(list(RUBRICS.values())))
    count = draw(st.integers(1, 3))
    runs = [{code: draw(SCALE) for code in rubric.codes} for _ in range(count)]
    return rubric, runs


def as_scores(run):
    return [CriterionScore(code, value, "Motivering.") for code, value in run.items()]


@PROPERTIES
@given(panels())
def test_aggregate_score_stays_between_0_and_100(panel):
    """Whatever several assessors give, the combined score is 0-100."""
    rubric, runs = panel
    result = aggregate(rubric, [as_scores(run) for run in runs])
    assert Decimal(0) <= result.impact_score <= Decimal(100)


@PROPERTIES
@given(panels(), st.data())
def test_aggregate_is_monotone_in_every_assessors_every_criterion(panel, data):
    """One assessor raising one criterion never lowers the combined score."""
    rubric, runs = panel
    who = data.draw(st.integers(0, len(runs) - 1))
    code = data.draw(st.sampled_from(rubric.codes))
    higher = [dict(run) for run in runs]
    higher[who][code] = data.draw(st.integers(runs[who][code], SCORE_MAX))
    before = aggregate(rubric, [as_scores(run) for run in runs]).impact_score
    after = aggregate(rubric, [as_scores(run) for run in higher]).impact_score
    assert after >= before


@PROPERTIES
@given(panels(), CENTS, MAXIMUMS)
def test_knockout_in_a_panel_always_rejects(panel, requested, maximum):
    """Duurzaam C6 = 0 by any assessor: rejected with the knock-out reason."""
    _rubric, runs = panel
    rubric = RUBRICS["duurzaam"]
    runs = [{code: run.get(code, 3) for code in rubric.codes} for run in runs]
    runs[0]["C6"] = 0
    result = aggregate(rubric, [as_scores(run) for run in runs])
    proposal = propose_amount(
        score=result.impact_score,
        requested_cents=requested,
        scheme_max_cents=maximum,
        knocked_out=result.knocked_out,
        knockout_names=result.knockout_names,
    )
    assert proposal.rejected and proposal.amount_cents == 0
    assert proposal.reason_code is ReasonCode.KNOCKOUT
