"""Deciding on a bezwaar: the draft, the decision (alone or with four eyes), the remedy.

Rules:

- The handler writes the decision as a draft while the bezwaar is ready for it
  (``objection_record_decision``; not a transition): the outcome, its motivation and,
  for a well-founded bezwaar, the amount of the new decision (``remedy_cents``) within
  what the contested kind allows. A late bezwaar judged not excusable can only be
  niet-ontvankelijk (Awb 6:11); one not heard on a ground of 7:3 that fits one outcome
  only (``workflow.WAIVER_OUTCOMES``) can only have that one. A gegrond bezwaar
  against a terugvordering alone is refused: the ledger reclaims from the vaststelling
  or intrekking. Every step is a person's (never actor None or anonymous).
- ``objection_decide`` fires ``decide``, or ``propose`` when a well-founded decision
  awards more than the round's four-eyes line; a Besluitvormer who is neither the
  handler nor involved in the application (Awb 7:5) then ``approve``s it or sends it
  back with a reason.
- The final decision (``decide``, ``approve``) is one transaction inside the round's
  ceiling guard: the bezwaar's transition, the remedy of a well-founded bezwaar on the
  application (the new decision in place of the old, Awb 7:11: its facts through
  ``subsidies.facts``, then its ``*_on_objection`` transition), what it adds to the
  round's committed money (``Objection.cost_cents``), the beslissing op bezwaar with
  its letter, and the payments ledger. Above the ceiling nothing is stored.
- ``objection_cost`` tells the decision maker beforehand what the new decision costs
  the round and where the money comes from: first the round's reserve for bezwaren
  that is left, then the rest of the ceiling.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beoordeling.decisions.selectors import round_budget
from beoordeling.decisions.services.letters import payments_follow
from beoordeling.decisions.services.settlement import settle_award
from beoordeling.models import DecisionError, DecisionKind, Objection
from beoordeling.objections import workflow
from beoordeling.objections.services.letters import decision_on_objection_issue
from beoordeling.objections.workflow import HearingWaiver, ObjectionState, Outcome
from subsidies import facts
from subsidies.models import Application, CeilingExceeded
from subsidies.money import format_euros
from subsidies.rounds import ceiling_guard
from subsidies.services import WorkflowError, fire
from subsidies.workflow import GRANTED_STATES, Settlement, Status
from subsidies.workflow import is_decision_maker as may_decide_application

from . import ObjectionError
from .transitions import objection_fire, objection_lock

REJECTIONS = (
    DecisionKind.AFWIJZING_RANDVOORWAARDEN,
    DecisionKind.AFWIJZING_IMPACT,
    DecisionKind.AFWIJZING_BUDGET,
    DecisionKind.AFWIJZING_CAP,
)
AWARDS = (DecisionKind.VERLENING, DecisionKind.WIJZIGING)

#: Where the application must stand for the remedy against each contested kind (the
#: sources of its ``*_on_objection`` transition): a later decision may have taken the
#: place of the contested one.
REMEDY_SOURCES = {
    **dict.fromkeys(REJECTIONS, (Status.REJECTED,)),
    DecisionKind.BUITEN_BEHANDELING: (Status.SET_ASIDE,),
    # A verlening that fixed the amount at once (direct) is vastgesteld already.
    DecisionKind.VERLENING: (Status.AWARDED, Status.FIXED, Status.CLOSED),
    DecisionKind.WIJZIGING: (Status.AWARDED,),
    DecisionKind.VASTSTELLING: (Status.FIXED, Status.CLOSED),
    DecisionKind.INTREKKING: (Status.REVOKED,),
    DecisionKind.TERUGVORDERING: tuple(GRANTED_STATES),
}


# --- the draft ----------------------------------------------------------------------


def _amount(cents):
    return format_euros(cents)


def directly_fixed(objection, application):
    """For a contested verlening of a vastgesteld grant: whether the verlening fixed
    it itself (direct); None when the question does not arise."""
    if objection.decision.kind != DecisionKind.VERLENING or application.status not in (
        Status.FIXED,
        Status.CLOSED,
    ):
        return None
    return application.settlement == Settlement.DIRECT


def remedy_error(objection, application, remedy_cents):
    """Why ``remedy_cents`` cannot be the new decision on this bezwaar (None: it can).

    What the kind of the contested decision allows: after an afwijzing an award above
    0 and at most the scheme's maximum and the requested amount; a verlening or
    wijziging at least what is awarded now (a bezwaar never makes it worse) within the
    same limits; a vaststelling at least what was fixed and at most the award; a
    restored intrekking at most the award. A standalone terugvordering is never
    revised on its own: the ledger reclaims from the vaststelling or intrekking.
    """
    kind = objection.decision.kind
    if application.status not in REMEDY_SOURCES.get(kind, ()):
        return _(
            "Het bestreden besluit geldt niet meer zo: de aanvraag staat nu op "
            "'%(status)s'. Een nieuw besluit in de plaats ervan kan zo niet."
        ) % {"status": Status(application.status).label}
    if directly_fixed(objection, application) is False:
        return _(
            "De subsidie is inmiddels vastgesteld. Maak bezwaar tegen de vaststelling "
            "om het bedrag te veranderen."
        )
    if kind == DecisionKind.TERUGVORDERING:
        # The ledger reclaims what the vaststelling or intrekking left unpaid, not
        # what this letter says: a new amount here would change nothing paid back.
        return _(
            "Een bezwaar tegen alleen een terugvordering kan hier niet gegrond worden "
            "beslist: het bedrag dat terug moet, volgt uit de vaststelling of de "
            "intrekking. Pas die aan met een nieuw besluit."
        )
    if kind == DecisionKind.BUITEN_BEHANDELING:
        return None
    if remedy_cents is None:
        return _("Vul het bedrag van het nieuwe besluit in.")
    if remedy_cents < 0:
        return _("Het bedrag kan niet negatief zijn.")
    scheme = application.round.scheme
    awarded = application.awarded_cents or 0
    if kind in REJECTIONS or kind in AWARDS:
        if remedy_cents <= 0:
            return _("Een toekenning na bezwaar is hoger dan € 0,00.")
        limit = min(scheme.max_amount_cents, application.requested_cents or 0)
        if remedy_cents > limit:
            return _(
                "Het bedrag is hoger dan het maximum van de regeling of het "
                "gevraagde bedrag: ten hoogste %(limit)s."
            ) % {"limit": _amount(limit)}
        if kind in AWARDS and remedy_cents < awarded:
            return _(
                "Een beslissing op bezwaar maakt het besluit niet slechter: het "
                "bedrag is ten minste het verleende bedrag van %(awarded)s."
            ) % {"awarded": _amount(awarded)}
        return None
    if kind == DecisionKind.VASTSTELLING:
        fixed = application.fixed_cents or 0
        if not fixed <= remedy_cents <= awarded:
            return _(
                "Het vastgestelde bedrag ligt tussen %(fixed)s (nu vastgesteld) en "
                "%(awarded)s (verleend)."
            ) % {"fixed": _amount(fixed), "awarded": _amount(awarded)}
        return None
    if kind == DecisionKind.INTREKKING:
        lowest = 0 if application.fixed_at is not None else 1
        if not lowest <= remedy_cents <= awarded:
            return _(
                "Het bedrag na herroeping van de intrekking ligt tussen %(lowest)s en "
                "%(awarded)s (verleend)."
            ) % {"lowest": _amount(lowest), "awarded": _amount(awarded)}
        return None
    return _("Tegen dit besluit staat geen bezwaar open.")


def _require_person(actor):
    """Deciding is always someone's: ``objection_fire`` checks no permission for the
    system (actor None)."""
    if actor is None or not actor.is_authenticated:
        raise ObjectionError(
            _("Alleen een bezwaarbehandelaar of besluitvormer kan deze stap zetten.")
        )


def _waiver_message(waiver):
    allowed = workflow.WAIVER_OUTCOMES[HearingWaiver(waiver)]
    return _(
        "De indiener is niet gehoord op grond van artikel %(article)s Awb: "
        "'%(ground)s'. Daarbij past alleen de beslissing '%(outcome)s'."
    ) % {
        "article": waiver,
        "ground": HearingWaiver(waiver).label,
        "outcome": Outcome(allowed[0]).label.lower(),
    }


def objection_record_decision(
    *, objection, outcome, motivation, remedy_cents=None, actor
):
    """The handler's draft of the decision on a bezwaar ready for it; returns it.

    Not heard on a ground of Awb 7:3 that fits one outcome only (a: niet-ontvankelijk,
    e: gegrond), the draft must have that outcome."""
    _require_person(actor)
    motivation = (motivation or "").strip()
    try:
        outcome = Outcome(outcome)
    except ValueError as error:
        raise ObjectionError(_("Kies een beslissing.")) from error
    with transaction.atomic():
        locked = objection_lock(objection)
        if locked.state != ObjectionState.READY:
            raise ObjectionError(
                _(
                    "De beslissing kan alleen worden vastgelegd als het bezwaar klaar "
                    "is voor de beslissing (nu: '%(state)s')."
                )
                % {"state": ObjectionState(locked.state).label}
            )
        if not workflow.is_handler(locked, actor):
            raise ObjectionError(
                _("Alleen de behandelaar van dit bezwaar legt de beslissing vast.")
            )
        if not motivation:
            raise ObjectionError(_("Motiveer de beslissing."))
        if locked.is_late and locked.excusable is None:
            raise ObjectionError(
                _(
                    "Het bezwaar is te laat ingediend. Beoordeel eerst of dat "
                    "verschoonbaar is."
                )
            )
        if (
            locked.is_late
            and locked.excusable is False
            and outcome != Outcome.NOT_ADMISSIBLE
        ):
            raise ObjectionError(
                _(
                    "Het bezwaar is te laat ingediend en dat is niet verschoonbaar: "
                    "het is niet-ontvankelijk (artikel 6:11 Awb)."
                )
            )
        if not workflow.hearing_reported(locked) and not workflow.waiver_allows(
            locked.hearing_waiver, outcome
        ):
            raise ObjectionError(_waiver_message(locked.hearing_waiver))
        if outcome == Outcome.WELL_FOUNDED:
            if locked.decision.kind == DecisionKind.BUITEN_BEHANDELING:
                remedy_cents = None
            error = remedy_error(locked, locked.application, remedy_cents)
            if error:
                raise ObjectionError(error)
        else:
            remedy_cents = None
        values = {
            "outcome": outcome,
            "motivation": motivation,
            "remedy_cents": remedy_cents,
        }
        Objection.objects.filter(pk=locked.pk).update(**values)
        for name, value in values.items():
            setattr(locked, name, value)
    return locked


# --- the cost -----------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectionCost:
    """What a well-founded bezwaar's new decision adds to the round's committed money,
    and where it comes from: the reserve left first, then the rest of the ceiling."""

    cost_cents: int
    ceiling_cents: int
    committed_cents: int
    rest_cents: int  # under the ceiling, outside the unused reserve
    reserve_cents: int
    reserve_left_cents: int
    from_reserve_cents: int
    from_rest_cents: int
    fits: bool


def _committed_by(application):
    return (application.awarded_cents or 0) if application.is_granted else 0


def _new_award(objection, application):
    """The award the application has after the remedy (what the ceiling counts)."""
    kind = objection.decision.kind
    old = _committed_by(application)
    if objection.outcome != Outcome.WELL_FOUNDED or objection.remedy_cents is None:
        return old
    if kind in REJECTIONS or kind in AWARDS:
        return objection.remedy_cents
    if kind == DecisionKind.INTREKKING and application.fixed_at is None:
        return objection.remedy_cents
    return old


def remedy_cost(objection, application):
    """New award minus the old one, never negative (a lower amount frees nothing)."""
    return max(0, _new_award(objection, application) - _committed_by(application))


def objection_cost(objection):
    """``ObjectionCost`` of ``objection`` now (after the decision: what it cost)."""
    objection = Objection.objects.select_related("application__round", "decision").get(
        pk=objection.pk
    )
    application = objection.application
    round_ = application.round
    budget = round_budget(round_)
    if objection.state == ObjectionState.DECIDED:
        cost = objection.cost_cents
    else:
        cost = remedy_cost(objection, application)
    available = budget.available_cents
    reserve_left = min(budget.reserve_left_cents, available)
    rest = available - reserve_left
    from_reserve = min(cost, reserve_left)
    from_rest = cost - from_reserve
    return ObjectionCost(
        cost_cents=cost,
        ceiling_cents=budget.ceiling_cents,
        committed_cents=budget.committed_cents,
        rest_cents=rest,
        reserve_cents=budget.objection_reserve_cents,
        reserve_left_cents=reserve_left,
        from_reserve_cents=from_reserve,
        from_rest_cents=from_rest,
        fits=objection.state == ObjectionState.DECIDED or from_rest <= rest,
    )


# --- the remedy (Awb 7:11) ------------------------------------------------------------


def _reason(objection):
    return _("Bezwaar %(reference)s gegrond: %(motivation)s") % {
        "reference": objection.reference,
        "motivation": objection.motivation,
    }


def _fire(application, transition, *, actor, at, objection):
    return fire(
        application=application,
        transition=transition,
        actor=actor,
        at=at,
        reason=_reason(objection),
    )


def apply_remedy(objection, *, actor, at):
    """Put the new decision in place of the contested one; returns its cost (cents).

    In the caller's transaction, under the round's ceiling guard.
    """
    if objection.outcome != Outcome.WELL_FOUNDED:
        return 0
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("round__scheme", "applicant")
        .get(pk=objection.application_id)
    )
    error = remedy_error(objection, application, objection.remedy_cents)
    if error:
        raise ObjectionError(error)
    cost = remedy_cost(objection, application)
    kind = objection.decision.kind
    remedy = objection.remedy_cents
    if kind in REJECTIONS:
        facts.record_objection_award(application, awarded_cents=remedy)
        application = _fire(
            application, "award_on_objection", actor=actor, at=at, objection=objection
        )
        # A direct vaststelling is a decision maker's step; a handler's award leaves
        # it to the system, as the letter of the beslissing op bezwaar says.
        settler = actor if may_decide_application(application, actor) else None
        settle_award(application, actor=settler, at=at)
    elif kind == DecisionKind.BUITEN_BEHANDELING:
        _fire(
            application, "reopen_on_objection", actor=actor, at=at, objection=objection
        )
    elif directly_fixed(objection, application):
        # The verlening fixed the amount at once: the new one is awarded and fixed.
        facts.record_objection_award(application, awarded_cents=remedy)
        facts.record_fixed_amount(
            application, fixed_cents=remedy, motivation=objection.motivation
        )
        _fire(
            application,
            "revise_fixing_on_objection",
            actor=actor,
            at=at,
            objection=objection,
        )
    elif kind in AWARDS:
        facts.record_objection_award(application, awarded_cents=remedy)
        _fire(
            application,
            "revise_award_on_objection",
            actor=actor,
            at=at,
            objection=objection,
        )
    elif kind == DecisionKind.VASTSTELLING:
        facts.record_fixed_amount(
            application, fixed_cents=remedy, motivation=objection.motivation
        )
        _fire(
            application,
            "revise_fixing_on_objection",
            actor=actor,
            at=at,
            objection=objection,
        )
    elif kind == DecisionKind.INTREKKING:
        if application.fixed_at is not None:
            facts.record_fixed_amount(
                application, fixed_cents=remedy, motivation=objection.motivation
            )
            transition = "restore_fixing_on_objection"
        else:
            if remedy != application.awarded_cents:
                facts.record_objection_award(application, awarded_cents=remedy)
            transition = "restore_award_on_objection"
        _fire(application, transition, actor=actor, at=at, objection=objection)
    # A terugvordering never gets here: remedy_error refuses it.
    return cost


# --- deciding -----------------------------------------------------------------------


def _ceiling_message(error):
    return _(
        "Het subsidieplafond van deze ronde is bereikt: het nieuwe besluit past er "
        "niet meer onder. Er is niets opgeslagen. (%(detail)s)"
    ) % {"detail": error}


def _final(*, objection, transition, actor, at, prepare=None):
    """The final decision in one transaction under the round's ceiling guard."""
    round_id = (
        Application.objects.values_list("round_id", flat=True)
        .filter(pk=objection.application_id)
        .get()
    )
    try:
        with ceiling_guard(round_id):
            locked = objection_fire(
                objection=objection,
                transition=transition,
                actor=actor,
                at=at,
                prepare=prepare,
            )
            cost = apply_remedy(locked, actor=actor, at=at)
            Objection.objects.filter(pk=locked.pk).update(cost_cents=cost)
            locked.cost_cents = cost
            decision_on_objection_issue(objection=locked, actor=actor, at=at)
            application = Application.objects.get(pk=locked.application_id)
            if application.status in GRANTED_STATES:
                payments_follow(application)
    except CeilingExceeded as error:
        raise ObjectionError(_ceiling_message(error)) from error
    except (WorkflowError, DecisionError) as error:
        raise ObjectionError(str(error)) from error
    locked.refresh_from_db()
    return locked


def objection_decide(*, objection, actor, at=None):
    """The handler decides: at once, or proposes it to a second decision maker when
    a well-founded decision awards more than the round's four-eyes line."""
    _require_person(actor)
    at = at or timezone.now()
    current = Objection.objects.select_related("application__round").get(
        pk=objection.pk
    )
    if workflow.needs_second_approval(current):

        def propose(locked):
            locked.proposed_by = actor
            locked.approved_by = None

        return objection_fire(
            objection=current,
            transition="propose",
            actor=actor,
            at=at,
            prepare=propose,
        )
    return _final(objection=current, transition="decide", actor=actor, at=at)


def objection_approve(*, objection, actor, at=None):
    """A second decision maker approves the proposed decision; it takes effect."""
    _require_person(actor)
    at = at or timezone.now()
    current = Objection.objects.get(pk=objection.pk)
    if actor.pk == current.handler_id:
        raise ObjectionError(
            _(
                "U heeft dit bezwaar zelf behandeld. Een andere besluitvormer moet "
                "de beslissing goedkeuren (vier ogen)."
            )
        )
    if actor.pk in current.involved_user_ids():
        raise ObjectionError(
            _(
                "U was betrokken bij de aanvraag of het bestreden besluit. Een "
                "besluitvormer die er niet bij betrokken was, keurt de beslissing "
                "goed (artikel 7:5 Awb)."
            )
        )

    def approve(locked):
        locked.approved_by = actor

    return _final(
        objection=current, transition="approve", actor=actor, at=at, prepare=approve
    )


def objection_send_back(*, objection, actor, reason, at=None):
    """The second decision maker sends the proposal back to the handler, with why."""
    _require_person(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ObjectionError(_("Schrijf waarom u de beslissing terugstuurt."))

    def send_back(locked):
        locked.review_reason = reason

    return objection_fire(
        objection=objection,
        transition="send_back",
        actor=actor,
        reason=reason,
        at=at,
        prepare=send_back,
    )
