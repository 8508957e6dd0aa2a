"""Forms of the allocation and decision screens; amounts are typed in euros, Dutch style,
in the residents' euro field (``subsidies.forms.fields.EuroCentsField``): one parser,
one set of Dutch messages."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from subsidies.forms.fields import EuroCentsField
from subsidies.models import ShortfallRule

#: No amount on these screens is above this (€ 10 miljard); it keeps every value
#: inside the database's bigint and the rule's integers.
MAX_CENTS = 10**12


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
    min_partial = EuroCentsField(
        label=_("Minimaal deelbedrag (alleen bij 'het restant toekennen')"),
        required=False,
        max_cents=MAX_CENTS,
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
        self.fields["min_partial"] = EuroCentsField(
            label=self.fields["min_partial"].label,
            required=False,
            max_cents=min(ceiling, MAX_CENTS),
            initial=rule.min_partial_cents,
        )
        for default in defaults:
            wijk = default.wijk
            self.fields[f"floor_{wijk.pk}"] = EuroCentsField(
                label=_("Gegarandeerd minimum %(wijk)s") % {"wijk": wijk.name},
                required=False,
                max_cents=min(ceiling, MAX_CENTS),
                initial=default.floor_cents,
            )
            self.fields[f"cap_{wijk.pk}"] = EuroCentsField(
                label=_("Maximum %(wijk)s") % {"wijk": wijk.name},
                required=False,
                max_cents=min(ceiling, MAX_CENTS),
                initial=default.cap_cents,
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


class ReviewReasonForm(forms.Form):
    """The reason of a four-eyes step (refuse, send back, answer): required, bounded."""

    reason = forms.CharField(
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _(
                "Schrijf op waarom. De reden komt in de geschiedenis van de aanvraag."
            )
        },
    )

    def __init__(self, *args, label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].help_text = _(
            "Dit ziet de andere besluitvormer, en het staat in de geschiedenis van de "
            "aanvraag."
        )
