"""What a letter of a bezwaar says: the content dataclasses, their mandatory parts
and their checks (``validate``); the texts are in ``render``."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from beoordeling.letters import (
    LetterContent,
    LetterType,
    MissingLetterPart,
    Settlement,
    format_date,
)
from beoordeling.letters import validate as validate_letter
from beoordeling.objections import terms

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
CONTESTED = {
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


def gives_grant(c: ObjectionDecision) -> bool:
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
        if gives_grant(c):
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
    if c.contested_type not in CONTESTED:
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
        if gives_grant(c) and c.requested_cents and c.remedy_cents > c.requested_cents:
            problems.append("het nieuwe bedrag is hoger dan het gevraagde bedrag")
    return problems


def as_verlening(c: ObjectionDecision) -> LetterContent:
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


def validate(content: Letter) -> None:
    """Raise ``ObjectionMissingPart`` or ``ValueError`` when the letter may not go out."""
    missing = _missing(content)
    if missing:
        raise ObjectionMissingPart(tuple(missing))
    if isinstance(content, ObjectionDecision) and gives_grant(content):
        validate_letter(as_verlening(content))  # the verlening in its place
    problems = _problems(content)
    if problems:
        raise ValueError("De brief klopt niet: " + "; ".join(problems) + ".")
