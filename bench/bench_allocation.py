"""Benchmark of the verdeelregel (beoordeling.allocation); prints, never asserts.

Times ``allocate`` on 1,000 / 10,000 / 100,000 random candidates over the ten
wijken (fixed random seed), in both modes, with the ratio to the 1,000 case; and
the full JSON round trip (``loads`` + ``allocate`` + ``to_json`` + ``json.dumps``)
that ``python -m beoordeling.allocation`` does. Linear scaling means a ratio of
about 10 and 100; the sort makes it slightly more.

    python bench/bench_allocation.py

``run()`` returns the same figures as a list of dicts for ``make bench``.
"""

import json
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from beoordeling.allocation import (  # noqa: E402
    AllocationInput,
    Candidate,
    District,
    allocate,
    loads,
    to_json,
)

SIZES = (1_000, 10_000, 100_000)
SEED = 20260301
WIJKEN = (
    "BINNENSTAD",
    "OOST",
    "NOORDOOST",
    "NOORDWEST",
    "OVERVECHT",
    "WEST",
    "ZUIDWEST",
    "ZUID",
    "LEIDSCHE_RIJN",
    "VLEUTEN_DE_MEERN",
)


def make_input(size: int, mode: str, seed: int = SEED) -> AllocationInput:
    """A round of ``size`` candidates asking about 2.5 times the budget."""
    rnd = random.Random(seed)
    start = datetime(2026, 3, 1, 8, tzinfo=UTC)
    candidates = tuple(
        Candidate(
            id=f"IF-2026-{n:06d}",
            district=rnd.choice(WIJKEN),
            amount_cents=rnd.choice((0, rnd.randrange(50_000, 2_000_001, 100))),
            score=rnd.randrange(0, 401) / 4,
            received_at=start + timedelta(seconds=rnd.randrange(0, 60 * 86_400)),
        )
        for n in range(size)
    )
    budget = sum(c.amount_cents for c in candidates) * 2 // 5
    districts = tuple(
        District(
            code, floor_cents=budget // 20, cap_cents=budget // 5 if i % 3 else None
        )
        for i, code in enumerate(WIJKEN)
    )
    return AllocationInput(
        budget_cents=budget,
        mode=mode,
        on_shortfall="partial" if mode == "ranking" else "skip",
        min_partial_cents=10_000,
        lottery_seed="bench" if mode == "receipt" else None,
        districts=districts,
        candidates=candidates,
    )


def _document(inp: AllocationInput) -> str:
    return json.dumps(
        {
            "budget_cents": inp.budget_cents,
            "mode": str(inp.mode),
            "on_shortfall": str(inp.on_shortfall),
            "min_partial_cents": inp.min_partial_cents,
            "lottery_seed": inp.lottery_seed,
            "districts": [
                {"code": d.code, "floor_cents": d.floor_cents, "cap_cents": d.cap_cents}
                for d in inp.districts
            ],
            "candidates": [
                {
                    "id": c.id,
                    "district": c.district,
                    "amount_cents": c.amount_cents,
                    "score": c.score,
                    "received_at": c.received_at.isoformat(),
                }
                for c in inp.candidates
            ],
        }
    )


def _best_of(repeat: int, func) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - started)
    return best


def run(sizes=SIZES, modes=("ranking", "receipt"), repeat: int = 3) -> list[dict]:
    """Time each size and mode; return one dict of figures per case."""
    figures = []
    for mode in modes:
        base = None
        for size in sizes:
            inp = make_input(size, mode)
            text = _document(inp)
            seconds = _best_of(repeat, lambda inp=inp: allocate(inp))
            round_trip = _best_of(
                repeat, lambda text=text: json.dumps(to_json(allocate(loads(text))))
            )
            base = seconds if base is None else base
            figures.append(
                {
                    "benchmark": "allocation",
                    "mode": mode,
                    "candidates": size,
                    "allocate_seconds": round(seconds, 4),
                    "ratio_to_first": round(seconds / base, 1),
                    "json_round_trip_seconds": round(round_trip, 4),
                }
            )
    return figures


NOTES = """\
- The pure rule on random candidates over the ten wijken (best of 3); the ratio is to
  the 1,000-candidate case of the same mode (linear would be 10 and 100). The 1,000
  case takes about a millisecond, so the ratios swing from run to run; above linear is
  the sort (n log n), Python's garbage collector and memory caches on the hundreds of
  thousands of small objects.
"""


def main() -> None:
    print(
        f"{'mode':<8} {'candidates':>10} {'allocate s':>11} {'ratio':>6} "
        f"{'json round trip s':>18}"
    )
    for row in run():
        print(
            f"{row['mode']:<8} {row['candidates']:>10,} {row['allocate_seconds']:>11.4f} "
            f"{row['ratio_to_first']:>6.1f} {row['json_round_trip_seconds']:>18.4f}"
        )


if __name__ == "__main__":
    main()
