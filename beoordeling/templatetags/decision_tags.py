"""Template filters of the decision screens: euros, scores and percentages, Dutch style."""

from decimal import Decimal

from django import template

from subsidies.templatetags.portal_tags import euro

register = template.Library()

# The one money filter of the project (``subsidies.templatetags.portal_tags``).
register.filter("euro", euro)


@register.filter
def score(value):
    """A score such as 68.50 as ``68,5``."""
    if value is None:
        return ""
    text = f"{Decimal(value):.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


@register.filter
def percent(value):
    """A percentage with one decimal and a comma: ``23,8 %``."""
    if value is None:
        return ""
    return f"{Decimal(value):.1f} %".replace(".", ",")
