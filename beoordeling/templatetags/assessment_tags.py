"""Template filters for the assessment screens: money and scores in Dutch notation."""

from decimal import Decimal

from django import template

from beoordeling.scoring import format_euro
from subsidies.services import TRANSITION_LABELS

register = template.Library()


@register.filter
def euro(cents):
    """123456 -> '€ 1.234,56'; empty for no amount."""
    if cents is None or cents == "":
        return ""
    return format_euro(int(cents))


@register.filter
def decimal_comma(value):
    """Decimal('61.88') -> '61,88'; empty for None."""
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal):
        value = format(value, "f")
    return str(value).replace(".", ",")


@register.filter
def transition_label(name):
    """'accept' -> 'in behandeling nemen'."""
    return TRANSITION_LABELS.get(name, name)
