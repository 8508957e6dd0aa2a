"""Randvoorwaarden: the checks a computer can make, and the assessor's confirmation.

Concept
    Before the impact is scored, an application must meet the randvoorwaarden of its
    scheme (domain brief §2.1-§2.5). This module computes a proposed outcome for each
    check from the facts of the application (``ApplicationFacts``); the assessor then
    confirms every outcome or overrides it with a motivation (``confirm``). Only the
    confirmed outcomes decide (``final_outcome``).

Outcomes
    ``MET`` (voldaan), ``NOT_MET`` (niet voldaan) or ``UNKNOWN`` (onbekend: a fact the
    check needs is missing, written as ``None`` in the facts; the assessor finds out).
    A hard check (``hard=True``) that is not met is a ground for refusal. A soft check
    (``hard=False``) is a warning for the assessor and never rejects on its own.

The checks per scheme (``CHECKS_BY_SCHEME``)
    All schemes:
      * start_na_aanvraag (hard): the activity starts strictly after the date of the
        application (``today``); the same day is too late.
      * bedrag_binnen_maximum (soft): the requested amount is at most the scheme
        maximum (the initiatievenfonds: EUR 20,000 per initiative per year). Soft,
        because a higher request is not refused: the award is capped at the maximum
        (``scoring.propose_amount`` uses min(requested, maximum)).
    initiatievenfonds:
      * drie_jaar_grens (hard): an initiative that does not run fully on volunteers
        gets no more money after 3 years (000:985-987): not met when it is not fully
        volunteer-run and the fund paid in 3 or more earlier years. Fully volunteer
        initiatives have no limit. Exceptions (wijkkranten, yearly events, ...) go
        through the assessor's override.
    duurzaam (D1, D2, D4):
      * wmo_doel (hard, D1): at least one of the Wmo goals in ``WMO_GOALS``.
      * kernactiviteit (hard, D2): at least one core activity in ``CORE_ACTIVITIES``.
      * geen_starter (hard, D4): active for at least ``min_years_active`` years
        (default 3, set per scheme).
      * geen_andere_gemeentelijke_bron (hard, D4): it can no longer use the
        initiatievenfonds or another municipal source.
      * hybride (soft, §2.5): a fully volunteer-run initiative can probably still use
        the initiatievenfonds.
    flexbudget (F1, F6):
      * spoor (hard): track A or B is chosen.
      * spoor_voorwaarden (hard): track A names at least one sociaal makelaar task it
        takes over; track B names at least one partner.
      * geen_zorgtaken (hard): the applicant declares it carries out no care or
        treatment tasks (002:586-592).

Override rule
    The assessor confirms every check as MET or NOT_MET (never UNKNOWN). A confirmed
    outcome that differs from the proposed one, which includes every UNKNOWN proposal,
    needs a written motivation; otherwise ``OverrideError``. The rule sits in
    ``Decision`` itself, so no decision exists without it.

Every reason is one or two plain Dutch (B1) sentences that can go into the letter.
Pure: standard library only, frozen dataclasses in and out, money in integer cents.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType

from .dutch import format_date, format_euro

__all__ = [
    "CHECKS_BY_SCHEME",
    "CORE_ACTIVITIES",
    "DEFAULT_MIN_YEARS_ACTIVE",
    "TRACKS",
    "VOLUNTEER_LIMIT_YEARS",
    "WMO_GOALS",
    "ApplicationFacts",
    "CheckResult",
    "Decision",
    "Evaluation",
    "Outcome",
    "OverrideError",
    "check_activity_starts_after_application",
    "check_amount_within_maximum",
    "check_core_activity",
    "check_no_care_tasks",
    "check_no_other_municipal_funding",
    "check_not_a_starter",
    "check_partly_paid",
    "check_three_year_limit",
    "check_track",
    "check_track_requirements",
    "check_wmo_goal",
    "confirm",
    "evaluate",
    "final_outcome",
]

#: Duurzaam D4: the default number of years an initiative must exist (configurable).
DEFAULT_MIN_YEARS_ACTIVE = 3
#: Initiatievenfonds: funded years after which non-volunteer initiatives stop.
VOLUNTEER_LIMIT_YEARS = 3

#: Duurzaam D1: the Wmo goals for the sociale basis (code -> words for the letter).
WMO_GOALS: Mapping[str, str] = MappingProxyType(
    {
        "prettig_samenleven": "prettig samenleven in buurt en wijk",
        "meedoen_kwetsbaren": "meedoen van mensen in een kwetsbare situatie",
    }
)
#: Duurzaam D2: the core activities (code -> words for the letter).
CORE_ACTIVITIES: Mapping[str, str] = MappingProxyType(
    {
        "bewonersbuurtnetwerk": "een bewonersbuurtnetwerk",
        "bewonersinformatievoorziening": "bewonersinformatievoorziening in de buurt",
    }
)
#: Flexbudget F1: A = part of the sociaal makelaarschap, B = innovation with partners.
TRACKS: Mapping[str, str] = MappingProxyType(
    {
        "A": "spoor A: een deel van het werk van de sociaal makelaar zelf doen",
        "B": "spoor B: een vernieuwende activiteit samen met partners",
    }
)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class Outcome(StrEnum):
    """The outcome of one check; the values are stored."""

    MET = "voldaan"
    NOT_MET = "niet_voldaan"
    UNKNOWN = "onbekend"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


@dataclass(frozen=True)
class CheckResult:
    """The proposed outcome of one check, with its reason for the letter."""

    code: str
    label: str
    outcome: Outcome
    reason: str
    hard: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "outcome", Outcome(self.outcome))
        for name in ("code", "label", "reason"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"Een uitkomst van een controle heeft een {name}.")


# --- the facts --------------------------------------------------------------------


def _frozen(value: Iterable[str] | None) -> frozenset[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        raise ValueError("Geef een verzameling codes op, geen losse tekst.")
    return frozenset(value)


@dataclass(frozen=True)
class ApplicationFacts:
    """What the checks need to know about one application.

    ``None`` means "not known"; the check that needs it says UNKNOWN. For the sets,
    ``None`` is "not answered" and an empty set is "answered: none".
    ``today`` is the date the application was submitted (or today, for a draft).
    The scheme parameters (``scheme_max_cents``, ``min_years_active``) come from the
    scheme's configuration.
    """

    scheme: str
    today: date
    requested_cents: int
    scheme_max_cents: int
    activity_start: date | None = None
    # initiatievenfonds
    fully_volunteer: bool | None = None
    initiatievenfonds_years_funded: int = 0
    # duurzaam
    years_active: int | None = None
    min_years_active: int = DEFAULT_MIN_YEARS_ACTIVE
    other_municipal_funding_available: bool | None = None
    wmo_goals: frozenset[str] | None = None
    core_activities: frozenset[str] | None = None
    # flexbudget
    track: str | None = None
    sm_tasks: frozenset[str] | None = None
    partners_count: int | None = None
    no_care_tasks_declared: bool | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.scheme, str) or not self.scheme.strip():
            raise ValueError("Geef de regeling op.")
        if not isinstance(self.today, date):
            raise ValueError("Geef de datum van de aanvraag op.")
        if self.activity_start is not None and not isinstance(
            self.activity_start, date
        ):
            raise ValueError("De startdatum van de activiteit is een datum.")
        # A moment counts as its calendar day: comparing a datetime with a date fails.
        for name in ("today", "activity_start"):
            value = getattr(self, name)
            if isinstance(value, datetime):
                object.__setattr__(self, name, value.date())
        for name in ("requested_cents", "initiatievenfonds_years_funded"):
            value = getattr(self, name)
            if not _is_int(value) or value < 0:
                raise ValueError(f"{name} is een heel getal, 0 of meer.")
        if not _is_int(self.scheme_max_cents) or self.scheme_max_cents <= 0:
            raise ValueError("Het maximum van de regeling is meer dan 0 cent.")
        if not _is_int(self.min_years_active) or self.min_years_active < 0:
            raise ValueError("Het minimale aantal jaren is een heel getal, 0 of meer.")
        for name in ("years_active", "partners_count"):
            value = getattr(self, name)
            if value is not None and (not _is_int(value) or value < 0):
                raise ValueError(f"{name} is een heel getal, 0 of meer.")
        for name in ("wmo_goals", "core_activities", "sm_tasks"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))
        track = self.track.strip().upper() if isinstance(self.track, str) else None
        object.__setattr__(self, "track", track or None)


# --- the checks -------------------------------------------------------------------

Check = Callable[[ApplicationFacts], CheckResult]


def _maker(
    code: str, label: str, *, hard: bool = True
) -> Callable[[Outcome, str], CheckResult]:
    """A function that builds the results of one check."""

    def result(outcome: Outcome, reason: str) -> CheckResult:
        return CheckResult(code, label, outcome, reason, hard)

    return result


def check_activity_starts_after_application(facts: ApplicationFacts) -> CheckResult:
    """Hard, all schemes: the activity starts strictly after the application date."""
    result = _maker("start_na_aanvraag", "De activiteit begint na de aanvraag")
    applied = format_date(facts.today)
    if facts.activity_start is None:
        return result(
            Outcome.UNKNOWN,
            "De startdatum van de activiteit is niet bekend. Daarom weten wij nog "
            "niet of de activiteit na de aanvraag begint.",
        )
    start = format_date(facts.activity_start)
    if facts.activity_start > facts.today:
        return result(
            Outcome.MET,
            f"De activiteit begint op {start}. Dat is na de datum van de aanvraag "
            f"({applied}).",
        )
    return result(
        Outcome.NOT_MET,
        f"De activiteit begint op {start}. Dat is niet na de datum van de aanvraag "
        f"({applied}). Subsidie moet u aanvragen voordat de activiteit begint.",
    )


def check_amount_within_maximum(facts: ApplicationFacts) -> CheckResult:
    """Soft, all schemes: the requested amount is at most the scheme maximum."""
    result = _maker(
        "bedrag_binnen_maximum",
        "Het gevraagde bedrag past binnen het maximum",
        hard=False,
    )
    requested = format_euro(facts.requested_cents)
    maximum = format_euro(facts.scheme_max_cents)
    if facts.requested_cents <= facts.scheme_max_cents:
        return result(
            Outcome.MET,
            f"Het gevraagde bedrag ({requested}) is niet hoger dan het maximum van de "
            f"regeling ({maximum}).",
        )
    return result(
        Outcome.NOT_MET,
        f"Het gevraagde bedrag ({requested}) is hoger dan het maximum van de "
        f"regeling ({maximum}). Wij kunnen ten hoogste {maximum} toekennen.",
    )


def check_three_year_limit(facts: ApplicationFacts) -> CheckResult:
    """Hard, initiatievenfonds: no money after 3 years unless fully volunteer-run."""
    result = _maker(
        "drie_jaar_grens", "Grens van 3 jaar voor initiatieven met betaalde inzet"
    )
    years = facts.initiatievenfonds_years_funded
    funded = (
        f"Het initiatief kreeg al {years} jaar geld uit het initiatievenfonds."
        if years
        else "Het initiatief kreeg nog niet eerder geld uit het initiatievenfonds."
    )
    if facts.fully_volunteer is True:
        return result(
            Outcome.MET,
            "Het initiatief draait volledig op vrijwilligers. Dan geldt de grens van "
            f"{VOLUNTEER_LIMIT_YEARS} jaar niet.",
        )
    if years < VOLUNTEER_LIMIT_YEARS:
        return result(
            Outcome.MET,
            f"{funded} Dat is minder dan {VOLUNTEER_LIMIT_YEARS} jaar, dus de grens "
            "is nog niet bereikt.",
        )
    if facts.fully_volunteer is None:
        return result(
            Outcome.UNKNOWN,
            f"{funded} Wij weten niet of het initiatief volledig op vrijwilligers "
            f"draait. Alleen dan kan het na {VOLUNTEER_LIMIT_YEARS} jaar nog geld "
            "krijgen.",
        )
    return result(
        Outcome.NOT_MET,
        f"{funded} Het initiatief werkt ook met betaalde krachten. Voor zo'n "
        f"initiatief stopt het geld uit het initiatievenfonds na "
        f"{VOLUNTEER_LIMIT_YEARS} jaar. Misschien past het initiatief bij het budget "
        "duurzaam bewonersinitiatief Wmo of bij een andere regeling.",
    )


def _named(codes: frozenset[str], names: Mapping[str, str]) -> list[str]:
    return [names[c] for c in sorted(codes) if c in names]


def check_wmo_goal(facts: ApplicationFacts) -> CheckResult:
    """Hard, duurzaam D1: the initiative serves at least one Wmo goal."""
    result = _maker("wmo_doel", "Draagt bij aan een Wmo-doel voor de sociale basis")
    if facts.wmo_goals is None:
        return result(
            Outcome.UNKNOWN,
            "Wij weten niet aan welk Wmo-doel het initiatief bijdraagt.",
        )
    goals = _named(facts.wmo_goals, WMO_GOALS)
    if goals:
        return result(
            Outcome.MET,
            f"Het initiatief draagt bij aan dit Wmo-doel: {' en '.join(goals)}.",
        )
    return result(
        Outcome.NOT_MET,
        "Het initiatief draagt niet bij aan een van de Wmo-doelen voor de sociale "
        "basis: prettig samenleven in buurt en wijk, of meedoen van mensen in een "
        "kwetsbare situatie.",
    )


def check_core_activity(facts: ApplicationFacts) -> CheckResult:
    """Hard, duurzaam D2: it strengthens a buurtnetwerk or information provision."""
    result = _maker(
        "kernactiviteit",
        "Versterkt een buurtnetwerk of de informatievoorziening in de buurt",
    )
    if facts.core_activities is None:
        return result(
            Outcome.UNKNOWN,
            "Wij weten niet wat de kernactiviteit van het initiatief is.",
        )
    activities = _named(facts.core_activities, CORE_ACTIVITIES)
    if activities:
        return result(
            Outcome.MET,
            f"Het initiatief versterkt {' en '.join(activities)}.",
        )
    return result(
        Outcome.NOT_MET,
        "Het initiatief versterkt geen bewonersbuurtnetwerk en geen "
        "bewonersinformatievoorziening in de buurt. Dit budget is alleen daarvoor. "
        "Misschien past het initiatievenfonds of het flexbudget beter.",
    )


def check_not_a_starter(facts: ApplicationFacts) -> CheckResult:
    """Hard, duurzaam D4: active for at least ``min_years_active`` years."""
    result = _maker("geen_starter", "Het initiatief bestaat lang genoeg")
    minimum = facts.min_years_active
    if facts.years_active is None:
        return result(
            Outcome.UNKNOWN,
            "Wij weten niet hoe lang het initiatief al bestaat.",
        )
    if facts.years_active >= minimum:
        return result(
            Outcome.MET,
            f"Het initiatief bestaat {facts.years_active} jaar. Dat is minstens "
            f"{minimum} jaar, dus het is geen startend initiatief.",
        )
    return result(
        Outcome.NOT_MET,
        f"Het initiatief bestaat {facts.years_active} jaar. Dit budget is voor "
        f"initiatieven die minstens {minimum} jaar bestaan en zich hebben bewezen. "
        "Een startend initiatief kan geld aanvragen bij het initiatievenfonds.",
    )


def check_no_other_municipal_funding(facts: ApplicationFacts) -> CheckResult:
    """Hard, duurzaam D4: no initiatievenfonds or other municipal source left."""
    result = _maker(
        "geen_andere_gemeentelijke_bron",
        "Geen andere gemeentelijke regeling meer mogelijk",
    )
    available = facts.other_municipal_funding_available
    if available is None:
        return result(
            Outcome.UNKNOWN,
            "Wij weten niet of het initiatief nog geld kan krijgen uit het "
            "initiatievenfonds of een andere regeling van de gemeente.",
        )
    if available:
        return result(
            Outcome.NOT_MET,
            "Het initiatief kan nog geld krijgen uit het initiatievenfonds of een "
            "andere regeling van de gemeente. Dit budget is alleen voor initiatieven "
            "waarvoor dat niet meer kan.",
        )
    return result(
        Outcome.MET,
        "Het initiatief kan geen geld (meer) krijgen uit het initiatievenfonds of een "
        "andere regeling van de gemeente.",
    )


def check_partly_paid(facts: ApplicationFacts) -> CheckResult:
    """Soft, duurzaam: a fully volunteer-run initiative may still use the fund."""
    result = _maker("hybride", "Deels betaalde inzet (hybride initiatief)", hard=False)
    if facts.fully_volunteer is None:
        return result(
            Outcome.UNKNOWN,
            "Wij weten niet of het initiatief ook met betaalde krachten werkt.",
        )
    if facts.fully_volunteer:
        return result(
            Outcome.NOT_MET,
            "Het initiatief draait volledig op vrijwilligers. Dan kan het "
            "waarschijnlijk nog geld krijgen uit het initiatievenfonds. Dit budget is "
            "vooral voor initiatieven die deels met betaalde krachten werken.",
        )
    return result(
        Outcome.MET,
        "Het initiatief werkt deels met betaalde krachten en deels met vrijwilligers.",
    )


def check_track(facts: ApplicationFacts) -> CheckResult:
    """Hard, flexbudget F1: track A or B is chosen."""
    result = _maker("spoor", "Spoor A of B is gekozen")
    if facts.track is None:
        return result(
            Outcome.UNKNOWN,
            "Wij weten niet voor welk spoor van het flexbudget de aanvraag is.",
        )
    if facts.track in TRACKS:
        return result(
            Outcome.MET,
            f"De aanvraag is voor {TRACKS[facts.track]}.",
        )
    return result(
        Outcome.NOT_MET,
        "Het flexbudget heeft twee sporen: A (een deel van het werk van de sociaal "
        "makelaar zelf doen) en B (een vernieuwende activiteit samen met partners). "
        "De aanvraag past in geen van beide.",
    )


def check_track_requirements(facts: ApplicationFacts) -> CheckResult:
    """Hard, flexbudget F1: track A names an SM task, track B names a partner."""
    result = _maker("spoor_voorwaarden", "Voldoet aan de voorwaarde van het spoor")
    if facts.track == "A":
        if facts.sm_tasks is None:
            return result(
                Outcome.UNKNOWN,
                "Wij weten niet welke taken van de sociaal makelaar het initiatief "
                "zelf gaat doen.",
            )
        if facts.sm_tasks:
            tasks = _count(len(facts.sm_tasks), "taak", "taken")
            return result(
                Outcome.MET,
                f"De aanvraag noemt {tasks} van de sociaal makelaar die het "
                "initiatief zelf gaat doen.",
            )
        return result(
            Outcome.NOT_MET,
            "Bij spoor A doet het initiatief zelf een deel van het werk van de "
            "sociaal makelaar. De aanvraag noemt geen taak van de sociaal makelaar.",
        )
    if facts.track == "B":
        if facts.partners_count is None:
            return result(
                Outcome.UNKNOWN,
                "Wij weten niet met welke partners het initiatief samenwerkt.",
            )
        if facts.partners_count >= 1:
            partners = _count(facts.partners_count, "partner", "partners")
            return result(
                Outcome.MET,
                f"De aanvraag noemt {partners} om mee samen te werken.",
            )
        return result(
            Outcome.NOT_MET,
            "Bij spoor B werkt het initiatief samen met partners. De aanvraag noemt "
            "geen partner.",
        )
    return result(
        Outcome.UNKNOWN,
        "Deze voorwaarde hangt af van het spoor. Het spoor is niet bekend of niet "
        "geldig.",
    )


def check_no_care_tasks(facts: ApplicationFacts) -> CheckResult:
    """Hard, flexbudget F6: the applicant declares it does no care tasks."""
    result = _maker("geen_zorgtaken", "Geen zorgtaken of behandeling")
    declared = facts.no_care_tasks_declared
    if declared is None:
        return result(
            Outcome.UNKNOWN,
            "Wij weten niet of het initiatief zorgtaken of behandeling uitvoert.",
        )
    if declared:
        return result(
            Outcome.MET,
            "De aanvrager verklaart dat het initiatief geen zorgtaken en geen "
            "behandeling uitvoert.",
        )
    return result(
        Outcome.NOT_MET,
        "De aanvrager heeft niet verklaard dat het initiatief geen zorgtaken of "
        "behandeling uitvoert. Zorg en behandeling horen bij het buurtteam en andere "
        "zorgaanbieders, niet bij het flexbudget.",
    )


#: The checks per scheme slug, in the order they are shown and printed.
CHECKS_BY_SCHEME: Mapping[str, tuple[Check, ...]] = MappingProxyType(
    {
        "initiatievenfonds": (
            check_activity_starts_after_application,
            check_amount_within_maximum,
            check_three_year_limit,
        ),
        "duurzaam": (
            check_activity_starts_after_application,
            check_amount_within_maximum,
            check_wmo_goal,
            check_core_activity,
            check_not_a_starter,
            check_no_other_municipal_funding,
            check_partly_paid,
        ),
        "flexbudget": (
            check_activity_starts_after_application,
            check_amount_within_maximum,
            check_track,
            check_track_requirements,
            check_no_care_tasks,
        ),
    }
)


@dataclass(frozen=True)
class Evaluation:
    """All proposed outcomes for one application.

    ``all_hard_met`` is True when every hard check is met, False when at least one
    is not met, and None when none failed but at least one is unknown.
    """

    scheme: str
    results: tuple[CheckResult, ...]
    all_hard_met: bool | None

    @property
    def hard(self) -> tuple[CheckResult, ...]:
        return tuple(r for r in self.results if r.hard)

    @property
    def not_met(self) -> tuple[CheckResult, ...]:
        """Hard checks not met: the grounds for refusal."""
        return tuple(r for r in self.hard if r.outcome is Outcome.NOT_MET)

    @property
    def unknown(self) -> tuple[CheckResult, ...]:
        return tuple(r for r in self.results if r.outcome is Outcome.UNKNOWN)

    @property
    def warnings(self) -> tuple[CheckResult, ...]:
        """Soft checks not met: for the assessor's attention only."""
        return tuple(
            r for r in self.results if not r.hard and r.outcome is Outcome.NOT_MET
        )

    def result(self, code: str) -> CheckResult:
        for result in self.results:
            if result.code == code:
                return result
        raise KeyError(code)


def _all_met(outcomes: Iterable[Outcome]) -> bool | None:
    outcomes = list(outcomes)
    if Outcome.NOT_MET in outcomes:
        return False
    if Outcome.UNKNOWN in outcomes:
        return None
    return True


def evaluate(facts: ApplicationFacts) -> Evaluation:
    """Run every check of the application's scheme."""
    try:
        checks = CHECKS_BY_SCHEME[facts.scheme]
    except KeyError:
        raise ValueError(f"Onbekende regeling: {facts.scheme}.") from None
    results = tuple(check(facts) for check in checks)
    return Evaluation(
        scheme=facts.scheme,
        results=results,
        all_hard_met=_all_met(r.outcome for r in results if r.hard),
    )


# --- the assessor's confirmation --------------------------------------------------


class OverrideError(ValueError):
    """An assessor's outcome differs from the proposal without a motivation."""


@dataclass(frozen=True)
class Decision:
    """The assessor's confirmed outcome of one check (kept in the audit log)."""

    code: str
    proposed: Outcome
    confirmed: Outcome
    motivation: str = ""
    hard: bool = True
    label: str = ""
    proposal_reason: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "proposed", Outcome(self.proposed))
        object.__setattr__(self, "confirmed", Outcome(self.confirmed))
        motivation = self.motivation.strip() if isinstance(self.motivation, str) else ""
        object.__setattr__(self, "motivation", motivation)
        name = f"‘{self.label or self.code}’"
        if self.confirmed is Outcome.UNKNOWN:
            raise OverrideError(
                f"Kies bij {name} of de randvoorwaarde is voldaan of niet voldaan."
            )
        if self.confirmed is not self.proposed and not motivation:
            if self.proposed is Outcome.UNKNOWN:
                raise OverrideError(
                    f"Bij {name} kon de uitkomst niet worden berekend. Schrijf op "
                    f"waarom u kiest voor ‘{self.confirmed.label}’."
                )
            raise OverrideError(
                f"Bij {name} kiest u ‘{self.confirmed.label}’, maar de berekende "
                f"uitkomst is ‘{self.proposed.label}’. Schrijf op waarom u afwijkt."
            )

    @property
    def overridden(self) -> bool:
        return self.confirmed is not self.proposed

    @property
    def reason(self) -> str:
        """The words for the letter: the motivation, else the computed reason."""
        return self.motivation or self.proposal_reason


def confirm(
    proposal: CheckResult, *, outcome: Outcome | str, motivation: str = ""
) -> Decision:
    """The assessor's outcome for a proposed check; see the override rule."""
    return Decision(
        code=proposal.code,
        proposed=proposal.outcome,
        confirmed=Outcome(outcome),
        motivation=motivation,
        hard=proposal.hard,
        label=proposal.label,
        proposal_reason=proposal.reason,
    )


def final_outcome(
    decisions: Iterable[Decision], *, evaluation: Evaluation | None = None
) -> bool:
    """True when every hard check is confirmed as met.

    With ``evaluation``, every hard check in it must have a decision made on the
    same proposal; a missing or stale one is an error rather than a silent pass.
    """
    decisions = tuple(decisions)
    if not decisions:
        raise ValueError("Er zijn nog geen randvoorwaarden beoordeeld.")
    codes = [d.code for d in decisions]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise ValueError(
            f"Deze randvoorwaarden zijn meer dan één keer beoordeeld: "
            f"{', '.join(duplicates)}."
        )
    if evaluation is not None:
        missing = [r.code for r in evaluation.hard if r.code not in codes]
        if missing:
            raise ValueError(
                f"Deze randvoorwaarden zijn nog niet beoordeeld: {', '.join(missing)}."
            )
        proposed = {r.code: r.outcome for r in evaluation.results}
        stale = [
            d.code for d in decisions if proposed.get(d.code, d.proposed) != d.proposed
        ]
        if stale:
            raise ValueError(
                "De berekende uitkomst is veranderd sinds de beoordeling van: "
                f"{', '.join(stale)}. Beoordeel deze randvoorwaarden opnieuw."
            )
    return all(d.confirmed is Outcome.MET for d in decisions if d.hard)
