"""Decision letters (beschikkingen) of the gemeente Utrecht, rendered as A4 PDF.

Concept: one frozen ``LetterContent`` in, one PDF (bytes) out. The module imports
only the standard library and reportlab, so a Django service can fill the
content from the database while benchmarks and tests run without one. The only
I/O is reading the DejaVu Sans fonts shipped in ``beoordeling/fonts/``, once per
process.

Rules:

- Letter types: verlening, four kinds of afwijzing (randvoorwaarden, impact,
  budget, wijkmaximum) and buiten behandeling (Awb 4:5). Each type has its own
  decision sentence and its own motivation paragraph.
- Blocks, in this order: letterhead with sender and contact; addressee and the
  reference block (date, kenmerk, application, subject); aanhef and the decision
  in one sentence; "Wat u heeft aangevraagd"; "Ons besluit" (dictum); "Waarom
  wij zo besluiten" (motivation and legal basis, Awb 3:46/3:47); for a
  verlening also obligations, verantwoording and vaststelling, payment, and
  intrekking and terugvordering; for every type the bezwaar clause (Awb 3:45)
  with the concrete last date; the signature under mandate.
- Generation refuses when a mandatory part is empty (``MissingLetterPart``
  names every such part in Dutch). Every type needs: sender, contact name and
  phone, addressee name and address, date sent, kenmerk, application reference
  and title (the subject and the decision sentence), date received, scheme
  name, legal basis, motivation and signatory function. Verlening and
  afwijzing also need the date the application was complete and the requested
  amount. A verlening also needs an awarded amount above zero, the activities,
  the activity period, the obligations, the accountability text and the
  payment text (ABRvS 29-09-2021, Weert: an obligation not in the verlening
  cannot be enforced later). Contradictory content (period ending before it
  starts, an award above the request, an afwijzing with an amount) is a
  ``ValueError`` too.
- Money is integer cents, printed in Dutch notation with cents: ``€ 1.234,56``.
- Dates print as ``23 november 2026`` without any locale.
- The same content gives byte-identical PDFs (reportlab's invariant mode), so
  the stored SHA-256 of a sent beschikking can be checked again later.
"""

from __future__ import annotations

import enum
import io
import re
import threading
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    HRFlowable,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

__all__ = [
    "LetterContent",
    "LetterType",
    "MissingLetterPart",
    "bezwaar_deadline",
    "format_date",
    "format_euro",
    "register_fonts",
    "render_letter",
    "subject_line",
    "validate",
]

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
_FONT_FILES = {
    FONT: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
    "DejaVuSans-Oblique": "DejaVuSans-Oblique.ttf",
    "DejaVuSans-BoldOblique": "DejaVuSans-BoldOblique.ttf",
}
UTRECHT_RED = colors.HexColor("#cc0000")
GREY = colors.HexColor("#555555")
BEZWAAR_TERM = timedelta(weeks=6)
MARGIN_LEFT = 22 * mm
MARGIN_RIGHT = 20 * mm
TEXT_WIDTH = A4[0] - MARGIN_LEFT - MARGIN_RIGHT

_MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


class LetterType(enum.Enum):
    VERLENING = "verlening"
    AFWIJZING_RANDVOORWAARDEN = "afwijzing_randvoorwaarden"
    AFWIJZING_IMPACT = "afwijzing_impact"
    AFWIJZING_BUDGET = "afwijzing_budget"
    AFWIJZING_CAP = "afwijzing_cap"
    BUITEN_BEHANDELING = "buiten_behandeling"

    @property
    def is_afwijzing(self) -> bool:
        return self.value.startswith("afwijzing")


@dataclass(frozen=True, kw_only=True)
class LetterContent:
    """Everything one beschikking prints; built by the service from the database."""

    letter_type: LetterType
    sender: str  # "Wijkbureau Overvecht"
    contact_name: str
    contact_phone: str
    addressee_name: str
    addressee_address: tuple[str, ...]  # street, postcode and place
    date_sent: date | None  # the dagtekening: the day the letter is sent
    kenmerk: str  # "D2026-000123"
    application_reference: str  # "IF-2026-0042"
    application_title: str
    received_on: date | None
    scheme_name: str
    legal_basis: str  # the scheme's nadere regel and article
    motivation: tuple[str, ...]  # randvoorwaarden, score and rank, ceiling state
    signatory_function: str  # who signs under mandate
    contact_email: str = ""
    complete_on: date | None = None
    requested_cents: int = 0
    awarded_cents: int = 0
    activity_description: str = ""
    activity_start: date | None = None
    activity_end: date | None = None
    obligations: tuple[str, ...] = ()
    accountability: str = ""  # verantwoording and vaststelling route
    payment: str = ""  # with the IBAN masked
    salutation: str = "Geachte heer, mevrouw,"
    signatory_name: str = ""
    #: True only when the ceiling itself was reached for this application (the money
    #: left under the ceiling was less than its amount): only then does a refusal cite
    #: Awb 4:25 lid 2; otherwise it rests on the published verdeelregel (Awb 4:26).
    ceiling_reached: bool = False


class MissingLetterPart(ValueError):
    """A mandatory part of the letter is empty; ``parts`` names them in Dutch."""

    def __init__(self, fields: tuple[str, ...]):
        self.fields = fields
        self.parts = tuple(_PART_NAMES[f] for f in fields)
        super().__init__(
            "De brief kan niet worden gemaakt. Deze verplichte onderdelen zijn leeg: "
            + ", ".join(self.parts)
            + "."
        )


_PART_NAMES = {
    "sender": "afzender (wijkbureau of afdeling)",
    "contact_name": "naam contactpersoon",
    "contact_phone": "telefoonnummer contactpersoon",
    "addressee_name": "naam geadresseerde",
    "addressee_address": "adres geadresseerde",
    "date_sent": "verzenddatum",
    "kenmerk": "kenmerk",
    "application_reference": "nummer van de aanvraag",
    "application_title": "titel van de aanvraag (onderwerp en besluit)",
    "received_on": "datum van ontvangst",
    "complete_on": "datum waarop de aanvraag compleet was",
    "requested_cents": "gevraagd bedrag",
    "awarded_cents": "verleend bedrag",
    "activity_description": "beschrijving van de activiteiten",
    "activity_start": "begindatum van de activiteiten",
    "activity_end": "einddatum van de activiteiten",
    "scheme_name": "naam van de regeling",
    "legal_basis": "wettelijke grondslag (nadere regel)",
    "motivation": "motivering",
    "obligations": "verplichtingen",
    "accountability": "verantwoording en vaststelling",
    "payment": "betaling",
    "signatory_function": "functie van de ondertekenaar (mandaat)",
}
_ALWAYS = (
    "sender",
    "contact_name",
    "contact_phone",
    "addressee_name",
    "addressee_address",
    "date_sent",
    "kenmerk",
    "application_reference",
    "application_title",
    "received_on",
    "scheme_name",
    "legal_basis",
    "motivation",
    "signatory_function",
)
_ASSESSED = ("complete_on", "requested_cents")
_VERLENING = (
    "awarded_cents",
    "activity_description",
    "activity_start",
    "activity_end",
    "obligations",
    "accountability",
    "payment",
)


def bezwaar_deadline(date_sent: date) -> date:
    """Return the last day to lodge bezwaar: the day of sending plus 6 weeks.

    Awb 6:7 sets a term of 6 weeks; 6:8 lets it start on the day after the
    decision was made known (for a letter: sent). A term starting the day after
    ``date_sent`` and lasting 6 weeks ends on ``date_sent + 42 days``: sent on
    Monday 23 November 2026, the last day is Monday 4 January 2027. The
    Algemene termijnenwet may move a last day that falls on a weekend or public
    holiday to the next working day; that only widens the term, so the printed
    date is never too late. ``date_sent`` must be the actual day of sending.
    """
    return date_sent + BEZWAAR_TERM


def format_euro(cents: int) -> str:
    """Format integer cents in Dutch notation, always with cents: ``€ 1.234,56``."""
    if isinstance(cents, bool) or not isinstance(cents, int):
        raise TypeError(f"bedrag moet een geheel aantal centen zijn, niet {cents!r}")
    if cents < 0:
        raise ValueError(f"bedrag mag niet negatief zijn: {cents}")
    euros, rest = divmod(cents, 100)
    return f"€ {euros:_},{rest:02d}".replace("_", ".")


def format_date(d: date) -> str:
    """Format a date the Dutch way, without locale: ``23 november 2026``."""
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def subject_line(content: LetterContent) -> str:
    """The subject of the letter, also the PDF title."""
    return f"Besluit op uw aanvraag subsidie '{content.application_title.strip()}'"


def _is_empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, tuple | list):
        return not any(isinstance(v, str) and v.strip() for v in value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value == 0  # a negative amount is wrong, not missing
    return False


def validate(content: LetterContent) -> None:
    """Raise ``MissingLetterPart`` or ``ValueError`` when the letter may not go out."""
    kind = content.letter_type
    required = _ALWAYS
    if kind is not LetterType.BUITEN_BEHANDELING:
        required += _ASSESSED
    if kind is LetterType.VERLENING:
        required += _VERLENING
    missing = tuple(f for f in required if _is_empty(getattr(content, f)))
    if missing:
        raise MissingLetterPart(missing)

    problems = [
        f"{_PART_NAMES[name]}: een reeks regels, geen losse tekst"
        for name in ("addressee_address", "motivation", "obligations")
        if isinstance(getattr(content, name), str)
    ]
    amounts = (content.requested_cents, content.awarded_cents)
    if all(isinstance(a, int) and not isinstance(a, bool) and a >= 0 for a in amounts):
        if content.awarded_cents > content.requested_cents:
            problems.append("het verleende bedrag is hoger dan het gevraagde bedrag")
    else:
        problems.append("bedragen moeten gehele aantallen centen van 0 of meer zijn")
    if kind is not LetterType.VERLENING and content.awarded_cents:
        problems.append("een afwijzing of buiten behandeling verleent geen bedrag")
    start, end = content.activity_start, content.activity_end
    if start and end and end < start:
        problems.append("de einddatum van de activiteiten ligt voor de begindatum")
    if content.complete_on and content.complete_on < content.received_on:
        problems.append("de aanvraag was compleet voordat zij was ontvangen")
    if content.date_sent < content.received_on:
        problems.append("de brief is verzonden voordat de aanvraag was ontvangen")
    if problems:
        raise ValueError("De brief klopt niet: " + "; ".join(problems) + ".")


# Texts. Plain Dutch at B1 level; {placeholders} hold escaped markup.

_DECISION = {
    LetterType.VERLENING: "Wij verlenen u een subsidie van {awarded} voor {title}.",
    LetterType.BUITEN_BEHANDELING: "Wij nemen uw aanvraag niet in behandeling.",
}
_AFWIJZING_DECISION = "Wij wijzen uw aanvraag af."

_MOTIVATION_INTRO = {
    LetterType.VERLENING: (
        "Wij hebben uw aanvraag getoetst aan de voorwaarden van de regeling "
        "{scheme}. Uw aanvraag voldoet daaraan. Dit hebben wij vastgesteld:"
    ),
    LetterType.AFWIJZING_RANDVOORWAARDEN: (
        "Voor een subsidie uit de regeling {scheme} moet uw aanvraag aan een "
        "aantal voorwaarden voldoen. Uw aanvraag voldoet niet aan alle "
        "voorwaarden. Daarom kunnen wij u geen subsidie geven. Dit hebben wij "
        "vastgesteld:"
    ),
    LetterType.AFWIJZING_IMPACT: (
        "Wij hebben beoordeeld wat uw activiteit oplevert voor de buurt en haar "
        "bewoners: de impact. Dat doen wij met de vaste punten (criteria) van de "
        "regeling {scheme}. De score van uw aanvraag is te laag voor een "
        "subsidie. Dit hebben wij vastgesteld:"
    ),
    LetterType.AFWIJZING_BUDGET: (
        "Voor de regeling {scheme} is een vast bedrag beschikbaar: het "
        "subsidieplafond. Wij verdelen dat geld volgens de verdeelregel die wij "
        "vooraf hebben bekendgemaakt. Het geld was op voordat uw aanvraag aan de "
        "beurt was. Als het plafond is bereikt, moeten wij een aanvraag weigeren. "
        "Dit hebben wij vastgesteld:"
    ),
    LetterType.AFWIJZING_CAP: (
        "Wij verdelen het geld van de regeling {scheme} eerlijk over de wijken "
        "van Utrecht. Daarom krijgt elke wijk ten hoogste een vast bedrag. Dat "
        "staat in de verdeelregel die wij vooraf hebben bekendgemaakt. Voor de "
        "wijk van uw activiteit was dat maximum al bereikt. Daarom kunnen wij u "
        "geen subsidie geven. Dit hebben wij vastgesteld:"
    ),
    LetterType.BUITEN_BEHANDELING: (
        "Uw aanvraag was niet compleet. Wij hebben u gevraagd de ontbrekende "
        "gegevens aan te vullen en u daarvoor een termijn gegeven. U heeft de "
        "gegevens niet of niet helemaal binnen die termijn aangevuld. Daarom "
        "nemen wij uw aanvraag niet in behandeling. Dit hebben wij vastgesteld:"
    ),
}
_PLAFOND_ARTICLE = "artikel 4:25, tweede lid, van de Awb (subsidieplafond)"
_RULE_ARTICLE = "artikel 4:26 van de Awb en de bekendgemaakte verdeelregel"
_EXTRA_ARTICLE = {
    LetterType.AFWIJZING_BUDGET: _PLAFOND_ARTICLE,
    LetterType.AFWIJZING_CAP: _PLAFOND_ARTICLE,
    LetterType.BUITEN_BEHANDELING: "artikel 4:5, eerste lid, van de Awb",
}

_INTREKKING = (
    "Wij kunnen de subsidie intrekken of lager vaststellen. Dat kan als de "
    "activiteiten niet of niet helemaal doorgaan, als u zich niet aan de "
    "verplichtingen houdt, of als u ons onjuiste of onvolledige gegevens heeft "
    "gegeven (artikelen 4:48 en 4:49 van de Awb). Heeft u dan al geld van ons "
    "gekregen? Dan kunnen wij dat geld terugvragen (artikel 4:57 van de Awb)."
)
_OBLIGATIONS_INTRO = (
    "Aan deze subsidie zijn verplichtingen verbonden. Houdt u zich daar niet "
    "aan, dan kunnen wij de subsidie lager vaststellen of terugvorderen."
)


@dataclass(frozen=True)
class _Styles:
    body: ParagraphStyle
    lead: ParagraphStyle  # introduces a list: never the last line of a page
    bold: ParagraphStyle
    heading: ParagraphStyle
    bullet: ParagraphStyle
    small: ParagraphStyle
    label: ParagraphStyle
    wordmark: ParagraphStyle


_font_lock = threading.Lock()
_fonts_registered = False


def register_fonts() -> None:
    """Register DejaVu Sans and its family once per process (idempotent)."""
    global _fonts_registered
    if _fonts_registered:
        return
    with _font_lock:
        if _fonts_registered:
            return
        for name, filename in _FONT_FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
        pdfmetrics.registerFontFamily(
            FONT,
            normal=FONT,
            bold=FONT_BOLD,
            italic="DejaVuSans-Oblique",
            boldItalic="DejaVuSans-BoldOblique",
        )
        _fonts_registered = True


@cache
def _styles() -> _Styles:
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13)
    return _Styles(
        body=ParagraphStyle("para", body, spaceAfter=5),
        lead=ParagraphStyle("lead", body, spaceAfter=5, keepWithNext=True),
        bold=ParagraphStyle("decision", body, fontName=FONT_BOLD, spaceAfter=5),
        heading=ParagraphStyle(
            "heading",
            body,
            fontName=FONT_BOLD,
            fontSize=11,
            leading=14,
            spaceBefore=8,
            spaceAfter=3,
            keepWithNext=True,
        ),
        bullet=ParagraphStyle(
            "bullet",
            body,
            leftIndent=12,
            bulletIndent=2,
            bulletFontName=FONT,
            spaceAfter=2,
        ),
        small=ParagraphStyle("small", body, fontSize=8.5, leading=11.5),
        label=ParagraphStyle("label", body, fontSize=8.5, leading=11.5, textColor=GREY),
        wordmark=ParagraphStyle(
            "wordmark", body, fontName=FONT_BOLD, fontSize=18, leading=22
        ),
    )


def _x(text: str) -> str:
    """Escape user text for Paragraph markup; keep its line breaks."""
    return escape(text.strip()).replace("\n", "<br/>")


def _quoted_title(c: LetterContent) -> str:
    return _x(f"'{c.application_title.strip()}'")


def _amount(cents: int) -> str:
    return format_euro(cents).replace(" ", "\u00a0")  # never split € and amount


def _paragraphs(text: str, style: ParagraphStyle) -> list[Paragraph]:
    blocks = (b for b in text.replace("\r\n", "\n").split("\n\n") if b.strip())
    return [Paragraph(_x(b), style) for b in blocks]


def _bullets(items: tuple[str, ...], style: ParagraphStyle) -> list:
    bullets = [Paragraph(_x(i), style, bulletText="•") for i in items if i.strip()]
    return [*bullets, Spacer(1, 3)]


_GRID_OFF = TableStyle(
    [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONT", (0, 0), (-1, -1), FONT),  # else Table references Helvetica
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]
)


def _letterhead(c: LetterContent, s: _Styles) -> list:
    contact = [f"<b>{_x(c.sender)}</b>", f"Contactpersoon: {_x(c.contact_name)}"]
    contact.append(f"Telefoon: {_x(c.contact_phone)}")
    if c.contact_email.strip():
        contact.append(f"E-mail: {_x(c.contact_email)}")
    wordmark = Paragraph("Gemeente Utrecht", s.wordmark)
    head = Table(
        [[wordmark, Paragraph("<br/>".join(contact), s.small)]],
        colWidths=[TEXT_WIDTH - 70 * mm, 70 * mm],
    )
    head.setStyle(_GRID_OFF)
    address = "<br/>".join([_x(c.addressee_name), *map(_x, c.addressee_address)])
    reference = [
        ("Datum", format_date(c.date_sent)),
        ("Ons kenmerk", _x(c.kenmerk)),
        ("Uw aanvraag", _x(c.application_reference)),
        ("Ontvangen op", format_date(c.received_on)),
    ]
    ref = Table(
        [[Paragraph(k, s.label), Paragraph(v, s.small)] for k, v in reference],
        colWidths=[24 * mm, 46 * mm],
    )
    ref.setStyle(_GRID_OFF)
    block = Table(
        [[Paragraph(address, s.body), ref]], colWidths=[TEXT_WIDTH - 70 * mm, 70 * mm]
    )
    block.setStyle(_GRID_OFF)
    return [
        head,
        HRFlowable(width="100%", thickness=2.5, color=UTRECHT_RED, spaceBefore=3),
        Spacer(1, 10 * mm),
        block,
        Spacer(1, 8 * mm),
        Paragraph(f"<b>Onderwerp:</b> {_x(subject_line(c))}", s.body),
        Spacer(1, 4 * mm),
    ]


def _decision(c: LetterContent) -> str:
    if c.letter_type.is_afwijzing:
        return _AFWIJZING_DECISION
    return _DECISION[c.letter_type].format(
        awarded=_amount(c.awarded_cents), title=_quoted_title(c)
    )


def _applied_for(c: LetterContent, s: _Styles) -> list:
    lines = [f"Wij hebben uw aanvraag ontvangen op {format_date(c.received_on)}."]
    amount = f" van {_amount(c.requested_cents)}" if c.requested_cents else ""
    lines.append(
        f"U vroeg een subsidie{amount} voor {_quoted_title(c)} uit de regeling "
        f"{_x(c.scheme_name)}."
    )
    if c.complete_on:
        lines.append(f"Uw aanvraag was compleet op {format_date(c.complete_on)}.")
    else:
        lines.append("Uw aanvraag is niet compleet geworden.")
    story = [Paragraph(" ".join(lines), s.body)]
    # A verlening describes the activities in its dictum (Awb 4:30); say it once.
    if c.letter_type is not LetterType.VERLENING and c.activity_description.strip():
        story.append(Paragraph("Dit wilde u met de subsidie doen:", s.lead))
        story += _paragraphs(c.activity_description, s.bullet)
    return story


def _dictum(c: LetterContent, s: _Styles) -> list:
    title = _quoted_title(c)
    if c.letter_type is LetterType.BUITEN_BEHANDELING:
        return [
            Paragraph(
                f"Wij nemen uw aanvraag voor {title} niet in behandeling. Wij "
                "beoordelen dus niet of u subsidie kunt krijgen. Wilt u toch "
                "subsidie? Dan kunt u een nieuwe, complete aanvraag indienen, zolang "
                "uw activiteit nog niet is begonnen.",
                s.body,
            )
        ]
    if c.letter_type.is_afwijzing:
        return [
            Paragraph(
                f"Wij wijzen uw aanvraag voor een subsidie van "
                f"{_amount(c.requested_cents)} voor {title} helemaal af. U krijgt "
                "voor deze activiteit dus geen subsidie.",
                s.body,
            )
        ]
    story = [
        Paragraph(
            f"Wij verlenen u een subsidie van <b>{_amount(c.awarded_cents)}</b>. "
            "Dit is het hoogste bedrag dat u krijgt. U krijgt de subsidie voor "
            "deze activiteiten:",
            s.lead,
        ),
        *_paragraphs(c.activity_description, s.bullet),
        # The period describes what is subsidised; the deadline is an obligation,
        # stated once under "Uw verplichtingen".
        Paragraph(
            f"De activiteiten vinden plaats van "
            f"{format_date(c.activity_start)} tot en met "
            f"{format_date(c.activity_end)}.",
            s.body,
        ),
    ]
    refused = c.requested_cents - c.awarded_cents
    if refused > 0:
        story.append(
            Paragraph(
                f"U vroeg {_amount(c.requested_cents)}. Voor het overige bedrag van "
                f"{_amount(refused)} wijzen wij uw aanvraag af. Waarom leest u "
                "hieronder.",
                s.body,
            )
        )
    return story


#: The grounds every letter names, and the words a scheme's basis may use for them.
_GENERAL_BASIS = (
    "titel 4.2 van de Algemene wet bestuursrecht (Awb)",
    "de Algemene subsidieverordening gemeente Utrecht (ASV)",
)
_GENERAL_BASIS_WORDS = frozenset(
    {
        *("algemene", "wet", "bestuursrecht", "awb", "titel", "4.2"),
        *("subsidie", "subsidies", "subsidieverordening", "asv"),
        *("gemeente", "utrecht", "de", "van", "en", "het"),
    }
)


def _basis_words(text: str) -> list[str]:
    return re.findall(r"\d+[.:]\d+[a-z]?|\w+", text.lower())


def legal_basis_items(c: LetterContent) -> tuple[str, ...]:
    """Each ground of the decision once: the general ones, the article of this letter
    type, then each part of the scheme's legal basis (split at ``;`` and new lines)
    that names something else. A part made only of words for a ground already named
    ("Awb titel 4.2", "ASV gemeente Utrecht") is left out, as is a repeated part."""
    extra = _EXTRA_ARTICLE.get(c.letter_type)
    if extra == _PLAFOND_ARTICLE and not c.ceiling_reached:
        extra = _RULE_ARTICLE
    items = [_GENERAL_BASIS[0], *([extra] if extra else []), _GENERAL_BASIS[1]]
    named = _GENERAL_BASIS_WORDS | set(_basis_words(extra or ""))
    seen = {" ".join(_basis_words(item)) for item in items}
    for part in re.split(r"[;\n]", c.legal_basis):
        part = part.strip()
        words = _basis_words(part)
        if not words or all(word in named for word in words):
            continue
        if " ".join(words) in seen:
            continue
        seen.add(" ".join(words))
        items.append(part)
    return tuple(items)


def _motivation(c: LetterContent, s: _Styles) -> list:
    intro = _MOTIVATION_INTRO[c.letter_type].format(scheme=_x(c.scheme_name))
    return [
        Paragraph(intro, s.lead),
        *_bullets(c.motivation, s.bullet),
        Paragraph("Wij baseren dit besluit op:", s.lead),
        *_bullets(legal_basis_items(c), s.bullet),
    ]


def _verlening_blocks(c: LetterContent, s: _Styles) -> list:
    return [
        Paragraph("Uw verplichtingen", s.heading),
        Paragraph(_OBLIGATIONS_INTRO, s.lead),
        *_bullets(c.obligations, s.bullet),
        Paragraph("Verantwoording en vaststelling", s.heading),
        *_paragraphs(c.accountability, s.body),
        Paragraph("Betaling", s.heading),
        *_paragraphs(c.payment, s.body),
        Paragraph("Intrekking en terugvordering", s.heading),
        Paragraph(_INTREKKING, s.body),
    ]


def _bezwaar(c: LetterContent, s: _Styles) -> list:
    last_day = format_date(bezwaar_deadline(c.date_sent))
    call = f"{_x(c.contact_name)} via {_x(c.contact_phone)}"
    return [
        Paragraph("Bent u het niet eens met dit besluit?", s.heading),
        Paragraph(
            "Dan kunt u bezwaar maken. Dat doet u met een brief: een "
            "bezwaarschrift. U moet het bezwaarschrift indienen binnen 6 weken na "
            "de dag waarop wij deze brief hebben verstuurd. Wij hebben deze brief "
            f"verstuurd op {format_date(c.date_sent)}. "
            f"<b>Dien uw bezwaarschrift dus uiterlijk op {last_day} in.</b>",
            s.body,
        ),
        Paragraph(
            "Stuur uw bezwaarschrift naar: Burgemeester en wethouders van Utrecht, "
            "Postbus 16200, 3500 CE Utrecht. U kunt ook online bezwaar maken via "
            "de website van de gemeente: www.utrecht.nl. Bezwaar maken per e-mail "
            "kan niet. Bezwaar maken kost niets.",
            s.body,
        ),
        Paragraph("Zet in uw bezwaarschrift:", s.lead),
        *_bullets(
            (
                "uw naam en adres;",
                "de datum;",
                f"het kenmerk van deze brief ({_x(c.kenmerk)}) of een kopie van "
                "deze brief;",
                "waarom u het niet eens bent met dit besluit;",
                "uw handtekening.",
            ),
            s.bullet,
        ),
        Paragraph(
            f"Wilt u eerst met ons praten? Bel dan {call}. Let op: ook als u belt, "
            "moet u het bezwaarschrift binnen de termijn van 6 weken indienen. "
            "Bellen verlengt die termijn niet.",
            s.body,
        ),
        Paragraph(
            "Is uw zaak spoedeisend? Dan kunt u, nadat u bezwaar heeft gemaakt, de "
            "voorzieningenrechter van de rechtbank Midden-Nederland vragen om een "
            "voorlopige voorziening. Daarvoor betaalt u griffierecht.",
            s.body,
        ),
    ]


def _closing(c: LetterContent, s: _Styles) -> list:
    ask = "Heeft u vragen over deze brief? Neem dan contact op met "
    ask += f"{_x(c.contact_name)}, telefoon {_x(c.contact_phone)}"
    if c.contact_email.strip():
        ask += f", e-mail {_x(c.contact_email)}"
    signer = [_x(c.signatory_name)] if c.signatory_name.strip() else []
    signature = "<br/>".join(
        [
            "Met vriendelijke groet,",
            "",
            "Burgemeester en wethouders van Utrecht,",
            "namens dezen,",
            "",
            *signer,
            _x(c.signatory_function),
        ]
    )
    # Never leave the signature alone on a page.
    return [
        Spacer(1, 4),
        KeepTogether(
            [Paragraph(ask + ".", s.body), Spacer(1, 4), Paragraph(signature, s.body)]
        ),
    ]


def _story(c: LetterContent, s: _Styles) -> list:
    story = _letterhead(c, s)
    story += [
        Paragraph(_x(c.salutation), s.body),
        Paragraph(_decision(c), s.bold),
        Paragraph(
            "In deze brief leest u waarom wij zo besluiten en wat dit voor u betekent.",
            s.body,
        ),
        Paragraph("Wat u heeft aangevraagd", s.heading),
        *_applied_for(c, s),
        Paragraph("Ons besluit", s.heading),
        *_dictum(c, s),
        Paragraph("Waarom wij zo besluiten", s.heading),
        *_motivation(c, s),
    ]
    if c.letter_type is LetterType.VERLENING:
        story += _verlening_blocks(c, s)
    story += _bezwaar(c, s)
    story += _closing(c, s)
    return story


class _NumberedCanvas(pdfcanvas.Canvas):
    """Canvas that knows the page count when it saves ("Pagina 1 van 2")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self):  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(FONT, 8)
            self.setFillColor(GREY)
            self.drawRightString(
                A4[0] - MARGIN_RIGHT, 12 * mm, f"Pagina {self._pageNumber} van {total}"
            )
            super().showPage()
        super().save()


def _page_decoration(kenmerk: str):
    def draw(canvas, doc):
        canvas.saveState()
        width, height = A4
        if doc.page > 1:
            canvas.setFont(FONT_BOLD, 9)
            canvas.setFillColor(colors.black)
            canvas.drawString(doc.leftMargin, height - 14 * mm, "Gemeente Utrecht")
            canvas.setStrokeColor(UTRECHT_RED)
            canvas.setLineWidth(1.2)
            y = height - 16 * mm
            canvas.line(doc.leftMargin, y, width - doc.rightMargin, y)
        canvas.setFont(FONT, 8)
        canvas.setFillColor(GREY)
        canvas.drawString(doc.leftMargin, 12 * mm, f"Ons kenmerk: {kenmerk}")
        canvas.restoreState()

    return draw


def render_letter(content: LetterContent) -> bytes:
    """Validate the content and return the letter as PDF bytes (no other I/O)."""
    validate(content)
    register_fonts()
    styles = _styles()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=20 * mm,
        bottomMargin=22 * mm,
        title=subject_line(content),
        author="Gemeente Utrecht",
        subject=f"Beschikking {content.kenmerk.strip()}",
        creator="Initiatiefloket gemeente Utrecht",
        lang="nl-NL",
        initialFontName=FONT,  # else the canvas references unembedded Helvetica
        invariant=True,
    )
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    decorate = _page_decoration(content.kenmerk.strip())
    doc.addPageTemplates([PageTemplate("brief", [frame], onPage=decorate)])
    doc.build(_story(content, styles), canvasmaker=_NumberedCanvas)
    return buffer.getvalue()
