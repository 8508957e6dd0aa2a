"""Hostile JSON for the allocation CLI: Hypothesis feeds ``beoordeling.allocation.main``
generated documents (random JSON, wrong types at every key, huge numbers, NaN-like
values, deep nesting, broken text and bytes) in-process.

The contract (design.md §5): exit status 0 with a result whose total stays within the
budget, or exit status 2 with exactly one line on stderr and nothing on stdout. Never
a traceback, never another exit status.
"""

import copy
import io
import json

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from beoordeling.allocation import main

FUZZ = settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

CODES = ["OOST", "WEST", "ZUID", "Leidsche Rijn", "ø"]
MOMENTS = [
    "2026-03-01T10:00:00+01:00",
    "2026-03-01T23:30:00Z",
    "2026-03-02T00:15:00+02:00",
    "2026-03-01T09:00:00.123456+00:00",
    # The ends of the calendar: valid ISO-8601, but no day in Amsterdam.
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-01:00",
]
#: Endings of candidate ids; a lone surrogate is legal JSON but no UTF-8 text.
ID_ENDINGS = ["", "-é", "\ud800"]
NAN_LIKE = [
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "1e309",
    "-0",
    "0x10",
    "",
    " ",
    "\x00",
    "null",
    "true",
]
#: Nesting depths; the edge of the recursion limit has a test of its own below.
DEPTHS = [1, 50, 500, 5_000, 100_000]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(-(10**400), 10**400),
    st.floats(),
    st.text(max_size=20),
    st.sampled_from(NAN_LIKE),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(max_size=12), inner, max_size=4),
    ),
    max_leaves=20,
)


def nested(depth, inner="0"):
    return "[" * depth + inner + "]" * depth


@st.composite
def valid_documents(draw):
    codes = draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=4, unique=True))
    districts = [
        {
            "code": code,
            "floor_cents": draw(st.integers(0, 5_000)),
            "cap_cents": draw(st.none() | st.integers(0, 10_000)),
        }
        for code in codes
    ]
    candidates = [
        {
            "id": f"aanvraag-{n}" + draw(st.sampled_from(ID_ENDINGS)),
            "district": draw(st.sampled_from(codes)),
            "amount_cents": draw(st.integers(0, 6_000)),
            "score": draw(
                st.integers(0, 100) | st.floats(0, 100, allow_subnormal=False)
            ),
            "received_at": draw(st.sampled_from(MOMENTS)),
        }
        for n in range(draw(st.integers(0, 8)))
    ]
    return {
        "budget_cents": draw(st.integers(0, 20_000)),
        "mode": draw(st.sampled_from(["ranking", "receipt"])),
        "on_shortfall": draw(st.sampled_from(["skip", "stop", "partial"])),
        "min_partial_cents": draw(st.integers(0, 2_000)),
        "lottery_seed": draw(st.none() | st.just("ronde-2026")),
        "districts": districts,
        "candidates": candidates,
    }


@st.composite
def broken_documents(draw):
    """A valid document with one key given a hostile value, removed, or joined by an
    unknown key, at the top, in a district or in a candidate."""
    document = copy.deepcopy(draw(valid_documents()))
    targets = [document]
    targets += document["districts"] + document["candidates"]
    target = draw(st.sampled_from(targets))
    key = draw(st.sampled_from(sorted(target)))
    change = draw(st.sampled_from(["value", "value", "remove", "unknown"]))
    if change == "value":
        target[key] = draw(json_values)
    elif change == "remove":
        del target[key]
    else:
        target[draw(st.text(max_size=10))] = draw(json_values)
    return document


def dumps(document):
    # allow_nan writes float("nan") as the bare token NaN, as a careless tool would.
    return json.dumps(document, allow_nan=True)


@st.composite
def text_documents(draw):
    """The JSON text itself damaged: cut off, a key repeated, deep nesting, garbage."""
    text = dumps(draw(valid_documents()))
    how = draw(
        st.sampled_from(["as is", "cut", "repeat key", "deep", "deep key", "garbage"])
    )
    if how == "cut":
        return text[: draw(st.integers(0, len(text)))]
    if how == "repeat key":
        return text.replace("{", '{"mode": "ranking", ', 1)
    if how == "deep":
        return nested(draw(st.sampled_from(DEPTHS)))
    if how == "deep key":
        depth = draw(st.sampled_from(DEPTHS))
        return text.replace(
            '"lottery_seed": ', f'"lottery_seed": {nested(depth)}, "x": ', 1
        )
    if how == "garbage":
        return draw(st.text(max_size=200))
    return text


documents = st.one_of(
    valid_documents().map(dumps),
    broken_documents().map(dumps),
    json_values.map(dumps),
    text_documents(),
)


def run(stdin):
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(argv=[], stdin=stdin, stdout=stdout, stderr=stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def assert_contract(text, code, out, err):
    event(f"exit {code}")
    assert code in (0, 2)
    if code == 2:
        assert out == ""
        assert err.endswith("\n") and err.count("\n") == 1
        assert len(err.splitlines()) == 1
        assert err.startswith("beoordeling.allocation: invalid input: ")
        return
    assert err == ""
    result = json.loads(out)
    given_input = json.loads(text)
    assert 0 <= result["total_cents"] <= given_input["budget_cents"]
    assert sum(r["amount_cents"] for r in result["results"]) == result["total_cents"]
    assert sorted(r["id"] for r in result["results"]) == sorted(
        c["id"] for c in given_input["candidates"]
    )


@FUZZ
@given(text=documents)
def test_any_json_text_gets_a_result_or_one_line_of_error(text):
    """Any text: exit 0 within the budget, or exit 2 with one stderr line, no stdout."""
    assert_contract(text, *run(io.StringIO(text)))


@FUZZ
@given(text=broken_documents().map(dumps))
def test_a_wrong_value_at_any_key_is_refused_in_one_line(text):
    """One broken key anywhere: refused in one line, or allocated within the budget."""
    assert_contract(text, *run(io.StringIO(text)))


@settings(FUZZ, max_examples=60)
@given(data=st.binary(max_size=300) | documents.map(lambda t: t.encode("utf-8")))
def test_raw_bytes_on_stdin_never_crash_the_cli(data):
    """The CLI reads bytes from stdin by default: invalid UTF-8 is an input error."""
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(argv=[], stdin=io.BytesIO(data), stdout=stdout, stderr=stderr)
    assert code in (0, 2)
    if code == 2:
        assert stdout.getvalue() == ""
        assert len(stderr.getvalue().splitlines()) == 1


@pytest.mark.parametrize(
    "number",
    ["1" + "0" * 400, "1" + "0" * 5000, "1e999999999", "-1e999999999", "1E-999999999"],
)
def test_huge_numbers_in_every_numeric_field_are_handled(number):
    """Numbers beyond any budget (or beyond Python's digit limit) never crash it."""
    base = dumps(
        {
            "budget_cents": 1,
            "mode": "ranking",
            "on_shortfall": "skip",
            "min_partial_cents": 0,
            "lottery_seed": None,
            "districts": [{"code": "OOST", "floor_cents": 0, "cap_cents": None}],
            "candidates": [
                {
                    "id": "a",
                    "district": "OOST",
                    "amount_cents": 1,
                    "score": 1,
                    "received_at": "2026-03-01T10:00:00Z",
                }
            ],
        }
    )
    for key in ("budget_cents", "floor_cents", "cap_cents", "amount_cents", "score"):
        for old in (f'"{key}": 1', f'"{key}": 0', f'"{key}": null'):
            if old in base:
                text = base.replace(old, f'"{key}": {number}', 1)
                code, out, err = run(io.StringIO(text))
                assert code in (0, 2), key
                if code == 2:
                    assert out == "" and len(err.splitlines()) == 1


def test_a_value_nested_just_below_the_parsers_limit_is_refused_in_one_line():
    """Nesting depth at the edge of the recursion limit is an input error too."""
    template = dumps(
        {
            "budget_cents": 100,
            "mode": "ranking",
            "on_shortfall": "skip",
            "min_partial_cents": 0,
            "lottery_seed": None,
            "districts": [],
            "candidates": [],
        }
    )
    for depth in range(900, 1000):
        text = template.replace(
            '"lottery_seed": null', f'"lottery_seed": {nested(depth)}'
        )
        try:
            code, out, err = run(io.StringIO(text))
        except RecursionError:
            pytest.fail(f"RecursionError at depth {depth}")
        assert code == 2 and out == "" and len(err.splitlines()) == 1
