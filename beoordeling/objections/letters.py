"""The letters of a bezwaar, rendered as A4 PDF on the letter base of the beschikkingen.

Concept: one frozen content dataclass in, one PDF (bytes) out, like
``beoordeling.letters`` (whose letterhead, styles, signature and page layout it
reuses). Pure: the standard library, reportlab and the two pure modules it builds on;
no Django, no project models (import-linter holds it).

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

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from reportlab.platypus import Paragraph

from beoordeling.letters import (
    LetterContent,
    LetterType,
    MissingLetterPart,
    Settlement,
    amount_markup,
    bullet_list,
    format_date,
    letter_styles,
    letterhead,
    markup,
    register_fonts,
    render_story,
    signature,
    text_paragraphs,
    verlening_blocks,
)
from beoordeling.letters import validate as validate_letter
from beoordeling.objections import terms

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

#: Awb 7:4 lid 2: the documents lie open at least a week before the hearing.
INSPECTION_BEFORE = timedelta(weeks=1)
RECHTBANK = "rechtbank Midden-Nederland"
RECHTBANK_ADDRESS = "Postbus 16005, 3500 DA Utrecht"

_WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag")
_WEEKDAYS += ("zondag",)


class Outcome(enum.Enum):
    """The values of ``beoordeling.objections.workflow.Outcome``."""

    NOT_ADMISSIBLE = "niet_ontvankelijk"
    UNFOUNDED = "ongegrond"
    WELL_FOUNDED = "gegrond"


class Waiver(enum.Enum):
    """Awb 7:3: the values of ``beoordeling.objections.workflow.HearingWaiver``."""

    MANIFESTLY_INADMISSIBLE = "7:3a"
    MANIFESTLY_UNFOUNDED = "7:3b"
    OBJECTOR_DECLINED = "7:3c"
    NO_ANSWER = "7:3d"
    FULLY_MET = "7:3e"

    @property
    def text(self) -> str:
        """Why we did not hear the objector, to follow "omdat"."""
        return _WAIVERS[self][0]

    @property
    def article(self) -> str:
        return _WAIVERS[self][1]


_WAIVERS = {
    Waiver.MANIFESTLY_INADMISSIBLE: (
        "uw bezwaar duidelijk niet-ontvankelijk is",
        "artikel 7:3, onder a, van de Awb",
    ),
    Waiver.MANIFESTLY_UNFOUNDED: (
        "uw bezwaar duidelijk ongegrond is",
        "artikel 7:3, onder b, van de Awb",
    ),
    Waiver.OBJECTOR_DECLINED: (
        "u heeft laten weten dat u niet gehoord wilt worden",
        "artikel 7:3, onder c, van de Awb",
    ),
    Waiver.NO_ANSWER: (
        "u heeft niet op tijd laten weten dat u gehoord wilt worden",
        "artikel 7:3, onder d, van de Awb",
    ),
    Waiver.FULLY_MET: (
        "wij helemaal aan uw bezwaar tegemoetkomen",
        "artikel 7:3, onder e, van de Awb",
    ),
}

#: How the contested decision is named in a sentence ("uw ...").
_CONTESTED = {
    LetterType.VERLENING: "de verlening van uw subsidie",
    LetterType.AFWIJZING_RANDVOORWAARDEN: "de afwijzing van uw aanvraag",
    LetterType.AFWIJZING_IMPACT: "de afwijzing van uw aanvraag",
    LetterType.AFWIJZING_BUDGET: "de afwijzing van uw aanvraag",
    LetterType.AFWIJZING_CAP: "de afwijzing van uw aanvraag",
    LetterType.BUITEN_BEHANDELING: "het besluit uw aanvraag niet te behandelen",
    LetterType.VASTSTELLING: "de vaststelling van uw subsidie",
    LetterType.WIJZIGING: "de wijziging van uw subsidie",
    LetterType.INTREKKING: "de intrekking van uw subsidie",
    LetterType.TERUGVORDERING: "de terugvordering van uw subsidie",
}


class ObjectionMissingPart(MissingLetterPart):
    """A mandatory part of a bezwaar letter is empty; ``parts`` names them in Dutch.

    A ``beoordeling.letters.MissingLetterPart`` (what the portal catches), with the
    parts of these letters."""

    def __init__(self, fields: tuple[str, ...]):
        self.fields = fields
        self.parts = tuple(_PART_NAMES[f] for f in fields)
        ValueError.__init__(
            self,
            "De brief kan niet worden gemaakt. Deze verplichte onderdelen zijn leeg: "
            + ", ".join(self.parts)
            + ".",
        )


_PART_NAMES = {
    "sender": "afzender (wijkbureau of afdeling)",
    "contact_name": "naam contactpersoon",
    "contact_phone": "telefoonnummer contactpersoon",
    "addressee_name": "naam geadresseerde",
    "addressee_address": "adres geadresseerde",
    "date_sent": "verzenddatum",
    "kenmerk": "kenmerk",
    "objection_reference": "kenmerk van het bezwaar",
    "application_reference": "nummer van de aanvraag",
    "application_title": "titel van de aanvraag",
    "received_on": "datum waarop het bezwaar binnenkwam",
    "contested_kenmerk": "kenmerk van het bestreden besluit",
    "contested_date": "datum van het bestreden besluit",
    "signatory_function": "functie van de ondertekenaar (mandaat)",
    "term_end": "einde van de bezwaartermijn",
    "decision_due_on": "datum waarop wij uiterlijk beslissen",
    "hearing_at": "datum en tijd van de hoorzitting",
    "hearing_place": "plaats van de hoorzitting",
    "original_due_on": "oorspronkelijke beslisdatum",
    "new_due_on": "nieuwe beslisdatum",
    "reason": "reden van de verdaging",
    "reasons": "gronden van het bezwaar",
    "hearing": "verslag van de hoorzitting of reden om niet te horen (Awb 7:3)",
    "outcome": "beslissing (niet-ontvankelijk, ongegrond of gegrond)",
    "motivation": "motivering",
    "excusable": "oordeel of de termijnoverschrijding verschoonbaar is (Awb 6:11)",
    "excusability_motivation": (
        "waarom de termijnoverschrijding niet verschoonbaar is (Awb 6:11)"
    ),
    "scheme_name": "naam van de regeling",
    "legal_basis": "wettelijke grondslag (nadere regel)",
    "remedy_cents": "nieuw bedrag",
    "activity_description": "beschrijving van de activiteiten",
    "activity_start": "begindatum van de activiteiten",
    "activity_end": "einddatum van de activiteiten",
    "obligations": "verplichtingen",
    "accountability": "verantwoording en vaststelling",
}
_BASE = (
    "sender",
    "contact_name",
    "contact_phone",
    "addressee_name",
    "addressee_address",
    "date_sent",
    "kenmerk",
    "objection_reference",
    "application_reference",
    "application_title",
    "received_on",
    "contested_kenmerk",
    "contested_date",
    "signatory_function",
)


@dataclass(frozen=True, kw_only=True)
class _Base:
    """What every bezwaar letter prints: letterhead, the bezwaar and the decision."""

    sender: str
    contact_name: str
    contact_phone: str
    addressee_name: str
    addressee_address: tuple[str, ...]
    date_sent: date | None
    #: The letter's own kenmerk: the bezwaar's (BZ...) for the three letters, the
    #: decision counter's (D...) for the beslissing op bezwaar.
    kenmerk: str
    objection_reference: str  # "BZ2026-000001"
    application_reference: str
    application_title: str
    received_on: date | None  # the day the bezwaarschrift came in
    contested_kenmerk: str
    contested_date: date | None  # the day the contested decision was sent
    contested_type: LetterType
    signatory_function: str
    contact_email: str = ""
    salutation: str = "Geachte heer, mevrouw,"
    signatory_name: str = ""


@dataclass(frozen=True, kw_only=True)
class Acknowledgement(_Base):
    """Ontvangstbevestiging (Awb 6:14)."""

    term_end: date | None
    is_late: bool
    decision_due_on: date | None


@dataclass(frozen=True, kw_only=True)
class HearingInvitation(_Base):
    """Uitnodiging voor de hoorzitting (Awb 7:2-7:5); ``hearing_at`` in local time."""

    hearing_at: datetime | None
    hearing_place: str
    decision_due_on: date | None = None


@dataclass(frozen=True, kw_only=True)
class Extension(_Base):
    """Verdaging van de beslissing (Awb 7:10 lid 3)."""

    original_due_on: date | None
    new_due_on: date | None
    reason: str


@dataclass(frozen=True, kw_only=True)
class ObjectionDecision(_Base):
    """Beslissing op bezwaar (Awb 7:11, 7:12): a beschikking, open to beroep."""

    reasons: str  # the grounds of the bezwaar, in short
    outcome: Outcome | None
    motivation: str
    term_end: date | None = None
    is_late: bool = False
    #: Awb 6:11: None not judged; False: late and not excusable.
    excusable: bool | None = None
    excusability_motivation: str = ""
    #: The hearing (its day and report), or the ground of 7:3 for not hearing.
    hearing_on: date | None = None
    hearing_report: str = ""
    waiver: Waiver | None = None
    waiver_motivation: str = ""
    #: Gegrond: the amount of the new decision (None: about no amount).
    remedy_cents: int | None = None
    # --- an afwijzing made good: the parts of the verlening in its place ------------
    scheme_name: str = ""
    legal_basis: str = ""
    requested_cents: int = 0
    activity_description: str = ""
    activity_start: date | None = None
    activity_end: date | None = None
    obligations: tuple[str, ...] = ()
    accountability: str = ""
    payment: str = ""
    settlement: Settlement = Settlement.LATER
    advance_percent: int = 0
    advance_part_months: int = 3
    #: The application's first day of receipt and day complete (the verlening's).
    application_received_on: date | None = None
    application_complete_on: date | None = None


Letter = Acknowledgement | HearingInvitation | Extension | ObjectionDecision


def beroep_deadline(date_sent: date) -> date:
    """The last day for beroep against a beslissing op bezwaar sent on ``date_sent``:
    six weeks from the day after (Awb 6:7, 6:8), moved on by the Atw."""
    return terms.objection_term_end(date_sent)


def format_time(moment: datetime) -> str:
    """``donderdag 14 januari 2027 om 19.30 uur``."""
    weekday = _WEEKDAYS[moment.weekday()]
    return f"{weekday} {format_date(moment.date())} om {moment:%H.%M} uur"


def _is_empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, tuple | list):
        return not any(isinstance(v, str) and v.strip() for v in value)
    return False


def _gives_grant(c: ObjectionDecision) -> bool:
    return c.outcome is Outcome.WELL_FOUNDED and c.contested_type.is_afwijzing


def _needs_amount(c: ObjectionDecision) -> bool:
    return c.outcome is Outcome.WELL_FOUNDED and c.contested_type not in (
        LetterType.BUITEN_BEHANDELING,
        LetterType.INTREKKING,
    )


def _missing(c: Letter) -> list[str]:
    missing = [f for f in _BASE if _is_empty(getattr(c, f))]
    if isinstance(c, Acknowledgement):
        missing += [
            f for f in ("term_end", "decision_due_on") if _is_empty(getattr(c, f))
        ]
    elif isinstance(c, HearingInvitation):
        missing += [
            f for f in ("hearing_at", "hearing_place") if _is_empty(getattr(c, f))
        ]
    elif isinstance(c, Extension):
        missing += [
            f
            for f in ("original_due_on", "new_due_on", "reason")
            if _is_empty(getattr(c, f))
        ]
    elif isinstance(c, ObjectionDecision):
        missing += [
            f for f in ("reasons", "outcome", "motivation") if _is_empty(getattr(c, f))
        ]
        heard = c.hearing_on is not None and not _is_empty(c.hearing_report)
        waived = c.waiver is not None and not _is_empty(c.waiver_motivation)
        if not (heard or waived):
            missing.append("hearing")
        if c.is_late and c.excusable is None:
            # 6:11 is judged before any outcome of a late bezwaar.
            missing.append("excusable")
        if c.is_late and c.term_end is None:
            missing.append("term_end")
        if c.is_late and c.excusable is False and _is_empty(c.excusability_motivation):
            missing.append("excusability_motivation")
        if _needs_amount(c) and c.remedy_cents is None:
            missing.append("remedy_cents")
        if _gives_grant(c):
            if not c.remedy_cents and "remedy_cents" not in missing:
                missing.append("remedy_cents")
            missing += [
                f
                for f in (
                    "scheme_name",
                    "legal_basis",
                    "activity_description",
                    "activity_start",
                    "activity_end",
                    "obligations",
                    "accountability",
                )
                if _is_empty(getattr(c, f))
            ]
    return list(dict.fromkeys(missing))


def _problems(c: Letter) -> list[str]:
    problems = []
    if isinstance(c.addressee_address, str):
        problems.append("het adres is een reeks regels, geen losse tekst")
    if c.contested_date and c.date_sent and c.contested_date > c.date_sent:
        problems.append("het bestreden besluit is van na deze brief")
    if c.received_on and c.date_sent and c.received_on > c.date_sent:
        problems.append("de brief is verzonden voordat het bezwaar binnenkwam")
    if c.contested_type not in _CONTESTED:
        problems.append("tegen dit soort besluit staat geen bezwaar open")
    if isinstance(c, HearingInvitation) and c.hearing_at.date() - INSPECTION_BEFORE < (
        c.date_sent
    ):
        problems.append(
            "de hoorzitting moet minstens een week na deze brief zijn, want de stukken "
            "liggen een week van tevoren ter inzage (artikel 7:4 van de Awb)"
        )
    if isinstance(c, Extension):
        if c.new_due_on <= c.original_due_on:
            problems.append("de nieuwe beslisdatum ligt niet na de oorspronkelijke")
        elif c.new_due_on > terms.extended_due(c.original_due_on):
            problems.append(
                "de beslissing wordt met ten hoogste 6 weken verdaagd (artikel 7:10, "
                "derde lid, van de Awb)"
            )
    if isinstance(c, ObjectionDecision):
        if c.remedy_cents is not None and (
            isinstance(c.remedy_cents, bool)
            or not isinstance(c.remedy_cents, int)
            or c.remedy_cents < 0
        ):
            problems.append(
                "het nieuwe bedrag is een geheel aantal centen van 0 of meer"
            )
        if (
            c.outcome is not Outcome.NOT_ADMISSIBLE
            and c.is_late
            and c.excusable is False
        ):
            problems.append(
                "een te laat bezwaar dat niet verschoonbaar is, is niet-ontvankelijk"
            )
        if _gives_grant(c) and c.requested_cents and c.remedy_cents > c.requested_cents:
            problems.append("het nieuwe bedrag is hoger dan het gevraagde bedrag")
    return problems


def validate(content: Letter) -> None:
    """Raise ``ObjectionMissingPart`` or ``ValueError`` when the letter may not go out."""
    missing = _missing(content)
    if missing:
        raise ObjectionMissingPart(tuple(missing))
    if isinstance(content, ObjectionDecision) and _gives_grant(content):
        validate_letter(_as_verlening(content))  # the verlening in its place
    problems = _problems(content)
    if problems:
        raise ValueError("De brief klopt niet: " + "; ".join(problems) + ".")


# --- texts ---------------------------------------------------------------------------


def subject_line(c: Letter) -> str:
    if isinstance(c, Acknowledgement):
        return f"Ontvangstbevestiging van uw bezwaar {c.objection_reference.strip()}"
    if isinstance(c, HearingInvitation):
        return (
            "Uitnodiging voor de hoorzitting over uw bezwaar "
            f"{c.objection_reference.strip()}"
        )
    if isinstance(c, Extension):
        return (
            f"Wij beslissen later op uw bezwaar {c.objection_reference.strip()} "
            "(verdaging)"
        )
    return f"Beslissing op uw bezwaar {c.objection_reference.strip()}"


def _contested(c: Letter) -> str:
    """``ons besluit van 23 november 2026 (kenmerk D2026-000123)``, escaped."""
    return (
        f"ons besluit van {format_date(c.contested_date)} (kenmerk "
        f"{markup(c.contested_kenmerk)})"
    )


def _head(c: Letter, references: tuple[tuple[str, str], ...]) -> list:
    return letterhead(
        sender=c.sender,
        contact_name=c.contact_name,
        contact_phone=c.contact_phone,
        contact_email=c.contact_email,
        addressee_name=c.addressee_name,
        addressee_address=c.addressee_address,
        references=references,
        subject=subject_line(c),
    )


def _letter_references(c: Letter) -> tuple[tuple[str, str], ...]:
    return (
        ("Datum", format_date(c.date_sent)),
        ("Ons kenmerk", c.kenmerk),
        ("Uw aanvraag", c.application_reference),
        ("Besluit", c.contested_kenmerk),
    )


def _closing(c: Letter) -> list:
    return signature(
        contact_name=c.contact_name,
        contact_phone=c.contact_phone,
        contact_email=c.contact_email,
        signatory_function=c.signatory_function,
        signatory_name=c.signatory_name,
    )


def _your_objection(c: Letter) -> str:
    return (
        f"U heeft bezwaar gemaakt tegen {_contested(c)}: "
        f"{_CONTESTED[c.contested_type]} voor "
        f"{markup(_title(c.application_title))}. Wij hebben uw bezwaarschrift "
        f"ontvangen op {format_date(c.received_on)}."
    )


def _title(title: str) -> str:
    return f"'{title.strip()}'"


def _acknowledgement_story(c: Acknowledgement) -> list:
    s = letter_styles()
    story = [
        Paragraph(markup(c.salutation), s.body),
        Paragraph("Wij hebben uw bezwaarschrift ontvangen.", s.bold),
        Paragraph(_your_objection(c), s.body),
        Paragraph(
            f"Uw bezwaar heeft het kenmerk <b>{markup(c.objection_reference)}</b>. "
            "Noem dit kenmerk als u ons schrijft of belt.",
            s.body,
        ),
        Paragraph("De termijn voor bezwaar", s.heading),
    ]
    term = (
        "U kon bezwaar maken binnen 6 weken na de dag waarop wij het besluit "
        f"verstuurden. Die termijn liep tot en met {format_date(c.term_end)}."
    )
    if c.is_late:
        story += [
            Paragraph(term, s.body),
            Paragraph(
                "<b>Uw bezwaarschrift kwam binnen na het einde van die termijn.</b> "
                "Had u een goede reden om te laat te zijn? Schrijf ons dan binnen 2 "
                "weken waarom. Als de reden goed genoeg is, behandelen wij uw bezwaar "
                "toch (artikel 6:11 van de Awb: de termijnoverschrijding is dan "
                "verschoonbaar). Is dat niet zo, dan kunnen wij uw bezwaar niet "
                "inhoudelijk behandelen. Dan verklaren wij het niet-ontvankelijk.",
                s.body,
            ),
        ]
    else:
        story.append(Paragraph(term + " Uw bezwaar is op tijd.", s.body))
    story += [
        Paragraph("Wat gebeurt er nu?", s.heading),
        Paragraph(
            "Een medewerker die niet betrokken was bij het besluit, behandelt uw "
            "bezwaar. Meestal nodigen wij u uit voor een hoorzitting. Daar kunt u "
            "uitleggen waarom u het niet eens bent met het besluit. Die uitnodiging "
            "krijgt u apart.",
            s.body,
        ),
        Paragraph(
            f"Wij beslissen uiterlijk op <b>{format_date(c.decision_due_on)}</b> op uw "
            "bezwaar. Lukt dat niet? Dan mogen wij die termijn één keer met ten hoogste "
            "6 weken verlengen. Dat laten wij u dan met een brief weten (artikel 7:10 "
            "van de Awb).",
            s.body,
        ),
        Paragraph(
            "Het besluit blijft gelden zolang wij niet op uw bezwaar hebben beslist. "
            "Wilt u uw bezwaar intrekken? Laat het ons dan weten.",
            s.body,
        ),
    ]
    return story


def _invitation_story(c: HearingInvitation) -> list:
    s = letter_styles()
    hearing_day = c.hearing_at.date()
    inspection_from = hearing_day - INSPECTION_BEFORE
    story = [
        Paragraph(markup(c.salutation), s.body),
        Paragraph("Wij nodigen u uit voor een hoorzitting over uw bezwaar.", s.bold),
        Paragraph(_your_objection(c), s.body),
        Paragraph("Wanneer en waar", s.heading),
        Paragraph("De hoorzitting is op:", s.lead),
        *bullet_list(
            (
                format_time(c.hearing_at),
                f"plaats: {c.hearing_place.strip()}",
            ),
            s.bullet,
        ),
        Paragraph("Wat is een hoorzitting?", s.heading),
        Paragraph(
            "Op de hoorzitting vertelt u waarom u het niet eens bent met het besluit "
            "(artikel 7:2 van de Awb). Wij stellen u vragen en u kunt ons vragen "
            "stellen. Wij maken een verslag van wat er gezegd wordt. De hoorzitting "
            "wordt geleid door iemand die niet betrokken was bij het besluit waartegen "
            "u bezwaar maakte (artikel 7:5 van de Awb).",
            s.body,
        ),
        Paragraph(
            "U mag iemand meenemen, bijvoorbeeld een familielid, een buurtgenoot, een "
            "tolk of een adviseur. Ook mag u iemand anders namens u laten gaan; geef "
            "die persoon dan een schriftelijke machtiging mee.",
            s.body,
        ),
        Paragraph("De stukken inzien", s.heading),
        Paragraph(
            "Alle stukken over uw bezwaar liggen vanaf "
            f"<b>{format_date(inspection_from)}</b> tot de hoorzitting voor u klaar om "
            "in te zien (artikel 7:4 van de Awb). Bel ons om een afspraak te maken, of "
            "vraag ons om een kopie. Wilt u zelf nog stukken sturen? Doe dat dan "
            "uiterlijk 10 dagen voor de hoorzitting.",
            s.body,
        ),
        Paragraph("Kunt u niet komen?", s.heading),
        Paragraph(
            f"Bel dan zo snel mogelijk met {markup(c.contact_name)}, telefoon "
            f"{markup(c.contact_phone)}. Dan zoeken wij samen een andere datum. Wilt u "
            "niet gehoord worden? Laat het ons dan ook weten. Wij beslissen dan zonder "
            "hoorzitting op uw bezwaar, met wat u ons heeft geschreven.",
            s.body,
        ),
    ]
    if c.decision_due_on is not None:
        story.append(
            Paragraph(
                "Wij beslissen uiterlijk op "
                f"{format_date(c.decision_due_on)} op uw bezwaar.",
                s.body,
            )
        )
    return story


def _extension_story(c: Extension) -> list:
    s = letter_styles()
    return [
        Paragraph(markup(c.salutation), s.body),
        Paragraph(
            "Wij hebben meer tijd nodig om op uw bezwaar te beslissen. Wij beslissen "
            f"uiterlijk op {format_date(c.new_due_on)}.",
            s.bold,
        ),
        Paragraph(_your_objection(c), s.body),
        Paragraph("Wat verandert er?", s.heading),
        Paragraph(
            "Wij moesten uiterlijk op "
            f"<b>{format_date(c.original_due_on)}</b> op uw bezwaar beslissen. Wij "
            "stellen die beslissing uit tot uiterlijk "
            f"<b>{format_date(c.new_due_on)}</b>. Dat mag één keer, met ten hoogste "
            "6 weken (artikel 7:10, derde lid, van de Awb).",
            s.body,
        ),
        Paragraph("Waarom?", s.heading),
        *text_paragraphs(c.reason, s.body),
        Paragraph(
            "Beslissen wij ook op die nieuwe datum niet? Dan kunt u ons schriftelijk "
            "in gebreke stellen. Beslissen wij daarna niet binnen 2 weken, dan "
            "betalen wij u een dwangsom (artikel 4:17 van de Awb).",
            s.body,
        ),
    ]


def _heard(c: ObjectionDecision, s) -> list:
    if c.hearing_on is not None and c.hearing_report.strip():
        return [
            Paragraph(
                f"Op {format_date(c.hearing_on)} hebben wij u gehoord op een "
                "hoorzitting (artikel 7:2 van de Awb). Dit is daar gezegd:",
                s.lead,
            ),
            *text_paragraphs(c.hearing_report, s.bullet),
        ]
    return [
        Paragraph(
            f"Wij hebben u niet gehoord, omdat {c.waiver.text} ({c.waiver.article}).",
            s.body,
        ),
        *text_paragraphs(c.waiver_motivation, s.body),
    ]


def _decision_sentence(c: ObjectionDecision) -> str:
    if c.outcome is Outcome.NOT_ADMISSIBLE:
        return "Wij verklaren uw bezwaar niet-ontvankelijk."
    if c.outcome is Outcome.UNFOUNDED:
        return "Wij verklaren uw bezwaar ongegrond. Ons besluit blijft zoals het was."
    return "Wij verklaren uw bezwaar gegrond."


def _remedy(c: ObjectionDecision, s) -> list:
    kind = c.contested_type
    revoke = f"Wij herroepen {_contested(c)}."
    amount = amount_markup(c.remedy_cents) if c.remedy_cents is not None else ""
    if kind.is_afwijzing:
        return [
            Paragraph(
                f"{revoke} In plaats daarvan verlenen wij u een subsidie van "
                f"<b>{amount}</b> voor {markup(_title(c.application_title))} uit "
                f"de regeling {markup(c.scheme_name)}. Dit is een nieuw besluit op uw "
                f"aanvraag (artikel 7:11 van de Awb).{_maximum(c)} U krijgt de "
                "subsidie voor deze activiteiten:",
                s.lead,
            ),
            *text_paragraphs(c.activity_description, s.bullet),
            Paragraph(
                f"De activiteiten vinden plaats van {format_date(c.activity_start)} "
                f"tot en met {format_date(c.activity_end)}.",
                s.body,
            ),
        ]
    if kind is LetterType.BUITEN_BEHANDELING:
        text = (
            f"{revoke} Wij nemen uw aanvraag alsnog in behandeling. Wij beoordelen "
            "uw aanvraag nu zoals elke andere aanvraag. U krijgt een nieuw besluit op "
            "uw aanvraag."
        )
    elif kind in (LetterType.VERLENING, LetterType.WIJZIGING):
        text = (
            f"{revoke} In plaats daarvan besluiten wij: het bedrag van uw subsidie "
            f"wordt <b>{amount}</b>. Voor de rest blijft de verlening zoals zij was, "
            "met dezelfde verplichtingen."
        )
    elif kind is LetterType.VASTSTELLING:
        text = f"{revoke} In plaats daarvan stellen wij de subsidie vast op <b>{amount}</b>."
    elif kind is LetterType.INTREKKING:
        text = (
            f"{revoke} De subsidie is dus niet langer ingetrokken. De verlening geldt "
            "weer, met dezelfde verplichtingen."
        )
        if c.remedy_cents:
            text += f" Het bedrag van uw subsidie is weer {amount}."
    elif c.remedy_cents:  # terugvordering
        text = f"{revoke} In plaats daarvan vorderen wij <b>{amount}</b> terug."
    else:
        text = f"{revoke} Wij vorderen niets terug. U hoeft niets terug te betalen."
    return [Paragraph(text, s.body)]


def _maximum(c: ObjectionDecision) -> str:
    if c.settlement is Settlement.DIRECT:
        return (
            " Met deze beslissing stellen wij de subsidie ook meteen vast op dit "
            "bedrag (directe vaststelling)."
        )
    return (
        " Dit is het hoogste bedrag dat u krijgt. Het definitieve bedrag stellen wij "
        "na afloop vast (vaststelling)."
    )


def _dictum(c: ObjectionDecision, s) -> list:
    story = [Paragraph(_decision_sentence(c), s.body)]
    if c.outcome is Outcome.NOT_ADMISSIBLE:
        story.append(
            Paragraph(
                "Dat betekent dat wij niet inhoudelijk naar uw bezwaar kijken. Ons "
                "besluit blijft zoals het was.",
                s.body,
            )
        )
    elif c.outcome is Outcome.WELL_FOUNDED:
        story += _remedy(c, s)
    return story


def _lateness(c: ObjectionDecision, s) -> list:
    if not c.is_late:
        return []
    lines = (
        f"De termijn voor bezwaar liep tot en met {format_date(c.term_end)}. Wij "
        f"ontvingen uw bezwaarschrift op {format_date(c.received_on)}. Dat is te laat."
    )
    if c.excusable:
        verdict = (
            " Wij vinden dat u daarvoor een goede reden had: de termijnoverschrijding "
            "is verschoonbaar (artikel 6:11 van de Awb). Daarom behandelen wij uw "
            "bezwaar toch."
        )
    else:
        verdict = (
            " Een te laat bezwaar behandelen wij alleen als u daarvoor een goede reden "
            "had (artikel 6:11 van de Awb). Die reden zien wij niet: de "
            "termijnoverschrijding is niet verschoonbaar."
        )
    story = [Paragraph(lines + verdict, s.body)]
    story += text_paragraphs(c.excusability_motivation, s.body)
    return story


def _basis(c: ObjectionDecision) -> tuple[str, ...]:
    items = ["hoofdstuk 6 en 7 van de Algemene wet bestuursrecht (Awb)"]
    if c.outcome is Outcome.NOT_ADMISSIBLE:
        items.append("artikel 6:6, 6:11 en 7:1 van de Awb (niet-ontvankelijk)")
    else:
        items.append("artikel 7:11 van de Awb (heroverweging)")
    items.append("artikel 7:12 van de Awb (motivering van de beslissing op bezwaar)")
    if _gives_grant(c):
        items.append("titel 4.2 van de Awb en de Algemene subsidieverordening Utrecht")
        if c.legal_basis.strip():
            items.append(c.legal_basis.strip())
    return tuple(items)


def _beroep(c: ObjectionDecision, s) -> list:
    last_day = format_date(beroep_deadline(c.date_sent))
    return [
        Paragraph("Bent u het niet eens met deze beslissing?", s.heading),
        Paragraph(
            "Dan kunt u in beroep gaan bij de rechter: de "
            f"{RECHTBANK}, sector bestuursrecht. Dat doet u met een brief: een "
            "beroepschrift. U moet het beroepschrift indienen binnen 6 weken na de dag "
            "waarop wij deze brief hebben verstuurd. Wij hebben deze brief verstuurd op "
            f"{format_date(c.date_sent)}. <b>Dien uw beroepschrift dus uiterlijk op "
            f"{last_day} in.</b>",
            s.body,
        ),
        Paragraph(
            f"Stuur uw beroepschrift naar: Rechtbank Midden-Nederland, sector "
            f"bestuursrecht, {RECHTBANK_ADDRESS}. U kunt ook digitaal beroep instellen "
            "via www.rechtspraak.nl.",
            s.body,
        ),
        Paragraph("Zet in uw beroepschrift:", s.lead),
        *bullet_list(
            (
                "uw naam en adres;",
                "de datum;",
                f"het kenmerk van deze brief ({c.kenmerk.strip()}) of een kopie van "
                "deze brief;",
                "waarom u het niet eens bent met deze beslissing;",
                "uw handtekening.",
            ),
            s.bullet,
        ),
        Paragraph(
            "Voor beroep betaalt u griffierecht aan de rechtbank. Hoeveel dat is, leest "
            "u op www.rechtspraak.nl. De rechtbank stuurt u daarvoor een rekening.",
            s.body,
        ),
        Paragraph(
            "Is uw zaak spoedeisend? Dan kunt u, nadat u in beroep bent gegaan, de "
            f"voorzieningenrechter van de {RECHTBANK} vragen om een voorlopige "
            "voorziening. Ook daarvoor betaalt u griffierecht.",
            s.body,
        ),
    ]


def _as_verlening(c: ObjectionDecision) -> LetterContent:
    """The new decision of an afwijzing made good, as the verlening it is."""
    return LetterContent(
        letter_type=LetterType.VERLENING,
        sender=c.sender,
        contact_name=c.contact_name,
        contact_phone=c.contact_phone,
        contact_email=c.contact_email,
        addressee_name=c.addressee_name,
        addressee_address=c.addressee_address,
        date_sent=c.date_sent,
        kenmerk=c.kenmerk,
        application_reference=c.application_reference,
        application_title=c.application_title,
        received_on=c.application_received_on or c.received_on,
        complete_on=c.application_complete_on
        or c.application_received_on
        or c.received_on,
        scheme_name=c.scheme_name,
        legal_basis=c.legal_basis,
        motivation=(c.motivation,),
        signatory_function=c.signatory_function,
        requested_cents=max(c.requested_cents, c.remedy_cents),
        awarded_cents=c.remedy_cents,
        activity_description=c.activity_description,
        activity_start=c.activity_start,
        activity_end=c.activity_end,
        obligations=c.obligations,
        accountability=c.accountability,
        payment=c.payment,
        settlement=c.settlement,
        advance_percent=c.advance_percent,
        advance_part_months=c.advance_part_months,
    )


def _decision_story(c: ObjectionDecision) -> list:
    s = letter_styles()
    story = [
        Paragraph(markup(c.salutation), s.body),
        Paragraph(_decision_sentence(c), s.bold),
        Paragraph(
            "In deze brief leest u waarom wij zo beslissen en wat dit voor u betekent.",
            s.body,
        ),
        Paragraph("Uw bezwaar", s.heading),
        Paragraph(_your_objection(c), s.body),
        Paragraph("U bent het niet eens met het besluit, omdat:", s.lead),
        *text_paragraphs(c.reasons, s.bullet),
        Paragraph("Hoe wij u hebben gehoord", s.heading),
        *_heard(c, s),
        Paragraph("Onze beslissing", s.heading),
        *_dictum(c, s),
        Paragraph("Waarom wij zo beslissen", s.heading),
        *_lateness(c, s),
        *text_paragraphs(c.motivation, s.body),
        Paragraph("Wij baseren deze beslissing op:", s.lead),
        *bullet_list(_basis(c), s.bullet),
    ]
    if _gives_grant(c):
        story += verlening_blocks(_as_verlening(c))
    return story + _beroep(c, s)


def render(content: Letter) -> bytes:
    """Validate the content and return the letter as PDF bytes (no other I/O)."""
    validate(content)
    register_fonts()
    if isinstance(content, ObjectionDecision):
        references = (
            ("Datum", format_date(content.date_sent)),
            ("Ons kenmerk", content.kenmerk),
            ("Uw bezwaar", content.objection_reference),
            ("Uw aanvraag", content.application_reference),
            ("Ontvangen op", format_date(content.received_on)),
        )
        body = _decision_story(content)
        subject = f"Beschikking {content.kenmerk.strip()}"
    else:
        references = _letter_references(content)
        if isinstance(content, Acknowledgement):
            body = _acknowledgement_story(content)
        elif isinstance(content, HearingInvitation):
            body = _invitation_story(content)
        else:
            body = _extension_story(content)
        subject = f"Brief {content.kenmerk.strip()}"
    story = _head(content, references) + body + _closing(content)
    return render_story(
        story,
        kenmerk=content.kenmerk.strip(),
        title=subject_line(content),
        subject=subject,
    )
