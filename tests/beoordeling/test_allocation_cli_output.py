"""The allocation CLI's compact output, pinned to the byte.

``python -m beoordeling.allocation`` writes compact JSON. These tests pin those bytes
for documents recorded before the CLI got its fast lane (issue 19): the golden files
(indented output of an earlier version, re-encoded compactly) and generated rounds of
a few thousand candidates whose output's SHA-256 was recorded with the code as it was
before the fast lane. The fast lane (parsing into columns, writing the rows as text)
must give exactly the bytes of the checked path (``dumps(allocate(loads(text)))``),
for every valid document Hypothesis can think of, and must actually be taken for the
documents the portal itself writes.
"""

import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from beoordeling.allocation import allocate, dumps, loads, main

PROJECT_ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "allocation_golden"
WIJKEN = ("BINNENSTAD", "OOST", "NOORDOOST", "WEST", "ZUID", "VLEUTEN_DE_MEERN")
OFFSETS = ("+01:00", "Z", "+02:00", "-03:30")


def generated_document(size, mode, on_shortfall, seed):
    """A round of ``size`` candidates from a fixed arithmetic sequence (no random
    module, so the bytes never depend on the Python version): a third asks 0, scores
    as whole numbers and as decimals with ties, moments in four offsets with repeated
    instants, a few ids outside ASCII."""
    state = 0x2545F491 ^ seed

    def draw(bound):
        nonlocal state
        state = (state * 6364136223846793005 + 1442695040888963407) % 2**64
        return (state >> 33) % bound

    candidates = []
    for n in range(size):
        amount = 0 if draw(3) == 0 else 50_000 + 100 * draw(19_500)
        score = draw(101) if draw(2) else draw(401) / 4
        day, minute = 1 + draw(20), draw(24 * 60 // 7) * 7
        candidates.append(
            {
                "id": f"IF-2026-{n:06d}" + ("-é" if n % 97 == 5 else ""),
                "district": WIJKEN[draw(len(WIJKEN))],
                "amount_cents": amount,
                "score": score,
                "received_at": (
                    f"2026-03-{day:02d}T{minute // 60:02d}:{minute % 60:02d}:00"
                    + OFFSETS[draw(len(OFFSETS))]
                ),
            }
        )
    budget = sum(c["amount_cents"] for c in candidates) * 2 // 5
    return {
        "budget_cents": budget,
        "mode": mode,
        "on_shortfall": on_shortfall,
        "min_partial_cents": 10_000,
        "lottery_seed": "ronde-2026" if seed % 2 else None,
        "districts": [
            {
                "code": code,
                "floor_cents": budget // 15 if i % 2 else 0,
                "cap_cents": (None, budget // 9, budget // 5)[i % 3],
            }
            for i, code in enumerate(WIJKEN)
        ],
        "candidates": candidates,
    }


#: SHA-256 of the compact output (with its newline) of each generated round, recorded
#: with the CLI as it was before the fast lane (commit e3fc377).
PINNED = {
    ("ranking", "partial", 1): (
        "1973fe300b3ee0637ca707da2915b3940bceb41e3d86edcdc97a3d96abad908a"
    ),
    ("ranking", "stop", 2): (
        "8cb4bd5e07b69c3072aefcde582f9bf1cef39cbf60badaed71d048152371ea59"
    ),
    ("receipt", "skip", 3): (
        "566d114c237a1c0c709948a29107deaf4d23040cc858e90c565e4b635639f3d8"
    ),
    ("receipt", "partial", 4): (
        "b1c6507169d36b2cc8c7d3c2c694d82eee02fc1b8aeb23e8c18493a436817e4e"
    ),
}


def run_main(text, *argv):
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(argv=list(argv), stdin=io.BytesIO(text.encode()), stdout=stdout)
    assert code == 0, stderr.getvalue()
    return stdout.getvalue()


@pytest.mark.parametrize(("mode", "on_shortfall", "seed"), PINNED, ids=str)
def test_generated_round_gives_the_pinned_bytes(mode, on_shortfall, seed):
    """A round of 3,000 candidates gives byte for byte the output recorded before the
    fast lane: same order, amounts, reasons, totals and escaping."""
    text = json.dumps(generated_document(3_000, mode, on_shortfall, seed))
    out = run_main(text)
    digest = hashlib.sha256(out.encode()).hexdigest()
    assert digest == PINNED[mode, on_shortfall, seed]
    assert out == dumps(allocate(loads(text))) + "\n"


@pytest.mark.parametrize(
    "name", ["ranking_partial", "ranking_stop", "receipt_skip"], ids=str
)
def test_cli_process_writes_the_golden_results_compactly_byte_for_byte(name):
    """The CLI as its own process writes, byte for byte, the golden results (recorded
    indented by an earlier version) in compact form, non-ASCII ids escaped."""
    text = (GOLDEN / f"{name}.in.json").read_bytes()
    before = json.loads((GOLDEN / f"{name}.out.json").read_bytes())
    done = subprocess.run(
        [sys.executable, "-m", "beoordeling.allocation"],
        input=text,
        capture_output=True,
        cwd=PROJECT_ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == json.dumps(before, separators=(",", ":")).encode() + b"\n"
