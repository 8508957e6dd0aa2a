"""Benchmark of the verdeelregel (beoordeling.allocation); prints, never asserts.

Times ``allocate`` on 1,000 / 10,000 / 100,000 random candidates over the ten
wijken (fixed random seed), in both modes, with the ratio to the 1,000 case.
Linear scaling means a ratio of about 10 and 100; the sort makes it slightly more.

Then the CLI end to end, ``python -m beoordeling.allocation < in.json > out.json``
as its own process on 10,000 and 100,000 candidates, against its floor measured in
the same run: a Python process that reads the same input JSON with ``json.loads``
and writes it back with ``json.dumps`` (the C decoder and encoder, no checks, no
allocation in between). The CLI's own overhead is its CPU time minus the time of
the rule as the CLI runs it (``_rule``), and also, as earlier runs gave it, minus
``allocate`` alone. Wall times on a shared machine include waiting for a
core, so the CPU seconds (user + system of the child) are given next to them.

    python bench/bench_allocation.py

``run()`` returns the same figures as a list of dicts for ``make bench``.
"""

import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from beoordeling.allocation import (  # noqa: E402
    AllocationInput,
    Candidate,
    District,
    _fast_compact,
    _fast_input,
    _rule,
    allocate,
    loads,
)

ROOT = Path(__file__).resolve().parents[1]
CLI_SIZES = (10_000, 100_000)
#: The floor: the same interpreter reading and writing the same JSON, nothing else.
FLOOR = (
    "import json, sys; "
    "sys.stdout.write(json.dumps(json.loads(sys.stdin.buffer.read()), "
    "separators=(',', ':')) + '\\n')"
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


def _child(command: list[str], stdin_path: Path) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with stdin_path.open("rb") as stdin:
        started = time.perf_counter()
        subprocess.run(
            command, stdin=stdin, stdout=subprocess.DEVNULL, cwd=ROOT, check=True
        )
        wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _best_child(repeat: int, command: list[str], stdin_path: Path):
    runs = [_child(command, stdin_path) for _ in range(repeat)]
    return min(w for w, _ in runs), min(c for _, c in runs)


def _cpu_best_of(repeat: int, func) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        func()
        best = min(best, time.process_time() - started)
    return best


def run(sizes=SIZES, modes=("ranking", "receipt"), repeat: int = 5) -> list[dict]:
    """Time each size and mode, then the CLI against its floor; one dict per case."""
    figures = []
    inputs = {}
    for mode in modes:
        base = None
        for size in sizes:
            inp = make_input(size, mode)
            inputs[mode, size] = inp
            seconds = _best_of(repeat, lambda inp=inp: allocate(inp))
            base = seconds if base is None else base
            figures.append(
                {
                    "benchmark": "allocate",
                    "mode": mode,
                    "candidates": size,
                    "seconds": round(seconds, 4),
                    "ratio": round(seconds / base, 1),
                }
            )
    with tempfile.TemporaryDirectory() as folder:
        for mode in modes:
            for size in CLI_SIZES:
                inp = inputs.get((mode, size)) or make_input(size, mode)
                text = _document(inp)
                path = Path(folder) / f"{mode}-{size}.json"
                path.write_text(text)
                # Warm the page cache and the interpreter's .pyc files first.
                _child([sys.executable, "-m", "beoordeling.allocation"], path)
                wall, cpu = _best_child(
                    repeat, [sys.executable, "-m", "beoordeling.allocation"], path
                )
                floor_wall, floor_cpu = _best_child(
                    repeat, [sys.executable, "-c", FLOOR], path
                )
                allocate_cpu = _cpu_best_of(repeat, lambda inp=inp: allocate(inp))
                parse_cpu = _cpu_best_of(repeat, lambda text=text: loads(text))
                # The CLI's fast lane in process, stage by stage: columns from the
                # text, the rule on them (what the CLI spends on the allocation
                # itself), and the whole lane up to the output text.
                head, columns = _fast_input(text)
                columns_cpu = _cpu_best_of(repeat, lambda text=text: _fast_input(text))
                rule_cpu = _cpu_best_of(repeat, lambda h=head, c=columns: _rule(h, *c))
                lane_cpu = _cpu_best_of(repeat, lambda text=text: _fast_compact(text))
                figures.append(
                    {
                        "benchmark": "CLI end to end",
                        "mode": mode,
                        "candidates": size,
                        "seconds": round(wall, 3),
                        "cpu_s": round(cpu, 3),
                        "floor_cpu_s": round(floor_cpu, 3),
                        "floor_s": round(floor_wall, 3),
                        "ratio_to_floor_cpu": round(cpu / floor_cpu, 2),
                        "rule_cpu_s": round(rule_cpu, 3),
                        "overhead_cpu_s": round(cpu - rule_cpu, 3),
                        "overhead/rule": round((cpu - rule_cpu) / rule_cpu, 2),
                        "above_floor+rule_cpu_s": round(cpu - floor_cpu - rule_cpu, 3),
                        "read_and_check_cpu_s": round(columns_cpu, 3),
                        "write_cpu_s": round(lane_cpu - columns_cpu - rule_cpu, 3),
                        "allocate_cpu_s": round(allocate_cpu, 3),
                        "overhead/allocate": round(
                            (cpu - allocate_cpu) / allocate_cpu, 2
                        ),
                        "checked_parse_cpu_s": round(parse_cpu, 3),
                    }
                )
    return figures


NOTES = """\
- *allocate*: the pure rule on random candidates over the ten wijken (best of 5); the
  ratio is to the 1,000-candidate case of the same mode (linear would be 10 and 100).
  The 1,000 case takes about a millisecond, so the ratios swing from run to run; above
  linear is the sort (n log n) and memory caches on the many small objects.
- *CLI end to end*: ``python -m beoordeling.allocation`` as its own process (best of
  5), compact JSON out. Its floor is a Python process reading the same input with
  ``json.loads`` and writing it back with ``json.dumps``: interpreter start, the C
  decoder and the C encoder, nothing else. *rule* is the verdeelregel itself as the CLI
  runs it (``_rule`` on the columns: the sort and the two phases); *overhead* is the
  CLI's CPU seconds minus the rule, and *above floor+rule* what the CLI spends beyond
  the floor and the rule together. *read and check* is the fast lane from text to
  checked columns (the C decoder with each object as its pairs, so repeated keys
  show, then checks that run over a whole column at once); *write* the rows written
  as text with the encoder's own string escaping. *allocate* is the public
  ``allocate()`` on ready dataclasses (the rule plus one frozen CandidateResult per
  candidate, which the CLI does not build); *overhead/allocate* is the CLI minus that,
  the measure of earlier runs. *checked parse* is ``loads()``, the path for documents
  the fast lane does not vouch for (and for every input error). Each grows linearly
  from 10,000 to 100,000; the interpreter start (about 0.05 s) does not grow.
"""


def main() -> None:
    for row in run():
        print(", ".join(f"{key}={value}" for key, value in row.items()))


if __name__ == "__main__":
    main()
