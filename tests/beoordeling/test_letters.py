"""Decision letters: content rules, Dutch formatting and the rendered PDF."""

import dataclasses
import io
import subprocess
import sys
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from pypdf import PdfReader

from beoordeling.letters import (
    LetterContent,
    LetterType,
    MissingLetterPart,
    bezwaar_deadline,
    format_date,
    format_euro,
    register_fonts,
    render_letter,
    validate,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
AFWIJZINGEN = [t for t in LetterType if t.is_afwijzing]
#: The letters on an application; those after the award: test_letters_after_award.py.
ON_APPLICATION = [t for t in LetterType if not t.after_award]
COMMON_HEADINGS = [
    "Wat u heeft aangevraagd",
    "Ons besluit",
    "Waarom wij zo besluiten",
    "Bent u het niet eens met dit besluit?",
]
VERLENING_HEADINGS = [
    "Uw verplichtingen",
    "Verantwoording en vaststelling",
    "Betaling",
    "Intrekking en terugvordering",
]
# The rule table from the module docstring, written out independently.
MANDATORY_ALWAYS = [
    ("sender", "afzender"),
    ("contact_name", "naam contactpersoon"),
    ("contact_phone", "telefoonnummer contactpersoon"),
    ("addressee_name", "naam geadresseerde"),
    ("addressee_address", "adres geadresseerde"),
    ("date_sent", "verzenddatum"),
    ("kenmerk", "kenmerk"),
    ("application_reference", "nummer van de aanvraag"),
    ("application_title", "titel van de aanvraag"),
    ("received_on", "datum van ontvangst"),
    ("scheme_name", "naam van de regeling"),
    ("legal_basis", "wettelijke grondslag"),
    ("motivation", "motivering"),
    ("signatory_function", "functie van de ondertekenaar"),
]
MANDATORY_ASSESSED = [
    ("complete_on", "datum waarop de aanvraag compleet was"),
    ("requested_cents", "gevraagd bedrag"),
]
MANDATORY_VERLENING = [
    ("awarded_cents", "verleend bedrag"),
    ("activity_description", "beschrijving van de activiteiten"),
    ("activity_start", "begindatum van de activiteiten"),
    ("activity_end", "einddatum van de activiteiten"),
    ("obligations", "verplichtingen"),
    ("accountability", "verantwoording en vaststelling"),
]
EMPTY = {
    "addressee_address": (),
    "motivation": ("  ",),
    "obligations": (),
    "date_sent": None,
    "received_on": None,
    "complete_on": None,
    "activity_start": None,
    "activity_end": None,
    "requested_cents": 0,
    "awarded_cents": 0,
}


def make_content(letter_type=LetterType.VERLENING, **overrides) -> LetterContent:
    """A complete letter of the given type, sent on Monday 23 November 2026."""
    content = LetterContent(
        letter_type=letter_type,
        sender="Wijkbureau Overvecht",
        contact_name="Joëlle van den Berg",
        contact_phone="14 030",
        contact_email="wijkbureau.overvecht@utrecht.nl",
        addressee_name="Stichting Buurtcafé De Ontmoeting",
        addressee_address=(
            "t.a.v. mevrouw R. Özdemir",
            "Zamenhofdreef 12",
            "3562 JW Utrecht",
        ),
        date_sent=date(2026, 11, 23),
        kenmerk="D2026-000123",
        application_reference="IF-2026-0042",
        application_title="Ideeën-café Overvecht",
        received_on=date(2026, 10, 2),
        complete_on=date(2026, 10, 9),
        requested_cents=306250,
        awarded_cents=245000,
        activity_description="Elke maand een ideeën-café voor buurtbewoners.",
        activity_start=date(2027, 1, 15),
        activity_end=date(2027, 12, 31),
        scheme_name="Initiatievenfonds",
        legal_basis="Nadere regel Initiatievenfonds Utrecht, artikel 5",
        motivation=("Impactscore 68 van 100, plaats 4 van 23.",),
        obligations=("U bewaart de bonnen en facturen 7 jaar.",),
        accountability="Wij stellen de subsidie ambtshalve vast.",
        payment="Wij maken het geld over naar rekening NL** **** **** **34 56.",
        signatory_function="de manager Wijkbureau Overvecht",
    )
    if letter_type is not LetterType.VERLENING:
        content = dataclasses.replace(
            content, awarded_cents=0, obligations=(), accountability="", payment=""
        )
    if letter_type is LetterType.BUITEN_BEHANDELING:
        content = dataclasses.replace(content, complete_on=None)
    return dataclasses.replace(content, **overrides)


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page with runs of white space (also NBSP) as one space."""
    reader = PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


@cache
def rendered(letter_type: LetterType) -> tuple[bytes, tuple[str, ...]]:
    pdf = render_letter(make_content(letter_type))
    return pdf, tuple(pdf_pages(pdf))


def text_of(letter_type: LetterType) -> str:
    return " ".join(rendered(letter_type)[1])


@pytest.mark.parametrize("letter_type", ON_APPLICATION)
def test_every_letter_type_has_its_mandatory_headings(letter_type):
    """Each type prints the common blocks; only a verlening has the grant blocks."""
    text = text_of(letter_type)
    for heading in COMMON_HEADINGS:
        assert heading in text
    for heading in VERLENING_HEADINGS:
        assert (heading in text) is (letter_type is LetterType.VERLENING)


@pytest.mark.parametrize("letter_type", ON_APPLICATION)
def test_every_letter_type_prints_reference_block_and_signature(letter_type):
    """Sender, addressee, date, kenmerk, subject and mandate signature are there."""
    text = text_of(letter_type)
    for part in (
        "Gemeente Utrecht",
        "Wijkbureau Overvecht",
        "Stichting Buurtcafé De Ontmoeting",
        "Datum 23 november 2026",
        "Ons kenmerk D2026-000123",
        "IF-2026-0042",
        "Onderwerp: Besluit op uw aanvraag subsidie 'Ideeën-café Overvecht'",
        "Burgemeester en wethouders van Utrecht, namens dezen,",
        "de manager Wijkbureau Overvecht",
    ):
        assert part in text


@pytest.mark.parametrize("letter_type", ON_APPLICATION)
def test_every_letter_type_prints_amounts_in_dutch_notation(letter_type):
    """The requested amount (and for a verlening the award) reads € 1.234,56."""
    text = text_of(letter_type)
    assert "€ 3.062,50" in text
    assert ("€ 2.450,00" in text) is (letter_type is LetterType.VERLENING)
    assert "306250" not in text


@pytest.mark.parametrize("letter_type", ON_APPLICATION)
def test_every_page_carries_kenmerk_and_page_number(letter_type):
    """The footer of every page shows the kenmerk and 'Pagina n van N'."""
    pages = rendered(letter_type)[1]
    for number, page in enumerate(pages, start=1):
        assert "Ons kenmerk: D2026-000123" in page
        assert f"Pagina {number} van {len(pages)}" in page


@pytest.mark.parametrize("letter_type", ON_APPLICATION)
def test_every_letter_type_prints_the_concrete_bezwaar_date(letter_type):
    """Bezwaar clause: 6 weeks, the last date, B&W, Postbus 16200, not by e-mail."""
    text = text_of(letter_type)
    assert "binnen 6 weken na de dag waarop wij deze brief hebben verstuurd" in text
    assert "uiterlijk op 4 januari 2027" in text
    assert "Burgemeester en wethouders van Utrecht, Postbus 16200, 3500 CE" in text
    assert "Bezwaar maken per e-mail kan niet" in text
    assert "Bellen verlengt die termijn niet" in text


@pytest.mark.parametrize(
    ("letter_type", "sentence"),
    [
        (
            LetterType.VERLENING,
            "Wij verlenen u een subsidie van ten hoogste € 2.450,00 voor "
            "'Ideeën-café Overvecht'.",
        ),
        *((t, "Wij wijzen uw aanvraag af.") for t in AFWIJZINGEN),
        (LetterType.BUITEN_BEHANDELING, "Wij nemen uw aanvraag niet in behandeling."),
    ],
)
def test_decision_is_stated_in_one_sentence(letter_type, sentence):
    """The decision sentence follows the aanhef on page 1."""
    first_page = rendered(letter_type)[1][0]
    assert f"Geachte heer, mevrouw, {sentence}" in first_page


@pytest.mark.parametrize(
    ("letter_type", "phrase"),
    [
        (LetterType.VERLENING, "Uw aanvraag voldoet daaraan."),
        (LetterType.AFWIJZING_RANDVOORWAARDEN, "voldoet niet aan alle voorwaarden"),
        (LetterType.AFWIJZING_IMPACT, "De score van uw aanvraag is te laag"),
        (LetterType.AFWIJZING_BUDGET, "Het geld was op voordat uw aanvraag"),
        (LetterType.AFWIJZING_CAP, "was dat maximum al bereikt"),
        (LetterType.BUITEN_BEHANDELING, "niet of niet helemaal binnen die termijn"),
    ],
)
def test_each_letter_type_has_its_own_motivation_paragraph(letter_type, phrase):
    """The motivation template belongs to one type only."""
    for other in ON_APPLICATION:
        assert (phrase in text_of(other)) is (other is letter_type)


@pytest.mark.parametrize("letter_type", ON_APPLICATION)
def test_motivation_cites_items_and_legal_basis(letter_type):
    """Motivation items, Awb titel 4.2, the ASV and the nadere regel are cited."""
    text = text_of(letter_type)
    assert "Impactscore 68 van 100, plaats 4 van 23." in text
    assert "titel 4.2 van de Algemene wet bestuursrecht (Awb)" in text
    assert "Algemene subsidieverordening gemeente Utrecht (ASV)" in text
    assert "Nadere regel Initiatievenfonds Utrecht, artikel 5" in text


def test_plafond_refusals_cite_awb_4_25_only_when_the_ceiling_was_reached():
    """Budget and wijk-maximum refusals name the plafond article (4:25 lid 2) only
    when the ceiling was reached for the application; otherwise they rest on the
    published verdeelregel (4:26). Other letters never cite 4:25."""
    for letter_type in ON_APPLICATION:
        plafond = letter_type in (LetterType.AFWIJZING_BUDGET, LetterType.AFWIJZING_CAP)
        for reached in (True, False):
            pdf = render_letter(make_content(letter_type, ceiling_reached=reached))
            text = " ".join(" ".join(pdf_pages(pdf)).split())
            assert ("artikel 4:25, tweede lid" in text) is (plafond and reached)
            assert ("artikel 4:26 van de Awb" in text) is (plafond and not reached)


def test_verlening_states_activities_period_and_refused_remainder():
    """The dictum lists activities and period and refuses the unawarded part."""
    text = text_of(LetterType.VERLENING)
    assert "Elke maand een ideeën-café voor buurtbewoners." in text
    assert "van 15 januari 2027 tot en met 31 december 2027" in text
    assert "Voor het overige bedrag van € 612,50 wijzen wij uw aanvraag af" in text


def test_full_award_has_no_refused_remainder():
    """When the whole request is granted nothing is refused."""
    pdf = render_letter(make_content(awarded_cents=306250))
    assert "overige bedrag" not in " ".join(pdf_pages(pdf))


def test_dutch_characters_survive_into_the_pdf_text():
    """ë, é, Ö and € are embedded with DejaVu Sans and extract unchanged."""
    text = text_of(LetterType.VERLENING)
    for word in ("Joëlle", "Buurtcafé", "Özdemir", "Ideeën-café", "€ 2.450,00"):
        assert word in text


def test_only_embedded_dejavu_fonts_are_used():
    """<b> switches to DejaVu Sans Bold; no unembedded Helvetica sneaks in."""
    register_fonts()
    register_fonts()  # idempotent
    reader = PdfReader(io.BytesIO(rendered(LetterType.VERLENING)[0]))
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts == {"DejaVuSans", "DejaVuSans-Bold"}


def test_markup_in_user_text_is_printed_literally():
    """Ampersands and tags typed by an applicant are text, not markup."""
    pdf = render_letter(make_content(application_title="Buurt & <b>feest</b>"))
    assert "'Buurt & <b>feest</b>'" in " ".join(pdf_pages(pdf))


def test_pdf_metadata_has_subject_as_title_and_gemeente_as_author():
    """Title is the subject line; author is Gemeente Utrecht."""
    metadata = PdfReader(io.BytesIO(rendered(LetterType.VERLENING)[0])).metadata
    assert metadata.title == "Besluit op uw aanvraag subsidie 'Ideeën-café Overvecht'"
    assert metadata.author == "Gemeente Utrecht"


def test_pdf_is_a4():
    """Every page is A4 portrait."""
    for page in PdfReader(io.BytesIO(rendered(LetterType.VERLENING)[0])).pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)


def test_same_content_gives_identical_bytes():
    """Rendering is deterministic, so the stored SHA-256 can be checked again."""
    content = make_content(LetterType.AFWIJZING_BUDGET)
    assert render_letter(content) == render_letter(content)


def _mandatory_cases():
    for letter_type in ON_APPLICATION:
        fields = list(MANDATORY_ALWAYS)
        if letter_type is not LetterType.BUITEN_BEHANDELING:
            fields += MANDATORY_ASSESSED
        if letter_type is LetterType.VERLENING:
            fields += MANDATORY_VERLENING
        for field, dutch in fields:
            yield pytest.param(
                letter_type, field, dutch, id=f"{letter_type.value}-{field}"
            )


@pytest.mark.parametrize(("letter_type", "field", "dutch"), list(_mandatory_cases()))
def test_generation_refuses_an_empty_mandatory_part(letter_type, field, dutch):
    """An empty mandatory part stops the letter and is named in Dutch."""
    content = make_content(letter_type, **{field: EMPTY.get(field, "  ")})
    with pytest.raises(MissingLetterPart) as error:
        render_letter(content)
    assert error.value.fields == (field,)
    assert dutch in str(error.value)
    assert str(error.value).startswith("De brief kan niet worden gemaakt.")


def test_missing_letter_part_lists_every_empty_part():
    """All empty parts are reported at once, not one per attempt."""
    content = make_content(kenmerk="", sender="", obligations=())
    with pytest.raises(MissingLetterPart) as error:
        validate(content)
    assert set(error.value.fields) == {"kenmerk", "sender", "obligations"}
    assert isinstance(error.value, ValueError)


def test_buiten_behandeling_needs_no_complete_date_or_amount():
    """An incomplete application may lack a complete date and an amount."""
    content = make_content(LetterType.BUITEN_BEHANDELING, requested_cents=0)
    text = " ".join(pdf_pages(render_letter(content)))
    assert "Uw aanvraag is niet compleet geworden." in text


def test_afwijzing_needs_no_grant_parts():
    """An afwijzing goes out without obligations, accountability or payment."""
    for letter_type in AFWIJZINGEN:
        validate(make_content(letter_type))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"awarded_cents": 400000}, "hoger dan het gevraagde bedrag"),
        ({"activity_end": date(2027, 1, 1)}, "einddatum"),
        ({"complete_on": date(2026, 9, 1)}, "compleet voordat"),
        ({"date_sent": date(2026, 9, 1)}, "verzonden voordat"),
        ({"requested_cents": -5}, "gehele aantallen centen"),
        ({"awarded_cents": 2450.0}, "gehele aantallen centen"),
        ({"addressee_address": "Zamenhofdreef 12"}, "reeks regels"),
    ],
)
def test_contradictory_content_is_refused(overrides, message):
    """A letter that contradicts itself is a ValueError, not a PDF."""
    with pytest.raises(ValueError, match=message):
        render_letter(make_content(**overrides))


def test_afwijzing_with_an_amount_is_refused():
    """An afwijzing cannot grant money."""
    content = make_content(LetterType.AFWIJZING_IMPACT, awarded_cents=100)
    with pytest.raises(ValueError, match="verleent geen bedrag"):
        validate(content)


@pytest.mark.parametrize(
    ("cents", "expected"),
    [
        (0, "€ 0,00"),
        (5, "€ 0,05"),
        (100, "€ 1,00"),
        (123456, "€ 1.234,56"),
        (245000, "€ 2.450,00"),
        (100000000, "€ 1.000.000,00"),
    ],
)
def test_format_euro_uses_dutch_notation_with_cents(cents, expected):
    """Thousands dot, decimal comma, always two decimals."""
    assert format_euro(cents) == expected


def test_format_euro_refuses_negative_amounts():
    """Negative amounts are an error."""
    with pytest.raises(ValueError):
        format_euro(-1)


@pytest.mark.parametrize("value", [12.5, 100.0, "100", True, None])
def test_format_euro_refuses_anything_but_integer_cents(value):
    """Floats, strings and booleans are not money."""
    with pytest.raises(TypeError):
        format_euro(value)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 23), "23 november 2026"),
        (date(2027, 3, 1), "1 maart 2027"),
        (date(2026, 5, 9), "9 mei 2026"),
        (date(2026, 8, 31), "31 augustus 2026"),
    ],
)
def test_format_date_writes_dutch_long_dates(day, expected):
    """Day without leading zero, Dutch month name, no locale needed."""
    assert format_date(day) == expected


@pytest.mark.parametrize(
    ("sent", "last_day"),
    [
        (date(2026, 11, 23), date(2027, 1, 4)),  # across the year boundary
        (date(2026, 12, 31), date(2027, 2, 11)),
        (date(2026, 1, 20), date(2026, 3, 3)),  # across short February
        (date(2028, 2, 1), date(2028, 3, 14)),  # leap year
        (date(2026, 6, 1), date(2026, 7, 13)),
    ],
)
def test_bezwaar_deadline_is_six_weeks_after_the_day_of_sending(sent, last_day):
    """The term starts the day after sending and ends 42 days after sending."""
    assert bezwaar_deadline(sent) == last_day
    assert last_day.weekday() == sent.weekday()


def test_letters_module_imports_no_django():
    """The renderer runs without Django: importing it loads no django module."""
    code = (
        "import sys, beoordeling.letters\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'django', 'wagtail', 'subsidies', 'portal'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "[]"


def test_letters_are_drawn_with_reportlab_s_c_accelerator():
    """rl-accel is installed and reportlab uses it: measuring text and writing
    numbers in C, not in its pure-Python fallback."""
    from reportlab.lib import rl_accel

    for name in ("fp_str", "instanceStringWidthTTF", "escapePDF", "sameFrag"):
        assert getattr(rl_accel, name).__module__ == "_rl_accel", name
