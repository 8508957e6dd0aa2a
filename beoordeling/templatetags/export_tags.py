"""Template filters of the overview screens: amounts that never break over two lines."""

from django import template

from subsidies.money import format_euros

register = template.Library()


@register.filter
def euro_nbsp(cents):
    """123456 -> '€ 1.234,56' with a non-breaking space, for narrow table columns."""
    if cents in (None, ""):
        return ""
    return format_euros(cents).replace(" ", "\u00a0")
