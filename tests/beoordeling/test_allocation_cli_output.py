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
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beoordeling.allocation import (
    AllocationInputError,
    _fast_compact,
    allocate,
    dumps,
    loads,
    main,
)

from .test_allocation_cli_fuzz import valid_documents

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


# --- the fast lane and the checked path give the same bytes -------------------------

FAST = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def checked(text):
    """The output of the checked path: parse into dataclasses, allocate, encode."""
    return dumps(allocate(loads(text)))


@pytest.mark.parametrize(("mode", "on_shortfall", "seed"), PINNED, ids=str)
def test_fast_lane_is_taken_for_a_round_the_portal_writes(mode, on_shortfall, seed):
    """A valid round in the portal's own key order goes through the fast lane, which
    gives the checked path's bytes."""
    text = json.dumps(generated_document(500, mode, on_shortfall, seed))
    assert _fast_compact(text) == checked(text)


@pytest.mark.parametrize(
    "name", ["ranking_partial", "ranking_stop", "receipt_skip"], ids=str
)
def test_fast_lane_reads_the_indented_golden_inputs(name):
    """Indented input with non-ASCII ids takes the fast lane to the same bytes."""
    text = (GOLDEN / f"{name}.in.json").read_text()
    assert _fast_compact(text) == checked(text)


@FAST
@given(document=valid_documents(), shuffle=st.randoms(use_true_random=False))
def test_fast_lane_gives_the_checked_bytes_for_any_valid_document(document, shuffle):
    """Any valid document, its keys in any order (the same for all candidates, or
    each its own): the CLI writes the checked path's bytes; the fast lane answers
    with those bytes or leaves the document to the checked path."""
    order = list(document["candidates"][0]) if document["candidates"] else []
    shuffle.shuffle(order)
    for candidate in document["candidates"]:
        if shuffle.random() < 0.2:
            shuffle.shuffle(order)
        for key in order:
            candidate[key] = candidate.pop(key)
    text = json.dumps(document)
    try:
        expected = checked(text)
    except AllocationInputError:
        assert _fast_compact(text) is None
        return
    assert run_main(text) == expected + "\n"
    assert _fast_compact(text) in (None, expected)


def _round(candidates):
    return {
        "budget_cents": 10_000,
        "mode": "ranking",
        "on_shortfall": "skip",
        "min_partial_cents": 0,
        "lottery_seed": None,
        "districts": [{"code": "OOST", "floor_cents": 0, "cap_cents": None}],
        "candidates": candidates,
    }


CANDIDATE = (
    '{"id": "a", "district": "OOST", "amount_cents": 100, "score": 1, '
    '"received_at": "2026-03-01T10:00:00Z"}'
)
REFUSED = {
    "a key repeated in a candidate": CANDIDATE.replace(
        '{"id": "a", ', '{"id": "b", ', 1
    ).replace("}", ', "id": "a"}'),
    "a key repeated instead of another": CANDIDATE.replace('"score"', '"district"'),
    "a repeated id": json.dumps(_round([json.loads(CANDIDATE)] * 2)),
    "an exponent beyond Decimal": CANDIDATE.replace(
        '"score": 1', '"score": 1e99999999999999999999'
    ),
    "a naive timestamp": CANDIDATE.replace("00Z", "00"),
    "a year without an Amsterdam day": CANDIDATE.replace(
        "2026-03-01T10:00:00Z", "0001-01-01T00:00:00+01:00"
    ),
    "an unknown district": CANDIDATE.replace('"OOST"', '"WEST"'),
}


@pytest.mark.parametrize("candidates", REFUSED.values(), ids=REFUSED.keys())
def test_fast_lane_leaves_every_input_error_to_the_checked_path(candidates):
    """An input error never passes the fast lane: the CLI answers it as the checked
    path does, status 2 and one line naming the problem."""
    text = (
        candidates
        if candidates.startswith('{"budget')
        else json.dumps(_round([])).replace("[]}", f"[{candidates}]}}")
    )
    assert _fast_compact(text) is None
    stdout, stderr = io.StringIO(), io.StringIO()
    assert main(argv=[], stdin=io.StringIO(text), stdout=stdout, stderr=stderr) == 2
    assert stdout.getvalue() == ""
    with pytest.raises(AllocationInputError) as error:
        loads(text)
    line = " ".join(str(error.value).split())
    assert stderr.getvalue() == f"beoordeling.allocation: invalid input: {line}\n"
