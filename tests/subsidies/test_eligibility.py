"""The quick check: which scheme fits a plan, or why none does (subsidies.eligibility)."""

from dataclasses import replace

import pytest

from subsidies import eligibility
from subsidies.eligibility import DUURZAAM, FLEXBUDGET, INITIATIEVENFONDS, Answers

#: A new neighbourhood plan: only the initiatievenfonds fits.
STARTER = Answers(
    started=False,
    in_utrecht=True,
    for_neighbourhood=True,
    care=False,
    three_years=False,
    fully_volunteer=True,
    fund_three_years=False,
    network_or_information=False,
    other_municipal_money=True,
    social_broker_work=False,
)

#: A proven, partly paid buurtnetwerk that can no longer use the fund.
PROVEN_NETWORK = replace(
    STARTER,
    three_years=True,
    fully_volunteer=False,
    fund_three_years=True,
    network_or_information=True,
    other_municipal_money=False,
)


def test_a_new_plan_fits_the_initiatievenfonds_only():
    """A starting initiative is sent to the initiatievenfonds, not to duurzaam or flex."""
    result = eligibility.check(STARTER)
    assert result.fitting == (INITIATIEVENFONDS,)
    assert not result.general
    assert "nieuwe initiatieven" in str(result.verdict(DUURZAAM).reasons[0])


def test_a_proven_partly_paid_network_fits_duurzaam_not_the_fund():
    """After three funded years with paid staff the fund stops; duurzaam takes over."""
    result = eligibility.check(PROVEN_NETWORK)
    assert result.fitting == (DUURZAAM,)
    reason = str(result.verdict(INITIATIEVENFONDS).reasons[0])
    assert "drie jaar" in reason and "betaalde krachten" in reason


def test_a_fully_volunteer_initiative_keeps_the_fund_after_three_years():
    """The three-year limit applies only to initiatives with paid staff."""
    answers = replace(PROVEN_NETWORK, fully_volunteer=True)
    result = eligibility.check(answers)
    assert INITIATIEVENFONDS in result.fitting
    assert DUURZAAM in result.fitting
    assert any("vrijwilligers" in str(r) for r in result.verdict(DUURZAAM).reasons)


def test_social_broker_work_fits_the_flexbudget():
    """Doing sociaal makelaar work or something new with partners fits the flexbudget."""
    result = eligibility.check(replace(STARTER, social_broker_work=True))
    assert set(result.fitting) == {INITIATIEVENFONDS, FLEXBUDGET}


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"started": True}, "al begonnen"),
        ({"in_utrecht": False}, "gemeente Utrecht"),
        ({"for_neighbourhood": False}, "buurt of de stad"),
        ({"care": True}, "buurtteam"),
    ],
)
def test_a_general_rule_rules_out_every_scheme_and_says_why(change, words):
    """A started activity, outside Utrecht, only for yourself, or care: nothing fits."""
    result = eligibility.check(replace(STARTER, **change))
    assert not result.any_fits
    assert any(words in str(reason) for reason in result.general)
    assert all(not verdict.fits for verdict in result.verdicts)


def test_unknown_other_municipal_money_is_not_guessed_as_no():
    """Duurzaam needs a clear 'no more municipal money'; unanswered is not enough."""
    result = eligibility.check(replace(PROVEN_NETWORK, other_municipal_money=None))
    assert DUURZAAM not in result.fitting


def test_every_question_has_a_field_in_the_answers():
    """The question list and the Answers dataclass name the same keys."""
    assert set(eligibility.QUESTION_KEYS) == set(Answers.__dataclass_fields__)
