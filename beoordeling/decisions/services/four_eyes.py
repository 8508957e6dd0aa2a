"""Four eyes saying no: refusing an award, sending it back, and the first decision
maker's answer (offer it again, or withdraw it).

An award above the round's four-eyes threshold waits in ``beoordeeld`` with its money
reserved (``allocation_runs``). Besides approving it
(``allocation_runs.allocation_result_approve``), a second decision maker (never the
one who fixed the run) can:

- refuse it (``allocation_result_refuse``): the result no longer decides the
  application; its allocation facts are cleared, so the money returns to the round
  and the application is a candidate of the next run again;
- send it back (``allocation_result_send_back``) to the decision maker who fixed the
  run: the money stays reserved and the award leaves the four-eyes queue until that
  decision maker offers it again with an answer (``allocation_result_resubmit``) or
  withdraws it (``allocation_result_withdraw``, which returns the money like a
  refusal).

Each step needs a reason, runs inside the ceiling guard of the round (so it never
crosses a decision in the same round) and is recorded on the result (the last step)
and as an ``AssessmentEvent`` of the application (the history: who, when, why).
"""

from collections.abc import Callable
from typing import NamedTuple

from django.utils import timezone
from django.utils.translation import gettext as _

from beoordeling.models import (
    AllocationResult,
    AssessmentEvent,
    DecisionError,
    ReviewState,
)
from subsidies.facts import release_allocation
from subsidies.workflow import Status

from .allocation_runs import (
    guarded_round,
    require_decision_maker,
    require_not_assisted,
)

#: The longest reason kept (a form bounds it too); more is refused, never cut.
REASON_MAX_LENGTH = 4000


class ReasonMissing(DecisionError):
    """The step needs a reason; the message is for the reason field."""


def _clean_reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise ReasonMissing(
            _("Schrijf op waarom. De reden komt in de geschiedenis van de aanvraag.")
        )
    if "\x00" in reason or len(reason) > REASON_MAX_LENGTH:
        raise ReasonMissing(
            _("De reden mag hoogstens %(max)s tekens hebben, zonder nul-tekens.")
            % {"max": REASON_MAX_LENGTH}
        )
    return reason


def _locked_result(result):
    return (
        AllocationResult.objects.select_for_update(of=("self",))
        .select_related("run", "application")
        .get(pk=result.pk)
    )


def _require_waiting(result):
    if not (result.is_fixed and result.needs_second_approval):
        raise DecisionError(_("Deze toekenning heeft geen tweede goedkeuring nodig."))
    if result.approved_by_id is not None:
        raise DecisionError(_("Deze toekenning is al goedgekeurd."))
    if result.review_state != ReviewState.OPEN:
        raise DecisionError(
            _("Over deze toekenning is al geoordeeld: %(state)s.")
            % {"state": result.get_review_state_display().lower()}
        )
    if result.application.status != Status.ASSESSED:
        raise DecisionError(_("Op deze aanvraag is al besloten."))


def _require_second(result, reviewer):
    if reviewer.pk == result.run.fixed_by_id:
        raise DecisionError(
            _(
                "U heeft deze verdeling zelf vastgesteld. Een andere besluitvormer "
                "moet de toekenning beoordelen (vier ogen)."
            )
        )
    require_not_assisted(reviewer, [result.application_id])


def _record(result, *, state, actor, at, reason, kind):
    AllocationResult.objects.filter(pk=result.pk).update(
        review_state=state, reviewed_by=actor, reviewed_at=at, review_reason=reason
    )
    AssessmentEvent.objects.create(
        application=result.application,
        kind=kind,
        actor=actor,
        actor_label=actor.email,
        at=at,
        text=_("Verdeling %(number)s van %(round)s. %(reason)s")
        % {
            "number": result.run.number,
            "round": result.run.round.name,
            "reason": reason,
        },
    )
    result.refresh_from_db()
    return result


def _release(result):
    """The result no longer decides its application: the money returns to the round."""
    release_allocation(result.application)


class _Step(NamedTuple):
    """What one step checks first, the state it leaves, the event it logs, and
    whether the money returns to the round."""

    check: Callable
    state: ReviewState
    kind: AssessmentEvent.Kind
    releases: bool = False


def _review_step(step, *, result, actor, reason, at):
    """Take ``step`` on ``result``: check it, release the money if the step does,
    and record it on the result and in the application's history."""
    require_decision_maker(actor)
    reason = _clean_reason(reason)
    at = at or timezone.now()
    with guarded_round(result.run.round_id):
        result = _locked_result(result)
        step.check(result, actor)
        if step.releases:
            _release(result)
        return _record(
            result, state=step.state, actor=actor, at=at, reason=reason, kind=step.kind
        )


def sent_back_refusal(result, actor, *, withdrawing=False):
    """Why ``actor`` may not answer this sending back ("" when they may).

    Only who fixed the run offers it again. Withdrawing is open to any other decision
    maker too, except the one who sent it back: so a proposal never stays reserved
    because its first decision maker has left."""
    if result.review_state != ReviewState.SENT_BACK:
        return _("Deze toekenning is niet (meer) teruggestuurd.")
    if actor.pk == result.run.fixed_by_id:
        return ""
    if withdrawing and actor.pk != result.reviewed_by_id:
        return ""
    return _(
        "Alleen wie de verdeling vaststelde, kan een teruggestuurde toekenning opnieuw "
        "voorleggen. Intrekken kan ook een andere besluitvormer, maar niet wie haar "
        "terugstuurde."
    )


def _require_sent_back_to(result, actor, *, withdrawing=False):
    refusal = sent_back_refusal(result, actor, withdrawing=withdrawing)
    if refusal:
        raise DecisionError(refusal)


def _require_second_on_waiting(result, reviewer):
    _require_waiting(result)
    _require_second(result, reviewer)


def _require_withdrawable(result, actor):
    _require_sent_back_to(result, actor, withdrawing=True)


_Kind = AssessmentEvent.Kind
_REFUSE = _Step(
    _require_second_on_waiting, ReviewState.REFUSED, _Kind.FOUR_EYES_REFUSED, True
)
_SEND_BACK = _Step(
    _require_second_on_waiting, ReviewState.SENT_BACK, _Kind.FOUR_EYES_SENT_BACK
)
_RESUBMIT = _Step(_require_sent_back_to, ReviewState.OPEN, _Kind.FOUR_EYES_RESUBMITTED)
_WITHDRAW = _Step(
    _require_withdrawable, ReviewState.WITHDRAWN, _Kind.FOUR_EYES_WITHDRAWN, True
)


def allocation_result_refuse(*, result, reviewer, reason, at=None):
    """A second decision maker refuses an award that waits for four eyes."""
    return _review_step(_REFUSE, result=result, actor=reviewer, reason=reason, at=at)


def allocation_result_send_back(*, result, reviewer, reason, at=None):
    """A second decision maker sends an award back to who fixed the run."""
    return _review_step(_SEND_BACK, result=result, actor=reviewer, reason=reason, at=at)


def allocation_result_resubmit(*, result, actor, reason, at=None):
    """The first decision maker answers and offers the award to the four eyes again."""
    return _review_step(_RESUBMIT, result=result, actor=actor, reason=reason, at=at)


def allocation_result_withdraw(*, result, actor, reason, at=None):
    """The first decision maker withdraws an award that was sent back."""
    return _review_step(_WITHDRAW, result=result, actor=actor, reason=reason, at=at)
