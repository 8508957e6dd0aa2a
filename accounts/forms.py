"""The login form for residents: only an e-mail address."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.shared.forms import UtrechtFormMixin


class LoginLinkForm(UtrechtFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("Uw e-mailadres"),
        max_length=254,
        help_text=_("Wij sturen u een link. Daarmee logt u in, zonder wachtwoord."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": _("Vul uw e-mailadres in."),
            "invalid": _("Vul een e-mailadres in zoals naam@voorbeeld.nl."),
            "max_length": _("Dit e-mailadres is te lang."),
        },
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput, max_length=500)


class MagicLinkForm(UtrechtFormMixin, forms.Form):
    t = forms.CharField(widget=forms.HiddenInput, max_length=1000)
    next = forms.CharField(required=False, widget=forms.HiddenInput, max_length=500)
