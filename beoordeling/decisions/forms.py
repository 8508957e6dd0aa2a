"""Forms of the allocation and decision screens; amounts are typed in euros, Dutch style."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from subsidies.models import ShortfallRule
from subsidies.money import format_euros


def cents_to_text(cents):
    if cents is None:
        return ""
    euros, rest = divmod(int(cents), 100)
    return f"{euros},{rest:02d}"


#: No amount on these screens is above this (€ 10 miljard); it keeps every value
#: inside the database's bigint and the rule's integers.
MAX_CENTS = 10**12


class EuroField(forms.Field):
    """An amount in euros ("1.234,56", "1234.56", "€ 800") cleaned to integer cents,
    never above ``max_cents`` (default ``MAX_CENTS``)."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Vul een bedrag in euro's in, bijvoorbeeld 1.250,00."),
        "negative": _("Een bedrag kan niet negatief zijn."),
        "too_large": _("Dit bedrag is te hoog: hoogstens %(max)s."),
    }

    def __init__(self, *, max_cents=MAX_CENTS, **kwargs):
        self.max_cents = min(int(max_cents), MAX_CENTS)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("maxlength", "20")

    def to_python(self, value):
        text = str(value).strip() if value is not None else ""
        if text in self.empty_values:
            return None
        text = text.replace("€", "").replace(" ", "").replace("\u00a0", "")
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid"
            ) from None
        if not amount.is_finite() or amount.as_tuple().exponent < -2:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if amount < 0:
            raise ValidationError(self.error_messages["negative"], code="negative")
        if amount * 100 > self.max_cents:
            raise ValidationError(
                self.error_messages["too_large"],
                code="too_large",
                params={"max": format_euros(self.max_cents)},
            )
        return int(amount * 100)


class RunCreateForm(forms.Form):
    """A concept run takes only the published rule; the decision maker adds a note."""

    note = forms.CharField(
        label=_("Toelichting bij deze berekening"), max_length=200, required=False
    )


class RuleDeviationForm(forms.Form):
    """A new version of the verdeelregel: floors and caps per wijk (in round terms),
    the shortfall rule, the minimum partial amount and the motivation. Every amount is
    at most the round's ceiling."""

    motivation = forms.CharField(
        label=_("Motivering van de afwijking"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_(
            "Deze motivering wordt met de nieuwe versie bekendgemaakt en staat in de "
            "beschikkingen."
        ),
    )
    on_shortfall = forms.ChoiceField(
        label=_("Als een aanvraag niet meer in het budget past"),
        choices=ShortfallRule.choices,
    )
    min_partial = EuroField(
        label=_("Minimaal deelbedrag (alleen bij 'het restant toekennen')"),
        required=False,
    )
    note = forms.CharField(
        label=_("Toelichting bij deze berekening"), max_length=200, required=False
    )

    def __init__(self, *args, round, rule, defaults, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round
        self.defaults = defaults
        ceiling = round.ceiling_cents
        self.fields["on_shortfall"].initial = rule.on_shortfall
        self.fields["min_partial"] = EuroField(
            label=self.fields["min_partial"].label,
            required=False,
            max_cents=ceiling,
            initial=cents_to_text(rule.min_partial_cents),
        )
        for default in defaults:
            wijk = default.wijk
            self.fields[f"floor_{wijk.pk}"] = EuroField(
                label=_("Gegarandeerd minimum %(wijk)s") % {"wijk": wijk.name},
                required=False,
                max_cents=ceiling,
                initial=cents_to_text(default.floor_cents),
            )
            self.fields[f"cap_{wijk.pk}"] = EuroField(
                label=_("Maximum %(wijk)s") % {"wijk": wijk.name},
                required=False,
                max_cents=ceiling,
                initial=cents_to_text(default.cap_cents),
                help_text=_("Leeg: geen maximum."),
            )

    def clean(self):
        cleaned = super().clean()
        for default in self.defaults:
            pk = default.wijk.pk
            floor = cleaned.get(f"floor_{pk}") or 0
            cap = cleaned.get(f"cap_{pk}")
            if cap is not None and cap < floor:
                self.add_error(
                    f"cap_{pk}",
                    _("Het maximum is lager dan het gegarandeerde minimum."),
                )
        floors = sum(cleaned.get(f"floor_{d.wijk.pk}") or 0 for d in self.defaults)
        if floors > self.round.ceiling_cents:
            raise ValidationError(
                _("De garanties van de wijken samen zijn hoger dan het plafond.")
            )
        return cleaned

    def rows(self):
        return [
            (default, self[f"floor_{default.wijk.pk}"], self[f"cap_{default.wijk.pk}"])
            for default in self.defaults
        ]

    def wijk_limits(self):
        return {
            default.wijk.pk: (
                self.cleaned_data.get(f"floor_{default.wijk.pk}") or 0,
                self.cleaned_data.get(f"cap_{default.wijk.pk}"),
            )
            for default in self.defaults
        }


class FixRunForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "Ik heb de uitkomst gecontroleerd. Na het vaststellen worden de aanvragen "
            "toegekend of afgewezen; dat kan niet ongedaan worden gemaakt."
        ),
        required=True,
    )


class LetterBatchForm(forms.Form):
    date_sent = forms.DateField(
        label=_("Verzenddatum (dagtekening)"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("De bezwaartermijn van 6 weken begint de dag na deze datum."),
    )
    notify = forms.BooleanField(
        label=_("Aanvragers een e-mail sturen dat hun besluit klaarstaat"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date_sent"].initial = timezone.localdate()

    def clean_date_sent(self):
        date_sent = self.cleaned_data["date_sent"]
        if date_sent < timezone.localdate():
            raise ValidationError(_("De verzenddatum kan niet in het verleden liggen."))
        return date_sent
