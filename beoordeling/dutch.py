"""Dutch notation for the pure modules: amounts and dates, without locale or Django.

One place for how a letter, a motivation or a refusal writes an amount (``€ 1.234,56``,
always with cents) and a date (``23 november 2026``). The screens format through
``subsidies.money`` and Django's own date filters; the pure decision modules
(``preconditions``, ``scoring``, ``letters``) may not import those, so they use this.
Standard library only (import-linter contract of the pure modules).
"""

from __future__ import annotations

from datetime import date

__all__ = ["MONTHS", "format_date", "format_euro"]

MONTHS = (
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
)


def format_euro(cents: int) -> str:
    """Format integer cents in Dutch notation, always with cents: ``€ 1.234,56``."""
    if isinstance(cents, bool) or not isinstance(cents, int):
        raise TypeError(f"bedrag moet een geheel aantal centen zijn, niet {cents!r}")
    if cents < 0:
        raise ValueError(f"bedrag mag niet negatief zijn: {cents}")
    euros, rest = divmod(cents, 100)
    return f"€ {euros:_},{rest:02d}".replace("_", ".")


def format_date(d: date) -> str:
    """Format a date the Dutch way, without locale: ``23 november 2026``."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
