"""Demo bezwaren on the seeded beschikkingen, through the same services as the screens.

Runs after the decisions and payments demo; idempotent (nothing happens once a bezwaar
exists, the handler and the reserve are found before they are made). It adds:

- the demo Bezwaarbehandelaar ``bezwaar@initiatiefloket.example``, with a password
  like the other demo staff;
- a reserve for bezwaren of EUR 25.000 in the open round of the duurzaam scheme (the
  round with the fixed allocation run), part of its ceiling;
- one application of the initiatievenfonds that was submitted at the start of the
  open round, asked for an aanvulling that never came and set aside, with its
  beschikking sent then: more than six weeks ago, so a bezwaar against it now is late;
- six bezwaren, each on its own beschikking:

  1. just received (online, by the applicant), with its ontvangstbevestiging;
  2. late: registered from a letter today against the old buiten-behandelingstelling,
     assigned, its lateness still to be judged (Awb 6:11);
  3. a hearing planned in ten days at the Stadskantoor (with the invitation);
  4. deferred once by six weeks (Awb 7:10 lid 3, with the letter);
  5. decided ongegrond without a hearing (7:3 b), with the beslissing op bezwaar;
  6. decided gegrond against an afwijzing in the fixed duurzaam round: the new
     verlening is paid from the round's reserve. Its amount is above the round's
     four-eyes line, so the handler proposes it and the second demo decision maker
     (not involved in the application) approves it.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.roles import OBJECTION_HANDLER
from beoordeling.decisions.services.letters import decision_issue
from beoordeling.models import Decision, DecisionKind, Objection, involved_user_ids
from subsidies import services
from subsidies.demo import OPEN_ROUND_OBJECTION_RESERVES
from subsidies.models import (
    Application,
    BudgetLine,
    OtherFunding,
    Round,
    SupplementRequest,
)
from subsidies.workflow import Status

from .services.deciding import (
    objection_approve,
    objection_decide,
    objection_record_decision,
)
from .services.handling import (
    objection_assign,
    objection_classify,
    objection_extend,
    objection_schedule_hearing,
    objection_waive_hearing,
)
from .services.lodging import objection_lodge, objection_register
from .workflow import Ground, HearingWaiver, ObjectionState, Outcome

HANDLER = (
    "bezwaar@initiatiefloket.example",
    "Sanne",
    "Verbeek",
    "Demo-Bezwaar-2026",
)
DECIDERS = (
    "besluitvormer@initiatiefloket.example",
    "besluitvormer2@initiatiefloket.example",
)
ASSESSOR = "beoordelaar@initiatiefloket.example"
RESERVE_SCHEME = "duurzaam"
#: Set by ``subsidies.demo`` when it makes the round, before its verdeelregel is
#: published: afterwards the reserve is fixed (``Round.change_errors``).
RESERVE_CENTS = OPEN_ROUND_OBJECTION_RESERVES[RESERVE_SCHEME]
LATE_SCHEME = "initiatievenfonds"
LATE_TITLE = "Ruilkast voor boeken op het plein"
HEARING_PLACE = "Stadskantoor, Stadsplateau 1, Utrecht"

REASONS = {
    "received": (
        "Wij vinden dat ons plan beter past bij de regeling dan de brief zegt. De "
        "buurtavonden zijn juist voor bewoners die niet snel ergens heen gaan."
    ),
    "late": (
        "Wij hebben de brief over het buiten behandeling stellen pas laat gezien: "
        "onze secretaris was lang ziek. De aanvulling hebben wij nu wel."
    ),
    "hearing": (
        "De score voor bereik is te laag. Wij bereiken meer dan honderd buren, dat "
        "staat ook in ons plan."
    ),
    "extended": (
        "Het bedrag is lager dan wij vroegen. De huur van de zaal is echt zo hoog; "
        "wij sturen de offerte mee."
    ),
    "unfounded": (
        "Wij willen het hele gevraagde bedrag. Andere initiatieven kregen meer."
    ),
    "upheld": (
        "Ons plan is afgewezen omdat het geld op was, maar bij de verdeling is onze "
        "score verkeerd opgeteld: het criterium duurzaamheid telde niet mee."
    ),
}


def _user(email):
    return get_user_model().objects.filter(email=email).first()


def seed_objection_handler():
    """The demo Bezwaarbehandelaar (found by e-mail, else made); returns the user."""
    email, first, last, password = HANDLER
    user = _user(email)
    if user is None:
        user = get_user_model().objects.create_user(
            email, password, first_name=first, last_name=last, is_staff=True
        )
    user.groups.add(Group.objects.get(name=OBJECTION_HANDLER))
    return user


def seed_objection_reserve(*, now):
    """The open round of the duurzaam scheme, with the reserve for bezwaren that
    ``subsidies.demo`` gave it before publishing its verdeelregel."""
    return (
        Round.objects.open(now)
        .filter(scheme__slug=RESERVE_SCHEME)
        .order_by("pk")
        .first()
    )


def _member(application):
    return application.applicant.members.order_by("pk").first()


def _old_set_aside_decision(*, now, assessor, decider):
    """The beschikking of an application set aside at the start of the open round,
    sent more than six weeks ago (made once, found by its title afterwards)."""
    existing = Application.objects.filter(title=LATE_TITLE).first()
    if existing is not None:
        return Decision.objects.filter(
            application=existing, kind=DecisionKind.BUITEN_BEHANDELING
        ).first()
    round_ = Round.objects.open(now).filter(scheme__slug=LATE_SCHEME).first()
    model = (
        Application.objects.filter(round=round_)
        .exclude(status=Status.DRAFT)
        .select_related("applicant", "wijk")
        .order_by("reference")
        .first()
    )
    if round_ is None or model is None:
        return None
    # As early in the round as it goes, each step a minute after the one before: the
    # letter must be older than the six weeks of the bezwaar term and the days the
    # Algemene termijnenwet adds (up to three, around Christmas). Hours here once moved
    # the letter to the next day in the evening, and a term ending on a Saturday then
    # still ran today: the demo had no late bezwaar after 21:00.
    submitted_at = round_.opens_at + timedelta(minutes=1)
    today = timezone.localdate(now)
    with transaction.atomic():
        application = services.application_create(
            round=round_,
            applicant=model.applicant,
            created_by=_member(model),
            title=LATE_TITLE,
            summary=(
                "Een kast met boeken op het pleintje, die buren zelf bijhouden. "
                "Wie een boek pakt, zet er een terug."
            ),
            wijk=model.wijk,
            activity_start=today + timedelta(days=30),
            activity_end=today + timedelta(days=200),
            impact_plan=(
                "Buren ontmoeten elkaar bij de kast. We tellen hoeveel boeken er "
                "rondgaan en vragen wat het de buurt oplevert."
            ),
            expected_reach=60,
            volunteers=4,
            truthful_declaration=True,
            answers=model.answers,
            current_step="controle",
        )
        application.buurten.set(model.buurten.all())
        application.target_groups.set(model.target_groups.all())
        application.themes.set(model.themes.all())
        for category, description, amount in (
            (BudgetLine.Category.MATERIALS, "Kast en planken", 45_000),
            (BudgetLine.Category.COMMUNICATION, "Flyers en posters", 15_000),
        ):
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
        services.application_recalculate_requested(application=application)
        services.fire(
            application=application,
            transition="submit",
            actor=_member(model),
            at=submitted_at,
        )
        asked = submitted_at + timedelta(minutes=1)
        due = asked + timedelta(days=round_.scheme.supplement_days)
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
        set_aside_at = due + timedelta(minutes=1)
        services.fire(
            application=application,
            transition="set_aside",
            actor=assessor,
            at=set_aside_at,
            reason="De hersteltermijn is verlopen zonder aanvulling.",
        )
    decision, _created = decision_issue(
        application=application,
        actor=decider,
        date_sent=timezone.localdate(set_aside_at),
        notify=False,
        at=set_aside_at,
    )
    return decision


def _free_decisions(handler):
    """Beschikkingen of the open rounds without a bezwaar whose application the
    handler was not involved in, in kenmerk order."""
    return [
        decision
        for decision in Decision.objects.filter(objections__isnull=True)
        .exclude(kind=DecisionKind.BESLISSING_OP_BEZWAAR)
        .select_related("application__round__scheme", "application__applicant")
        .order_by("kenmerk")
        if handler.pk not in involved_user_ids(decision.application)
    ]


def _lodge(decision, key):
    application = decision.application
    return objection_lodge(
        decision=decision,
        objector_name=application.applicant.name,
        reasons=REASONS[key],
        user=_member(application),
    )


def _pick(decisions, used, *, kinds, scheme=None, statuses=None):
    for decision in decisions:
        application = decision.application
        if decision.pk in used or decision.kind not in kinds:
            continue
        if scheme and application.round.scheme.slug != scheme:
            continue
        if statuses and application.status not in statuses:
            continue
        used.add(decision.pk)
        return decision
    return None


def seed_objections(*, now):
    handler = seed_objection_handler()
    reserve_round = seed_objection_reserve(now=now)
    assessor = _user(ASSESSOR)
    deciders = [_user(email) for email in DECIDERS]
    if Objection.objects.exists() or assessor is None or None in deciders:
        return
    late_decision = _old_set_aside_decision(
        now=now, assessor=assessor, decider=deciders[0]
    )
    decisions = _free_decisions(handler)
    used = {late_decision.pk} if late_decision else set()
    rejections = (
        DecisionKind.AFWIJZING_BUDGET,
        DecisionKind.AFWIJZING_IMPACT,
        DecisionKind.AFWIJZING_CAP,
    )
    # The gegrond one first: it needs a rejection in the fixed round whose second
    # decision maker took no part in it.
    upheld_decision = None
    for decision in decisions:
        application = decision.application
        if (
            decision.kind in rejections
            and reserve_round is not None
            and application.round_id == reserve_round.pk
            and application.status == Status.REJECTED
            and deciders[1].pk not in involved_user_ids(application)
        ):
            upheld_decision = decision
            used.add(decision.pk)
            break
    awards = (DecisionKind.VERLENING,)
    received = _pick(decisions, used, kinds=awards)
    hearing = _pick(decisions, used, kinds=(*rejections, *awards))
    extended = _pick(decisions, used, kinds=awards, statuses=(Status.AWARDED,))
    unfounded = _pick(decisions, used, kinds=(*awards, *rejections))

    if received is not None:
        _lodge(received, "received")

    if late_decision is not None:
        late = objection_register(
            decision=late_decision,
            objector_name=late_decision.application.applicant.name,
            reasons=REASONS["late"],
            received_on=timezone.localdate(now),
            actor=handler,
        )
        late = objection_assign(objection=late, handler=handler, actor=handler)
        objection_classify(
            objection=late, ground=Ground.PROCEDURE, committee=False, actor=handler
        )

    if hearing is not None:
        objection = _lodge(hearing, "hearing")
        objection = objection_assign(
            objection=objection, handler=handler, actor=handler
        )
        objection_classify(
            objection=objection,
            ground=Ground.ASSESSMENT,
            committee=False,
            actor=handler,
        )
        hearing_at = timezone.localtime(now + timedelta(days=10)).replace(
            hour=14, minute=0, second=0, microsecond=0
        )
        objection_schedule_hearing(
            objection=objection,
            hearing_at=hearing_at,
            place=HEARING_PLACE,
            actor=handler,
        )

    if extended is not None:
        objection = _lodge(extended, "extended")
        objection = objection_assign(
            objection=objection, handler=handler, actor=handler
        )
        objection_classify(
            objection=objection, ground=Ground.AMOUNT, committee=False, actor=handler
        )
        objection_extend(
            objection=objection,
            reason=(
                "Wij vragen de huurder van de zaal om de offerte te bevestigen; dat "
                "kost meer tijd."
            ),
            actor=handler,
        )

    if unfounded is not None:
        objection = _lodge(unfounded, "unfounded")
        objection = objection_assign(
            objection=objection, handler=handler, actor=handler
        )
        objection_classify(
            objection=objection, ground=Ground.AMOUNT, committee=False, actor=handler
        )
        objection = objection_waive_hearing(
            objection=objection,
            waiver=HearingWaiver.MANIFESTLY_UNFOUNDED,
            motivation=(
                "Het bedrag volgt uit de regeling en de verdeelregel; wat andere "
                "initiatieven kregen, verandert daar niets aan."
            ),
            actor=handler,
        )
        objection_record_decision(
            objection=objection,
            outcome=Outcome.UNFOUNDED,
            motivation=(
                "Het besluit volgt de regeling en de bekendgemaakte verdeelregel. Het "
                "bezwaar geeft geen reden om het te veranderen."
            ),
            actor=handler,
        )
        objection_decide(objection=objection, actor=handler)

    if upheld_decision is not None:
        application = upheld_decision.application
        objection = _lodge(upheld_decision, "upheld")
        objection = objection_assign(
            objection=objection, handler=handler, actor=handler
        )
        objection_classify(
            objection=objection,
            ground=Ground.ASSESSMENT,
            committee=False,
            actor=handler,
        )
        objection = objection_waive_hearing(
            objection=objection,
            waiver=HearingWaiver.FULLY_MET,
            motivation="Wij komen volledig aan het bezwaar tegemoet.",
            actor=handler,
        )
        remedy = min(
            application.requested_cents or 0, application.round.scheme.max_amount_cents
        )
        objection_record_decision(
            objection=objection,
            outcome=Outcome.WELL_FOUNDED,
            motivation=(
                "Bij de verdeling telde het criterium duurzaamheid niet mee. Met de "
                "juiste score past het plan binnen de ronde; u krijgt de subsidie."
            ),
            remedy_cents=remedy,
            actor=handler,
        )
        objection = objection_decide(objection=objection, actor=handler)
        if objection.state == ObjectionState.AWAITING_APPROVAL:
            objection_approve(objection=objection, actor=deciders[1])
