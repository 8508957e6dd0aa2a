"""Template filters: money in Dutch notation, file sizes and optional formset rows.

``euro`` and ``euro_whole`` are the only money filters of the project: the staff
screens' tag libraries (``beoordeling.templatetags``) register these same functions,
so a resident and a member of staff read an amount the same way, "€ 1.234,56" with
a non-breaking space after the € (``subsidies.money.format_euros``).
"""

from django import template

from ..money import format_euros
from ..uploads import format_size

register = template.Library()


@register.filter
def euro(cents):
    """123456 -> '€\u00a01.234,56'; empty for no amount."""
    if cents in (None, ""):
        return ""
    return format_euros(cents, nbsp=True)


@register.filter
def euro_whole(cents):
    """200000000 -> '€\u00a02.000.000' (cents shown only when there are any)."""
    if cents in (None, ""):
        return ""
    return format_euros(cents, with_cents=False, nbsp=True)


@register.filter
def filesize(size):
    return format_size(int(size or 0))


@register.filter
def optional_row(formset, number):
    """Is row ``number`` (counted from 1) of this formset one that may stay empty?

    Rows already stored are not optional, and neither are the first
    ``formset.required_rows`` rows: a formset that needs one filled row (the budget
    needs a cost line) must not call that row "niet verplicht".
    """
    required = max(formset.initial_form_count(), getattr(formset, "required_rows", 0))
    return int(number) > required
