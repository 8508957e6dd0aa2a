"""The computed randvoorwaarden on both sides of each boundary; the override rule."""

import ast
import sys
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from beoordeling import preconditions
from beoordeling.preconditions import (
    CHECKS_BY_SCHEME,
    ApplicationFacts,
    CheckResult,
    Decision,
    Outcome,
    OverrideError,
    check_activity_starts_after_application,
    check_amount_within_maximum,
    check_core_activity,
    check_no_care_tasks,
    check_no_other_municipal_funding,
    check_not_a_starter,
    check_partly_paid,
    check_three_year_limit,
    check_track,
    check_track_requirements,
    check_wmo_goal,
    confirm,
    evaluate,
    final_outcome,
)

MET, NOT_MET, UNKNOWN = Outcome.MET, Outcome.NOT_MET, Outcome.UNKNOWN
TODAY = date(2026, 6, 1)
MAX = 2_000_000  # EUR 20,000: the initiatievenfonds maximum per initiative per year

BASE = {
    "initiatievenfonds": ApplicationFacts(
        scheme="initiatievenfonds",
        today=TODAY,
        requested_cents=500_000,
        scheme_max_cents=MAX,
        activity_start=date(2026, 7, 1),
        fully_volunteer=False,
        initiatievenfonds_years_funded=1,
    ),
    "duurzaam": ApplicationFacts(
        scheme="duurzaam",
        today=TODAY,
        requested_cents=1_500_000,
        scheme_max_cents=3_500_000,
        activity_start=date(2026, 9, 1),
        fully_volunteer=False,
        years_active=5,
        other_municipal_funding_available=False,
        wmo_goals=frozenset({"prettig_samenleven"}),
        core_activities=frozenset({"bewonersbuurtnetwerk"}),
    ),
    "flexbudget": ApplicationFacts(
        scheme="flexbudget",
        today=TODAY,
        requested_cents=100_000,
        scheme_max_cents=150_000,
        activity_start=date(2026, 6, 15),
        track="A",
        sm_tasks=frozenset({"verbinden"}),
        no_care_tasks_declared=True,
    ),
}


def facts(base="initiatievenfonds", **changes):
    """The base facts of a scheme with some of them changed."""
    return replace(BASE[base], **changes)


# --- the registry -----------------------------------------------------------------


@pytest.mark.parametrize("scheme", sorted(BASE))
def test_a_complete_application_meets_every_hard_check(scheme):
    """The base facts of each scheme meet every check."""
    evaluation = evaluate(BASE[scheme])
    assert evaluation.all_hard_met is True
    assert [r.outcome for r in evaluation.results] == [MET] * len(evaluation.results)


def test_each_scheme_runs_its_own_checks():
    """The registry lists the checks of domain brief §2.5 per scheme."""
    codes = {
        scheme: tuple(check(BASE[scheme]).code for check in checks)
        for scheme, checks in CHECKS_BY_SCHEME.items()
    }
    assert codes == {
        "initiatievenfonds": (
            "start_na_aanvraag",
            "bedrag_binnen_maximum",
            "drie_jaar_grens",
        ),
        "duurzaam": (
            "start_na_aanvraag",
            "bedrag_binnen_maximum",
            "wmo_doel",
            "kernactiviteit",
            "geen_starter",
            "geen_andere_gemeentelijke_bron",
            "hybride",
        ),
        "flexbudget": (
            "start_na_aanvraag",
            "bedrag_binnen_maximum",
            "spoor",
            "spoor_voorwaarden",
            "geen_zorgtaken",
        ),
    }


def test_unknown_scheme_is_refused():
    """Evaluating facts of a scheme without checks is an error."""
    with pytest.raises(ValueError, match="Onbekende regeling: subsidie-x"):
        evaluate(facts(scheme="subsidie-x"))


def test_one_failed_hard_check_fails_the_evaluation():
    """all_hard_met is False as soon as one hard check is not met."""
    evaluation = evaluate(facts(activity_start=TODAY, fully_volunteer=None))
    assert evaluation.all_hard_met is False
    assert [r.code for r in evaluation.not_met] == ["start_na_aanvraag"]


def test_unknown_facts_leave_the_evaluation_open():
    """all_hard_met is None when nothing failed but something is unknown."""
    evaluation = evaluate(facts(activity_start=None))
    assert evaluation.all_hard_met is None
    assert [r.code for r in evaluation.unknown] == ["start_na_aanvraag"]


def test_unknown_and_failed_together_is_a_failure():
    """A failed hard check outweighs an unknown one."""
    evaluation = evaluate(
        facts("flexbudget", activity_start=None, no_care_tasks_declared=False)
    )
    assert evaluation.all_hard_met is False


def test_every_reason_is_a_dutch_sentence():
    """Each result has a label and a reason ending in a full stop."""
    variants = [
        BASE["initiatievenfonds"],
        facts(
            activity_start=None, fully_volunteer=None, initiatievenfonds_years_funded=3
        ),
        facts("duurzaam", years_active=None, wmo_goals=frozenset(), track=None),
        facts("flexbudget", track="B", partners_count=0, requested_cents=MAX),
    ]
    for variant in variants:
        for result in evaluate(variant).results:
            assert result.label and result.reason.endswith(".")


# --- start after the application -------------------------------------------------


@pytest.mark.parametrize(
    ("start", "outcome"),
    [
        (TODAY - timedelta(days=1), NOT_MET),
        (TODAY, NOT_MET),
        (TODAY + timedelta(days=1), MET),
        (None, UNKNOWN),
    ],
)
def test_activity_must_start_strictly_after_the_application(start, outcome):
    """Starting today is too late; tomorrow is fine; no date is unknown."""
    result = check_activity_starts_after_application(facts(activity_start=start))
    assert result.outcome is outcome
    assert result.hard


def test_start_reason_names_both_dates_in_dutch():
    """The reason gives the dates written out in Dutch."""
    result = check_activity_starts_after_application(facts(activity_start=TODAY))
    assert "1 juni 2026" in result.reason
    assert "voordat de activiteit begint" in result.reason


# --- the maximum ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("requested", "outcome"), [(MAX - 1, MET), (MAX, MET), (MAX + 1, NOT_MET)]
)
def test_amount_may_equal_the_maximum_but_not_exceed_it(requested, outcome):
    """The maximum itself is allowed; one cent more is not."""
    result = check_amount_within_maximum(facts(requested_cents=requested))
    assert result.outcome is outcome


def test_amount_above_the_maximum_is_a_warning_not_a_refusal():
    """A higher request is capped at the maximum, so it does not fail the evaluation."""
    evaluation = evaluate(facts(requested_cents=MAX + 1))
    assert evaluation.all_hard_met is True
    assert [r.code for r in evaluation.warnings] == ["bedrag_binnen_maximum"]
    assert "ten hoogste € 20.000,00" in evaluation.warnings[0].reason


# --- initiatievenfonds: three years -----------------------------------------------


@pytest.mark.parametrize(
    ("volunteer", "years", "outcome"),
    [
        (False, 0, MET),
        (False, 2, MET),
        (False, 3, NOT_MET),
        (False, 4, NOT_MET),
        (True, 3, MET),
        (True, 10, MET),
        (None, 2, MET),
        (None, 3, UNKNOWN),
    ],
)
def test_three_year_limit_for_initiatives_with_paid_staff(volunteer, years, outcome):
    """Not fully volunteer and 3 or more funded years blocks; volunteers never."""
    result = check_three_year_limit(
        facts(fully_volunteer=volunteer, initiatievenfonds_years_funded=years)
    )
    assert result.outcome is outcome


def test_three_year_reason_points_to_duurzaam():
    """The refusal names the follow-on route."""
    result = check_three_year_limit(facts(initiatievenfonds_years_funded=3))
    assert "duurzaam bewonersinitiatief Wmo" in result.reason


# --- duurzaam ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("years", "outcome"),
    [(0, NOT_MET), (2, NOT_MET), (3, MET), (7, MET), (None, UNKNOWN)],
)
def test_duurzaam_is_not_for_starters(years, outcome):
    """At least 3 years active by default."""
    result = check_not_a_starter(facts("duurzaam", years_active=years))
    assert result.outcome is outcome


@pytest.mark.parametrize(("years", "outcome"), [(3, NOT_MET), (4, MET)])
def test_minimum_years_is_configurable(years, outcome):
    """With a minimum of 4 years, 3 is too few and 4 is enough."""
    result = check_not_a_starter(
        facts("duurzaam", years_active=years, min_years_active=4)
    )
    assert result.outcome is outcome
    assert "4 jaar" in result.reason


@pytest.mark.parametrize(
    ("available", "outcome"), [(True, NOT_MET), (False, MET), (None, UNKNOWN)]
)
def test_duurzaam_only_when_no_other_municipal_funding_is_left(available, outcome):
    """An initiative that can still use the initiatievenfonds does not qualify."""
    result = check_no_other_municipal_funding(
        facts("duurzaam", other_municipal_funding_available=available)
    )
    assert result.outcome is outcome


@pytest.mark.parametrize(
    ("goals", "outcome"),
    [
        (None, UNKNOWN),
        (frozenset(), NOT_MET),
        (frozenset({"sport"}), NOT_MET),
        (frozenset({"meedoen_kwetsbaren"}), MET),
        (frozenset({"prettig_samenleven", "meedoen_kwetsbaren"}), MET),
    ],
)
def test_d1_needs_at_least_one_wmo_goal(goals, outcome):
    """At least one of the two Wmo goals for the sociale basis."""
    result = check_wmo_goal(facts("duurzaam", wmo_goals=goals))
    assert result.outcome is outcome


@pytest.mark.parametrize(
    ("activities", "outcome"),
    [
        (None, UNKNOWN),
        (frozenset(), NOT_MET),
        (frozenset({"moestuin"}), NOT_MET),
        (frozenset({"bewonersinformatievoorziening"}), MET),
    ],
)
def test_d2_needs_a_network_or_information_activity(activities, outcome):
    """A buurtnetwerk or information provision is required."""
    result = check_core_activity(facts("duurzaam", core_activities=activities))
    assert result.outcome is outcome


def test_d2_refusal_points_to_other_schemes():
    """Without a core activity the applicant is pointed elsewhere."""
    result = check_core_activity(facts("duurzaam", core_activities=frozenset()))
    assert "initiatievenfonds of het flexbudget" in result.reason


@pytest.mark.parametrize(
    ("volunteer", "outcome"), [(True, NOT_MET), (False, MET), (None, UNKNOWN)]
)
def test_fully_volunteer_initiative_is_only_a_warning(volunteer, outcome):
    """A fully volunteer-run initiative is warned about, not refused."""
    result = check_partly_paid(facts("duurzaam", fully_volunteer=volunteer))
    assert result.outcome is outcome
    assert not result.hard


# --- flexbudget -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("track", "outcome"),
    [
        ("A", MET),
        ("B", MET),
        ("b", MET),
        ("C", NOT_MET),
        (None, UNKNOWN),
        ("", UNKNOWN),
    ],
)
def test_flexbudget_track_is_a_or_b(track, outcome):
    """Only tracks A and B exist; no track is unknown."""
    assert check_track(facts("flexbudget", track=track)).outcome is outcome


@pytest.mark.parametrize(
    ("changes", "outcome"),
    [
        ({"track": "A", "sm_tasks": frozenset()}, NOT_MET),
        ({"track": "A", "sm_tasks": frozenset({"signaleren"})}, MET),
        ({"track": "A", "sm_tasks": None}, UNKNOWN),
        ({"track": "B", "partners_count": 0}, NOT_MET),
        ({"track": "B", "partners_count": 1}, MET),
        ({"track": "B", "partners_count": None}, UNKNOWN),
        ({"track": None}, UNKNOWN),
        ({"track": "C"}, UNKNOWN),
    ],
)
def test_track_a_needs_a_task_and_track_b_a_partner(changes, outcome):
    """Track A names an SM task it takes over; track B names a partner."""
    result = check_track_requirements(facts("flexbudget", **changes))
    assert result.outcome is outcome


@pytest.mark.parametrize(
    ("declared", "outcome"), [(True, MET), (False, NOT_MET), (None, UNKNOWN)]
)
def test_flexbudget_needs_the_no_care_tasks_declaration(declared, outcome):
    """Without the declaration the check is not met."""
    result = check_no_care_tasks(facts("flexbudget", no_care_tasks_declared=declared))
    assert result.outcome is outcome


# --- the facts --------------------------------------------------------------------


def test_a_moment_counts_as_its_calendar_day():
    """A submission datetime is compared by its date."""
    given = facts(today=datetime(2026, 6, 1, 23, 59), activity_start=TODAY)
    assert given.today == TODAY
    assert check_activity_starts_after_application(given).outcome is NOT_MET


def test_facts_turn_lists_into_frozensets():
    """Sets may be given as lists; they are stored frozen."""
    given = facts("duurzaam", wmo_goals=["prettig_samenleven"])
    assert given.wmo_goals == frozenset({"prettig_samenleven"})


@pytest.mark.parametrize(
    "changes",
    [
        {"requested_cents": -1},
        {"scheme_max_cents": 0},
        {"years_active": -1},
        {"initiatievenfonds_years_funded": -1},
        {"wmo_goals": "prettig_samenleven"},
        {"scheme": ""},
    ],
)
def test_impossible_facts_are_refused(changes):
    """Negative numbers, a missing scheme or a bare string for a set are errors."""
    with pytest.raises(ValueError):
        facts(**changes)


# --- the override rule ------------------------------------------------------------


def proposal(outcome, hard=True):
    return CheckResult(
        "drie_jaar_grens", "Grens van 3 jaar", outcome, "Berekend.", hard
    )


@pytest.mark.parametrize("outcome", [MET, NOT_MET])
def test_confirming_the_proposal_needs_no_motivation(outcome):
    """Agreeing with the computed outcome is accepted without words."""
    decision = confirm(proposal(outcome), outcome=outcome)
    assert decision.confirmed is outcome
    assert not decision.overridden
    assert decision.reason == "Berekend."


@pytest.mark.parametrize(("proposed", "chosen"), [(MET, NOT_MET), (NOT_MET, MET)])
@pytest.mark.parametrize("motivation", ["", "   "])
def test_override_without_motivation_raises(proposed, chosen, motivation):
    """A different outcome without a (non-blank) motivation is refused in Dutch."""
    with pytest.raises(OverrideError, match="Schrijf op waarom u afwijkt"):
        confirm(proposal(proposed), outcome=chosen, motivation=motivation)


def test_override_with_motivation_is_accepted():
    """A different outcome with a motivation is accepted and recorded."""
    decision = confirm(
        proposal(NOT_MET),
        outcome=MET,
        motivation="  Wijkkrant: uitzondering op de grens van 3 jaar.  ",
    )
    assert decision.confirmed is MET
    assert decision.proposed is NOT_MET
    assert decision.overridden
    assert decision.motivation == "Wijkkrant: uitzondering op de grens van 3 jaar."
    assert decision.reason == decision.motivation


@pytest.mark.parametrize("chosen", [NOT_MET, MET])
def test_resolving_an_unknown_needs_a_motivation(chosen):
    """An unknown proposal can only be decided with a motivation."""
    with pytest.raises(OverrideError, match="kon de uitkomst niet worden berekend"):
        confirm(proposal(UNKNOWN), outcome=chosen)
    decision = confirm(proposal(UNKNOWN), outcome=chosen, motivation="Nagevraagd.")
    assert decision.confirmed is chosen


def test_unknown_cannot_be_confirmed():
    """The assessor must choose met or not met."""
    with pytest.raises(OverrideError, match="voldaan of niet voldaan"):
        confirm(proposal(UNKNOWN), outcome=UNKNOWN, motivation="Weet ik niet.")


def test_outcome_may_be_given_as_its_stored_value():
    """Form values such as 'voldaan' are accepted."""
    assert confirm(proposal(MET), outcome="voldaan").confirmed is MET


def test_the_rule_holds_for_decisions_made_directly():
    """A Decision built without confirm() obeys the same rule."""
    with pytest.raises(OverrideError):
        Decision("drie_jaar_grens", proposed=NOT_MET, confirmed=MET, motivation="")


def test_override_errors_are_value_errors():
    """Callers can catch override errors as ValueError."""
    assert issubclass(OverrideError, ValueError)


# --- the final outcome ------------------------------------------------------------


def decide_all(evaluation):
    return [confirm(r, outcome=r.outcome) for r in evaluation.results]


def test_final_outcome_is_true_when_every_hard_check_is_met():
    """All hard checks confirmed met: the application may be accepted."""
    evaluation = evaluate(BASE["duurzaam"])
    assert final_outcome(decide_all(evaluation), evaluation=evaluation) is True


def test_final_outcome_is_false_when_a_hard_check_is_not_met():
    """One hard check confirmed not met: refusal."""
    evaluation = evaluate(facts("duurzaam", years_active=2))
    assert final_outcome(decide_all(evaluation), evaluation=evaluation) is False


def test_final_outcome_ignores_warnings():
    """A soft check not met does not decide."""
    evaluation = evaluate(
        facts("duurzaam", fully_volunteer=True, requested_cents=3_500_001)
    )
    assert len(evaluation.warnings) == 2
    assert final_outcome(decide_all(evaluation), evaluation=evaluation) is True


def test_final_outcome_follows_the_override():
    """An overridden hard check counts as the assessor confirmed it."""
    evaluation = evaluate(facts(initiatievenfonds_years_funded=3))
    decisions = [
        confirm(r, outcome=MET, motivation="Buurtkrant: uitzondering.")
        if r.code == "drie_jaar_grens"
        else confirm(r, outcome=r.outcome)
        for r in evaluation.results
    ]
    assert evaluation.all_hard_met is False
    assert final_outcome(decisions, evaluation=evaluation) is True


def test_final_outcome_needs_decisions():
    """No decisions is an error, not a pass."""
    with pytest.raises(ValueError, match="nog geen randvoorwaarden"):
        final_outcome([])


def test_final_outcome_refuses_a_check_decided_twice():
    """Each check is decided once."""
    decision = confirm(proposal(MET), outcome=MET)
    with pytest.raises(ValueError, match="meer dan één keer"):
        final_outcome([decision, decision])


def test_final_outcome_refuses_a_missing_hard_check():
    """With the evaluation given, every hard check needs a decision."""
    evaluation = evaluate(BASE["flexbudget"])
    with pytest.raises(ValueError, match="nog niet beoordeeld: geen_zorgtaken"):
        final_outcome(decide_all(evaluation)[:-1], evaluation=evaluation)


def test_final_outcome_refuses_a_stale_decision():
    """A decision on a proposal that has since changed must be made again."""
    before = evaluate(BASE["initiatievenfonds"])
    after = evaluate(facts(activity_start=TODAY))
    with pytest.raises(ValueError, match="start_na_aanvraag"):
        final_outcome(decide_all(before), evaluation=after)


def test_preconditions_import_only_the_standard_library():
    """The pure module imports no Django, Wagtail or project code."""
    tree = ast.parse(Path(preconditions.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            imported.add(node.module.split(".")[0])
        elif isinstance(node, ast.ImportFrom):
            assert node.module in ("dutch", "scoring")
    assert imported <= set(sys.stdlib_module_names)
