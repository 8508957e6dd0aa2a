"""factory_boy factories with named lifecycle states.

``ApplicationFactory(submitted=True)`` gives an application that went through the
real ``submit`` transition; ``ApplicationFactory()`` a complete concept that can be
submitted. The lifecycle traits go further through the same services the screens
call, never by setting fields:

- ``supplement_requested=True``: an assessor of its team asked for an aanvulling
  (``supplement_request``; ``supplement_message``, hersteltermijn 14 days);
- ``in_assessment=True``: the randvoorwaarden recorded as met and ``accept`` fired;
- ``assessed=True``: the rubric of its scheme (published if it has none) scored by
  the scheme's number of assessors (two by default) of a team that covers its wijk:
  each is assigned, declares no conflict of interest and submits a score with a
  motivation for every criterion through ``beoordeling.assessment.services``. They
  give the same scores, so they agree, and the last submission completes the
  assessment through the service: ``beoordeling.scoring`` computes the impact score
  and the scheme's impact bands the proposed amount, and ``complete_assessment``
  fires. ``profile=(4, 3, 3, ...)`` gives the scores criterion by criterion
  (repeated over the rubric, as the demo's ``SCORE_PROFILES``), ``points=4`` the
  same score on every criterion; the default ``STRONG_PROFILE`` lands in the
  highest band, so the full requested amount is proposed. ``proposed_cents`` is
  never written: passed, it is checked against what the service proposed.
  ``assessed_by`` is the assessor who submits last (and accepted it);
- ``awarded=True`` / ``rejected=True``: assessed, then decided by the decision
  service: a fixed allocation run of its round (or the order-of-receipt decision
  for a receipt scheme). ``rejected`` is scored with the demo's ``WEAK_PROFILE``
  (below every impact band), so it proposes nothing and the run rejects it.
  A run decides every assessed application of the round still undecided.

Users get their role through ``UserFactory(role=ASSESSOR)``.
"""

import itertools
from datetime import timedelta

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import User
from accounts.roles import ASSESSOR, DECISION_MAKER, FINANCIAL_ADMINISTRATOR
from beoordeling import scoring
from beoordeling.assessment.demo import SCORE_PROFILES, WEAK_PROFILE, profile_scores
from beoordeling.scoring import SCORE_MAX
from subsidies import facts, services
from subsidies.models import (
    Applicant,
    ApplicantKind,
    Application,
    BudgetLine,
    Round,
    Scheme,
    Wijk,
)
from subsidies.rounds import rule_publish_first
from subsidies.workflow import GRANTED_STATES


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"gebruiker{n}@example.nl")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    password = factory.PostGenerationMethodCall("set_password", "geheim-wachtwoord-123")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))
            if extracted != "Aanvrager":
                self.is_staff = True
        self.save()


class WijkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Wijk
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"wijk-{n}")
    name = factory.Sequence(lambda n: f"Wijk {n}")


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scheme
        django_get_or_create = ("slug",)

    slug = "initiatievenfonds"
    name = "Initiatievenfonds"
    reference_prefix = "IF"
    purpose = "Geld voor activiteiten van bewoners."
    for_whom = "Bewonersinitiatieven."
    legal_basis = "Awb titel 4.2 en de ASV gemeente Utrecht."
    max_amount_cents = 2_000_000
    decision_weeks = 4
    letter_obligations = "Voer de activiteit uit zoals beschreven."
    # Verlenen and later vaststellen (the default route): the text says what to send.
    letter_accountability = "Stuur binnen 13 weken na afloop een kort verslag."
    letter_payment = ""  # the letter computes the amounts and dates


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round
        skip_postgeneration_save = True

    scheme = factory.SubFactory(SchemeFactory)
    name = factory.Sequence(lambda n: f"Ronde {n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    ceiling_cents = 10_000_000

    class Params:
        closed = factory.Trait(
            opens_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=90)),
            closes_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=1)),
        )

    @factory.post_generation
    def rule(obj, create, extracted, **kwargs):
        """Version 1 of the verdeelregel, published the day before the round opens;
        ``rule=False`` leaves it unpublished (to add wijk limits first)."""
        if create and extracted is not False:
            publish_rule(obj)


class ReceiptSchemeFactory(SchemeFactory):
    """A scheme decided in order of receipt (a continuous intake)."""

    slug = "doorlopend"
    name = "Doorlopend fonds"
    reference_prefix = "DL"
    allocation_mode = "receipt"


def receipt_round(**kwargs):
    """A round of the order-of-receipt scheme (``RoundFactory`` arguments)."""
    return RoundFactory(scheme=ReceiptSchemeFactory(), **kwargs)


def publish_rule(round_, **kwargs):
    """Publish version 1 of ``round_``'s verdeelregel from its draft, before it opens."""
    kwargs.setdefault("at", min(round_.opens_at - timedelta(days=1), timezone.now()))
    return rule_publish_first(round=round_, **kwargs)


class ApplicantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Applicant
        skip_postgeneration_save = True

    kind = ApplicantKind.ORGANISATION
    name = factory.Sequence(lambda n: f"Stichting Buurtkracht {n}")
    kvk_number = factory.Sequence(lambda n: f"{40000000 + n}")
    contact_name = factory.Faker("name", locale="nl_NL")
    contact_email = factory.Sequence(lambda n: f"contact{n}@example.nl")
    iban = "NL91ABNA0417164300"
    account_holder = factory.SelfAttribute("name")

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        for user in extracted or ():
            self.members.add(user)


class ApplicationFactory(factory.Factory):
    """Builds through the services, so references and amounts are real."""

    class Meta:
        model = dict  # replaced in _create

    round = factory.SubFactory(RoundFactory)
    applicant = factory.SubFactory(ApplicantFactory)
    title = factory.Sequence(lambda n: f"Buurtmaaltijd {n}")
    summary = "Elke maand koken buren samen en eten ze samen."
    wijk = factory.SubFactory(WijkFactory)
    activity_start = factory.LazyFunction(
        lambda: timezone.localdate() + timedelta(days=60)
    )
    activity_end = factory.LazyFunction(
        lambda: timezone.localdate() + timedelta(days=180)
    )
    impact_plan = "We tellen de deelnemers en vragen wat het hen oplevert."
    truthful_declaration = True
    amount_cents = 250_000
    submitted = False
    lifecycle = None

    class Params:
        supplement_requested = factory.Trait(lifecycle="supplement_requested")
        in_assessment = factory.Trait(lifecycle="in_assessment")
        assessed = factory.Trait(lifecycle="assessed")
        awarded = factory.Trait(lifecycle="awarded")
        rejected = factory.Trait(lifecycle="rejected")

    @classmethod
    def _create(
        cls,
        model_class,
        *,
        submitted=False,
        amount_cents=250_000,
        lifecycle=None,
        **kwargs,
    ):
        steps = {
            key: kwargs.pop(key)
            for key in (
                "profile",
                "points",
                "proposed_cents",
                "assessed_by",
                "decided_by",
                "supplement_message",
            )
            if key in kwargs
        }
        if "score" in kwargs or "scores" in kwargs:
            raise TypeError(
                "The impact score is computed from the rubric: pass profile= or "
                "points= (beoordeling.scoring computes the score), not score=."
            )
        if lifecycle is not None:
            submitted = True
        user = UserFactory(role="Aanvrager")
        applicant = kwargs.pop("applicant")
        applicant.members.add(user)
        application = services.application_create(
            created_by=user, applicant=applicant, **kwargs
        )
        if amount_cents:
            BudgetLine.objects.create(
                application=application,
                category=BudgetLine.Category.MATERIALS,
                description="Kookgerei en boodschappen",
                amount_cents=amount_cents,
            )
            services.application_recalculate_requested(application=application)
        application.applicant_user = user
        if submitted:
            application = services.fire(
                application=application, transition="submit", actor=user
            )
        if lifecycle is not None:
            application = _LIFECYCLE[lifecycle](application, **steps)
        application.applicant_user = user
        return application

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError("ApplicationFactory only creates.")


def assessor(**kwargs):
    return UserFactory(role=ASSESSOR, **kwargs)


def team_assessor(application):
    """An assessor in a team that covers ``application``'s wijk (its work list)."""
    person = assessor()
    TeamFactory(members=[person], wijken=[application.wijk])
    return person


def _supplement_requested(application, *, supplement_message=None, **_steps):
    from beoordeling.assessment.services import supplement_request

    supplement_request(
        application=application,
        actor=team_assessor(application),
        message=supplement_message or "Stuur de lijst met handtekeningen mee.",
        due_on=timezone.localdate() + timedelta(days=14),
    )
    application.refresh_from_db()
    return application


def _in_assessment(application, *, assessed_by=None, **_steps):
    """Toets the randvoorwaarden through the screen's use case: an assessor of the
    application's team confirms every proposal as voldaan, so the service records
    the review, its outcomes and the event and fires ``accept``."""
    from beoordeling.assessment import facts as assessment_facts
    from beoordeling.assessment.services import preconditions_record

    _rules_of(application.round.scheme)
    (actor,) = _factory_team(application, assessed_by, 1)
    choices = {
        proposal.rule.code: ("voldaan", "Getoetst: voldaan.")
        for proposal in assessment_facts.precondition_proposals(application)
    }
    return preconditions_record(application=application, actor=actor, choices=choices)


#: The default scores of ``assessed=True``: "goed" to "sterk" (about 86 on the seeded
#: rubrics), in the highest impact band, so the full requested amount is proposed.
STRONG_PROFILE = SCORE_PROFILES[2]


def ranked_profiles(count, slug="initiatievenfonds"):
    """``count`` profiles whose impact scores, as ``beoordeling.scoring`` computes
    them on the seeded rubric of ``slug``, strictly descend: strongest first. Each
    gives every criterion a 3 or a 4, so each scores at least 75, the highest
    default band, and proposes the full requested amount."""
    rubric = scoring.RUBRICS[slug]
    strongest = {}
    for profile in itertools.product(
        (SCORE_MAX, SCORE_MAX - 1), repeat=len(rubric.codes)
    ):
        score = scoring.impact_score(
            rubric,
            [
                scoring.CriterionScore(code, value, "-")
                for code, value in zip(rubric.codes, profile, strict=True)
            ],
        )
        strongest.setdefault(score, profile)
    if count > len(strongest):
        raise ValueError(f"The rubric of {slug} has no {count} such profiles.")
    return [strongest[score] for score in sorted(strongest, reverse=True)[:count]]


def impact_for(scheme, profile):
    """The impact score ``beoordeling.scoring`` computes for ``profile`` (given by two
    assessors alike) on ``scheme``'s current rubric."""
    rubric = _rubric_of(scheme)
    criteria = list(rubric.criteria.all())
    scoring_rubric = scoring.Rubric(
        version=rubric.version,
        criteria=tuple(
            scoring.Criterion(c.code, c.name, c.weight, c.knockout) for c in criteria
        ),
    )
    scores = [
        scoring.CriterionScore(code, value, motivation)
        for code, (value, motivation) in profile_scores(
            [c.code for c in criteria], profile
        ).items()
    ]
    return scoring.aggregate(scoring_rubric, [scores, scores]).impact_score


def _rubric_of(scheme):
    """The scheme's current rubric; its seeded one is published if it has none."""
    from beoordeling.models import Rubric

    return Rubric.objects.current_for(scheme) or rubric_for(scheme)


def _rules_of(scheme):
    """The scheme's active randvoorwaarden; its seeded ones are made if it has none."""
    from beoordeling.models import PreconditionRule

    rules = PreconditionRule.objects.filter(scheme=scheme, active=True)
    return list(rules) or precondition_rules_for(scheme)


def _factory_team(application, assessed_by, count):
    """``count`` assessors of a team that covers ``application``'s wijk (or its
    scheme), ``assessed_by`` last. One team of the factory takes on each wijk it
    meets, so its members score many applications in a test, as a municipality's
    team does (and no two new accounts are made for every application)."""
    from beoordeling.models import Team

    team, _created = Team.objects.get_or_create(name="Beoordelaarsteam (fabriek)")
    if application.wijk_id is not None:
        team.wijken.add(application.wijk_id)
    else:
        team.schemes.add(application.round.scheme_id)
    people = [m for m in team.members.order_by("pk") if m != assessed_by]
    while len(people) < count - (assessed_by is not None):
        person = assessor()
        team.members.add(person)
        people.append(person)
    if assessed_by is None:
        return people[:count]
    team.members.add(assessed_by)
    return [*people[: count - 1], assessed_by]


def _assessed(
    application,
    *,
    profile=None,
    points=None,
    proposed_cents=None,
    assessed_by=None,
    **_steps,
):
    from beoordeling.assessment import services as assessment

    if profile is not None and points is not None:
        raise TypeError("Pass profile= or points=, not both.")
    profile = tuple(profile or ((points,) if points is not None else STRONG_PROFILE))
    rubric = _rubric_of(application.round.scheme)
    codes = list(rubric.criteria.values_list("code", flat=True))
    people = _factory_team(
        application, assessed_by, application.round.scheme.assessors_required
    )
    application = _in_assessment(application, assessed_by=people[-1])
    assessments = []
    for person in people:
        assigned = assessment.assessor_assign(
            application=application, assessor=person, actor=person
        )
        assessments.append(
            assessment.assessment_declare(
                assessment=assigned, actor=person, conflict=False
            )
        )
    for record in assessments:
        assessment.assessment_save(
            assessment=record,
            actor=record.assessor,
            scores=profile_scores(codes, profile),
            submit=True,
        )
    application.refresh_from_db()
    if application.status != "beoordeeld":
        raise AssertionError(
            f"{application.reference} is {application.status} after scoring"
        )
    if proposed_cents is not None and application.proposed_cents != proposed_cents:
        raise AssertionError(
            f"The rubric proposed {application.proposed_cents} cents for "
            f"{application.reference}, not {proposed_cents}: choose amount_cents and "
            "profile so the scheme's impact band proposes it."
        )
    return application


def _decide(application, decided_by=None):
    """Decide through the decision service: a fixed run, or by order of receipt."""
    from beoordeling.decisions.services import decisions
    from beoordeling.models import RunStatus

    decided_by = decided_by or decision_maker()
    if application.round.scheme.allocation_mode == "receipt":
        decisions.application_decide_by_receipt(
            application=application, actor=decided_by
        )
    else:
        run = decisions.allocation_run_create(round=application.round, actor=decided_by)
        if run.status == RunStatus.CONCEPT:
            decisions.allocation_run_fix(run=run, actor=decided_by)
    application.refresh_from_db()
    return application


def _awarded(application, *, decided_by=None, **steps):
    application = _decide(_assessed(application, **steps), decided_by)
    if application.status not in GRANTED_STATES:
        raise AssertionError(
            f"{application.reference} is {application.status}, not toegekend "
            "(ceiling, verdeelregel or four eyes?)"
        )
    return application


def _rejected(application, *, decided_by=None, **steps):
    if steps.get("points") is None:
        steps.setdefault("profile", WEAK_PROFILE)
    steps["proposed_cents"] = 0
    application = _decide(_assessed(application, **steps), decided_by)
    if application.status != "afgewezen":
        raise AssertionError(f"{application.reference} is {application.status}")
    return application


_LIFECYCLE = {
    "supplement_requested": _supplement_requested,
    "in_assessment": _in_assessment,
    "assessed": _assessed,
    "awarded": _awarded,
    "rejected": _rejected,
}


def decision_maker(**kwargs):
    return UserFactory(role=DECISION_MAKER, **kwargs)


__all__ = [
    "ApplicantFactory",
    "ApplicationFactory",
    "Round",
    "RoundFactory",
    "SchemeFactory",
    "UserFactory",
    "WijkFactory",
    "assessor",
    "decision_maker",
    "receipt_round",
]


# --- allocation and decisions ----------------------------------------------------------


class AddressedApplicantFactory(ApplicantFactory):
    """An applicant with a postal address, as a beschikking needs one."""

    street = "Zamenhofdreef 12"
    postcode = "3562 JW"
    city = "Utrecht"
    contact_phone = "030 123 45 67"


def assessed_application(
    *,
    round,
    wijk,
    proposed_cents=None,
    amount_cents=None,
    applicant=None,
    assessed_by=None,
    complete_at=None,
    **kwargs,
):
    """An application in ``beoordeeld`` (``ApplicationFactory(assessed=True)``) with
    an addressed applicant; ``complete_at`` moves the moment it became complete.

    It requests ``amount_cents`` (default ``proposed_cents``, else EUR 1,000);
    ``proposed_cents`` is checked against what the rubric's band proposes, which is
    the requested amount with the default profile. ``profile=``/``points=`` as for
    ``ApplicationFactory``."""
    application = ApplicationFactory(
        round=round,
        wijk=wijk,
        applicant=applicant or AddressedApplicantFactory(),
        amount_cents=amount_cents or proposed_cents or 100_000,
        assessed=True,
        proposed_cents=proposed_cents,
        assessed_by=assessed_by,
        **kwargs,
    )
    if complete_at is not None:
        Application.objects.filter(pk=application.pk).update(complete_at=complete_at)
        application.complete_at = complete_at
    return application


def assessed_applications(count=None, *, round, profiles=None, wijk=None, **kwargs):
    """Applications of € 3.000 assessed by one assessor in one wijk (default Noord):
    ``count`` with the default profile, or one per profile in ``profiles`` (for a
    ranking: ``ranked_profiles``)."""
    wijk = wijk or WijkFactory(code="noord", name="Noord")
    kwargs.setdefault("proposed_cents", 300_000)
    kwargs.setdefault("assessed_by", assessor())
    return [
        assessed_application(round=round, wijk=wijk, profile=profile, **kwargs)
        for profile in (profiles or [STRONG_PROFILE] * count)
    ]


# --- assessment (beoordeling) ---------------------------------------------------------


class TeamFactory(factory.django.DjangoModelFactory):
    """An assessment team; pass ``members``, ``wijken`` and ``schemes`` as lists."""

    class Meta:
        model = "beoordeling.Team"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Team {n}")

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        self.members.set(extracted or ())

    @factory.post_generation
    def wijken(self, create, extracted, **kwargs):
        self.wijken.set(extracted or ())

    @factory.post_generation
    def schemes(self, create, extracted, **kwargs):
        self.schemes.set(extracted or ())


def rubric_for(scheme, criteria=None, note="Eerste versie"):
    """Publish a rubric version for ``scheme`` (default: the seeded one of its slug)."""
    from beoordeling.assessment.services import rubric_publish
    from beoordeling.scoring import RUBRICS

    if criteria is None:
        # A scheme without a seeded rubric (a test's own) gets the Initiatievenfonds'.
        pure = RUBRICS.get(scheme.slug, RUBRICS["initiatievenfonds"])
        criteria = [
            {"code": c.code, "name": c.name, "weight": c.weight, "knockout": c.knockout}
            for c in pure.criteria
        ]
    return rubric_publish(scheme=scheme, criteria=criteria, note=note)


def precondition_rules_for(scheme):
    """The seeded randvoorwaarden of the scheme's slug (demo_assessment.RULES); a
    scheme without seeded ones (a test's own) gets the Initiatievenfonds'. Rules it
    already has are kept."""
    from beoordeling.assessment.demo import RULES
    from beoordeling.models import PreconditionRule

    return [
        PreconditionRule.objects.get_or_create(
            scheme=scheme,
            code=code,
            defaults={
                "label": label,
                "computed_check": check,
                "hard": hard,
                "parameter": parameter,
                "description": description,
                "sort_order": order,
            },
        )[0]
        for order, (code, label, check, hard, parameter, description) in enumerate(
            RULES.get(scheme.slug, RULES["initiatievenfonds"])
        )
    ]


def assessment_case(*, scheme=None, assessors=2, rules=True, **application_kwargs):
    """A submitted application with a rubric, randvoorwaarden and a team of assessors.

    Returns a namespace with ``application``, ``scheme``, ``rubric``, ``team`` and
    ``assessors`` (members of a team that covers the application's wijk).
    """
    from types import SimpleNamespace

    from beoordeling.models import Rubric

    scheme = scheme or SchemeFactory()
    rubric = Rubric.objects.current_for(scheme) or rubric_for(scheme)
    if rules and not scheme.precondition_rules.exists():
        precondition_rules_for(scheme)
    application_kwargs.setdefault("round", RoundFactory(scheme=scheme))
    application = ApplicationFactory(submitted=True, **application_kwargs)
    people = [assessor() for _ in range(assessors)]
    team = TeamFactory(members=people, wijken=[application.wijk])
    return SimpleNamespace(
        application=application,
        scheme=scheme,
        rubric=rubric,
        team=team,
        assessors=people,
    )


# --- overviews and exports -------------------------------------------------------------


def decided_application(
    *,
    status="toegekend",
    awarded_cents=None,
    rank=1,
    decided_by=None,
    amount_cents=250_000,
    **kwargs,
):
    """An application decided through the real workflow: ``toegekend`` or ``afgewezen``.

    Goes through ``assessed_application`` and then ``award`` or ``reject`` with the
    allocation facts a fixed run records. Pass ``round``, ``wijk``, ``applicant``,
    ``assessed_by`` and ``profile`` as for ``assessed_application``; the rubric
    proposes ``amount_cents`` (the default profile), ``awarded_cents`` (default: the
    proposal) is what the run awards.
    """
    application = assessed_application(amount_cents=amount_cents, **kwargs)
    proposed = application.proposed_cents
    decided_by = decided_by or decision_maker()
    honoured = status == "toegekend"
    facts.record_allocation(
        application,
        honoured=honoured,
        awarded_cents=awarded_cents or proposed,
        rank=rank,
    )
    transition = "award" if honoured else "reject"
    application = services.fire(
        application=application, transition=transition, actor=decided_by
    )
    if honoured:
        from beoordeling.decisions.services.settlement import settle_award

        application = settle_award(application, actor=decided_by, at=timezone.now())
    return application


def financial_administrator(**kwargs):
    return UserFactory(role=FINANCIAL_ADMINISTRATOR, **kwargs)


def fixed_round(count=5, ceiling=1_000_000):
    """A round whose ``count`` assessed applications (EUR 3,000 each, impact scores
    descending: ``ranked_profiles``) went through a fixed allocation run: ready for
    its beschikkingen.

    Returns ``(round, applications, decision_maker)``.
    """
    from beoordeling.decisions.services import decisions

    wijk = WijkFactory(code="noord", name="Noord")
    round_ = RoundFactory(ceiling_cents=ceiling)
    staff = assessor()
    decider = decision_maker()
    applications = [
        assessed_application(
            round=round_,
            wijk=wijk,
            proposed_cents=300_000,
            profile=profile,
            assessed_by=staff,
        )
        for profile in ranked_profiles(count)
    ]
    run = decisions.allocation_run_create(
        round=round_,
        actor=decider,
    )
    decisions.allocation_run_fix(run=run, actor=decider)
    return round_, applications, decider


# --- imports ---------------------------------------------------------------------------

#: The columns of a history import, in the order a municipal spreadsheet has them.
HISTORY_HEADERS = [
    "Kenmerk aanvraag",
    "Regeling",
    "Ronde",
    "Aanvrager",
    "KvK-nummer",
    "Initiatief",
    "Wijk",
    "Buurten",
    "Gevraagd bedrag (euro)",
    "Toegekend bedrag (euro)",
    "Status",
    "Besluitdatum",
    "Impactscore",
]


def xlsx(rows, headers=HISTORY_HEADERS):
    """An .xlsx file (bytes) with ``headers`` and then ``rows``, as staff upload it."""
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
