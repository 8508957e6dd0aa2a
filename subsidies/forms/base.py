"""What every public form and formset shares: the Utrecht renderer, no browser
validation, and messages for texts that are too long."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.shared.forms import UtrechtFormMixin, utrecht_renderer

PERSONAL = {"spellcheck": "false"}


#: The message for a text above its maximum length, with both numbers.
TOO_LONG = {
    "max_length": _(
        "Dit is te lang: gebruik hoogstens %(limit_value)d tekens (nu %(show_value)d)."
    )
}


class UtrechtForm(UtrechtFormMixin, forms.Form):
    pass


def declaration_field(*, label, refused):
    """The box a resident ticks to declare that what they sent is true; ``refused``
    says in Dutch why the form cannot go without it."""
    return forms.BooleanField(label=label, error_messages={"required": refused})


class BaseUtrechtFormSet(forms.BaseFormSet):
    """A formset drawn with the Utrecht renderer; a row can be left empty.

    The page is pre-filled from the stored rows, and what comes back is the whole
    truth: a row is kept when it has content and is not marked for removal, whether or
    not it differs from what was stored. So a bound row is compared with an empty row,
    never with the stored one (Django's ``has_changed`` against the initial data would
    call a row sent back unchanged empty, and drop it). A row emptied by hand counts as
    removed rather than as an error.
    """

    #: How a row is called in the error summary ("Kostenpost 2: ...").
    row_label = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("form_kwargs", {})
        super().__init__(*args, **kwargs)
        self.renderer = self.form_renderer = utrecht_renderer()

    def _construct_form(self, i, **kwargs):
        if self.is_bound:
            kwargs.setdefault("initial", {})
            kwargs.setdefault("empty_permitted", True)
        return super()._construct_form(i, **kwargs)

    @staticmethod
    def has_content(form):
        """Is anything typed in this row, apart from the removal box?"""
        return any(
            field.field.has_changed(field.initial, field.data)
            for field in form
            if field.name != forms.formsets.DELETION_FIELD_NAME
        )

    @property
    def filled_forms(self):
        """The rows with content that are not marked for removal."""
        return [
            form
            for form in self.forms
            if self.has_content(form)
            and not (self.can_delete and self._should_delete_form(form))
            and getattr(form, "cleaned_data", None)
        ]

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Verwijderen")
