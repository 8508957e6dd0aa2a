"""Template filters for the public site: money in Dutch notation and file sizes."""

from django import template

from ..money import format_euros
from ..uploads import format_size

register = template.Library()


@register.filter
def euro(cents):
    """123456 -> '€ 1.234,56'."""
    if cents in (None, ""):
        return ""
    return format_euros(cents)


@register.filter
def euro_whole(cents):
    """200000000 -> '€ 2.000.000' (cents shown only when there are any)."""
    if cents in (None, ""):
        return ""
    return format_euros(cents, with_cents=False)


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
