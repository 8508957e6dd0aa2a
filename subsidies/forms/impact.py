"""Step 3 of the form: what the initiative changes, and the scheme's own questions
(from the application's ``QuestionSet``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .base import TOO_LONG, UtrechtForm
from .fields import YesNoField


def _count_field(label, help_text, required_message, maximum):
    # Every message names the question: in the error summary above the form, a bare
    # "Vul een heel getal in" does not say which of the step's numbers is meant.
    named = {"question": label}
    # The validators behind min_value and max_value format their message once more.
    escaped = {"question": str(label).replace("%", "%%")}
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=0,
        max_value=maximum,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 8}),
        error_messages={
            "required": required_message,
            "invalid": _(
                "Vul bij '%(question)s' een heel getal in, met cijfers. Bijvoorbeeld 25."
            )
            % named,
            "min_value": _("Het aantal bij '%(question)s' kan niet negatief zijn.")
            % escaped,
            "max_value": _(
                "Het aantal bij '%(question)s' is te hoog. Het mag hoogstens "
                "%%(limit_value)s zijn."
            )
            % escaped,
        },
    )


class ImpactForm(UtrechtForm):
    impact_plan = forms.CharField(
        label=_("Wat verandert er door uw initiatief?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Vertel wat het oplevert voor de mensen die meedoen en voor de buurt. En "
            "hoe u laat zien dat het werkt: wat telt u, en welke verhalen verzamelt u?"
        ),
        error_messages={
            "required": _("Beschrijf wat er verandert door uw initiatief."),
            **TOO_LONG,
        },
    )
    expected_reach = _count_field(
        _("Hoeveel mensen doen ongeveer mee?"),
        _("Een schatting is goed."),
        _("Vul in hoeveel mensen ongeveer meedoen."),
        1_000_000,
    )
    volunteers = _count_field(
        _("Hoeveel vrijwilligers helpen mee?"),
        _("Uzelf meegeteld."),
        _("Vul in hoeveel vrijwilligers meehelpen."),
        100_000,
    )

    def __init__(self, *args, question_set=None, **kwargs):
        self.question_set = question_set
        super().__init__(*args, **kwargs)
        for question in self.questions:
            self.fields[f"q_{question['key']}"] = question_field(question)

    @property
    def questions(self):
        return list(self.question_set.questions) if self.question_set else []

    def answers(self):
        """The scheme answers from the cleaned data, keyed by question key."""
        data = getattr(self, "cleaned_data", {})
        return {
            question["key"]: data[f"q_{question['key']}"]
            for question in self.questions
            if f"q_{question['key']}" in data
        }

    @staticmethod
    def initial_from(application):
        initial = {
            "impact_plan": application.impact_plan,
            "expected_reach": application.expected_reach,
            "volunteers": application.volunteers,
        }
        for key, value in (application.answers or {}).items():
            initial[f"q_{key}"] = value
        return {key: value for key, value in initial.items() if value not in (None, "")}


def question_field(question):
    """A form field for one question of a scheme's ``QuestionSet``."""
    kind = question.get("kind", "text")
    required = bool(question.get("required"))
    label = question.get("label", question.get("key"))
    help_text = question.get("help", "")
    choices = [tuple(choice) for choice in question.get("choices", [])]
    named = {"question": label}
    if kind == "yesno":
        return YesNoField(
            label=label,
            help_text=help_text,
            required=required,
            error_messages={"required": _("Kies ja of nee bij: %(question)s") % named},
        )
    if kind == "number":
        field = _count_field(
            label,
            help_text,
            _("Vul een getal in bij: %(question)s") % named,
            1_000_000,
        )
        field.required = required
        return field
    if kind == "choice":
        return forms.ChoiceField(
            label=label,
            help_text=help_text,
            required=required,
            choices=choices,
            widget=forms.RadioSelect,
            error_messages={
                "required": _("Kies een antwoord bij: %(question)s") % named,
                "invalid_choice": _("Kies een antwoord uit de lijst."),
            },
        )
    if kind == "multichoice":
        return forms.MultipleChoiceField(
            label=label,
            help_text=help_text,
            required=required,
            choices=choices,
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": _("Kies minstens één antwoord bij: %(question)s") % named,
                "invalid_choice": _("Kies antwoorden uit de lijst."),
            },
        )
    max_length = 3000 if kind == "textarea" else 300
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": 4}) if kind == "textarea" else None,
        error_messages={
            "required": _("Beantwoord de vraag: %(question)s") % named,
            **TOO_LONG,
        },
    )
