"""Allocation runs: compute concept runs, fix one, approve with four eyes, decide by receipt.

The rule itself is the pure ``beoordeling.allocation``; this module feeds it from the
database and turns a fixed run into workflow transitions.

- A concept run (``allocation_run_create``) takes every assessed application of the
  round that no fixed allocation decided yet (``proposed_cents`` 0 takes part as
  ``zero_amount`` and is rejected) and the version of the published verdeelregel that
  applies to them: its mode, floors and caps per wijk (in round terms), shortfall
  rule, minimum partial amount and lottery seed. Nothing else is an input: a
  deviation is a new, motivated version of the rule. Awb 4:27 lid 2: an application
  is decided by the version in force when it was submitted
  (``subsidies.models.rules.rule_for_submission``), so a run takes the applications
  of the oldest version among the candidates (``selectors.allocation_group``) and the
  later ones follow in the next run under their own version; the run records it. It
  distributes what is left of the ceiling: the ceiling minus the money already
  committed; floors and caps are lowered by what each wijk already has. Nothing changes on the applications.
- Fixing (``allocation_run_fix``) locks the round row (``select_for_update``), refuses a
  run that is stale (other candidates, amounts, scores, ceiling, committed money or
  rule version than when it was computed) or that would exceed the ceiling, marks the run and its results
  immutable, writes the facts the guards read (``allocation_outcome``,
  ``awarded_cents``, ``rank``, ``allocation_reason``) and fires ``award`` or ``reject``
  through ``subsidies.services.fire``, all in one transaction.
- Four eyes: an award above ``Round.four_eyes_threshold_cents`` keeps its facts (so its
  money stays reserved) but is not fired; it waits in ``beoordeeld`` until a decision
  maker other than the one who fixed the run approves it
  (``allocation_result_approve``), which records ``second_approver`` and fires
  ``award``.
- Order of receipt (``application_decide_by_receipt``): a continuous-intake scheme
  decides one application at a time, as its own fixed run with one candidate, against
  the remaining ceiling minus the money still guaranteed to other wijken (their floor
  minus what they already have), and within its own wijk's cap. The oldest complete
  application goes first (the rule's order: the day it became complete, then the
  lottery); deciding another one first needs a written motivation, which is stored on
  its run (``order_exception``) and in the transition log.

Every function that commits money runs inside ``subsidies.rounds.ceiling_guard``: it
holds the round's row lock, so two decisions in one round never both see the same
remaining budget, and it refuses the whole transaction if the committed money ends
above the ceiling.
"""

import hashlib
from contextlib import contextmanager

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import DECIDE_APPLICATION
from beoordeling.allocation import (
    AMSTERDAM,
    AllocationInput,
    AllocationInputError,
    Candidate,
    District,
    Mode,
    OnShortfall,
    allocate,
    to_json,
)
from beoordeling.models import (
    AllocationResult,
    AllocationRun,
    DecisionError,
    ReviewState,
    RunKind,
    RunStatus,
)
from subsidies.facts import record_allocation, record_second_approval
from subsidies.models import (
    AllocationRule,
    Application,
    ApplicationAssistance,
    CeilingExceeded,
    Wijk,
)
from subsidies.models.rules import rule_for_submission
from subsidies.rounds import ceiling_guard, rule_in_force
from subsidies.services import WorkflowError, fire
from subsidies.workflow import CLOCK_RUNNING_STATES, Status

from ..selectors import (
    allocation_group,
    candidates_fingerprint,
    fair_shares,
    reason_sentence,
    round_budget,
)
from .settlement import settle_award

DECIDE_PERMISSION = DECIDE_APPLICATION


def require_decision_maker(user):
    if not (user and user.is_active and user.has_perm(DECIDE_PERMISSION)):
        raise DecisionError(_("Alleen een besluitvormer mag dit doen."))


class RunAlreadyFixed(DecisionError):
    """The run was fixed already (a second click, or another decision maker)."""


@contextmanager
def guarded_round(round_id):
    """``ceiling_guard`` with its refusal as a ``DecisionError`` for the screens."""
    try:
        with ceiling_guard(round_id) as round:
            yield round
    except CeilingExceeded as error:
        raise DecisionError(
            _("Dit besluit zou het subsidieplafond overschrijden. %(detail)s")
            % {"detail": error}
        ) from error


def current_rule(round, at):
    """The verdeelregel in force; without a published rule nothing is allocated."""
    rule = rule_in_force(round, at)
    if rule is None:
        raise DecisionError(
            _(
                "De verdeelregel van deze ronde is niet bekendgemaakt. Zonder "
                "bekendgemaakte verdeelregel kan er niet worden verdeeld."
            )
        )
    return rule


def rule_limits(rule):
    """The rule's floor and cap for every wijk id (``(0, None)`` when not named)."""
    named = rule.limits_by_wijk_id()
    return {wijk.pk: named.get(wijk.pk, (0, None)) for wijk in Wijk.objects.all()}


def _score_for_json(score):
    if score is None:
        return 0
    return int(score) if score == score.to_integral_value() else float(score)


def _received_at(application):
    moment = application.complete_at or application.submitted_at
    if moment is None:
        raise DecisionError(
            _("Aanvraag %(reference)s heeft geen datum van binnenkomst.")
            % {"reference": application.reference}
        )
    return moment


def _document(inp):
    """The JSON input document of the rule, as ``python -m beoordeling.allocation`` reads it."""
    return {
        "budget_cents": inp.budget_cents,
        "mode": str(inp.mode),
        "on_shortfall": str(inp.on_shortfall),
        "min_partial_cents": inp.min_partial_cents,
        "lottery_seed": inp.lottery_seed,
        "districts": [
            {"code": d.code, "floor_cents": d.floor_cents, "cap_cents": d.cap_cents}
            for d in inp.districts
        ],
        "candidates": [
            {
                "id": c.id,
                "district": c.district,
                "amount_cents": c.amount_cents,
                "score": _score_for_json(c.score),
                "received_at": c.received_at.isoformat(),
            }
            for c in inp.candidates
        ],
    }


def _effective(limit_cents, committed):
    if limit_cents is None:
        return None
    return max(0, limit_cents - committed)


def _build_input(
    *,
    rule,
    budget_cents,
    limits,
    committed_by_wijk,
    candidates,
):
    """Districts in round terms lowered by what each wijk has; candidates from applications."""
    wijken = [wijk for wijk, _share in fair_shares()]
    districts = tuple(
        District(
            wijk.code,
            _effective(limits[wijk.pk][0], committed_by_wijk.get(wijk.pk, 0)),
            _effective(limits[wijk.pk][1], committed_by_wijk.get(wijk.pk, 0)),
        )
        for wijk in wijken
    )
    entries = []
    for application in candidates:
        if application.wijk_id is None:
            raise DecisionError(
                _("Aanvraag %(reference)s heeft geen wijk.")
                % {"reference": application.reference}
            )
        entries.append(
            Candidate(
                id=application.reference,
                district=application.wijk.code,
                amount_cents=application.proposed_cents or 0,
                score=application.impact_score
                if application.impact_score is not None
                else 0,
                received_at=_received_at(application),
            )
        )
    try:
        return AllocationInput(
            budget_cents=budget_cents,
            mode=Mode(rule.mode),
            on_shortfall=OnShortfall(rule.on_shortfall),
            min_partial_cents=rule.min_partial_cents,
            lottery_seed=rule.lottery_seed or None,
            districts=districts,
            candidates=tuple(entries),
        )
    except AllocationInputError as error:
        raise DecisionError(
            _("De verdeling kan niet worden berekend: %(error)s") % {"error": error}
        ) from error


def _wijk_parameters(limits, committed_by_wijk):
    return [
        {
            "wijk_id": wijk.pk,
            "code": wijk.code,
            "name": wijk.name,
            "fair_share": str(share),
            "floor_cents": limits[wijk.pk][0],
            "cap_cents": limits[wijk.pk][1],
            "committed_cents": committed_by_wijk.get(wijk.pk, 0),
        }
        for wijk, share in fair_shares()
    ]


def _next_number(round):
    last = AllocationRun.objects.filter(round=round).aggregate(n=Max("number"))["n"]
    return (last or 0) + 1


def _store_run(
    *,
    round,
    rule,
    kind,
    inp,
    result,
    applications,
    budget,
    limits,
    actor,
    at,
    note,
    fingerprint,
    order_exception="",
):
    run = AllocationRun.objects.create(
        round=round,
        rule=rule,
        order_exception=order_exception,
        number=_next_number(round),
        kind=kind,
        status=RunStatus.CONCEPT,
        note=note,
        ceiling_cents=round.ceiling_cents,
        committed_cents=budget.committed_cents,
        budget_cents=inp.budget_cents,
        total_cents=result.total_cents,
        mode=str(inp.mode),
        on_shortfall=str(inp.on_shortfall),
        min_partial_cents=inp.min_partial_cents,
        lottery_seed=inp.lottery_seed or "",
        wijk_parameters=_wijk_parameters(limits, budget.committed_by_wijk),
        input_document=_document(inp),
        output_document=to_json(result),
        candidates_fingerprint=fingerprint,
        created_by=actor,
        created_at=at,
    )
    by_reference = {a.reference: a for a in applications}
    AllocationResult.objects.bulk_create(
        AllocationResult(
            run=run,
            application=by_reference[row.id],
            wijk_id=by_reference[row.id].wijk_id,
            score=by_reference[row.id].impact_score,
            candidate_cents=by_reference[row.id].proposed_cents or 0,
            rank=row.rank,
            awarded=row.awarded,
            amount_cents=row.amount_cents,
            reason=str(row.reason),
        )
        for row in result.results
    )
    return run


def allocation_run_create(*, round, actor, note="", at=None):
    """Compute and store a concept run with the round's verdeelregel in force."""
    require_decision_maker(actor)
    at = at or timezone.now()
    with guarded_round(round.pk) as round:  # numbers runs one by one
        current_rule(round, at)  # refuses a round without a published rule
        rule, candidates = allocation_group(round, at)
        if not candidates:
            raise DecisionError(
                _("Er zijn in deze ronde geen beoordeelde aanvragen om te verdelen.")
            )
        budget = round_budget(round)
        limits = rule_limits(rule)
        inp = _build_input(
            rule=rule,
            budget_cents=budget.remaining_cents,
            limits=limits,
            committed_by_wijk=budget.committed_by_wijk,
            candidates=candidates,
        )
        result = allocate(inp)
        return _store_run(
            round=round,
            rule=rule,
            kind=RunKind.ROUND,
            inp=inp,
            result=result,
            applications=candidates,
            budget=budget,
            limits=limits,
            actor=actor,
            at=at,
            note=note,
            fingerprint=candidates_fingerprint(candidates, budget, round.ceiling_cents),
        )


def _needs_second_approval(round, result):
    threshold = round.four_eyes_threshold_cents
    return result.awarded and threshold is not None and result.amount_cents > threshold


def _apply(result, *, round, actor, at, reason):
    """Write the facts of one fixed result, then fire its transition (unless four eyes)."""
    record_allocation(
        result.application,
        honoured=result.awarded,
        awarded_cents=result.amount_cents,
        rank=result.rank,
        reason=str(reason_sentence(result.reason)),
    )
    if _needs_second_approval(round, result):
        return
    try:
        application = fire(
            application=result.application,
            transition="award" if result.awarded else "reject",
            actor=actor,
            at=at,
            reason=reason,
        )
        if result.awarded:
            settle_award(application, actor=actor, at=at)
    except WorkflowError as error:
        raise DecisionError(
            _("Aanvraag %(reference)s: %(error)s")
            % {"reference": result.application.reference, "error": error}
        ) from error


def _fix(run, *, round, actor, at):
    AllocationRun.objects.filter(pk=run.pk).update(
        status=RunStatus.FIXED, fixed_by=actor, fixed_at=at
    )
    results = list(run.results.select_related("application"))
    for result in results:
        result.needs_second_approval = _needs_second_approval(round, result)
    AllocationResult.objects.filter(
        pk__in=[r.pk for r in results if r.needs_second_approval]
    ).update(needs_second_approval=True)
    AllocationResult.objects.filter(run=run).update(is_fixed=True)
    reason = _("Verdeling %(number)s van %(round)s vastgesteld.") % {
        "number": run.number,
        "round": round.name,
    }
    if run.order_exception:
        reason += " " + _("Afwijking van de volgorde van binnenkomst: %(why)s") % {
            "why": run.order_exception
        }
    for result in results:
        _apply(result, round=round, actor=actor, at=at, reason=reason)
    run.refresh_from_db()
    return run


def assisted_refusal(references=()):
    """Awb 2:4: who filled in an application at the wijkbureau does not decide on it."""
    if references:
        return _(
            "U heeft %(references)s aan het wijkbureau namens de aanvrager ingevuld. "
            "Een andere besluitvormer beslist daarover."
        ) % {"references": ", ".join(references)}
    return _(
        "U heeft deze aanvraag aan het wijkbureau namens de aanvrager ingevuld. "
        "Een andere besluitvormer beslist daarover."
    )


def require_not_assisted(actor, application_ids):
    """Refuse ``actor`` when they filled in any of these applications for a resident."""
    references = list(
        ApplicationAssistance.objects.filter(
            assisted_by_id=actor.pk, application_id__in=application_ids
        )
        .order_by("application__reference")
        .values_list("application__reference", flat=True)
    )
    if references:
        raise DecisionError(assisted_refusal(references))


def allocation_run_fix(*, run, actor, at=None):
    """Fix (vaststellen) a concept run and decide every application in it."""
    require_decision_maker(actor)
    require_not_assisted(actor, run.results.values("application_id"))
    at = at or timezone.now()
    with guarded_round(run.round_id) as round:
        run = AllocationRun.objects.select_for_update().get(pk=run.pk)
        if run.status != RunStatus.CONCEPT or run.kind != RunKind.ROUND:
            raise RunAlreadyFixed(_("Deze verdeling is al vastgesteld."))
        budget = round_budget(round)
        current_rule(round, at)
        rule, candidates = allocation_group(round, at)
        if (
            candidates_fingerprint(candidates, budget, round.ceiling_cents)
            != run.candidates_fingerprint
            or rule.pk != run.rule_id
        ):
            raise DecisionError(
                _(
                    "Sinds deze verdeling is berekend, is de ronde veranderd (aanvragen, "
                    "bedragen, scores, het plafond, de verdeelregel of eerdere "
                    "besluiten). Bereken een nieuwe verdeling en stel die vast."
                )
            )
        if budget.committed_cents + run.total_cents > round.ceiling_cents:
            raise DecisionError(
                _("Deze verdeling zou het subsidieplafond overschrijden.")
            )
        return _fix(run, round=round, actor=actor, at=at)


def allocation_result_approve(*, result, approver, at=None):
    """The second decision maker approves an award above the four-eyes threshold."""
    require_decision_maker(approver)
    require_not_assisted(approver, [result.application_id])
    at = at or timezone.now()
    with guarded_round(result.run.round_id) as round:
        result = (
            AllocationResult.objects.select_for_update(of=("self",))
            .select_related("run", "application")
            .get(pk=result.pk)
        )
        if not (result.is_fixed and result.needs_second_approval):
            raise DecisionError(
                _("Deze toekenning heeft geen tweede goedkeuring nodig.")
            )
        if result.approved_by_id is not None:
            raise DecisionError(_("Deze toekenning is al goedgekeurd."))
        if result.review_state != ReviewState.OPEN:
            raise DecisionError(
                _("Over deze toekenning is al geoordeeld: %(state)s.")
                % {"state": result.get_review_state_display().lower()}
            )
        if approver.pk == result.run.fixed_by_id:
            raise DecisionError(
                _(
                    "U heeft deze verdeling zelf vastgesteld. Een andere besluitvormer "
                    "moet de toekenning goedkeuren (vier ogen)."
                )
            )
        record_second_approval(result.application, approver=approver)
        try:
            application = fire(
                application=result.application,
                transition="award",
                actor=approver,
                at=at,
                reason=_(
                    "Tweede goedkeuring (vier ogen) bij verdeling %(number)s van %(round)s."
                )
                % {"number": result.run.number, "round": round.name},
            )
            settle_award(application, actor=approver, at=at)
        except WorkflowError as error:
            raise DecisionError(str(error)) from error
        result.approved_by = approver
        result.approved_at = at
        result.save(update_fields=["approved_by", "approved_at"])
    return result


def receipt_order_key(application, rule):
    """The place in the order of receipt: the day the application became complete
    (Europe/Amsterdam), then the rule's lottery (or the moment, then the reference)."""
    moment = _received_at(application)
    day = moment.astimezone(AMSTERDAM).date()
    if rule.lottery_seed:
        ticket = hashlib.sha256(
            f"{rule.lottery_seed}:{application.reference}".encode()
        ).hexdigest()
        return (day, ticket, "", "")
    return (day, "", moment.isoformat(), application.reference)


def older_waiting(application, rule):
    """The applications of the round that come before ``application`` and wait."""
    own = receipt_order_key(application, rule)
    others = (
        Application.objects.filter(
            round_id=application.round_id,
            status__in=CLOCK_RUNNING_STATES,  # still on their way to a decision
            allocation_outcome="",
            complete_at__isnull=False,
        )
        .exclude(pk=application.pk)
        .only("pk", "reference", "complete_at", "submitted_at")
    )
    return sorted(
        (other for other in others if receipt_order_key(other, rule) < own),
        key=lambda other: receipt_order_key(other, rule),
    )


def application_decide_by_receipt(
    *, application, actor, at=None, note="", order_exception=""
):
    """Decide one application of a continuous-intake round against what is left.

    The oldest complete application goes first; ``order_exception`` (a motivation)
    allows another one first and is recorded on the run and in the transition log.
    """
    require_decision_maker(actor)
    require_not_assisted(actor, [application.pk])
    at = at or timezone.now()
    order_exception = (order_exception or "").strip()
    with guarded_round(application.round_id) as round:
        if current_rule(round, at).mode != Mode.RECEIPT:
            raise DecisionError(
                _(
                    "Deze regeling verdeelt op rangorde: stel een verdeling voor de hele "
                    "ronde vast."
                )
            )
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("wijk", "round__scheme", "applicant")
            .get(pk=application.pk)
        )
        if application.status != Status.ASSESSED or application.allocation_outcome:
            raise DecisionError(
                _("Op aanvraag %(reference)s kan nu niet worden besloten.")
                % {"reference": application.reference}
            )
        # Awb 4:27 lid 2: the version in force when this application was submitted.
        rule = rule_for_submission(
            AllocationRule.objects.filter(round=round, published_at__lte=at),
            application.submitted_at,
        )
        older = older_waiting(application, rule)
        if older and not order_exception:
            raise DecisionError(
                _(
                    "Op volgorde van binnenkomst is eerst %(older)s aan de beurt (eerder "
                    "compleet). Besluit daar eerst over, of motiveer waarom u van de "
                    "volgorde afwijkt."
                )
                % {"older": ", ".join(o.reference for o in older[:5])}
            )
        if not older:
            order_exception = ""
        budget = round_budget(round)
        limits = rule_limits(rule)
        committed = budget.committed_by_wijk
        # Money guaranteed to the other wijken that they have not received yet.
        reserved = sum(
            max(0, floor - committed.get(wijk_id, 0))
            for wijk_id, (floor, _cap) in limits.items()
            if wijk_id != application.wijk_id
        )
        available = max(0, budget.remaining_cents - reserved)
        inp = _build_input(
            rule=rule,
            budget_cents=available,
            limits=limits,
            committed_by_wijk=committed,
            candidates=[application],
        )
        result = allocate(inp)
        run = _store_run(
            round=round,
            rule=rule,
            kind=RunKind.APPLICATION,
            inp=inp,
            result=result,
            applications=[application],
            budget=budget,
            limits=limits,
            actor=actor,
            at=at,
            note=note,
            fingerprint=candidates_fingerprint(
                [application], budget, round.ceiling_cents
            ),
            order_exception=order_exception,
        )
        return _fix(run, round=round, actor=actor, at=at)
