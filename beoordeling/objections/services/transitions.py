"""Firing a bezwaar's transition: under a row lock, with its log row, in one transaction.

``objection_fire`` is the one way a bezwaar changes state (like
``subsidies.services.fire`` for the application). A caller that must write other
facts first (the handler, the hearing, the decision) passes ``prepare``: it runs on
the locked row before the guards are checked, so the guard reads what is about to be
stored, and it is rolled back with everything else when the transition is refused.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import (
    ConcurrentTransition,
    TransitionNotAllowed,
    can_proceed,
    has_transition_perm,
)

from beoordeling.models import Objection, ObjectionLog
from beoordeling.objections.workflow import LODGE, TRANSITIONS, ObjectionState

from . import ObjectionError

SYSTEM_ACTOR_LABEL = "Systeem"


def _label(transition):
    return TRANSITIONS[transition][0]


def _log(*, objection, transition, source, actor, at, reason):
    return ObjectionLog.objects.create(
        objection=objection,
        application_id=objection.application_id,
        transition=transition,
        source=source,
        target=objection.state,
        actor=actor,
        # A resident known only by DigiD or eHerkenning has no e-mail address.
        actor_label=(actor.email or str(actor))
        if actor is not None
        else SYSTEM_ACTOR_LABEL,
        at=at,
        reason=reason,
    )


def log_lodged(*, objection, actor, at, reason=""):
    """The first log row of a new bezwaar: lodged (online) or registered (paper)."""
    return _log(
        objection=objection,
        transition=LODGE,
        source="",
        actor=actor,
        at=at,
        reason=reason,
    )


def objection_lock(objection):
    return (
        Objection.objects.select_for_update(of=("self",))
        .select_related(
            "application__round__scheme", "application__applicant", "decision"
        )
        .get(pk=objection.pk)
    )


def objection_fire(
    *, objection, transition, actor, reason="", at=None, prepare=None, **kwargs
):
    """Fire ``transition`` on ``objection`` and log it; returns the fresh bezwaar.

    Raises ``ObjectionError`` (Dutch) when the step is not possible in this state, the
    actor may not take it, or its guard is not met. Call it inside the caller's
    transaction when more must be written atomically with it.
    """
    at = at or timezone.now()
    with transaction.atomic():
        locked = objection_lock(objection)
        if prepare is not None:
            prepare(locked)
        method = getattr(locked, transition, None)
        if method is None or not hasattr(method, "_django_fsm"):
            raise ValueError(f"Unknown transition {transition!r}")
        action = _label(transition)
        if not can_proceed(method, check_conditions=False):
            raise ObjectionError(
                _("Dit kan nu niet (%(action)s): het bezwaar staat op '%(state)s'.")
                % {
                    "action": action,
                    "state": ObjectionState(locked.state).label,
                }
            )
        if actor is not None and not has_transition_perm(method, actor):
            raise ObjectionError(
                _("U mag deze stap niet zetten: %(action)s.") % {"action": action}
            )
        if not can_proceed(method):
            raise ObjectionError(
                _("Er ontbreekt nog iets om deze stap te zetten: %(action)s.")
                % {"action": action}
            )
        source = locked.state
        try:
            method(at=at, **kwargs)
            locked.save()
        except (TransitionNotAllowed, ConcurrentTransition) as error:
            raise ObjectionError(
                _(
                    "Iemand anders heeft dit bezwaar net gewijzigd. Laad de pagina opnieuw."
                )
            ) from error
        _log(
            objection=locked,
            transition=transition,
            source=source,
            actor=actor,
            at=at,
            reason=reason,
        )
    return locked
