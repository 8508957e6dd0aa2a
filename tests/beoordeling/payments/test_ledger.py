"""The ledger's one rule (``beoordeling.payments.ledger.plan``), as a pure function."""

from dataclasses import replace
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from beoordeling.letters import Settlement, payment_schedule
from beoordeling.payments import ledger
from beoordeling.payments.ledger import (
    Create,
    Facts,
    Kind,
    Phase,
    Row,
    State,
    Update,
)

GRANTED = Facts(
    phase=Phase.GRANTED,
    settlement=Settlement.LATER,
    awarded_cents=1_000_000,
    advance_percent=80,
    advance_part_months=3,
    activity_start=date(2026, 4, 1),
    activity_end=date(2026, 12, 31),
    letter_sent_on=date(2026, 3, 2),
    today=date(2026, 3, 2),
)


class Ledger:
    """Rows kept the way the service keeps them, to apply plans to."""

    def __init__(self):
        self.rows: dict[int, Row] = {}
        self.next_key = 1

    def apply(self, changes):
        for change in changes:
            if isinstance(change, Create):
                self.rows[self.next_key] = Row(
                    self.next_key,
                    change.kind,
                    change.sequence,
                    change.amount_cents,
                    change.due_on,
                    State.OPEN,
                )
                self.next_key += 1
            elif isinstance(change, Update):
                row = self.rows[change.key]
                assert row.state is State.OPEN and not row.locked
                self.rows[change.key] = replace(
                    row, amount_cents=change.amount_cents, due_on=change.due_on
                )
            else:
                row = self.rows[change.key]
                assert row.state is State.OPEN and not row.locked
                self.rows[change.key] = replace(row, state=State.LAPSED)

    def plan(self, facts):
        changes = ledger.plan(facts, tuple(self.rows.values()))
        self.apply(changes)
        assert ledger.plan(facts, tuple(self.rows.values())) == [], "not idempotent"
        return changes

    def open(self, kind=None):
        return [
            r
            for r in self.rows.values()
            if r.state is State.OPEN and (kind is None or r.kind is kind)
        ]

    def pay(self, row):
        self.rows[row.key] = replace(self.rows[row.key], state=State.PAID)

    def lock(self, row):
        self.rows[row.key] = replace(self.rows[row.key], locked=True)

    def net(self):
        paid, repaid = ledger.totals(tuple(self.rows.values()))
        return paid - repaid


def test_the_advances_are_the_letters_schedule():
    """One rule: the voorschotten the ledger plans are the parts the verlening prints."""
    book = Ledger()
    book.plan(GRANTED)
    letter = payment_schedule(
        awarded_cents=GRANTED.awarded_cents,
        settlement=Settlement.LATER,
        advance_percent=80,
        part_months=3,
        start=GRANTED.activity_start,
        end=GRANTED.activity_end,
        date_sent=GRANTED.letter_sent_on,
    )
    advances = [p for p in letter if p.kind == "voorschot"]
    rows = sorted(book.rows.values(), key=lambda r: r.sequence)
    assert [(r.kind, r.amount_cents, r.due_on) for r in rows] == [
        (Kind.ADVANCE, p.amount_cents, p.due) for p in advances
    ]
    assert sum(r.amount_cents for r in rows) == 800_000


def test_a_direct_vaststelling_is_paid_whole_within_ten_working_days():
    facts = replace(
        GRANTED, settlement=Settlement.DIRECT, phase=Phase.FIXED, fixed_cents=1_000_000
    )
    book = Ledger()
    book.plan(facts)
    (row,) = book.rows.values()
    assert (row.kind, row.amount_cents, row.due_on) == (
        Kind.PAYMENT,
        1_000_000,
        date(2026, 3, 16),  # dagtekening + 2 weeks: the letter's "10 werkdagen"
    )


def test_after_the_vaststelling_the_rest_is_the_fixed_amount_minus_paid_advances():
    book = Ledger()
    book.plan(GRANTED)
    first, second, *rest = sorted(book.open(), key=lambda r: r.sequence)
    book.pay(first)
    book.pay(second)
    paid = first.amount_cents + second.amount_cents
    fixed = replace(
        GRANTED, phase=Phase.FIXED, fixed_cents=900_000, fixed_on=date(2027, 3, 1)
    )
    book.plan(fixed)
    assert all(book.rows[r.key].state is State.LAPSED for r in rest)
    (payment,) = book.open()
    assert payment.kind is Kind.PAYMENT
    assert payment.amount_cents == 900_000 - paid
    assert payment.due_on == date(2027, 3, 15)


def test_advances_paid_above_the_fixed_amount_are_reclaimed():
    book = Ledger()
    book.plan(GRANTED)
    for row in book.open():
        book.pay(row)
    fixed = replace(
        GRANTED, phase=Phase.FIXED, fixed_cents=600_000, fixed_on=date(2027, 3, 1)
    )
    book.plan(fixed)
    (reclaim,) = book.open()
    assert (reclaim.kind, reclaim.amount_cents) == (Kind.RECLAIM, 200_000)
    assert reclaim.due_on == date(2027, 4, 12)  # six weeks, Awb 4:87 lid 1


def test_a_revoke_lapses_what_is_open_and_reclaims_what_was_paid():
    book = Ledger()
    book.plan(GRANTED)
    first, *rest = sorted(book.open(), key=lambda r: r.sequence)
    book.pay(first)
    revoked = replace(
        GRANTED, phase=Phase.REVOKED, fixed_cents=0, revoked_on=date(2026, 6, 1)
    )
    book.plan(revoked)
    assert all(book.rows[r.key].state is State.LAPSED for r in rest)
    (reclaim,) = book.open()
    assert (reclaim.kind, reclaim.amount_cents) == (Kind.RECLAIM, first.amount_cents)


def test_a_locked_row_is_never_changed_and_counts_as_underway():
    """An advance in an approved batch may still be paid by the bank: the rest after
    the vaststelling leaves it out, and it does not lapse."""
    book = Ledger()
    book.plan(GRANTED)
    first, second, *_ = sorted(book.open(), key=lambda r: r.sequence)
    book.pay(first)
    book.lock(second)
    fixed = replace(
        GRANTED, phase=Phase.FIXED, fixed_cents=1_000_000, fixed_on=date(2026, 9, 1)
    )
    book.plan(fixed)
    assert book.rows[second.key].state is State.OPEN
    (payment,) = book.open(Kind.PAYMENT)
    assert payment.amount_cents == 1_000_000 - first.amount_cents - second.amount_cents


def test_no_reclaim_after_five_years():
    """Awb 4:57 lid 4: after the limit no terugvordering is made any more."""
    book = Ledger()
    book.plan(GRANTED)
    for row in book.open():
        book.pay(row)
    late = replace(
        GRANTED,
        phase=Phase.FIXED,
        fixed_cents=0,
        fixed_on=date(2027, 1, 1),
        reclaim_limit_on=date(2032, 1, 1),
        today=date(2032, 1, 2),
    )
    assert not any(
        isinstance(c, Create) for c in ledger.plan(late, tuple(book.rows.values()))
    )


def test_a_wijziging_below_what_was_paid_shrinks_the_advances_and_reclaims():
    """The wijziging letter reclaims what was paid above the new award at once; the
    voorschotten still open shrink so that together they stay within the new one."""
    book = Ledger()
    book.plan(GRANTED)
    first, second, *rest = sorted(book.open(), key=lambda r: r.sequence)
    book.pay(first)
    book.pay(second)
    paid = first.amount_cents + second.amount_cents
    lowered = replace(
        GRANTED, awarded_cents=paid - 10_000, last_letter_on=date(2026, 9, 1)
    )
    book.plan(lowered)
    assert all(book.rows[r.key].state is State.LAPSED for r in rest)
    (reclaim,) = book.open(Kind.RECLAIM)
    assert (reclaim.amount_cents, reclaim.due_on) == (10_000, date(2026, 10, 13))
    smaller = replace(GRANTED, awarded_cents=500_000)
    book = Ledger()
    book.plan(GRANTED)
    first, *_ = sorted(book.open(), key=lambda r: r.sequence)
    book.pay(first)
    book.plan(smaller)
    advances = [
        r
        for r in book.rows.values()
        if r.kind is Kind.ADVANCE and r.state is not State.LAPSED
    ]
    assert sum(r.amount_cents for r in advances) == 400_000  # 80 % of the new award
    assert book.open(Kind.RECLAIM) == []


def test_end_to_end_ids():
    assert ledger.end_to_end_id("IF-2026-0042", Kind.ADVANCE, 1) == "IF-2026-0042-V1"
    assert ledger.end_to_end_id("IF-2026-0042", Kind.RECLAIM, 2) == "IF-2026-0042-T2"


# --- the property ----------------------------------------------------------------------

steps = st.lists(
    st.one_of(
        st.tuples(st.just("pay"), st.integers(0, 20)),
        st.tuples(st.just("lock"), st.integers(0, 20)),
        st.tuples(st.just("repay"), st.integers(0, 20)),
        st.tuples(st.just("fix"), st.integers(0, 100)),
        st.tuples(st.just("amend"), st.integers(0, 100)),
        st.tuples(st.just("revoke"), st.just(0)),
    ),
    max_size=25,
)


@settings(max_examples=300, deadline=None)
@given(
    awarded=st.integers(1, 5_000_000),
    percent=st.integers(0, 100),
    months=st.integers(1, 12),
    direct=st.booleans(),
    steps=steps,
)
def test_paid_minus_repaid_ends_at_the_fixed_amount(
    awarded, percent, months, direct, steps
):
    """Over any sequence of awards, advances paid (or stuck in a batch), wijzigingen
    that lower the award, a vaststelling at a random lower amount, an intrekking and
    repayments: paid minus repaid is never below zero nor above the award, and once
    everything open is settled it equals the fixed amount (0 after an intrekking)."""
    facts = replace(
        GRANTED,
        awarded_cents=awarded,
        advance_percent=percent,
        advance_part_months=months,
        settlement=Settlement.DIRECT if direct else Settlement.LATER,
        phase=Phase.FIXED if direct else Phase.GRANTED,
        fixed_cents=awarded if direct else None,
    )
    book = Ledger()
    book.plan(facts)
    for action, n in steps:
        if action == "pay" and (rows := book.open()):
            row = rows[n % len(rows)]
            if row.kind is not Kind.RECLAIM:
                book.pay(row)
        elif action == "repay" and (rows := book.open(Kind.RECLAIM)):
            book.pay(rows[n % len(rows)])
        elif action == "lock" and (
            rows := [r for r in book.open() if r.kind is not Kind.RECLAIM]
        ):
            book.lock(rows[n % len(rows)])
        elif action == "fix" and facts.phase is Phase.GRANTED:
            facts = replace(
                facts,
                phase=Phase.FIXED,
                fixed_cents=facts.awarded_cents * n // 100,
                fixed_on=date(2027, 1, 4),
            )
        elif action == "amend" and facts.phase is Phase.GRANTED:
            # A wijzigingsbesluit lowers the award (never raises it).
            facts = replace(facts, awarded_cents=facts.awarded_cents * n // 100)
        elif action == "revoke" and facts.phase is not Phase.REVOKED:
            facts = replace(
                facts, phase=Phase.REVOKED, fixed_cents=0, revoked_on=date(2027, 2, 1)
            )
        book.plan(facts)
        assert 0 <= book.net() <= awarded
    if facts.phase is Phase.GRANTED:
        facts = replace(
            facts,
            phase=Phase.FIXED,
            fixed_cents=awarded // 2,
            fixed_on=date(2027, 1, 4),
        )
        book.plan(facts)
    # Settle: the bank pays everything open (locked or not), the recipient repays.
    for _ in range(4):
        for row in book.open():
            book.pay(row)
            book.plan(facts)
            assert 0 <= book.net() <= awarded
    assert book.open() == []
    assert book.net() == (facts.fixed_cents or 0)
