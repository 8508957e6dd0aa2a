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


# --- after the award -------------------------------------------------------------------

#: The grounds a decision maker chooses from (``beoordeling.letters.Ground``).
GROUNDS_BEFORE_FIXING = (
    (
        "4:48-1-a",
        _("De activiteiten hebben niet of niet helemaal plaatsgevonden (4:48 a)"),
    ),
    ("4:48-1-b", _("De ontvanger hield zich niet aan de verplichtingen (4:48 b)")),
    ("4:48-1-c", _("Onjuiste of onvolledige gegevens gegeven (4:48 c)")),
    ("4:48-1-d", _("De verlening was onjuist en de ontvanger wist dat (4:48 d)")),
    (
        "4:50-1",
        _(
            "Veranderde omstandigheden of nieuwe inzichten (4:50): schadevergoeding "
            "beoordelen"
        ),
    ),
)
GROUNDS_AFTER_FIXING = (
    (
        "4:49-1-a",
        _("Nieuwe feiten waardoor de vaststelling lager was geweest (4:49 a)"),
    ),
    ("4:49-1-b", _("De vaststelling was onjuist en de ontvanger wist dat (4:49 b)")),
    ("4:49-1-c", _("Na de vaststelling niet aan de verplichtingen gehouden (4:49 c)")),
)
DAMAGES_GROUND = "4:50-1"


def _date_sent_field():
    return forms.DateField(
        label=_("Verzenddatum (dagtekening)"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("De bezwaartermijn van 6 weken begint de dag na deze datum."),
    )


def _motivation_field(label, required=True):
    return forms.CharField(
        label=label,
        required=required,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Dit komt in de brief aan de aanvrager, in gewone taal."),
        error_messages={
            "required": _("Schrijf op waarom. De motivering komt in de brief.")
        },
    )


class _AfterAwardForm(forms.Form):
    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        self.fields["date_sent"] = _date_sent_field()
        self.fields["date_sent"].initial = timezone.localdate()

    def clean_date_sent(self):
        date_sent = self.cleaned_data["date_sent"]
        if date_sent < timezone.localdate():
            raise ValidationError(_("De verzenddatum kan niet in het verleden liggen."))
        return date_sent

    def _check_effective_on(self, cleaned):
        if cleaned.get("ground") == DAMAGES_GROUND:
            effective_on = cleaned.get("effective_on")
            if effective_on is None:
                self.add_error(
                    "effective_on",
                    _("Vul in vanaf welke dag dit geldt (artikel 4:50 van de Awb)."),
                )
            elif cleaned.get("date_sent") and effective_on < cleaned["date_sent"]:
                self.add_error(
                    "effective_on",
                    _("Deze datum ligt niet voor de verzenddatum."),
                )


class FixForm(_AfterAwardForm):
    """The vaststelling: the amount (the recorded proposal or the award) and why it is
    lower, if it is."""

    fixed = EuroCentsField(label=_("Vast te stellen bedrag"), max_cents=MAX_CENTS)
    motivation = _motivation_field(
        _("Motivering (verplicht als het bedrag lager is dan de verlening)"),
        required=False,
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, application=application, **kwargs)
        proposed = application.fixed_cents
        if proposed is None:
            proposed = application.awarded_cents
        self.fields["fixed"].initial = proposed
        self.fields["motivation"].initial = application.fixing_motivation

    def clean(self):
        cleaned = super().clean()
        fixed = cleaned.get("fixed")
        awarded = self.application.awarded_cents or 0
        if fixed is not None and fixed > awarded:
            self.add_error(
                "fixed", _("Het bedrag is hoger dan de verlening. Dat kan niet.")
            )
        elif (
            fixed is not None
            and fixed < awarded
            and not (cleaned.get("motivation") or "").strip()
        ):
            self.add_error(
                "motivation",
                _("Schrijf op waarom het bedrag lager is dan de verlening."),
            )
        return cleaned


class AmendForm(_AfterAwardForm):
    """A wijzigingsbesluit: a lower amount and/or a new last day, on a ground."""

    new_awarded = EuroCentsField(
        label=_("Nieuw bedrag (leeg: blijft gelijk)"),
        required=False,
        max_cents=MAX_CENTS,
    )
    new_activity_end = forms.DateField(
        label=_("Nieuwe laatste dag van de activiteiten (leeg: blijft gelijk)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    ground = forms.ChoiceField(label=_("Grond"), choices=GROUNDS_BEFORE_FIXING)
    effective_on = forms.DateField(
        label=_("Gaat in op (alleen bij veranderde omstandigheden, 4:50)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    motivation = _motivation_field(_("Motivering"))

    def __init__(self, *args, change_request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.change_request = change_request
        if change_request is not None:
            self.fields["ground"].required = False
            self.fields["ground"].choices = [
                ("", _("Geen: de aanvrager vroeg erom")),
                *GROUNDS_BEFORE_FIXING,
            ]
            self.fields["new_activity_end"].initial = change_request.new_activity_end

    def clean(self):
        cleaned = super().clean()
        new_awarded = cleaned.get("new_awarded")
        new_end = cleaned.get("new_activity_end")
        if new_awarded is None and new_end is None and not self.errors:
            raise ValidationError(
                _("Vul een nieuw bedrag of een nieuwe laatste dag in.")
            )
        if new_awarded is not None and new_awarded > (
            self.application.awarded_cents or 0
        ):
            self.add_error(
                "new_awarded",
                _(
                    "Een wijziging verlaagt het bedrag; het nieuwe bedrag is niet hoger."
                ),
            )
        start = self.application.activity_start
        if new_end is not None and start is not None and new_end < start:
            self.add_error(
                "new_activity_end",
                _("De laatste dag ligt voor de eerste dag van de activiteiten."),
            )
        self._check_effective_on(cleaned)
        return cleaned


class RevokeForm(_AfterAwardForm):
    """An intrekking on a ground that fits the stage (4:49 after the vaststelling)."""

    ground = forms.ChoiceField(label=_("Grond"))
    effective_on = forms.DateField(
        label=_("Gaat in op (alleen bij veranderde omstandigheden, 4:50)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    motivation = _motivation_field(_("Motivering"))

    def __init__(self, *args, fixed, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ground"].choices = (
            GROUNDS_AFTER_FIXING if fixed else GROUNDS_BEFORE_FIXING
        )
        if fixed:
            del self.fields["effective_on"]

    def clean(self):
        cleaned = super().clean()
        self._check_effective_on(cleaned)
        return cleaned


class ChangeAnswerForm(forms.Form):
    """The answer to a wijzigingsverzoek that does not change the beschikking, or the
    reason it is refused."""

    answer = forms.CharField(
        label=_("Antwoord aan de aanvrager"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Schrijf het antwoord. De aanvrager leest het.")},
    )
