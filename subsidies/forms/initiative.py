"""Step 2 of the form: the initiative, where and when, for whom, and partners."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Buurt, Partner, TargetGroup, Theme, Wijk
from .base import TOO_LONG, BaseUtrechtFormSet, UtrechtForm
from .fields import (
    BuurtCheckboxes,
    ChoiceFromListField,
    ChoicesFromListField,
    DutchDateField,
)


class InitiativeForm(UtrechtForm):
    title = forms.CharField(
        label=_("Titel van uw initiatief"),
        max_length=200,
        help_text=_("Een korte naam, bijvoorbeeld 'Buurtmaaltijd Ondiep'."),
        error_messages={
            "required": _("Vul de titel van uw initiatief in."),
            **TOO_LONG,
        },
    )
    summary = forms.CharField(
        label=_("Korte beschrijving"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "In een paar zinnen: wat gaat u doen, voor wie, en waarom is het nodig?"
        ),
        error_messages={
            "required": _("Beschrijf in een paar zinnen wat u gaat doen."),
            **TOO_LONG,
        },
    )
    wijk = ChoiceFromListField(
        label=_("In welke wijk vindt de activiteit plaats?"),
        queryset=Wijk.objects.all(),
        cached_as="wijken",
        empty_label=_("Kies een wijk"),
        help_text=_("De wijk waar de activiteit is, niet waar u woont."),
        error_messages={
            "required": _("Kies de wijk waar de activiteit plaatsvindt."),
            "invalid_choice": _("Kies een wijk uit de lijst."),
        },
    )
    buurten = ChoicesFromListField(
        label=_("In welke buurten?"),
        queryset=Buurt.objects.select_related("wijk"),
        cached_as="buurten",
        widget=BuurtCheckboxes,
        required=False,
        help_text=_(
            "Kies de buurten in de gekozen wijk. Weet u het niet? Sla dit over."
        ),
        error_messages={
            "invalid_choice": _("Kies buurten uit de lijst."),
            "invalid_pk_value": _("Kies buurten uit de lijst."),
        },
    )
    activity_start = DutchDateField(
        label=_("Eerste dag van de activiteit"),
        help_text=_("Bijvoorbeeld 15-03-2027. De activiteit moet na vandaag beginnen."),
        error_messages={"required": _("Vul de eerste dag van de activiteit in.")},
    )
    activity_end = DutchDateField(
        label=_("Laatste dag van de activiteit"),
        help_text=_(
            "Bijvoorbeeld 30-09-2027. Is het één dag? Vul dan twee keer dezelfde datum in."
        ),
        error_messages={"required": _("Vul de laatste dag van de activiteit in.")},
    )
    target_groups = ChoicesFromListField(
        label=_("Voor wie is de activiteit?"),
        queryset=TargetGroup.objects.filter(active=True),
        cached_as="doelgroepen",
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kies één of meer groepen."),
        error_messages={
            "required": _("Kies minstens één groep voor wie de activiteit is."),
            "invalid_choice": _("Kies groepen uit de lijst."),
            "invalid_pk_value": _("Kies groepen uit de lijst."),
        },
    )
    themes = ChoicesFromListField(
        label=_("Over welke thema's gaat uw initiatief?"),
        queryset=Theme.objects.filter(active=True),
        cached_as="themas",
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kies één of meer thema's."),
        error_messages={
            "required": _("Kies minstens één thema."),
            "invalid_choice": _("Kies thema's uit de lijst."),
            "invalid_pk_value": _("Kies thema's uit de lijst."),
        },
    )

    def clean_activity_start(self):
        start = self.cleaned_data["activity_start"]
        if start <= timezone.localdate():
            raise ValidationError(
                _(
                    "De activiteit moet na vandaag beginnen. Voor een activiteit die al "
                    "begonnen is, kunt u geen subsidie aanvragen."
                )
            )
        return start

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("activity_start"), cleaned.get("activity_end")
        if start and end and end < start:
            self.add_error(
                "activity_end",
                _("De laatste dag ligt voor de eerste dag. Controleer de datums."),
            )
        wijk, buurten = cleaned.get("wijk"), cleaned.get("buurten")
        if wijk and buurten:
            outside = [b.name for b in buurten if b.wijk_id != wijk.pk]
            if outside:
                self.add_error(
                    "buurten",
                    _(
                        "Deze buurten liggen niet in wijk %(wijk)s: %(buurten)s. Kies "
                        "alleen buurten in de gekozen wijk."
                    )
                    % {"wijk": wijk.name, "buurten": ", ".join(outside)},
                )
        return cleaned

    @staticmethod
    def initial_from(application):
        initial = {
            "title": application.title,
            "summary": application.summary,
            "wijk": application.wijk_id,
            "activity_start": application.activity_start,
            "activity_end": application.activity_end,
        }
        if application.pk:
            # .all(): the step page loads the three lists up front (prefetch).
            for name in ("buurten", "target_groups", "themes"):
                initial[name] = [item.pk for item in getattr(application, name).all()]
        return {key: value for key, value in initial.items() if value}


class PartnerForm(UtrechtForm):
    name = forms.CharField(
        label=_("Naam van de partner"),
        max_length=200,
        error_messages={
            "required": _("Vul de naam van de partner in, of vink 'verwijderen' aan."),
            **TOO_LONG,
        },
    )
    kind = forms.ChoiceField(
        label=_("Soort partner"),
        choices=Partner.Kind.choices,
        initial=Partner.Kind.OTHER,
    )
    role = forms.CharField(
        label=_("Wat doet deze partner?"),
        required=False,
        max_length=300,
        error_messages=TOO_LONG,
    )
    letter_of_support = forms.BooleanField(
        label=_("Deze partner schrijft een steunbrief"), required=False
    )


class BasePartnerFormSet(BaseUtrechtFormSet):
    row_label = _("Partner")


PartnerFormSet = forms.formset_factory(
    PartnerForm,
    formset=BasePartnerFormSet,
    extra=1,
    can_delete=True,
    max_num=30,
    absolute_max=40,
    validate_max=True,
)


def partner_initial(application):
    return [
        {
            "name": partner.name,
            "kind": partner.kind,
            "role": partner.role,
            "letter_of_support": partner.letter_of_support,
        }
        for partner in application.partners.all()
    ]
