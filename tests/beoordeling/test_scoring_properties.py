"""Hypothesis properties of the impact score and the proposed amount (design.md §4)."""

from decimal import Decimal

from hypothesis import example, given, settings
from hypothesis import strategies as st

from beoordeling.scoring import (
    DEFAULT_BANDS,
    RUBRICS,
    SCORE_MAX,
    SCORE_MIN,
    Criterion,
    CriterionScore,
    ImpactBand,
    Rubric,
    aggregate,
    band_for,
    impact_score,
    propose_amount,
)

PROPERTIES = settings(max_examples=200, deadline=None, database=None)

SCALE = st.integers(SCORE_MIN, SCORE_MAX)
# Every score the rounding can produce: 0.00, 0.01, ..., 100.00.
SCORES = st.integers(0, 10_000).map(lambda hundredths: Decimal(hundredths) / 100)
CENTS = st.integers(0, 10**8)
MAXIMUMS = st.integers(1, 10**8)


@st.composite
def generated_rubrics(draw, with_knockout=False):
    size = draw(st.integers(1, 8))
    weights = draw(st.lists(st.integers(1, 50), min_size=size, max_size=size))
    knockouts = draw(st.lists(st.booleans(), min_size=size, max_size=size))
    if with_knockout:
        knockouts[draw(st.integers(0, size - 1))] = True
    criteria = tuple(
        Criterion(f"K{i}", f"Criterium {i}", weight, knockout)
        for i, (weight, knockout) in enumerate(zip(weights, knockouts, strict=True))
    )
    return Rubric(1, criteria)


RUBRICS_ANY = st.one_of(st.sampled_from(list(RUBRICS.values())), generated_rubrics())


@st.composite
def rubric_and_scores(draw, rubrics=RUBRICS_ANY):
    rubric = draw(rubrics)
    return rubric, {code: draw(SCALE) for code in rubric.codes}


@st.composite
def band_sets(draw):
    """Valid band sets: distinct starts, a higher band never pays less."""
    starts = draw(
        st.lists(st.integers(0, 10_000), min_size=1, max_size=4, unique=True).map(
            sorted
        )
    )
    percents = sorted(
        draw(st.lists(st.integers(1, 100), min_size=len(starts), max_size=len(starts)))
    )
    return tuple(
        ImpactBand(Decimal(start) / 100, percent)
        for start, percent in zip(starts, percents, strict=True)
    )


def as_scores(values):
    return [
        CriterionScore(code, value, "Motivering.") for code, value in values.items()
    ]


def documented_percent(score):
    """design.md §4: >= 75 -> 100 %, 60-74 -> 80 %, 50-59 -> 60 %, < 50 rejected."""
    if score >= 75:
        return 100
    if score >= 60:
        return 80
    if score >= 50:
        return 60
    return None


@PROPERTIES
@given(rubric_and_scores())
def test_impact_score_is_always_between_0_and_100(case):
    """Any complete set of scores gives 0 <= score <= 100 with two decimals."""
    rubric, values = case
    score = impact_score(rubric, as_scores(values))
    assert Decimal(0) <= score <= Decimal(100)
    assert score.as_tuple().exponent == -2


@PROPERTIES
@given(rubric_and_scores(), st.data())
def test_raising_one_criterion_never_lowers_the_score(case, data):
    """The impact score is monotone in every criterion."""
    rubric, values = case
    code = data.draw(st.sampled_from(rubric.codes))
    higher = data.draw(st.integers(values[code], SCORE_MAX))
    before = impact_score(rubric, as_scores(values))
    after = impact_score(rubric, as_scores({**values, code: higher}))
    assert after >= before


@PROPERTIES
@given(RUBRICS_ANY, st.data())
def test_aggregate_lies_between_the_assessors(rubric, data):
    """The combined score is never outside the range of the individual scores."""
    count = data.draw(st.integers(1, 4))
    runs = [{code: data.draw(SCALE) for code in rubric.codes} for _ in range(count)]
    singles = [impact_score(rubric, as_scores(run)) for run in runs]
    combined = aggregate(rubric, [as_scores(run) for run in runs]).impact_score
    assert min(singles) <= combined <= max(singles)


@PROPERTIES
@given(RUBRICS_ANY, st.data())
def test_disagreement_means_two_points_apart(rubric, data):
    """A criterion is flagged exactly when two assessors are 2 or more apart."""
    count = data.draw(st.integers(1, 4))
    runs = [{code: data.draw(SCALE) for code in rubric.codes} for _ in range(count)]
    result = aggregate(rubric, [as_scores(run) for run in runs])
    expected = tuple(
        code
        for code in rubric.codes
        if max(run[code] for run in runs) - min(run[code] for run in runs) >= 2
    )
    assert result.disagreements == expected


@PROPERTIES
@given(
    generated_rubrics(with_knockout=True),
    st.data(),
    CENTS,
    MAXIMUMS,
    st.one_of(st.just(DEFAULT_BANDS), band_sets()),
)
def test_a_knockout_zero_always_rejects(rubric, data, requested, maximum, bands):
    """A 0 on a knock-out criterion by any assessor always leads to rejection."""
    count = data.draw(st.integers(1, 3))
    runs = [{code: data.draw(SCALE) for code in rubric.codes} for _ in range(count)]
    who = data.draw(st.integers(0, count - 1))
    which = data.draw(st.sampled_from(rubric.knockout_codes))
    runs[who][which] = 0
    result = aggregate(rubric, [as_scores(run) for run in runs])
    proposal = propose_amount(
        score=result.impact_score,
        requested_cents=requested,
        scheme_max_cents=maximum,
        bands=bands,
        knocked_out=result.knocked_out,
    )
    assert result.knocked_out
    assert which in result.knockout_codes
    assert proposal.rejected
    assert proposal.amount_cents == 0


@PROPERTIES
@given(RUBRICS_ANY, st.data())
def test_knockout_only_from_a_zero_on_a_knockout_criterion(rubric, data):
    """Without a 0 on a knock-out criterion nothing is knocked out."""
    count = data.draw(st.integers(1, 3))
    runs = [{code: data.draw(SCALE) for code in rubric.codes} for _ in range(count)]
    result = aggregate(rubric, [as_scores(run) for run in runs])
    expected = any(run[code] == 0 for run in runs for code in rubric.knockout_codes)
    assert result.knocked_out is expected


@PROPERTIES
@given(SCORES, CENTS, MAXIMUMS, st.one_of(st.just(DEFAULT_BANDS), band_sets()))
def test_knocked_out_proposals_are_always_rejected(score, requested, maximum, bands):
    """knocked_out=True rejects whatever the score, amount or bands."""
    proposal = propose_amount(
        score=score,
        requested_cents=requested,
        scheme_max_cents=maximum,
        bands=bands,
        knocked_out=True,
    )
    assert proposal.rejected
    assert proposal.amount_cents == 0


@PROPERTIES
@given(SCORES)
@example(Decimal("0"))
@example(Decimal("49.99"))
@example(Decimal("50"))
@example(Decimal("59.99"))
@example(Decimal("60"))
@example(Decimal("74.99"))
@example(Decimal("75"))
@example(Decimal("100"))
def test_default_bands_give_the_documented_percent(score):
    """Every score, boundaries included, gets the percent of design.md §4."""
    proposal = propose_amount(
        score=score, requested_cents=10**6, scheme_max_cents=10**6
    )
    band = band_for(score)
    assert proposal.percent == documented_percent(score)
    assert (band.percent if band else None) == documented_percent(score)
    assert proposal.rejected is (documented_percent(score) is None)


@PROPERTIES
@given(SCORES, CENTS, MAXIMUMS, st.one_of(st.just(DEFAULT_BANDS), band_sets()))
def test_amount_never_exceeds_request_or_maximum_and_is_whole_euros(
    score, requested, maximum, bands
):
    """0 <= amount <= min(requested, maximum), a multiple of 100 cents."""
    proposal = propose_amount(
        score=score, requested_cents=requested, scheme_max_cents=maximum, bands=bands
    )
    base = min(requested, maximum)
    assert 0 <= proposal.amount_cents <= base
    assert proposal.amount_cents % 100 == 0
    assert proposal.rejected is (proposal.amount_cents == 0)
    if not proposal.rejected:
        exact = Decimal(base) * proposal.percent / 100
        assert exact - 100 < proposal.amount_cents <= exact


@PROPERTIES
@given(SCORES, SCORES, CENTS, MAXIMUMS)
def test_a_higher_score_never_gets_less(first, second, requested, maximum):
    """With the default bands the amount is monotone in the impact score."""
    low, high = sorted((first, second))
    amounts = [
        propose_amount(
            score=score, requested_cents=requested, scheme_max_cents=maximum
        ).amount_cents
        for score in (low, high)
    ]
    assert amounts[0] <= amounts[1]
