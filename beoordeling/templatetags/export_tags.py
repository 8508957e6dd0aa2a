"""Template filters of the overview screens (exports, dashboard, open data)."""

from django import template

from subsidies.templatetags.portal_tags import euro

register = template.Library()

# The one money filter of the project (``subsidies.templatetags.portal_tags``): its
# non-breaking space keeps "€ 1.234,56" on one line in a narrow table column.
register.filter("euro", euro)
