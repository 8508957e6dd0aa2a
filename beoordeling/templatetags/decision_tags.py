"""Template filters of the decision screens: euros, scores and percentages, Dutch style."""

from decimal import Decimal

from django import template

from beoordeling.letters import format_euro

register = template.Library()


@register.filter
def euro(cents):
    """Integer cents as ``€ 1.234,56`` (never wrapped after the €); empty for None."""
    if cents is None or cents == "":
        return ""
    return format_euro(int(cents)).replace(" ", "\u00a0")


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
