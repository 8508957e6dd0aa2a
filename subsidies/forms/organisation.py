"""Step 1 of the form: who applies, and where the money goes."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import postcode as nl_postcode

from ..models import ApplicantKind
from ..models.applicants import validate_iban, validate_kvk, validate_rsin
from .base import PERSONAL, TOO_LONG, UtrechtForm
from .fields import DigitsField, IbanField


class OrganisationForm(UtrechtForm):
    kind = forms.ChoiceField(
        label=_("Hoe vraagt u het geld aan?"),
        choices=ApplicantKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _(
                "Kies of u aanvraagt voor een stichting of vereniging, of voor een "
                "bewonersgroep."
            ),
            "invalid_choice": _("Kies een van de twee mogelijkheden."),
        },
    )
    name = forms.CharField(
        label=_("Naam van de stichting, vereniging of bewonersgroep"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        error_messages={
            "required": _("Vul de naam van uw organisatie of groep in."),
            **TOO_LONG,
        },
    )
    kvk_number = DigitsField(
        label=_("KvK-nummer"),
        required=False,
        validators=[validate_kvk],
        help_text=_("8 cijfers. Alleen voor een stichting of vereniging."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", **PERSONAL}
        ),
    )
    rsin = DigitsField(
        label=_("RSIN"),
        required=False,
        validators=[validate_rsin],
        help_text=_("9 cijfers. U vindt het op het uittreksel van de KvK."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", **PERSONAL}
        ),
    )
    penvoerder_name = forms.CharField(
        label=_("Naam van de penvoerder"),
        required=False,
        max_length=200,
        error_messages=TOO_LONG,
        help_text=_(
            "Alleen voor een bewonersgroep. Een penvoerder is een organisatie met een "
            "KvK-nummer die het geld voor uw groep beheert, bijvoorbeeld een buurthuis. "
            "Laat dit leeg als het geld naar de rekening van de contactpersoon gaat."
        ),
    )
    penvoerder_kvk = DigitsField(
        label=_("KvK-nummer van de penvoerder"),
        required=False,
        validators=[validate_kvk],
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", **PERSONAL}
        ),
    )
    contact_name = forms.CharField(
        label=_("Naam van de contactpersoon"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name", **PERSONAL}),
        error_messages={
            "required": _("Vul de naam van de contactpersoon in."),
            **TOO_LONG,
        },
    )
    contact_email = forms.EmailField(
        label=_("E-mailadres van de contactpersoon"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", **PERSONAL}),
        error_messages={
            "required": _("Vul het e-mailadres van de contactpersoon in."),
            "invalid": _("Vul een e-mailadres in zoals naam@voorbeeld.nl."),
            **TOO_LONG,
        },
    )
    contact_phone = forms.CharField(
        label=_("Telefoonnummer van de contactpersoon"),
        required=False,
        max_length=32,
        error_messages=TOO_LONG,
        widget=forms.TextInput(
            attrs={"autocomplete": "tel", "inputmode": "tel", **PERSONAL}
        ),
    )
    street = forms.CharField(
        label=_("Straat en huisnummer"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "street-address", **PERSONAL}),
        error_messages={
            "required": _(
                "Vul de straat en het huisnummer in. Daar sturen wij post naartoe."
            ),
            **TOO_LONG,
        },
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=10,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "postal-code",
                "class": "utrecht-textbox--postal-code-nl-size",
                **PERSONAL,
            }
        ),
        error_messages={
            "required": _("Vul de postcode in, bijvoorbeeld 3511 AB."),
            "max_length": _("Vul een Nederlandse postcode in, bijvoorbeeld 3511 AB."),
        },
    )
    city = forms.CharField(
        label=_("Plaats"),
        max_length=100,
        initial="Utrecht",
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
        error_messages={"required": _("Vul de plaats in."), **TOO_LONG},
    )
    iban = IbanField(
        label=_("IBAN (rekeningnummer)"),
        validators=[validate_iban],
        help_text=_(
            "Hierop betalen wij de subsidie. Bijvoorbeeld NL91 ABNA 0417 1643 00."
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "class": "utrecht-textbox--iban-nl-size",
                **PERSONAL,
            }
        ),
        error_messages={"required": _("Vul het IBAN in waarop wij mogen betalen.")},
    )
    account_holder = forms.CharField(
        label=_("Tenaamstelling van de rekening"),
        max_length=200,
        help_text=_("Precies zoals de bank het schrijft, bijvoorbeeld op uw bankpas."),
        widget=forms.TextInput(attrs={"autocomplete": "off", **PERSONAL}),
        error_messages={
            "required": _("Vul in op wiens naam de rekening staat."),
            **TOO_LONG,
        },
    )

    def __init__(self, *args, verified_kvk="", email_optional=False, **kwargs):
        """``verified_kvk``: the KvK number an eHerkenning login verified. The form
        then shows it read-only: kind and KvK number are disabled fields, so Django
        keeps their initial values and ignores whatever is posted for them.

        ``email_optional`` (``Applicant.contact_email_optional``): a resident who
        logged in with DigiD or eHerkenning, or whom the wijkbureau hands the
        application over by DigiD, may leave the contact e-mail empty. Letters then
        go by post to the address, which stays required."""
        super().__init__(*args, **kwargs)
        self.verified_kvk = verified_kvk
        self.email_optional = email_optional
        if email_optional:
            field = self.fields["contact_email"]
            field.required = False
            field.help_text = _(
                "Geen e-mailadres? Laat dit veld dan leeg. Wij sturen brieven dan per "
                "post naar het adres hieronder."
            )
        if verified_kvk:
            self.initial = {
                **self.initial,
                "kind": ApplicantKind.ORGANISATION,
                "kvk_number": verified_kvk,
                "penvoerder_name": "",
                "penvoerder_kvk": "",
            }
            for name in ("kind", "kvk_number", "penvoerder_name", "penvoerder_kvk"):
                self.fields[name].disabled = True
            # Filled in by eHerkenning, so not labelled "(niet verplicht)".
            self.fields["kvk_number"].required = True
            self.fields["kvk_number"].help_text = _(
                "Geverifieerd met eHerkenning. Dit nummer kunt u niet wijzigen."
            )

    def clean_postcode(self):
        value = self.cleaned_data["postcode"]
        try:
            return nl_postcode.validate(value)
        except StdnumError as error:
            raise ValidationError(
                _("Vul een Nederlandse postcode in, bijvoorbeeld 3511 AB.")
            ) from error

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        kvk = cleaned.get("kvk_number")
        if kind == ApplicantKind.ORGANISATION:
            if not kvk and "kvk_number" not in self.errors:
                self.add_error(
                    "kvk_number",
                    _("Vul het KvK-nummer van uw stichting of vereniging in."),
                )
            if cleaned.get("penvoerder_name"):
                self.add_error(
                    "penvoerder_name",
                    _(
                        "Een stichting of vereniging heeft geen penvoerder nodig. Laat "
                        "dit veld leeg."
                    ),
                )
        if kind == ApplicantKind.INFORMAL_GROUP and kvk:
            self.add_error(
                "kvk_number",
                _(
                    "Een bewonersgroep zonder rechtsvorm heeft geen KvK-nummer. Laat dit "
                    "veld leeg, of kies hierboven voor stichting of vereniging."
                ),
            )
        if (
            cleaned.get("penvoerder_name")
            and not cleaned.get("penvoerder_kvk")
            and "penvoerder_kvk" not in self.errors
        ):
            self.add_error(
                "penvoerder_kvk", _("Vul het KvK-nummer van de penvoerder in.")
            )
        return cleaned

    @staticmethod
    def initial_from(applicant):
        return {
            name: getattr(applicant, name)
            for name in OrganisationForm.base_fields
            if getattr(applicant, name, "")
        }
