"""The wijzigingsverzoek form on the status page of a toegekend grant."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .base import TOO_LONG, UtrechtForm
from .fields import DutchDateField


class ChangeRequestForm(UtrechtForm):
    new_activity_end = DutchDateField(
        label=_("Nieuwe laatste dag van de activiteiten"),
        required=False,
        help_text=_(
            "Alleen als u meer of minder tijd nodig heeft. Schrijf de datum als "
            "15-03-2027."
        ),
    )
    activities_change = forms.CharField(
        label=_("Wat verandert er aan de activiteiten?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=TOO_LONG,
    )
    budget_change = forms.CharField(
        label=_("Wat verandert er aan de begroting?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bijvoorbeeld: minder voor huur, meer voor materialen."),
        error_messages=TOO_LONG,
    )
    reason = forms.CharField(
        label=_("Waarom wilt u dit wijzigen?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            **TOO_LONG,
            "required": _("Schrijf waarom u dit wilt wijzigen."),
        },
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application

    def clean(self):
        cleaned = super().clean()
        new_end = cleaned.get("new_activity_end")
        start = self.application.activity_start
        if new_end is not None and start is not None and new_end < start:
            self.add_error(
                "new_activity_end",
                _("Deze datum ligt voor de eerste dag van uw activiteiten."),
            )
        changes = (
            new_end,
            (cleaned.get("activities_change") or "").strip(),
            (cleaned.get("budget_change") or "").strip(),
        )
        if not any(changes) and "new_activity_end" not in self.errors:
            raise ValidationError(
                _(
                    "Vul in wat u wilt wijzigen: de laatste dag, de activiteiten of de "
                    "begroting."
                )
            )
        return cleaned
