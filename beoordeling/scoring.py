"""Impact scoring and the proposed amount: pure rules, no Django.

Concept
    Every scheme has a rubric (beoordelingsmatrix): criteria with a weight. An assessor
    gives each criterion a score on the scale 0-4 with a written motivation:
    0 = niet aangetoond, 1 = zwak, 2 = voldoende, 3 = goed, 4 = sterk.

Impact score
    ``sum(weight * score) / (4 * sum(weights)) * 100``, a ``Decimal`` rounded to two
    decimals (ROUND_HALF_UP). Every criterion of the rubric needs exactly one score;
    a score for a criterion outside the rubric is an error.

Several assessors
    Two independent assessors by default (any number from one is accepted). Per
    criterion the mean of their scores is kept; the overall impact score is computed
    from the unrounded means (the rounded means are for display only). A criterion
    where any two assessors differ by 2 or more points is a disagreement: the
    assessors must reach consensus before the assessment is complete.

Knock-outs
    A criterion marked knock-out (duurzaam C6, competition or duplication) that is
    scored 0 rejects the application. With several assessors a knock-out applies as
    soon as ANY assessor scores it 0, not only when the mean is 0. That is the
    conservative reading: one assessor's motivated finding of, for example,
    duplication with existing provision is never averaged away by another assessor's
    score, and the municipality never pays for what one of its assessors found to
    be duplication. When another assessor gave 2 or more, the split is also flagged
    as a disagreement; if consensus lifts the 0, the assessors record new scores and
    the knock-out goes with it. The motivation of the 0 is kept for the letter. A
    knock-out, like a failed hard randvoorwaarde, always leads to rejection, whatever
    the impact score.

From score to amount (``propose_amount``)
    1. A hard randvoorwaarde not met: rejected. 2. A knock-out: rejected.
    3. The impact band: the highest band whose minimum score the impact score reaches
       (default: 75 or more 100 %, 60 to 75 80 %, 50 to 60 60 %; below 50 rejected
       for insufficient impact). The score is first rounded to two decimals, so the
       band always matches the score printed in the letter (74.99 is band B).
    4. The band's percentage applies to min(requested amount, scheme maximum) and the
       result is rounded DOWN to whole euros, so the amount is a multiple of 100 cents
       and never more than min(requested, maximum). The impact determines the amount,
       never hours worked (seed 000, line ~1079): nothing here takes hours as input.
    5. If that leaves less than one euro, nothing can be awarded: rejected.

Money is in integer cents. Every proposal carries a reason code and a reason in plain
Dutch (B1) that can go into the decision letter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum
from types import MappingProxyType

from .dutch import format_euro

__all__ = [
    "DEFAULT_BANDS",
    "DISAGREEMENT_POINTS",
    "RUBRICS",
    "SCORE_MAX",
    "SCORE_MIN",
    "Aggregate",
    "Criterion",
    "CriterionResult",
    "CriterionScore",
    "ImpactBand",
    "Proposal",
    "ReasonCode",
    "Rubric",
    "RubricError",
    "ScoringError",
    "aggregate",
    "band_for",
    "bands_from_config",
    "impact_score",
    "propose_amount",
]

SCORE_MIN = 0
SCORE_MAX = 4
#: Two assessors whose scores on one criterion differ by this much or more disagree.
DISAGREEMENT_POINTS = 2

_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")


class RubricError(ValueError):
    """A rubric or an impact band is configured wrongly (an administrator's error)."""


class ScoringError(ValueError):
    """An assessor's scores cannot be used (a missing, unknown or invalid score)."""


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# --- the rubric -------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    """One criterion of a rubric, with its weight; a knock-out rejects on a 0."""

    code: str
    name: str
    weight: int
    knockout: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.code, str) or not self.code.strip():
            raise RubricError("Elk criterium heeft een code nodig.")
        if not isinstance(self.name, str) or not self.name.strip():
            raise RubricError(f"Criterium {self.code} heeft een naam nodig.")
        if not _is_int(self.weight) or self.weight <= 0:
            raise RubricError(
                f"Criterium {self.code}: het gewicht moet een geheel getal groter "
                f"dan 0 zijn (nu: {self.weight!r})."
            )


@dataclass(frozen=True)
class Rubric:
    """A versioned set of criteria; the version is kept with every assessment."""

    version: int
    criteria: tuple[Criterion, ...]

    def __post_init__(self) -> None:
        criteria = tuple(self.criteria)
        object.__setattr__(self, "criteria", criteria)
        if not _is_int(self.version) or self.version < 1:
            raise RubricError("De versie van de beoordelingsmatrix is 1 of hoger.")
        if not criteria:
            raise RubricError("Een beoordelingsmatrix heeft minstens één criterium.")
        seen: set[str] = set()
        for criterion in criteria:
            if not isinstance(criterion, Criterion):
                raise RubricError("Een beoordelingsmatrix bevat alleen criteria.")
            if criterion.code in seen:
                raise RubricError(
                    f"De code {criterion.code} komt meer dan één keer voor in de "
                    "beoordelingsmatrix."
                )
            seen.add(criterion.code)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.criteria)

    @property
    def total_weight(self) -> int:
        return sum(c.weight for c in self.criteria)

    @property
    def knockout_codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.criteria if c.knockout)

    def criterion(self, code: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.code == code:
                return criterion
        raise KeyError(code)


# --- scores -----------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionScore:
    """One assessor's score (0-4) on one criterion, with the evidence in words."""

    code: str
    score: int
    motivation: str

    def __post_init__(self) -> None:
        if not _is_int(self.score) or not SCORE_MIN <= self.score <= SCORE_MAX:
            raise ScoringError(
                f"Criterium {self.code}: de score moet een heel getal van "
                f"{SCORE_MIN} tot en met {SCORE_MAX} zijn (nu: {self.score!r})."
            )
        if not isinstance(self.motivation, str) or not self.motivation.strip():
            raise ScoringError(
                f"Criterium {self.code}: schrijf een motivering bij de score."
            )


def _index(rubric: Rubric, scores: Iterable[CriterionScore]) -> dict[str, int]:
    """Map code -> score, checking that the scores fit the rubric exactly."""
    indexed: dict[str, int] = {}
    for item in scores:
        if not isinstance(item, CriterionScore):
            raise ScoringError("Geef de scores op als CriterionScore.")
        if item.code not in rubric.codes:
            raise ScoringError(
                f"Criterium {item.code} hoort niet bij deze beoordelingsmatrix "
                f"(versie {rubric.version})."
            )
        if item.code in indexed:
            raise ScoringError(f"Criterium {item.code} heeft meer dan één score.")
        indexed[item.code] = item.score
    missing = [c for c in rubric.criteria if c.code not in indexed]
    if missing:
        names = ", ".join(f"{c.code} ({c.name})" for c in missing)
        raise ScoringError(f"Deze criteria hebben nog geen score: {names}.")
    return indexed


def _score_from_sums(rubric: Rubric, sums: Mapping[str, int], count: int) -> Decimal:
    """The impact score from per-criterion score totals over ``count`` assessors.

    Exact integer arithmetic up to the one division, so the mean of the means is
    never rounded twice.
    """
    weighted = sum(c.weight * sums[c.code] for c in rubric.criteria)
    maximum = SCORE_MAX * rubric.total_weight * count
    with localcontext() as ctx:
        ctx.prec = 50
        value = Decimal(weighted) * _HUNDRED / Decimal(maximum)
        return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def impact_score(rubric: Rubric, scores: Iterable[CriterionScore]) -> Decimal:
    """The impact score 0-100 (two decimals) of one complete set of scores."""
    return _score_from_sums(rubric, _index(rubric, scores), 1)


@dataclass(frozen=True)
class CriterionResult:
    """What the assessors together gave one criterion."""

    code: str
    name: str
    weight: int
    knockout: bool
    scores: tuple[int, ...]
    motivations: tuple[str, ...]
    mean: Decimal
    disagreement: bool
    knocked_out: bool

    @property
    def spread(self) -> int:
        return max(self.scores) - min(self.scores)


@dataclass(frozen=True)
class Aggregate:
    """The combined result of several independent assessments of one application."""

    rubric_version: int
    assessor_count: int
    criteria: tuple[CriterionResult, ...]
    impact_score: Decimal
    disagreements: tuple[str, ...]
    knocked_out: bool
    knockout_codes: tuple[str, ...]

    @property
    def means(self) -> dict[str, Decimal]:
        """Mean score per criterion code, rounded to two decimals for display."""
        return {c.code: c.mean for c in self.criteria}

    @property
    def knockout_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.criteria if c.knocked_out)

    @property
    def has_disagreement(self) -> bool:
        return bool(self.disagreements)


def aggregate(
    rubric: Rubric, assessments: Sequence[Sequence[CriterionScore]]
) -> Aggregate:
    """Combine independent assessments: means, overall score, disagreements, knock-outs.

    Knock-out rule: a knock-out criterion scored 0 by ANY assessor knocks the
    application out (see the module docstring for why).
    """
    assessments = list(assessments)
    if not assessments:
        raise ScoringError("Er is nog geen beoordeling om samen te voegen.")
    indexed = [_index(rubric, scores) for scores in assessments]
    motivations = [
        {item.code: item.motivation.strip() for item in scores}
        for scores in assessments
    ]
    count = len(indexed)
    results = []
    sums: dict[str, int] = {}
    for criterion in rubric.criteria:
        given = tuple(scores[criterion.code] for scores in indexed)
        sums[criterion.code] = sum(given)
        mean = (Decimal(sum(given)) / Decimal(count)).quantize(
            _CENT, rounding=ROUND_HALF_UP
        )
        results.append(
            CriterionResult(
                code=criterion.code,
                name=criterion.name,
                weight=criterion.weight,
                knockout=criterion.knockout,
                scores=given,
                motivations=tuple(m[criterion.code] for m in motivations),
                mean=mean,
                disagreement=max(given) - min(given) >= DISAGREEMENT_POINTS,
                knocked_out=criterion.knockout and SCORE_MIN in given,
            )
        )
    knockout_codes = tuple(r.code for r in results if r.knocked_out)
    return Aggregate(
        rubric_version=rubric.version,
        assessor_count=count,
        criteria=tuple(results),
        impact_score=_score_from_sums(rubric, sums, count),
        disagreements=tuple(r.code for r in results if r.disagreement),
        knocked_out=bool(knockout_codes),
        knockout_codes=knockout_codes,
    )


# --- from score to amount ---------------------------------------------------------


def _as_decimal(value: object, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError(f"{what} moet een getal zijn (nu: {value!r}).")
    result = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not result.is_finite():
        raise ValueError(f"{what} moet een getal zijn (nu: {value!r}).")
    return result


@dataclass(frozen=True)
class ImpactBand:
    """From ``min_score`` (inclusive) up to the next band: ``percent`` of the amount."""

    min_score: Decimal
    percent: int

    def __post_init__(self) -> None:
        min_score = _as_decimal(self.min_score, "De minimale score van een band")
        object.__setattr__(self, "min_score", min_score)
        if not 0 <= min_score <= _HUNDRED:
            raise RubricError(
                "De minimale score van een band ligt tussen 0 en 100 "
                f"(nu: {min_score})."
            )
        if not _is_int(self.percent) or not 0 < self.percent <= 100:
            raise RubricError(
                "Het percentage van een band is een heel getal van 1 tot en met 100 "
                f"(nu: {self.percent!r})."
            )


#: >= 75: 100 %; 60 to 75: 80 %; 50 to 60: 60 %; below 50: rejected.
DEFAULT_BANDS: tuple[ImpactBand, ...] = (
    ImpactBand(75, 100),
    ImpactBand(60, 80),
    ImpactBand(50, 60),
)


def bands_from_config(items: Iterable[Mapping[str, object]]) -> tuple[ImpactBand, ...]:
    """Bands from the scheme's JSON setting: ``[{"min_score": 75, "percent": 100}]``."""
    bands = tuple(ImpactBand(item["min_score"], item["percent"]) for item in items)
    return _checked_bands(bands)


def _checked_bands(bands: Iterable[ImpactBand]) -> tuple[ImpactBand, ...]:
    """The bands from high to low, refusing sets where more impact pays less."""
    ordered = tuple(sorted(bands, key=lambda b: b.min_score, reverse=True))
    if not ordered:
        raise RubricError("Geef minstens één impactband op.")
    for higher, lower in zip(ordered, ordered[1:], strict=False):
        if higher.min_score == lower.min_score:
            raise RubricError(
                f"Twee impactbanden beginnen bij dezelfde score ({lower.min_score})."
            )
        if higher.percent < lower.percent:
            raise RubricError(
                "Een hogere impactband mag geen lager percentage hebben dan een "
                "lagere band."
            )
    return ordered


def _rounded_score(score: object) -> Decimal:
    value = _as_decimal(score, "De impactscore").quantize(_CENT, rounding=ROUND_HALF_UP)
    if not 0 <= value <= _HUNDRED:
        raise ValueError(f"De impactscore ligt tussen 0 en 100 (nu: {value}).")
    return value


def band_for(
    score: Decimal | int, bands: Iterable[ImpactBand] = DEFAULT_BANDS
) -> ImpactBand | None:
    """The band the score (rounded to two decimals) falls in, or None below all."""
    value = _rounded_score(score)
    for band in _checked_bands(bands):
        if value >= band.min_score:
            return band
    return None


class ReasonCode(StrEnum):
    """Why a proposal came out as it did; stored and used to pick letter texts."""

    PRECONDITIONS_NOT_MET = "randvoorwaarden_niet_voldaan"
    KNOCKOUT = "knock_out"
    INSUFFICIENT_IMPACT = "onvoldoende_impact"
    BELOW_ONE_EURO = "minder_dan_een_euro"
    IMPACT_BAND = "impactband"


@dataclass(frozen=True)
class Proposal:
    """The proposed amount for one application, with the reason for the letter.

    ``base_cents`` is min(requested, scheme maximum): the amount the band applies to.
    """

    amount_cents: int
    percent: int | None
    rejected: bool
    reason_code: ReasonCode
    reason_text: str
    score: Decimal | None = None
    base_cents: int = 0


def _format_number(value: Decimal) -> str:
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f").replace(".", ",")


def _format_score(value: Decimal) -> str:
    return format(value.quantize(_CENT), "f").replace(".", ",")


def _band_range(band: ImpactBand, ordered: tuple[ImpactBand, ...]) -> str:
    index = ordered.index(band)
    if index == 0:
        return f"van {_format_number(band.min_score)} punten of meer"
    upper = ordered[index - 1].min_score
    return f"van {_format_number(band.min_score)} tot {_format_number(upper)} punten"


def propose_amount(
    *,
    score: Decimal | int | None,
    requested_cents: int,
    scheme_max_cents: int,
    bands: Iterable[ImpactBand] = DEFAULT_BANDS,
    knocked_out: bool = False,
    preconditions_met: bool = True,
    knockout_names: Sequence[str] = (),
) -> Proposal:
    """Propose an amount from the impact score; never from hours.

    Order: failed hard randvoorwaarden, then a knock-out (both reject whatever the
    score; ``score`` may then be None), then the impact band applied to
    min(requested, scheme maximum), rounded down to whole euros.
    ``knockout_names`` only names the knock-out criteria in the reason text.
    """
    if not _is_int(requested_cents) or requested_cents < 0:
        raise ValueError("Het gevraagde bedrag is een heel aantal centen, 0 of meer.")
    if not _is_int(scheme_max_cents) or scheme_max_cents <= 0:
        raise ValueError(
            "Het maximum van de regeling is een heel aantal centen, meer dan 0."
        )
    ordered = _checked_bands(bands)
    value = None if score is None else _rounded_score(score)
    base = min(requested_cents, scheme_max_cents)

    if not preconditions_met:
        return Proposal(
            amount_cents=0,
            percent=None,
            rejected=True,
            reason_code=ReasonCode.PRECONDITIONS_NOT_MET,
            reason_text=(
                "De aanvraag voldoet niet aan alle randvoorwaarden van de regeling. "
                "Daarom komt de aanvraag niet in aanmerking voor subsidie, hoe groot "
                "de impact ook is. Wij wijzen de aanvraag af."
            ),
            score=value,
            base_cents=base,
        )
    if knocked_out:
        if len(knockout_names) == 1:
            which = f"Op het criterium ‘{knockout_names[0]}’ kreeg de aanvraag een 0."
        elif knockout_names:
            named = ", ".join(f"‘{name}’" for name in knockout_names)
            which = f"Op de criteria {named} kreeg de aanvraag een 0."
        else:
            which = "Op een van de criteria kreeg de aanvraag een 0."
        return Proposal(
            amount_cents=0,
            percent=None,
            rejected=True,
            reason_code=ReasonCode.KNOCKOUT,
            reason_text=(
                f"{which} Bij dit criterium betekent een 0 dat de aanvraag niet in "
                "aanmerking komt, hoe hoog de andere scores ook zijn. Daarom wijzen "
                "wij de aanvraag af."
            ),
            score=value,
            base_cents=base,
        )
    if value is None:
        raise ValueError("Zonder impactscore kan geen bedrag worden voorgesteld.")

    shown = _format_score(value)
    band = next((b for b in ordered if value >= b.min_score), None)
    if band is None:
        lowest = _format_number(ordered[-1].min_score)
        return Proposal(
            amount_cents=0,
            percent=None,
            rejected=True,
            reason_code=ReasonCode.INSUFFICIENT_IMPACT,
            reason_text=(
                f"De aanvraag heeft een impactscore van {shown} (van de 100). Voor "
                f"subsidie is een score van minstens {lowest} nodig. De verwachte "
                "maatschappelijke impact is daarvoor te laag. Daarom wijzen wij de "
                "aanvraag af."
            ),
            score=value,
            base_cents=base,
        )

    amount = base * band.percent // 10_000 * 100
    if requested_cents > scheme_max_cents:
        basis = (
            f"U vroeg {format_euro(requested_cents)}. Dat is meer dan het maximum "
            f"van de regeling. Wij rekenen daarom met het maximum van "
            f"{format_euro(base)}."
        )
    else:
        basis = f"Wij rekenen met het gevraagde bedrag van {format_euro(base)}."
    opening = (
        f"De aanvraag heeft een impactscore van {shown} (van de 100). Die score valt "
        f"in de band {_band_range(band, ordered)}. Bij die band hoort "
        f"{band.percent}% van het bedrag. {basis}"
    )
    if amount == 0:
        return Proposal(
            amount_cents=0,
            percent=band.percent,
            rejected=True,
            reason_code=ReasonCode.BELOW_ONE_EURO,
            reason_text=(
                f"{opening} {band.percent}% daarvan is minder dan één hele euro. "
                "Daarom kunnen wij geen subsidie toekennen."
            ),
            score=value,
            base_cents=base,
        )
    return Proposal(
        amount_cents=amount,
        percent=band.percent,
        rejected=False,
        reason_code=ReasonCode.IMPACT_BAND,
        reason_text=(
            f"{opening} {band.percent}% daarvan is {format_euro(amount)}, naar "
            "beneden afgerond op hele euro's."
        ),
        score=value,
        base_cents=base,
    )


# --- the seeded rubrics (domain brief §3.7) --------------------------------------

_INITIATIEVENFONDS = Rubric(
    version=1,
    criteria=(
        Criterion(
            "I1",
            "Bijdrage aan maatschappelijke doelen (Betrokken in de buurt, Zorgen voor "
            "elkaar, Meedoen)",
            30,
        ),
        Criterion("I2", "Bewoners aan zet: eigenaarschap en vrijwillige inzet", 25),
        Criterion("I3", "Bereik en inclusie", 20),
        Criterion("I4", "Aansluiting bij de buurt en samenwerking", 15),
        Criterion("I5", "Haalbaarheid en begroting", 10),
    ),
)

_DUURZAAM = Rubric(
    version=1,
    criteria=(
        Criterion(
            "C1",
            "Bijdrage aan de Wmo-doelen voor de sociale basis (prettig samenleven, "
            "meedoen van mensen in een kwetsbare situatie)",
            15,
        ),
        Criterion(
            "C2",
            "Bereik en verbinding: mensen voor wie meedoen niet vanzelf gaat, "
            "krachtige en kwetsbare bewoners samen",
            20,
        ),
        Criterion(
            "C3",
            "Versterking van het bewonersbuurtnetwerk of de "
            "bewonersinformatievoorziening",
            15,
        ),
        Criterion("C4", "Meer vrijwillige inzet", 10),
        Criterion("C5", "Aansluiting op de behoeften in de buurt (wijkanalyse)", 15),
        Criterion(
            "C6",
            "Samenwerking en aanvulling op elkaar (1+1=3), geen concurrentie",
            15,
            knockout=True,
        ),
        Criterion(
            "C7", "Onderbouwing en aantoonbaarheid van impact (tellen en vertellen)", 10
        ),
    ),
)

_FLEXBUDGET = Rubric(
    version=1,
    criteria=(
        Criterion(
            "S1",
            "Bijdrage aan de accenten van het sociaal makelaarschap (samenhang en "
            "inclusie, meedoen van kwetsbare bewoners, samenwerking)",
            20,
        ),
        Criterion("S2", "Aansluiting op de wijkanalyse en de wijkprioriteiten", 20),
        Criterion("S3", "Eigenaarschap en bewonersregie", 15),
        Criterion("S4", "Inclusie en bereik van doelgroepen", 15),
        Criterion("S5", "Samenwerking met partners en vernieuwing", 15),
        Criterion("S6", "Lerend vermogen en feedback van bewoners", 5),
        Criterion("S7", "Onderbouwing van de impact", 10),
    ),
)

#: The seeded rubric per scheme slug (read-only); administrators version changes.
RUBRICS: Mapping[str, Rubric] = MappingProxyType(
    {
        "initiatievenfonds": _INITIATIEVENFONDS,
        "duurzaam": _DUURZAAM,
        "flexbudget": _FLEXBUDGET,
    }
)
