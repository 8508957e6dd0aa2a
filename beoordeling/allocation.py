"""Spreiding over de stad: the published verdeelregel that turns a budget into awards.

Concept
-------
A round has a budget (subsidieplafond) and, per wijk (district), an optional
guaranteed minimum (floor) and an optional maximum (cap). Every candidate is an
assessed application with the amount it qualifies for. This module decides, as a
pure function, who gets what and why. It imports nothing but the standard
library: frozen dataclasses go in, frozen dataclasses come out, money is integer
cents throughout. ``python -m beoordeling.allocation < in.json > out.json`` runs
the same rule on the JSON form (see ``parse_input`` and ``to_json``); its output is
compact JSON, ``--indent`` makes it readable for people.

The rule (design.md section 5)
------------------------------
1. A candidate with amount 0 gets reason ``zero_amount``, rank null and takes no
   further part. Candidates not awarded show amount 0.
2. Order. ``ranking``: score descending, then received_at ascending, then id
   ascending. ``receipt``: calendar day of received_at in Europe/Amsterdam
   ascending; within a day by the SHA-256 hex digest of ``"{lottery_seed}:{id}"``
   ascending when a seed is given, else by received_at, then id. ``rank`` is the
   1-based position in this order (zero-amount candidates excluded).
3. Phase 1 (wijk guarantee): walk the order; award a candidate (reason ``floor``)
   when its district's awarded total is still below the district floor and the
   amount fits both the remaining budget and the district cap.
4. Phase 2: walk the order again over the candidates not yet awarded; award when
   the amount fits the remaining budget and the cap (reason ``rank``). On a miss:
   ``skip`` goes on; ``stop`` awards nobody after the first candidate that does
   not fit the budget (a cap miss still skips); ``partial`` awards the remaining
   budget to that candidate (reason ``partial``) when it is at least
   ``min_partial_cents`` and within the cap, and then, awarded or not, stops.
   Unawarded candidates get ``budget`` when their amount exceeded the remaining
   budget when considered or processing had stopped before them; else ``cap``.
5. ``results`` in rank order, zero-amount candidates last in id order;
   ``districts`` in input order with the awarded total and number of awards.
6. Total <= budget; no district above its cap; any order of the candidates gives
   the same output.

Interpretations (where the text left room)
------------------------------------------
- "Fits the budget" means amount <= remaining budget; "fits the cap" means no cap
  (null) or district total + amount <= cap.
- Phase 1 is one walk and assigns no reasons: a candidate it passes over is simply
  considered again in phase 2. ``on_shortfall`` applies to phase 2 only, so a
  phase-1 miss never stops anything. A floor award may take the district past its
  floor: the rule only asks that the district be below its floor before the award.
  A floor of 0 guarantees nothing.
- A candidate that misses both budget and cap is a budget miss (reason
  ``budget``, and it triggers ``stop``/``partial``). A candidate that fits the
  budget but not the cap always just skips with reason ``cap``, also under
  ``partial`` (handing it "the remaining budget" would exceed what it asked for).
- ``partial`` awards exactly the remaining budget, only when that is more than 0
  (no awards of 0 cents), at least ``min_partial_cents``, and district total +
  remaining <= cap. The candidate that triggers the stop gets ``budget`` unless it
  got the partial award; candidates after it that were not awarded in phase 1 get
  ``budget``. Floor awards made in phase 1 stand, also when ranked after the stop.
- Timestamps are compared as instants; an offset is required (a naive timestamp
  has no well-defined Amsterdam calendar day). Ids compare by code point. The
  lottery hashes the UTF-8 bytes of ``"{seed}:{id}"``; id is the last tie-break.
- Scores compare exactly (JSON numbers are read as Decimal, never float).
- Input is strict, for a published rule must not guess: all seven top-level keys
  are required, unknown or repeated keys are rejected, booleans are not numbers,
  ``100.0`` is not a number of cents, NaN and Infinity are rejected, ids and
  district codes must be unique non-empty strings, ``lottery_seed`` is null or a
  non-empty string. A floor above the cap, or floors summing above the budget, are
  allowed: the cap and the budget win.
"""

from __future__ import annotations

import gc
import json
import math
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from itertools import chain, compress
from itertools import count as count_from
from json.encoder import encode_basestring_ascii as _encode_string
from operator import attrgetter, not_
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
#: The years whose moments exist in UTC and in Amsterdam whatever their offset.
_SAFE_YEARS = range(2, 9999)


class AllocationInputError(ValueError):
    """The input breaks the published schema; the message is one readable line."""


class Mode(StrEnum):
    RANKING = "ranking"
    RECEIPT = "receipt"


class OnShortfall(StrEnum):
    SKIP = "skip"
    STOP = "stop"
    PARTIAL = "partial"


class Reason(StrEnum):
    FLOOR = "floor"
    RANK = "rank"
    PARTIAL = "partial"
    BUDGET = "budget"
    CAP = "cap"
    ZERO_AMOUNT = "zero_amount"


# Each text completes the letter sentence "... omdat <text>." (plain Dutch, B1).
REASON_TEXTS: dict[str, str] = {
    Reason.FLOOR: (
        "wij voor elke wijk een deel van het geld apart houden en uw wijk dat deel "
        "nog niet had gekregen"
    ),
    Reason.RANK: (
        "uw aanvraag in de volgorde van de verdeling aan de beurt was en er nog "
        "genoeg geld over was"
    ),
    Reason.PARTIAL: (
        "er niet genoeg geld meer over was voor het hele bedrag; u krijgt het "
        "bedrag dat nog over was"
    ),
    Reason.BUDGET: (
        "er niet genoeg geld meer over was toen uw aanvraag aan de beurt was"
    ),
    Reason.CAP: (
        "er voor elke wijk een hoogste bedrag is en uw wijk met uw aanvraag boven "
        "dat bedrag zou komen"
    ),
    Reason.ZERO_AMOUNT: "het bedrag voor uw aanvraag 0 euro is",
}


def _show(value: object) -> str:
    if isinstance(value, list | dict):
        # Never repr() a container: it may be nested a thousand levels deep.
        return "an array" if isinstance(value, list) else "an object"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _check_cents(value: object, name: str) -> None:
    if type(value) is not int or value < 0:
        raise AllocationInputError(
            f"{name} must be a whole number of cents >= 0, got {_show(value)}"
        )


def _check_text(value: object, name: str) -> None:
    if type(value) is not str or not value:
        raise AllocationInputError(
            f"{name} must be a non-empty string, got {_show(value)}"
        )
    try:
        value.encode("utf-8")  # the lottery hashes the UTF-8 bytes
    except UnicodeEncodeError:
        raise AllocationInputError(
            f"{name} is not valid Unicode text (a lone surrogate): {_show(value)}"
        ) from None


@dataclass(frozen=True, slots=True)
class District:
    code: str
    floor_cents: int = 0
    cap_cents: int | None = None

    def __post_init__(self) -> None:
        _check_text(self.code, "code")
        _check_cents(self.floor_cents, "floor_cents")
        if self.cap_cents is not None:
            _check_cents(self.cap_cents, "cap_cents")


@dataclass(frozen=True, slots=True)
class Candidate:
    id: str
    district: str
    amount_cents: int
    score: int | float | Decimal
    received_at: datetime

    def __post_init__(self) -> None:
        # The common case in one expression: ASCII text (valid UTF-8), whole cents,
        # an int or Decimal score, an aware datetime in an ordinary year (so it
        # exists in UTC and in Amsterdam). Anything else gets the checks one by one.
        id_, district, amount, score, moment = (
            self.id,
            self.district,
            self.amount_cents,
            self.score,
            self.received_at,
        )
        if (
            type(id_) is str
            and id_
            and id_.isascii()
            and type(district) is str
            and district
            and district.isascii()
            and type(amount) is int
            and amount >= 0
            and (type(score) is int or (type(score) is Decimal and score.is_finite()))
            and type(moment) is datetime
            and moment.tzinfo is not None
            and moment.year in _SAFE_YEARS
            and moment.utcoffset() is not None
        ):
            return
        self._check_one_by_one()

    def _check_one_by_one(self) -> None:
        _check_text(self.id, "id")
        _check_text(self.district, "district")
        _check_cents(self.amount_cents, "amount_cents")
        score = self.score
        kind = type(score)
        if not (
            kind is int
            or (kind is float and math.isfinite(score))
            or (kind is Decimal and score.is_finite())
        ):
            raise AllocationInputError(
                f"score must be a finite number, got {_show(score)}"
            )
        if not isinstance(self.received_at, datetime) or (
            self.received_at.utcoffset() is None
        ):
            raise AllocationInputError(
                "received_at must be a datetime with a UTC offset, "
                f"got {_show(self.received_at)}"
            )
        try:
            # The order compares moments in UTC and days in Amsterdam: both must exist.
            self.received_at.astimezone(UTC)
            self.received_at.astimezone(AMSTERDAM)
        except OverflowError:
            raise AllocationInputError(
                f"received_at lies outside the calendar: {_show(self.received_at)}"
            ) from None


@dataclass(frozen=True, slots=True)
class AllocationInput:
    budget_cents: int
    mode: Mode
    on_shortfall: OnShortfall
    min_partial_cents: int
    lottery_seed: str | None
    districts: tuple[District, ...]
    candidates: tuple[Candidate, ...]

    def __post_init__(self) -> None:
        codes = self._check_head()
        ids: dict[str, int] = {}
        for i, candidate in enumerate(self.candidates):
            if not isinstance(candidate, Candidate):
                raise AllocationInputError(f"candidates[{i}] must be a Candidate")
            problem = _candidate_clash(i, candidate.id, candidate.district, ids, codes)
            if problem:
                raise AllocationInputError(problem)

    def _check_head(self) -> dict[str, int]:
        """Everything but the candidates; returns each district code's index."""
        _check_cents(self.budget_cents, "budget_cents")
        _check_cents(self.min_partial_cents, "min_partial_cents")
        for name, kind in (("mode", Mode), ("on_shortfall", OnShortfall)):
            value = getattr(self, name)
            if type(value) is not kind:
                if not isinstance(value, str) or value not in set(kind):
                    allowed = ", ".join(repr(str(k)) for k in kind)
                    raise AllocationInputError(
                        f"{name} must be one of {allowed}, got {_show(value)}"
                    )
                object.__setattr__(self, name, kind(value))
        if self.lottery_seed is not None:
            _check_text(self.lottery_seed, "lottery_seed")
        object.__setattr__(self, "districts", tuple(self.districts))
        object.__setattr__(self, "candidates", tuple(self.candidates))
        codes: dict[str, int] = {}
        for i, district in enumerate(self.districts):
            if not isinstance(district, District):
                raise AllocationInputError(f"districts[{i}] must be a District")
            if district.code in codes:
                raise AllocationInputError(
                    f"districts[{i}]: duplicate code {_show(district.code)} "
                    f"(also districts[{codes[district.code]}])"
                )
            codes[district.code] = i
        return codes


def _candidate_clash(i: int, id_: str, district: str, ids: dict, codes: dict):
    """The message when candidate ``i`` repeats an id or names an unknown district
    (and records its id in ``ids``), else None."""
    if id_ in ids:
        return (
            f"candidates[{i}]: duplicate id {_show(id_)} (also candidates[{ids[id_]}])"
        )
    ids[id_] = i
    if district not in codes:
        return (
            f"candidates[{i}]: district {_show(district)} is not one of the districts"
        )
    return None


@dataclass(frozen=True, slots=True)
class CandidateResult:
    id: str
    awarded: bool
    amount_cents: int
    rank: int | None
    reason: Reason


@dataclass(frozen=True, slots=True)
class DistrictResult:
    code: str
    awarded_cents: int
    count: int


@dataclass(frozen=True, slots=True)
class AllocationResult:
    total_cents: int
    results: tuple[CandidateResult, ...]
    districts: tuple[DistrictResult, ...]


def _negated(score):
    # copy_negate is exact; unary minus on a Decimal would round to 28 digits.
    return score.copy_negate() if type(score) is Decimal else -score


def _order(mode, lottery_seed, ids, scores, moments, amounts) -> list[int]:
    """The indices of the candidates with an amount above 0, in the rule's order.

    The columns hold one value per candidate. Each sort key ends in the index, which
    is never compared: ids are unique, so the keys before it already decide."""
    live = list(compress(range(len(ids)), amounts))
    if mode is Mode.RANKING:
        keys = zip(
            [_negated(scores[i]) for i in live],
            [moments[i] for i in live],
            [ids[i] for i in live],
            live,
            strict=True,
        )
    else:
        live_moments = [moments[i] for i in live]
        live_ids = [ids[i] for i in live]
        days = [moment.astimezone(AMSTERDAM).date() for moment in live_moments]
        if lottery_seed is None:
            keys = zip(days, live_moments, live_ids, live, strict=True)
        else:
            from hashlib import sha256  # only a lottery needs it

            prefix = f"{lottery_seed}:"
            tickets = [sha256((prefix + id_).encode()).hexdigest() for id_ in live_ids]
            keys = zip(days, tickets, live_ids, live, strict=True)
    return [key[-1] for key in sorted(keys)]


def _rule(inp: AllocationInput, ids, districts, amounts, scores, moments):
    """The verdeelregel on columns (one list per candidate field).

    Returns the order (candidate indices, rank = position + 1), the amount and reason
    for each position, the remaining budget, and per district code the awarded total
    and count. ``allocate`` and the CLI both run the rule through here."""
    floors = {d.code: d.floor_cents for d in inp.districts}
    caps = {d.code: d.cap_cents for d in inp.districts}
    total = dict.fromkeys(floors, 0)
    count = dict.fromkeys(floors, 0)
    order = _order(inp.mode, inp.lottery_seed, ids, scores, moments, amounts)
    wanted = [(districts[i], amounts[i]) for i in order]
    awarded = [0] * len(order)
    reasons: list[Reason | None] = [None] * len(order)
    remaining = inp.budget_cents

    # Phase 1: the wijk guarantee.
    floor, rank, partial = Reason.FLOOR, Reason.RANK, Reason.PARTIAL
    for position, (code, amount) in enumerate(wanted):
        if total[code] < floors[code] and amount <= remaining:
            cap = caps[code]
            if cap is None or total[code] + amount <= cap:
                awarded[position] = amount
                reasons[position] = floor
                remaining -= amount
                total[code] += amount
                count[code] += 1

    # Phase 2: the order, with on_shortfall on a budget miss.
    on_shortfall = inp.on_shortfall
    stopped = False
    for position, (code, amount) in enumerate(wanted):
        if reasons[position] is not None:
            continue
        if stopped:
            reasons[position] = Reason.BUDGET
            continue
        cap = caps[code]
        if amount > remaining:
            reasons[position] = Reason.BUDGET
            if on_shortfall is OnShortfall.SKIP:
                continue
            stopped = True
            if (
                on_shortfall is OnShortfall.PARTIAL
                and remaining > 0
                and remaining >= inp.min_partial_cents
                and (cap is None or total[code] + remaining <= cap)
            ):
                awarded[position] = remaining
                reasons[position] = partial
                total[code] += remaining
                count[code] += 1
                remaining = 0
        elif cap is None or total[code] + amount <= cap:
            awarded[position] = amount
            reasons[position] = rank
            remaining -= amount
            total[code] += amount
            count[code] += 1
        else:
            reasons[position] = Reason.CAP
    return order, awarded, reasons, remaining, total, count


_AWARDED = frozenset((Reason.FLOOR, Reason.RANK, Reason.PARTIAL))


def allocate(inp: AllocationInput) -> AllocationResult:
    """Apply the verdeelregel to ``inp``; see the module docstring for the rule."""
    candidates = inp.candidates
    ids = [c.id for c in candidates]
    amounts = [c.amount_cents for c in candidates]
    order, awarded, reasons, remaining, total, count = _rule(
        inp,
        ids,
        [c.district for c in candidates],
        amounts,
        [c.score for c in candidates],
        [c.received_at for c in candidates],
    )
    results = [
        CandidateResult(ids[i], reason in _AWARDED, amount, position, reason)
        for position, i, amount, reason in zip(
            count_from(1), order, awarded, reasons, strict=False
        )
    ]
    results.extend(
        CandidateResult(id_, False, 0, None, Reason.ZERO_AMOUNT)
        for id_ in sorted(compress(ids, map(not_, amounts)))
    )
    return AllocationResult(
        total_cents=inp.budget_cents - remaining,
        results=tuple(results),
        districts=tuple(
            DistrictResult(d.code, total[d.code], count[d.code]) for d in inp.districts
        ),
    )


_TOP_KEYS = (
    "budget_cents",
    "mode",
    "on_shortfall",
    "min_partial_cents",
    "lottery_seed",
    "districts",
    "candidates",
)
_DISTRICT_KEYS = ("code", "floor_cents", "cap_cents")
_CANDIDATE_KEYS = ("id", "district", "amount_cents", "score", "received_at")


def _object(value: object, where: str, keys: tuple[str, ...]) -> dict:
    if not isinstance(value, dict):
        raise AllocationInputError(f"{where} must be a JSON object, got {_show(value)}")
    missing = [k for k in keys if k not in value]
    if missing:
        raise AllocationInputError(f"{where}: missing key {missing[0]!r}")
    unknown = sorted(str(k) for k in value if k not in keys)
    if unknown:
        raise AllocationInputError(f"{where}: unknown key {unknown[0]!r}")
    return value


def _list(value: object, where: str) -> list:
    if not isinstance(value, list):
        raise AllocationInputError(f"{where} must be a JSON array, got {_show(value)}")
    return value


def _timestamp(value: object) -> datetime:
    if type(value) is not str:
        raise AllocationInputError(
            f"received_at must be an ISO-8601 string, got {_show(value)}"
        )
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise AllocationInputError(
            f"received_at is not an ISO-8601 timestamp: {_show(value)}"
        ) from None
    if moment.utcoffset() is None:
        raise AllocationInputError(
            f"received_at needs a UTC offset such as +01:00 or Z: {_show(value)}"
        )
    return moment


_CANDIDATE_KEYSET = frozenset(_CANDIDATE_KEYS)


def _timestamp_in(value: object, i: int) -> datetime:
    try:
        return _timestamp(value)
    except AllocationInputError as error:
        raise AllocationInputError(f"candidates[{i}]: {error}") from None


def parse_input(obj: object) -> AllocationInput:
    """Build an ``AllocationInput`` from decoded JSON, or raise AllocationInputError.

    One pass over the candidates: each is checked once, and repeated ids and unknown
    districts are noted on the way; the first such clash is raised after the
    top-level keys and the districts are checked (the order ``AllocationInput``
    itself reports them in)."""
    top = _object(obj, "input", _TOP_KEYS)
    districts = []
    for i, raw in enumerate(_list(top["districts"], "districts")):
        where = f"districts[{i}]"
        d = _object(raw, where, _DISTRICT_KEYS)
        try:
            districts.append(District(d["code"], d["floor_cents"], d["cap_cents"]))
        except AllocationInputError as error:
            raise AllocationInputError(f"{where}: {error}") from None
    codes = {district.code: i for i, district in enumerate(districts)}
    candidates = []
    append = candidates.append
    ids: dict[str, int] = {}
    clash = None
    for i, raw in enumerate(_list(top["candidates"], "candidates")):
        if type(raw) is not dict or raw.keys() != _CANDIDATE_KEYSET:
            _object(raw, f"candidates[{i}]", _CANDIDATE_KEYS)
        received_at = raw["received_at"]
        try:
            moment = datetime.fromisoformat(received_at)
        except (TypeError, ValueError):
            moment = None
        if moment is None or moment.tzinfo is None:
            moment = _timestamp_in(received_at, i)
        try:
            candidate = Candidate(
                raw["id"], raw["district"], raw["amount_cents"], raw["score"], moment
            )
        except AllocationInputError as error:
            raise AllocationInputError(f"candidates[{i}]: {error}") from None
        append(candidate)
        if clash is None:
            id_ = candidate.id
            if id_ in ids or candidate.district not in codes:
                clash = _candidate_clash(i, id_, candidate.district, ids, codes)
            else:
                ids[id_] = i
    inp = object.__new__(AllocationInput)
    for name in _TOP_KEYS:
        object.__setattr__(inp, name, top[name])
    object.__setattr__(inp, "districts", tuple(districts))
    object.__setattr__(inp, "candidates", tuple(candidates))
    inp._check_head()
    if clash is not None:
        raise AllocationInputError(clash)
    return inp


def to_json(result: AllocationResult) -> dict:
    """The JSON form of ``result`` as published in design.md section 5."""
    return {
        "total_cents": result.total_cents,
        "results": [
            {
                "id": r.id,
                "awarded": r.awarded,
                "amount_cents": r.amount_cents,
                "rank": r.rank,
                "reason": r.reason._value_,
            }
            for r in result.results
        ],
        "districts": [
            {"code": d.code, "awarded_cents": d.awarded_cents, "count": d.count}
            for d in result.districts
        ],
    }


def _unique_keys(pairs: list[tuple[str, object]]) -> dict:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen = set()
        for key, _value in pairs:
            if key in seen:
                raise AllocationInputError(
                    f"repeated key {_show(key)} in a JSON object"
                )
            seen.add(key)
    return result


def _no_constant(name: str) -> None:
    raise AllocationInputError(f"{name} is not a valid number")


def loads(text: str | bytes) -> AllocationInput:
    """Parse a JSON document into an ``AllocationInput`` (numbers never as float)."""
    try:
        data = json.loads(
            text,
            parse_float=Decimal,
            parse_constant=_no_constant,
            object_pairs_hook=_unique_keys,
        )
    except (ValueError, RecursionError) as error:
        if isinstance(error, AllocationInputError):
            raise
        raise AllocationInputError(f"malformed JSON: {error}") from None
    except ArithmeticError:
        # decimal.InvalidOperation: an exponent beyond what Decimal can hold.
        raise AllocationInputError(
            "malformed JSON: a number with an exponent out of range"
        ) from None
    return parse_input(data)


# --- the CLI's fast lane ------------------------------------------------------------
#
# The CLI spends most of its time outside the rule: decoding the JSON, checking it,
# building a frozen Candidate per row, building a CandidateResult per row and encoding
# them again. The fast lane reads a plain valid document straight into columns with
# checks that run over a whole column at once, runs the same ``_rule`` and writes the
# rows as text with the encoder's own string escaping. It recognises only documents it
# can vouch for; anything else (an error, a repeated key, candidates with their keys
# in varying order, a year at the ends of the calendar) goes to the checked path,
# ``loads`` + ``allocate`` + ``dumps``, which gives the same bytes or names the error.
# tests/beoordeling/test_allocation_cli_output.py holds the two paths together.

_TOP_KEYSET = frozenset(_TOP_KEYS)
_DISTRICT_KEYSET = frozenset(_DISTRICT_KEYS)


def _pairs_object(pairs: object, keyset: frozenset) -> dict | None:
    """An object decoded as its (key, value) pairs, as a dict when it has exactly the
    keys of ``keyset``, each once; else None."""
    if type(pairs) is not tuple:
        return None
    obj = dict(pairs)
    if len(obj) != len(pairs) or obj.keys() != keyset:
        return None
    return obj


def _candidate_columns(rows: object, codes: dict) -> tuple | None:
    """Five columns (ids, districts, amounts, scores, moments) when every row is a
    valid candidate with its keys in one order for all rows, else None."""
    if type(rows) is not list:
        return None
    n = len(rows)
    if not n:
        return (), (), (), (), []
    if set(map(type, rows)) != {tuple} or set(map(len, rows)) != {5}:
        return None
    # key, value, key, value, ... for all rows: each tenth item from place 2j is the
    # key of every row's j-th pair, the one after it that pair's value.
    flat = list(chain.from_iterable(chain.from_iterable(rows)))
    by_key = {}
    for j in range(0, 10, 2):
        keys = flat[j::10]
        key = keys[0]
        if key in by_key or key not in _CANDIDATE_KEYSET or keys.count(key) != n:
            return None
        by_key[key] = flat[j + 1 :: 10]
    ids, districts, amounts, scores, stamps = (by_key[k] for k in _CANDIDATE_KEYS)
    if (
        set(map(type, ids)) != {str}
        or not all(ids)
        or len(set(ids)) != n
        or not codes.keys() >= set(districts)
        or set(map(type, amounts)) != {int}
        or min(amounts) < 0
        # A JSON number with a fraction or exponent is a Decimal and always finite.
        or not set(map(type, scores)) <= {int, Decimal}
        or set(map(type, stamps)) != {str}
    ):
        return None
    "".join(ids).encode()  # UnicodeEncodeError (a lone surrogate): the checked path
    moments = list(map(datetime.fromisoformat, stamps))
    if None in set(map(_TZINFO, moments)):
        return None
    years = set(map(_YEAR, moments))
    if min(years) < _SAFE_YEARS.start or max(years) >= _SAFE_YEARS.stop:
        return None
    return ids, districts, amounts, scores, moments


_TZINFO = attrgetter("tzinfo")
_YEAR = attrgetter("year")


def _fast_input(text: str | bytes):
    """(the input without candidates, its five candidate columns) for a plain valid
    document; None for anything the checked path should look at."""
    try:
        top = _pairs_object(
            json.loads(
                text,
                parse_float=Decimal,
                parse_constant=_no_constant,
                object_pairs_hook=tuple,
            ),
            _TOP_KEYSET,
        )
        if top is None or type(top["districts"]) is not list:
            return None
        districts = []
        for raw in top["districts"]:
            d = _pairs_object(raw, _DISTRICT_KEYSET)
            if d is None:
                return None
            districts.append(District(d["code"], d["floor_cents"], d["cap_cents"]))
        inp = object.__new__(AllocationInput)
        for name in _TOP_KEYS[:5]:
            object.__setattr__(inp, name, top[name])
        object.__setattr__(inp, "districts", tuple(districts))
        object.__setattr__(inp, "candidates", ())
        columns = _candidate_columns(top["candidates"], inp._check_head())
    except (ValueError, TypeError, ArithmeticError, RecursionError):
        # AllocationInputError is a ValueError, so is UnicodeError.
        return None
    return None if columns is None else (inp, columns)


_ROW = '{"id":%s,"awarded":%s,"amount_cents":%%d,"rank":%%d,"reason":"%s"}'
_ROWS = {
    reason: _ROW % ("%s", "true" if reason in _AWARDED else "false", reason._value_)
    for reason in Reason
}
_ZERO_ROW = (
    '{"id":%s,"awarded":false,"amount_cents":0,"rank":null,"reason":"zero_amount"}'
)
_DISTRICT_ROW = '{"code":%s,"awarded_cents":%d,"count":%d}'


def _fast_compact(text: str | bytes) -> str | None:
    """The compact output for a plain valid document, byte for byte what
    ``dumps(allocate(loads(text)))`` gives; None when the checked path must run."""
    fast = _fast_input(text)
    if fast is None:
        return None
    inp, (ids, districts, amounts, scores, moments) = fast
    order, awarded, reasons, remaining, total, count = _rule(
        inp, ids, districts, amounts, scores, moments
    )
    quote = _encode_string
    quoted = list(map(quote, ids))
    rows = [
        _ROWS[reason] % (quoted[i], amount, position)
        for position, i, amount, reason in zip(
            count_from(1), order, awarded, reasons, strict=False
        )
    ]
    rows.extend(
        map(_ZERO_ROW.__mod__, map(quote, sorted(compress(ids, map(not_, amounts)))))
    )
    district_rows = [
        _DISTRICT_ROW % (quote(d.code), total[d.code], count[d.code])
        for d in inp.districts
    ]
    return "".join(
        (
            '{"total_cents":',
            str(inp.budget_cents - remaining),
            ',"results":[',
            ",".join(rows),
            '],"districts":[',
            ",".join(district_rows),
            "]}",
        )
    )


USAGE = (
    "usage: python -m beoordeling.allocation [--indent [N]] < input.json > output.json"
)


def _indent(argv: list[str]) -> int | None:
    """None (compact) without arguments; ``--indent`` alone is 2 spaces."""
    if not argv:
        return None
    flag, *rest = argv
    if flag.startswith("--indent="):
        flag, rest = "--indent", [flag.split("=", 1)[1], *rest]
    if flag == "--indent" and len(rest) <= 1:
        if not rest:
            return 2
        if rest[0].isdigit() and len(rest[0]) <= 2:
            return int(rest[0])
    raise AllocationInputError(f"unexpected arguments ({USAGE})")


def dumps(result: AllocationResult, indent: int | None = None) -> str:
    """The result as JSON text: compact through the C encoder, or indented for
    people (the same values either way)."""
    if indent is None:
        return json.dumps(to_json(result), separators=(",", ":"))
    return json.dumps(to_json(result), indent=indent)


def main(argv=None, stdin=None, stdout=None, stderr=None) -> int:
    """Read the input JSON from stdin, write the result JSON to stdout.

    The output is compact JSON; ``--indent [N]`` indents it by N spaces (2 when N is
    left out) for people. Exit status 0 on success; 2 on an input error, with one
    line on stderr and nothing on stdout.
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    stdin = sys.stdin.buffer if stdin is None else stdin
    stdout = sys.stdout if stdout is None else stdout
    stderr = sys.stderr if stderr is None else stderr
    if argv in (["-h"], ["--help"]):
        stdout.write(USAGE + "\n")
        return 0
    # Hundreds of thousands of short-lived objects and not one reference cycle:
    # the cyclic garbage collector would only walk them again and again.
    collecting = gc.isenabled()
    gc.disable()
    try:
        indent = _indent(argv)
        text = stdin.read()
        out = None if indent is not None else _fast_compact(text)
        if out is None:
            out = dumps(allocate(loads(text)), indent)
        stdout.write(out)
        stdout.write("\n")
    except AllocationInputError as error:
        line = " ".join(str(error).split())
        stderr.write(f"beoordeling.allocation: invalid input: {line}\n")
        return 2
    finally:
        if collecting:
            gc.enable()
    return 0


if __name__ == "__main__":
    sys.exit(main())
