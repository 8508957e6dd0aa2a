"""The letters of a bezwaar, rendered as A4 PDF on the letter base of the beschikkingen.

Concept: one frozen content dataclass in, one PDF (bytes) out, like
``beoordeling.letters`` (whose letterhead, styles, signature and page layout it
reuses). Pure: the standard library, reportlab and the two pure modules it builds on;
no Django, no project models (import-linter holds it).

``content`` holds the dataclasses, their mandatory parts and ``validate``; ``render``
the texts and the PDF.

Rules:

- Four letters. ``Acknowledgement`` (ontvangstbevestiging, Awb 6:14): the contested
  decision, the day of receipt, the end of the bezwaartermijn and, when the bezwaar
  came in after it, a plain sentence saying so and that the objector may write why
  (Awb 6:11, verschoonbaar); what happens next (a hearing, the day we decide by). It is
  no beschikking: no bezwaar clause. ``HearingInvitation`` (Awb 7:2): day, time and
  place; the hearing is led by someone not involved in the decision (7:5); the
  objector may bring someone; the documents lie open for inspection from at least a
  week before (7:4 lid 2), so the hearing is at least a week after the letter; what to
  do when they cannot come. ``Extension`` (verdaging, Awb 7:10 lid 3): the original
  and the new last day, the reason; the new day is later, at most six weeks.
  ``ObjectionDecision`` (beslissing op bezwaar, a beschikking): what the bezwaar is
  about, how we heard the objector (the hearing and what was said, or the ground of
  7:3 for not hearing), the decision, its motivation (3:46, 7:12) and the beroep
  clause instead of a bezwaar clause.
- The decision: niet-ontvankelijk (with why; a late bezwaar not excusable says the
  term, the day of receipt and the judgement of 6:11); ongegrond (the decision
  stays); gegrond: the decision is revoked (herroepen) and a new one comes in its place
  (7:11), by the kind of the contested decision: an afwijzing becomes a verlening of
  the remedy with every part of a verlening (``beoordeling.letters.verlening_blocks``);
  a buiten-behandelingstelling: the application is handled after all; a verlening or
  wijziging: the amount becomes the remedy; a vaststelling: fixed at the remedy; an
  intrekking: no longer withdrawn; a terugvordering: the remedy reclaimed (0: nothing).
- Beroep (Awb 8:1, 6:7): at the rechtbank Midden-Nederland, sector bestuursrecht,
  Postbus 16005, 3500 DA Utrecht, or digitally via rechtspraak.nl, within six weeks
  after the day of sending, with the concrete last day (``beroep_deadline``: the same
  term as a bezwaar, with the Algemene termijnenwet); griffierecht; a voorlopige
  voorziening from the voorzieningenrechter. Never a bezwaar clause: against a
  beslissing op bezwaar only beroep is open.
- Generation refuses when a mandatory part is empty (``MissingLetterPart`` names every
  such part in Dutch); contradictory content (a new last day before the old one, a
  hearing within a week of the letter) is a ``ValueError``.
- The same content gives byte-identical PDFs; signature "Burgemeester en wethouders
  van Utrecht, namens dezen, <functie>".
"""

from .content import (
    Acknowledgement,
    Extension,
    HearingInvitation,
    MissingLetterPart,
    ObjectionDecision,
    ObjectionMissingPart,
    Outcome,
    Waiver,
    beroep_deadline,
    format_time,
    validate,
)
from .render import render

__all__ = [
    "Acknowledgement",
    "Extension",
    "HearingInvitation",
    "MissingLetterPart",
    "ObjectionDecision",
    "ObjectionMissingPart",
    "Outcome",
    "Waiver",
    "beroep_deadline",
    "format_time",
    "render",
    "validate",
]
