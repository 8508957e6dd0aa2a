"""Form fields for the way Dutch residents type: euros, dates, IBANs, KvK numbers."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models.applicants import normalise_iban
from ..money import (
    AmountError,
    cents_to_euros,
    euros_to_cents,
    format_input,
    parse_euros,
)
from ..reference_lists import reference_objects

#: A budget line or other income above this is a typing mistake, not a plan.
MAX_LINE_EUROS = Decimal("1000000")


class EuroWidget(forms.TextInput):
    def __init__(self, attrs=None):
        defaults = {
            "inputmode": "decimal",
            "autocomplete": "off",
            "spellcheck": "false",
        }
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal):
            return format_input(int(value * 100))
        return super().format_value(value)


class EuroField(forms.Field):
    """Euros as typed ("1.234,56", "1234.56", "1234,56"); cleans to ``Decimal``."""

    widget = EuroWidget
    default_error_messages = {
        "invalid": _(
            "Vul een bedrag in euro's in, met cijfers. Bijvoorbeeld 1250 of 1.250,50."
        ),
        "too_many_decimals": _("Gebruik hoogstens twee cijfers achter de komma."),
        "negative": _("Een bedrag kan niet negatief zijn."),
        "zero": _("Vul een bedrag in dat hoger is dan 0 euro."),
        "too_high": _(
            "Dit bedrag is te hoog. Controleer het bedrag: het mag hoogstens "
            "€ %(max)s zijn."
        ),
    }

    def __init__(self, *, allow_zero=False, max_euros=MAX_LINE_EUROS, **kwargs):
        self.allow_zero = allow_zero
        self.max_euros = max_euros
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        if len(str(value)) > 30:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return parse_euros(value)
        except AmountError as error:
            code = error.code if error.code in self.error_messages else "invalid"
            raise ValidationError(self.error_messages[code], code=code) from error

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if value == 0 and not self.allow_zero:
            raise ValidationError(self.error_messages["zero"], code="zero")
        if value > self.max_euros:
            max_text = format_input(int(self.max_euros * 100)).replace(",00", "")
            raise ValidationError(
                self.error_messages["too_high"],
                code="too_high",
                params={"max": max_text},
            )


class DutchDateField(forms.DateField):
    """A date typed as 15-03-2027 (or 15/03/2027, 15.03.2027, 2027-03-15)."""

    input_formats = ["%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d", "%d-%m-%y"]
    default_error_messages = {
        "invalid": _(
            "Vul een bestaande datum in als dag-maand-jaar, zoals 15-03-2027."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.DateInput(
                format="%d-%m-%Y",
                attrs={"autocomplete": "off", "spellcheck": "false", "size": 12},
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str) and len(value) > 20:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value.strip() if isinstance(value, str) else value)


class CompactCharField(forms.CharField):
    """Strips every space: for numbers people type in groups (KvK, IBAN, postcode)."""

    def to_python(self, value):
        value = super().to_python(value)
        return "".join(value.split()) if value else value


class DigitsField(CompactCharField):
    """Also drops dots and dashes: for numbers written as 0101.00.001 (RSIN, KvK).
    What is stored is the bare number the validators checked."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace(".", "").replace("-", "") if value else value


class IbanField(CompactCharField):
    def to_python(self, value):
        value = super().to_python(value)
        return normalise_iban(value) if value else value

    def prepare_value(self, value):
        if value and isinstance(value, str) and " " not in value and len(value) > 8:
            # Show a stored IBAN in groups of four, as on a bank card.
            return " ".join(value[i : i + 4] for i in range(0, len(value), 4))
        return value


class YesNoField(forms.TypedChoiceField):
    """Ja/nee as radio buttons, cleaned to True/False."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.RadioSelect)
        super().__init__(
            choices=[("ja", _("Ja")), ("nee", _("Nee"))],
            coerce=lambda value: value == "ja",
            empty_value=None,
            **kwargs,
        )

    def prepare_value(self, value):
        if value is True:
            return "ja"
        if value is False:
            return "nee"
        return value


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one control; each file is checked on its own."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        cleaned = single(data, initial)
        return [cleaned] if cleaned else []


class BuurtCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes that know their wijk, so the page can show only the chosen wijk's."""

    def create_option(self, name, value, label, selected, index, **kwargs):
        option = super().create_option(name, value, label, selected, index, **kwargs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["wijk"] = instance.wijk_id
        return option


#: The largest key a 64-bit database column holds; a bigger number is no choice at all.
MAX_PK = 2**63 - 1


def _out_of_range(value):
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return False  # not a number: Django's own check gives the field's message
    return not 0 < number <= MAX_PK


class CachedChoiceIterator(forms.models.ModelChoiceIterator):
    """The choices of a reference list (wijken, buurten, doelgroepen, thema's) from
    the cache (``subsidies.reference_lists``), not from a query per page. Only what
    is shown: a posted choice is still looked up in the database."""

    def _objects(self):
        return reference_objects(self.field.cached_as, self.queryset)

    def shared_choices(self):
        """The list the choices come from: the same object for as long as the
        choices stay the same, so a drawing of them can be kept with it
        (``portal.shared.fast_fields``). With an empty label that label is not in
        the list, and nothing is shared."""
        if self.field.empty_label is not None:
            return None
        return self._objects()

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self._objects():
            yield self.choice(obj)

    def __len__(self):
        return len(self._objects()) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self._objects())


class _CachedChoices:
    """``cached_as="name"``: the field shows its choices from the cache."""

    def __init__(self, *args, cached_as=None, **kwargs):
        self.cached_as = cached_as
        if cached_as:
            self.iterator = CachedChoiceIterator
        super().__init__(*args, **kwargs)


class ChoiceFromListField(_CachedChoices, forms.ModelChoiceField):
    """A model choice that answers an absurd key with the field's message, not a 500.

    Django looks a posted key up in the database; a number past the database's range
    raises OverflowError there (SQLite) instead of a validation error.
    """

    def to_python(self, value):
        if value not in self.empty_values and _out_of_range(value):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class ChoicesFromListField(_CachedChoices, forms.ModelMultipleChoiceField):
    """Several model choices; absurd keys get the field's message, not a 500."""

    def _check_values(self, value):
        try:
            values = list(value)
        except TypeError:
            return super()._check_values(value)
        for pk in values:
            if _out_of_range(pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


#: A round's ceiling or threshold above this (EUR 100 million) is a typing mistake.
MAX_ADMIN_EUROS = Decimal("100000000")


class EuroCentsWidget(EuroWidget):
    """Shows a stored amount in cents as euros ("1.234,56")."""

    def format_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return format_input(value)
        return super().format_value(value)


class EuroCentsField(EuroField):
    """An amount stored in cents, typed and shown in euros; cleans to ``int`` cents.

    For the staff screens (a round's ceiling, four-eyes threshold, a verdeelregel's
    floors and caps, ...), so no one types cents; bounded (``max_euros`` or
    ``max_cents``), so a long number is a form error, never an overflow. The same
    parser and Dutch messages as the residents' ``EuroField``."""

    widget = EuroCentsWidget

    def __init__(
        self, *, max_euros=MAX_ADMIN_EUROS, max_cents=None, allow_zero=True, **kwargs
    ):
        if max_cents is not None:
            max_euros = cents_to_euros(max_cents)
        super().__init__(max_euros=max_euros, allow_zero=allow_zero, **kwargs)

    def clean(self, value):
        amount = super().clean(value)
        return None if amount is None else euros_to_cents(amount)
