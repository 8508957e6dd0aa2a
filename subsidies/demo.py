"""The seeded demo: reference data, rounds, users per role and ~40 applications.

Idempotent: every object is found by a natural key before it is made, so running the
seed twice changes nothing. Applications move through the real workflow services, so
their transition logs are real; the randvoorwaarden are recorded through
``subsidies.facts``, as the assessment app records them. Applications meant to end
assessed, awarded or rejected after assessment stop ``in_beoordeling``:
``beoordeling.assessment.demo`` scores them through the assessment services and
``beoordeling.decisions.demo`` decides them through real allocation runs and makes
their letters.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.roles import (
    ADMINISTRATOR,
    APPLICANT,
    ASSESSOR,
    DECISION_MAKER,
    FINANCIAL_ADMINISTRATOR,
)

from . import facts, services
from .demo_content import (
    BUURTEN,
    DEMO_APPLICANTS,
    DEMO_APPLICATIONS,
    ROUND_CEILINGS,
    SCHEME_TEXTS_EN,
    SCHEMES,
    TARGET_GROUPS,
    THEMES,
    WIJKEN,
)
from .models import (
    Applicant,
    Application,
    BudgetLine,
    Buurt,
    OtherFunding,
    Partner,
    QuestionSet,
    Round,
    RoundWijkLimit,
    Scheme,
    SupplementRequest,
    TargetGroup,
    Theme,
    Wijk,
)
from .rounds import rule_publish_first
from .workflow import Status

User = get_user_model()

DEMO_USERS = [
    # (e-mail, first name, last name, role, password or None for magic-link users)
    (
        "beheerder@initiatiefloket.example",
        "Bram",
        "Beheer",
        ADMINISTRATOR,
        "Demo-Beheerder-2026",
    ),
    (
        "beoordelaar@initiatiefloket.example",
        "Anouk",
        "de Wit",
        ASSESSOR,
        "Demo-Beoordelaar-2026",
    ),
    (
        "beoordelaar2@initiatiefloket.example",
        "Youssef",
        "El Idrissi",
        ASSESSOR,
        "Demo-Beoordelaar-2026",
    ),
    (
        "besluitvormer@initiatiefloket.example",
        "Marieke",
        "Jansen",
        DECISION_MAKER,
        "Demo-Besluitvormer-2026",
    ),
    (
        "besluitvormer2@initiatiefloket.example",
        "Pieter",
        "Bakker",
        DECISION_MAKER,
        "Demo-Besluitvormer-2026",
    ),
    (
        "financien@initiatiefloket.example",
        "Fatima",
        "Bouzid",
        FINANCIAL_ADMINISTRATOR,
        "Demo-Financien-2026",
    ),
    (
        "financien2@initiatiefloket.example",
        "Henk",
        "de Vries",
        FINANCIAL_ADMINISTRATOR,
        "Demo-Financien-2026",
    ),
    ("aanvrager@initiatiefloket.example", "Sanne", "Visser", APPLICANT, None),
    ("aanvrager2@initiatiefloket.example", "Kees", "Mulder", APPLICANT, None),
]

# The statuses the demo shows, and how many of each (41 in all).
DEMO_STATUS_PLAN = (
    [Status.DRAFT] * 5
    + [Status.SUBMITTED] * 6
    + [Status.SUPPLEMENT_REQUESTED] * 4
    + [Status.IN_ASSESSMENT] * 6
    + [Status.ASSESSED] * 6
    + [Status.AWARDED] * 6
    + [Status.REJECTED] * 4
    + [Status.SET_ASIDE] * 2
    + [Status.WITHDRAWN] * 2
)


# The open rounds opened this many days ago and close this many days from now; every
# demo application was submitted in the last ``SUBMISSIONS_SPREAD_DAYS`` of that window.
ROUND_OPENED_DAYS_AGO = 60
ROUND_CLOSES_IN_DAYS = 45
SUBMISSIONS_SPREAD_DAYS = 24
A_YEAR = timedelta(days=365)
#: The verdeelregel is published this long before a round opens (Awb 4:27).
RULE_PUBLISHED_DAYS_BEFORE = timedelta(days=14)
#: The reserve for bezwaren of a scheme's open round: part of its ceiling, set when
#: the round is made, before its verdeelregel is published (``Round.change_errors``).
OPEN_ROUND_OBJECTION_RESERVES = {"duurzaam": 2_500_000}
RULE_TEXTS = {
    "ranking": (
        "Na de sluitingsdatum zetten wij alle complete aanvragen op volgorde van hun "
        "impactscore, de hoogste eerst; bij een gelijke score gaat de aanvraag voor "
        "die het eerst compleet was. Eerst krijgt elke wijk aanvragen toegekend tot "
        "haar gegarandeerde bedrag, daarna gaat de verdeling verder in dezelfde "
        "volgorde tot het plafond is bereikt. Geen wijk krijgt meer dan haar maximum. "
        "Past een aanvraag niet meer, dan slaan wij haar over en gaan wij door met de "
        "volgende."
    ),
    "receipt": (
        "Wij besluiten op aanvragen in de volgorde waarin zij compleet binnenkwamen, "
        "tot het plafond is bereikt. Bij aanvragen van dezelfde dag bepaalt een "
        "loting de volgorde. Het gegarandeerde bedrag van elke wijk blijft voor die "
        "wijk gereserveerd. Geen wijk krijgt meer dan haar maximum."
    ),
}
PLACES_BY_POSTCODE = {
    "3451": "Vleuten",
    "3452": "Vleuten",
    "3453": "De Meern",
    "3454": "De Meern",
    "3455": "Haarzuilens",
}

PRECONDITION_MOTIVATION = (
    "Uit het gesprek met de aanvrager blijkt dat de activiteit al liep voordat de "
    "aanvraag binnen was."
)


@dataclass
class SeedReport:
    users: list
    created_applications: int
    total_applications: int


def seed_reference_data():
    for order, (code, name, weight, aandacht) in enumerate(WIJKEN):
        wijk, _ = Wijk.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "fair_share_weight": weight,
                "is_aandachtswijk": aandacht,
                "sort_order": order,
            },
        )
        for buurt_name in BUURTEN[code]:
            Buurt.objects.get_or_create(wijk=wijk, name=buurt_name)
    for model, rows in ((TargetGroup, TARGET_GROUPS), (Theme, THEMES)):
        for order, (slug, name) in enumerate(rows):
            model.objects.update_or_create(
                slug=slug, defaults={"name": name, "sort_order": order}
            )
    for spec in SCHEMES:
        fields = {k: v for k, v in spec.items() if k not in {"slug", "questions"}}
        scheme, _ = Scheme.objects.get_or_create(slug=spec["slug"], defaults=fields)
        _seed_english_texts(scheme)
        if not scheme.question_sets.exists():
            QuestionSet.objects.create(
                scheme=scheme, version=1, questions=spec["questions"]
            )


def _seed_english_texts(scheme):
    """Fill the scheme's empty English texts (issue 18); a text an editor wrote stays.
    So an existing database gets them from the same seed, and a second run changes
    nothing."""
    empty = {
        field: text
        for field, text in SCHEME_TEXTS_EN.get(scheme.slug, {}).items()
        if not getattr(scheme, field).strip()
    }
    if empty:
        for field, text in empty.items():
            setattr(scheme, field, text)
        scheme.save(update_fields=list(empty))


def seed_rounds(now):
    """An open and a closed round per scheme, with per-wijk floors from the fair shares.

    The open round opened ``ROUND_OPENED_DAYS_AGO`` days ago; the closed round is the
    same round a year earlier, so its name is one year lower and its dates lie a year
    before (a ranking scheme's round is named for the year its budget is spent: the
    one open now pays out next year).
    """
    rounds = {}
    year = timezone.localdate(now).year
    wijken = list(Wijk.objects.all())
    total_weight = sum(w.fair_share_weight for w in wijken) or Decimal(1)
    opens_at = now - timedelta(days=ROUND_OPENED_DAYS_AGO)
    closes_at = now + timedelta(days=ROUND_CLOSES_IN_DAYS)
    for scheme in Scheme.objects.all():
        open_ceiling, closed_ceiling = ROUND_CEILINGS[scheme.slug]
        continuous = scheme.allocation_mode == "receipt"
        open_round, created = Round.objects.get_or_create(
            scheme=scheme,
            name=f"{scheme.name} {year + (0 if continuous else 1)}",
            defaults={
                "opens_at": opens_at,
                "closes_at": closes_at,
                "ceiling_cents": open_ceiling,
                "four_eyes_threshold_cents": 2_500_000,
                "lottery_seed": f"{scheme.slug}-{year}",
                "objection_reserve_cents": OPEN_ROUND_OBJECTION_RESERVES.get(
                    scheme.slug, 0
                ),
            },
        )
        closed_round, _ = Round.objects.get_or_create(
            scheme=scheme,
            name=f"{scheme.name} {year - 1 if continuous else year}",
            defaults={
                "opens_at": opens_at - A_YEAR,
                "closes_at": closes_at - A_YEAR,
                "ceiling_cents": closed_ceiling,
                "four_eyes_threshold_cents": 2_500_000,
            },
        )
        for round_ in (open_round, closed_round):
            for wijk in wijken:
                floor = int(
                    round_.ceiling_cents
                    * Decimal("0.5")
                    * wijk.fair_share_weight
                    / total_weight
                )
                RoundWijkLimit.objects.get_or_create(
                    round=round_,
                    wijk=wijk,
                    defaults={
                        "floor_cents": floor,
                        "cap_cents": int(round_.ceiling_cents * Decimal("0.35")),
                    },
                )
            if not round_.rules.exists():
                Round.objects.filter(pk=round_.pk).update(
                    published_rule=RULE_TEXTS[scheme.allocation_mode]
                )
                round_.refresh_from_db()
                rule_publish_first(
                    round=round_, at=round_.opens_at - RULE_PUBLISHED_DAYS_BEFORE
                )
        rounds[scheme.slug] = open_round
    return rounds


def seed_users():
    users = []
    for email, first, last, role, password in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email,
                password,
                first_name=first,
                last_name=last,
                is_staff=role != APPLICANT,
            )
        user.groups.add(Group.objects.get(name=role))
        users.append((user, role, password))
    return users


def _city(postcode):
    """Vleuten, De Meern and Haarzuilens are places of their own within the gemeente."""
    return PLACES_BY_POSTCODE.get(postcode[:4], "Utrecht")


def seed_applicants(users):
    """The demo applicants by key, each with an address in its own wijk."""
    applicants = {}
    for index, row in enumerate(DEMO_APPLICANTS):
        key, name, kind, kvk, _wijk, contact_name, street, postcode, iban, user = row
        contact = users[user][0] if user is not None else None
        applicant, _ = Applicant.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "kvk_number": kvk,
                "contact_name": contact.get_full_name() if contact else contact_name,
                "contact_email": contact.email
                if contact
                else f"info{index}@initiatief.example",
                "contact_phone": "030 123 45 67",
                "street": street,
                "postcode": postcode,
                "city": _city(postcode),
                "iban": iban,
                "account_holder": name,
            },
        )
        if contact is not None:
            applicant.members.add(contact)
        applicants[key] = applicant
    return applicants


def _member(applicant):
    member = applicant.members.first()
    if member is None:
        member, _ = User.objects.get_or_create(email=applicant.contact_email)
        member.groups.add(Group.objects.get(name=APPLICANT))
        applicant.members.add(member)
    return member


def _submitted_days_ago(index):
    """Later in the status plan means sent earlier: from a few days ago for the first
    submitted ones to ``SUBMISSIONS_SPREAD_DAYS`` ago for the last, all inside the open
    round. Short enough that every decision falls inside its beslistermijn."""
    return 2 + index * SUBMISSIONS_SPREAD_DAYS // len(DEMO_STATUS_PLAN)


def _drive(application, target, *, now, staff, index):
    """Walk one application through the workflow to ``target``, with realistic times."""
    assessor, _decider = staff
    member = _member(application.applicant)
    if target == Status.DRAFT:
        return
    submitted_at = now - timedelta(days=_submitted_days_ago(index))
    services.fire(
        application=application, transition="submit", actor=member, at=submitted_at
    )
    if target == Status.WITHDRAWN:
        services.fire(
            application=application,
            transition="withdraw",
            actor=member,
            at=submitted_at + timedelta(days=2),
            reason="Wij hebben ander geld gevonden.",
        )
        return
    if target in (Status.SUPPLEMENT_REQUESTED, Status.SET_ASIDE):
        # An open request was asked recently and its term still runs; a set-aside one
        # was asked the day after submission and set aside the day after its term.
        asked = submitted_at + timedelta(days=1)
        if target == Status.SUPPLEMENT_REQUESTED:
            asked = max(asked, now - timedelta(days=2 + 3 * (index % 4)))
        due = asked + timedelta(days=application.scheme.supplement_days)
        message = "Stuur een begroting mee waarin de kosten en inkomsten gelijk zijn."
        services.fire(
            application=application,
            transition="request_supplement",
            actor=assessor,
            at=asked,
            due_at=due,
            reason=message,
        )
        SupplementRequest.objects.create(
            application=application,
            requested_by=assessor,
            message=message,
            requested_at=asked,
            due_at=due,
        )
        if target == Status.SET_ASIDE:
            services.fire(
                application=application,
                transition="set_aside",
                actor=assessor,
                at=min(now, due + timedelta(days=1)),
                reason="De hersteltermijn is verlopen zonder aanvulling.",
            )
        return
    if target == Status.SUBMITTED:
        return
    if target == Status.REJECTED and index % 2 == 0:
        facts.record_preconditions(
            application, met=False, motivation=PRECONDITION_MOTIVATION
        )
        services.fire(
            application=application,
            transition="reject_preconditions",
            actor=assessor,
            at=submitted_at + timedelta(days=4),
            reason="Randvoorwaarde niet voldaan.",
        )
        return
    facts.record_preconditions(application, met=True)
    services.fire(
        application=application,
        transition="accept",
        actor=assessor,
        at=submitted_at + timedelta(days=2),
    )
    # ASSESSED, AWARDED and REJECTED (insufficient impact) stop here too, in
    # assessment: beoordeling.assessment.demo scores them through the assessment
    # services (the rubric and the scheme's impact bands give the score and the
    # proposed amount), and beoordeling.decisions.demo decides them by a fixed
    # allocation run with its letters (this app does not import beoordeling).


def seed_applications(*, now, rounds, applicants, staff):
    wijken = {wijk.code: wijk for wijk in Wijk.objects.all()}
    target_groups = list(TargetGroup.objects.all())
    themes = list(Theme.objects.all())
    created = 0
    plan = zip(DEMO_STATUS_PLAN, DEMO_APPLICATIONS, strict=True)
    for index, (target, row) in enumerate(plan):
        wijk_code, scheme_slug, applicant_key, title, summary, buurten = row
        wijk = wijken[wijk_code]
        applicant = applicants[applicant_key]
        if Application.objects.filter(title=title, applicant=applicant).exists():
            continue
        round_ = rounds[scheme_slug]
        with transaction.atomic():
            application = services.application_create(
                round=round_,
                applicant=applicant,
                created_by=_member(applicant),
                title=title,
                summary=summary,
                wijk=wijk,
                activity_start=timezone.localdate(now) + timedelta(days=40 + index),
                activity_end=timezone.localdate(now) + timedelta(days=220 + index),
                impact_plan=(
                    "We willen dat mensen elkaar beter leren kennen en elkaar helpen. We tellen hoeveel "
                    "mensen meedoen en vragen deelnemers twee keer per jaar wat het hen oplevert."
                ),
                expected_reach=20 + (index * 13) % 180,
                volunteers=3 + index % 12,
                truthful_declaration=True,
                answers={},
                current_step="controle",
            )
            application.buurten.set([wijk.buurten.get(name=name) for name in buurten])
            application.target_groups.set([target_groups[index % len(target_groups)]])
            application.themes.set(
                [themes[index % len(themes)], themes[(index + 5) % len(themes)]]
            )
            maximum = round_.scheme.max_amount_cents
            lines = [
                (
                    BudgetLine.Category.MATERIALS,
                    "Materiaal en spullen",
                    min(maximum // 4, 40_000 + index * 9_000),
                ),
                (
                    BudgetLine.Category.RENT,
                    "Huur van de ruimte",
                    min(maximum // 4, 60_000 + index * 5_000),
                ),
                (BudgetLine.Category.COMMUNICATION, "Flyers en posters", 15_000),
            ]
            for category, description, amount in lines:
                BudgetLine.objects.create(
                    application=application,
                    category=category,
                    description=description,
                    amount_cents=amount,
                )
            OtherFunding.objects.create(
                application=application,
                source="Eigen bijdrage deelnemers",
                state=OtherFunding.State.OWN,
                amount_cents=10_000,
            )
            Partner.objects.create(
                application=application,
                name="Sociaal makelaar van de wijk",
                kind=Partner.Kind.SOCIAL_BROKER,
                role="Denkt mee en brengt mensen in contact.",
            )
            services.application_recalculate_requested(application=application)
            _drive(application, target, now=now, staff=staff, index=index)
        created += 1
    return created


def seed_demo(now=None):
    now = now or timezone.now()
    seed_reference_data()
    rounds = seed_rounds(now)
    users = seed_users()
    applicants = seed_applicants(users)
    by_role = {role: user for user, role, _ in reversed(users)}
    created = seed_applications(
        now=now,
        rounds=rounds,
        applicants=applicants,
        staff=(by_role[ASSESSOR], by_role[DECISION_MAKER]),
    )
    return SeedReport(
        users=users,
        created_applications=created,
        total_applications=Application.objects.count(),
    )
