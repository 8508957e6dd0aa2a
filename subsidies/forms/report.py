"""The verantwoording's steps: what happened, who took part, the money per approved
budget line with income from others, proof, and sending. Amounts are typed in euros
(``EuroField``), the same parser as the application's budget."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Report
from ..money import cents_to_euros
from .base import TOO_LONG, BaseUtrechtFormSet, UtrechtForm, declaration_field
from .fields import DutchDateField, EuroField
from .files import OneFileForm, file_field
from .impact import _count_field


class ReportActivityForm(UtrechtForm):
    what_happened = forms.CharField(
        label=_("Wat is er gebeurd?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Vertel in een paar zinnen wat u heeft gedaan en wat het opleverde."
        ),
        error_messages={
            "required": _("Vertel wat er is gebeurd."),
            **TOO_LONG,
        },
    )
    course = forms.ChoiceField(
        label=_("Ging het zoals u had gepland?"),
        choices=Report.Course.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies of het ging zoals u had gepland."),
            "invalid_choice": _("Kies een van de mogelijkheden."),
        },
    )
    deviations = forms.CharField(
        label=_("Wat ging anders, en waarom?"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Alleen als het anders ging dan gepland."),
        error_messages=TOO_LONG,
    )
    started_on = DutchDateField(
        label=_("Eerste dag van de activiteit"),
        required=False,
        help_text=_("Bijvoorbeeld 15-03-2027."),
    )
    ended_on = DutchDateField(
        label=_("Laatste dag van de activiteit"),
        required=False,
        help_text=_("Bijvoorbeeld 30-09-2027."),
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("started_on"), cleaned.get("ended_on")
        if start and end and end < start:
            self.add_error(
                "ended_on",
                _("De laatste dag ligt voor de eerste dag. Controleer de datums."),
            )
        if (
            cleaned.get("course") in (Report.Course.PARTLY, Report.Course.NOT)
            and not (cleaned.get("deviations") or "").strip()
        ):
            self.add_error(
                "deviations", _("Vertel wat er anders ging dan gepland, en waarom.")
            )
        return cleaned

    @staticmethod
    def initial_from(report):
        return {
            name: getattr(report, name)
            for name in ReportActivityForm.base_fields
            if getattr(report, name) not in (None, "")
        }


class ReportPeopleForm(UtrechtForm):
    participants = _count_field(
        _("Hoeveel mensen deden mee?"),
        _("Een schatting is goed."),
        _("Vul in hoeveel mensen meededen."),
        1_000_000,
    )
    volunteers = _count_field(
        _("Hoeveel vrijwilligers hielpen mee?"),
        _("Uzelf meegeteld. Vul 0 in als er geen vrijwilligers waren."),
        _("Vul in hoeveel vrijwilligers meehielpen."),
        100_000,
    )

    @staticmethod
    def initial_from(report):
        return {
            name: getattr(report, name)
            for name in ReportPeopleForm.base_fields
            if getattr(report, name) is not None
        }


class SpentForm(UtrechtForm):
    """What was spent on one approved budget line (a row per line, none added)."""

    spent = EuroField(
        label=_("Uitgegeven in euro"),
        allow_zero=True,
        error_messages={
            "required": _(
                "Vul in hoeveel u aan deze kostenpost heeft uitgegeven. Niets? Vul 0 in."
            )
        },
    )

    def __init__(self, *args, line=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.line = line
        if line is not None:
            self.fields["spent"].label = _("Uitgegeven aan: %(line)s") % {
                "line": line.description
            }


class BaseSpentFormSet(BaseUtrechtFormSet):
    row_label = _("Kostenpost")

    def __init__(self, *args, lines=(), **kwargs):
        self.lines = list(lines)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None and index < len(self.lines):
            kwargs["line"] = self.lines[index]
        return kwargs

    def _construct_form(self, i, **kwargs):
        # Every row is one approved budget line and must be filled in.
        form = super()._construct_form(i, **kwargs)
        form.empty_permitted = False
        form.use_required_attribute = False
        return form

    def spent_by_line(self):
        from ..money import euros_to_cents

        return {
            form.line.pk: euros_to_cents(form.cleaned_data["spent"])
            for form in self.forms
            if form.line is not None
        }


SpentFormSet = forms.formset_factory(SpentForm, formset=BaseSpentFormSet, extra=0)


def spent_initial(application, report):
    """One row per approved budget line: what was stored, else the approved amount."""
    stored = {}
    if report is not None:
        stored = {line.budget_line_id: line.spent_cents for line in report.lines.all()}
    return [
        {"spent": cents_to_euros(stored.get(line.pk, line.amount_cents))}
        for line in application.budget_lines.all()
    ]


class IncomeForm(UtrechtForm):
    source = forms.CharField(
        label=_("Van wie?"),
        max_length=200,
        help_text=_("Bijvoorbeeld een fonds, een sponsor of de kaartverkoop."),
        error_messages={
            "required": _("Vul in van wie dit geld kwam, of vink 'verwijderen' aan."),
            **TOO_LONG,
        },
    )
    amount = EuroField(
        label=_("Ontvangen in euro"),
        error_messages={"required": _("Vul het bedrag in euro's in.")},
    )


class BaseIncomeFormSet(BaseUtrechtFormSet):
    row_label = _("Inkomsten")


IncomeFormSet = forms.formset_factory(
    IncomeForm,
    formset=BaseIncomeFormSet,
    extra=1,
    can_delete=True,
    max_num=30,
    absolute_max=40,
    validate_max=True,
)


def income_initial(report):
    if report is None:
        return []
    return [
        {"source": item.source, "amount": cents_to_euros(item.amount_cents)}
        for item in report.income.all()
    ]


class ProofForm(OneFileForm):
    file = file_field(
        label=_("Kies een foto of ander bestand"),
        help_text=_(
            "Bijvoorbeeld foto's van de activiteit, bonnen of een flyer. PDF, Word, "
            "Excel, OpenDocument, JPG, PNG of tekst. Hoogstens 10 MB per bestand."
        ),
    )


class ReportSendForm(UtrechtForm):
    truthful_declaration = declaration_field(
        label=_("Ik verklaar dat alles klopt wat ik heb ingevuld."),
        refused=_(
            "Vink aan dat alles klopt. Zonder deze verklaring kunnen wij uw "
            "verantwoording niet behandelen."
        ),
    )

    def __init__(self, *args, asks_answer=False, **kwargs):
        super().__init__(*args, **kwargs)
        if asks_answer:
            self.fields["answer"] = forms.CharField(
                label=_("Uw antwoord op onze vraag"),
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 6}),
                error_messages={
                    "required": _("Schrijf uw antwoord op onze vraag."),
                    **TOO_LONG,
                },
            )
            self.order_fields(["answer", "truthful_declaration"])
