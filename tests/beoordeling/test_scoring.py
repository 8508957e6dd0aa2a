"""Examples for the impact score and the proposed amount (design.md §4)."""

import ast
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from beoordeling import scoring
from beoordeling.dutch import format_euro
from beoordeling.scoring import (
    DEFAULT_BANDS,
    RUBRICS,
    Criterion,
    CriterionScore,
    ImpactBand,
    ReasonCode,
    Rubric,
    RubricError,
    ScoringError,
    aggregate,
    band_for,
    bands_from_config,
    impact_score,
    propose_amount,
)

DUURZAAM = RUBRICS["duurzaam"]
EUR_10_000 = 1_000_000


def scores(rubric, values, motivation="Onderbouwd in het impactplan."):
    """Scores for a rubric from {code: score}."""
    return [CriterionScore(code, values[code], motivation) for code in rubric.codes]


def uniform(rubric, value):
    return scores(rubric, dict.fromkeys(rubric.codes, value))


# --- the rubrics ------------------------------------------------------------------


def test_seeded_rubrics_have_the_documented_criteria():
    """The three seeded rubrics carry the codes of domain brief §3.7."""
    assert RUBRICS["initiatievenfonds"].codes == ("I1", "I2", "I3", "I4", "I5")
    assert DUURZAAM.codes == ("C1", "C2", "C3", "C4", "C5", "C6", "C7")
    assert RUBRICS["flexbudget"].codes == ("S1", "S2", "S3", "S4", "S5", "S6", "S7")


def test_seeded_rubrics_weigh_one_hundred_in_total():
    """Every seeded rubric's weights add up to 100."""
    assert {slug: r.total_weight for slug, r in RUBRICS.items()} == {
        "initiatievenfonds": 100,
        "duurzaam": 100,
        "flexbudget": 100,
    }


def test_seeded_weights_follow_the_domain_brief():
    """The weights per criterion are the ones in domain brief §3.7."""
    weights = {c.code: c.weight for r in RUBRICS.values() for c in r.criteria}
    assert weights == {
        **{"I1": 30, "I2": 25, "I3": 20, "I4": 15, "I5": 10},
        **{"C1": 15, "C2": 20, "C3": 15, "C4": 10, "C5": 15, "C6": 15, "C7": 10},
        **{"S1": 20, "S2": 20, "S3": 15, "S4": 15, "S5": 15, "S6": 5, "S7": 10},
    }


def test_only_duurzaam_c6_is_a_knockout():
    """C6 (competition or duplication) is the only knock-out criterion."""
    assert {slug: r.knockout_codes for slug, r in RUBRICS.items()} == {
        "initiatievenfonds": (),
        "duurzaam": ("C6",),
        "flexbudget": (),
    }


def test_seeded_rubrics_cannot_be_replaced():
    """The seeded rubric table is read-only."""
    with pytest.raises(TypeError):
        RUBRICS["duurzaam"] = DUURZAAM  # type: ignore[index]


def test_rubric_needs_a_criterion():
    """A rubric without criteria is refused with a Dutch message."""
    with pytest.raises(ValueError, match="minstens één criterium"):
        Rubric(version=1, criteria=())


def test_rubric_refuses_duplicate_codes():
    """Two criteria with the same code are refused."""
    with pytest.raises(ValueError, match="A komt meer dan één keer voor"):
        Rubric(1, (Criterion("A", "Een", 1), Criterion("A", "Twee", 2)))


@pytest.mark.parametrize("weight", [0, -5, True, 1.5])
def test_criterion_weight_must_be_a_positive_whole_number(weight):
    """A weight of zero, below zero, a bool or a fraction is refused."""
    with pytest.raises(RubricError, match="Criterium A: het gewicht"):
        Criterion("A", "Een", weight)


def test_rubric_errors_are_value_errors():
    """Configuration errors can be caught as ValueError."""
    assert issubclass(RubricError, ValueError)
    assert issubclass(scoring.ScoringError, ValueError)


# --- one assessor -----------------------------------------------------------------


def test_all_fours_score_one_hundred():
    """The top of the scale gives an impact score of 100."""
    assert impact_score(DUURZAAM, uniform(DUURZAAM, 4)) == Decimal("100.00")


def test_all_twos_score_fifty():
    """'Voldoende' on every criterion gives exactly 50."""
    assert impact_score(DUURZAAM, uniform(DUURZAAM, 2)) == Decimal("50.00")


def test_all_zeros_score_zero():
    """Nothing shown gives 0."""
    assert impact_score(DUURZAAM, uniform(DUURZAAM, 0)) == Decimal("0.00")


def test_duurzaam_example_scores_as_computed_by_hand():
    """(15*4 + 20*3 + 15*2 + 10*1 + 15*3 + 15*2 + 10*4) / 400 * 100 = 68.75."""
    given = {"C1": 4, "C2": 3, "C3": 2, "C4": 1, "C5": 3, "C6": 2, "C7": 4}
    assert impact_score(DUURZAAM, scores(DUURZAAM, given)) == Decimal("68.75")


def test_initiatievenfonds_example_scores_as_computed_by_hand():
    """(30*3 + 25*2 + 20*4 + 15*1 + 10*0) / 400 * 100 = 58.75."""
    rubric = RUBRICS["initiatievenfonds"]
    given = {"I1": 3, "I2": 2, "I3": 4, "I4": 1, "I5": 0}
    assert impact_score(rubric, scores(rubric, given)) == Decimal("58.75")


def test_score_rounds_half_up_to_two_decimals():
    """1/32 * 100 = 3.125 rounds up to 3.13, not to the even 3.12."""
    rubric = Rubric(1, (Criterion("A", "Een", 1), Criterion("B", "Twee", 7)))
    assert impact_score(rubric, scores(rubric, {"A": 1, "B": 0})) == Decimal("3.13")


def test_repeating_fractions_round_to_two_decimals():
    """1/12 and 2/12 of the maximum give 8.33 and 16.67."""
    rubric = Rubric(1, (Criterion("A", "Een", 1), Criterion("B", "Twee", 2)))
    assert impact_score(rubric, scores(rubric, {"A": 1, "B": 0})) == Decimal("8.33")
    assert impact_score(rubric, scores(rubric, {"A": 2, "B": 0})) == Decimal("16.67")


def test_missing_score_is_refused_naming_the_criterion():
    """Every criterion needs a score; the message names the missing one in Dutch."""
    partial = uniform(DUURZAAM, 3)[:-1]
    with pytest.raises(ScoringError, match=r"nog geen score: C7 \(Onderbouwing"):
        impact_score(DUURZAAM, partial)


def test_unknown_criterion_is_refused():
    """A score for a code outside the rubric is refused."""
    extra = [*uniform(DUURZAAM, 3), CriterionScore("X9", 3, "Extra.")]
    with pytest.raises(ScoringError, match="X9 hoort niet bij deze"):
        impact_score(DUURZAAM, extra)


def test_double_score_is_refused():
    """One criterion scored twice is refused."""
    double = [*uniform(DUURZAAM, 3), CriterionScore("C1", 2, "Nog een keer.")]
    with pytest.raises(ScoringError, match="C1 heeft meer dan één score"):
        impact_score(DUURZAAM, double)


@pytest.mark.parametrize("value", [-1, 5, True, 2.5, "3"])
def test_score_outside_the_scale_is_refused_in_dutch(value):
    """A score must be a whole number 0 to 4; the message names the criterion."""
    with pytest.raises(ScoringError, match="Criterium C2: de score moet .* 0 tot en"):
        CriterionScore("C2", value, "Motivering.")


@pytest.mark.parametrize("motivation", ["", "   ", None])
def test_score_without_motivation_is_refused_in_dutch(motivation):
    """Every score needs a written motivation."""
    with pytest.raises(ScoringError, match="Criterium C3: schrijf een motivering"):
        CriterionScore("C3", 2, motivation)


# --- several assessors ------------------------------------------------------------


def test_aggregate_means_per_criterion():
    """The mean per criterion is kept as a Decimal."""
    first = scores(DUURZAAM, dict.fromkeys(DUURZAAM.codes, 3))
    second = scores(DUURZAAM, {**dict.fromkeys(DUURZAAM.codes, 2), "C2": 4})
    result = aggregate(DUURZAAM, [first, second])
    assert result.means["C1"] == Decimal("2.50")
    assert result.means["C2"] == Decimal("3.50")
    assert result.assessor_count == 2


def test_aggregate_score_uses_the_unrounded_means():
    """Scores 1, 1 and 2 give 4/12 = 33.33, not 33.25 from the rounded mean 1.33."""
    rubric = Rubric(1, (Criterion("A", "Een", 1),))
    result = aggregate(rubric, [scores(rubric, {"A": s}) for s in (1, 1, 2)])
    assert result.means["A"] == Decimal("1.33")
    assert result.impact_score == Decimal("33.33")


def test_aggregate_of_two_equals_the_mean_of_both_scores():
    """With two assessors the impact score is the mean of their impact scores."""
    first = uniform(DUURZAAM, 4)
    second = uniform(DUURZAAM, 2)
    assert aggregate(DUURZAAM, [first, second]).impact_score == Decimal("75.00")


def test_disagreement_is_flagged_at_exactly_two_points():
    """A 2-point difference on one criterion is a disagreement."""
    first = uniform(DUURZAAM, 3)
    second = scores(DUURZAAM, {**dict.fromkeys(DUURZAAM.codes, 3), "C5": 1})
    result = aggregate(DUURZAAM, [first, second])
    assert result.disagreements == ("C5",)
    assert result.has_disagreement


def test_one_point_difference_is_no_disagreement():
    """A 1-point difference is normal and not flagged."""
    first = uniform(DUURZAAM, 3)
    second = scores(DUURZAAM, {**dict.fromkeys(DUURZAAM.codes, 2), "C7": 4})
    assert aggregate(DUURZAAM, [first, second]).disagreements == ()


def test_disagreement_looks_at_any_two_assessors():
    """With three assessors 1, 2 and 3 the outer two differ by 2: flagged."""
    runs = [
        scores(DUURZAAM, {**dict.fromkeys(DUURZAAM.codes, 2), "C1": value})
        for value in (1, 2, 3)
    ]
    assert aggregate(DUURZAAM, runs).disagreements == ("C1",)


def test_knockout_applies_when_any_assessor_scores_it_zero():
    """One assessor's 0 on C6 knocks out, even when the other gives 3."""
    first = uniform(DUURZAAM, 3)
    second = scores(DUURZAAM, {**dict.fromkeys(DUURZAAM.codes, 3), "C6": 0})
    result = aggregate(DUURZAAM, [first, second])
    assert result.knocked_out
    assert result.knockout_codes == ("C6",)
    assert result.means["C6"] == Decimal("1.50")
    assert "C6" in result.disagreements


def test_zero_on_a_normal_criterion_is_no_knockout():
    """A 0 on a criterion that is not a knock-out only lowers the score."""
    given = scores(DUURZAAM, {**dict.fromkeys(DUURZAAM.codes, 3), "C4": 0})
    assert not aggregate(DUURZAAM, [given]).knocked_out


def test_knockout_keeps_the_assessors_motivation_for_the_letter():
    """The motivation of the 0 is available for the letter."""
    zero = [
        CriterionScore(c, 0 if c == "C6" else 3, "Doet hetzelfde als de buurtkamer.")
        for c in DUURZAAM.codes
    ]
    result = aggregate(DUURZAAM, [zero])
    c6 = next(c for c in result.criteria if c.code == "C6")
    assert c6.motivations == ("Doet hetzelfde als de buurtkamer.",)
    assert result.knockout_names == (DUURZAAM.criterion("C6").name,)


def test_aggregate_needs_an_assessment():
    """Aggregating nothing is refused."""
    with pytest.raises(ScoringError, match="nog geen beoordeling"):
        aggregate(DUURZAAM, [])


def test_aggregate_refuses_an_incomplete_assessment():
    """Every assessment must score every criterion."""
    with pytest.raises(ScoringError, match="C7"):
        aggregate(DUURZAAM, [uniform(DUURZAAM, 3), uniform(DUURZAAM, 3)[:-1]])


# --- bands and amounts ------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "percent", "amount_cents"),
    [
        (Decimal("49.99"), None, 0),
        (Decimal("50"), 60, 600_000),
        (Decimal("59.99"), 60, 600_000),
        (Decimal("60"), 80, 800_000),
        (Decimal("74.99"), 80, 800_000),
        (Decimal("75"), 100, 1_000_000),
        (Decimal("100"), 100, 1_000_000),
    ],
)
def test_band_boundaries_give_the_documented_amount(score, percent, amount_cents):
    """>= 75: 100 %, 60-74.99: 80 %, 50-59.99: 60 %, below 50: rejected."""
    proposal = propose_amount(
        score=score, requested_cents=EUR_10_000, scheme_max_cents=2_000_000
    )
    assert (proposal.percent, proposal.amount_cents) == (percent, amount_cents)
    assert proposal.rejected is (percent is None)


def test_below_fifty_is_rejected_for_insufficient_impact():
    """A score below the lowest band is rejected with the reason in Dutch."""
    proposal = propose_amount(
        score=Decimal("49.99"), requested_cents=EUR_10_000, scheme_max_cents=EUR_10_000
    )
    assert proposal.reason_code is ReasonCode.INSUFFICIENT_IMPACT
    assert "49,99" in proposal.reason_text
    assert "minstens 50" in proposal.reason_text


def test_score_is_rounded_before_the_band_is_chosen():
    """74.995 is printed as 75,00 in the letter, so it gets the 100 % band."""
    proposal = propose_amount(
        score=Decimal("74.995"), requested_cents=EUR_10_000, scheme_max_cents=EUR_10_000
    )
    assert proposal.score == Decimal("75.00")
    assert proposal.percent == 100


def test_amount_is_rounded_down_to_whole_euros():
    """60 % of EUR 12,345.67 is 7,407.402: proposed EUR 7,407.00."""
    proposal = propose_amount(
        score=55, requested_cents=1_234_567, scheme_max_cents=2_000_000
    )
    assert proposal.amount_cents == 740_700


def test_full_band_still_drops_the_cents():
    """100 % of EUR 12,345.67 is proposed as EUR 12,345.00."""
    proposal = propose_amount(
        score=90, requested_cents=1_234_567, scheme_max_cents=2_000_000
    )
    assert proposal.amount_cents == 1_234_500


def test_amount_is_capped_at_the_scheme_maximum():
    """A request above the maximum is computed on the maximum."""
    proposal = propose_amount(
        score=80, requested_cents=2_500_000, scheme_max_cents=2_000_000
    )
    assert proposal.amount_cents == 2_000_000
    assert proposal.base_cents == 2_000_000
    assert "maximum van € 20.000,00" in proposal.reason_text


def test_band_applies_to_the_capped_amount():
    """80 % of the maximum, not of the request."""
    proposal = propose_amount(
        score=65, requested_cents=2_500_000, scheme_max_cents=2_000_000
    )
    assert proposal.amount_cents == 1_600_000


def test_less_than_one_euro_is_rejected():
    """60 % of EUR 1.50 is 90 cents: nothing is left after rounding down."""
    proposal = propose_amount(score=55, requested_cents=150, scheme_max_cents=150_000)
    assert proposal.rejected
    assert proposal.amount_cents == 0
    assert proposal.reason_code is ReasonCode.BELOW_ONE_EURO


def test_knockout_rejects_whatever_the_score():
    """A knock-out rejects even a score of 100."""
    proposal = propose_amount(
        score=100,
        requested_cents=EUR_10_000,
        scheme_max_cents=EUR_10_000,
        knocked_out=True,
        knockout_names=("Samenwerking",),
    )
    assert proposal.rejected
    assert proposal.amount_cents == 0
    assert proposal.reason_code is ReasonCode.KNOCKOUT
    assert "‘Samenwerking’" in proposal.reason_text


def test_failed_preconditions_reject_first():
    """A failed hard randvoorwaarde rejects before the knock-out and the score."""
    proposal = propose_amount(
        score=None,
        requested_cents=EUR_10_000,
        scheme_max_cents=EUR_10_000,
        knocked_out=True,
        preconditions_met=False,
    )
    assert proposal.rejected
    assert proposal.reason_code is ReasonCode.PRECONDITIONS_NOT_MET
    assert "randvoorwaarden" in proposal.reason_text


def test_a_score_is_needed_when_nothing_rejects():
    """Without a knock-out or failed precondition, a missing score is an error."""
    with pytest.raises(ValueError, match="Zonder impactscore"):
        propose_amount(score=None, requested_cents=100, scheme_max_cents=100)


@pytest.mark.parametrize("score", [Decimal("-0.01"), Decimal("100.01"), "80"])
def test_score_must_be_a_number_from_zero_to_one_hundred(score):
    """Scores outside 0-100 or not numbers are refused."""
    with pytest.raises(ValueError, match="impactscore"):
        propose_amount(score=score, requested_cents=100, scheme_max_cents=100)


def test_negative_request_is_refused():
    """The requested amount is zero or more cents."""
    with pytest.raises(ValueError, match="gevraagde bedrag"):
        propose_amount(score=80, requested_cents=-1, scheme_max_cents=100)


def test_reason_for_an_award_reads_as_a_letter_sentence():
    """The reason names score, band, percentage and amount in Dutch notation."""
    proposal = propose_amount(
        score=Decimal("68.75"), requested_cents=1_234_567, scheme_max_cents=2_000_000
    )
    assert proposal.reason_code is ReasonCode.IMPACT_BAND
    assert proposal.reason_text == (
        "De aanvraag heeft een impactscore van 68,75 (van de 100). Die score valt in "
        "de band van 60 tot 75 punten. Bij die band hoort 80% van het bedrag. Wij "
        "rekenen met het gevraagde bedrag van € 12.345,67. 80% daarvan is "
        "€ 9.876,00, naar beneden afgerond op hele euro's."
    )


def test_band_for_finds_the_band_or_none():
    """band_for returns the band the score falls in, None below all bands."""
    assert band_for(Decimal("75")) == ImpactBand(75, 100)
    assert band_for(Decimal("74.99")) == ImpactBand(60, 80)
    assert band_for(Decimal("49.99")) is None


def test_bands_from_config_reads_the_scheme_setting():
    """The scheme's JSON bands give the same bands as the default."""
    config = [
        {"min_score": 50, "percent": 60},
        {"min_score": 75, "percent": 100},
        {"min_score": 60.0, "percent": 80},
    ]
    assert bands_from_config(config) == DEFAULT_BANDS


def test_custom_bands_with_a_fractional_boundary():
    """A band starting at 62.5 applies from 62.50 upward."""
    bands = (ImpactBand(Decimal("62.5"), 90), ImpactBand(40, 50))
    amounts = {"requested_cents": 10_000, "scheme_max_cents": 10_000, "bands": bands}
    low = propose_amount(score=Decimal("62.49"), **amounts)
    high = propose_amount(score=Decimal("62.50"), **amounts)
    assert (low.percent, high.percent) == (50, 90)
    assert "van 40 tot 62,5 punten" in low.reason_text


def test_bands_where_more_impact_pays_less_are_refused():
    """A higher band with a lower percentage is a configuration error."""
    with pytest.raises(RubricError, match="hogere impactband"):
        band_for(80, (ImpactBand(75, 60), ImpactBand(50, 80)))


def test_bands_with_the_same_start_are_refused():
    """Two bands starting at the same score are a configuration error."""
    with pytest.raises(RubricError, match="dezelfde score"):
        bands_from_config(
            [{"min_score": 50, "percent": 60}, {"min_score": 50, "percent": 80}]
        )


@pytest.mark.parametrize(("min_score", "percent"), [(101, 50), (-1, 50), (50, 0)])
def test_band_values_must_be_in_range(min_score, percent):
    """A band starts between 0 and 100 and pays 1 to 100 percent."""
    with pytest.raises(RubricError):
        ImpactBand(min_score, percent)


@pytest.mark.parametrize(
    ("cents", "text"),
    [(0, "€ 0,00"), (5, "€ 0,05"), (123_456, "€ 1.234,56"), (10**8, "€ 1.000.000,00")],
)
def test_euros_are_written_in_dutch_notation(cents, text):
    """Amounts use a dot for thousands and a comma for cents."""
    assert format_euro(cents) == text


def test_scoring_imports_only_the_standard_library():
    """The pure module imports no Django, Wagtail or project code."""
    tree = ast.parse(Path(scoring.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            imported.add(node.module.split(".")[0])
    assert imported <= set(sys.stdlib_module_names)
