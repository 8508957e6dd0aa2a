"""Forms of the handlers' bezwaar screens in the Wagtail admin.

Dates are typed as dates (``type=date``), amounts in euros through the one euro parser
(``subsidies.forms.fields.EuroCentsField``, cleaning to integer cents, never float).
Every action form has its own prefix, so the detail page can hold them all and show
one again, bound and with its errors, when the step was refused.
"""

from datetime import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import HANDLE_OBJECTION
from subsidies.forms.fields import EuroCentsField, MultipleFileField, YesNoField

from ..models import Decision
from .workflow import Ground, HearingWaiver, ObjectionState, Outcome

#: No amount on these screens is above this (€ 10 miljard), as on the decision screens.
MAX_CENTS = 10**12
#: The longest free text a handler types (motivation, report, reasons).
MAX_TEXT = 10_000


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date_field(label, *, required=True, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=_date_widget(),
        error_messages={
            "required": _("Vul de datum in."),
            "invalid": _("Vul een geldige datum in, bijvoorbeeld 15-03-2026."),
        },
    )


def _text_field(label, *, required=True, required_message=None, rows=4, **kwargs):
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": required_message or _("Vul dit in.")},
        **kwargs,
    )


def _state_choices():
    return [
        ("", _("Alle open bezwaren")),
        *ObjectionState.choices,
    ]


class QueueFilterForm(forms.Form):
    """The queue's filter: by state, and only the bezwaren the user handles."""

    stand = forms.ChoiceField(label=_("Stand"), required=False, choices=_state_choices)
    mijn = forms.BooleanField(label=_("Alleen mijn bezwaren"), required=False)


class RegisterForm(forms.Form):
    """A bezwaarschrift that came in by post or was handed in, typed over by a handler."""

    kenmerk = forms.CharField(
        label=_("Kenmerk van het besluit waartegen het bezwaar is"),
        max_length=16,
        help_text=_("Dit staat in de brief, bijvoorbeeld D2026-000123."),
        error_messages={"required": _("Vul het kenmerk van het besluit in.")},
    )
    objector_name = forms.CharField(
        label=_("Naam van de indiener"),
        max_length=200,
        error_messages={"required": _("Vul de naam van de indiener in.")},
    )
    reasons = _text_field(
        _("Gronden van het bezwaar (waarom is de indiener het niet eens?)"),
        required_message=_("Neem de gronden van het bezwaar over uit de brief."),
        rows=6,
    )
    received_on = _date_field(_("Ontvangen op"))
    posted_on = _date_field(
        _("Datum poststempel (als die er is)"),
        required=False,
        help_text=_(
            "Een bezwaar dat op tijd is gepost en binnen een week na de termijn "
            "binnenkomt, is op tijd (artikel 6:9 Awb)."
        ),
    )
    attachments = MultipleFileField(
        label=_("Bijlagen (de gescande brief en wat erbij zat)"),
        required=False,
        help_text=_(
            "Als het formulier een fout heeft, kiest u de bestanden daarna opnieuw."
        ),
    )

    def clean_kenmerk(self):
        kenmerk = self.cleaned_data["kenmerk"].strip().upper()
        decision = (
            Decision.objects.select_related("application")
            .filter(kenmerk=kenmerk)
            .first()
        )
        if decision is None:
            raise ValidationError(
                _(
                    "Er is geen besluit met kenmerk %(kenmerk)s. Controleer het kenmerk."
                ),
                params={"kenmerk": kenmerk},
            )
        self.decision = decision
        return kenmerk

    def clean(self):
        cleaned = super().clean()
        received_on, posted_on = cleaned.get("received_on"), cleaned.get("posted_on")
        if received_on and received_on > timezone.localdate():
            self.add_error("received_on", _("Deze datum ligt in de toekomst."))
        if received_on and posted_on and posted_on > received_on:
            self.add_error(
                "posted_on", _("De poststempel ligt na de datum van ontvangst.")
            )
        return cleaned


def _handler_queryset():
    """Active users who may handle bezwaren, through a role or on their own."""
    app_label, codename = HANDLE_OBJECTION.split(".")
    through_group = Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app_label,
    )
    own = Q(
        user_permissions__codename=codename,
        user_permissions__content_type__app_label=app_label,
    )
    return (
        get_user_model()
        .objects.filter(through_group | own, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "email")
    )


class HandlerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        name = user.get_full_name()
        return f"{name} ({user.email})" if name else user.email


class AssignForm(forms.Form):
    handler = HandlerChoiceField(
        label=_("Behandelaar"),
        queryset=get_user_model().objects.none(),
        error_messages={"required": _("Kies een behandelaar.")},
        help_text=_(
            "Niet iemand die aan de aanvraag of het besluit heeft meegewerkt "
            "(artikel 7:5 Awb)."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = _handler_queryset()


class ClassifyForm(forms.Form):
    ground = forms.ChoiceField(
        label=_("Waar gaat het bezwaar over?"),
        choices=Ground.choices,
        error_messages={"required": _("Kies waar het bezwaar over gaat.")},
    )
    committee = forms.BooleanField(
        label=_("Een adviescommissie adviseert (de beslistermijn wordt 12 weken)"),
        required=False,
    )


class LatenessForm(forms.Form):
    excusable = YesNoField(
        label=_("Is de termijnoverschrijding verschoonbaar (artikel 6:11 Awb)?"),
        error_messages={"required": _("Kies ja of nee.")},
    )
    motivation = _text_field(
        _("Motivering"),
        required_message=_("Schrijf op waarom de overschrijding wel of niet kan."),
    )


class HearingForm(forms.Form):
    hearing_date = _date_field(_("Datum van de hoorzitting"))
    hearing_time = forms.TimeField(
        label=_("Tijd"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": _("Vul de tijd in."),
            "invalid": _("Vul een geldige tijd in, bijvoorbeeld 14:30."),
        },
    )
    place = forms.CharField(
        label=_("Plaats"),
        max_length=200,
        help_text=_("Bijvoorbeeld: Stadskantoor, Stadsplateau 1, Utrecht, of online."),
        error_messages={"required": _("Vul in waar de hoorzitting is.")},
    )

    def clean(self):
        cleaned = super().clean()
        day, time = cleaned.get("hearing_date"), cleaned.get("hearing_time")
        if day and time:
            moment = timezone.make_aware(datetime.combine(day, time))
            if moment < timezone.now():
                self.add_error("hearing_date", _("Deze datum ligt in het verleden."))
            cleaned["hearing_at"] = moment
        return cleaned


class HearingReportForm(forms.Form):
    report = _text_field(
        _("Verslag van de hoorzitting"),
        required_message=_("Schrijf het verslag van de hoorzitting."),
        rows=6,
    )


class WaiverForm(forms.Form):
    waiver = forms.ChoiceField(
        label=_("Reden om af te zien van horen (artikel 7:3 Awb)"),
        choices=HearingWaiver.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies een reden.")},
    )
    motivation = _text_field(
        _("Motivering"),
        required_message=_("Schrijf op waarom u de indiener niet hoort."),
    )


class ExtendForm(forms.Form):
    reason = _text_field(
        _("Reden van de verdaging"),
        required_message=_("Schrijf op waarom de beslissing later komt."),
        help_text=_(
            "De indiener krijgt hierover een brief. U kunt maar één keer verdagen."
        ),
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Beslissing"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies de beslissing.")},
    )
    motivation = _text_field(
        _("Motivering"),
        required_message=_("Schrijf de motivering. Die komt in de brief."),
        rows=6,
        help_text=_("Dit komt in de beslissing op bezwaar, in gewone taal."),
    )
    remedy = EuroCentsField(
        label=_("Nieuw bedrag (alleen bij gegrond)"),
        required=False,
        max_cents=MAX_CENTS,
        help_text=_(
            "Het bedrag dat het nieuwe besluit toekent of vaststelt. Leeg bij een "
            "besluit zonder bedrag (buiten behandeling)."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("remedy") is not None
            and cleaned.get("outcome")
            and cleaned["outcome"] != Outcome.WELL_FOUNDED
        ):
            self.add_error(
                "remedy",
                _("Een nieuw bedrag hoort alleen bij een gegrond bezwaar."),
            )
        return cleaned


class ConfirmForm(forms.Form):
    """A step without input (decide, approve): the button is the form."""


class SendBackForm(forms.Form):
    reason = _text_field(
        _("Waarom stuurt u de beslissing terug?"),
        required_message=_("Schrijf op waarom. De behandelaar leest het."),
    )


class WithdrawForm(forms.Form):
    reason = _text_field(
        _("Hoe en wanneer trok de indiener het bezwaar in?"),
        required_message=_(
            "Schrijf op hoe de indiener het bezwaar introk, bijvoorbeeld: brief van "
            "3 december 2026."
        ),
    )
