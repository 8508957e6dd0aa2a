"""The forms of an application filled in at the wijkbureau (``views.assisted``).

The steps themselves use the resident's own step forms; these are the staff member's
start, the resident's consent and the resident's hand-over code.
"""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.shared.forms import UtrechtFormMixin

from ..models import ConsentMethod, Scheme


class AssistedStartForm(forms.Form):
    scheme = forms.ModelChoiceField(
        label=_("Regeling"),
        queryset=Scheme.objects.filter(active=True).order_by("name"),
        empty_label=_("Kies een regeling"),
        error_messages={
            "required": _("Kies de regeling waarvoor de bewoner aanvraagt.")
        },
    )
    resident_name = forms.CharField(
        label=_("Naam van de bewoner"),
        max_length=200,
        error_messages={"required": _("Vul de naam van de bewoner in.")},
    )
    resident_email = forms.EmailField(
        label=_("E-mailadres van de bewoner"),
        required=False,
        help_text=_("De bewoner krijgt hierop een inloglink om verder te gaan."),
        error_messages={"invalid": _("Vul een geldig e-mailadres in.")},
    )
    no_email = forms.BooleanField(
        label=_("De bewoner heeft geen e-mail: overdracht met DigiD en een code"),
        required=False,
    )
    resident_phone = forms.CharField(
        label=_("Telefoonnummer van de bewoner"), max_length=32, required=False
    )
    mail_language = forms.ChoiceField(
        label=_("In welke taal wil de bewoner e-mails krijgen?"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Brieven met een besluit zijn altijd in het Nederlands."),
    )

    def clean_mail_language(self):
        # Nothing chosen: Dutch, the language of the portal.
        return self.cleaned_data["mail_language"] or settings.LANGUAGE_CODE

    def clean(self):
        cleaned = super().clean()
        email, no_email = cleaned.get("resident_email"), cleaned.get("no_email")
        if "resident_email" in cleaned and not email and not no_email:
            self.add_error(
                "resident_email",
                _(
                    "Vul het e-mailadres van de bewoner in, of kies dat de bewoner "
                    "geen e-mail heeft."
                ),
            )
        if email and no_email:
            self.add_error(
                "no_email",
                _("Kies een e-mailadres of DigiD met een code, niet allebei."),
            )
        return cleaned


class ChangeEmailForm(forms.Form):
    """The resident's e-mail address, corrected after a hand-over by login link."""

    resident_email = forms.EmailField(
        label=_("Juiste e-mailadres van de bewoner"),
        help_text=_(
            "De bewoner krijgt hierop opnieuw de e-mail en een inloglink. De link naar "
            "het oude adres werkt dan niet meer."
        ),
        error_messages={
            "required": _("Vul het juiste e-mailadres van de bewoner in."),
            "invalid": _("Vul een geldig e-mailadres in."),
        },
    )
    mail_language = forms.ChoiceField(
        label=_("In welke taal wil de bewoner e-mails krijgen?"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies de taal van de e-mails.")},
    )


#: How long before the start of the application a resident's consent may lie.
CONSENT_BEFORE_START = timedelta(days=90)


class ConsentForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Hoe gaf de bewoner toestemming?"),
        choices=ConsentMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies hoe de bewoner toestemming gaf.")},
    )
    given_at = forms.DateTimeField(
        label=_("Wanneer gaf de bewoner toestemming?"),
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"],
        error_messages={
            "required": _("Vul in wanneer de bewoner toestemming gaf."),
            "invalid": _("Vul een datum en tijd in, bijvoorbeeld 07-12-2026 10:30."),
        },
    )
    note = forms.CharField(
        label=_("Toelichting (niet verplicht)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bijvoorbeeld: wie er nog bij was, of waar de brief bewaard is."),
    )
    confirmed = forms.BooleanField(
        label=_(
            "De bewoner heeft ermee ingestemd dat ik deze aanvraag voor hem of haar "
            "invul. Hij of zij weet dat hij of zij de aanvraag zelf controleert en "
            "verstuurt."
        ),
        error_messages={
            "required": _(
                "Bevestig dat de bewoner ermee instemt dat u de aanvraag invult."
            )
        },
    )

    def __init__(self, *args, started_at=None, **kwargs):
        super().__init__(*args, **kwargs)
        #: When the staff member started the application, to the minute (the field
        #: has no seconds). Consent may come first (by phone or letter the day
        #: before), but not long before: it is consent for this application.
        self.started_at = (
            started_at.replace(second=0, microsecond=0) if started_at else None
        )

    def clean_given_at(self):
        value = self.cleaned_data["given_at"]
        if value > timezone.now():
            raise forms.ValidationError(
                _("De toestemming kan niet in de toekomst liggen.")
            )
        earliest = self.started_at - CONSENT_BEFORE_START if self.started_at else None
        if earliest is not None and value < earliest:
            raise forms.ValidationError(
                _(
                    "Deze toestemming is te oud. Vraag de bewoner opnieuw. De "
                    "toestemming mag niet eerder zijn dan %(earliest)s."
                )
                % {"earliest": timezone.localtime(earliest).strftime("%d-%m-%Y")}
            )
        return value


class ClaimForm(UtrechtFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Overdrachtscode"),
        max_length=40,
        help_text=_(
            "De code staat op het papier dat u van het wijkbureau kreeg, bijvoorbeeld "
            "ABCD-EFGH-JKMN."
        ),
        error_messages={"required": _("Vul de code van het wijkbureau in.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
