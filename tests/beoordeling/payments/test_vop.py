"""Verification of Payee: the account holder's name against the applicant's."""

import pytest

from beoordeling.payments import vop


@pytest.mark.parametrize(
    ("holder", "names", "outcome"),
    [
        ("Stichting Buurtkracht", ["Buurtkracht"], vop.Outcome.MATCH),
        ("STG. BUURTKRACHT", ["Stichting Buurtkracht"], vop.Outcome.MATCH),
        ("Vereniging Speeltuin Zuilen", ["Speeltuin Zuilen"], vop.Outcome.MATCH),
        ("Buurtcoöperatie Oost U.A.", ["Buurtcooperatie Oost"], vop.Outcome.MATCH),
        ("Zuilen Speeltuin", ["Speeltuin Zuilen"], vop.Outcome.MATCH),
        ("Stichting Buurtkracht Utrecht", ["Buurtkracht"], vop.Outcome.CLOSE),
        ("Buurtkrachtt", ["Buurtkracht"], vop.Outcome.CLOSE),
        ("J. de Vries", ["Bewonersgroep Zuilen", "Jan de Vries"], vop.Outcome.CLOSE),
        ("Autobedrijf Snel", ["Stichting Buurtkracht"], vop.Outcome.NO_MATCH),
        ("", ["Stichting Buurtkracht"], vop.Outcome.MISSING),
    ],
)
def test_names_match_after_normalising_case_punctuation_and_legal_forms(
    holder, names, outcome
):
    assert vop.compare(holder, names).outcome is outcome


def test_the_penvoerder_counts_as_a_payee():
    check = vop.compare("Stichting Wijkwerk", ["Bewonersgroep Plein", "Wijkwerk"])
    assert check.outcome is vop.Outcome.MATCH
    assert check.compared_with == "Wijkwerk"
