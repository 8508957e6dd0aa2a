"""A plain-language (B1) check for the resident-facing texts, in Dutch and English.

Why: Utrecht writes its own pages at language level B1, and so does this portal
(docs/accessibility.md, "Taal"; /work/shared/docs/nl-law-and-ecosystem.md says the
letters are "in B1-level Dutch (Utrecht's own pages are written that way)"). B1
guidance (the Rijksoverheid's "Direct duidelijk" and the Plain Language guidance of
GOV.UK) comes down to three things a machine can measure:

- **short sentences**: a sentence has at most ``MAX_WORDS`` (20) words. Longer
  sentences are the first thing B1 readers lose track of; 15 to 20 words is the
  usual upper bound in both guides.
- **common words**: a word has at most ``MAX_LETTERS`` (15) letters, unless it is a
  term of this domain that a resident meets anyway and that has no shorter word
  (``ALLOWED_LONG_WORDS``, each with its reason; most are in docs/glossary.md).
  Long Dutch compounds are the typical "hard word"; a long English word is usually
  Latinate jargon.
- **active voice**: no passive ("wordt ... gecontroleerd", "is ... sent"). Passive
  hides who acts; a resident needs to know whether the gemeente or they must act.
  The check is a heuristic: an auxiliary followed (within a few words, in Dutch up
  to the end of the clause) by a participle. "door" after a Dutch passive is the
  strongest hint; it is not needed to flag.

What is measured: text with HTML tags stripped; placeholders (``%(name)s``,
``{{ var }}``, ``{name}``) count as one word. A text is split into sentences at
``.``, ``!``, ``?``, ``:`` followed by space, and at line breaks.

Out of scope: the letters (the beschikking's reportlab text in
beoordeling/letters.py, the objection letters). They are legal documents, not
resident pages, and quote the regulation and the Awb; they keep their wording.
"""

import re
from dataclasses import dataclass
from html import unescape

MAX_WORDS = 20
MAX_LETTERS = 15

#: Long words a resident meets in this domain anyway, with no shorter common word.
ALLOWED_LONG_WORDS = {
    # The fund and the kind of request this portal is for (its own name).
    "initiatievenfonds": "the fund's name on every page (glossary: aanvraag)",
    "bewonersinitiatief": "what the portal funds; the gemeente's own term",
    "bewonersinitiatieven": "plural of bewonersinitiatief",
    # Glossary terms with legal meaning a resident reads in their letter.
    "ontvangstbevestiging": "glossary term (Awb 6:14), named in the receipt e-mail",
    "betrouwbaarheidsniveau": "glossary term, the DigiD level shown at login",
    "subsidieaanvraag": "glossary term aanvraag; the letter uses the word",
    "subsidieplafond": "glossary term; the round page shows the ceiling",
    "verantwoordingen": "plural of the glossary term verantwoording (the report "
    "the resident sends after the activity)",
    "burgerservicenummer": "glossary term BSN, spelled out once for clarity",
    # Proper names.
    "persoonsgegevens": "in the proper name Autoriteit Persoonsgegevens (the DPA)",
    "toegankelijkheid": "the name of the accessibility page every Dutch government "
    "site links in its footer (a resident looks for this word)",
    "wijkbureau": "short; listed for clarity (Utrecht's district offices)",
    "wagtail-localize": "software name",
}

_TAG = re.compile(r"<[^>]+>")
_PLACEHOLDER = re.compile(r"%\([^)]*\)[sd]|%[sd]|\{\{.*?\}\}|\{[a-z_]*\}|\[\[.*?\]\]")
_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+|\n+")
_WORD = re.compile(r"[\w'’@-]+|\x00", re.UNICODE)
_URL = re.compile(r"\S+@\S+|https?://\S+|\b[\w-]+\.(?:nl|html|pdf|txt)\b")

NL_AUX = {"wordt", "worden", "werd", "werden", "is", "zijn", "was", "waren", "word"}
# Words that end the clause an auxiliary belongs to.
NL_CLAUSE_BREAK = {
    "en",
    "of",
    "maar",
    "want",
    "als",
    "dan",
    "dat",
    "die",
    "omdat",
    "wanneer",
    "zodat",
    "terwijl",
    "tot",
    "voordat",
}
# Ge-words that are not participles of a passive (adjectives and nouns).
NL_NOT_PARTICIPLE = {
    "geen",
    "genoeg",
    "geld",
    "gegevens",
    "gemeente",
    "gebied",
    "gebruik",
    "gesprek",
    "gevolg",
    "geval",
    "geleden",
    "gelijk",
    "gewoon",
    "gemiddeld",
    "geldig",
    "gerust",
    "gedeelte",
    "gedaan",
    "geweest",
    "gezin",
    "geheel",
    "genoemd",
    "gewenst",
    "geschikt",
    "gesloten",
    "geopend",
    "gereed",
    "gelukt",
    "gestart",
    "getal",
    "gedrag",
    "geluid",
    "gedachte",
    "gehad",
    "gekomen",
    "gebeurd",
    "gegaan",
    "gebleven",
    "geworden",
    "gelegen",
    "gestopt",
    "geboren",
    # Legal adjective (Awb): "uw bezwaar is gegrond" says what the objection is.
    "gegrond",
}
# Separable-verb participles that start with a particle: verzonden, opgeslagen ...
_NL_PARTICIPLE = re.compile(
    r"^(?:[a-z]+)?ge[a-zë]{2,}(?:d|t|en)$|^(?:ver|be|ont|her|ge)[a-zë]{2,}(?:d|t|en)$"
)

EN_AUX = {"is", "are", "was", "were", "be", "been", "being", "get", "gets", "got"}
EN_IRREGULAR = {
    "sent",
    "paid",
    "made",
    "done",
    "given",
    "taken",
    "seen",
    "known",
    "shown",
    "written",
    "kept",
    "held",
    "told",
    "found",
    "lost",
    "put",
    "set",
    "read",
    "left",
    "chosen",
    "spent",
    "brought",
    "bought",
    "built",
    "meant",
    "won",
    "cut",
    "hidden",
    "withdrawn",
    "forbidden",
    "broken",
    "sold",
    "understood",
    "thrown",
}
# -ed words that are adjectives after "is/are" in everyday use.
EN_NOT_PARTICIPLE = {
    "need",
    "needed",
    "red",
    "bed",
    "based",
    "interested",
    "tired",
    "allowed",
    "required",
    "supposed",
    "used",
    "closed",
    "finished",
    "satisfied",
    "married",
    "concerned",
    "involved",
    "expected",
    "limited",
    "advanced",
    "detailed",
    "related",
    "indeed",
    "hundred",
    "shared",
    "registered",
    "logged",
    "signed",
    "completed",
    "located",
    "qualified",
    "entitled",
    "scheduled",
    # "This is called X" names a term; "well-founded" is the legal adjective.
    "called",
    "well-founded",
}


@dataclass(frozen=True)
class Finding:
    kind: str  # "long-sentence", "long-word", "passive"
    sentence: str
    detail: str

    def __str__(self):
        return f"{self.kind}: {self.detail} in {self.sentence!r}"


def clean(text):
    """Text without HTML tags; each placeholder becomes one marker word."""
    text = _PLACEHOLDER.sub(" \x00 ", text)
    text = unescape(_TAG.sub(" ", text))
    return text


def sentences(text):
    """The sentences of a text, after cleaning."""
    text = clean(text)
    for part in _SENTENCE_END.split(text):
        part = " ".join(part.split())
        if part:
            yield part


def words(sentence):
    return _WORD.findall(_URL.sub(" \x00 ", sentence))


def _passive_nl(tokens):
    lower = [t.lower() for t in tokens]
    for index, word in enumerate(lower):
        if word not in NL_AUX:
            continue
        for later in lower[index + 1 : index + 9]:
            if later in NL_CLAUSE_BREAK or later == ",":
                break
            if later in NL_NOT_PARTICIPLE or len(later) < 5:
                continue
            if _NL_PARTICIPLE.match(later) and not later.endswith(("heden", "igen")):
                # "ge" must start the participle (or follow a separable particle).
                if later.startswith("ge") or re.match(
                    r"^(?:af|aan|op|in|uit|mee|door|toe|terug|na|voor|bij|vast|over)ge",
                    later,
                ):
                    return f"{word} … {later}"
                if word in {"wordt", "worden", "werd", "werden"} and later.startswith(
                    ("ver", "be", "ont", "her")
                ):
                    return f"{word} … {later}"
    return None


def _passive_en(tokens):
    lower = [t.lower() for t in tokens]
    for index, word in enumerate(lower):
        if word not in EN_AUX:
            continue
        for later in lower[index + 1 : index + 4]:
            if later in EN_NOT_PARTICIPLE:
                break
            if later in EN_IRREGULAR or (later.endswith("ed") and len(later) > 4):
                return f"{word} … {later}"
            if later not in {
                "not",
                "also",
                "then",
                "now",
                "already",
                "still",
                "being",
                "been",
                "automatically",
                "only",
                "always",
                "never",
            }:
                break
    return None


def check(text, language):
    """The B1 findings for ``text`` (``language`` is "nl" or "en")."""
    findings = []
    passive = _passive_nl if language == "nl" else _passive_en
    for sentence in sentences(text):
        tokens = words(sentence)
        if len(tokens) > MAX_WORDS:
            findings.append(Finding("long-sentence", sentence, f"{len(tokens)} words"))
        for token in tokens:
            letters = re.sub(r"[^\w]", "", token).replace("_", "")
            if len(letters) > MAX_LETTERS and not _allowed(token):
                findings.append(Finding("long-word", sentence, token))
        hit = passive(tokens)
        if hit:
            findings.append(Finding("passive", sentence, hit))
    return findings


def _allowed(token):
    word = token.lower().strip("-'’")
    if word in ALLOWED_LONG_WORDS:
        return True
    # A hyphenated compound is read in its parts.
    return "-" in word and all(
        len(part) <= MAX_LETTERS or part in ALLOWED_LONG_WORDS
        for part in word.split("-")
    )
