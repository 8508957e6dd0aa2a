"""The beschikkingen after the award (vaststelling, wijziging, intrekking and
terugvordering), read back from the rendered PDF; no database."""

import dataclasses
from datetime import date

import pytest

from beoordeling.letters import (
    EX_OFFICIO_WEEKS,
    FixingGround,
    Ground,
    LetterType,
    LineFixing,
    MissingLetterPart,
    ReclaimLimitPassed,
    Settlement,
    render_letter,
    settlement_for,
)
from subsidies.workflow import FIXING_WEEKS
from tests.beoordeling.test_letters import make_content, pdf_pages

AFTER_AWARD = [t for t in LetterType if t.after_award]
SENT = date(2026, 11, 23)


def after(letter_type, **overrides):
    """A complete after-award letter on the grant of € 2.450,00 of 1 november 2026."""
    values = {
        "awarded_cents": 245_000,
        "earlier_kenmerk": "D2026-000001",
        "earlier_date": date(2026, 11, 1),
        "reclaim_iban": "NL04BNGH0285170000",
        "reclaim_account_name": "Gemeente Utrecht",
    }
    if letter_type is LetterType.VASTSTELLING:
        values["fixed_cents"] = 245_000
    if letter_type is LetterType.WIJZIGING:
        values["new_activity_end"] = date(2028, 3, 1)
        values["requested_change_on"] = date(2026, 11, 10)
    if letter_type is LetterType.INTREKKING:
        values["ground"] = Ground.NOT_DONE
    if letter_type is LetterType.TERUGVORDERING:
        values |= {"fixed_cents": 100_000, "paid_cents": 245_000}
    values |= overrides
    return dataclasses.replace(make_content(letter_type), **values)


def text(content):
    return " ".join(" ".join(pdf_pages(render_letter(content))).split())


@pytest.mark.parametrize("letter_type", AFTER_AWARD)
def test_every_after_award_letter_names_the_earlier_decision_and_the_bezwaar(
    letter_type,
):
    """Kenmerk, the earlier beschikking by kenmerk and date, the bezwaar clause with its
    last date, and the signature under mandate: the building blocks of every letter."""
    read = text(after(letter_type))
    assert "Ons kenmerk D2026-000123" in read
    assert "onze beschikking van 1 november 2026 (kenmerk D2026-000001)" in read
    assert "Dien uw bezwaarschrift dus uiterlijk op 4 januari 2027 in." in read
    assert "Burgemeester en wethouders van Utrecht, namens dezen," in read
    assert "Uw subsidie" in read and "Waarom wij zo besluiten" in read


@pytest.mark.parametrize(
    ("letter_type", "subject", "sentence"),
    [
        (
            LetterType.VASTSTELLING,
            "Vaststelling van uw subsidie 'Ideeën-café Overvecht'",
            "Wij stellen uw subsidie voor 'Ideeën-café Overvecht' vast op € 2.450,00.",
        ),
        (
            LetterType.WIJZIGING,
            "Wijziging van uw subsidie 'Ideeën-café Overvecht'",
            "Wij wijzigen uw subsidie voor 'Ideeën-café Overvecht'.",
        ),
        (
            LetterType.INTREKKING,
            "Intrekking van uw subsidie 'Ideeën-café Overvecht'",
            "Wij trekken uw subsidie voor 'Ideeën-café Overvecht' in.",
        ),
        (
            LetterType.TERUGVORDERING,
            "Terugvordering van uw subsidie 'Ideeën-café Overvecht'",
            "Wij vorderen € 1.450,00 van uw subsidie voor 'Ideeën-café Overvecht' "
            "terug.",
        ),
    ],
)
def test_subject_and_decision_sentence(letter_type, subject, sentence):
    read = text(after(letter_type))
    assert f"Onderwerp: {subject}" in read
    assert f"Geachte heer, mevrouw, {sentence}" in read


def test_vaststelling_lower_per_line_with_its_ground_and_the_repayment():
    """The fixed amount against the verlening, each lower line with its 4:46 ground
    and motivation, and the difference with what was paid reclaimed: amount, last day
    (6 weeks, Awb 4:87), the gemeente's account and the kenmerk as reference."""
    read = text(
        after(
            LetterType.VASTSTELLING,
            fixed_cents=200_000,
            paid_cents=245_000,
            lines=(
                LineFixing(
                    "Huur zaal",
                    150_000,
                    105_000,
                    FixingGround.LOWER_COSTS,
                    "De bonnen tonen € 1.050 aan huur.",
                ),
                LineFixing("Koffie en thee", 95_000, 95_000),
            ),
            reclaim_limit_on=date(2031, 11, 23),
        )
    )
    assert "Wij stellen de subsidie vast op € 2.000,00." in read
    assert "Dat is € 450,00 minder dan de verlening van € 2.450,00." in read
    assert (
        "Huur zaal: begroot € 1.500,00, vastgesteld € 1.050,00. Lager, omdat u heeft "
        "minder uitgegeven dan begroot" in read
    )
    assert "De bonnen tonen € 1.050 aan huur." in read
    assert "Koffie en thee: begroot € 950,00, vastgesteld € 950,00." in read
    assert "artikel 4:46 van de Awb (lager vaststellen)" in read
    assert "U betaalt € 450,00 terug, uiterlijk op 4 januari 2027." in read
    assert "rekening NL04BNGH0285170000 ten name van Gemeente Utrecht" in read
    assert "het kenmerk van deze brief: D2026-000123" in read
    assert "tot en met 23 november 2031" in read
    assert "artikel 4:57 van de Awb (terugvordering)" in read


def test_vaststelling_sets_off_what_was_paid_and_pays_the_rest():
    read = text(after(LetterType.VASTSTELLING, fixed_cents=200_000, paid_cents=122_500))
    assert "Wij verrekenen wat wij u al betaalden (€ 1.225,00)" in read
    assert "artikel 4:52 van de Awb" in read
    assert "De rest, € 775,00, betalen wij uiterlijk op 7 december 2026." in read
    assert "Terugbetalen" not in read


def test_vaststelling_of_what_was_paid_in_full_asks_nothing_back():
    read = text(after(LetterType.VASTSTELLING, paid_cents=245_000))
    assert "Dat is het hele bedrag van de verlening." in read
    assert "Wij betalen niets meer en u hoeft niets terug te betalen." in read
    assert "Terugbetalen" not in read


def test_ex_officio_vaststelling_cites_4_47_and_says_no_report_was_needed():
    read = text(after(LetterType.VASTSTELLING, settlement=Settlement.EX_OFFICIO))
    assert "U hoefde geen verantwoording te sturen" in read
    assert "artikel 4:47 van de Awb (ambtshalve vaststelling)" in read


def test_wijziging_on_request_names_the_request_and_the_new_end():
    read = text(after(LetterType.WIJZIGING))
    assert "Op 10 november 2026 vroeg u ons om de subsidie te wijzigen." in read
    assert "U bent uiterlijk op 1 maart 2028 klaar met de activiteiten." in read
    assert "Dat was 31 december 2027." in read
    assert "Wij wijzigen de subsidie, omdat u daarom vroeg." in read


def test_lower_wijziging_on_a_ground_works_back_and_reclaims_the_excess():
    read = text(
        after(
            LetterType.WIJZIGING,
            requested_change_on=None,
            new_activity_end=None,
            new_awarded_cents=100_000,
            paid_cents=122_500,
            ground=Ground.OBLIGATIONS,
            motivation=("U heeft de buurt niet uitgenodigd, zoals afgesproken.",),
        )
    )
    assert "De subsidie is ten hoogste € 1.000,00. Dat was € 2.450,00." in read
    assert (
        "werkt terug tot en met de dag waarop wij de subsidie hebben verleend" in read
    )
    assert "artikel 4:48, eerste lid, onder b, van de Awb" in read
    assert "U betaalt € 225,00 terug, uiterlijk op 4 januari 2027." in read


def test_intrekking_after_the_vaststelling_rests_on_4_49_and_reclaims_all_paid():
    read = text(
        after(
            LetterType.INTREKKING,
            ground=Ground.NEW_FACTS,
            fixed_on=date(2026, 3, 1),
            paid_cents=245_000,
            reclaim_limit_on=date(2031, 3, 1),
        )
    )
    assert "Onderwerp: Intrekking van uw subsidie 'Ideeën-café Overvecht' en " in read
    assert "terugvordering" in read
    assert "artikel 4:49, eerste lid, onder a, van de Awb" in read
    assert "tot en met de dag waarop wij de subsidie hebben vastgesteld" in read
    assert "U betaalt € 2.450,00 terug" in read


def test_4_50_flags_the_compensation_of_damage_and_needs_a_start_date():
    content = after(
        LetterType.INTREKKING,
        ground=Ground.CHANGED_CIRCUMSTANCES,
        effective_on=date(2026, 12, 1),
    )
    read = text(content)
    assert "Vergoeding van schade" in read
    assert "artikel 4:50, tweede lid, van de Awb (schadevergoeding)" in read
    assert "Dit besluit gaat in op 1 december 2026." in read
    with pytest.raises(MissingLetterPart) as error:
        render_letter(dataclasses.replace(content, effective_on=None))
    assert "datum waarop de intrekking of wijziging ingaat" in str(error.value)


@pytest.mark.parametrize(
    ("letter_type", "overrides", "part"),
    [
        (LetterType.VASTSTELLING, {"earlier_kenmerk": " "}, "kenmerk van de eerdere"),
        (LetterType.VASTSTELLING, {"earlier_date": None}, "datum van de eerdere"),
        (LetterType.INTREKKING, {"ground": None}, "grond voor de intrekking"),
        (
            LetterType.WIJZIGING,
            {"requested_change_on": None},
            "grond voor de intrekking of wijziging",
        ),
        (LetterType.WIJZIGING, {"new_activity_end": None}, "wat er verandert"),
        (
            LetterType.INTREKKING,
            {"paid_cents": 1_000, "reclaim_iban": ""},
            "rekeningnummer van de gemeente",
        ),
        (LetterType.TERUGVORDERING, {"paid_cents": 100_000}, "terug te vorderen"),
        (
            LetterType.VASTSTELLING,
            {
                "fixed_cents": 100_000,
                "lines": (LineFixing("Huur", 150_000, 5_000),),
            },
            "reden voor een lager bedrag per begrotingspost",
        ),
        (LetterType.VASTSTELLING, {"motivation": ()}, "motivering"),
    ],
)
def test_refuses_to_make_a_letter_with_an_empty_mandatory_part(
    letter_type, overrides, part
):
    with pytest.raises(MissingLetterPart) as error:
        render_letter(after(letter_type, **overrides))
    assert part in str(error.value)
    assert str(error.value).startswith("De brief kan niet worden gemaakt.")


@pytest.mark.parametrize(
    ("letter_type", "overrides"),
    [
        (
            LetterType.INTREKKING,
            {"ground": Ground.NEW_FACTS, "fixed_on": date(2021, 11, 1)},
        ),
        (LetterType.TERUGVORDERING, {"fixed_on": date(2021, 11, 1)}),
        (LetterType.VASTSTELLING, {"fixed_cents": 100_000, "paid_cents": 245_000}),
    ],
)
def test_five_years_after_the_vaststelling_nothing_is_withdrawn_or_reclaimed(
    letter_type, overrides
):
    """Awb 4:49 lid 3 and 4:57 lid 4: a letter dated after the limit is refused; the
    day of the limit itself still counts."""
    limit = date(2026, 11, 22)
    content = after(letter_type, reclaim_limit_on=limit, **overrides)
    with pytest.raises(ReclaimLimitPassed) as error:
        render_letter(content)
    assert "tot en met 22 november 2026" in str(error.value)
    assert render_letter(dataclasses.replace(content, date_sent=limit)).startswith(
        b"%PDF"
    )


def test_a_vaststelling_without_money_back_is_not_stopped_by_the_limit():
    render_letter(after(LetterType.VASTSTELLING, reclaim_limit_on=date(2020, 1, 1)))


@pytest.mark.parametrize(
    ("ground", "fixed_on", "problem"),
    [
        (Ground.NEW_FACTS, None, "alleen na de vaststelling"),
        (Ground.NOT_DONE, date(2026, 3, 1), "na de vaststelling geldt alleen"),
    ],
)
def test_the_ground_must_fit_the_stage_of_the_grant(ground, fixed_on, problem):
    with pytest.raises(ValueError, match=problem):
        render_letter(after(LetterType.INTREKKING, ground=ground, fixed_on=fixed_on))


def test_contradictions_are_refused():
    with pytest.raises(ValueError, match="hoger dan de verlening"):
        render_letter(after(LetterType.VASTSTELLING, fixed_cents=245_001))
    with pytest.raises(ValueError, match="nooit hoger"):
        render_letter(after(LetterType.WIJZIGING, new_awarded_cents=300_000))


def test_ex_officio_route_and_its_verlening():
    """The scheme route 'ambtshalve' grants now and fixes ex officio within 13 weeks
    after the activities (VNG model ASV art. 15), the same weeks as the workflow."""
    assert settlement_for("ambtshalve", None, 245_000) is Settlement.EX_OFFICIO
    assert EX_OFFICIO_WEEKS == FIXING_WEEKS
    read = text(make_content(LetterType.VERLENING, settlement=Settlement.EX_OFFICIO))
    assert "Wij verlenen u een subsidie van ten hoogste € 2.450,00" in read
    assert "(ambtshalve vaststelling), uiterlijk op 31 maart 2028" in read
    assert "U hoeft daarvoor geen verantwoording te sturen." in read


@pytest.mark.parametrize("letter_type", AFTER_AWARD)
def test_every_after_award_letter_names_each_ground_once(letter_type):
    """The scheme's basis repeating Awb titel 4.2, the ASV or an article the letter
    adds (4:57) is printed once."""
    content = after(
        letter_type,
        legal_basis=(
            "Awb titel 4.2 en de ASV gemeente Utrecht;\nartikel 4:57 van de Awb "
            "(terugvordering);\nNadere regel Initiatievenfonds Utrecht, artikel 5"
        ),
        paid_cents=300_000 if letter_type is LetterType.TERUGVORDERING else 245_000,
    )
    read = text(content)
    assert read.count("titel 4.2") == 1
    assert read.count("(ASV)") == 1
    assert read.count("Nadere regel Initiatievenfonds Utrecht, artikel 5") == 1
    assert read.count("artikel 4:57 van de Awb (terugvordering)") == 1
