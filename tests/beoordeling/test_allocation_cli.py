"""`python -m beoordeling.allocation` as a separate process: JSON in, JSON out."""

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]

VALID = {
    "budget_cents": 5000,
    "mode": "ranking",
    "on_shortfall": "partial",
    "min_partial_cents": 100,
    "lottery_seed": None,
    "districts": [
        {"code": "OOST", "floor_cents": 1000, "cap_cents": None},
        {"code": "WEST", "floor_cents": 0, "cap_cents": 3000},
    ],
    "candidates": [
        {
            "id": "a",
            "district": "WEST",
            "amount_cents": 2000,
            "score": 90,
            "received_at": "2026-03-01T10:00:00+01:00",
        },
        {
            "id": "b",
            "district": "WEST",
            "amount_cents": 2000,
            "score": 80.5,
            "received_at": "2026-03-01T10:00:00Z",
        },
        {
            "id": "c",
            "district": "OOST",
            "amount_cents": 3000,
            "score": 70,
            "received_at": "2026-03-01T10:00:00Z",
        },
        {
            "id": "e",
            "district": "OOST",
            "amount_cents": 0,
            "score": 70,
            "received_at": "2026-03-01T10:00:00Z",
        },
    ],
}


def run_cli(stdin: str | bytes, *args: str) -> subprocess.CompletedProcess:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run(
        [sys.executable, "-m", "beoordeling.allocation", *args],
        input=data,
        capture_output=True,
        cwd=PROJECT_ROOT,
        timeout=60,
        check=False,
    )


def test_cli_turns_valid_input_into_the_result_json():
    """Valid input gives exit 0, the result JSON on stdout and nothing on stderr."""
    done = run_cli(json.dumps(VALID))
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    assert json.loads(done.stdout) == {
        "total_cents": 5000,
        "results": [
            {
                "id": "a",
                "awarded": True,
                "amount_cents": 2000,
                "rank": 1,
                "reason": "rank",
            },
            {
                "id": "b",
                "awarded": False,
                "amount_cents": 0,
                "rank": 2,
                "reason": "budget",
            },
            {
                "id": "c",
                "awarded": True,
                "amount_cents": 3000,
                "rank": 3,
                "reason": "floor",
            },
            {
                "id": "e",
                "awarded": False,
                "amount_cents": 0,
                "rank": None,
                "reason": "zero_amount",
            },
        ],
        "districts": [
            {"code": "OOST", "awarded_cents": 3000, "count": 1},
            {"code": "WEST", "awarded_cents": 2000, "count": 1},
        ],
    }


def _changed(change) -> str:
    doc = copy.deepcopy(VALID)
    change(doc)
    return json.dumps(doc)


def _missing_code(doc):
    doc["candidates"][0]["district"] = "NOORD"


def _district_without_code(doc):
    del doc["districts"][0]["code"]


def _negative_amount(doc):
    doc["candidates"][1]["amount_cents"] = -1


def _negative_budget(doc):
    doc["budget_cents"] = -5000


def _duplicate_id(doc):
    doc["candidates"][2]["id"] = "a"


def _bad_mode(doc):
    doc["mode"] = "loting"


def _bad_on_shortfall(doc):
    doc["on_shortfall"] = "halt"


def _amount_as_string(doc):
    doc["candidates"][0]["amount_cents"] = "2000"


def _budget_as_boolean(doc):
    doc["budget_cents"] = True


def _bad_timestamp(doc):
    doc["candidates"][0]["received_at"] = "gisteren"


INPUT_ERRORS = {
    "malformed JSON": '{"budget_cents": 5000,',
    "empty input": "",
    "not UTF-8": b"\xff\xfe{",
    "NaN": json.dumps(VALID).replace('"score": 90', '"score": NaN'),
    "top level not an object": "[]",
    "missing district code": _changed(_missing_code),
    "district without code": _changed(_district_without_code),
    "negative amount": _changed(_negative_amount),
    "negative budget": _changed(_negative_budget),
    "duplicate id": _changed(_duplicate_id),
    "bad mode": _changed(_bad_mode),
    "bad on_shortfall": _changed(_bad_on_shortfall),
    "wrong type": _changed(_amount_as_string),
    "boolean as int": _changed(_budget_as_boolean),
    "bad timestamp": _changed(_bad_timestamp),
}


@pytest.mark.parametrize("stdin", INPUT_ERRORS.values(), ids=INPUT_ERRORS.keys())
def test_cli_input_error_exits_2_with_one_stderr_line_and_no_stdout(stdin):
    """Every input error: exit status 2, exactly one line on stderr, empty stdout."""
    done = run_cli(stdin)
    assert done.returncode == 2
    assert done.stdout == b""
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1 and done.stderr.endswith(b"\n")
    assert "invalid input" in lines[0]


def test_cli_rejects_command_line_arguments():
    """Input comes from stdin only; an argument is an error with status 2."""
    done = run_cli(json.dumps(VALID), "in.json")
    assert done.returncode == 2
    assert done.stdout == b""
    assert len(done.stderr.decode().splitlines()) == 1


def test_importing_the_module_does_not_import_django():
    """beoordeling.allocation loads with the standard library only."""
    code = (
        "import sys, beoordeling.allocation; "
        "bad = sorted(m for m in sys.modules "
        "if m.split('.')[0] in {'django', 'wagtail', 'subsidies', 'portal', 'cms'}); "
        "print(bad)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        cwd=PROJECT_ROOT,
        timeout=60,
        check=True,
        text=True,
    )
    assert done.stdout.strip() == "[]"


# --- compact output, --indent, and the same result as before -----------------------

GOLDEN = Path(__file__).resolve().parent / "allocation_golden"


@pytest.mark.parametrize(
    "name", ["ranking_partial", "ranking_stop", "receipt_skip"], ids=str
)
def test_compact_output_parses_to_the_result_written_before(name):
    """300 candidates per case (non-ASCII ids, offsets, zero scores): the compact
    output parses to exactly what the indented CLI wrote before it went compact
    (files recorded with that version), and ``--indent 2`` gives those bytes again."""
    text = (GOLDEN / f"{name}.in.json").read_bytes()
    before = (GOLDEN / f"{name}.out.json").read_bytes()
    compact = run_cli(text)
    assert compact.returncode == 0, compact.stderr
    assert b"\n" not in compact.stdout.rstrip(b"\n")
    assert b", " not in compact.stdout and b'": ' not in compact.stdout
    assert json.loads(compact.stdout) == json.loads(before)
    indented = run_cli(text, "--indent", "2")
    assert indented.returncode == 0, indented.stderr
    assert indented.stdout == before


@pytest.mark.parametrize(
    ("args", "indent"),
    [((), None), (("--indent",), 2), (("--indent", "4"), 4), (("--indent=0",), 0)],
)
def test_indent_option_sets_the_indentation_only(args, indent):
    """--indent alone is two spaces, --indent N and --indent=N are N spaces."""
    done = run_cli(json.dumps(VALID), *args)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (
        done.stdout.decode()
        == (
            json.dumps(result, separators=(",", ":"))
            if indent is None
            else json.dumps(result, indent=indent)
        )
        + "\n"
    )


@pytest.mark.parametrize(
    "args", [("--indent", "x"), ("--indent", "2", "3"), ("--pretty",), ("in.json",)]
)
def test_other_arguments_are_refused_in_one_line(args):
    """Anything but --indent [N] is an input error: status 2, one line, no output."""
    done = run_cli(json.dumps(VALID), *args)
    assert done.returncode == 2
    assert done.stdout == b""
    assert done.stderr.decode().count("\n") == 1
    assert "--indent" in done.stderr.decode()
