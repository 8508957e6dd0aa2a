"""Euros as residents type them: parsed to Decimal, stored as cents, never float."""

from decimal import Decimal

import pytest

from subsidies.money import (
    AmountError,
    euros_to_cents,
    format_euros,
    format_input,
    parse_euros,
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1.234,56", "1234.56"),
        ("1234.56", "1234.56"),
        ("1234,56", "1234.56"),
        ("1234,5", "1234.50"),
        ("1234", "1234.00"),
        ("€ 1.234", "1234.00"),
        ("1.234.567,89", "1234567.89"),
        ("1,234.56", "1234.56"),
        (" 12,00 ", "12.00"),
        ("0,01", "0.01"),
        ("1\u00a0250", "1250.00"),
    ],
)
def test_dutch_and_english_notation_both_mean_what_a_dutch_reader_expects(
    typed, expected
):
    """'1.234,56', '1234.56' and '1234,56' are all one thousand two hundred ... euros."""
    assert parse_euros(typed) == Decimal(expected)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "empty"),
        ("abc", "invalid"),
        ("-5", "negative"),
        ("12,345", "invalid"),
        ("1234.567", "too_many_decimals"),
        ("1.2.3", "invalid"),
        ("1e6", "invalid"),
        ("NaN", "invalid"),
        ("12,34,56", "invalid"),
        ("<script>", "invalid"),
    ],
)
def test_anything_else_is_refused_with_a_reason(typed, code):
    """Ambiguous or hostile text is refused, never guessed."""
    with pytest.raises(AmountError) as error:
        parse_euros(typed)
    assert error.value.code == code


def test_cents_are_exact_integers():
    """Decimal euros become integer cents exactly; no float on the way."""
    assert euros_to_cents(Decimal("1234.56")) == 123456
    assert (
        euros_to_cents(parse_euros("0,10")) + euros_to_cents(parse_euros("0,20")) == 30
    )


def test_amounts_are_shown_in_dutch_notation():
    """123456 cents is shown as € 1.234,56, and back in a form field as 1.234,56."""
    assert format_euros(123456) == "€ 1.234,56"
    assert format_euros(200000000, with_cents=False) == "€ 2.000.000"
    assert format_euros(150, with_cents=False) == "€ 1,50"
    assert format_input(125050) == "1.250,50"
