"""Every resident-facing text passes the plain-language (B1) check, in Dutch and
in English: short sentences, common words, active voice (tests/i18n/plain_language.py).

The texts: every resident-facing msgid (tests/i18n/sources.py, read by
tests/i18n/extract.py) with its English msgstr, the e-mail templates' text, and
the demo CMS pages (cms/demo.py and cms/demo_en.py). The letters are out of scope
(legal text; see the checker's docstring).
"""

import json
import re
from pathlib import Path

import pytest

from cms import demo, demo_en

from .extract import ROOT, resident_messages
from .plain_language import MAX_LETTERS, MAX_WORDS, check
from .po import parse

PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"

#: The backlog: texts that failed when the check was added and are not rewritten
#: yet, as [language, text] pairs. TODO: rewrite each one and remove it here; the
#: list may only shrink (test_the_backlog_only_shrinks). It is not an allow-list.
#: It is empty now: a new text that fails the check is rewritten, not added here.
BACKLOG_FILE = Path(__file__).with_name("plain_language_backlog.json")
BACKLOG = {tuple(item) for item in json.loads(BACKLOG_FILE.read_text("utf-8"))}

#: Texts that may fail, each with its reason. Keep it short.
ALLOWED = {
    # Legal or formal terms a resident must recognise in the letter.
    "Zo'n brief heet een ingebrekestelling.": "names the legal term (Awb 4:17)",
    "Such a letter is called a notice of default (ingebrekestelling).": (
        "names the legal term (Awb 4:17)"
    ),
}


def _catalogue_texts():
    catalogue = {entry.key: entry for entry in parse(PO)}
    for (context, msgid, plural), files in resident_messages().items():
        yield files[0], "nl", msgid
        if plural:
            yield files[0], "nl", plural
        entry = catalogue.get((context, msgid))
        if entry is not None:
            for text in entry.strings():
                if text:
                    yield files[0], "en", text


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _demo_texts():
    for module, language in ((demo, "nl"), (demo_en, "en")):
        for name, value in vars(module).items():
            if name.isupper():
                for text in _strings(value):
                    yield f"{module.__name__}.{name}", language, text


def _email_texts():
    """The bare text of the e-mail templates, outside the translate tags (the
    tags' own strings are msgids above)."""
    for path in sorted((ROOT / "templates").rglob("emails/*.txt")):
        source = Path(path).read_text(encoding="utf-8")
        bare = re.sub(r"\{%.*?%\}|\{#.*?#\}", "\n", source, flags=re.S)
        yield str(path.relative_to(ROOT)), "nl", bare


def _failures(texts):
    failed = []
    for where, language, text in texts:
        findings = [
            f for f in check(text, language) if f.sentence.strip() not in ALLOWED
        ]
        if findings and text not in ALLOWED and (language, text) not in BACKLOG:
            failed.append(f"{where} [{language}]: " + "; ".join(map(str, findings)))
    return failed


def test_the_catalogue_texts_are_plain_language():
    """Each resident-facing Dutch msgid and its English text has sentences of at most
    20 words, words of at most 15 letters (or a listed domain term) and no passive."""
    failed = _failures(_catalogue_texts())
    assert not failed, f"{len(failed)} texts fail B1:\n" + "\n".join(sorted(failed))


def test_the_demo_pages_are_plain_language():
    """The CMS pages the demo seeds, in Dutch and English, pass the same check."""
    failed = _failures(_demo_texts())
    assert not failed, f"{len(failed)} texts fail B1:\n" + "\n".join(sorted(failed))


def test_the_email_templates_are_plain_language():
    """The text of the resident e-mails outside translate tags passes the check."""
    failed = _failures(_email_texts())
    assert not failed, "\n".join(failed)


def test_the_allow_list_is_short_and_still_needed():
    """Each allow-list entry still fails the check (else it goes), and there are
    few of them."""
    assert len(ALLOWED) <= 15
    for text in ALLOWED:
        language = "en" if re.search(r"\b(the|is|a|of)\b", text) else "nl"
        assert check(text, language), text


def test_the_backlog_only_shrinks():
    """Each backlog text still fails the check and is still used: a rewritten or
    removed text must leave the backlog, so the backlog can only get shorter."""
    texts = {
        (language, text)
        for _, language, text in [*_catalogue_texts(), *_demo_texts(), *_email_texts()]
    }
    stale = [
        item for item in BACKLOG if item not in texts or not check(item[1], item[0])
    ]
    assert not stale, stale
    assert len(BACKLOG) <= 0


# The checker itself.


def test_a_short_active_dutch_sentence_passes():
    """A plain B1 sentence has no findings."""
    assert check("U vult het formulier in. Wij sturen u een e-mail.", "nl") == []


def test_a_short_active_english_sentence_passes():
    """A plain B1 English sentence has no findings."""
    assert check("You fill in the form. We send you an e-mail.", "en") == []


def test_a_sentence_over_twenty_words_is_flagged():
    """21 words in one sentence are too many; placeholders count as one word and
    HTML tags are not words."""
    long = " ".join(["woord"] * (MAX_WORDS + 1)) + "."
    findings = check(long, "nl")
    assert [f.kind for f in findings] == ["long-sentence"]
    exact = "<p>" + " ".join(["%(naam)s"] * MAX_WORDS) + " <b>{{ x }}</b>.</p>"
    assert [f.kind for f in check(exact, "nl")] == ["long-sentence"]
    assert check("<p>" + " ".join(["%(naam)s"] * MAX_WORDS) + ".</p>", "nl") == []


@pytest.mark.parametrize(
    "text,language,word",
    [
        ("Lees de uitvoeringsregeling goed.", "nl", "uitvoeringsregeling"),
        ("Read the characteristically long word.", "en", "characteristically"),
    ],
)
def test_a_long_word_is_flagged(text, language, word):
    """A word over 15 letters that is not a listed domain term is flagged."""
    findings = check(text, language)
    assert [(f.kind, f.detail) for f in findings] == [("long-word", word)]
    assert len(word) > MAX_LETTERS


def test_a_listed_domain_term_passes():
    """The fund's own name is long but allowed."""
    assert check("Vraag geld aan bij het Initiatievenfonds.", "nl") == []


@pytest.mark.parametrize(
    "text",
    [
        "Uw aanvraag wordt door de gemeente gecontroleerd.",
        "De aanvraag is op 3 mei door u ingevuld.",
        "Het bestand werd toegevoegd.",
        "De subsidie wordt verleend.",
    ],
)
def test_a_dutch_passive_is_flagged(text):
    """wordt/is/werd … participle is passive voice."""
    assert [f.kind for f in check(text, "nl")] == ["passive"]


@pytest.mark.parametrize(
    "text",
    [
        "Your application is checked by the municipality.",
        "The file has been added.",
        "The money was paid last week.",
    ],
)
def test_an_english_passive_is_flagged(text):
    """is/are/was/were/been … participle (-ed or irregular) is passive voice."""
    assert [f.kind for f in check(text, "en")] == ["passive"]


def test_active_sentences_with_auxiliaries_pass():
    """An auxiliary without a participle is not passive."""
    assert check("Uw plan is goed voor de buurt. Het geld is op.", "nl") == []
    assert check("The form is ready. We are happy to help.", "en") == []
