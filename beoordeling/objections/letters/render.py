"""The texts of the letters of a bezwaar and ``render``: content in, PDF bytes out."""

from __future__ import annotations

from reportlab.platypus import Paragraph

from beoordeling.letters import (
    LetterType,
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

from .content import (
    CONTESTED,
    INSPECTION_BEFORE,
    RECHTBANK,
    RECHTBANK_ADDRESS,
    Acknowledgement,
    Extension,
    HearingInvitation,
    Letter,
    ObjectionDecision,
    Outcome,
    as_verlening,
    beroep_deadline,
    format_time,
    gives_grant,
    validate,
)

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
        f"{CONTESTED[c.contested_type]} voor "
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
    if gives_grant(c):
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
    if gives_grant(c):
        story += verlening_blocks(as_verlening(c))
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
