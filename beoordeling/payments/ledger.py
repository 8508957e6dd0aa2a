"""The payment ledger's one rule: which instructions an application's facts call for.

Pure (no Django): the service ``plan_payments`` reads the facts and the ledger rows
from the database, asks ``plan`` what to change and writes that. The rule:

- Before the vaststelling, on the route where the amount is fixed later, the
  voorschotten are the letter's own schedule (``beoordeling.letters.payment_schedule``,
  the same call the verlening prints: Awb 4:95), one instruction per part.
- Once the amount is fixed (a direct vaststelling with the verlening, or a
  vaststelling later, Awb 4:42), the voorschotten that were not paid lapse and the
  difference between the fixed amount and what reached the recipient is settled (Awb
  4:52, set-off of the voorschotten): a ``betaling`` when it is positive, a
  ``terugvordering`` (Awb 4:57) when more was paid than was fixed.
- After a withdrawal (intrekking, Awb 4:48/4:49) the fixed amount is 0: everything
  open lapses and all that was paid is reclaimed.

An instruction that is in an approved or exported batch is *locked*: the bank may
pay it, so the plan never changes it and counts it as paid when it settles the rest.
Paid and lapsed instructions never change. Amounts are integer cents; ``plan`` is
idempotent: applied to its own result it asks for nothing.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta

from beoordeling.letters import PAYMENT_TERM, Payment, Settlement, payment_schedule

#: How long after the vaststelling the rest is paid: the 10 werkdagen the verlening
#: promises for a direct vaststelling (``letters.PAYMENT_TERM``), well within the six
#: weeks of Awb 4:87 lid 1.
REST_TERM = PAYMENT_TERM
#: The term to pay back a terugvordering: the six weeks of Awb 4:87 lid 1.
RECLAIM_TERM = timedelta(weeks=6)


class Kind(enum.StrEnum):
    ADVANCE = "voorschot"
    PAYMENT = "betaling"
    RECLAIM = "terugvordering"


class State(enum.StrEnum):
    OPEN = "open"
    PAID = "betaald"
    LAPSED = "vervallen"


class Phase(enum.Enum):
    """Where the application stands for the money."""

    NONE = "none"  # not (yet) awarded with a sent verlening: nothing is due
    GRANTED = "granted"  # verleend, amount not fixed yet
    FIXED = "fixed"  # vastgesteld (directly or later), or closed
    REVOKED = "revoked"  # ingetrokken: the fixed amount is 0


#: The letter of each kind in the end-to-end id: ``IF-2026-0042-V1``.
ID_LETTER = {Kind.ADVANCE: "V", Kind.PAYMENT: "B", Kind.RECLAIM: "T"}


def end_to_end_id(reference: str, kind: Kind, sequence: int) -> str:
    """The id that travels with the money through the bank (SEPA EndToEndId, at most
    35 characters) and that a recipient quotes when paying back."""
    return f"{reference}-{ID_LETTER[Kind(kind)]}{sequence}"


@dataclass(frozen=True)
class Row:
    """One ledger row as the plan sees it."""

    key: int
    kind: Kind
    sequence: int
    amount_cents: int
    due_on: date
    state: State
    locked: bool = False

    @property
    def outgoing(self) -> bool:
        return self.kind is not Kind.RECLAIM


@dataclass(frozen=True)
class Facts:
    """What the application's facts say about its money."""

    phase: Phase
    settlement: Settlement
    awarded_cents: int
    fixed_cents: int | None = None
    advance_percent: int = 0
    advance_part_months: int = 3
    activity_start: date | None = None
    activity_end: date | None = None
    letter_sent_on: date | None = None  # the verlening's dagtekening
    fixed_on: date | None = None
    revoked_on: date | None = None
    #: Awb 4:57 lid 4: after this day no terugvordering is made any more.
    reclaim_limit_on: date | None = None
    #: The dagtekening of the latest beschikking after the award (vaststelling,
    #: wijziging, intrekking, terugvordering): a terugvordering is due 6 weeks later,
    #: the date that letter prints (Awb 4:87 lid 1).
    last_letter_on: date | None = None
    today: date | None = None


@dataclass(frozen=True)
class Create:
    kind: Kind
    sequence: int
    amount_cents: int
    due_on: date
    period: tuple[date, date] | None = None


@dataclass(frozen=True)
class Update:
    key: int
    amount_cents: int
    due_on: date


@dataclass(frozen=True)
class Lapse:
    key: int


Change = Create | Update | Lapse


def totals(rows: tuple[Row, ...] | list[Row]) -> tuple[int, int]:
    """``(paid_cents, repaid_cents)``: what reached the recipient and what came back."""
    paid = sum(r.amount_cents for r in rows if r.state is State.PAID and r.outgoing)
    repaid = sum(
        r.amount_cents for r in rows if r.state is State.PAID and not r.outgoing
    )
    return paid, repaid


def schedule(facts: Facts) -> tuple[Payment, ...]:
    """The verlening letter's schedule for these facts (``letters.payment_schedule``)."""
    if facts.letter_sent_on is None or facts.activity_start is None:
        return ()
    return payment_schedule(
        awarded_cents=facts.awarded_cents,
        settlement=facts.settlement,
        advance_percent=facts.advance_percent,
        part_months=facts.advance_part_months,
        start=facts.activity_start,
        end=facts.activity_end or facts.activity_start,
        date_sent=facts.letter_sent_on,
    )


def _next_sequence(rows, kind) -> int:
    return max((r.sequence for r in rows if r.kind is kind), default=0) + 1


def _advances(facts: Facts, rows: list[Row]) -> list[Change]:
    """The letter's voorschotten; after a wijziging that lowered the award, the open
    ones shrink so that all voorschotten together stay within the new schedule, and
    what was paid above the new award is reclaimed at once (as the letter says)."""
    wanted = {i: p for i, p in enumerate(schedule(facts), 1) if p.kind == "voorschot"}
    have = {r.sequence: r for r in rows if r.kind is Kind.ADVANCE}
    fixed_rows = [
        r
        for r in have.values()
        if r.state is State.PAID or (r.state is State.OPEN and r.locked)
    ]
    budget = sum(p.amount_cents for p in wanted.values())
    budget -= sum(r.amount_cents for r in fixed_rows)
    changes: list[Change] = []
    for sequence, payment in wanted.items():
        row = have.get(sequence)
        if row is not None and (
            row.state is not State.OPEN or row.locked or row in fixed_rows
        ):
            continue
        amount = max(0, min(payment.amount_cents, budget))
        budget -= amount
        if row is None:
            if amount:
                changes.append(
                    Create(Kind.ADVANCE, sequence, amount, payment.due, payment.period)
                )
        elif not amount:
            changes.append(Lapse(row.key))
        elif (row.amount_cents, row.due_on) != (amount, payment.due):
            changes.append(Update(row.key, amount, payment.due))
    for sequence, row in have.items():
        if sequence not in wanted and row.state is State.OPEN and not row.locked:
            changes.append(Lapse(row.key))
    paid, repaid = totals(rows)
    open_rows = [r for r in rows if r.state is State.OPEN and not r.locked]
    due = facts.last_letter_on or facts.today or facts.letter_sent_on
    changes += _ensure(
        facts,
        rows,
        open_rows,
        Kind.RECLAIM,
        (paid - repaid) - facts.awarded_cents,
        _reclaim_due(facts, due),
    )
    return changes


def _ensure(facts, rows, open_rows, kind, amount, due) -> list[Change]:
    """One open, unlocked row of ``kind`` for ``amount`` (none when it is not
    positive, or for a terugvordering after the five-year limit)."""
    mine = [r for r in open_rows if r.kind is kind]
    if amount > 0 and kind is Kind.RECLAIM and _past_reclaim_limit(facts):
        amount = 0
    if amount <= 0:
        return [Lapse(r.key) for r in mine]
    keep, *rest = mine or [None]
    if keep is None:
        return [Create(kind, _next_sequence(rows, kind), amount, due)]
    changes: list[Change] = [Lapse(r.key) for r in rest]
    if keep.amount_cents != amount:
        changes.insert(0, Update(keep.key, amount, keep.due_on))
    return changes


def _settle(facts: Facts, rows: list[Row], fixed: int, due: date) -> list[Change]:
    """Make the open, unlocked rows settle ``fixed`` against what was paid."""
    changes: list[Change] = []
    open_rows = [r for r in rows if r.state is State.OPEN and not r.locked]
    # Unpaid voorschotten are not paid any more: the rest is paid as one betaling.
    changes += [Lapse(r.key) for r in open_rows if r.kind is Kind.ADVANCE]
    paid, repaid = totals(rows)
    underway = sum(
        r.amount_cents
        for r in rows
        if r.state is State.OPEN and r.locked and r.outgoing
    )
    # Pay what the fixed amount leaves after what was paid or is underway; reclaim
    # only what actually reached the recipient above it (an advance still underway is
    # reclaimed once the bank has paid it, never before).
    to_pay = fixed - (paid - repaid) - underway
    to_reclaim = (paid - repaid) - fixed
    changes += _ensure(facts, rows, open_rows, Kind.PAYMENT, to_pay, due)
    changes += _ensure(
        facts, rows, open_rows, Kind.RECLAIM, to_reclaim, _reclaim_due(facts, due)
    )
    return changes


def _reclaim_due(facts: Facts, due: date) -> date:
    at = facts.revoked_on if facts.phase is Phase.REVOKED else facts.fixed_on
    return (facts.last_letter_on or at or facts.today or due) + RECLAIM_TERM


def _past_reclaim_limit(facts: Facts) -> bool:
    return bool(
        facts.reclaim_limit_on and facts.today and facts.today > facts.reclaim_limit_on
    )


def plan(facts: Facts, rows: tuple[Row, ...] | list[Row]) -> list[Change]:
    """The changes that make ``rows`` agree with ``facts`` (none when they do)."""
    rows = list(rows)
    if facts.phase is Phase.NONE:
        return []
    if facts.phase is Phase.REVOKED:
        return _settle(facts, rows, 0, facts.revoked_on or facts.today)
    if facts.settlement is Settlement.DIRECT:
        fixed = facts.fixed_cents
        if fixed is None:
            fixed = facts.awarded_cents
        payments = schedule(facts)
        if not payments:
            return []
        return _settle(facts, rows, fixed, payments[0].due)
    if facts.phase is Phase.FIXED:
        fixed_on = facts.fixed_on or facts.today
        return _settle(facts, rows, facts.fixed_cents or 0, fixed_on + REST_TERM)
    return _advances(facts, rows)
