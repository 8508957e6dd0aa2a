"""Hand-made cases for the verdeelregel in beoordeling.allocation (design.md §5)."""

import dataclasses
import io
import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from beoordeling.allocation import (
    REASON_TEXTS,
    AllocationInput,
    AllocationInputError,
    Candidate,
    District,
    Reason,
    allocate,
    loads,
    main,
    parse_input,
    to_json,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ONE_DISTRICT = (District("A"),)


def cand(id, amount=1000, *, district="A", score=50, at=T0):
    return Candidate(id, district, amount, score, at)


def run(
    candidates,
    *,
    budget=10_000,
    mode="ranking",
    on_shortfall="skip",
    min_partial=0,
    seed=None,
    districts=ONE_DISTRICT,
):
    inp = AllocationInput(
        budget_cents=budget,
        mode=mode,
        on_shortfall=on_shortfall,
        min_partial_cents=min_partial,
        lottery_seed=seed,
        districts=tuple(districts),
        candidates=tuple(candidates),
    )
    return allocate(inp)


def rows(result):
    return [(r.id, r.awarded, r.amount_cents, r.rank, r.reason) for r in result.results]


def ids(result):
    return [r.id for r in result.results]


def by_id(result):
    return {r.id: r for r in result.results}


# --- order -------------------------------------------------------------------


def test_ranking_orders_by_score_descending():
    """Mode ranking puts the highest score first and numbers ranks from 1."""
    result = run([cand("a", score=60), cand("b", score=90), cand("c", score=75)])
    assert ids(result) == ["b", "c", "a"]
    assert [r.rank for r in result.results] == [1, 2, 3]


def test_ranking_breaks_score_ties_by_received_at_then_id():
    """Equal scores go by earliest receipt, then by id."""
    later = T0 + timedelta(hours=1)
    result = run(
        [
            cand("c", at=later),
            cand("b", at=later),
            cand("z", at=T0),
            cand("a", at=later),
        ]
    )
    assert ids(result) == ["z", "a", "b", "c"]


def test_ranking_compares_scores_exactly_across_number_types():
    """Int, float and Decimal scores compare by value; equal values tie to id."""
    result = run(
        [
            cand("b", score=Decimal("80.0")),
            cand("a", score=80),
            cand("c", score=80.5),
            cand("d", score=Decimal("80.00000000000000000000000000000001")),
        ]
    )
    assert ids(result) == ["c", "d", "a", "b"]


def test_equal_instants_with_different_offsets_tie_to_id():
    """The same moment written in two offsets counts as the same received_at."""
    amsterdam_winter = timezone(timedelta(hours=1))
    result = run(
        [cand("b", at=T0), cand("a", at=T0.astimezone(amsterdam_winter))],
        mode="receipt",
    )
    assert ids(result) == ["a", "b"]


def test_receipt_orders_by_amsterdam_calendar_day_not_score():
    """Mode receipt ignores score and groups by the day in Europe/Amsterdam."""
    # 23:30 UTC on 1 March is 00:30 on 2 March in Amsterdam (CET, +01:00).
    late_utc = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    early = datetime(2026, 3, 1, 22, 0, tzinfo=UTC)
    result = run(
        [
            cand("late", score=99, at=late_utc),
            cand("early", score=1, at=early),
            cand("next", score=50, at=datetime(2026, 3, 2, 8, tzinfo=UTC)),
        ],
        mode="receipt",
        seed="ronde-1",  # its lottery alone would order next, late, early
    )
    assert ids(result) == ["early", "next", "late"]


def test_receipt_without_seed_orders_within_a_day_by_received_at_then_id():
    """Without a lottery seed a day is ordered by receipt moment, then id."""
    result = run(
        [
            cand("b", at=T0 + timedelta(hours=2)),
            cand("c", at=T0),
            cand("a", at=T0),
        ],
        mode="receipt",
    )
    assert ids(result) == ["a", "c", "b"]


def test_receipt_with_seed_orders_within_a_day_by_sha256_lottery():
    """With a seed, a day is ordered by sha256("{seed}:{id}") hex ascending."""
    candidates = [cand(i, at=T0 + timedelta(minutes=n)) for n, i in enumerate("abcde")]
    result = run(candidates, mode="receipt", seed="ronde-2026-1")
    assert ids(result) == ["e", "d", "b", "c", "a"]


def test_receipt_lottery_order_depends_on_the_seed():
    """Another seed draws another order within the day."""
    candidates = [cand(i, at=T0 + timedelta(minutes=n)) for n, i in enumerate("abcde")]
    result = run(candidates, mode="receipt", seed="ander-zaad")
    assert ids(result) == ["e", "c", "b", "d", "a"]


def test_receipt_lottery_never_moves_a_candidate_to_another_day():
    """The lottery only breaks ties within a calendar day."""
    candidates = [cand(i, at=T0 + timedelta(minutes=n)) for n, i in enumerate("abcde")]
    candidates.append(cand("z-first-day", at=T0 - timedelta(days=1)))
    result = run(candidates, mode="receipt", seed="ronde-2026-1")
    assert ids(result) == ["z-first-day", "e", "d", "b", "c", "a"]


# --- phase 1: wijk guarantee ---------------------------------------------------


def test_floor_phase_awards_a_district_below_its_floor_first():
    """A low-ranked candidate in a district below its floor wins over higher ranks."""
    districts = (District("A"), District("B", floor_cents=1000))
    result = run(
        [
            cand("a1", 3000, score=90),
            cand("a2", 3000, score=80),
            cand("b1", 3000, district="B", score=10),
        ],
        budget=6000,
        districts=districts,
    )
    assert rows(result) == [
        ("a1", True, 3000, 1, Reason.RANK),
        ("a2", False, 0, 2, Reason.BUDGET),
        ("b1", True, 3000, 3, Reason.FLOOR),
    ]


def test_floor_award_may_take_a_district_past_its_floor():
    """Only being below the floor before the award matters, not after it."""
    districts = (District("B", floor_cents=1000),)
    result = run(
        [cand("b1", 900, district="B", score=90), cand("b2", 5000, district="B")],
        districts=districts,
    )
    assert by_id(result)["b1"].reason == Reason.FLOOR
    assert by_id(result)["b2"].reason == Reason.FLOOR
    assert result.districts[0].awarded_cents == 5900


def test_floor_phase_stops_awarding_once_the_floor_is_reached():
    """When the floor is reached, further candidates of that district wait for phase 2."""
    districts = (District("B", floor_cents=1000),)
    result = run(
        [cand("b1", 1000, district="B", score=90), cand("b2", 500, district="B")],
        districts=districts,
    )
    assert by_id(result)["b1"].reason == Reason.FLOOR
    assert by_id(result)["b2"].reason == Reason.RANK


def test_floor_of_zero_gives_no_guarantee():
    """A district with floor 0 gets no floor awards, only rank awards."""
    districts = (District("A"), District("B", floor_cents=0))
    result = run(
        [cand("a1", 1000, score=90), cand("b1", 1000, district="B", score=10)],
        budget=1000,
        districts=districts,
    )
    assert rows(result) == [
        ("a1", True, 1000, 1, Reason.RANK),
        ("b1", False, 0, 2, Reason.BUDGET),
    ]


def test_floor_phase_respects_the_budget():
    """A floor candidate bigger than the remaining budget is not awarded in phase 1."""
    districts = (District("B", floor_cents=5000),)
    result = run(
        [cand("b1", 8000, district="B"), cand("b2", 4000, district="B", score=1)],
        budget=5000,
        districts=districts,
    )
    assert rows(result) == [
        ("b1", False, 0, 1, Reason.BUDGET),
        ("b2", True, 4000, 2, Reason.FLOOR),
    ]


def test_floor_phase_respects_the_district_cap():
    """A floor candidate that would push the district over its cap waits."""
    districts = (District("B", floor_cents=3000, cap_cents=2000),)
    result = run(
        [cand("b1", 2500, district="B"), cand("b2", 1500, district="B", score=1)],
        districts=districts,
    )
    assert rows(result) == [
        ("b1", False, 0, 1, Reason.CAP),
        ("b2", True, 1500, 2, Reason.FLOOR),
    ]


def test_floor_phase_miss_is_considered_again_in_phase_two():
    """A candidate passed over in phase 1 can still get a partial award in phase 2."""
    districts = (District("A"), District("B", floor_cents=1000))
    result = run(
        [cand("a1", 3000, score=90), cand("b1", 9000, district="B", score=10)],
        budget=5000,
        on_shortfall="partial",
        districts=districts,
    )
    assert rows(result) == [
        ("a1", True, 3000, 1, Reason.RANK),
        ("b1", True, 2000, 2, Reason.PARTIAL),
    ]


def test_floor_phase_miss_does_not_trigger_stop():
    """on_shortfall applies to phase 2 only: phase 1 walks on after a miss."""
    districts = (District("B", floor_cents=1000),)
    result = run(
        [cand("b1", 9000, district="B", score=90), cand("b2", 500, district="B")],
        budget=5000,
        on_shortfall="stop",
        districts=districts,
    )
    assert rows(result) == [
        ("b1", False, 0, 1, Reason.BUDGET),
        ("b2", True, 500, 2, Reason.FLOOR),
    ]


# --- phase 2 and caps ----------------------------------------------------------


def test_everything_that_fits_is_awarded_with_reason_rank():
    """With enough budget and no caps every candidate gets its full amount."""
    result = run([cand("a", 1000), cand("b", 2000)], budget=3000)
    assert rows(result) == [
        ("a", True, 1000, 1, Reason.RANK),
        ("b", True, 2000, 2, Reason.RANK),
    ]
    assert result.total_cents == 3000


def test_amount_exactly_equal_to_remaining_budget_fits():
    """An amount equal to the remaining budget fits."""
    result = run([cand("a", 2500)], budget=2500)
    assert rows(result) == [("a", True, 2500, 1, Reason.RANK)]


def test_cap_blocks_an_award_with_reason_cap():
    """An amount that would push the district over its cap is refused for cap."""
    districts = (District("A", cap_cents=2500),)
    result = run(
        [cand("a1", 2000, score=90), cand("a2", 1000), cand("a3", 500, score=1)],
        districts=districts,
    )
    assert rows(result) == [
        ("a1", True, 2000, 1, Reason.RANK),
        ("a2", False, 0, 2, Reason.CAP),
        ("a3", True, 500, 3, Reason.RANK),
    ]
    assert result.districts[0].awarded_cents == 2500


def test_cap_none_means_no_cap():
    """A district without a cap takes whatever the budget allows."""
    result = run([cand("a1", 6000), cand("a2", 4000)], budget=10_000)
    assert result.districts[0].awarded_cents == 10_000


def test_cap_of_zero_refuses_every_candidate_of_that_district():
    """A cap of 0 closes the district."""
    districts = (District("A", cap_cents=0),)
    result = run([cand("a1", 1)], districts=districts)
    assert rows(result) == [("a1", False, 0, 1, Reason.CAP)]


def test_budget_and_cap_miss_together_count_as_a_budget_miss():
    """Missing both budget and cap gives reason budget."""
    districts = (District("A", cap_cents=100),)
    result = run([cand("a1", 5000)], budget=1000, districts=districts)
    assert rows(result) == [("a1", False, 0, 1, Reason.BUDGET)]


def test_zero_budget_awards_nobody():
    """With budget 0 every candidate is refused for budget."""
    result = run([cand("a"), cand("b")], budget=0)
    assert [r.reason for r in result.results] == [Reason.BUDGET, Reason.BUDGET]
    assert result.total_cents == 0


# --- on_shortfall --------------------------------------------------------------


SHORTFALL_CANDIDATES = [
    cand("first", 6000, score=90),
    cand("big", 5000, score=80),
    cand("small", 1000, score=70),
]


def test_skip_goes_on_after_a_budget_miss():
    """Under skip a smaller candidate after a budget miss is still awarded."""
    result = run(SHORTFALL_CANDIDATES, budget=8000, on_shortfall="skip")
    assert rows(result) == [
        ("first", True, 6000, 1, Reason.RANK),
        ("big", False, 0, 2, Reason.BUDGET),
        ("small", True, 1000, 3, Reason.RANK),
    ]


def test_stop_awards_nobody_after_the_first_budget_miss():
    """Under stop everyone after the first budget miss is refused for budget."""
    result = run(SHORTFALL_CANDIDATES, budget=8000, on_shortfall="stop")
    assert rows(result) == [
        ("first", True, 6000, 1, Reason.RANK),
        ("big", False, 0, 2, Reason.BUDGET),
        ("small", False, 0, 3, Reason.BUDGET),
    ]


def test_stop_goes_on_after_a_cap_miss():
    """Under stop a cap miss still just skips."""
    districts = (District("A", cap_cents=1000), District("B"))
    result = run(
        [cand("a1", 2000, score=90), cand("b1", 1000, district="B")],
        on_shortfall="stop",
        districts=districts,
    )
    assert rows(result) == [
        ("a1", False, 0, 1, Reason.CAP),
        ("b1", True, 1000, 2, Reason.RANK),
    ]


def test_stop_keeps_floor_awards_ranked_after_the_stop():
    """Floor awards from phase 1 stand even when ranked after the stop."""
    districts = (District("A"), District("B", floor_cents=1))
    result = run(
        [
            cand("a1", 6000, score=90),
            cand("a2", 3000, score=80),
            cand("a3", 100, score=70),
            cand("b1", 1000, district="B", score=10),
        ],
        budget=8000,
        on_shortfall="stop",
        districts=districts,
    )
    assert rows(result) == [
        ("a1", True, 6000, 1, Reason.RANK),
        ("a2", False, 0, 2, Reason.BUDGET),
        ("a3", False, 0, 3, Reason.BUDGET),
        ("b1", True, 1000, 4, Reason.FLOOR),
    ]


def test_partial_awards_the_remaining_budget_and_stops():
    """Under partial the first budget miss gets what is left, then nobody else."""
    result = run(SHORTFALL_CANDIDATES, budget=8000, on_shortfall="partial")
    assert rows(result) == [
        ("first", True, 6000, 1, Reason.RANK),
        ("big", True, 2000, 2, Reason.PARTIAL),
        ("small", False, 0, 3, Reason.BUDGET),
    ]
    assert result.total_cents == 8000


def test_partial_exactly_at_min_partial_is_awarded():
    """A remaining budget equal to min_partial_cents is enough."""
    result = run(
        SHORTFALL_CANDIDATES, budget=8000, on_shortfall="partial", min_partial=2000
    )
    assert by_id(result)["big"].reason == Reason.PARTIAL
    assert by_id(result)["big"].amount_cents == 2000


def test_partial_below_min_partial_is_not_awarded_but_still_stops():
    """Too little left for a partial award: reason budget, and processing stops."""
    result = run(
        SHORTFALL_CANDIDATES, budget=8000, on_shortfall="partial", min_partial=2001
    )
    assert rows(result) == [
        ("first", True, 6000, 1, Reason.RANK),
        ("big", False, 0, 2, Reason.BUDGET),
        ("small", False, 0, 3, Reason.BUDGET),
    ]


def test_partial_is_not_awarded_when_it_would_exceed_the_cap():
    """A partial award must also stay within the district cap; it still stops."""
    districts = (District("A", cap_cents=7000), District("B"))
    candidates = [
        cand("first", 6000, score=90),
        cand("big", 5000, score=80),
        cand("b1", 1000, district="B", score=70),
    ]
    result = run(candidates, budget=8000, on_shortfall="partial", districts=districts)
    assert rows(result) == [
        ("first", True, 6000, 1, Reason.RANK),
        ("big", False, 0, 2, Reason.BUDGET),
        ("b1", False, 0, 3, Reason.BUDGET),
    ]


def test_partial_is_not_awarded_when_the_budget_is_used_up():
    """With nothing left, partial awards nothing (no awards of 0 cents) and stops."""
    result = run(
        [cand("first", 6000, score=90), cand("next", 10)],
        budget=6000,
        on_shortfall="partial",
        min_partial=0,
    )
    assert rows(result) == [
        ("first", True, 6000, 1, Reason.RANK),
        ("next", False, 0, 2, Reason.BUDGET),
    ]


def test_partial_goes_on_after_a_cap_only_miss():
    """A candidate that fits the budget but not the cap is skipped, not cut down."""
    districts = (District("A", cap_cents=1000), District("B"))
    result = run(
        [cand("a1", 2000, score=90), cand("b1", 3000, district="B")],
        budget=4000,
        on_shortfall="partial",
        districts=districts,
    )
    assert rows(result) == [
        ("a1", False, 0, 1, Reason.CAP),
        ("b1", True, 3000, 2, Reason.RANK),
    ]


# --- zero amounts and output ------------------------------------------------------


def test_zero_amount_gets_no_rank_and_is_listed_last_in_id_order():
    """Amount 0 means reason zero_amount, rank null, after all ranked candidates."""
    result = run(
        [cand("z0", 0, score=99), cand("a", 1000), cand("b0", 0, score=1)],
    )
    assert rows(result) == [
        ("a", True, 1000, 1, Reason.RANK),
        ("b0", False, 0, None, Reason.ZERO_AMOUNT),
        ("z0", False, 0, None, Reason.ZERO_AMOUNT),
    ]


def test_zero_amount_takes_no_part_in_floor_or_counts():
    """A zero-amount candidate neither fills a floor nor counts as an award."""
    districts = (District("A", floor_cents=100),)
    result = run([cand("z", 0, score=99), cand("a", 500)], districts=districts)
    assert by_id(result)["a"].reason == Reason.FLOOR
    assert by_id(result)["a"].rank == 1
    assert result.districts[0].count == 1


def test_amounts_of_candidates_not_awarded_are_zero():
    """Every refused candidate shows amount 0."""
    result = run(SHORTFALL_CANDIDATES, budget=1000, on_shortfall="skip")
    for row in result.results:
        assert row.awarded or row.amount_cents == 0


def test_districts_are_listed_in_input_order_with_totals_and_counts():
    """District results follow the input order and sum the awards per district."""
    districts = (District("Z"), District("A"), District("M"))
    result = run(
        [
            cand("a1", 100, district="A"),
            cand("a2", 200, district="A"),
            cand("z1", 300, district="Z"),
        ],
        districts=districts,
    )
    assert [(d.code, d.awarded_cents, d.count) for d in result.districts] == [
        ("Z", 300, 1),
        ("A", 300, 2),
        ("M", 0, 0),
    ]
    assert result.total_cents == 600


def test_no_candidates_gives_an_empty_result():
    """An empty round awards nothing and still lists its districts."""
    result = run([])
    assert result.total_cents == 0
    assert result.results == ()
    assert [(d.code, d.awarded_cents, d.count) for d in result.districts] == [
        ("A", 0, 0)
    ]


def test_to_json_gives_the_published_shape():
    """to_json renders reasons as strings and a missing rank as None (null)."""
    result = run([cand("a", 1000), cand("z", 0)])
    assert to_json(result) == {
        "total_cents": 1000,
        "results": [
            {
                "id": "a",
                "awarded": True,
                "amount_cents": 1000,
                "rank": 1,
                "reason": "rank",
            },
            {
                "id": "z",
                "awarded": False,
                "amount_cents": 0,
                "rank": None,
                "reason": "zero_amount",
            },
        ],
        "districts": [{"code": "A", "awarded_cents": 1000, "count": 1}],
    }
    assert type(to_json(result)["results"][0]["reason"]) is str


def test_reason_texts_give_a_dutch_fragment_for_every_reason():
    """Every reason has a non-empty letter fragment; the keys are the plain strings."""
    assert set(REASON_TEXTS) == {
        "floor",
        "rank",
        "partial",
        "budget",
        "cap",
        "zero_amount",
    }
    for reason in Reason:
        text = REASON_TEXTS[reason.value]
        assert text and text == text.strip() and not text.endswith(".")


def test_results_and_inputs_are_frozen():
    """The dataclasses in and out cannot be changed after the fact."""
    result = run([cand("a")])
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.results[0].amount_cents = 5
    with pytest.raises(dataclasses.FrozenInstanceError):
        cand("b").amount_cents = 5


# --- input validation -------------------------------------------------------------


def valid_document():
    return {
        "budget_cents": 5000,
        "mode": "ranking",
        "on_shortfall": "skip",
        "min_partial_cents": 0,
        "lottery_seed": None,
        "districts": [
            {"code": "OOST", "floor_cents": 1000, "cap_cents": None},
            {"code": "WEST", "floor_cents": 0, "cap_cents": 3000},
        ],
        "candidates": [
            {
                "id": "IF-2026-0001",
                "district": "OOST",
                "amount_cents": 2000,
                "score": 80,
                "received_at": "2026-03-01T10:00:00+01:00",
            },
            {
                "id": "IF-2026-0002",
                "district": "WEST",
                "amount_cents": 1500,
                "score": 72.5,
                "received_at": "2026-03-01T09:00:00Z",
            },
        ],
    }


def test_parse_input_builds_the_dataclasses_from_a_valid_document():
    """A valid document parses into enums, tuples and aware datetimes."""
    inp = parse_input(valid_document())
    assert inp.mode == "ranking" and inp.on_shortfall == "skip"
    assert inp.districts == (
        District("OOST", 1000, None),
        District("WEST", 0, 3000),
    )
    assert inp.candidates[1].received_at == datetime(2026, 3, 1, 9, tzinfo=UTC)
    assert [r.id for r in allocate(inp).results] == ["IF-2026-0001", "IF-2026-0002"]


def _set(path, value):
    def change(doc):
        target = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _delete(path):
    def change(doc):
        target = doc
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return change


def _duplicate_candidate(doc):
    doc["candidates"].append(dict(doc["candidates"][0]))


def _duplicate_district(doc):
    doc["districts"].append(dict(doc["districts"][0]))


BAD_INPUTS = {
    "missing budget": _delete(["budget_cents"]),
    "unknown top-level key": _set(["lotery_seed"], None),
    "negative budget": _set(["budget_cents"], -1),
    "boolean budget": _set(["budget_cents"], True),
    "float budget": _set(["budget_cents"], 5000.0),
    "string budget": _set(["budget_cents"], "5000"),
    "negative min_partial": _set(["min_partial_cents"], -1),
    "bad mode": _set(["mode"], "lottery"),
    "mode not a string": _set(["mode"], 1),
    "bad on_shortfall": _set(["on_shortfall"], "halt"),
    "empty seed": _set(["lottery_seed"], ""),
    "seed not a string": _set(["lottery_seed"], 42),
    "districts not a list": _set(["districts"], {"OOST": 0}),
    "district not an object": _set(["districts", 0], "OOST"),
    "district without code": _delete(["districts", 0, "code"]),
    "empty district code": _set(["districts", 0, "code"], ""),
    "negative floor": _set(["districts", 0, "floor_cents"], -5),
    "negative cap": _set(["districts", 1, "cap_cents"], -5),
    "boolean cap": _set(["districts", 1, "cap_cents"], False),
    "duplicate district code": _duplicate_district,
    "candidates not a list": _set(["candidates"], None),
    "unknown district": _set(["candidates", 0, "district"], "NOORD"),
    "candidate without district": _delete(["candidates", 0, "district"]),
    "unknown candidate key": _set(["candidates", 0, "wijk"], "OOST"),
    "negative amount": _set(["candidates", 0, "amount_cents"], -100),
    "boolean amount": _set(["candidates", 0, "amount_cents"], True),
    "float amount": _set(["candidates", 0, "amount_cents"], 100.5),
    "duplicate id": _duplicate_candidate,
    "numeric id": _set(["candidates", 0, "id"], 7),
    "empty id": _set(["candidates", 0, "id"], ""),
    "boolean score": _set(["candidates", 0, "score"], True),
    "string score": _set(["candidates", 0, "score"], "80"),
    "missing score": _delete(["candidates", 0, "score"]),
    "nan score": _set(["candidates", 0, "score"], float("nan")),
    "decimal nan score": _set(["candidates", 0, "score"], Decimal("NaN")),
    "infinite score": _set(["candidates", 0, "score"], float("inf")),
    "bad timestamp": _set(["candidates", 0, "received_at"], "1 maart 2026"),
    "impossible date": _set(["candidates", 0, "received_at"], "2026-02-30T10:00Z"),
    "naive timestamp": _set(["candidates", 0, "received_at"], "2026-03-01T10:00"),
    "numeric timestamp": _set(["candidates", 0, "received_at"], 1772355600),
}


@pytest.mark.parametrize("change", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_parse_input_rejects_each_kind_of_bad_input(change):
    """Every schema violation raises AllocationInputError with a one-line message."""
    doc = valid_document()
    change(doc)
    with pytest.raises(AllocationInputError) as caught:
        parse_input(doc)
    assert "\n" not in str(caught.value) and str(caught.value)


def test_parse_input_rejects_a_document_that_is_not_an_object():
    """The top level must be a JSON object."""
    with pytest.raises(AllocationInputError, match="JSON object"):
        parse_input([1, 2, 3])


def test_error_message_names_the_offending_place():
    """The message points at the candidate and the field."""
    doc = valid_document()
    doc["candidates"][1]["amount_cents"] = -3
    with pytest.raises(AllocationInputError, match=r"candidates\[1\]: amount_cents"):
        parse_input(doc)


def test_directly_built_input_is_validated_too():
    """AllocationInput checks district references without going through JSON."""
    with pytest.raises(AllocationInputError, match="not one of the districts"):
        AllocationInput(
            budget_cents=100,
            mode="ranking",
            on_shortfall="skip",
            min_partial_cents=0,
            lottery_seed=None,
            districts=(District("A"),),
            candidates=(cand("x", district="B"),),
        )


@pytest.mark.parametrize(
    "text",
    [
        "{",
        "",
        '{"budget_cents": NaN}',
        '{"budget_cents": 1, "budget_cents": 2}',
        b"\xff\xfe\x00garbage",
    ],
    ids=["truncated", "empty", "nan", "repeated key", "not utf-8"],
)
def test_loads_rejects_malformed_json(text):
    """Malformed JSON, NaN and repeated keys are input errors."""
    with pytest.raises(AllocationInputError):
        loads(text)


def test_loads_reads_fractional_scores_as_decimal():
    """JSON numbers with a fraction become Decimal, never float."""
    inp = loads(json.dumps(valid_document()))
    assert inp.candidates[1].score == Decimal("72.5")
    assert type(inp.candidates[1].score) is Decimal


# --- main() in process ------------------------------------------------------------


def test_main_writes_the_result_json_and_returns_zero():
    """main() reads stdin, writes the JSON result on stdout and exits 0."""
    out, err = io.StringIO(), io.StringIO()
    code = main([], io.StringIO(json.dumps(valid_document())), out, err)
    assert code == 0 and err.getvalue() == ""
    assert json.loads(out.getvalue())["total_cents"] == 3500


def test_main_reports_an_input_error_on_one_stderr_line_with_status_two():
    """main() answers bad input with status 2, one stderr line and no stdout."""
    out, err = io.StringIO(), io.StringIO()
    code = main([], io.StringIO('{"budget_cents": -1}'), out, err)
    assert code == 2 and out.getvalue() == ""
    assert err.getvalue().count("\n") == 1 and err.getvalue().endswith("\n")


def test_main_rejects_arguments():
    """main() takes its input only from stdin."""
    out, err = io.StringIO(), io.StringIO()
    assert main(["in.json"], io.StringIO("{}"), out, err) == 2
    assert out.getvalue() == ""


def test_parse_input_reports_the_first_clash_after_the_top_level_checks():
    """One pass over the candidates still reports in the order the dataclasses do:
    a bad field of a later candidate first, then the top-level keys, then the first
    repeated id or unknown district."""
    document = valid_document()
    document["candidates"].append(dict(document["candidates"][0]))
    with pytest.raises(AllocationInputError, match=r"^candidates\[\d+\]: duplicate id"):
        loads(json.dumps(document))
    document["budget_cents"] = -1
    with pytest.raises(AllocationInputError, match="budget_cents"):
        loads(json.dumps(document))
    document["candidates"].append(dict(document["candidates"][1], amount_cents=1.5))
    with pytest.raises(AllocationInputError, match="amount_cents"):
        loads(json.dumps(document))


def test_loads_gives_the_same_input_as_the_dataclasses():
    """The parsed input equals the one built field by field through Candidate."""
    document = valid_document()
    parsed = loads(json.dumps(document))
    built = [
        Candidate(
            c["id"],
            c["district"],
            c["amount_cents"],
            Decimal(str(c["score"])) if isinstance(c["score"], float) else c["score"],
            datetime.fromisoformat(c["received_at"]),
        )
        for c in document["candidates"]
    ]
    assert list(parsed.candidates) == built
