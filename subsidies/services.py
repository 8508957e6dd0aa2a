"""Use cases that change applications: create, budget, and fire workflow transitions.

Every transition goes through ``fire``: it locks the application row, checks the
transition is allowed from the current status, that its guards hold and that the actor
may fire it, runs it, saves, and writes one transition log row, all in one database
transaction. Two people acting on one application at once: the second waits for the
lock, then finds the status moved on and gets a ``WorkflowError`` in plain Dutch.
Services take keyword arguments and never a request.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import (
    ConcurrentTransition,
    TransitionNotAllowed,
    can_proceed,
    has_transition_perm,
)

from .models import Application, ReferenceCounter, TransitionLog
from .workflow import Status

SYSTEM_ACTOR_LABEL = "Systeem"


class WorkflowError(Exception):
    """A transition that may not happen now; the message is for the user, in Dutch."""


TRANSITION_LABELS = {
    "submit": gettext_lazy("indienen"),
    "request_supplement": gettext_lazy("aanvulling vragen"),
    "supplement": gettext_lazy("aanvulling insturen"),
    "set_aside": gettext_lazy("buiten behandeling stellen"),
    "accept": gettext_lazy("in behandeling nemen"),
    "reject_preconditions": gettext_lazy("afwijzen op randvoorwaarden"),
    "complete_assessment": gettext_lazy("beoordeling afronden"),
    "award": gettext_lazy("toekennen"),
    "reject": gettext_lazy("afwijzen"),
    "withdraw": gettext_lazy("intrekken"),
}


def next_reference(*, prefix, year):
    """Hand out the next reference like ``IF-2026-0042``; safe under concurrency."""
    with transaction.atomic():
        counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(
            prefix=prefix, year=year
        )
        ReferenceCounter.objects.filter(pk=counter.pk).update(
            last_number=F("last_number") + 1
        )
        counter.refresh_from_db()
    return f"{prefix}-{year}-{counter.last_number:04d}"


def application_create(*, round, applicant, created_by=None, **fields):
    now = timezone.now()
    with transaction.atomic():
        reference = next_reference(
            prefix=round.scheme.reference_prefix, year=timezone.localdate(now).year
        )
        application = Application(
            reference=reference,
            round=round,
            applicant=applicant,
            created_by=created_by,
            question_set=round.scheme.current_question_set(),
            **fields,
        )
        application.save()
    return application


def application_recalculate_requested(*, application):
    """The requested amount is always the sum of the budget lines."""
    total = application.budget_total_cents()
    Application.objects.filter(pk=application.pk).update(requested_cents=total)
    application.requested_cents = total
    return total


def _not_allowed_message(application, name):
    label = TRANSITION_LABELS.get(name, name)
    return _("U kunt deze aanvraag nu niet %(action)s: de status is '%(status)s'.") % {
        "action": label,
        "status": Status(application.status).label,
    }


def fire(*, application, transition, actor, reason="", at=None, **kwargs):
    """Fire one workflow transition and log it. ``actor=None`` means the system.

    Returns the fresh application. Raises ``WorkflowError`` with a Dutch message when
    the transition is not possible now or the actor may not fire it.
    """
    at = at or timezone.now()
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update()
            .select_related("round__scheme", "applicant")
            .get(pk=application.pk)
        )
        method = getattr(locked, transition, None)
        if method is None or not hasattr(method, "_django_fsm"):
            raise ValueError(f"Unknown transition {transition!r}")
        if not can_proceed(method, check_conditions=False):
            raise WorkflowError(_not_allowed_message(locked, transition))
        if actor is not None and not has_transition_perm(method, actor):
            raise WorkflowError(
                _("U heeft geen recht om deze aanvraag te %(action)s.")
                % {"action": TRANSITION_LABELS.get(transition, transition)}
            )
        if not can_proceed(method):
            raise WorkflowError(
                _(
                    "De voorwaarden om deze aanvraag te %(action)s zijn (nog) niet vervuld."
                )
                % {"action": TRANSITION_LABELS.get(transition, transition)}
            )
        source = locked.status
        try:
            method(at=at, **kwargs)
            locked.save()
        except (TransitionNotAllowed, ConcurrentTransition) as error:
            raise WorkflowError(
                _(
                    "Iemand anders heeft deze aanvraag net gewijzigd. Laad de pagina opnieuw."
                )
            ) from error
        TransitionLog.objects.create(
            application=locked,
            reference=locked.reference,
            transition=transition,
            source=source,
            target=locked.status,
            actor=actor,
            actor_label=(actor.email if actor is not None else SYSTEM_ACTOR_LABEL),
            at=at,
            reason=reason,
        )
    return locked
