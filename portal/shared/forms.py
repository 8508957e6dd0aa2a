"""How the public forms are drawn: the gemeente Utrecht (NL Design System) markup.

``UtrechtFormRenderer`` renders a form and each field with the templates in
``templates/forms/utrecht/``: a ``utrecht-form-field`` wrapper, a
``utrecht-form-label``, a ``utrecht-form-field-description`` for help text, a
``utrecht-form-field-error-message`` per error, and fieldsets for groups of
checkboxes and radio buttons. ``UtrechtBoundField`` puts the matching classes on the
controls (``utrecht-textbox``, ``utrecht-textarea``, ``utrecht-select``,
``utrecht-checkbox``, ``utrecht-radio-button``) with ``aria-invalid`` and
``aria-describedby`` pointing at the description and the error.

No browser validation: the ``required`` attribute is never written (``aria-required``
is), forms are posted with ``novalidate``, and the server says what is wrong, in Dutch,
in an error summary above the form (``error_summary``) and at every field.

Only our public forms use this renderer (through ``UtrechtFormMixin``); the Wagtail
and Django admin keep their own.
"""

import functools
from pathlib import Path

from django import forms
from django.conf import settings
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from . import fast_fields

KIND_CLASSES = {
    "textbox": "utrecht-textbox utrecht-textbox--html-input",
    "textarea": "utrecht-textarea utrecht-textarea--html-textarea",
    "select": "utrecht-select utrecht-select--html-select",
    "checkbox": "utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom",
    "checkbox_group": "utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom",
    "radio_group": "utrecht-radio-button utrecht-radio-button--html-input",
    "file": "portal-file-input",
}
INVALID_CLASSES = {
    "textbox": "utrecht-textbox--invalid",
    "textarea": "utrecht-textarea--invalid",
    "select": "utrecht-select--invalid",
    "checkbox": "utrecht-checkbox--invalid",
    "checkbox_group": "utrecht-checkbox--invalid",
    "radio_group": "utrecht-radio-button--invalid",
    "file": "portal-file-input--invalid",
}


def widget_kind(widget):
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkbox_group"
    if isinstance(widget, forms.RadioSelect):
        return "radio_group"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    return "textbox"


class UtrechtBoundField(BoundField):
    @cached_property
    def utrecht_kind(self):
        return widget_kind(self.field.widget)

    @property
    def is_group(self):
        return self.utrecht_kind in ("checkbox_group", "radio_group")

    @property
    def description_id(self):
        return f"{self.auto_id}-description" if self.help_text else ""

    @property
    def error_id(self):
        return f"{self.auto_id}-error" if self.errors else ""

    @property
    def describedby(self):
        return " ".join(i for i in (self.description_id, self.error_id) if i)

    @property
    def anchor(self):
        """The id the error summary links to: the control, or the first option."""
        if self.is_group:
            return f"{self.auto_id}_0"
        return self.id_for_label or self.auto_id

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        attrs.pop("required", None)
        kind = self.utrecht_kind
        classes = [attrs.get("class", ""), KIND_CLASSES[kind]]
        if self.errors:
            classes.append(INVALID_CLASSES[kind])
            attrs["aria-invalid"] = "true"
        attrs["class"] = " ".join(c for c in classes if c)
        if self.field.required and kind in ("textbox", "textarea", "select", "file"):
            attrs["aria-required"] = "true"
        if self.is_group:
            # The fieldset carries the description; options stay short for screen readers.
            attrs.pop("aria-describedby", None)
        elif self.describedby:
            attrs["aria-describedby"] = self.describedby
        else:
            attrs.pop("aria-describedby", None)
        return attrs


class UtrechtFormRenderer(DjangoTemplates):
    form_template_name = "forms/utrecht/form.html"
    formset_template_name = "forms/utrecht/formset.html"
    field_template_name = "forms/utrecht/field.html"
    bound_field_class = UtrechtBoundField

    #: Draw the field and widget templates with ``portal.shared.fast_fields`` (the
    #: same characters, a tenth of the time); off, every template is rendered.
    fast = True

    def render(self, template_name, context, request=None):
        if self.fast:
            html = fast_fields.render(template_name, context, self)
            if html is not None:
                return html
        return super().render(template_name, context, request)

    @cached_property
    def engine(self):
        # Django's widget templates, the apps' templates and the project's templates/.
        dirs = [Path(forms.__file__).parent / "templates"]
        for engine in settings.TEMPLATES:
            dirs.extend(engine.get("DIRS", []))
        return self.backend(
            {"APP_DIRS": True, "DIRS": dirs, "NAME": "utrechtforms", "OPTIONS": {}}
        )


@functools.cache
def utrecht_renderer():
    return UtrechtFormRenderer()


class LineEndingsMixin:
    """Browsers send a text area's line breaks as CRLF; store them as LF, so a text
    sent back unchanged stays the same and a line break counts as one character, as
    the browser counted it against the maximum length."""

    def _widget_data_value(self, widget, html_name):
        value = super()._widget_data_value(widget, html_name)
        if isinstance(value, str) and "\r" in value:
            return value.replace("\r\n", "\n").replace("\r", "\n")
        return value


class UtrechtFormMixin(LineEndingsMixin):
    """Use on every public form: Utrecht markup, no browser validation, Dutch errors."""

    use_required_attribute = False
    required_message = _("Vul dit in: %(label)s.")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("renderer", utrecht_renderer())
        super().__init__(*args, **kwargs)
        generic = forms.Field.default_error_messages["required"]
        for field in self.fields.values():
            # Replace Django's "Dit veld is verplicht." by a message that names the field.
            if field.error_messages.get("required") is generic:
                field.error_messages["required"] = self.required_message % {
                    "label": str(field.label or "").lower()
                }


def error_summary(*forms_and_formsets):
    """The errors of these forms as ``[{"href", "text"}]``, in the order of the page."""
    items = []
    for item in forms_and_formsets:
        if item is None:
            continue
        if isinstance(item, forms.BaseFormSet):
            if not item.is_bound:
                continue
            first_anchor = None
            row_label = getattr(item, "row_label", "")
            for number, form in enumerate(item.forms, start=1):
                for error in _form_errors(form):
                    if row_label:
                        error["text"] = _("%(row)s %(number)s: %(error)s") % {
                            "row": row_label,
                            "number": number,
                            "error": error["text"],
                        }
                    items.append(error)
                if first_anchor is None and form.visible_fields():
                    first_anchor = form.visible_fields()[0].anchor
            for error in item.non_form_errors():
                items.append({"href": f"#{first_anchor or ''}", "text": error})
        else:
            items.extend(_form_errors(item))
    return items


def _form_errors(form):
    if not form.is_bound:
        return []
    items = []
    visible = form.visible_fields()
    for error in form.non_field_errors():
        anchor = visible[0].anchor if visible else ""
        items.append({"href": f"#{anchor}", "text": error})
    for bound in visible:
        for error in bound.errors:
            items.append({"href": f"#{bound.anchor}", "text": error})
    return items
