"""django-import-export widgets for money, dates and scores, both ways.

Export: cents become ``Decimal`` euros with two decimals, datetimes become the local
date (Europe/Amsterdam). Import: an amount may be a spreadsheet number or text in Dutch
or English notation ("1.234,56", "1234.56"); a date may be a date cell, ``jjjj-mm-dd``
or ``dd-mm-jjjj``. A value that is not understood raises ``ValueError`` with a Dutch
message, which the import reports with the row and the column.
"""

from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import widgets

from subsidies.money import AmountError, cents_to_euros, euros_to_cents, parse_euros

CENT = Decimal("0.01")

_AMOUNT_ERRORS = {
    "negative": gettext_lazy("Een bedrag kan niet negatief zijn."),
    "too_many_decimals": gettext_lazy(
        "Een bedrag heeft hoogstens twee cijfers achter de komma."
    ),
}
_NOT_AN_AMOUNT = gettext_lazy(
    "Dit is geen bedrag; schrijf bijvoorbeeld 1234,56 of 1.234,56."
)


def _is_empty(value):
    return value is None or (isinstance(value, str) and not value.strip())


class MoneyWidget(widgets.Widget):
    """Integer cents in the database, euros with two decimals in a file."""

    def __init__(self, *, required=False):
        super().__init__(coerce_to_string=False)
        self.required = required

    def render(self, value, obj=None, **kwargs):
        return None if value is None else cents_to_euros(value)

    def clean(self, value, row=None, **kwargs):
        if _is_empty(value):
            if self.required:
                raise ValueError(_("Vul een bedrag in."))
            return None
        if isinstance(value, bool):
            raise ValueError(str(_NOT_AN_AMOUNT))
        if isinstance(value, Decimal | int):
            amount = Decimal(value)
        elif isinstance(value, float):
            # A spreadsheet stores a number as a binary double; repr() gives back the
            # shortest decimal that is that double, which is what the user typed.
            amount = Decimal(repr(value))
        else:
            try:
                amount = parse_euros(str(value))
            except AmountError as error:
                message = _AMOUNT_ERRORS.get(error.code, _NOT_AN_AMOUNT)
                raise ValueError(str(message)) from error
        if not amount.is_finite():
            raise ValueError(str(_NOT_AN_AMOUNT))
        if amount < 0:
            raise ValueError(str(_AMOUNT_ERRORS["negative"]))
        if amount != amount.quantize(CENT):
            raise ValueError(str(_AMOUNT_ERRORS["too_many_decimals"]))
        return euros_to_cents(amount)


class DecimalWidget(widgets.Widget):
    """A decimal number such as an impact score, exported as ``Decimal``."""

    def __init__(self):
        super().__init__(coerce_to_string=False)

    def render(self, value, obj=None, **kwargs):
        return None if value is None else Decimal(value)

    def clean(self, value, row=None, **kwargs):
        if _is_empty(value):
            return None
        if isinstance(value, float):
            value = repr(value)
        try:
            number = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation as error:
            raise ValueError(_("Dit is geen getal.")) from error
        if not number.is_finite():
            raise ValueError(_("Dit is geen getal."))
        return number


class IntegerWidget(widgets.Widget):
    def __init__(self):
        super().__init__(coerce_to_string=False)

    def render(self, value, obj=None, **kwargs):
        return value


class TextWidget(widgets.Widget):
    """Text as it is; ``None`` stays empty."""

    def __init__(self):
        super().__init__(coerce_to_string=False)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            # A number typed in a text column (a KvK number) comes back as 41234567.0.
            value = int(value)
        return str(value).strip()


DATE_INPUT_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y")


def parse_date(value):
    """A date cell, ``jjjj-mm-dd`` or ``dd-mm-jjjj`` -> ``date``; else ``ValueError``."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in DATE_INPUT_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(
        _("'%(value)s' is geen datum; schrijf jjjj-mm-dd, bijvoorbeeld 2025-03-31.")
        % {"value": text}
    )


class LocalDateWidget(widgets.Widget):
    """A date, or a moment shown as its date in Europe/Amsterdam."""

    def __init__(self, *, required=False):
        super().__init__(coerce_to_string=False)
        self.required = required

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return None
        if isinstance(value, datetime):
            return (
                timezone.localdate(value) if timezone.is_aware(value) else value.date()
            )
        return value

    def renderer(self):
        """``render`` for the values of a whole file: the same dates, with the current
        time zone looked up once instead of once per value."""
        zone = timezone.get_current_timezone()

        def render(value):
            if value is None:
                return None
            if isinstance(value, datetime):
                if value.utcoffset() is None:
                    return value.date()
                return value.astimezone(zone).date()
            return value

        return render

    def clean(self, value, row=None, **kwargs):
        if _is_empty(value):
            if self.required:
                raise ValueError(_("Vul een datum in."))
            return None
        return parse_date(value)


class LocalMomentWidget(LocalDateWidget):
    """Imports a date as the start of that day in Europe/Amsterdam (a ``datetime``)."""

    def clean(self, value, row=None, **kwargs):
        day = super().clean(value, row=row, **kwargs)
        if day is None:
            return None
        return timezone.make_aware(datetime.combine(day, time.min))
