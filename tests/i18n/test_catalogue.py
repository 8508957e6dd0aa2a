"""The English catalogue covers every resident-facing string, and the compiled .mo
matches the .po under version control.

When a test here fails it prints the missing entries as PO text: add them with an
English ``msgstr`` to locale/en/LC_MESSAGES/django.po (``manage.py makemessages -l en``
puts them there empty) and compile it (``manage.py compilemessages``).
"""

import gettext
import re
from html import unescape
from pathlib import Path

from django.template.base import Lexer, TokenType

from .extract import ROOT, _files, resident_messages
from .po import parse
from .sources import RESIDENT_TEMPLATES

PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _po_text(context, msgid, plural, files):
    def quote(text):
        return (
            '"'
            + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            + '"'
        )

    lines = [f"#: {' '.join(sorted(set(files)))}"]
    if context:
        lines.append(f"msgctxt {quote(context)}")
    lines.append(f"msgid {quote(msgid)}")
    if plural:
        lines += [f"msgid_plural {quote(plural)}", 'msgstr[0] ""', 'msgstr[1] ""']
    else:
        lines.append('msgstr ""')
    return "\n".join(lines)


def test_every_resident_facing_string_has_an_english_text():
    """Each string a resident can see (resident templates, forms, validators, resident
    views and e-mails, listed in tests/i18n/sources.py) has a non-empty, non-fuzzy
    English translation in the catalogue."""
    catalogue = {entry.key: entry for entry in parse(PO)}
    found = resident_messages()
    assert len(found) > 1000  # the extraction really read the sources
    missing = []
    for (context, msgid, plural), files in sorted(found.items(), key=lambda i: i[1]):
        entry = catalogue.get((context, msgid))
        if entry is None or not entry.translated:
            missing.append(_po_text(context, msgid, plural, files))
    assert not missing, (
        f"{len(missing)} resident-facing strings have no English text in {PO}:\n\n"
        + "\n\n".join(missing)
    )


def test_the_english_texts_keep_the_placeholders():
    """An English text has the same %(name)s placeholders as its Dutch msgid, so a
    resident never sees a broken sentence or a crash on an unknown key."""
    placeholder = re.compile(r"%\([a-z_]+\)[sd]")
    wrong = []
    for entry in parse(PO):
        if not entry.msgid or not entry.translated:
            continue
        expected = set(placeholder.findall(entry.msgid))
        if entry.msgid_plural is not None:
            expected |= set(placeholder.findall(entry.msgid_plural))
        for text in entry.strings():
            got = set(placeholder.findall(text))
            # A singular may spell out "1" where the msgid had the counter.
            if got - expected or (entry.msgid_plural is None and got != expected):
                wrong.append(f"{entry.msgid!r} -> {text!r}")
    assert not wrong, "\n".join(wrong)


def test_the_compiled_catalogue_matches_the_po_file():
    """locale/en/LC_MESSAGES/django.mo (what Django reads) holds exactly the
    translated entries of django.po: a .po edited without compiling fails here."""
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    expected = {}
    for entry in parse(PO):
        if not entry.translated or not entry.msgid:
            continue
        key = (
            entry.msgid
            if entry.msgctxt is None
            else f"{entry.msgctxt}\x04{entry.msgid}"
        )
        if entry.msgid_plural is not None:
            for index, text in entry.msgstr_plural.items():
                expected[(key, index)] = text
        else:
            expected[key] = entry.msgstr
    compiled = {k: v for k, v in compiled.items() if k != ""}
    assert compiled == expected


#: Text that may stand outside translate tags: numbers, punctuation, symbols and the
#: proper names and addresses that are the same in both languages.
UNTRANSLATED = re.compile(
    r"^(?:[\s\d.,:;!?()\[\]/\-–—·•|€%+*=&#'\"’‘“”…×→←✓✕]|14 030|3500 CE Utrecht|"
    r"Initiatiefloket|Utrecht|DigiD|eHerkenning|PDF|IBAN|KvK|MB|CE)*$"
)


_MARK = "\x00"
_OPENS_TRANSLATED = ("blocktranslate", "blocktrans", "comment", "verbatim")


def _bare_text(template_source):
    """Pieces of text outside template tags that a resident would read.

    Template tags and variables become a marker first, so that a tag inside an HTML
    attribute does not split the attribute; then markup, styles and scripts go."""
    pieces = []
    inside = None
    for token in Lexer(template_source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents.split() else ""
            if inside is None and name in _OPENS_TRANSLATED:
                inside = "end" + name
            elif inside is not None and name == inside:
                inside = None
            pieces.append(_MARK)
        elif token.token_type == TokenType.TEXT and inside is None:
            pieces.append(token.contents)
        else:
            pieces.append(_MARK)
    text = "".join(pieces)
    text = re.sub(r"<(style|script)\b.*?</\1>", _MARK, text, flags=re.S | re.I)
    text = re.sub(r"<!--.*?-->", _MARK, text, flags=re.S)
    text = re.sub(r"<[^>]*>", _MARK, text)
    for piece in unescape(text).split(_MARK):
        piece = " ".join(piece.split())
        if piece and not (
            UNTRANSLATED.match(piece) or _PATH.match(piece) or _ATTRIBUTE.match(piece)
        ):
            yield piece


#: An HTML attribute given by a block (``{% block form_attrs %} enctype="…"``).
_ATTRIBUTE = re.compile(r'^(?:[\w-]+="[^"]*"\s*)+$')

#: A URL path written into an e-mail or a link text (same in both languages).
_PATH = re.compile(r"^(?:https?://\S+|/[\w\-/]*)$")


def test_resident_templates_have_no_text_outside_translate_tags():
    """Every word a resident reads in a template goes through {% translate %} or
    {% blocktranslate %}: text nodes hold only markup, numbers and punctuation."""
    bare = {}
    for path in _files(RESIDENT_TEMPLATES, {".html", ".txt"}):
        found = list(_bare_text(Path(path).read_text(encoding="utf-8")))
        if found:
            bare[str(path.relative_to(ROOT))] = found
    assert not bare, "Text outside translate tags:\n" + "\n".join(
        f"{path}: {texts}" for path, texts in sorted(bare.items())
    )
