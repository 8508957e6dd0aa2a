"""Forms of the payment screens. Dates are typed as dates (``type=date``); a form that
does not validate shows every choice as it was ticked."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import PaymentInstruction


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DueUntilForm(forms.Form):
    """The compose screen's filter: what falls due up to a date."""

    tot = forms.DateField(
        label=_("Betalingen die uiterlijk op deze datum betaald moeten zijn"),
        required=False,
        widget=_date_widget(),
    )


class ComposeForm(forms.Form):
    execution_date = forms.DateField(
        label=_("Uitvoeringsdatum (de bank betaalt op deze dag)"),
        widget=_date_widget(),
        error_messages={
            "required": _("Vul de uitvoeringsdatum in."),
            "invalid": _("Vul een geldige datum in, bijvoorbeeld 15-03-2026."),
        },
    )
    instructions = forms.ModelMultipleChoiceField(
        queryset=PaymentInstruction.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=True,
        error_messages={"required": _("Kies minstens één betaling voor de batch.")},
    )
    accepted = forms.ModelMultipleChoiceField(
        queryset=PaymentInstruction.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instructions"].queryset = candidates
        self.fields["accepted"].queryset = candidates

    def clean_execution_date(self):
        value = self.cleaned_data["execution_date"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("De uitvoeringsdatum ligt in het verleden."))
        return value


class StatementForm(forms.Form):
    file = forms.FileField(
        label=_("Bankafschrift (camt.053, XML)"),
        error_messages={"required": _("Kies een bestand.")},
    )


class MarkPaidForm(forms.Form):
    paid_on = forms.DateField(
        label=_("Betaald op"),
        widget=_date_widget(),
        error_messages={
            "required": _("Vul de datum in waarop het geld is overgemaakt."),
            "invalid": _("Vul een geldige datum in, bijvoorbeeld 15-03-2026."),
        },
    )
    note = forms.CharField(
        label=_("Toelichting (bijvoorbeeld waar u het heeft gezien)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=True,
        error_messages={"required": _("Schrijf kort waarom u dit met de hand doet.")},
    )

    def clean_paid_on(self):
        value = self.cleaned_data["paid_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("De betaaldatum ligt in de toekomst."))
        return value
