"""The CSV text of a column's values, worked out per column once for a whole file.

A CSV cell is ``csv_value(widget.render(value))``: for money a ``Decimal`` made and
then formatted, for a date a date rendered and then formatted, for a text a ``str``
and the CSV-injection check. ``csv_formatters`` gives each column one function that
writes those same characters straight from the value as the database gives it, for
the widgets of ``widgets``; a widget whose ``render`` is another one is called as
declared. ``tests/beoordeling/overviews/test_csv_cells.py`` holds every fast function
to its widget over edge values.
"""

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from .widgets import (
    DecimalWidget,
    IntegerWidget,
    LocalDateWidget,
    MoneyWidget,
    TextWidget,
)
from .writers import csv_cell, csv_value, defuse_formulas


def _declared(render, decimal_comma):
    """The cell as the widget and ``csv_value`` write it: the path for what the fast
    functions below do not expect."""
    return lambda value: csv_value(render(value), decimal_comma=decimal_comma)


def _text(widget, decimal_comma):
    declared = _declared(widget.render, decimal_comma)

    def text(value):
        if type(value) is str:
            return defuse_formulas(value)
        if value is None:
            return ""
        return declared(value)

    return text


def _money(widget, decimal_comma):
    declared = _declared(widget.render, decimal_comma)
    point = "," if decimal_comma else "."

    def money(cents):
        # ``cents_to_euros`` formatted with "f": euros, the point, two digits.
        if type(cents) is int:
            euros, rest = divmod(abs(cents), 100)
            return f"{'-' if cents < 0 else ''}{euros}{point}{rest:02d}"
        if cents is None:
            return ""
        return declared(cents)

    return money


def _decimal(widget, decimal_comma):
    declared = _declared(widget.render, decimal_comma)

    def number(value):
        # ``Decimal(value)`` of a ``Decimal`` is that same number, exponent and all.
        if type(value) is Decimal:
            text = format(value, "f")
            return text.replace(".", ",") if decimal_comma else text
        if value is None:
            return ""
        return declared(value)

    return number


def _integer(widget, decimal_comma):
    declared = _declared(widget.render, decimal_comma)

    def integer(value):
        if type(value) is int:
            return str(value)
        if value is None:
            return ""
        return declared(value)

    return integer


def _day(widget, decimal_comma):
    declared = _declared(widget.renderer(), decimal_comma)
    zone = timezone.get_current_timezone()

    def day(value):
        kind = type(value)
        if kind is datetime:
            if value.utcoffset() is None:
                return value.date().isoformat()
            return value.astimezone(zone).date().isoformat()
        if kind is date:
            return value.isoformat()
        if value is None:
            return ""
        return declared(value)

    return day


#: Widget ``render`` -> its fast CSV formatter. Keyed by the function, so a subclass
#: that renders otherwise takes the declared path.
FAST = {
    TextWidget.render: _text,
    MoneyWidget.render: _money,
    DecimalWidget.render: _decimal,
    IntegerWidget.render: _integer,
    LocalDateWidget.render: _day,
}


def csv_formatter(widget, *, decimal_comma=False):
    """``value -> csv_value(widget.render(value))`` for one column; ``widget`` None
    for a value that is already rendered (a computed column)."""
    if widget is None:
        return csv_cell(decimal_comma)
    fast = FAST.get(type(widget).render)
    if fast is None:
        return _declared(widget.render, decimal_comma)
    return fast(widget, decimal_comma)


def csv_formatters(widgets, *, decimal_comma=False):
    """``csv_formatter`` for each column of a resource (``column_widgets()``)."""
    return [csv_formatter(widget, decimal_comma=decimal_comma) for widget in widgets]
