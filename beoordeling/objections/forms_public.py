"""The objector's forms: a bezwaar against one decision of their application, and
withdrawing it.

A bezwaar after the term (Awb 6:7) is still taken in (6:11 is the handler's
judgement); the form then asks why it is late and adds the answer to the reasons, so
the handler reads it with the bezwaarschrift. Attachments follow the same upload
rules as every other form of the portal (``subsidies.forms.files``).
"""

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from subsidies.forms.base import TOO_LONG, UtrechtForm
from subsidies.forms.fields import MultipleFileField
from subsidies.forms.files import FILE_ERRORS, ManyFilesMixin

#: At most this many attachments with one bezwaar (as with an aanvulling).
MAX_FILES = 10


def decision_label(decision):
    return _("%(kenmerk)s: %(kind)s, verstuurd op %(date)s") % {
        "kenmerk": decision.kenmerk,
        "kind": decision.get_kind_display(),
        "date": date_format(decision.date_sent, "j F Y"),
    }


class ObjectionForm(ManyFilesMixin, UtrechtForm):
    max_files = MAX_FILES
    too_many_files = _("Stuur hoogstens %(count)d bestanden mee.")

    decision = forms.ChoiceField(
        label=_("Tegen welk besluit maakt u bezwaar?"),
        help_text=_("Het kenmerk staat bovenaan de brief met het besluit."),
        error_messages={
            "required": _("Kies het besluit waar u het niet mee eens bent."),
            "invalid_choice": _("Kies een besluit uit de lijst."),
        },
    )
    objector_name = forms.CharField(
        label=_("Uw naam"),
        max_length=200,
        help_text=_("Wij zetten uw naam in onze brieven over dit bezwaar."),
        error_messages={"required": _("Vul uw naam in."), **TOO_LONG},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    reasons = forms.CharField(
        label=_("Waarom bent u het niet eens met het besluit?"),
        max_length=10_000,
        help_text=_(
            "Schrijf in uw eigen woorden wat er volgens u niet klopt en waarom. Wat "
            "had het besluit volgens u moeten zijn?"
        ),
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={
            "required": _("Schrijf waarom u het niet eens bent met het besluit."),
            **TOO_LONG,
        },
    )
    late_reason = forms.CharField(
        label=_("Waarom bent u te laat?"),
        required=False,
        max_length=2_000,
        help_text=_(
            "De termijn voor bezwaar is voorbij. Vertel waarom u later bent. Dan "
            "kijken wij of wij uw bezwaar toch kunnen behandelen."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=TOO_LONG,
    )
    files = MultipleFileField(
        label=_("Bijlagen (niet verplicht)"),
        required=False,
        help_text=_(
            "Bijvoorbeeld een foto of een brief die uw bezwaar ondersteunt. U kunt "
            "meer bestanden tegelijk kiezen. PDF, Word, Excel, OpenDocument, JPG, PNG "
            "of tekst. Hoogstens 10 MB per bestand."
        ),
        error_messages=FILE_ERRORS,
    )
    confirm = forms.BooleanField(
        label=_(
            "Ik maak dit bezwaar namens de aanvrager en wat ik heb geschreven klopt."
        ),
        error_messages={
            "required": _(
                "Zet een vinkje om te bevestigen dat u namens de aanvrager bezwaar "
                "maakt."
            )
        },
    )

    def __init__(self, *args, objectables, usage=(0, 0), **kwargs):
        """``objectables``: ``selectors.objectable_decisions`` of the application."""
        super().__init__(*args, **kwargs)
        self.objectables = {item.decision.kenmerk: item for item in objectables}
        self.usage = usage
        self.checked = []
        choices = [
            (kenmerk, decision_label(item.decision))
            for kenmerk, item in self.objectables.items()
        ]
        if len(choices) > 1:
            choices.insert(0, ("", _("Kies een besluit")))
        self.fields["decision"].choices = choices
        self.late = [item for item in self.objectables.values() if not item.in_time]
        if not self.late:
            del self.fields["late_reason"]

    def clean_decision(self):
        return self.objectables[self.cleaned_data["decision"]].decision

    def full_reasons(self):
        """The reasons as stored: with the answer to "why late", when it applies."""
        reasons = self.cleaned_data["reasons"]
        chosen = self.objectables[self.cleaned_data["decision"].kenmerk]
        late_reason = (self.cleaned_data.get("late_reason") or "").strip()
        if late_reason and not chosen.in_time:
            heading = _("Waarom ik te laat ben:")
            return "\n".join((reasons, "", str(heading), late_reason))
        return reasons


class ObjectionWithdrawForm(UtrechtForm):
    reason = forms.CharField(
        label=_("Waarom trekt u uw bezwaar in? (niet verplicht)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=TOO_LONG,
    )
