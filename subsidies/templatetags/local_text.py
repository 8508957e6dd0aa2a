"""Database texts in the resident's language, and Dutch parts marked ``lang="nl"``.

``{% load local_text %}`` gives:

- ``{% scheme_text scheme "purpose" %}`` and the filter ``scheme|scheme_text:"name"``
  (for ``blocktranslate with``): the scheme's text in the active language
  (``Scheme.text_for``). In English without an English text it is the Dutch text in
  ``<span lang="nl">``; in a plain-text mail (autoescape off) the bare text.
- ``value|dutch``: any other Dutch text from the database (a round name, a question,
  a randvoorwaarde), marked ``lang="nl"`` on a page that is not Dutch.
- ``value|plain``: the bare text, for ``<title>`` (which takes no markup).
- ``page|untranslated``: the page's language code when it differs from the active
  language (a Dutch Wagtail page served in English chrome), else "".
"""

from django import template
from django.utils.safestring import mark_safe

from ..local_text import dutch as _dutch
from ..local_text import language_of

register = template.Library()


@register.simple_tag
def scheme_text(scheme, field):
    if scheme is None:
        return ""
    return scheme.text_for(field)


register.filter("scheme_text", scheme_text)


@register.filter
def dutch(value):
    if value in (None, ""):
        return ""
    return _dutch(str(value))


@register.filter
def plain(value):
    if value in (None, ""):
        return ""
    return str.__str__(str(value))


@register.filter
def untranslated(page):
    locale = getattr(page, "locale", None)
    if locale is None:
        return ""
    code = language_of(locale.language_code)
    return code if code != language_of() else ""


@register.simple_tag
def nl_attr():
    """' lang="nl"' on a page that is not Dutch: for an element whose text is the
    database's Dutch (a scheme's questions, a verdeelregel)."""
    return mark_safe(' lang="nl"') if language_of() != "nl" else ""
