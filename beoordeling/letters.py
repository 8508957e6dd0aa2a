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
  the activity period, the obligations and the accountability text
  (ABRvS 29-09-2021, Weert: an obligation not in the verlening
  cannot be enforced later). Contradictory content (period ending before it
  starts, an award above the request, an afwijzing with an amount) is a
  ``ValueError`` too.
- A verlening follows its scheme's route (``settlement_for``): granted now as a
  maximum and fixed after the verantwoording ("ten hoogste", Awb 4:31 and 4:44), or
  granted and fixed in this one letter (directe vaststelling). The decision
  sentence, the dictum, the verantwoording block, the payment and the intrekking
  text all say the same route.
- The legal basis is one block: Awb titel 4.2, the article of the letter type, the
  ASV, the nadere regel by its title and date (``regulation_line``; without a known
  title the letter names no nadere regel rather than a vague one), then any other
  part of the scheme's basis, each once.
- The payment is computed (``payment_schedule``): a direct vaststelling is paid at
  once; otherwise the voorschot (Awb 4:95) in euros, one part per block of the
  activity period with its last payment date, and the rest after the vaststelling.
  The parts add up to the award to the cent.
- A refusal on the budget says why: the ceiling was reached (Awb 4:25 lid 2), the rest
  is kept for other wijken's guaranteed minimum, or the run stopped earlier (Awb 4:26
  and the published verdeelregel).
- After the award (``LetterType.after_award``): a vaststelling (the fixed amount against
  the verlening, per budget line the lower amounts with their Awb 4:46 ground, the set-off
  of what was paid, Awb 4:52), a wijziging (a lower amount or a new end date, on the
  recipient's request or on a ground), an intrekking (a ground of Awb 4:48 before the
  vaststelling, 4:49 after it, or 4:50 with compensation of the damage) and a
  terugvordering (Awb 4:57). Each names the earlier beschikking by kenmerk and date. When
  more was paid than the grant now comes to, the same letter reclaims the difference
  (``after_award_money``): the amount, the last day (6 weeks, Awb 4:87) and the
  gemeente's account with the kenmerk as reference. A letter that withdraws a
  vaststelling or reclaims money after ``reclaim_limit_on`` (five years, Awb 4:49 lid 3
  and 4:57 lid 4) is refused (``ReclaimLimitPassed``).
- Money is integer cents, printed in Dutch notation with cents: ``€ 1.234,56``.
- Dates print as ``23 november 2026`` without any locale.
- The same content gives byte-identical PDFs (reportlab's invariant mode), so
  the stored SHA-256 of a sent beschikking can be checked again later.
- The letter base (``letterhead``, ``signature``, ``render_story``, the styles and a
  verlening's blocks) is public: the letters of a bezwaar
  (``beoordeling.objections.letters``) are written on it.
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

from .dutch import format_date, format_euro

__all__ = [
    "AfterAwardMoney",
    "BudgetRefusal",
    "EX_OFFICIO_WEEKS",
    "FixingGround",
    "Ground",
    "LineFixing",
    "ReclaimLimitPassed",
    "after_award_money",
    "amount_markup",
    "bullet_list",
    "letter_styles",
    "letterhead",
    "markup",
    "render_story",
    "repayment_due",
    "signature",
    "text_paragraphs",
    "verlening_blocks",
    "budget_state_text",
    "objection_reserve_text",
    "LetterContent",
    "LetterStyles",
    "LetterType",
    "MissingLetterPart",
    "Payment",
    "Settlement",
    "bezwaar_deadline",
    "format_date",
    "format_euro",
    "payment_schedule",
    "register_fonts",
    "render_letter",
    "settlement_for",
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
#: A payment is made at the latest this long after the letter is sent.
PAYMENT_TERM = timedelta(weeks=2)
#: Money reclaimed is paid back within 6 weeks after the letter (Awb 4:87 lid 1).
REPAYMENT_TERM = timedelta(weeks=6)
MARGIN_LEFT = 22 * mm
MARGIN_RIGHT = 20 * mm
TEXT_WIDTH = A4[0] - MARGIN_LEFT - MARGIN_RIGHT


class LetterType(enum.Enum):
    VERLENING = "verlening"
    AFWIJZING_RANDVOORWAARDEN = "afwijzing_randvoorwaarden"
    AFWIJZING_IMPACT = "afwijzing_impact"
    AFWIJZING_BUDGET = "afwijzing_budget"
    AFWIJZING_CAP = "afwijzing_cap"
    BUITEN_BEHANDELING = "buiten_behandeling"
    # After the award (``after_award``): a beschikking about a grant already made.
    VASTSTELLING = "vaststelling"
    WIJZIGING = "wijziging"
    INTREKKING = "intrekking"
    TERUGVORDERING = "terugvordering"

    @property
    def is_afwijzing(self) -> bool:
        return self.value.startswith("afwijzing")

    @property
    def after_award(self) -> bool:
        return self in _AFTER_AWARD


_AFTER_AWARD = frozenset(
    {
        LetterType.VASTSTELLING,
        LetterType.WIJZIGING,
        LetterType.INTREKKING,
        LetterType.TERUGVORDERING,
    }
)


class Settlement(enum.Enum):
    """How a verlening's amount becomes final (Awb 4:42-4:47)."""

    #: Granted now (a maximum); fixed later, after the recipient's verantwoording.
    LATER = "later"
    #: Granted and fixed in this one decision (directe vaststelling).
    DIRECT = "direct"
    #: Granted now (a maximum); fixed ex officio within ``EX_OFFICIO_WEEKS`` after the
    #: activities, without a report unless a steekproef asks one (VNG model ASV
    #: art. 15, Awb 4:47 sub a).
    EX_OFFICIO = "ambtshalve"


#: The scheme routes (``Scheme.settlement_route``): always later, always direct,
#: direct up to and including a limit and later above it, or ex officio.
ROUTE_LATER = "verlening"
ROUTE_DIRECT = "direct"
ROUTE_DIRECT_UP_TO = "direct_tot_grens"
ROUTE_EX_OFFICIO = "ambtshalve"
#: Weeks after the last day of the activities within which an ex officio grant is
#: fixed (VNG model ASV art. 15; ``subsidies.workflow.FIXING_WEEKS`` is the same).
EX_OFFICIO_WEEKS = 13


def settlement_for(
    route: str, direct_max_cents: int | None, awarded_cents: int
) -> Settlement:
    """The settlement of one award under its scheme's route.

    ``direct_tot_grens`` fixes an award directly when it is at most
    ``direct_max_cents``; without a limit it never does (the letter must not promise
    what the scheme did not set)."""
    if route == ROUTE_DIRECT:
        return Settlement.DIRECT
    if route == ROUTE_DIRECT_UP_TO:
        if direct_max_cents is not None and awarded_cents <= direct_max_cents:
            return Settlement.DIRECT
        return Settlement.LATER
    if route == ROUTE_LATER:
        return Settlement.LATER
    if route == ROUTE_EX_OFFICIO:
        return Settlement.EX_OFFICIO
    raise ValueError(f"onbekende route voor de vaststelling: {route!r}")


class BudgetRefusal(enum.Enum):
    """Why an AFWIJZING_BUDGET was refused: what the letter says about the money."""

    #: The money left under the ceiling was less than the amount (Awb 4:25 lid 2).
    CEILING = "ceiling"
    #: Under the ceiling, but what was left is kept for the guaranteed minimum of other
    #: wijken (order of receipt): the published verdeelregel (Awb 4:26), not the ceiling.
    RESERVED = "reserved"
    #: The run stopped at an earlier application that did not fit (the rule's stop rule).
    STOPPED = "stopped"


def budget_state_text(
    *,
    round_name: str,
    ceiling_cents: int,
    committed_cents: int,
    reserved_cents: int,
    left_cents: int,
    needed_cents: int,
    objection_reserve_cents: int = 0,
) -> str:
    """The state of the money when an application decided by order of receipt was
    refused: the ceiling, what was awarded, what is kept for other wijken's guaranteed
    minimum (``reserved_cents``), the reserve for bezwaren in a sentence of its own,
    and what was left against what it needed."""
    text = (
        f"Het subsidieplafond van {round_name} is {format_euro(ceiling_cents)}. "
        f"Daarvan was al {format_euro(committed_cents)} toegekend."
    )
    if reserved_cents > 0:
        text += (
            f" Verder is {format_euro(reserved_cents)} gereserveerd voor wijken die hun "
            "gegarandeerde minimum nog niet hebben gekregen."
        )
    if objection_reserve_cents > 0:
        text += " " + objection_reserve_text(reserve_cents=objection_reserve_cents)
    return text + (
        f" Er was nog {format_euro(left_cents)} beschikbaar; voor uw aanvraag was "
        f"{format_euro(needed_cents)} nodig."
    )


def objection_reserve_text(*, reserve_cents: int) -> str:
    """The part of the ceiling kept apart for bezwaren (``Round.objection_reserve_cents``
    as far as no bezwaar used it): never distributed over the applications."""
    return (
        f"Van het subsidieplafond houden wij {format_euro(reserve_cents)} apart voor "
        "bezwaren. Dat geld is voor aanvragers die na een bezwaar alsnog subsidie "
        "krijgen; wij verdelen het niet over andere aanvragen."
    )


class Ground(enum.Enum):
    """Why a grant is withdrawn (intrekking) or changed to the recipient's detriment
    (wijziging): Awb 4:48 lid 1 before the vaststelling, 4:49 lid 1 after it, and
    4:50 lid 1 (changed circumstances, before the vaststelling, with compensation of
    the damage under lid 2)."""

    NOT_DONE = "4:48-1-a"
    OBLIGATIONS = "4:48-1-b"
    INCORRECT_DATA = "4:48-1-c"
    GRANT_KNOWN_WRONG = "4:48-1-d"
    NEW_FACTS = "4:49-1-a"
    FIXING_KNOWN_WRONG = "4:49-1-b"
    BREACH_AFTER_FIXING = "4:49-1-c"
    CHANGED_CIRCUMSTANCES = "4:50-1"

    @property
    def article(self) -> str:
        return _GROUNDS[self][0]

    @property
    def text(self) -> str:
        """The ground in plain Dutch, to follow "omdat"."""
        return _GROUNDS[self][1]

    @property
    def after_fixing(self) -> bool:
        """True for the grounds of Awb 4:49: only these withdraw a vaststelling."""
        return self.value.startswith("4:49")

    @property
    def damages(self) -> bool:
        """Awb 4:50 lid 2: the damage of relying on the grant is compensated."""
        return self is Ground.CHANGED_CIRCUMSTANCES


_GROUNDS = {
    Ground.NOT_DONE: (
        "artikel 4:48, eerste lid, onder a, van de Awb",
        "de activiteiten niet of niet helemaal hebben plaatsgevonden",
    ),
    Ground.OBLIGATIONS: (
        "artikel 4:48, eerste lid, onder b, van de Awb",
        "u zich niet heeft gehouden aan de verplichtingen van de subsidie",
    ),
    Ground.INCORRECT_DATA: (
        "artikel 4:48, eerste lid, onder c, van de Awb",
        "u ons onjuiste of onvolledige gegevens heeft gegeven, en wij met de "
        "juiste gegevens anders hadden besloten",
    ),
    Ground.GRANT_KNOWN_WRONG: (
        "artikel 4:48, eerste lid, onder d, van de Awb",
        "de verlening op een andere manier onjuist was en u dat wist of had "
        "moeten weten",
    ),
    Ground.NEW_FACTS: (
        "artikel 4:49, eerste lid, onder a, van de Awb",
        "wij feiten kennen die wij bij de vaststelling niet konden weten, en "
        "waardoor wij de subsidie lager hadden vastgesteld",
    ),
    Ground.FIXING_KNOWN_WRONG: (
        "artikel 4:49, eerste lid, onder b, van de Awb",
        "de vaststelling onjuist was en u dat wist of had moeten weten",
    ),
    Ground.BREACH_AFTER_FIXING: (
        "artikel 4:49, eerste lid, onder c, van de Awb",
        "u zich na de vaststelling niet heeft gehouden aan de verplichtingen van "
        "de subsidie",
    ),
    Ground.CHANGED_CIRCUMSTANCES: (
        "artikel 4:50, eerste lid, van de Awb",
        "de omstandigheden zijn veranderd of wij de zaak nu anders zien, voor de "
        "activiteiten die nog moeten plaatsvinden",
    ),
}


class FixingGround(enum.Enum):
    """Why a budget line is fixed lower than it was granted (Awb 4:46)."""

    LOWER_COSTS = "lagere_kosten"
    NOT_DONE = "niet_uitgevoerd"
    OBLIGATIONS = "verplichtingen"
    INCORRECT_DATA = "onjuiste_gegevens"
    GRANT_KNOWN_WRONG = "verlening_onjuist"
    NOT_NEEDED = "niet_nodig"

    @property
    def text(self) -> str:
        return _FIXING_GROUNDS[self]


_FIXING_GROUNDS = {
    FixingGround.LOWER_COSTS: (
        "u heeft minder uitgegeven dan begroot; de subsidie is een bijdrage in de "
        "kosten die u echt maakte (artikel 4:46, eerste lid, van de Awb)"
    ),
    FixingGround.NOT_DONE: (
        "deze activiteit heeft niet of niet helemaal plaatsgevonden (artikel 4:46, "
        "tweede lid, onder a, van de Awb)"
    ),
    FixingGround.OBLIGATIONS: (
        "u heeft zich niet aan de verplichtingen gehouden (artikel 4:46, tweede "
        "lid, onder b, van de Awb)"
    ),
    FixingGround.INCORRECT_DATA: (
        "u heeft onjuiste of onvolledige gegevens gegeven (artikel 4:46, tweede "
        "lid, onder c, van de Awb)"
    ),
    FixingGround.GRANT_KNOWN_WRONG: (
        "de verlening was onjuist en u wist dat of had dat moeten weten (artikel "
        "4:46, tweede lid, onder d, van de Awb)"
    ),
    FixingGround.NOT_NEEDED: (
        "deze kosten waren niet nodig voor de activiteiten (artikel 4:46 van de Awb)"
    ),
}


@dataclass(frozen=True)
class LineFixing:
    """One budget line in a vaststelling: what was granted and what is fixed; a lower
    line names its ground and the motivation."""

    label: str
    granted_cents: int
    fixed_cents: int
    ground: FixingGround | None = None
    motivation: str = ""


class ReclaimLimitPassed(ValueError):
    """Awb 4:49 lid 3 and 4:57 lid 4: more than five years after the vaststelling, no
    intrekking of it and no terugvordering."""


@dataclass(frozen=True)
class Payment:
    """One payment of a verlening: a voorschot part, the rest after the vaststelling, or
    the whole amount of a direct vaststelling. ``due`` is the last day we pay (None:
    after the vaststelling); ``period`` the part of the activities it is for."""

    amount_cents: int
    due: date | None
    period: tuple[date, date] | None = None
    kind: str = "voorschot"  # "voorschot", "rest" or "direct"


def _add_months(d: date, months: int) -> date:
    month0 = d.month - 1 + months
    year, month = d.year + month0 // 12, month0 % 12 + 1
    days = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(d.day, days))


def _blocks(start: date, end: date, months: int) -> list[tuple[date, date]]:
    """The activity period in consecutive blocks of ``months`` months from its start."""
    blocks, at = [], start
    while at <= end:
        nxt = _add_months(start, months * (len(blocks) + 1))
        blocks.append((at, min(end, nxt - timedelta(days=1))))
        at = nxt
    return blocks


def payment_schedule(
    *,
    awarded_cents: int,
    settlement: Settlement,
    advance_percent: int,
    part_months: int,
    start: date,
    end: date,
    date_sent: date,
) -> tuple[Payment, ...]:
    """The payments of a verlening, in integer cents that add up to the award exactly.

    A direct vaststelling is paid at once. Otherwise ``advance_percent`` of the award
    (rounded down to the cent) is a voorschot (Awb 4:95), split over the activity
    period in blocks of ``part_months`` months from its start: one part per block,
    in proportion to the block's days (the cents left over go to the earliest parts),
    each paid at the latest on the block's first day, and never later than
    ``PAYMENT_TERM`` after the letter is sent for a block that has started by then
    (parts due on the same day are one payment). The rest follows the vaststelling.
    """
    if awarded_cents <= 0:
        return ()
    first_due = date_sent + PAYMENT_TERM
    if settlement is Settlement.DIRECT:
        return (Payment(awarded_cents, first_due, (start, end), "direct"),)
    if not 0 <= advance_percent <= 100:
        raise ValueError(f"voorschotpercentage buiten 0-100: {advance_percent}")
    if part_months < 1:
        raise ValueError(f"een voorschotdeel beslaat minstens 1 maand: {part_months}")
    advance = awarded_cents * advance_percent // 100
    payments: list[Payment] = []
    if advance:
        blocks = _blocks(start, end, part_months)
        days = [(b - a).days + 1 for a, b in blocks]
        total_days = sum(days)
        parts = [advance * d // total_days for d in days]
        for i in range(advance - sum(parts)):
            parts[i % len(parts)] += 1
        for (a, b), cents in zip(blocks, parts, strict=True):
            due = max(a, first_due)
            if payments and payments[-1].due == due:
                last = payments[-1]
                payments[-1] = Payment(
                    last.amount_cents + cents, due, (last.period[0], b)
                )
            else:
                payments.append(Payment(cents, due, (a, b)))
    rest = awarded_cents - advance
    if rest:
        payments.append(Payment(rest, None, None, "rest"))
    return tuple(payments)


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
    #: Why an AFWIJZING_BUDGET was refused (the motivation's opening says it).
    budget_refusal: BudgetRefusal = BudgetRefusal.CEILING
    #: The nadere regel the scheme rests on, as published; empty: the letter does not
    #: name it (it never guesses a title or a date).
    regulation_title: str = ""
    regulation_date: date | None = None
    #: A verlening: fixed later after verantwoording, or directly in this letter.
    settlement: Settlement = Settlement.LATER
    #: The voorschot of a verlening that is fixed later, in % of the award, paid in
    #: parts of this many months of the activity period (``payment_schedule``).
    advance_percent: int = 0
    advance_part_months: int = 3
    # --- after the award: vaststelling, wijziging, intrekking, terugvordering --------
    #: The beschikking this letter follows from (the verlening, or for a
    #: terugvordering the vaststelling or intrekking), by kenmerk and date.
    earlier_kenmerk: str = ""
    earlier_date: date | None = None
    #: The amount fixed (vaststelling), or that a terugvordering rests on.
    fixed_cents: int = 0
    #: What we paid so far, less what was paid back.
    paid_cents: int = 0
    #: A wijziging: the lower award and/or the new last day of the activities.
    new_awarded_cents: int | None = None
    new_activity_end: date | None = None
    #: Intrekking or a wijziging the recipient did not ask for: its ground.
    ground: Ground | None = None
    #: A wijziging the recipient asked for: the day we received the request.
    requested_change_on: date | None = None
    #: Awb 4:50: the day the intrekking or wijziging takes effect (not retroactive).
    effective_on: date | None = None
    #: The grant was fixed on this day (a 4:49 ground then applies).
    fixed_on: date | None = None
    #: The last day of 4:49 lid 3 / 4:57 lid 4; a letter dated later is refused.
    reclaim_limit_on: date | None = None
    report_received_on: date | None = None
    lines: tuple[LineFixing, ...] = ()
    #: Where the recipient pays back (the gemeente's account) when money is reclaimed.
    reclaim_iban: str = ""
    reclaim_account_name: str = ""


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
    "earlier_kenmerk": "kenmerk van de eerdere beschikking",
    "earlier_date": "datum van de eerdere beschikking",
    "ground": "grond voor de intrekking of wijziging (Awb 4:48, 4:49 of 4:50)",
    "change": "wat er verandert (bedrag of einddatum)",
    "effective_on": "datum waarop de intrekking of wijziging ingaat (Awb 4:50)",
    "reclaim_iban": "rekeningnummer van de gemeente voor de terugbetaling",
    "reclaim_account_name": "naam bij het rekeningnummer van de gemeente",
    "reclaim_cents": "terug te vorderen bedrag",
    "line_ground": "reden voor een lager bedrag per begrotingspost (Awb 4:46)",
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


_SUBJECT = {
    LetterType.VASTSTELLING: "Vaststelling van uw subsidie '{title}'",
    LetterType.WIJZIGING: "Wijziging van uw subsidie '{title}'",
    LetterType.INTREKKING: "Intrekking van uw subsidie '{title}'",
    LetterType.TERUGVORDERING: "Terugvordering van uw subsidie '{title}'",
}


def subject_line(content: LetterContent) -> str:
    """The subject of the letter, also the PDF title."""
    title = content.application_title.strip()
    template = _SUBJECT.get(
        content.letter_type, "Besluit op uw aanvraag subsidie '{title}'"
    )
    subject = template.format(title=title)
    if (
        content.letter_type is LetterType.INTREKKING
        and after_award_money(content).reclaim_cents
    ):
        subject += " en terugvordering"
    return subject


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


@dataclass(frozen=True)
class AfterAwardMoney:
    """What an after-award letter does with the money: the amount the grant now comes
    to, what we still pay (set-off, Awb 4:52) and what we reclaim (Awb 4:57)."""

    target_cents: int
    rest_cents: int
    reclaim_cents: int


def after_award_money(c: LetterContent) -> AfterAwardMoney:
    """The amounts of a vaststelling, wijziging, intrekking or terugvordering."""
    kind = c.letter_type
    if kind is LetterType.INTREKKING:
        target = 0
    elif kind is LetterType.WIJZIGING:
        target = c.awarded_cents if c.new_awarded_cents is None else c.new_awarded_cents
    else:  # vaststelling, terugvordering
        target = c.fixed_cents
    rest = target - c.paid_cents if kind is LetterType.VASTSTELLING else 0
    return AfterAwardMoney(
        target_cents=target,
        rest_cents=max(0, rest),
        reclaim_cents=max(0, c.paid_cents - target),
    )


def repayment_due(date_sent: date) -> date:
    """The last day to pay back: 6 weeks after the letter (Awb 4:87 lid 1)."""
    return date_sent + REPAYMENT_TERM


def _missing_after_award(c: LetterContent) -> list[str]:
    kind = c.letter_type
    missing = [
        f
        for f in ("earlier_kenmerk", "earlier_date", "awarded_cents")
        if _is_empty(getattr(c, f))
    ]
    ground_needed = kind is LetterType.INTREKKING or (
        kind is LetterType.WIJZIGING and c.requested_change_on is None
    )
    if ground_needed and c.ground is None:
        missing.append("ground")
    if kind is LetterType.WIJZIGING and (
        c.new_awarded_cents is None and c.new_activity_end is None
    ):
        missing.append("change")
    if c.ground is not None and c.ground.damages and c.effective_on is None:
        missing.append("effective_on")
    money = after_award_money(c)
    if kind is LetterType.TERUGVORDERING and money.reclaim_cents == 0:
        missing.append("reclaim_cents")
    if money.reclaim_cents:
        missing += [
            f
            for f in ("reclaim_iban", "reclaim_account_name")
            if _is_empty(getattr(c, f))
        ]
    if any(
        line.fixed_cents < line.granted_cents and line.ground is None
        for line in c.lines
    ):
        missing.append("line_ground")
    return missing


def _after_award_problems(c: LetterContent) -> list[str]:
    kind = c.letter_type
    problems = []
    if c.paid_cents < 0 or c.fixed_cents < 0:
        problems.append("bedragen moeten gehele aantallen centen van 0 of meer zijn")
    fixing = kind in (LetterType.VASTSTELLING, LetterType.TERUGVORDERING)
    if fixing and c.fixed_cents > c.awarded_cents:
        problems.append("het vastgestelde bedrag is hoger dan de verlening")
    new = c.new_awarded_cents
    if (
        kind is LetterType.WIJZIGING
        and new is not None
        and not (0 <= new <= c.awarded_cents)
    ):
        problems.append("een wijziging verlaagt het bedrag, nooit hoger")
    if c.ground is not None:
        fixed = c.fixed_on is not None
        if c.ground.after_fixing and not fixed:
            problems.append(
                "een grond van artikel 4:49 geldt alleen na de vaststelling"
            )
        if fixed and not c.ground.after_fixing:
            problems.append(
                "na de vaststelling geldt alleen een grond van artikel 4:49"
            )
    if c.effective_on is not None and c.effective_on < c.date_sent:
        problems.append(
            "een intrekking of wijziging om veranderde omstandigheden gaat niet in "
            "voor de verzenddatum"
        )
    if any(not 0 <= line.fixed_cents <= line.granted_cents for line in c.lines):
        problems.append("een begrotingspost is hoger vastgesteld dan begroot")
    if c.earlier_date and c.earlier_date > c.date_sent:
        problems.append("de eerdere beschikking is van na deze brief")
    return problems


def _check_reclaim_limit(c: LetterContent) -> None:
    """Awb 4:49 lid 3 and 4:57 lid 4: after five years no intrekking of a vaststelling
    and no terugvordering."""
    limit = c.reclaim_limit_on
    if limit is None or c.date_sent is None or c.date_sent <= limit:
        return
    kind = c.letter_type
    reclaims = after_award_money(c).reclaim_cents > 0
    withdraws_fixing = kind is LetterType.INTREKKING and c.fixed_on is not None
    if reclaims or withdraws_fixing or kind is LetterType.TERUGVORDERING:
        raise ReclaimLimitPassed(
            "De brief kan niet worden gemaakt: de vaststelling is meer dan vijf jaar "
            f"oud (de termijn liep tot en met {format_date(limit)}). Intrekken of "
            "terugvorderen kan dan niet meer (artikelen 4:49, derde lid, en 4:57, "
            "vierde lid, van de Awb)."
        )


def validate(content: LetterContent) -> None:
    """Raise ``MissingLetterPart`` or ``ValueError`` when the letter may not go out."""
    kind = content.letter_type
    required = _ALWAYS
    if kind is not LetterType.BUITEN_BEHANDELING:
        required += _ASSESSED
    if kind is LetterType.VERLENING:
        required += _VERLENING
    missing = tuple(f for f in required if _is_empty(getattr(content, f)))
    if kind.after_award:
        missing += tuple(f for f in _missing_after_award(content) if f not in missing)
    if missing:
        raise MissingLetterPart(missing)
    if kind.after_award:
        _check_reclaim_limit(content)

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
    if content.awarded_cents and (
        kind.is_afwijzing or kind is LetterType.BUITEN_BEHANDELING
    ):
        problems.append("een afwijzing of buiten behandeling verleent geen bedrag")
    if kind.after_award:
        problems += _after_award_problems(content)
    start, end = content.activity_start, content.activity_end
    if start and end and end < start:
        problems.append("de einddatum van de activiteiten ligt voor de begindatum")
    if not 0 <= content.advance_percent <= 100:
        problems.append("het voorschot is een percentage van 0 tot en met 100")
    if content.advance_part_months < 1:
        problems.append("een deel van het voorschot beslaat minstens 1 maand")
    if content.complete_on and content.complete_on < content.received_on:
        problems.append("de aanvraag was compleet voordat zij was ontvangen")
    if content.date_sent < content.received_on:
        problems.append("de brief is verzonden voordat de aanvraag was ontvangen")
    if problems:
        raise ValueError("De brief klopt niet: " + "; ".join(problems) + ".")


# Texts. Plain Dutch at B1 level; {placeholders} hold escaped markup.

_DECISION = {
    LetterType.VERLENING: "Wij verlenen u een subsidie van ten hoogste {awarded} voor {title}.",
    LetterType.BUITEN_BEHANDELING: "Wij nemen uw aanvraag niet in behandeling.",
}
_DECISION_DIRECT = (
    "Wij verlenen u een subsidie van {awarded} voor {title} en stellen die meteen vast."
)
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
#: AFWIJZING_BUDGET when the ceiling itself was not reached.
_BUDGET_INTRO = {
    BudgetRefusal.RESERVED: (
        "Voor de regeling {scheme} is een vast bedrag beschikbaar: het "
        "subsidieplafond. Wij verdelen dat geld volgens de verdeelregel die wij "
        "vooraf hebben bekendgemaakt. Daarin krijgt elke wijk een gegarandeerd "
        "minimum. Het geld dat nog niet was verdeeld, houden wij vast voor wijken "
        "die hun minimum nog niet hebben gekregen. Wat daarna overbleef, was niet "
        "genoeg voor uw aanvraag. Het plafond zelf is nog niet bereikt. Dit hebben "
        "wij vastgesteld:"
    ),
    BudgetRefusal.STOPPED: (
        "Voor de regeling {scheme} is een vast bedrag beschikbaar: het "
        "subsidieplafond. Wij verdelen dat geld volgens de verdeelregel die wij "
        "vooraf hebben bekendgemaakt. Volgens die regel stoppen wij met verdelen "
        "bij de eerste aanvraag die niet meer past. Dat gebeurde voordat uw "
        "aanvraag aan de beurt was. Dit hebben wij vastgesteld:"
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
_INTREKKING_DIRECT = (
    "Wij kunnen de vaststelling van de subsidie intrekken of in uw nadeel "
    "wijzigen. Dat kan als de activiteiten niet of niet helemaal doorgaan, als u "
    "zich niet aan de verplichtingen houdt, of als u ons onjuiste of onvolledige "
    "gegevens heeft gegeven (artikel 4:49 van de Awb). Heeft u dan al geld van ons "
    "gekregen? Dan kunnen wij dat geld terugvragen (artikel 4:57 van de Awb)."
)
_OBLIGATIONS_INTRO_DIRECT = (
    "Aan deze subsidie zijn verplichtingen verbonden. Houdt u zich daar niet "
    "aan, dan kunnen wij de vaststelling wijzigen of intrekken en het geld "
    "terugvorderen."
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


def letterhead(
    *,
    sender: str,
    contact_name: str,
    contact_phone: str,
    contact_email: str,
    addressee_name: str,
    addressee_address: tuple[str, ...],
    references: tuple[tuple[str, str], ...],
    subject: str,
) -> list:
    """The top of every letter of the gemeente: the wordmark with sender and contact,
    the red rule, the addressee beside the reference block (label, plain text value)
    and the subject. Shared with ``beoordeling.objections.letters``."""
    s = _styles()
    contact = [f"<b>{_x(sender)}</b>", f"Contactpersoon: {_x(contact_name)}"]
    contact.append(f"Telefoon: {_x(contact_phone)}")
    if contact_email.strip():
        contact.append(f"E-mail: {_x(contact_email)}")
    wordmark = Paragraph("Gemeente Utrecht", s.wordmark)
    head = Table(
        [[wordmark, Paragraph("<br/>".join(contact), s.small)]],
        colWidths=[TEXT_WIDTH - 70 * mm, 70 * mm],
    )
    head.setStyle(_GRID_OFF)
    address = "<br/>".join([_x(addressee_name), *map(_x, addressee_address)])
    ref = Table(
        [[Paragraph(k, s.label), Paragraph(_x(v), s.small)] for k, v in references],
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
        Paragraph(f"<b>Onderwerp:</b> {_x(subject)}", s.body),
        Spacer(1, 4 * mm),
    ]


def _letterhead(c: LetterContent, s: _Styles) -> list:
    return letterhead(
        sender=c.sender,
        contact_name=c.contact_name,
        contact_phone=c.contact_phone,
        contact_email=c.contact_email,
        addressee_name=c.addressee_name,
        addressee_address=c.addressee_address,
        references=(
            ("Datum", format_date(c.date_sent)),
            ("Ons kenmerk", c.kenmerk),
            ("Uw aanvraag", c.application_reference),
            ("Ontvangen op", format_date(c.received_on)),
        ),
        subject=subject_line(c),
    )


def _decision(c: LetterContent) -> str:
    if c.letter_type.is_afwijzing:
        return _AFWIJZING_DECISION
    if c.letter_type is LetterType.VERLENING and c.settlement is Settlement.DIRECT:
        return _DECISION_DIRECT.format(
            awarded=_amount(c.awarded_cents), title=_quoted_title(c)
        )
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
    if c.settlement is Settlement.DIRECT:
        grant = (
            f"Wij verlenen u een subsidie van <b>{_amount(c.awarded_cents)}</b>. "
            "Met dit besluit stellen wij de subsidie ook meteen vast op dit bedrag "
            "(directe vaststelling). U hoeft na afloop geen vaststelling aan te "
            "vragen. U krijgt de subsidie voor deze activiteiten:"
        )
    elif c.settlement is Settlement.EX_OFFICIO:
        grant = (
            f"Wij verlenen u een subsidie van ten hoogste "
            f"<b>{_amount(c.awarded_cents)}</b>. Dit is het hoogste bedrag dat u "
            "krijgt. Na afloop stellen wij het definitieve bedrag vast zonder dat u "
            "daarom hoeft te vragen (ambtshalve vaststelling), uiterlijk op "
            f"{format_date(c.activity_end + timedelta(weeks=EX_OFFICIO_WEEKS))}. U "
            "krijgt de subsidie voor deze activiteiten:"
        )
    else:
        grant = (
            f"Wij verlenen u een subsidie van ten hoogste "
            f"<b>{_amount(c.awarded_cents)}</b>. Dit is het hoogste bedrag dat u "
            "krijgt. Het definitieve bedrag stellen wij na afloop vast, als u "
            "verantwoording heeft afgelegd (vaststelling). U krijgt de subsidie voor "
            "deze activiteiten:"
        )
    story = [
        Paragraph(grant, s.lead),
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


_REGULATION = re.compile(r"\bnadere\s+regel", re.IGNORECASE)
_VAGUE_REGULATION_WORDS = frozenset(
    {"de", "het", "van", "deze", "die", "nadere", "regel", "regels", "regeling"}
)


def regulation_line(c: LetterContent) -> str:
    """The nadere regel with its date (``... van 3 maart 2026``), or ``""`` unknown."""
    title = " ".join(c.regulation_title.split())
    if not title:
        return ""
    if c.regulation_date is None:
        return title
    return f"{title} van {format_date(c.regulation_date)}"


def legal_basis_items(c: LetterContent) -> tuple[str, ...]:
    """Each ground of the decision once: the general ones, the article of this letter
    type, then each part of the scheme's legal basis (split at ``;`` and new lines)
    that names something else. A part made only of words for a ground already named
    ("Awb titel 4.2", "ASV gemeente Utrecht") is left out, as is a repeated part."""
    extra = _EXTRA_ARTICLE.get(c.letter_type)
    if extra == _PLAFOND_ARTICLE and not c.ceiling_reached:
        extra = _RULE_ARTICLE
    extras = _after_award_articles(c) if c.letter_type.after_award else []
    if extra:
        extras.insert(0, extra)
    items = [_GENERAL_BASIS[0], *extras, _GENERAL_BASIS[1]]
    regulation = regulation_line(c)
    if regulation:
        items.append(regulation)
    named = _GENERAL_BASIS_WORDS | {w for e in extras for w in _basis_words(e)}
    seen = {" ".join(_basis_words(item)) for item in items}
    for part in re.split(r"[;\n]", c.legal_basis):
        part = part.strip()
        words = _basis_words(part)
        if not words or all(word in named for word in words):
            continue
        if _REGULATION.search(part) and (
            regulation or all(word in _VAGUE_REGULATION_WORDS for word in words)
        ):
            # The nadere regel is named once, from its title and date; a part that
            # names it without a title ("de nadere regel van de regeling") says nothing.
            continue
        if " ".join(words) in seen:
            continue
        seen.add(" ".join(words))
        items.append(part)
    return tuple(items)


def _after_award_articles(c: LetterContent) -> list[str]:
    """The articles an after-award letter rests on, each once, in the order read."""
    kind = c.letter_type
    articles = []
    if kind is LetterType.VASTSTELLING:
        articles.append("artikel 4:42 van de Awb (vaststelling)")
        if c.settlement is Settlement.EX_OFFICIO and c.report_received_on is None:
            articles.append("artikel 4:47 van de Awb (ambtshalve vaststelling)")
        if c.fixed_cents < c.awarded_cents:
            articles.append("artikel 4:46 van de Awb (lager vaststellen)")
        articles.append("artikel 4:52 van de Awb (betaling en verrekening)")
    if c.ground is not None:
        articles.append(c.ground.article)
        if c.ground.damages:
            articles.append("artikel 4:50, tweede lid, van de Awb (schadevergoeding)")
    if after_award_money(c).reclaim_cents:
        articles.append("artikel 4:57 van de Awb (terugvordering)")
    return articles


def _motivation(c: LetterContent, s: _Styles) -> list:
    intro = _MOTIVATION_INTRO[c.letter_type]
    if c.letter_type is LetterType.AFWIJZING_BUDGET and not c.ceiling_reached:
        intro = _BUDGET_INTRO.get(c.budget_refusal, intro)
    intro = intro.format(scheme=_x(c.scheme_name))
    return [
        Paragraph(intro, s.lead),
        *_bullets(c.motivation, s.bullet),
        Paragraph("Wij baseren dit besluit op:", s.lead),
        *_bullets(legal_basis_items(c), s.bullet),
    ]


def _settlement_blocks(c: LetterContent, s: _Styles) -> list:
    if c.settlement is Settlement.DIRECT:
        lead = (
            "Wij hebben de subsidie met dit besluit al vastgesteld. U hoeft na afloop "
            "dus geen verantwoording te sturen om het bedrag vast te laten stellen."
        )
    elif c.settlement is Settlement.EX_OFFICIO:
        lead = (
            "Na afloop van de activiteiten stellen wij vast hoeveel subsidie u "
            "definitief krijgt. Dat doen wij uit onszelf (ambtshalve), uiterlijk "
            f"{EX_OFFICIO_WEEKS} weken na de laatste dag van de activiteiten. U hoeft "
            "daarvoor geen verantwoording te sturen. Wel kunnen wij u, bijvoorbeeld "
            "in een steekproef, vragen te laten zien dat de activiteiten zijn "
            "uitgevoerd. Dit moet u dan kunnen laten zien:"
        )
    else:
        lead = (
            "Na afloop van de activiteiten stellen wij vast hoeveel subsidie u "
            "definitief krijgt. Dat heet de vaststelling. Daarvoor legt u "
            "verantwoording af."
        )
    return [
        Paragraph("Verantwoording en vaststelling", s.heading),
        Paragraph(lead, s.body),
        *_paragraphs(c.accountability, s.body),
    ]


def _payment_blocks(c: LetterContent, s: _Styles) -> list:
    schedule = payment_schedule(
        awarded_cents=c.awarded_cents,
        settlement=c.settlement,
        advance_percent=c.advance_percent,
        part_months=c.advance_part_months,
        start=c.activity_start,
        end=c.activity_end,
        date_sent=c.date_sent,
    )
    story = [Paragraph("Betaling", s.heading)]
    advances = [p for p in schedule if p.kind == "voorschot"]
    rest = sum(p.amount_cents for p in schedule if p.kind == "rest")
    if c.settlement is Settlement.DIRECT:
        story.append(
            Paragraph(
                f"Wij betalen u het hele bedrag van {_amount(c.awarded_cents)} "
                f"uiterlijk op {format_date(schedule[0].due)}.",
                s.body,
            )
        )
    elif advances:
        advance = sum(p.amount_cents for p in advances)
        parts = "in één keer" if len(advances) == 1 else f"in {len(advances)} delen"
        story.append(
            Paragraph(
                f"U krijgt een voorschot van {_amount(advance)} "
                f"({c.advance_percent}% van de subsidie), {parts}:",
                s.lead,
            )
        )
        story += _bullets(
            tuple(
                f"{format_euro(p.amount_cents)} uiterlijk op {format_date(p.due)}, "
                f"voor de activiteiten van {format_date(p.period[0])} tot en met "
                f"{format_date(p.period[1])}" + ("." if i == len(advances) else ";")
                for i, p in enumerate(advances, 1)
            ),
            s.bullet,
        )
        if rest:
            story.append(
                Paragraph(
                    f"De rest, ten hoogste {_amount(rest)}, betalen wij na de "
                    "vaststelling. Stellen wij de subsidie lager vast dan het "
                    "voorschot? Dan vragen wij het verschil terug.",
                    s.body,
                )
            )
        else:
            story.append(
                Paragraph(
                    "Bij de vaststelling verrekenen wij het voorschot. Stellen wij "
                    "de subsidie lager vast dan het voorschot? Dan vragen wij het "
                    "verschil terug.",
                    s.body,
                )
            )
    else:
        story.append(
            Paragraph(
                "U krijgt geen voorschot. Wij betalen de subsidie na de vaststelling.",
                s.body,
            )
        )
    return story + _paragraphs(c.payment, s.body)


def _verlening_blocks(c: LetterContent, s: _Styles) -> list:
    direct = c.settlement is Settlement.DIRECT
    return [
        Paragraph("Uw verplichtingen", s.heading),
        Paragraph(_OBLIGATIONS_INTRO_DIRECT if direct else _OBLIGATIONS_INTRO, s.lead),
        *_bullets(c.obligations, s.bullet),
        *_settlement_blocks(c, s),
        *_payment_blocks(c, s),
        Paragraph("Intrekking en terugvordering", s.heading),
        Paragraph(_INTREKKING_DIRECT if direct else _INTREKKING, s.body),
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
            "Postbus 16200, 3500 CE Utrecht. U kunt ook online bezwaar maken: log "
            "in bij Mijn aanvragen, open deze aanvraag en kies 'Bezwaar maken'. "
            "Bezwaar maken per e-mail kan niet. Bezwaar maken kost niets.",
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


def signature(
    *,
    contact_name: str,
    contact_phone: str,
    contact_email: str,
    signatory_function: str,
    signatory_name: str = "",
) -> list:
    """Where to ask questions and the signature under mandate ("Burgemeester en
    wethouders van Utrecht, namens dezen, ..."), kept together on one page."""
    s = _styles()
    ask = "Heeft u vragen over deze brief? Neem dan contact op met "
    ask += f"{_x(contact_name)}, telefoon {_x(contact_phone)}"
    if contact_email.strip():
        ask += f", e-mail {_x(contact_email)}"
    signer = [_x(signatory_name)] if signatory_name.strip() else []
    lines = "<br/>".join(
        [
            "Met vriendelijke groet,",
            "",
            "Burgemeester en wethouders van Utrecht,",
            "namens dezen,",
            "",
            *signer,
            _x(signatory_function),
        ]
    )
    # Never leave the signature alone on a page.
    return [
        Spacer(1, 4),
        KeepTogether(
            [Paragraph(ask + ".", s.body), Spacer(1, 4), Paragraph(lines, s.body)]
        ),
    ]


def _closing(c: LetterContent, s: _Styles) -> list:
    return signature(
        contact_name=c.contact_name,
        contact_phone=c.contact_phone,
        contact_email=c.contact_email,
        signatory_function=c.signatory_function,
        signatory_name=c.signatory_name,
    )


def _earlier(c: LetterContent) -> str:
    return (
        f"onze beschikking van {format_date(c.earlier_date)} (kenmerk "
        f"{_x(c.earlier_kenmerk)})"
    )


_AFTER_DECISION = {
    LetterType.VASTSTELLING: "Wij stellen uw subsidie voor {title} vast op {target}.",
    LetterType.WIJZIGING: "Wij wijzigen uw subsidie voor {title}.",
    LetterType.INTREKKING: "Wij trekken uw subsidie voor {title} in.",
    LetterType.TERUGVORDERING: (
        "Wij vorderen {reclaim} van uw subsidie voor {title} terug."
    ),
}


def _after_decision(c: LetterContent) -> str:
    money = after_award_money(c)
    sentence = _AFTER_DECISION[c.letter_type].format(
        title=_quoted_title(c),
        target=_amount(money.target_cents),
        reclaim=_amount(money.reclaim_cents),
    )
    if c.letter_type is not LetterType.TERUGVORDERING and money.reclaim_cents:
        sentence += f" U betaalt {_amount(money.reclaim_cents)} aan ons terug."
    return sentence


def _your_grant(c: LetterContent, s: _Styles) -> list:
    verb = "vastgesteld" if c.letter_type is LetterType.TERUGVORDERING else "verleend"
    lines = [
        f"Met {_earlier(c)} hebben wij u een subsidie {verb} van ten hoogste "
        f"{_amount(c.awarded_cents)} voor {_quoted_title(c)} uit de regeling "
        f"{_x(c.scheme_name)}."
        if verb == "verleend"
        else f"Met {_earlier(c)} hebben wij besloten over uw subsidie voor "
        f"{_quoted_title(c)} uit de regeling {_x(c.scheme_name)}. U krijgt "
        f"daardoor {_amount(c.fixed_cents)} subsidie."
    ]
    if c.fixed_on is not None and c.letter_type is not LetterType.TERUGVORDERING:
        lines.append(
            f"Wij hebben de subsidie vastgesteld op {format_date(c.fixed_on)}."
        )
    if c.report_received_on is not None:
        lines.append(
            f"Wij hebben uw verantwoording ontvangen op "
            f"{format_date(c.report_received_on)}."
        )
    elif c.letter_type is LetterType.VASTSTELLING and (
        c.settlement is Settlement.EX_OFFICIO
    ):
        lines.append(
            "U hoefde geen verantwoording te sturen: wij stellen de subsidie "
            "ambtshalve vast, zoals de verlening zegt."
        )
    if c.requested_change_on is not None:
        lines.append(
            f"Op {format_date(c.requested_change_on)} vroeg u ons om de subsidie te "
            "wijzigen."
        )
    if c.paid_cents:
        lines.append(f"Tot nu toe hebben wij u {_amount(c.paid_cents)} betaald.")
    return [Paragraph(" ".join(lines), s.body)]


def _line_bullets(c: LetterContent) -> tuple[str, ...]:
    items = []
    for line in c.lines:
        text = (
            f"{line.label}: begroot {format_euro(line.granted_cents)}, vastgesteld "
            f"{format_euro(line.fixed_cents)}."
        )
        if line.fixed_cents < line.granted_cents and line.ground is not None:
            text += f" Lager, omdat {line.ground.text}."
            if line.motivation.strip():
                text += f" {line.motivation.strip()}"
        items.append(text)
    return tuple(items)


def _retroactive(c: LetterContent) -> str:
    if c.ground is not None and c.ground.damages:
        return (
            f"Dit besluit gaat in op {format_date(c.effective_on)}. Het geldt voor de "
            "activiteiten vanaf die dag (artikel 4:50 van de Awb)."
        )
    if c.fixed_on is not None:
        return (
            "Dit besluit werkt terug tot en met de dag waarop wij de subsidie hebben "
            "vastgesteld (artikel 4:49, tweede lid, van de Awb)."
        )
    return (
        "Dit besluit werkt terug tot en met de dag waarop wij de subsidie hebben "
        "verleend (artikel 4:48, tweede lid, van de Awb)."
    )


def _after_dictum(c: LetterContent, s: _Styles) -> list:
    money = after_award_money(c)
    kind = c.letter_type
    story = []
    if kind is LetterType.VASTSTELLING:
        text = f"Wij stellen de subsidie vast op <b>{_amount(money.target_cents)}</b>."
        lower = c.awarded_cents - money.target_cents
        if lower > 0:
            text += (
                f" Dat is {_amount(lower)} minder dan de verlening van "
                f"{_amount(c.awarded_cents)}."
            )
        else:
            text += " Dat is het hele bedrag van de verlening."
        story.append(Paragraph(text, s.lead if c.lines else s.body))
        if c.lines:
            story += _bullets(_line_bullets(c), s.bullet)
    elif kind is LetterType.WIJZIGING:
        changes = []
        if c.new_awarded_cents is not None:
            changes.append(
                f"De subsidie is ten hoogste {format_euro(c.new_awarded_cents)}. "
                f"Dat was {format_euro(c.awarded_cents)}."
            )
        if c.new_activity_end is not None:
            was = f" Dat was {format_date(c.activity_end)}." if c.activity_end else ""
            changes.append(
                "U bent uiterlijk op "
                f"{format_date(c.new_activity_end)} klaar met de activiteiten.{was}"
            )
        story.append(Paragraph(f"Wij wijzigen {_earlier(c)} zo:", s.lead))
        story += _bullets(tuple(changes), s.bullet)
        story.append(
            Paragraph(
                "Voor de rest blijft die beschikking zoals zij was, met dezelfde "
                "verplichtingen.",
                s.body,
            )
        )
        if c.ground is not None:
            story.append(Paragraph(_retroactive(c), s.body))
    elif kind is LetterType.INTREKKING:
        story.append(
            Paragraph(
                f"Wij trekken {_earlier(c)} in. U krijgt dus geen subsidie voor "
                f"{_quoted_title(c)}. {_retroactive(c)}",
                s.body,
            )
        )
    else:  # terugvordering
        story.append(
            Paragraph(
                f"U kreeg van ons {_amount(c.paid_cents)}. Daarvan heeft u "
                f"{_amount(money.reclaim_cents)} te veel gekregen. Dat bedrag vorderen "
                "wij terug.",
                s.body,
            )
        )
    return story


_AFTER_MOTIVATION = {
    LetterType.VASTSTELLING: (
        "Wij stellen de subsidie vast in overeenstemming met de verlening. Wij kunnen "
        "de subsidie alleen lager vaststellen om een reden die de wet noemt. Dit "
        "hebben wij vastgesteld:"
    ),
    LetterType.WIJZIGING: "Dit hebben wij vastgesteld:",
    LetterType.INTREKKING: "Dit hebben wij vastgesteld:",
    LetterType.TERUGVORDERING: (
        "Geld dat u te veel heeft gekregen, mogen wij terugvorderen. Dit hebben wij "
        "vastgesteld:"
    ),
}


def _after_motivation(c: LetterContent, s: _Styles) -> list:
    story = [Paragraph(_AFTER_MOTIVATION[c.letter_type], s.lead)]
    story += _bullets(c.motivation, s.bullet)
    if c.ground is not None:
        verb = (
            "Wij trekken de subsidie in"
            if c.letter_type is LetterType.INTREKKING
            else "Wij wijzigen de subsidie"
        )
        story.append(Paragraph(f"{verb}, omdat {c.ground.text}.", s.body))
    elif c.letter_type is LetterType.WIJZIGING:
        story.append(
            Paragraph("Wij wijzigen de subsidie, omdat u daarom vroeg.", s.body)
        )
    story += [
        Paragraph("Wij baseren dit besluit op:", s.lead),
        *_bullets(legal_basis_items(c), s.bullet),
    ]
    return story


def _repayment(c: LetterContent, s: _Styles, reclaim: int) -> list:
    due = format_date(repayment_due(c.date_sent))
    return [
        Paragraph("Terugbetalen", s.heading),
        Paragraph(
            f"U betaalt <b>{_amount(reclaim)}</b> terug, uiterlijk op <b>{due}</b>. "
            "Dat is 6 weken na de dag waarop wij deze brief hebben verstuurd (artikel "
            "4:87 van de Awb).",
            s.body,
        ),
        Paragraph(
            f"Maak het bedrag over naar rekening {_x(c.reclaim_iban)} ten name van "
            f"{_x(c.reclaim_account_name)}. Zet bij de omschrijving het kenmerk van "
            f"deze brief: {_x(c.kenmerk)}.",
            s.body,
        ),
        Paragraph(
            "Kunt u niet in één keer betalen? Neem dan voor die datum contact met ons "
            "op. Dan maken wij samen een betalingsregeling. Betaalt u niet op tijd? "
            "Dan sturen wij u eerst een aanmaning. Daarna kunnen wij het bedrag "
            "invorderen met een dwangbevel en wettelijke rente vragen (artikelen 4:98, "
            "4:112 en 4:114 van de Awb).",
            s.body,
        ),
    ]


def _after_money(c: LetterContent, s: _Styles) -> list:
    money = after_award_money(c)
    kind = c.letter_type
    story = []
    if kind is LetterType.VASTSTELLING:
        story.append(Paragraph("Betaling", s.heading))
        if money.rest_cents:
            text = (
                f"Wij verrekenen wat wij u al betaalden ({_amount(c.paid_cents)}) "
                "met het vastgestelde bedrag (artikel 4:52 van de Awb). De rest, "
                f"<b>{_amount(money.rest_cents)}</b>, betalen wij uiterlijk op "
                f"{format_date(c.date_sent + PAYMENT_TERM)}."
            )
            if not c.paid_cents:
                text = (
                    f"Wij betalen u <b>{_amount(money.rest_cents)}</b> uiterlijk op "
                    f"{format_date(c.date_sent + PAYMENT_TERM)}."
                )
        elif money.reclaim_cents:
            text = (
                f"Wij hebben u al {_amount(c.paid_cents)} betaald. Dat is meer dan "
                "het vastgestelde bedrag. Het verschil vorderen wij terug (artikel "
                "4:57 van de Awb)."
            )
        else:
            text = (
                "U heeft het hele vastgestelde bedrag al van ons gekregen. Wij betalen "
                "niets meer en u hoeft niets terug te betalen."
            )
        story.append(Paragraph(text, s.body))
    elif (
        kind is LetterType.WIJZIGING
        and c.new_awarded_cents is not None
        and not money.reclaim_cents
    ):
        story += [
            Paragraph("Betaling", s.heading),
            Paragraph(
                "Bij de vaststelling verrekenen wij wat wij u al betaalden met "
                "het bedrag dat wij vaststellen.",
                s.body,
            ),
        ]
    if money.reclaim_cents:
        story += _repayment(c, s, money.reclaim_cents)
    if c.ground is not None and c.ground.damages:
        story += [
            Paragraph("Vergoeding van schade", s.heading),
            Paragraph(
                "Wij veranderen de subsidie om veranderde omstandigheden of nieuwe "
                "inzichten, niet door iets wat u deed. Heeft u schade doordat u op de "
                "subsidie vertrouwde? Bijvoorbeeld omdat u al iets had gekocht of "
                "gehuurd? Dan vergoeden wij die schade (artikel 4:50, tweede lid, van "
                "de Awb). Stuur ons een overzicht van die kosten, met de bonnen. Wij "
                "beoordelen dat apart en nemen daarover een besluit.",
                s.body,
            ),
        ]
    if kind is LetterType.VASTSTELLING and c.reclaim_limit_on is not None:
        story += [
            Paragraph("Controle achteraf", s.heading),
            Paragraph(
                "Blijkt later dat de vaststelling niet klopte, of houdt u zich niet aan "
                "de verplichtingen? Dan kunnen wij de vaststelling nog intrekken of "
                "wijzigen en geld terugvorderen, tot en met "
                f"{format_date(c.reclaim_limit_on)} (artikelen 4:49 en 4:57 van de "
                "Awb). Bewaar uw bonnen en bewijzen tot die datum.",
                s.body,
            ),
        ]
    return story


def _after_award_story(c: LetterContent, s: _Styles) -> list:
    return [
        Paragraph(_x(c.salutation), s.body),
        Paragraph(_after_decision(c), s.bold),
        Paragraph(
            "In deze brief leest u waarom wij zo besluiten en wat dit voor u betekent.",
            s.body,
        ),
        Paragraph("Uw subsidie", s.heading),
        *_your_grant(c, s),
        Paragraph("Ons besluit", s.heading),
        *_after_dictum(c, s),
        Paragraph("Waarom wij zo besluiten", s.heading),
        *_after_motivation(c, s),
        *_after_money(c, s),
    ]


def _story(c: LetterContent, s: _Styles) -> list:
    story = _letterhead(c, s)
    if c.letter_type.after_award:
        return story + _after_award_story(c, s) + _bezwaar(c, s) + _closing(c, s)
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


# --- the letter base, shared with the letters of a bezwaar ----------------------------
# ``beoordeling.objections.letters`` writes its own texts on the same base: these give
# it the styles, the escaping, the lists and the verlening's blocks without copying.

LetterStyles = _Styles


def letter_styles() -> LetterStyles:
    """The paragraph styles of every letter (body, lead, bold, heading, bullet...)."""
    return _styles()


def markup(text: str) -> str:
    """User text made safe for a Paragraph, its line breaks kept."""
    return _x(text)


def amount_markup(cents: int) -> str:
    """``€ 1.234,56`` that never breaks between the sign and the amount."""
    return _amount(cents)


def bullet_list(items: tuple[str, ...], style: ParagraphStyle) -> list:
    """One bullet per non-empty item (plain text, escaped here)."""
    return _bullets(items, style)


def text_paragraphs(text: str, style: ParagraphStyle) -> list:
    """A text split into paragraphs at its blank lines (plain text, escaped here)."""
    return _paragraphs(text, style)


def verlening_blocks(content: LetterContent) -> list:
    """What a verlening prints after its motivation: the obligations, the
    verantwoording and vaststelling, the payment and intrekking/terugvordering.
    ``content`` must be a complete verlening (``validate`` is called)."""
    if content.letter_type is not LetterType.VERLENING:
        raise ValueError("alleen een verlening heeft deze onderdelen")
    validate(content)
    return _verlening_blocks(content, _styles())


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


def render_story(story: list, *, kenmerk: str, title: str, subject: str) -> bytes:
    """Lay out ``story`` (flowables) on the gemeente's A4 pages: the kenmerk in the
    footer of every page, "Pagina x van y", the short letterhead from page 2, the
    fonts embedded, byte-identical for the same story (reportlab's invariant mode)."""
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=20 * mm,
        bottomMargin=22 * mm,
        title=title,
        author="Gemeente Utrecht",
        subject=subject,
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
    decorate = _page_decoration(kenmerk)
    doc.addPageTemplates([PageTemplate("brief", [frame], onPage=decorate)])
    doc.build(story, canvasmaker=_NumberedCanvas)
    return buffer.getvalue()


def render_letter(content: LetterContent) -> bytes:
    """Validate the content and return the letter as PDF bytes (no other I/O)."""
    validate(content)
    register_fonts()
    styles = _styles()
    return render_story(
        _story(content, styles),
        kenmerk=content.kenmerk.strip(),
        title=subject_line(content),
        subject=f"Beschikking {content.kenmerk.strip()}",
    )
