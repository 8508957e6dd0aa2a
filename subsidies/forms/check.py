"""The quick check before the form: one ja/nee question per rule (``eligibility``)."""

from django.utils.translation import gettext_lazy as _

from .. import eligibility
from .base import UtrechtForm
from .fields import YesNoField


class QuickCheckForm(UtrechtForm):
    """One ja/nee question per line of ``eligibility.QUESTIONS``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for question in eligibility.QUESTIONS:
            self.fields[question.key] = YesNoField(
                label=question.text,
                help_text=question.help,
                error_messages={
                    "required": _("Kies ja of nee bij: %(question)s")
                    % {"question": question.text}
                },
            )

    def answers(self):
        return eligibility.Answers(
            **{key: self.cleaned_data.get(key) for key in eligibility.QUESTION_KEYS}
        )
