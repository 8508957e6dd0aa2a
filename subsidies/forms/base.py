"""What every public form and formset shares: the Utrecht renderer, no browser
validation, and messages for texts that are too long."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .rendering import UtrechtFormMixin, utrecht_renderer

PERSONAL = {"spellcheck": "false"}


#: The message for a text above its maximum length, with both numbers.
TOO_LONG = {
    "max_length": _(
        "Dit is te lang: gebruik hoogstens %(limit_value)d tekens (nu %(show_value)d)."
    )
}


class UtrechtForm(UtrechtFormMixin, forms.Form):
    pass


class BaseUtrechtFormSet(forms.BaseFormSet):
    """A formset drawn with the Utrecht renderer; a row can be left empty."""

    #: How a row is called in the error summary ("Kostenpost 2: ...").
    row_label = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("form_kwargs", {})
        super().__init__(*args, **kwargs)
        self.renderer = self.form_renderer = utrecht_renderer()

    @property
    def filled_forms(self):
        """The rows with content that are not marked for removal."""
        return [
            form
            for form in self.forms
            if form.has_changed()
            and not (self.can_delete and self._should_delete_form(form))
            and getattr(form, "cleaned_data", None)
        ]

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Verwijderen")
