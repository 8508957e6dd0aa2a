"""The public forms' field templates written out in Python, for speed.

A step of the application form draws about a hundred controls (the buurten alone
are 81 checkboxes). Through Django's template engine every control is a template
with two includes and a fresh context: three quarters of the time of the page went
there (issue 19). ``UtrechtFormRenderer.render`` answers the templates named in
``TEMPLATES`` with the functions below, which write the same characters as

- ``templates/forms/utrecht/field.html`` (with ``errors.html``) and ``form.html``;
- Django's widget templates ``input.html`` (and the text, e-mail, number, date,
  hidden, password, checkbox, file and option templates that only include it),
  ``attrs.html``, ``textarea.html``, ``select.html`` and ``select_option.html``.

The templates stay what the markup is: a function that meets something it was not
written for (an option with its own template, a field with its own template name)
answers ``None`` and the template is rendered. ``tests/subsidies/test_step_render.py``
renders every field of the public forms, empty, filled and with errors, and whole
step pages, both ways and requires the same characters; change a template and that
test says which function to change with it.

Values are written as the template engine writes them (``_text``: local time,
localised, escaped unless safe); ``|stringformat:'s'`` is ``str()`` (``_str``).
"""

from html import escape

from django.forms.boundfield import BoundWidget
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, gettext

WIDGETS = "django/forms/widgets/"
FIELD = "forms/utrecht/field.html"
FORM = "forms/utrecht/form.html"
SELECT_OPTION = WIDGETS + "select_option.html"


def _text(value):
    """``{{ value }}``: as ``django.template.base.render_value_in_context``."""
    kind = type(value)
    if kind is str:
        return escape(value)
    if kind is SafeString:
        return value
    value = localize(template_localtime(value))
    if not issubclass(type(value), str):
        value = str(value)
    return conditional_escape(value)


def _str(value):
    """``{{ value|stringformat:'s' }}``: ``str()``, still safe when it was, escaped."""
    if type(value) is str:
        return escape(value)
    text = str(value)
    if isinstance(value, SafeData):
        return conditional_escape(mark_safe(text))
    if type(text) is str:
        # A choice's value (a key): what conditional_escape writes, without the
        # lazy-text wrapper around it (a hundred options on the initiative step).
        return escape(text)
    return conditional_escape(text)


def _translate(message):
    """``{% translate "..." %}``."""
    return _text(gettext(message)).replace("%%", "%")


def _attrs(attrs):
    """``django/forms/widgets/attrs.html``."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {_text(name)}")
        else:
            parts.append(f' {_text(name)}="{_str(value)}"')
    return "".join(parts)


def _input(widget):
    """``django/forms/widgets/input.html``."""
    value = widget["value"]
    shown = f' value="{_str(value)}"' if value is not None else ""
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>"
    )


def input_widget(context, renderer):
    return _input(context["widget"])


def input_option(context, renderer):
    """``input_option.html`` (checkbox and radio options): the input, perhaps
    wrapped in its label (``{{ option }}``; the Utrecht field draws its own)."""
    widget = context["widget"]
    if not widget.get("wrap_label"):
        return _input(widget)
    label_id = widget["attrs"].get("id")
    opening = f'<label for="{_text(label_id)}">' if label_id else "<label>"
    # The include of input.html keeps its line end inside the label.
    return f"{opening}{_input(widget)}\n {_text(widget['label'])}</label>"


def textarea(context, renderer):
    widget = context["widget"]
    value = widget["value"]
    return (
        f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{_text(value) if value else ''}</textarea>"
    )


def select(context, renderer):
    widget = context["widget"]
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option.get("template_name") != SELECT_OPTION:
                return None
            parts.append(
                f'\n  <option value="{_str(option["value"])}"'
                f"{_attrs(option['attrs'])}>{_text(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _errors(field, errors):
    """``forms/utrecht/errors.html``, with its line end."""
    if not errors:
        return "\n"
    lines = "".join(
        '<p class="utrecht-paragraph portal-error-line"><span '
        f'class="portal-visually-hidden">{_translate("Fout:")} </span>'
        f"{_text(error)}</p>"
        for error in errors
    )
    return (
        '<div class="utrecht-form-field-error-message '
        f'utrecht-form-field__error-message" id="{_text(field.error_id)}">'
        f"{lines}</div>\n"
    )


def _optional(field):
    if field.field.required:
        return ""
    return f' <span class="portal-optional">{_translate("(niet verplicht)")}</span>'


def _description(field):
    if not field.help_text:
        return ""
    return (
        '<div class="utrecht-form-field-description utrecht-form-field__description"'
        f' id="{_text(field.description_id)}">{_text(field.help_text)}</div>'
    )


#: The templates of a checkbox or radio button option: the input alone (unwrapped).
OPTIONS = {
    WIDGETS + "checkbox_option.html",
    WIDGETS + "radio_option.html",
    WIDGETS + "input_option.html",
}


def _option_tag(option):
    """``{{ option.tag }}``: one option's input (``BoundWidget.tag``)."""
    if option.template_name in OPTIONS:
        return _input(option.data)
    return _text(option.tag())


def _when(condition, text):
    return text if condition else ""


def _option_html(option, option_kind):
    """One option of a group: its label and input in a ``utrecht-form-field``."""
    wijk = option.data.get("wijk")
    wijk_attr = _when(wijk, f' data-wijk="{_text(wijk)}"')
    return (
        f'\n      <div class="utrecht-form-field utrecht-form-field--{option_kind}'
        f' portal-option"{wijk_attr}>\n'
        '        <div class="utrecht-form-field__label"><label class="utrecht-form-'
        f'label utrecht-form-label--{option_kind}" for="{_text(option.id_for_label)}">'
        f"{_text(option.choice_label)}</label></div>\n"
        '        <div class="utrecht-form-field__input">'
        f"{_option_tag(option)}</div>\n      </div>\n    "
    )


#: Options drawn before, per process: (form, widget, field, list, attributes,
#: language) -> (the list, [(value, unchecked HTML, checked HTML)]).
_drawn_options = {}
#: A bound on the kept drawings: fields x error states x languages stay far below it.
_DRAWN_MAX = 256


def _shared_options(field, option_kind):
    """The options of a group whose choices are a shared reference list (the 81
    buurten, the doelgroepen, the thema's): drawn once per list, error state and
    language, in both states; a request only picks checked or unchecked per option.

    A choices iterator says its list is shared with ``shared_choices()``: the same
    list object for as long as the choices are the same (``subsidies.forms.fields.
    CachedChoiceIterator``). Any other group is drawn option by option. Each option
    is drawn by ``_option_html`` from Django's own ``create_option``, so the
    characters are those of the slow path (``tests/subsidies/test_step_render.py``)."""
    widget = field.field.widget
    shared = getattr(widget.choices, "shared_choices", None)
    if shared is None:
        return None
    objects = shared()
    if objects is None:
        return None
    id_ = widget.attrs.get("id") or field.auto_id
    attrs = field.build_widget_attrs({"id": id_} if id_ else {})
    # Everything the drawing depends on besides the list: the form and field (their
    # labels of the objects), the widget and its own attributes, the attributes of
    # this request (an error), the language.
    key = (
        type(field.form),
        type(widget),
        field.html_name,
        id(objects),
        tuple(widget.attrs.items()),
        tuple(attrs.items()),
        get_language(),
    )
    held = _drawn_options.get(key)
    if held is None or held[0] is not objects:
        drawn = []
        for index, (value, label) in enumerate(widget.choices):
            if isinstance(label, list | tuple):
                return None  # option groups: not a reference list
            html = [
                _option_html(
                    BoundWidget(
                        widget,
                        widget.create_option(
                            field.html_name, value, label, selected, index, attrs=attrs
                        ),
                        field.form.renderer,
                    ),
                    option_kind,
                )
                for selected in (False, True)
            ]
            drawn.append((str(value), *html))
        if len(_drawn_options) >= _DRAWN_MAX:
            _drawn_options.clear()
        held = _drawn_options[key] = (objects, drawn)
    # Which options are checked, as ``ChoiceWidget.optgroups`` decides it: the
    # formatted values; a single choice checks only its first match.
    chosen = set(widget.format_value(field.value()))
    several = widget.allow_multiple_selected
    options = []
    for value, unchecked, checked in held[1]:
        if value in chosen:
            options.append(checked)
            if not several:
                chosen = ()
        else:
            options.append(unchecked)
    return options


def _group(field, kind, errors):
    option_kind = "radio" if kind == "radio_group" else "checkbox"
    describedby = field.describedby
    options = _shared_options(field, option_kind)
    if options is None:
        options = [_option_html(option, option_kind) for option in field.subwidgets]
    role = _when(kind == "radio_group", ' role="radiogroup"')
    described = _when(describedby, f' aria-describedby="{_text(describedby)}"')
    columns = getattr(field.field.widget, "columns", None)
    return (
        '<div class="utrecht-form-field utrecht-form-field--fieldset'
        f'{_when(errors, " utrecht-form-field--invalid")}"'
        f' data-field="{_text(field.html_name)}">\n'
        '  <fieldset class="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset'
        f'{_when(errors, " utrecht-form-fieldset--invalid")}"{role}{described}>\n'
        '    <legend class="utrecht-form-fieldset__legend '
        'utrecht-form-fieldset__legend--html-legend">'
        f"{_text(field.label)}{_optional(field)}</legend>\n"
        f"    {_description(field)}\n"
        f"    {_errors(field, errors)}\n"
        f'    <div class="portal-options{_when(columns, " portal-options--columns")}">\n'
        f"    {''.join(options)}\n"
        "    </div>\n  </fieldset>\n</div>"
    )


def _checkbox(field, errors):
    return (
        '<div class="utrecht-form-field utrecht-form-field--checkbox'
        f'{_when(errors, " utrecht-form-field--invalid")}"'
        f' data-field="{_text(field.html_name)}">\n'
        '  <div class="utrecht-form-field__label"><label class="utrecht-form-label '
        f'utrecht-form-label--checkbox" for="{_text(field.id_for_label)}">'
        f"{_text(field.label)}</label></div>\n"
        f"  {_description(field)}\n"
        f"  {_errors(field, errors)}\n"
        f'  <div class="utrecht-form-field__input">{_text(field)}</div>\n</div>'
    )


def _control(field, kind, errors):
    if kind == "textarea":
        modifier = "textarea"
    elif kind == "select":
        modifier = "select"
    else:
        modifier = "text"
    return (
        f'<div class="utrecht-form-field utrecht-form-field--{modifier}'
        f'{_when(errors, " utrecht-form-field--invalid")}"'
        f' data-field="{_text(field.html_name)}">\n'
        '  <div class="utrecht-form-field__label"><label class="utrecht-form-label" '
        f'for="{_text(field.id_for_label)}">{_text(field.label)}{_optional(field)}'
        "</label></div>\n"
        f"  {_description(field)}\n"
        f"  {_errors(field, errors)}\n"
        f'  <div class="utrecht-form-field__input">{_text(field)}</div>\n</div>'
    )


def field_group(context, renderer):
    """``forms/utrecht/field.html``: one field with its label, description and
    errors; a group of checkboxes or radio buttons in a fieldset."""
    field = context["field"]
    kind = field.utrecht_kind
    errors = field.errors
    if kind in ("checkbox_group", "radio_group"):
        return _group(field, kind, errors)
    if kind == "checkbox":
        return _checkbox(field, errors)
    return _control(field, kind, errors)


def form(context, renderer):
    """``forms/utrecht/form.html``: the hidden fields, then each field's group."""
    hidden = "".join(_text(field) for field in context["hidden_fields"])
    shown = "".join(_text(field.as_field_group()) for field, _ in context["fields"])
    return hidden + shown


#: Template name: the function that writes what it would.
TEMPLATES = {
    FIELD: field_group,
    FORM: form,
    WIDGETS + "textarea.html": textarea,
    WIDGETS + "select.html": select,
    **dict.fromkeys(OPTIONS, input_option),
    **{
        f"{WIDGETS}{name}.html": input_widget
        for name in (
            "input",
            "text",
            "email",
            "number",
            "date",
            "datetime",
            "time",
            "hidden",
            "password",
            "url",
            "tel",
            "search",
            "color",
            "checkbox",
            "file",
        )
    },
}


def render(template_name, context, renderer):
    """What ``template_name`` renders for ``context`` (stripped, as a form renderer
    returns it), or ``None`` when the template must render it."""
    function = TEMPLATES.get(template_name)
    if function is None:
        return None
    html = function(context, renderer)
    return None if html is None else html.strip()
