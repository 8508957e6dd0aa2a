"""Reads of the bezwaar procedure: whose bezwaren, the work list, the clocks shown.

- ``objections_for_user``: the bezwaren against decisions on the applications of the
  applicants ``user`` is a member of (the objector's own pages).
- ``objection_queue``: the staff work list; empty for a user who may not see
  bezwaren (``VIEW_OBJECTION`` or ``HANDLE_OBJECTION``).
- ``objection_deadline_state``: how the decision due date stands: ``"overdue"``,
  ``"due_soon"`` (within ``DUE_SOON_DAYS`` days) or ``"ok"``; None for a bezwaar
  that is decided or withdrawn.
- ``objectable_decisions``: the beschikkingen of an application a bezwaar can be
  lodged against now (not a beslissing op bezwaar, no open bezwaar yet, and no
  bezwaar decided: against the beslissing op bezwaar the road is beroep), each with
  its last day and whether that day has passed. A late bezwaar is still accepted
  and flagged, so one past its term is listed too; a withdrawn bezwaar blocks
  nothing.
- ``open_objection_for``: the open bezwaar against a decision, or None.
- ``objection_attachments``: the files lodged with a bezwaar.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from accounts.roles import HANDLE_OBJECTION, VIEW_OBJECTION
from beoordeling.models import Decision, DecisionKind, Objection
from beoordeling.objections import terms
from beoordeling.objections.workflow import OPEN_STATES, ObjectionState
from subsidies.models import Application

DUE_SOON_DAYS = 7


def _with_related(queryset):
    return queryset.select_related(
        "application__applicant", "application__round__scheme", "decision", "handler"
    )


def objections_for_user(user):
    """The bezwaren of the applicants ``user`` is a member of, newest first."""
    if not (user and user.is_authenticated):
        return Objection.objects.none()
    return _with_related(
        Objection.objects.filter(
            application__in=Application.objects.for_applicant_user(user)
        )
    )


def may_view_objections(user):
    return bool(
        user
        and user.is_active
        and (user.has_perm(VIEW_OBJECTION) or user.has_perm(HANDLE_OBJECTION))
    )


def objection_queue(user, *, state=None, mine=False):
    """The staff work list, the first due first.

    ``state``: one ``ObjectionState`` value; None gives every open bezwaar.
    ``mine``: only the bezwaren ``user`` handles.
    """
    if not may_view_objections(user):
        return Objection.objects.none()
    queryset = Objection.objects.all()
    if state is None:
        queryset = queryset.filter(state__in=OPEN_STATES)
    else:
        queryset = queryset.filter(state=state)
    if mine:
        queryset = queryset.filter(handler=user)
    return _with_related(queryset).order_by("decision_due_on", "lodged_at", "pk")


def objection_deadline_state(objection, today=None):
    """``"overdue"``, ``"due_soon"``, ``"ok"``; None once decided or withdrawn."""
    if objection.state not in OPEN_STATES:
        return None
    today = today or timezone.localdate()
    due = objection.decision_due_on
    if due < today:
        return "overdue"
    if due - today <= timedelta(days=DUE_SOON_DAYS):
        return "due_soon"
    return "ok"


@dataclass(frozen=True)
class ObjectableDecision:
    decision: Decision
    #: The last day of the bezwaartermijn (Awb 6:7, 6:8, with the Atw).
    term_end: date
    #: Today is not past ``term_end``; a later bezwaar is accepted and flagged late.
    in_time: bool


def objectable_decisions(application, *, today=None):
    """The beschikkingen of ``application`` a bezwaar can be lodged against now."""
    today = today or timezone.localdate()
    blocked = set(
        Objection.objects.filter(
            application_id=application.pk,
            state__in=(*OPEN_STATES, ObjectionState.DECIDED),
        ).values_list("decision_id", flat=True)
    )
    decisions = (
        Decision.objects.filter(application_id=application.pk)
        .exclude(kind=DecisionKind.BESLISSING_OP_BEZWAAR)
        .exclude(pk__in=blocked)
        .order_by("date_sent", "kenmerk")
    )
    result = []
    for decision in decisions:
        end = terms.objection_term_end(decision.date_sent)
        result.append(
            ObjectableDecision(decision=decision, term_end=end, in_time=today <= end)
        )
    return result


def open_objection_for(decision):
    """The open bezwaar against ``decision``, or None (there is at most one)."""
    return _with_related(
        Objection.objects.filter(decision_id=decision.pk, state__in=OPEN_STATES)
    ).first()


def objection_attachments(objection):
    """The files lodged with ``objection``."""
    return objection.attachments.order_by("pk")
