"""The beschikking's route, legal basis, voorschot and budget wording, from plain data
(``beoordeling.letters``), each read back from the rendered PDF."""

import dataclasses
import re
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beoordeling.letters import (
    PAYMENT_TERM,
    ROUTE_DIRECT,
    ROUTE_DIRECT_UP_TO,
    ROUTE_EX_OFFICIO,
    ROUTE_LATER,
    BudgetRefusal,
    LetterType,
    Settlement,
    legal_basis_items,
    payment_schedule,
    render_letter,
    settlement_for,
)
from subsidies.models import SettlementRoute
from tests.beoordeling.test_letters import make_content, pdf_pages


def text(content):
    return " ".join(pdf_pages(render_letter(content)))


def count(needle, haystack):
    return len(re.findall(re.escape(needle), haystack, re.IGNORECASE))


# --- one dictum per route ---------------------------------------------------------------


def test_the_route_values_are_the_schemes_choices():
    assert {ROUTE_LATER, ROUTE_DIRECT, ROUTE_DIRECT_UP_TO, ROUTE_EX_OFFICIO} == set(
        SettlementRoute.values
    )


@pytest.mark.parametrize(
    ("route", "limit", "awarded", "expected"),
    [
        (ROUTE_LATER, None, 100, Settlement.LATER),
        (ROUTE_DIRECT, None, 10_000_000, Settlement.DIRECT),
        (ROUTE_DIRECT_UP_TO, 500_000, 500_000, Settlement.DIRECT),
        (ROUTE_DIRECT_UP_TO, 500_000, 500_001, Settlement.LATER),
        (ROUTE_DIRECT_UP_TO, None, 1, Settlement.LATER),
    ],
)
def test_the_route_of_an_award(route, limit, awarded, expected):
    assert settlement_for(route, limit, awarded) is expected


def test_a_verlening_fixed_later_says_so_and_nothing_says_it_is_fixed_directly():
    """The old letter said 'verlenen' and then, under the scheme's text, that the
    subsidy is fixed directly when it is at most € 5.000: two routes at once."""
    page = text(make_content(settlement=Settlement.LATER))
    assert (
        "Wij verlenen u een subsidie van ten hoogste € 2.450,00 voor "
        "'Ideeën-café Overvecht'." in page
    )
    assert "Het definitieve bedrag stellen wij na afloop vast" in page
    assert "Na afloop van de activiteiten stellen wij vast hoeveel subsidie u" in page
    assert count("direct", page) == 0
    assert count("meteen vast", page) == 0


def test_a_direct_vaststelling_says_so_in_the_decision_the_dictum_and_after():
    content = make_content(
        settlement=Settlement.DIRECT,
        accountability="Bewaar de bonnen en foto's.",
    )
    page = text(content)
    assert (
        "Wij verlenen u een subsidie van € 2.450,00 voor 'Ideeën-café Overvecht' en "
        "stellen die meteen vast." in page
    )
    assert (
        "Met dit besluit stellen wij de subsidie ook meteen vast op dit bedrag" in page
    )
    assert "Wij hebben de subsidie met dit besluit al vastgesteld." in page
    assert (
        "Wij betalen u het hele bedrag van € 2.450,00 uiterlijk op 7 december 2026."
        in page
    )
    # Nothing later speaks of a vaststelling still to come, or of a voorschot.
    assert count("ten hoogste", page) == 0
    assert count("na afloop vast", page) == 0
    assert count("lager vaststellen", page) == 0
    assert count("voorschot", page) == 0
    assert "artikel 4:49 van de Awb" in page


# --- one legal basis block ----------------------------------------------------------------


def test_the_nadere_regel_is_named_once_with_its_title_and_date():
    content = make_content(
        legal_basis=(
            "Algemene wet bestuursrecht, titel 4.2 (subsidies); Algemene "
            "Subsidieverordening gemeente Utrecht (ASV); de nadere regel van de regeling."
        ),
        regulation_title="Nadere regel subsidie sociale basis gemeente Utrecht",
        regulation_date=date(2025, 11, 4),
    )
    page = text(content)
    assert legal_basis_items(content) == (
        "titel 4.2 van de Algemene wet bestuursrecht (Awb)",
        "de Algemene subsidieverordening gemeente Utrecht (ASV)",
        "Nadere regel subsidie sociale basis gemeente Utrecht van 4 november 2025",
    )
    assert count("Wij baseren dit besluit op:", page) == 1
    assert (
        count(
            "Nadere regel subsidie sociale basis gemeente Utrecht van 4 november 2025",
            page,
        )
        == 1
    )
    assert count("nadere regel", page) == 1
    assert count("titel 4.2", page) == 1
    assert count("(ASV)", page) == 1


def test_without_a_known_title_the_letter_names_no_nadere_regel():
    """'de nadere regel van de regeling' named nothing; without a title the letter says
    nothing about a nadere regel rather than something vague or invented."""
    content = make_content(
        legal_basis=(
            "Algemene wet bestuursrecht, titel 4.2 (subsidies); Algemene "
            "Subsidieverordening gemeente Utrecht (ASV); de nadere regel van de regeling."
        ),
        regulation_title="",
        regulation_date=date(2025, 11, 4),  # a date without a title is not printed
    )
    page = text(content)
    assert count("nadere regel", page) == 0
    assert count("4 november 2025", page) == 0
    assert count("titel 4.2", page) == 1


def test_a_title_without_a_date_is_named_without_a_date():
    content = make_content(
        legal_basis="Awb titel 4.2 en de ASV gemeente Utrecht.",
        regulation_title="Nadere regel Initiatievenfonds",
    )
    assert legal_basis_items(content)[-1] == "Nadere regel Initiatievenfonds"


# --- the voorschot in euros and dates of the activity period ----------------------------


def test_a_six_month_activity_gets_two_quarterly_parts_in_euros_with_dates():
    """The old letter said 'four equal parts per quarter' for a six-month activity,
    without an amount or a date."""
    content = make_content(
        requested_cents=1_000_000,
        awarded_cents=1_000_000,
        activity_start=date(2027, 3, 1),
        activity_end=date(2027, 8, 31),
        advance_percent=80,
        advance_part_months=3,
        payment="",
    )
    page = text(content)
    assert (
        "U krijgt een voorschot van € 8.000,00 (80% van de subsidie), in 2 delen:"
        in page
    )
    assert (
        "€ 4.000,00 uiterlijk op 1 maart 2027, voor de activiteiten van 1 maart 2027 "
        "tot en met 31 mei 2027;" in page
    )
    assert (
        "€ 4.000,00 uiterlijk op 1 juni 2027, voor de activiteiten van 1 juni 2027 "
        "tot en met 31 augustus 2027." in page
    )
    assert "De rest, ten hoogste € 2.000,00, betalen wij na de vaststelling." in page
    assert count("vier", page) == 0
    assert count("kwartaal", page) == 0


def test_parts_that_started_before_the_letter_are_paid_together_after_it():
    content = make_content(
        date_sent=date(2027, 4, 20),
        received_on=date(2027, 1, 5),
        complete_on=date(2027, 1, 6),
        requested_cents=1_000_001,
        awarded_cents=1_000_001,
        activity_start=date(2027, 3, 1),
        activity_end=date(2027, 8, 31),
        advance_percent=100,
        advance_part_months=1,
    )
    schedule = payment_schedule(
        awarded_cents=1_000_001,
        settlement=Settlement.LATER,
        advance_percent=100,
        part_months=1,
        start=date(2027, 3, 1),
        end=date(2027, 8, 31),
        date_sent=date(2027, 4, 20),
    )
    # March, April and May start before 4 May (sent plus two weeks): one payment then.
    assert [p.due for p in schedule] == [
        date(2027, 5, 4),
        date(2027, 6, 1),
        date(2027, 7, 1),
        date(2027, 8, 1),
    ]
    assert schedule[0].period == (date(2027, 3, 1), date(2027, 5, 31))
    assert sum(p.amount_cents for p in schedule) == 1_000_001
    page = text(content)
    assert "in 4 delen" in page
    assert "uiterlijk op 4 mei 2027, voor de activiteiten van 1 maart 2027" in page
    assert "Bij de vaststelling verrekenen wij het voorschot." in page


def test_without_a_voorschot_the_subsidy_is_paid_after_the_vaststelling():
    page = text(make_content(advance_percent=0))
    assert (
        "U krijgt geen voorschot. Wij betalen de subsidie na de vaststelling." in page
    )


@settings(max_examples=300, deadline=None)
@given(
    awarded=st.integers(min_value=1, max_value=10**12),
    percent=st.integers(min_value=0, max_value=100),
    months=st.integers(min_value=1, max_value=12),
    start=st.dates(min_value=date(2026, 1, 1), max_value=date(2030, 12, 31)),
    length=st.integers(min_value=0, max_value=4 * 366),
    sent_offset=st.integers(min_value=-400, max_value=400),
    direct=st.booleans(),
)
def test_the_payments_add_up_to_the_award_and_fit_the_period(
    awarded, percent, months, start, length, sent_offset, direct
):
    end = start + timedelta(days=length)
    sent = start + timedelta(days=sent_offset)
    schedule = payment_schedule(
        awarded_cents=awarded,
        settlement=Settlement.DIRECT if direct else Settlement.LATER,
        advance_percent=percent,
        part_months=months,
        start=start,
        end=end,
        date_sent=sent,
    )
    assert sum(p.amount_cents for p in schedule) == awarded
    assert all(
        isinstance(p.amount_cents, int) and p.amount_cents >= 0 for p in schedule
    )
    advances = [p for p in schedule if p.kind == "voorschot"]
    assert sum(p.amount_cents for p in advances) == (
        0 if direct else awarded * percent // 100
    )
    dues = [p.due for p in advances]
    assert dues == sorted(set(dues))
    for p in advances:
        assert p.due >= sent + PAYMENT_TERM
        assert start <= p.period[0] <= p.period[1] <= end
        assert p.due <= max(p.period[0], sent + PAYMENT_TERM)
    # The parts cover the period without gaps or overlaps.
    if advances:
        assert advances[0].period[0] == start and advances[-1].period[1] == end
        for a, b in zip(advances, advances[1:], strict=False):
            assert b.period[0] == a.period[1] + timedelta(days=1)
        # One part per block of ``months`` months (each at least 28 days a month).
        assert len(advances) <= (length + 1) // (28 * months) + 1


# --- a refusal when the rest is reserved for other wijken --------------------------------


def test_a_refusal_for_money_reserved_for_other_wijken_does_not_say_the_money_ran_out():
    content = make_content(
        LetterType.AFWIJZING_BUDGET,
        ceiling_reached=False,
        budget_refusal=BudgetRefusal.RESERVED,
    )
    page = text(content)
    assert "gegarandeerd minimum" in page
    assert (
        "Het geld dat nog niet was verdeeld, houden wij vast voor wijken die hun "
        "minimum nog niet hebben gekregen." in page
    )
    assert "Het plafond zelf is nog niet bereikt." in page
    assert count("Het geld was op", page) == 0
    assert count("4:25", page) == 0
    assert "artikel 4:26 van de Awb en de bekendgemaakte verdeelregel" in page


def test_a_refusal_because_the_ceiling_was_reached_says_so():
    page = text(
        make_content(
            LetterType.AFWIJZING_BUDGET,
            ceiling_reached=True,
            budget_refusal=BudgetRefusal.CEILING,
        )
    )
    assert "Het geld was op voordat uw aanvraag aan de beurt was." in page
    assert count("4:25", page) == 1
    assert count("gegarandeerd minimum", page) == 0


def test_the_validation_refuses_a_voorschot_outside_0_to_100():
    with pytest.raises(ValueError, match="voorschot"):
        render_letter(dataclasses.replace(make_content(), advance_percent=101))
