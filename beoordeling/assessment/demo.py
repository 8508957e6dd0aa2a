"""Demo assessments: rubrics, randvoorwaarden, teams, assignments and scores.

Runs after the subsidies seed and is idempotent (everything is found by a natural key
first; an application that already has assessment records is left alone). It adds:

- the three rubrics of ``scoring.RUBRICS`` as version 1, with the anchors for a 4 from
  the domain brief where it gives them, and the randvoorwaarden per scheme (§2);
- a third demo assessor and three teams (two by wijk, one by scheme);
- for every checked application a randvoorwaarden review that matches its history
  (the seeded applications get believable answers to their scheme's questions first);
- assessors with declarations for applications in assessment, including one
  recusal for a conflict of interest and one open disagreement of 2 points still to
  be resolved;
- for every application the subsidies seed plans as assessed, awarded or rejected
  (``subsidies.demo.DEMO_STATUS_PLAN``) and left in assessment: its assessors, their
  declarations and their scores (a fixed profile per application from
  ``SCORE_PROFILES``, a weak one for a rejection on impact), submitted through
  ``services.assessment_save`` at the seeded moments; the last submission completes
  the assessment through the service, so the rubric and the scheme's impact bands
  give the impact score, the proposed amount and the ``complete_assessment`` step.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from accounts.roles import ASSESSOR
from subsidies.demo import DEMO_STATUS_PLAN
from subsidies.demo_content import DEMO_APPLICATIONS
from subsidies.models import Application, Scheme, Wijk
from subsidies.workflow import Status

from .. import preconditions, scoring
from ..models import (
    Assessment,
    AssessmentEvent,
    AssessmentSummary,
    ComputedCheck,
    PreconditionOutcome,
    PreconditionReview,
    PreconditionRule,
    Rubric,
    Score,
    Team,
)
from . import facts, services
from .services import rubric_publish

DEMO_PASSWORD = "Demo-Beoordelaar-2026"
EXTRA_ASSESSOR = ("beoordelaar3@initiatiefloket.example", "Fatima", "Bouzid")

#: Domain brief §3.7: what a 4 ("sterk") looks like, for the duurzaam rubric.
ANCHORS = {
    "C1": "Een duidelijke, aannemelijke bijdrage aan beide effecten, met voorbeelden.",
    "C2": (
        "Een flink deel van de deelnemers komt uit de doelgroepen; er zijn vaste "
        "koppelingen tussen krachtige en kwetsbare bewoners."
    ),
    "C3": (
        "Een netwerk of informatiefunctie die in de buurt draait en door bewoners en "
        "partners wordt gebruikt."
    ),
    "C4": "Groei van het aantal vrijwilligers, ook uit kwetsbare groepen.",
    "C5": (
        "Sluit aantoonbaar aan op een prioriteit uit de wijkanalyse; bewoners hebben "
        "de behoefte mee bepaald."
    ),
    "C6": (
        "Partners met afgesproken rollen (sociaal makelaar, buurtteam, informele "
        "zorg); warme overdracht over en weer. Een 0 betekent concurrentie of dubbel "
        "aanbod: knock-out."
    ),
    "C7": (
        "Resultaten met cijfers en verhalen; een impactplan met indicatoren "
        "(tellen en vertellen)."
    ),
}

# (code, label, computed check, hard, parameter, description)
RULES = {
    "initiatievenfonds": [
        (
            "start_na_aanvraag",
            "De activiteit begint na de aanvraag",
            ComputedCheck.ACTIVITY_START,
            True,
            None,
            "",
        ),
        (
            "bedrag_binnen_maximum",
            "Het gevraagde bedrag past binnen het maximum van € 20.000",
            ComputedCheck.AMOUNT,
            True,
            None,
            "",
        ),
        (
            "drie_jaar_grens",
            "Niet langer dan 3 jaar geld bij betaalde inzet",
            ComputedCheck.THREE_YEARS,
            True,
            None,
            "Uitzonderingen (wijkkranten, jaarlijkse evenementen) kunt u met een motivering toestaan.",
        ),
        (
            "bewonersinitiatief",
            "Het is een bewonersinitiatief: bewoners zijn eigenaar",
            ComputedCheck.NONE,
            True,
            None,
            "Bewoners bedenken en doen het zelf. Een organisatie die iets voor bewoners organiseert, is geen bewonersinitiatief.",
        ),
    ],
    "duurzaam": [
        (
            "start_na_aanvraag",
            "De activiteit begint na de aanvraag",
            ComputedCheck.ACTIVITY_START,
            True,
            None,
            "",
        ),
        (
            "bedrag_binnen_maximum",
            "Het gevraagde bedrag past binnen het maximum",
            ComputedCheck.AMOUNT,
            True,
            None,
            "",
        ),
        (
            "wmo_doel",
            "Draagt bij aan een Wmo-doel voor de sociale basis (D1)",
            ComputedCheck.WMO_GOAL,
            True,
            None,
            "",
        ),
        (
            "kernactiviteit",
            "Versterkt een buurtnetwerk of de informatievoorziening (D2)",
            ComputedCheck.CORE_ACTIVITY,
            True,
            None,
            "",
        ),
        (
            "geen_starter",
            "Geen startend initiatief: bestaat minstens 3 jaar (D4)",
            ComputedCheck.NOT_A_STARTER,
            True,
            3,
            "",
        ),
        (
            "geen_andere_gemeentelijke_bron",
            "Geen initiatievenfonds of andere gemeentelijke regeling meer mogelijk (D4)",
            ComputedCheck.NO_OTHER_FUNDING,
            True,
            None,
            "Controleer de financieringshistorie van het initiatief.",
        ),
        (
            "hybride",
            "Deels betaald, deels vrijwillig (hybride)",
            ComputedCheck.PARTLY_PAID,
            False,
            None,
            "",
        ),
    ],
    "flexbudget": [
        (
            "start_na_aanvraag",
            "De activiteit begint na de aanvraag",
            ComputedCheck.ACTIVITY_START,
            True,
            None,
            "",
        ),
        (
            "bedrag_binnen_maximum",
            "Het gevraagde bedrag past binnen het maximum",
            ComputedCheck.AMOUNT,
            True,
            None,
            "",
        ),
        ("spoor", "Spoor A of B is gekozen (F1)", ComputedCheck.TRACK, True, None, ""),
        (
            "spoor_voorwaarden",
            "Voldoet aan de voorwaarde van het spoor (F1)",
            ComputedCheck.TRACK_REQUIREMENTS,
            True,
            None,
            "",
        ),
        (
            "geen_zorgtaken",
            "Geen zorgtaken of behandeling (F6)",
            ComputedCheck.NO_CARE_TASKS,
            True,
            None,
            "",
        ),
    ],
}

#: How the scheme pages word each rule for residents (plain Dutch, B1); the labels
#: above are the assessors' shorthand.
PUBLIC_TEXTS = {
    "start_na_aanvraag": "Uw activiteit begint pas na de dag van uw aanvraag.",
    "drie_jaar_grens": (
        "Werken er betaalde mensen mee? Dan krijgt u voor hetzelfde initiatief "
        "hooguit 3 jaar geld."
    ),
    "bewonersinitiatief": "Bewoners bedenken het plan en voeren het zelf uit.",
    "wmo_doel": (
        "Uw initiatief helpt buren prettig samen te leven, of helpt mensen in een "
        "kwetsbare situatie om mee te doen."
    ),
    "kernactiviteit": (
        "Uw initiatief maakt een netwerk van bewoners in de buurt sterker, of zorgt "
        "dat buren beter op de hoogte zijn."
    ),
    "geen_starter": "Uw initiatief bestaat al minstens 3 jaar.",
    "geen_andere_gemeentelijke_bron": (
        "U kunt geen geld meer krijgen uit het initiatievenfonds of een andere "
        "regeling van de gemeente."
    ),
    "hybride": "Uw initiatief draait op betaalde mensen én op vrijwilligers.",
    "spoor": (
        "U kiest: u doet zelf een deel van het werk van de sociaal makelaar (spoor "
        "A), of u doet iets nieuws samen met partners (spoor B)."
    ),
    "spoor_voorwaarden": (
        "Bij spoor A zegt u welke taken u doet. Bij spoor B werkt u samen met "
        "minstens één partner."
    ),
    "geen_zorgtaken": "Uw initiatief geeft geen zorg of behandeling.",
}


def public_text(slug, code):
    """The residents' wording of a seeded rule; the amount rule names the maximum."""
    if code == "bedrag_binnen_maximum":
        if slug == "initiatievenfonds":
            return "U vraagt niet meer dan € 20.000 per initiatief per jaar."
        return "U vraagt niet meer dan het hoogste bedrag van deze regeling."
    return PUBLIC_TEXTS.get(code, "")


# (name, wijk codes, scheme slugs, member e-mails)
TEAMS = [
    (
        "Team Noordwest, Overvecht, West, Leidsche Rijn en Vleuten-De Meern",
        ["noordwest", "overvecht", "west", "leidsche-rijn", "vleuten-de-meern"],
        [],
        ["beoordelaar@initiatiefloket.example"],
    ),
    (
        "Team Binnenstad, Oost, Noordoost, Zuid en Zuidwest",
        ["binnenstad", "oost", "noordoost", "zuid", "zuidwest"],
        [],
        ["beoordelaar2@initiatiefloket.example", EXTRA_ASSESSOR[0]],
    ),
    (
        "Team Wmo en sociaal makelaarschap",
        [],
        ["duurzaam", "flexbudget"],
        [
            "beoordelaar@initiatiefloket.example",
            "beoordelaar2@initiatiefloket.example",
            EXTRA_ASSESSOR[0],
        ],
    ),
]

LEVEL_TEXTS = {
    0: "Niet aangetoond: de aanvraag zegt hier niets over.",
    1: "Zwak: de aanvraag noemt het, maar maakt het niet aannemelijk.",
    2: "Voldoende: aannemelijk, al blijft de onderbouwing algemeen.",
    3: "Goed: duidelijk beschreven met een concreet voorbeeld uit de buurt.",
    4: "Sterk: overtuigend, met cijfers en verhalen van deelnemers.",
}

MANUAL_MOTIVATION = (
    "Bewoners hebben het initiatief zelf bedacht en voeren het zelf uit; dat blijkt "
    "uit de aanvraag en het gesprek met de contactpersoon."
)
CONFLICT_REASON = "Ik ben vrijwilliger bij deze organisatie en ken de aanvragers goed."


def seed_assessments(*, now):
    with transaction.atomic():
        assessors = _seed_assessors()
        _seed_rubrics(now)
        seed_rules()
        _seed_teams()
        applications = list(
            Application.objects.submitted()
            .select_related("round__scheme", "applicant")
            .prefetch_related("transition_log")
            .order_by("pk")
        )
        for application in applications:
            _seed_answers(application)
        for application in applications:
            _seed_review(application)
        _seed_assessed(applications, assessors, now)


# --- configuration ------------------------------------------------------------------


def _seed_assessors():
    user_model = get_user_model()
    email, first, last = EXTRA_ASSESSOR
    if not user_model.objects.filter(email=email).exists():
        user = user_model.objects.create_user(
            email, DEMO_PASSWORD, first_name=first, last_name=last, is_staff=True
        )
        user.groups.add(Group.objects.get(name=ASSESSOR))
    return list(
        user_model.objects.filter(groups__name=ASSESSOR, is_active=True).order_by("pk")
    )


def _seed_rubrics(now):
    for slug, pure in scoring.RUBRICS.items():
        scheme = Scheme.objects.filter(slug=slug).first()
        if scheme is None or Rubric.objects.filter(scheme=scheme).exists():
            continue
        rubric_publish(
            scheme=scheme,
            criteria=[
                {
                    "code": c.code,
                    "name": c.name,
                    "weight": c.weight,
                    "knockout": c.knockout,
                    "anchor": ANCHORS.get(c.code, "") if slug == "duurzaam" else "",
                }
                for c in pure.criteria
            ],
            note="Eerste versie, naar het voorstel in de domeinbeschrijving (§3.7).",
            at=now - timedelta(days=400),
        )


def seed_rules():
    for slug, rules in RULES.items():
        scheme = Scheme.objects.filter(slug=slug).first()
        if scheme is None:
            continue
        for order, (code, label, check, hard, parameter, description) in enumerate(
            rules
        ):
            PreconditionRule.objects.get_or_create(
                scheme=scheme,
                code=code,
                defaults={
                    "label": label,
                    "public_text": public_text(slug, code),
                    "computed_check": check,
                    "hard": hard,
                    "parameter": parameter,
                    "description": description,
                    "sort_order": order,
                },
            )


def _seed_teams():
    user_model = get_user_model()
    for name, wijken, schemes, members in TEAMS:
        team, created = Team.objects.get_or_create(name=name)
        if not created:
            continue
        team.wijken.set(Wijk.objects.filter(code__in=wijken))
        team.schemes.set(Scheme.objects.filter(slug__in=schemes))
        team.members.set(user_model.objects.filter(email__in=members))


# --- per application ----------------------------------------------------------------


def _answers_for(slug, index):
    if slug == "initiatievenfonds":
        return {
            "volledig_vrijwillig": index % 3 != 0,
            "jaren_gefinancierd": index % 3,
            "draagvlak": (
                "We hebben met dertig buren gesproken en een lijst met handtekeningen "
                "opgehaald bij de supermarkt."
            ),
            "toegankelijk": True,
        }
    if slug == "duurzaam":
        return {
            "jaren_actief": 4 + index % 6,
            "wmo_doelen": ["prettig_samenleven", "meedoen_kwetsbaren"][: 1 + index % 2],
            "kernactiviteit": ["bewonersbuurtnetwerk", "bewonersinformatievoorziening"][
                index % 2 :
            ],
            "betaalde_inzet": True,
            "andere_financiering_mogelijk": False,
        }
    if slug == "flexbudget":
        track = "A" if index % 2 == 0 else "B"
        answers = {"spoor": track, "geen_zorgtaken": True}
        answers["sm_taken"] = ["verbinden", "informeren"] if track == "A" else []
        answers["wijkprioriteit"] = (
            "Eenzaamheid onder ouderen verminderen, een prioriteit uit de wijkanalyse."
        )
        return answers
    return {}


def _seed_answers(application):
    if application.answers:
        return
    answers = _answers_for(application.round.scheme.slug, application.pk)
    if answers:
        Application.objects.filter(pk=application.pk).update(answers=answers)
        application.answers = answers


def _log(application):
    return {row.transition: row for row in application.transition_log.all()}


def _seed_review(application):
    log = _log(application)
    step = log.get("accept") or log.get("reject_preconditions")
    if step is None or application.precondition_reviews.exists():
        return
    met = "accept" in log
    proposals = facts.precondition_proposals(application)
    if not proposals:
        return
    decisions = []
    for proposal in proposals:
        result = proposal.result
        if not met and proposal.rule.code == "start_na_aanvraag":
            decisions.append(
                preconditions.confirm(
                    result,
                    outcome=preconditions.Outcome.NOT_MET,
                    motivation=application.preconditions_motivation
                    or "De activiteit begon al voordat de aanvraag binnen was.",
                )
            )
        elif result.outcome is preconditions.Outcome.UNKNOWN:
            decisions.append(
                preconditions.confirm(
                    result,
                    outcome=preconditions.Outcome.MET,
                    motivation=MANUAL_MOTIVATION,
                )
            )
        else:
            decisions.append(preconditions.confirm(result, outcome=result.outcome))
    review = PreconditionReview.objects.create(
        application=application,
        reviewer=step.actor,
        reviewed_at=step.at,
        met=met,
        motivation="" if met else application.preconditions_motivation,
    )
    rules = {p.rule.code: p.rule for p in proposals}
    PreconditionOutcome.objects.bulk_create(
        PreconditionOutcome(
            review=review,
            rule=rules[d.code],
            code=d.code,
            label=d.label,
            hard=d.hard,
            proposed=d.proposed.value,
            proposal_reason=d.proposal_reason,
            confirmed=d.confirmed.value,
            motivation=d.motivation,
        )
        for d in decisions
    )
    _event(application, AssessmentEvent.Kind.PRECONDITIONS, step.actor, step.at)


def _event(application, kind, actor, at, text=""):
    AssessmentEvent.objects.create(
        application=application,
        kind=kind,
        actor=actor,
        actor_label=actor.email if actor else "Systeem",
        at=at,
        text=text,
    )


def _pick(assessors, application, count, skip=()):
    """``count`` assessors for an application, team members of its wijk first."""
    wijk_team = set(
        Team.objects.filter(wijken=application.wijk_id).values_list(
            "members", flat=True
        )
    )
    ranked = sorted(
        (a for a in assessors if a.pk not in skip),
        key=lambda a: (a.pk not in wijk_team, (a.pk + application.pk) % 7, a.pk),
    )
    return ranked[:count]


#: The scores the assessors of an assessed demo application give, criterion by
#: criterion (repeated over the rubric, ``profile_scores``), by its place in the plan
#: (modulo 6). With the seeded rubrics they give about 70, 66, 85, 92, 85 and 59: the
#: impact bands of the scheme make the proposals (one award in the ranking round above
#: its four-eyes threshold, as the decisions seed shows). The test factories
#: (``tests/factories.py``) score with the same profiles, through the same services.
SCORE_PROFILES = (
    (3, 3, 2, 3, 3, 2, 3),
    (3, 2, 3, 3, 2, 3, 3),
    (4, 3, 3, 4, 3, 3, 4),
    (4, 4, 3, 4, 3, 4, 4),
    (4, 3, 3, 4, 3, 3, 4),
    (2, 3, 2, 2, 3, 2, 2),
)
#: Too little impact (about 34): below every impact band, so nothing is proposed.
WEAK_PROFILE = (1, 2, 1, 1, 2, 1, 1)


def _vector(codes, profile):
    return {code: profile[i % len(profile)] for i, code in enumerate(codes)}


def profile_scores(codes, profile):
    """The scores ``assessment_save`` takes for ``profile`` on the criteria ``codes``:
    the profile repeated over the rubric, each score with the motivation of its level
    (``LEVEL_TEXTS``)."""
    return {
        code: (value, LEVEL_TEXTS[value])
        for code, value in _vector(codes, profile).items()
    }


def _store_scores(assessment, criteria, vector, submitted_at):
    Score.objects.bulk_create(
        Score(
            assessment=assessment,
            criterion=criterion,
            score=vector.get(criterion.code),
            motivation=LEVEL_TEXTS[vector[criterion.code]]
            if criterion.code in vector
            else "",
        )
        for criterion in criteria
    )
    if submitted_at is not None:
        Assessment.objects.filter(pk=assessment.pk).update(submitted_at=submitted_at)
        assessment.submitted_at = submitted_at


def _assign(application, assessor, rubric, at, *, declare=True, conflict_reason=""):
    assessment = Assessment.objects.create(
        application=application,
        assessor=assessor,
        rubric=rubric,
        assigned_by=assessor,
        assigned_at=at,
        declared_at=at + timedelta(hours=3) if declare else None,
        conflict=bool(conflict_reason),
        conflict_reason=conflict_reason,
    )
    _event(application, AssessmentEvent.Kind.ASSIGNED, assessor, at, str(assessor))
    if declare:
        _event(
            application,
            AssessmentEvent.Kind.RECUSED
            if conflict_reason
            else AssessmentEvent.Kind.DECLARED,
            assessor,
            at + timedelta(hours=3),
            conflict_reason,
        )
    return assessment


def _planned_targets():
    """Place and planned status of each demo application of the subsidies seed, by
    title."""
    return {
        row[3]: (index, target)
        for index, (target, row) in enumerate(
            zip(DEMO_STATUS_PLAN, DEMO_APPLICATIONS, strict=True)
        )
    }


def _seed_assessed(applications, assessors, now):
    planned = _planned_targets()
    in_assessment = []
    for application in applications:
        log = _log(application)
        if "accept" not in log or application.status != Status.IN_ASSESSMENT:
            continue
        if (
            AssessmentSummary.objects.filter(application=application).exists()
            or application.assessments.exists()
        ):
            continue
        scheme = application.round.scheme
        rubric = Rubric.objects.current_for(scheme)
        if rubric is None:
            continue
        summary = AssessmentSummary.objects.create(
            application=application, rubric=rubric
        )
        index, target = planned.get(application.title, (None, None))
        if target in (Status.ASSESSED, Status.AWARDED, Status.REJECTED):
            profile = (
                WEAK_PROFILE
                if target == Status.REJECTED
                else SCORE_PROFILES[index % len(SCORE_PROFILES)]
            )
            _seed_completed(application, summary, assessors, log, profile, now)
        else:
            in_assessment.append((application, summary, log))
    _seed_in_assessment(in_assessment, assessors, now)


def _seed_completed(application, summary, assessors, log, profile, now):
    """Assessors score through the service; the last submission completes it (the
    assessment is complete eight days after it was accepted, as in the seed's year)."""
    scheme = application.round.scheme
    rubric = summary.rubric
    codes = [c.code for c in rubric.criteria.all()]
    accepted = log["accept"].at
    completed = min(now, accepted + timedelta(days=8))
    chosen = _pick(assessors, application, scheme.assessors_required)
    for offset, assessor in enumerate(chosen):
        assessment = _assign(
            application, assessor, rubric, accepted + timedelta(hours=2 + offset)
        )
        services.assessment_save(
            assessment=assessment,
            actor=assessor,
            scores=profile_scores(codes, profile),
            submit=True,
            at=completed - timedelta(hours=3 * (len(chosen) - 1 - offset)),
        )
    application.refresh_from_db()
    if application.status != Status.ASSESSED:
        raise RuntimeError(
            f"Demo {application.reference}: the assessment did not complete"
        )


def _seed_in_assessment(items, assessors, now):
    """Work in progress: one open disagreement, one recusal, drafts and to-dos."""
    two = [item for item in items if item[0].round.scheme.assessors_required >= 2]
    disagreement = two[0][0].pk if two else None
    recusal = two[1][0].pk if len(two) > 1 else None
    for position, (application, summary, log) in enumerate(items):
        scheme = application.round.scheme
        rubric = summary.rubric
        criteria = list(rubric.criteria.all())
        accepted = log["accept"].at
        required = scheme.assessors_required
        if application.pk == recusal:
            first, *rest = _pick(assessors, application, required + 1)
            _assign(
                application,
                first,
                rubric,
                accepted + timedelta(hours=1),
                conflict_reason=CONFLICT_REASON,
            )
            for offset, assessor in enumerate(rest):
                _assign(
                    application,
                    assessor,
                    rubric,
                    accepted + timedelta(hours=5 + offset),
                )
            continue
        chosen = _pick(assessors, application, required)
        created = [
            _assign(
                application,
                assessor,
                rubric,
                accepted + timedelta(hours=2 + offset),
                declare=application.pk == disagreement or position % 3 != 2,
            )
            for offset, assessor in enumerate(chosen)
        ]
        if application.pk == disagreement:
            codes = [c.code for c in criteria]
            first = dict.fromkeys(codes, 3)
            second = dict(first)
            second[codes[1]] = 1
            second[codes[-1]] = 2
            for offset, (assessment, vector) in enumerate(
                zip(created, (first, second), strict=False)
            ):
                at = min(now, accepted + timedelta(days=1 + offset))
                _store_scores(assessment, criteria, vector, at)
                _event(
                    application, AssessmentEvent.Kind.SUBMITTED, assessment.assessor, at
                )
            _event(
                application,
                AssessmentEvent.Kind.DISAGREEMENT,
                None,
                min(now, accepted + timedelta(days=2)),
                f"Verschil van 2 punten of meer op: {codes[1]}",
            )
        elif position % 3 == 1 and created and created[0].declared_at:
            codes = [c.code for c in criteria]
            draft = dict.fromkeys(codes[: len(codes) // 2], 3)
            _store_scores(created[0], criteria, draft, None)
