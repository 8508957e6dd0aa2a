"""Text from the database in the resident's language, marked when it is not (issue 18).

Residents may read the portal in English, but much of what the database holds is
Dutch: a scheme's texts until an editor adds the English ones, round names, question
labels, randvoorwaarden. WCAG 3.1.2 (Language of Parts) asks that a Dutch part of an
English page says so, or a screen reader reads it with English pronunciation.

``LocalText`` is a ``str`` that knows its language. Rendered in HTML (``{{ }}`` with
autoescape on, ``blocktranslate with``, a simple tag) Django calls its ``__html__``:
the text escaped and, when its language is not the page's, inside
``<span lang="nl">``. Rendered as plain text (a mail with autoescape off, ``str()``,
a PDF) it is the bare text. So one value serves both, and a page title (``<title>``
takes no markup) uses ``|plain``.
"""

from django.conf import settings
from django.utils.html import escape, format_html
from django.utils.translation import get_language


def language_of(code=None):
    """'en-gb' -> 'en'; the active language when no code is given."""
    code = code or get_language() or settings.LANGUAGE_CODE
    return code.split("-")[0].lower()


class LocalText(str):
    """A text, the language it is written in, and whether the page is in another."""

    lang: str
    marked: bool

    def __new__(cls, text, lang="nl", marked=False):
        obj = super().__new__(cls, text or "")
        obj.lang = lang
        obj.marked = bool(marked and obj)
        return obj

    def __html__(self):
        text = str.__str__(self)
        if not self.marked:
            return escape(text)
        return format_html('<span lang="{}">{}</span>', self.lang, text)


def dutch(text, language=None):
    """A Dutch text from the database, marked ``lang="nl"`` on a page in another
    language."""
    return LocalText(text, "nl", marked=language_of(language) != "nl")
