"""The wijzigingsverzoek: the recipient asks, staff answer (``models.ChangeRequest``).

Rules:

- Only the applicant of a toegekend grant asks, one open request at a time, with a
  reason and at least one change (a new last day after the first day of the
  activities, or what changes in the activities or the budget).
- Staff who assess or decide answer it. A refusal and a grant that changes no rights
  (activities or budget lines, the end date unchanged) are answered here, with the
  answer mailed to the recipient. A grant that moves the end date changes the
  beschikking: a decision maker takes the wijzigingsbesluit
  (``beoordeling.decisions.services.after_award.propose_amend``), which marks the
  request granted when its letter is made.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import ASSESS_APPLICATION, DECIDE_APPLICATION

from . import mail_language
from .mail import queue_mail
from .models import ChangeRequest
from .services import WorkflowError
from .workflow import Status

#: The states from which a recipient may ask a change: the grant is running.
CHANGEABLE_STATES = (Status.AWARDED,)


def may_ask_change(application):
    return application.status in CHANGEABLE_STATES


def open_change_request(application):
    return application.change_requests.filter(state=ChangeRequest.State.OPEN).first()


def change_request_submit(
    *,
    application,
    user,
    reason,
    new_activity_end=None,
    activities_change="",
    budget_change="",
    at=None,
):
    """Record the recipient's request; WorkflowError (Dutch) when it may not be asked."""
    if not application.applicant.has_member(user):
        raise WorkflowError(_("Alleen de aanvrager kan een wijziging vragen."))
    if not may_ask_change(application):
        raise WorkflowError(
            _("Een wijziging vragen kan alleen bij een toegekende subsidie.")
        )
    if not (new_activity_end or activities_change.strip() or budget_change.strip()):
        raise WorkflowError(_("Vul in wat u wilt wijzigen."))
    try:
        with transaction.atomic():
            mail_language.remember(application.applicant, by=user)
            return ChangeRequest.objects.create(
                application=application,
                new_activity_end=new_activity_end,
                activities_change=activities_change.strip(),
                budget_change=budget_change.strip(),
                reason=reason.strip(),
                requested_by=user,
                requested_at=at or timezone.now(),
            )
    except IntegrityError as error:
        raise WorkflowError(
            _("U heeft al een wijziging gevraagd. Wacht op ons antwoord.")
        ) from error


def may_answer(user):
    return bool(
        user
        and user.is_active
        and (user.has_perm(ASSESS_APPLICATION) or user.has_perm(DECIDE_APPLICATION))
    )


def change_request_answer(*, change_request, actor, granted, answer, at=None):
    """Refuse, or grant a request that changes no rights; the answer is mailed."""
    if not may_answer(actor):
        raise WorkflowError(_("U mag deze vraag niet beantwoorden."))
    answer = (answer or "").strip()
    if not answer:
        raise WorkflowError(_("Schrijf het antwoord. De aanvrager leest het."))
    at = at or timezone.now()
    with transaction.atomic():
        locked = (
            ChangeRequest.objects.select_for_update()
            .select_related("application__applicant")
            .get(pk=change_request.pk)
        )
        if not locked.is_open:
            raise WorkflowError(_("Deze vraag is al beantwoord."))
        if granted and locked.changes_rights():
            raise WorkflowError(
                _(
                    "Deze wijziging verandert de beschikking (de laatste dag). Een "
                    "besluitvormer neemt daarvoor een nieuw besluit."
                )
            )
        state = ChangeRequest.State.GRANTED if granted else ChangeRequest.State.REFUSED
        ChangeRequest.objects.filter(pk=locked.pk).update(
            state=state, answer=answer, answered_by=actor, answered_at=at
        )
        _mail_answer(locked, granted=granted, answer=answer)
    locked.refresh_from_db()
    return locked


def _mail_answer(change_request, *, granted, answer):
    application = change_request.application
    recipients = application.applicant.mail_recipients()
    if not recipients:
        return
    # Staff answer on a Dutch screen; the mail is in the applicant's language.
    with mail_language.in_language_of(application):
        verdict = (
            _("Wij gaan akkoord met uw wijziging.")
            if granted
            else _("Wij gaan niet akkoord met uw wijziging.")
        )
        subject = _("Antwoord op uw vraag om een wijziging (%(reference)s)") % {
            "reference": application.reference
        }
        body = "\n\n".join(
            [
                _("Beste %(name)s,")
                % {
                    "name": application.applicant.contact_name
                    or application.applicant.name
                },
                _("U vroeg ons om een wijziging van uw subsidie '%(title)s'.")
                % {"title": application.title},
                str(verdict),
                answer,
                _("Met vriendelijke groet,\nGemeente Utrecht, Initiatiefloket"),
            ]
        )
    queue_mail(
        to=recipients, subject=subject, body=body, reference=application.reference
    )
