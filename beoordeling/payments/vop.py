"""Verification of Payee: does the account holder's name fit the applicant's?

Pure (no Django). Before a batch is composed, the name on each account
(``Applicant.account_holder``) is compared with the names the money may go to: the
applicant, its penvoerder, and for a bewonersgroep without penvoerder its contact
person (the money then goes to a person). The names are normalised first: case,
accents, punctuation and legal forms ("Stichting", "Vereniging", "B.V.", ...) do not
count, nor does the order of the words. The outcome is the one banks use since the
EU Instant Payments Regulation (2025): a match, a close match, or no match. A close
match is shown; no match must be ticked explicitly to be paid.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

#: A ratio of at least this (difflib, over the normalised names) is a close match.
CLOSE_RATIO = 0.8

#: Legal forms and their abbreviations, as whole words after normalising.
LEGAL_FORMS = frozenset(
    {
        "stichting",
        "stg",
        "st",
        "vereniging",
        "ver",
        "vzw",
        "cooperatie",
        "cooperatieve",
        "ua",
        "wa",
        "ba",
        "bv",
        "nv",
        "vof",
        "cv",
    }
)


class Outcome(enum.StrEnum):
    MATCH = "match"
    CLOSE = "bijna"
    NO_MATCH = "geen_match"
    MISSING = "ontbreekt"


@dataclass(frozen=True)
class Check:
    outcome: Outcome
    compared_with: str  # the name it fitted best
    ratio: float


def normalise(name: str) -> str:
    """Lower case without accents, punctuation or legal forms, words sorted."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    # "B.V." and "U.A." are one word each: drop the dots inside before splitting.
    text = re.sub(r"(?<=\w)\.(?=\w)", "", text)
    words = re.findall(r"\w+", text)
    kept = [w for w in words if w not in LEGAL_FORMS]
    return " ".join(sorted(kept or words))


def compare(account_holder: str, names: list[str] | tuple[str, ...]) -> Check:
    """The best outcome of ``account_holder`` against each of ``names``."""
    holder = normalise(account_holder)
    candidates = [n for n in names if n and n.strip()]
    if not holder or not candidates:
        return Check(Outcome.MISSING, "", 0.0)
    best = Check(Outcome.NO_MATCH, candidates[0], 0.0)
    for name in candidates:
        other = normalise(name)
        if other == holder:
            return Check(Outcome.MATCH, name, 1.0)
        ratio = SequenceMatcher(None, holder, other).ratio()
        holder_words, other_words = set(holder.split()), set(other.split())
        subset = holder_words <= other_words or other_words <= holder_words
        if subset:
            ratio = max(ratio, CLOSE_RATIO)
        if ratio > best.ratio:
            best = Check(
                Outcome.CLOSE if ratio >= CLOSE_RATIO else Outcome.NO_MATCH,
                name,
                ratio,
            )
    return best
