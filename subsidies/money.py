"""Money as people type it and as the database keeps it.

The database holds integer cents. People type euros, in Dutch or in English notation:
"1.234,56", "1234,56", "1234.56", "€ 1.234" and "1234" all mean what a Dutch reader
expects. The rules, in order:

* a euro sign, spaces and non-breaking spaces are ignored;
* with both a dot and a comma, the last of the two is the decimal separator and the
  other one groups thousands ("1.234,56" and "1,234.56");
* with only commas: one comma followed by one or two digits is the decimal comma
  ("1234,5"); anything else is not an amount ("1,234" is refused rather than guessed);
* with only dots: one dot followed by one or two digits is a decimal point
  ("1234.56"); dots that split the number into groups of three digits group
  thousands ("1.234" and "1.234.567" are Dutch for one thousand two hundred ...);
* at most two decimals; no sign (a negative amount is refused by the caller).

Parsing returns a ``Decimal`` and never goes through ``float``.
"""

import re
from decimal import Decimal, InvalidOperation

_DIGITS = re.compile(r"^\d+$")
_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")
_GROUPED_COMMA = re.compile(r"^\d{1,3}(,\d{3})+$")


class AmountError(ValueError):
    """The text is not an amount in euros; ``code`` says why."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def _split(text):
    """Split into (whole part with separators, decimals or '')."""
    has_dot, has_comma = "." in text, "," in text
    if has_dot and has_comma:
        decimal_sep = "," if text.rfind(",") > text.rfind(".") else "."
        whole, _, decimals = text.rpartition(decimal_sep)
        group_sep = "." if decimal_sep == "," else ","
        pattern = _GROUPED if group_sep == "." else _GROUPED_COMMA
        if not (_DIGITS.match(whole) or pattern.match(whole)):
            raise AmountError("invalid")
        return whole.replace(group_sep, ""), decimals
    if has_comma:
        whole, _, decimals = text.rpartition(",")
        if "," in whole or not _DIGITS.match(whole):
            raise AmountError("invalid")
        if len(decimals) > 2:
            raise AmountError("invalid")
        return whole, decimals
    if has_dot:
        if _GROUPED.match(text):
            return text.replace(".", ""), ""
        whole, _, decimals = text.rpartition(".")
        if "." in whole or not _DIGITS.match(whole):
            raise AmountError("invalid")
        if len(decimals) > 2:
            raise AmountError("too_many_decimals")
        return whole, decimals
    return text, ""


def parse_euros(text):
    """'1.234,56' -> Decimal('1234.56'). Raises ``AmountError`` for anything else."""
    cleaned = str(text).replace("€", "").replace("\u00a0", "").replace(" ", "")
    cleaned = cleaned.strip()
    if not cleaned:
        raise AmountError("empty")
    if cleaned.startswith("-") or cleaned.startswith("−"):
        raise AmountError("negative")
    if cleaned.startswith("+"):
        cleaned = cleaned[1:]
    whole, decimals = _split(cleaned)
    if not _DIGITS.match(whole) or (decimals and not _DIGITS.match(decimals)):
        raise AmountError("invalid")
    if len(decimals) > 2:
        raise AmountError("too_many_decimals")
    try:
        return Decimal(f"{whole}.{decimals or '0'}").quantize(Decimal("0.01"))
    except InvalidOperation as error:  # pragma: no cover - the patterns prevent it
        raise AmountError("invalid") from error


def euros_to_cents(amount):
    """Decimal('1234.56') -> 123456. Exact: the amount has at most two decimals."""
    return int((Decimal(amount) * 100).to_integral_exact())


def cents_to_euros(cents):
    return (Decimal(int(cents)) / 100).quantize(Decimal("0.01"))


#: Between the euro sign and the amount on a screen: a non-breaking space, so a
#: line never ends in a lone "€" and a screen reader reads one amount.
NBSP = "\u00a0"


def format_euros(cents, *, with_cents=True, nbsp=False):
    """123456 -> '€ 1.234,56'; with ``with_cents=False`` and whole euros: '€ 1.234'.

    ``nbsp=True`` puts a non-breaking space after the €: what every screen shows
    (the ``euro`` template filter); plain text (e-mail, messages) keeps a space.
    """
    cents = int(cents or 0)
    sign = "-" if cents < 0 else ""
    space = NBSP if nbsp else " "
    euros, rest = divmod(abs(cents), 100)
    whole = f"{euros:,}".replace(",", ".")
    if not with_cents and rest == 0:
        return f"{sign}€{space}{whole}"
    return f"{sign}€{space}{whole},{rest:02d}"


def format_input(cents):
    """How an amount is shown back in a form field: 123456 -> '1.234,56'."""
    return format_euros(cents).replace("€ ", "")
