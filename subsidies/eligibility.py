"""The quick check before the form: which scheme fits this plan, or why none does.

A resident answers a handful of yes/no questions (``QUESTIONS``). ``check`` turns the
answers into a verdict per scheme: it fits, or it does not and here is why, in plain
Dutch. The check is advice, not a decision: the assessor checks the randvoorwaarden
again on the real application. It follows the rules in the domain brief (§1, §2.5):

Everyone
    The activity has not started yet (Awb: apply before you start), takes place in
    Utrecht, and is for the buurt or the city, not for yourself. Care and treatment
    are the work of the buurtteam and care providers, not of these schemes.
Initiatievenfonds
    For new and running initiatives. After three years of money from the fund it stops
    for initiatives that do not run fully on volunteers (000:985-987).
Budget duurzaam bewonersinitiatief Wmo
    Not for starters: the initiative exists three years or more, is mainly a
    buurtnetwerk or information for residents, and can no longer get money from the
    initiatievenfonds or another municipal scheme (D2, D4).
Flexbudget sociaal makelaarschap
    Residents take over part of the sociaal makelaar's work, or start something new
    together with partners in the wijk (F1).

Pure: no database, no request. Every answer is ``True`` (ja), ``False`` (nee) or
``None`` (not answered); an unanswered question that a rule needs makes that rule
say so instead of guessing.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

INITIATIEVENFONDS = "initiatievenfonds"
DUURZAAM = "duurzaam"
FLEXBUDGET = "flexbudget"
SCHEMES = (INITIATIEVENFONDS, DUURZAAM, FLEXBUDGET)


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    help: str = ""


QUESTIONS = (
    Question(
        "started",
        _("Is uw activiteit al begonnen?"),
        _("Bijvoorbeeld: het feest is al geweest of de eerste bijeenkomst was al."),
    ),
    Question("in_utrecht", _("Vindt de activiteit plaats in de gemeente Utrecht?")),
    Question(
        "for_neighbourhood",
        _("Is de activiteit voor de buurt of de stad, en niet alleen voor uzelf?"),
    ),
    Question(
        "care",
        _("Gaat het om zorg of behandeling, zoals hulp van een zorgverlener?"),
    ),
    Question(
        "three_years",
        _("Bestaat uw initiatief al drie jaar of langer?"),
    ),
    Question(
        "fully_volunteer",
        _("Doen alleen vrijwilligers het werk, zonder betaalde krachten?"),
    ),
    Question(
        "fund_three_years",
        _("Kreeg uw initiatief in drie of meer jaren geld uit het Initiatievenfonds?"),
    ),
    Question(
        "network_or_information",
        _(
            "Is uw initiatief vooral een netwerk van buren die elkaar helpen, of geeft "
            "het bewoners informatie over de buurt?"
        ),
    ),
    Question(
        "other_municipal_money",
        _(
            "Kunt u nog geld krijgen uit het Initiatievenfonds of uit een andere "
            "regeling van de gemeente?"
        ),
        _("Weet u het niet? Kies dan ja. Het wijkbureau kan het met u uitzoeken."),
    ),
    Question(
        "social_broker_work",
        _(
            "Wilt u werk van de sociaal makelaar zelf doen, of samen met partners in "
            "de wijk iets nieuws beginnen?"
        ),
        _(
            "Bijvoorbeeld zelf bewoners met elkaar in contact brengen of een "
            "buurtcentrum beheren."
        ),
    ),
)

QUESTION_KEYS = tuple(question.key for question in QUESTIONS)


@dataclass(frozen=True)
class Answers:
    started: bool | None = None
    in_utrecht: bool | None = None
    for_neighbourhood: bool | None = None
    care: bool | None = None
    three_years: bool | None = None
    fully_volunteer: bool | None = None
    fund_three_years: bool | None = None
    network_or_information: bool | None = None
    other_municipal_money: bool | None = None
    social_broker_work: bool | None = None


@dataclass(frozen=True)
class Verdict:
    scheme: str
    fits: bool
    reasons: tuple = field(default_factory=tuple)


@dataclass(frozen=True)
class Result:
    """``general`` holds the reasons no scheme fits at all; ``verdicts`` one per scheme."""

    verdicts: tuple
    general: tuple = field(default_factory=tuple)

    @property
    def fitting(self):
        return tuple(v.scheme for v in self.verdicts if v.fits)

    @property
    def any_fits(self):
        return bool(self.fitting)

    def verdict(self, scheme):
        return next(v for v in self.verdicts if v.scheme == scheme)


def _general_reasons(a):
    reasons = []
    if a.started is True:
        reasons.append(
            _(
                "U vraagt het geld aan voordat de activiteit begint. Voor een activiteit "
                "die al begonnen is, kunt u geen subsidie meer krijgen."
            )
        )
    if a.in_utrecht is False:
        reasons.append(
            _("Deze regelingen zijn alleen voor activiteiten in de gemeente Utrecht.")
        )
    if a.for_neighbourhood is False:
        reasons.append(
            _(
                "De activiteit moet iets opleveren voor de buurt of de stad, niet alleen "
                "voor uzelf."
            )
        )
    if a.care is True:
        reasons.append(
            _(
                "Zorg en behandeling vallen niet onder deze regelingen. Daarvoor zijn het "
                "buurtteam en zorgaanbieders er. Het buurtteam kan met u meedenken."
            )
        )
    return tuple(reasons)


def _initiatievenfonds(a):
    if a.fund_three_years is True and a.fully_volunteer is False:
        return Verdict(
            INITIATIEVENFONDS,
            False,
            (
                _(
                    "Uw initiatief kreeg al drie jaar geld uit het Initiatievenfonds en "
                    "werkt met betaalde krachten. Dan stopt het geld uit dit fonds. "
                    "Kijk of het budget duurzaam bewonersinitiatief past."
                ),
            ),
        )
    return Verdict(
        INITIATIEVENFONDS,
        True,
        (_("Voor plannen van bewoners voor hun buurt of voor de stad."),),
    )


def _duurzaam(a):
    reasons = []
    if a.three_years is not True:
        reasons.append(
            _(
                "Dit budget is niet voor nieuwe initiatieven. Uw initiatief moet al drie "
                "jaar of langer bestaan. Nieuwe initiatieven kunnen naar het "
                "Initiatievenfonds."
            )
        )
    if a.network_or_information is not True:
        reasons.append(
            _(
                "Dit budget is voor buurtnetwerken en voor informatie door en voor "
                "bewoners in de buurt."
            )
        )
    if a.other_municipal_money is not False:
        reasons.append(
            _(
                "Dit budget is alleen voor initiatieven die geen geld meer kunnen krijgen. "
                "Niet uit het Initiatievenfonds en niet uit een andere regeling van de "
                "gemeente."
            )
        )
    if reasons:
        return Verdict(DUURZAAM, False, tuple(reasons))
    fits = [_("Uw initiatief heeft zich bewezen en wil langer doorgaan.")]
    if a.fully_volunteer is True:
        fits.append(
            _(
                "Let op: uw initiatief draait helemaal op vrijwilligers. Dan kunt u "
                "misschien nog bij het Initiatievenfonds terecht."
            )
        )
    return Verdict(DUURZAAM, True, tuple(fits))


def _flexbudget(a):
    if a.social_broker_work is not True:
        return Verdict(
            FLEXBUDGET,
            False,
            (
                _(
                    "Het flexbudget is voor bewoners die werk van de sociaal makelaar zelf "
                    "doen. Of die samen met partners iets nieuws beginnen."
                ),
            ),
        )
    return Verdict(
        FLEXBUDGET,
        True,
        (_("U doet werk van de sociaal makelaar zelf of begint iets met partners."),),
    )


def check(answers):
    """The verdict per scheme for these answers; see the module docstring for the rules."""
    general = _general_reasons(answers)
    if general:
        verdicts = tuple(Verdict(scheme, False, general) for scheme in SCHEMES)
        return Result(verdicts=verdicts, general=general)
    return Result(
        verdicts=(_initiatievenfonds(answers), _duurzaam(answers), _flexbudget(answers))
    )
