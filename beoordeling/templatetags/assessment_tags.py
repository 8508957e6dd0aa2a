"""Template filters for the assessment screens: money and scores in Dutch notation."""

from decimal import Decimal

from django import template

from subsidies.services import TRANSITION_LABELS
from subsidies.templatetags.portal_tags import euro

register = template.Library()

# The one money filter of the project (``subsidies.templatetags.portal_tags``).
register.filter("euro", euro)


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
