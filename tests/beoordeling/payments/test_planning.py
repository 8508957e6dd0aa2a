"""``plan_payments``: the ledger follows the application's facts, once."""

import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from beoordeling.models import Decision, PaymentInstruction
from beoordeling.payments.services.planning import plan_payments, plan_payments_many
from beoordeling.payments.services.statements import mark_paid_by_hand
from subsidies import facts, services
from subsidies.models import Application
from tests.beoordeling.payments.conftest import fix, revoke, yesterday
from tests.beoordeling.test_letters import pdf_pages
from tests.factories import RoundFactory, WijkFactory, assessor, decided_application

pytestmark = pytest.mark.django_db


def rows(application, **filters):
    return list(
        PaymentInstruction.objects.filter(application=application, **filters).order_by(
            "kind", "sequence"
        )
    )


def euro(cents):
    euros, rest = divmod(cents, 100)
    return f"€ {euros:,}".replace(",", ".") + f",{rest:02d}"


def letter_text(application):
    decision = Decision.objects.get(application=application, kind="verlening")
    with decision.document.file.open("rb") as handle:
        return " ".join(pdf_pages(handle.read()))


DUTCH_MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


def dutch_date(day):
    return f"{day.day} {DUTCH_MONTHS[day.month - 1]} {day.year}"


def test_the_advances_are_the_ones_the_verlening_letter_prints(award):
    """Each voorschot instruction's amount and date stand in the letter the applicant
    received, in the same order; together they are the scheme's 80 %."""
    application = award(1_000_000, advance_percent=80)
    advances = rows(application, kind="voorschot")
    assert len(advances) >= 2
    assert sum(r.amount_cents for r in advances) == 800_000
    text = letter_text(application)
    printed = re.findall(r"(€ [\d.]+,\d\d) uiterlijk op (\d+ \w+ \d{4})", text)
    assert printed == [(euro(r.amount_cents), dutch_date(r.due_on)) for r in advances]
    assert [r.end_to_end_id for r in advances] == [
        f"{application.reference}-V{i}" for i in range(1, len(advances) + 1)
    ]
    assert all(r.status == "open" for r in advances)


def test_planning_twice_changes_nothing(award):
    application = award(1_000_000)
    before = [(r.pk, r.amount_cents, r.due_on, r.status) for r in rows(application)]
    assert plan_payments(application) == []
    after = [(r.pk, r.amount_cents, r.due_on, r.status) for r in rows(application)]
    assert before == after


def test_a_direct_vaststelling_is_one_payment_within_ten_working_days(award):
    application = award(300_000, route="direct")
    assert application.status == "vastgesteld"
    (payment,) = rows(application)
    decision = Decision.objects.get(application=application, kind="verlening")
    assert (payment.kind, payment.amount_cents) == ("betaling", 300_000)
    text = letter_text(application)
    assert f"uiterlijk op {dutch_date(payment.due_on)}" in text
    assert (payment.due_on - decision.date_sent).days == 14


def test_the_rest_after_vaststelling_is_the_fixed_amount_minus_paid_advances(
    award, decider, composer
):
    """Set-off (Awb 4:52): the unpaid voorschotten lapse, one betaling pays the rest."""
    application = award(1_000_000, advance_percent=80)
    first, *later = rows(application, kind="voorschot")
    mark_paid_by_hand(
        instruction=first,
        actor=composer,
        paid_on=yesterday(),
        note="Gezien op afschrift",
    )
    application = fix(application, fixed_cents=900_000, decider=decider)
    assert [r.status for r in rows(application, kind="voorschot")] == [
        "betaald",
        *["vervallen"] * len(later),
    ]
    (payment,) = rows(application, kind="betaling")
    assert payment.amount_cents == 900_000 - first.amount_cents
    assert payment.end_to_end_id == f"{application.reference}-B1"
    assert (application.paid_cents, application.repaid_cents) == (first.amount_cents, 0)


def test_advances_above_the_fixed_amount_are_reclaimed_and_closing_follows(
    award, decider, composer
):
    application = award(1_000_000, advance_percent=80)
    for advance in rows(application, kind="voorschot"):
        mark_paid_by_hand(
            instruction=advance, actor=composer, paid_on=yesterday(), note="Afschrift"
        )
    application = fix(application, fixed_cents=500_000, decider=decider)
    (reclaim,) = rows(application, kind="terugvordering")
    assert (reclaim.amount_cents, reclaim.status) == (300_000, "open")
    assert reclaim.end_to_end_id == f"{application.reference}-T1"
    assert application.status == "vastgesteld"
    mark_paid_by_hand(
        instruction=reclaim, actor=composer, paid_on=yesterday(), note="Ontvangen"
    )
    application = Application.objects.get(pk=application.pk)
    assert (application.paid_cents, application.repaid_cents) == (800_000, 300_000)
    assert application.status == "afgesloten"
    assert application.transition_log.filter(
        transition="close", actor=composer
    ).exists()


def test_a_revoke_lapses_open_advances_and_reclaims_what_was_paid(
    award, decider, composer
):
    application = award(1_000_000, advance_percent=80)
    first, *later = rows(application, kind="voorschot")
    mark_paid_by_hand(instruction=first, actor=composer, paid_on=yesterday(), note="x")
    application = revoke(application, decider=decider)
    assert application.status == "subsidie_ingetrokken"
    assert [r.status for r in rows(application, kind="voorschot")][1:] == [
        "vervallen"
    ] * len(later)
    (reclaim,) = rows(application, kind="terugvordering")
    assert reclaim.amount_cents == first.amount_cents


def test_nothing_is_due_before_the_verlening_is_sent(decider):
    application = decided_application(
        wijk=WijkFactory(code="oost", name="Oost"),
        round=RoundFactory(),
        assessed_by=assessor(),
        decided_by=decider,
    )
    assert plan_payments(application) == []
    assert rows(application) == []


def test_a_wijziging_below_what_was_paid_reclaims_the_difference(
    award, decider, composer
):
    application = award(1_000_000, advance_percent=80)
    first, second, *later = rows(application, kind="voorschot")
    for advance in (first, second):
        mark_paid_by_hand(
            instruction=advance, actor=composer, paid_on=yesterday(), note="x"
        )
    paid = first.amount_cents + second.amount_cents
    facts.record_amendment(application, awarded_cents=paid - 50_000)
    application = services.fire(
        application=application, transition="amend", actor=decider
    )
    plan_payments(application)
    assert [r.status for r in rows(application, kind="voorschot")][2:] == [
        "vervallen"
    ] * len(later)
    (reclaim,) = rows(application, kind="terugvordering")
    assert (reclaim.amount_cents, reclaim.status) == (50_000, "open")


def ledger_of(application):
    """What planning leaves: the rows, and the application's totals and status."""
    application = Application.objects.get(pk=application.pk)
    return (
        [
            (r.end_to_end_id, r.kind, r.amount_cents, r.due_on, r.status)
            for r in rows(application)
        ],
        (application.paid_cents, application.repaid_cents, application.status),
    )


def test_planning_many_at_once_leaves_what_planning_each_alone_leaves(
    award, decider, composer
):
    """The letters of a round and the nightly run plan many ledgers in one go
    (``plan_payments_many``): each ends exactly as when planned alone, in every
    phase."""
    fresh = award(1_000_000)
    PaymentInstruction.objects.filter(application=fresh).delete()
    rest = award(1_000_000)
    first, *_ = rows(rest, kind="voorschot")
    mark_paid_by_hand(instruction=first, actor=composer, paid_on=yesterday(), note="x")
    services.fire(application=rest, transition="submit_report", actor=None)
    facts.record_fixed_amount(rest, fixed_cents=900_000, motivation="Minder kosten.")
    services.fire(application=rest, transition="fix", actor=decider)
    settled = award(1_000_000, advance_percent=100)
    for advance in rows(settled, kind="voorschot"):
        mark_paid_by_hand(
            instruction=advance, actor=composer, paid_on=yesterday(), note="x"
        )
    services.fire(application=settled, transition="submit_report", actor=None)
    facts.record_fixed_amount(
        settled, fixed_cents=1_000_000, motivation="Zoals begroot."
    )
    services.fire(application=settled, transition="fix", actor=decider)
    revoked = award(1_000_000)
    first, *_ = rows(revoked, kind="voorschot")
    mark_paid_by_hand(instruction=first, actor=composer, paid_on=yesterday(), note="x")
    services.fire(application=revoked, transition="revoke", actor=decider)
    unsent = decided_application(
        wijk=WijkFactory(code="oost", name="Oost"),
        round=RoundFactory(),
        assessed_by=assessor(),
        decided_by=decider,
    )
    everyone = [fresh, rest, settled, revoked, unsent]

    alone = {}
    for application in everyone:
        with transaction.atomic():
            changes = plan_payments(application)
            alone[application.pk] = (changes, ledger_of(application))
            transaction.set_rollback(True)
    # Settled: no row changes, but planning closes it.
    assert [bool(alone[a.pk][0]) for a in everyone] == [True, True, False, True, False]
    assert alone[settled.pk][1][1][2] == "afgesloten"

    together = plan_payments_many([a.pk for a in reversed(everyone)])
    assert together == {pk: changes for pk, (changes, _) in alone.items()}
    assert {a.pk: ledger_of(a) for a in everyone} == {
        pk: ledger for pk, (_, ledger) in alone.items()
    }


def test_planning_many_new_ledgers_takes_the_same_queries_for_two_or_five(award):
    """A chunk of verleningen is planned in a fixed number of queries: five new
    ledgers cost what two cost."""
    made = [award(1_000_000) for _ in range(5)]
    PaymentInstruction.objects.filter(application__in=made).delete()
    counts = []
    for chunk in (made[:2], made[2:]):
        with CaptureQueriesContext(connection) as queries:
            plan_payments_many([a.pk for a in chunk])
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert all(len(rows(a, kind="voorschot")) >= 2 for a in made)
