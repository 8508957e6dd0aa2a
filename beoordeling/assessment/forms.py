"""Forms of the assessment screens. They parse input; the services decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateInput

from subsidies.forms import LineEndingsMixin
from subsidies.forms.fields import ChoiceFromListField

from ..letters import format_date
from ..preconditions import Outcome
from .services import (
    HERSTELTERMIJN_MAX_DAYS,
    HERSTELTERMIJN_MIN_DAYS,
    hersteltermijn_bounds,
    hersteltermijn_default,
)

SCALE_CHOICES = [
    (0, _("0 – niet aangetoond")),
    (1, _("1 – zwak")),
    (2, _("2 – voldoende")),
    (3, _("3 – goed")),
    (4, _("4 – sterk")),
]

OUTCOME_CHOICES = [
    (Outcome.MET.value, _("Voldaan")),
    (Outcome.NOT_MET.value, _("Niet voldaan")),
]


class ServiceErrorsMixin(LineEndingsMixin):
    """Show an ``AssessmentError``'s field errors next to the fields (and keep line
    breaks as the browser counted them)."""

    error_field_prefix = ""

    def add_service_error(self, error):
        placed = []
        for key, message in getattr(error, "errors", {}).items():
            name = self.error_field_prefix.format(code=key)
            if name not in self.fields:
                name = key if key in self.fields else None
            if name is not None:
                self.add_error(name, message)
                placed.append(str(message))
        if str(error) not in placed:
            self.add_error(None, str(error))


class PreconditionsForm(ServiceErrorsMixin, forms.Form):
    """Per randvoorwaarde: voldaan / niet voldaan and, when departing, why."""

    error_field_prefix = "motivation_{code}"

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposals = proposals
        for proposal in proposals:
            result = proposal.result
            code = proposal.rule.code
            self.fields[f"outcome_{code}"] = forms.ChoiceField(
                label=_("Uitkomst"),
                choices=OUTCOME_CHOICES,
                widget=forms.RadioSelect,
                initial=(
                    result.outcome.value
                    if result.outcome is not Outcome.UNKNOWN
                    else None
                ),
            )
            self.fields[f"motivation_{code}"] = forms.CharField(
                label=_("Motivering"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Verplicht als u afwijkt van het voorstel."),
            )

    def rows(self):
        for proposal in self.proposals:
            code = proposal.rule.code
            yield proposal, self[f"outcome_{code}"], self[f"motivation_{code}"]

    def choices(self):
        return {
            p.rule.code: (
                self.cleaned_data.get(f"outcome_{p.rule.code}", ""),
                self.cleaned_data.get(f"motivation_{p.rule.code}", ""),
            )
            for p in self.proposals
        }


class SupplementRequestForm(ServiceErrorsMixin, forms.Form):
    message = forms.CharField(
        label=_("Wat ontbreekt er?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Dit staat letterlijk in de e-mail aan de aanvrager."),
    )
    due_on = forms.DateField(
        label=_("Hersteltermijn tot en met"),
        widget=AdminDateInput,
    )

    def __init__(self, *args, scheme, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        first, last = hersteltermijn_bounds(today=today)
        field = self.fields["due_on"]
        field.initial = hersteltermijn_default(scheme=scheme, today=today)
        field.help_text = _(
            "Tussen %(first)s en %(last)s: minstens %(min)s en hoogstens %(max)s "
            "dagen (Awb 4:5). De beslistermijn staat zolang stil."
        ) % {
            "first": format_date(first),
            "last": format_date(last),
            "min": HERSTELTERMIJN_MIN_DAYS,
            "max": HERSTELTERMIJN_MAX_DAYS,
        }


class SetAsideForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reden"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        initial=_("De hersteltermijn is verlopen zonder aanvulling (artikel 4:5 Awb)."),
    )


class AssignForm(ServiceErrorsMixin, forms.Form):
    assessor = ChoiceFromListField(label=_("Beoordelaar"), queryset=None)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessor"].queryset = candidates
        self.fields["assessor"].label_from_instance = lambda user: (
            f"{user.get_full_name() or user.email}"
            + (" ★" if getattr(user, "in_team", False) else "")
        )


class DeclarationForm(ServiceErrorsMixin, forms.Form):
    NO_CONFLICT = "geen_belang"
    CONFLICT = "belang"

    declaration = forms.ChoiceField(
        label=_("Verklaring"),
        widget=forms.RadioSelect,
        choices=[
            (
                NO_CONFLICT,
                _("Ik heb geen persoonlijk of zakelijk belang bij deze aanvraag."),
            ),
            (CONFLICT, _("Ik heb wel een belang en trek mij terug als beoordelaar.")),
        ],
    )
    reason = forms.CharField(
        label=_("Welk belang?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Verplicht als u zich terugtrekt. Dit wordt vastgelegd."),
    )

    @property
    def conflict(self):
        return self.cleaned_data["declaration"] == self.CONFLICT


class DeclarationAmendForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Welk belang heeft u?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Bijvoorbeeld: u kent de aanvrager, of zit in het bestuur. Dit wordt "
            "vastgelegd naast uw eerdere verklaring."
        ),
    )


class ScoreForm(ServiceErrorsMixin, forms.Form):
    """A score 0-4 and a motivation per criterion of the rubric version."""

    error_field_prefix = "score_{code}"

    advice = forms.CharField(
        label=_("Advies"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"score_{criterion.code}"] = forms.TypedChoiceField(
                label=_("Score"),
                choices=SCALE_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"motivation_{criterion.code}"] = forms.CharField(
                label=_("Motivering"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self):
        for criterion in self.criteria:
            yield (
                criterion,
                self[f"score_{criterion.code}"],
                self[f"motivation_{criterion.code}"],
            )

    def scores(self):
        return {
            c.code: (
                self.cleaned_data.get(f"score_{c.code}"),
                self.cleaned_data.get(f"motivation_{c.code}", ""),
            )
            for c in self.criteria
        }


class ConsensusForm(ServiceErrorsMixin, forms.Form):
    """A score for a criterion with an open disagreement: proposed by one of the two
    assessors, or decided by a third (``third=True`` adds the declaration)."""

    criterion = forms.ChoiceField(label=_("Criterium"))
    score = forms.TypedChoiceField(label=_("Score"), choices=SCALE_CHOICES, coerce=int)
    note = forms.CharField(
        label=_("Toelichting"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Welke score, en waarom? De oorspronkelijke scores blijven bewaard."
        ),
    )

    def __init__(self, *args, criteria, third=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = [
            (c.code, f"{c.code} {c.name}") for c in criteria
        ]
        if third:
            self.fields["no_conflict"] = forms.BooleanField(
                label=_(
                    "Ik heb geen persoonlijk of zakelijk belang bij deze aanvraag of "
                    "de aanvrager."
                ),
                required=False,
            )


class ConsensusAnswerForm(ServiceErrorsMixin, forms.Form):
    """The other assessor's answer to a proposal: agree, or not (with why)."""

    response = forms.CharField(
        label=_("Uw antwoord"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Verplicht als u het niet eens bent: waarom niet?"),
    )


class CriterionForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=16)
    name = forms.CharField(label=_("Criterium"), max_length=300)
    anchor = forms.CharField(
        label=_("Wat hoort bij een 4"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    weight = forms.IntegerField(label=_("Gewicht"), min_value=1, max_value=1000)
    knockout = forms.BooleanField(label=_("Knock-out bij 0"), required=False)


CriterionFormSet = forms.formset_factory(
    CriterionForm, extra=1, can_delete=True, min_num=1, validate_min=True
)


class RubricVersionForm(ServiceErrorsMixin, forms.Form):
    note = forms.CharField(
        label=_("Wat is er veranderd?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Een nieuwe versie geldt voor aanvragen die nog geen beoordelaar hebben. "
            "Scores die al gegeven zijn, blijven bij hun eigen versie."
        ),
    )


def criteria_initial(rubric):
    if rubric is None:
        return []
    return [
        {
            "code": c.code,
            "name": c.name,
            "anchor": c.anchor,
            "weight": c.weight,
            "knockout": c.knockout,
        }
        for c in rubric.criteria.all()
    ]
