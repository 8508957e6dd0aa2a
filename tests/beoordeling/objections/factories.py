"""Bezwaren built through the real services, at named points of their life.

- ``objection_lodged``: a decided application with its beschikking (the verlening,
  or the afwijzing with ``status="afgewezen"``), then a bezwaar lodged online by a
  member of the applicant (``objection_lodge``), with its ontvangstbevestiging.
- ``objection_in_handling``: lodged, then assigned to an uninvolved
  Bezwaarbehandelaar (``objection_assign``).
- ``objection_ready``: in handling, then the hearing waived because the objector
  does not want to be heard (Awb 7:3 c), so it waits for the decision.

Every helper returns the fresh ``Objection``; its application and decision hang on
it. The people involved are on ``objection.application.applicant_user`` (who lodged),
``objection.decider`` (who decided the application) and ``objection.handler``.
"""

from datetime import timedelta

from django.utils import timezone

from accounts.roles import OBJECTION_HANDLER
from beoordeling.decisions.services.letters import decision_issue
from beoordeling.models import Decision
from beoordeling.objections.services.handling import (
    objection_assign,
    objection_waive_hearing,
)
from beoordeling.objections.services.lodging import objection_lodge
from beoordeling.objections.workflow import HearingWaiver
from tests.factories import (
    AddressedApplicantFactory,
    ApplicationFactory,
    RoundFactory,
    UserFactory,
    decision_maker,
)

REASONS = (
    "Onze buurtmaaltijd kreeg te weinig punten voor bereik: er doen juist veel "
    "buren mee die anders alleen eten."
)


def objection_handler(**kwargs):
    """A user with the role Bezwaarbehandelaar, uninvolved in any application."""
    return UserFactory(role=OBJECTION_HANDLER, **kwargs)


def decided_with_letter(*, status="toegekend", date_sent=None, decider=None, **kw):
    """An application decided by a fixed allocation run of its own round, and its
    beschikking (verlening or afwijzing) sent on ``date_sent`` (default today)."""
    decider = decider or decision_maker()
    kw.setdefault("round", RoundFactory())
    kw.setdefault("applicant", AddressedApplicantFactory())
    lifecycle = {"toegekend": "awarded", "afgewezen": "rejected"}[status]
    application = ApplicationFactory(decided_by=decider, **{lifecycle: True}, **kw)
    user = application.applicant_user
    decision, _created = decision_issue(
        application=application,
        actor=decider,
        date_sent=date_sent or timezone.localdate(),
        notify=False,
    )
    application.refresh_from_db()
    application.applicant_user = user
    application.decider = decider
    return application, decision


def _applicant_user(application):
    user = getattr(application, "applicant_user", None)
    if user is None:
        user = application.applicant.members.filter(is_active=True).first()
    return user


def objection_lodged(*, decision=None, application=None, **kwargs):
    """A bezwaar lodged online against ``decision`` (made when not given).

    Other keyword arguments: ``status`` and ``date_sent`` for the decision made here,
    and those of ``objection_lodge`` (``objector_name``, ``reasons``, ``files``,
    ``user``, ``at``).
    """
    status = kwargs.pop("status", "toegekend")
    date_sent = kwargs.pop("date_sent", None)
    decider = None
    if decision is None:
        if application is None:
            application, decision = decided_with_letter(
                status=status, date_sent=date_sent
            )
            decider = application.decider
        else:
            decision = Decision.objects.filter(application=application).first()
            if decision is None:
                _dummy, decision = decided_with_letter(status=status)
    application = application or decision.application
    user = kwargs.pop("user", None) or _applicant_user(application)
    kwargs.setdefault("objector_name", application.applicant.name)
    kwargs.setdefault("reasons", REASONS)
    objection = objection_lodge(decision=decision, user=user, **kwargs)
    objection.application.applicant_user = user
    objection.decider = decider or decision.created_by
    return objection


def objection_in_handling(handler=None, **kwargs):
    """A bezwaar assigned to ``handler`` (a new uninvolved handler by default)."""
    objection = objection_lodged(**kwargs)
    handler = handler or objection_handler()
    assigned = objection_assign(objection=objection, handler=handler, actor=handler)
    assigned.application.applicant_user = objection.application.applicant_user
    assigned.decider = objection.decider
    return assigned


def objection_ready(handler=None, **kwargs):
    """A bezwaar in handling whose hearing was waived (7:3 c): ready for a decision."""
    objection = objection_in_handling(handler=handler, **kwargs)
    ready = objection_waive_hearing(
        objection=objection,
        waiver=HearingWaiver.OBJECTOR_DECLINED,
        motivation="De indiener liet per e-mail weten niet gehoord te willen worden.",
        actor=objection.handler,
    )
    ready.application.applicant_user = objection.application.applicant_user
    ready.decider = objection.decider
    return ready


def days_ago(days):
    return timezone.localdate() - timedelta(days=days)
