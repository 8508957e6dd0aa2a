"""How an export value reads in an admin table: Dutch notation for money and dates."""

from datetime import date
from decimal import Decimal

from subsidies.money import euros_to_cents, format_euros


def display_value(value, kind):
    """``Decimal('1234.5')`` as money -> '€ 1.234,50'; a date -> '31-03-2026'."""
    if value is None or value == "":
        return ""
    if kind == "money":
        # As the ``euro`` filter: one line in a narrow column.
        return format_euros(euros_to_cents(value), nbsp=True)
    if kind == "decimal" and isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    return str(value)


def display_row(row, kinds):
    return [
        (display_value(value, kind), kind)
        for value, kind in zip(row, kinds, strict=True)
    ]
