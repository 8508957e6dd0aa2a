"""Hypothesis properties of the verdeelregel (design.md §5, guarantees)."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beoordeling.allocation import (
    AllocationInput,
    Candidate,
    District,
    Reason,
    allocate,
    to_json,
)

FAST = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

CODES = ["BINNENSTAD", "OOST", "WEST", "ZUID"]
# Moments around midnight in Amsterdam, in two offsets, so days and ties both occur.
BASE = datetime(2026, 3, 1, 22, 0, tzinfo=UTC)
MOMENTS = [BASE + timedelta(minutes=45 * n) for n in range(6)]
OFFSETS = [UTC, timezone(timedelta(hours=2))]
SCORES = [0, 50, 50.0, Decimal("50"), 62.5, Decimal("87.25"), 100]


@st.composite
def districts(draw):
    count = draw(st.integers(1, len(CODES)))
    return tuple(
        District(
            code,
            draw(st.sampled_from([0, 0, 0, 1500]) | st.integers(0, 6000)),
            draw(st.none() | st.sampled_from([4000, 8000]) | st.integers(0, 12_000)),
        )
        for code in CODES[:count]
    )


@st.composite
def inputs(draw):
    wijken = draw(districts())
    codes = [d.code for d in wijken]
    candidate = st.builds(
        Candidate,
        id=st.text("abcdefgh", min_size=1, max_size=3),
        district=st.sampled_from(codes),
        amount_cents=st.sampled_from([0, 1000, 2500]) | st.integers(0, 5000),
        score=st.sampled_from(SCORES),
        received_at=st.builds(
            datetime.astimezone, st.sampled_from(MOMENTS), st.sampled_from(OFFSETS)
        ),
    )
    candidates = draw(
        st.lists(candidate, min_size=1, max_size=25, unique_by=lambda c: c.id)
    )
    return AllocationInput(
        budget_cents=draw(st.sampled_from([8000, 15_000]) | st.integers(0, 30_000)),
        mode=draw(st.sampled_from(["ranking", "receipt"])),
        on_shortfall=draw(st.sampled_from(["skip", "stop", "partial"])),
        min_partial_cents=draw(st.integers(0, 3000)),
        lottery_seed=draw(st.none() | st.text("xyz09", min_size=1, max_size=4)),
        districts=wijken,
        candidates=tuple(candidates),
    )


def _awarded_by_district(result):
    return {d.code: d.awarded_cents for d in result.districts}


@FAST
@given(inputs())
def test_total_never_exceeds_the_budget(inp):
    """The awarded total is at most the budget and equals the sum of awards."""
    result = allocate(inp)
    assert result.total_cents <= inp.budget_cents
    assert result.total_cents == sum(r.amount_cents for r in result.results)
    assert result.total_cents == sum(d.awarded_cents for d in result.districts)


@FAST
@given(inputs())
def test_no_district_ends_above_its_cap(inp):
    """Every district stays within its cap, and its totals match its awards."""
    result = allocate(inp)
    district_of = {c.id: c.district for c in inp.candidates}
    for d, out in zip(inp.districts, result.districts, strict=True):
        assert out.code == d.code
        mine = [r for r in result.results if r.awarded and district_of[r.id] == d.code]
        assert out.awarded_cents == sum(r.amount_cents for r in mine)
        assert out.count == len(mine)
        assert d.cap_cents is None or out.awarded_cents <= d.cap_cents


@FAST
@given(inputs())
def test_district_below_its_floor_only_when_nothing_more_fitted(inp):
    """Below the floor, every unawarded candidate of the district missed budget or cap."""
    result = allocate(inp)
    remaining = inp.budget_cents - result.total_cents
    awarded = _awarded_by_district(result)
    by_id = {c.id: c for c in inp.candidates}
    for d in inp.districts:
        if awarded[d.code] >= d.floor_cents:
            continue
        for r in result.results:
            c = by_id[r.id]
            if c.district != d.code or r.awarded or c.amount_cents == 0:
                continue
            misses_budget = c.amount_cents > remaining
            misses_cap = (
                d.cap_cents is not None
                and awarded[d.code] + c.amount_cents > d.cap_cents
            )
            assert misses_budget or misses_cap


@FAST
@given(inputs(), st.randoms(use_true_random=False))
def test_same_output_for_any_order_of_the_candidates(inp, rnd):
    """Shuffling the candidates does not change a single byte of the output."""
    shuffled = list(inp.candidates)
    rnd.shuffle(shuffled)
    other = replace(inp, candidates=tuple(shuffled))
    assert to_json(allocate(other)) == to_json(allocate(inp))


@FAST
@given(inputs())
def test_stop_awards_nothing_in_phase_two_after_the_first_budget_miss(inp):
    """Under stop, after the first budget refusal only floor awards remain."""
    result = allocate(replace(inp, on_shortfall="stop"))
    reasons = [r.reason for r in result.results]
    if Reason.BUDGET not in reasons:
        return
    after = reasons[reasons.index(Reason.BUDGET) + 1 :]
    assert Reason.RANK not in after and Reason.PARTIAL not in after
    assert Reason.CAP not in after
    assert Reason.PARTIAL not in reasons


@FAST
@given(inputs())
def test_at_most_one_partial_award_and_nothing_ranked_after_it(inp):
    """A partial award is smaller than asked, at least the minimum, and ends phase 2."""
    result = allocate(inp)
    by_id = {c.id: c for c in inp.candidates}
    partial = [i for i, r in enumerate(result.results) if r.reason == Reason.PARTIAL]
    assert len(partial) <= 1
    if partial:
        assert inp.on_shortfall == "partial"
        row = result.results[partial[0]]
        assert 0 < row.amount_cents < by_id[row.id].amount_cents
        assert row.amount_cents >= inp.min_partial_cents
        assert result.total_cents == inp.budget_cents
        later = [r.reason for r in result.results[partial[0] + 1 :]]
        assert Reason.RANK not in later


@FAST
@given(inputs())
def test_amounts_are_integer_cents_and_zero_when_not_awarded(inp):
    """Awards are whole cents; refusals show 0; full awards match the request."""
    result = allocate(inp)
    by_id = {c.id: c for c in inp.candidates}
    assert type(result.total_cents) is int
    for r in result.results:
        assert type(r.amount_cents) is int
        if not r.awarded:
            assert r.amount_cents == 0
            assert r.reason in (Reason.BUDGET, Reason.CAP, Reason.ZERO_AMOUNT)
        elif r.reason != Reason.PARTIAL:
            assert r.amount_cents == by_id[r.id].amount_cents > 0


@FAST
@given(inputs())
def test_ranks_run_from_one_and_zero_amounts_come_last_in_id_order(inp):
    """Ranked rows are numbered 1..n; zero-amount rows follow, unranked, by id."""
    result = allocate(inp)
    assert sorted(r.id for r in result.results) == sorted(c.id for c in inp.candidates)
    ranked = [r for r in result.results if r.rank is not None]
    zero = [r for r in result.results if r.rank is None]
    assert [r.rank for r in ranked] == list(range(1, len(ranked) + 1))
    assert result.results == tuple(ranked + zero)
    assert all(r.reason == Reason.ZERO_AMOUNT for r in zero)
    assert [r.id for r in zero] == sorted(r.id for r in zero)
