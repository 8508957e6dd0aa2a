"""Every fast CSV formatter (``cells``) writes what its widget and ``csv_value`` write.

The CSV export writes each value straight from the database to text with one function
per column; the widgets stay the definition. Here each fast function meets its widget
over edge values, with and without the decimal comma of Dutch Excel.
"""

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from django.utils import timezone as django_timezone

from beoordeling.overviews.exports.cells import FAST, csv_formatter
from beoordeling.overviews.exports.widgets import (
    DecimalWidget,
    IntegerWidget,
    LocalDateWidget,
    LocalMomentWidget,
    MoneyWidget,
    TextWidget,
)
from beoordeling.overviews.exports.writers import csv_value

TEXTS = [
    None,
    "",
    "Buurtfeest",
    "=1+1",
    "+31 30 123",
    "-5",
    "@SUM(A1)",
    "\tTab",
    "\rCR",
    '"quoted" text',
    ' "=1+1',
    "Buurtfeest;=1+1;klik",
    "a,b\n-c",
    "Zuid-Oost",
    "naïef € ß",
    0,
    12,
    Decimal("1E+2"),
    date(2026, 3, 31),
]
CENTS = [
    None,
    0,
    1,
    5,
    99,
    100,
    -1,
    -5,
    -99,
    -100,
    -123_456,
    123_456,
    10**17,
    -(10**17),
    9_223_372_036_854_775_807,
    Decimal("1234"),
    True,
]
DECIMALS = [
    None,
    Decimal("0"),
    Decimal("0.00"),
    Decimal("-0.5"),
    Decimal("72.50"),
    Decimal("1E+3"),
    Decimal("1.23E-7"),
    Decimal("-0"),
    7,
    "8.25",
]
INTEGERS = [None, 0, -1, 1, 10**20, True, False, Decimal("3.0"), "12"]
AMSTERDAM = timezone(timedelta(hours=1))
MOMENTS = [
    None,
    date(2026, 3, 31),
    date(1, 1, 1),
    datetime(2026, 3, 1, 23, 30, tzinfo=UTC),  # 2 March in Amsterdam
    datetime(2026, 12, 31, 23, 30, tzinfo=UTC),  # 2027 in Amsterdam
    datetime(2026, 6, 30, 22, 0, tzinfo=UTC),  # 1 July (summer time)
    datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # the night the clocks go back
    datetime(2026, 3, 1, 23, 30, tzinfo=AMSTERDAM),
    datetime(2026, 3, 1, 23, 30),  # naive: its own date
    "2026-03-31",
]

CASES = [
    (TextWidget(), TEXTS),
    (MoneyWidget(), CENTS),
    (DecimalWidget(), DECIMALS),
    (IntegerWidget(), INTEGERS),
    (LocalDateWidget(), MOMENTS),
    (LocalMomentWidget(), MOMENTS),
]


@pytest.mark.parametrize("decimal_comma", [False, True])
@pytest.mark.parametrize(
    "widget, values", CASES, ids=[type(widget).__name__ for widget, _ in CASES]
)
def test_the_fast_formatter_writes_what_the_widget_and_csv_value_write(
    widget, values, decimal_comma
):
    fast = csv_formatter(widget, decimal_comma=decimal_comma)
    for value in values:
        expected = csv_value(widget.render(value), decimal_comma=decimal_comma)
        assert fast(value) == expected, value


def test_every_fast_path_is_tested():
    tested = {type(widget).render for widget, _ in CASES}
    assert set(FAST) <= tested


def test_the_dates_are_those_of_the_current_time_zone():
    fast = csv_formatter(LocalDateWidget())
    moment = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    with django_timezone.override("America/New_York"):
        assert csv_formatter(LocalDateWidget())(moment) == "2026-03-01"
    assert fast(moment) == "2026-03-02"


def test_a_widget_that_renders_otherwise_is_called_as_declared():
    class Shouting(TextWidget):
        def render(self, value, obj=None, **kwargs):
            return super().render(value).upper()

    assert csv_formatter(Shouting())("=kwaad") == "'=KWAAD"


@pytest.mark.parametrize("decimal_comma", [False, True])
def test_a_computed_column_is_written_as_csv_value_writes_it(decimal_comma):
    fast = csv_formatter(None, decimal_comma=decimal_comma)
    for value in [*TEXTS, Decimal("-12.50"), datetime(2026, 3, 1, 12, 0), 3]:
        assert fast(value) == csv_value(value, decimal_comma=decimal_comma), value
