"""Use cases of the assessment: check, ask for an aanvulling, assign, score, complete.

Every function takes keyword arguments, never a request, and raises
``AssessmentError`` (or ``subsidies.services.WorkflowError`` from a transition) with a
Dutch message for the user. Workflow transitions go through ``subsidies.services.fire``
only; the facts their guards read (``preconditions_met``, ``impact_score``,
``proposed_cents``) are written in the same database transaction just before.

- ``preconditions_record``: the assessor confirms or overrides every randvoorwaarde
  (an override needs a motivation, ``preconditions.confirm``); all hard ones met fires
  ``accept``, otherwise ``reject_preconditions`` with the failed ones as motivation.
- ``supplement_request``: Awb 4:5. Stores a ``SupplementRequest``, fires
  ``request_supplement`` (the decision clock stops) and e-mails the applicant after
  the commit. ``application_set_aside``: after an unused hersteltermijn.
- ``assessor_assign``, ``assessment_declare``: at most ``Scheme.assessors_required``
  assessors who did not recuse; each declares having no conflict of interest first.
- ``assessment_save``: draft or submit the scores. Where two assessors were 2 or more
  points apart, one proposes a score (``consensus_propose``); it counts when the
  other agrees (``consensus_answer``), and when they disagree a third assessor, not
  one of the two and not recused, decides (``consensus_decide``). After a score or an
  agreed consensus,
  ``assessment_complete`` records the impact score and the proposed amount and fires
  ``complete_assessment`` once enough assessments are in and no disagreement is open.
- ``rubric_publish``: a new version of a scheme's rubric (versions are immutable).
"""

import logging
from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from subsidies.facts import record_assessment, record_preconditions
from subsidies.mail import queue_mail
from subsidies.mail_language import in_language_of
from subsidies.models import Application, SupplementRequest
from subsidies.services import fire
from subsidies.services_assisted import assisted
from subsidies.workflow import Status

from .. import preconditions, scoring
from ..letters import format_date
from ..models import (
    CONSENSUS_RESPONSE_FIELDS,
    Assessment,
    AssessmentEvent,
    AssessmentSummary,
    ConsensusNote,
    ConsensusStatus,
    PreconditionOutcome,
    PreconditionReview,
    Rubric,
    RubricCriterion,
    Score,
)
from . import facts, selectors

logger = logging.getLogger(__name__)


class AssessmentError(Exception):
    """The action is not possible; the message is for the user, in Dutch.

    ``errors`` maps a field (a randvoorwaarde or criterion code) to its message.
    """

    def __init__(self, message, errors=None):
        super().__init__(message)
        self.errors = errors or {}


def _event(application, kind, actor, at, text=""):
    AssessmentEvent.objects.create(
        application=application,
        kind=kind,
        actor=actor,
        actor_label=actor.email if actor is not None else "Systeem",
        at=at,
        text=text,
    )


def _field_error(field, message):
    """The action is refused for one field, with the same message above the form."""
    return AssessmentError(message, errors={field: message})


def _required_reason(reason):
    """The reason of a declared conflict of interest, which may not be empty."""
    reason = (reason or "").strip()
    if not reason:
        raise _field_error("reason", _("Schrijf op welk belang u heeft."))
    return reason


def _require_assessor(application, actor):
    """The actor is an assessor who may see and handle this application."""
    if not selectors.is_assessor(actor):
        raise AssessmentError(_("Alleen een beoordelaar kan dit doen."))
    if not selectors.applications_visible_to(actor).filter(pk=application.pk).exists():
        raise AssessmentError(_("Deze aanvraag hoort niet bij uw werkvoorraad."))
    if selectors.has_recused(actor, application):
        raise AssessmentError(
            _(
                "U heeft bij deze aanvraag een belangenconflict gemeld. U kunt haar "
                "daarom niet behandelen."
            )
        )
    if assisted(application, actor):
        raise AssessmentError(_assisted_message(actor))


def _assisted_message(user):
    """Awb 2:4: who filled in the application for the resident at the wijkbureau
    never assesses it (``subsidies.services_assisted``)."""
    return _(
        "%(name)s heeft deze aanvraag aan het wijkbureau namens de aanvrager "
        "ingevuld en kan haar daarom niet beoordelen."
    ) % {"name": user.get_full_name() or user.email}


def _require_status(application, *statuses, message):
    if application.status not in statuses:
        raise AssessmentError(message)


# --- randvoorwaarden --------------------------------------------------------------


def preconditions_record(*, application, actor, choices, at=None):
    """Confirm or override every randvoorwaarde, then accept or reject.

    ``choices`` maps a rule code to ``(outcome, motivation)`` with outcome
    ``"voldaan"`` or ``"niet_voldaan"``. Returns the fresh application.
    """
    at = at or timezone.now()
    _require_assessor(application, actor)
    _require_status(
        application,
        Status.SUBMITTED,
        message=_(
            "U toetst de randvoorwaarden als de aanvraag de status ‘Ingediend’ heeft."
        ),
    )
    proposals = facts.precondition_proposals(application)
    if not proposals:
        raise AssessmentError(
            _("Voor deze regeling zijn nog geen randvoorwaarden ingesteld.")
        )
    decisions, errors = [], {}
    for proposal in proposals:
        code = proposal.rule.code
        outcome, motivation = choices.get(code, ("", ""))
        if outcome not in (preconditions.Outcome.MET, preconditions.Outcome.NOT_MET):
            errors[code] = _("Kies ‘voldaan’ of ‘niet voldaan’.")
            continue
        try:
            decisions.append(
                preconditions.confirm(
                    proposal.result, outcome=outcome, motivation=motivation or ""
                )
            )
        except preconditions.OverrideError as error:
            errors[code] = str(error)
    if errors:
        raise AssessmentError(
            _("Niet alle randvoorwaarden zijn goed ingevuld."), errors=errors
        )
    met = preconditions.final_outcome(decisions)
    if met:
        motivation = "\n".join(
            f"{d.label}: {d.motivation}" for d in decisions if d.overridden
        )
    else:
        motivation = "\n".join(
            f"{d.label}: {d.reason}"
            for d in decisions
            if d.hard and d.confirmed is preconditions.Outcome.NOT_MET
        )
    with transaction.atomic():
        review = PreconditionReview.objects.create(
            application=application,
            reviewer=actor,
            reviewed_at=at,
            met=met,
            motivation=motivation,
        )
        rules = {p.rule.code: p.rule for p in proposals}
        PreconditionOutcome.objects.bulk_create(
            PreconditionOutcome(
                review=review,
                rule=rules[d.code],
                code=d.code,
                label=d.label,
                hard=d.hard,
                proposed=d.proposed.value,
                proposal_reason=d.proposal_reason,
                confirmed=d.confirmed.value,
                motivation=d.motivation,
            )
            for d in decisions
        )
        record_preconditions(application, met=met, motivation=motivation)
        _event(
            application,
            AssessmentEvent.Kind.PRECONDITIONS,
            actor,
            at,
            _("Alle harde randvoorwaarden voldaan.")
            if met
            else _("Niet voldaan: %(reasons)s") % {"reasons": motivation},
        )
        return fire(
            application=application,
            transition="accept" if met else "reject_preconditions",
            actor=actor,
            at=at,
            reason=motivation or _("Alle harde randvoorwaarden voldaan."),
        )


# --- aanvulling (Awb 4:5) ---------------------------------------------------------


def end_of_day(day):
    """The last second of ``day`` in the portal's time zone."""
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def _applicant_emails(application):
    return application.applicant.mail_recipients()


def _queue_supplement_mail(request):
    """Queue the e-mail in the outbox, in the same transaction as the request."""
    application = request.application
    recipients = _applicant_emails(application)
    if not recipients:
        logger.warning("No e-mail address for %s", application.reference)
        return
    # The assessor works on a Dutch screen; the mail is in the applicant's language
    # (subject and body, the date too).
    with in_language_of(application):
        context = {
            "application": application,
            "request": request,
            "due": timezone.localtime(request.due_at),
            "scheme": application.round.scheme,
        }
        subject = render_to_string(
            "beoordeling/assessment/email/supplement_request_subject.txt", context
        )
        body = render_to_string(
            "beoordeling/assessment/email/supplement_request.txt", context
        )
    # A refusing mail server never undoes the request: the outbox retries.
    queue_mail(
        to=recipients, subject=subject, body=body, reference=application.reference
    )


#: The hersteltermijn (Awb 4:5) in days, counted from today: at least one week, so
#: the applicant has a real chance to supplement (VNG practice is 14 days, the
#: scheme's default), and at most four weeks: the beslistermijn stands still while it
#: runs (Awb 4:15), and the Initiatievenfonds decides within 4 weeks of a complete
#: application. A scheme's own default is kept within these bounds.
HERSTELTERMIJN_MIN_DAYS = 7
HERSTELTERMIJN_MAX_DAYS = 28


def hersteltermijn_bounds(*, today):
    """The first and the last day on which a hersteltermijn may end."""
    return (
        today + timedelta(days=HERSTELTERMIJN_MIN_DAYS),
        today + timedelta(days=HERSTELTERMIJN_MAX_DAYS),
    )


def hersteltermijn_default(*, scheme, today):
    """The scheme's default hersteltermijn, within the bounds."""
    days = min(
        max(scheme.supplement_days, HERSTELTERMIJN_MIN_DAYS), HERSTELTERMIJN_MAX_DAYS
    )
    return today + timedelta(days=days)


def supplement_request(*, application, actor, message, due_on, at=None):
    """Ask for an aanvulling with a hersteltermijn until the end of ``due_on``, which
    lies within ``hersteltermijn_bounds``."""
    at = at or timezone.now()
    _require_assessor(application, actor)
    _require_status(
        application,
        Status.SUBMITTED,
        message=_(
            "U kunt alleen om een aanvulling vragen als de aanvraag de status "
            "‘Ingediend’ heeft."
        ),
    )
    message = (message or "").strip()
    if not message:
        raise _field_error("message", _("Schrijf op wat er ontbreekt."))
    first, last = hersteltermijn_bounds(today=timezone.localdate(at))
    if due_on is None or not first <= due_on <= last:
        message_bounds = _(
            "De hersteltermijn eindigt tussen %(first)s en %(last)s "
            "(minstens %(min)s dagen, hoogstens %(max)s dagen)."
        ) % {
            "first": format_date(first),
            "last": format_date(last),
            "min": HERSTELTERMIJN_MIN_DAYS,
            "max": HERSTELTERMIJN_MAX_DAYS,
        }
        raise _field_error("due_on", message_bounds)
    due_at = end_of_day(due_on)
    with transaction.atomic():
        fresh = fire(
            application=application,
            transition="request_supplement",
            actor=actor,
            at=at,
            due_at=due_at,
            reason=message,
        )
        request = SupplementRequest.objects.create(
            application=fresh,
            requested_by=actor,
            message=message,
            requested_at=at,
            due_at=due_at,
        )
        _event(fresh, AssessmentEvent.Kind.SUPPLEMENT, actor, at, message)
        _queue_supplement_mail(request)
    return request


def application_set_aside(*, application, actor, reason="", at=None):
    """Buiten behandeling stellen after the hersteltermijn ran out unused."""
    at = at or timezone.now()
    _require_assessor(application, actor)
    _require_status(
        application,
        Status.SUPPLEMENT_REQUESTED,
        message=_("Er loopt geen verzoek om aanvulling bij deze aanvraag."),
    )
    if application.supplement_due_at is None or application.supplement_due_at >= at:
        raise AssessmentError(
            _(
                "De hersteltermijn loopt nog. U kunt de aanvraag pas buiten "
                "behandeling stellen als de termijn voorbij is."
            )
        )
    reason = (reason or "").strip() or _(
        "De hersteltermijn is verlopen zonder aanvulling (artikel 4:5 Awb)."
    )
    return fire(
        application=application,
        transition="set_aside",
        actor=actor,
        at=at,
        reason=reason,
    )


# --- assessors --------------------------------------------------------------------


def _summary_for(application):
    """The application's summary, fixing the scheme's current rubric on first use."""
    summary = AssessmentSummary.objects.filter(application=application).first()
    if summary is not None:
        return summary
    rubric = Rubric.objects.current_for(application.round.scheme_id)
    if rubric is None:
        raise AssessmentError(
            _("Deze regeling heeft nog geen beoordelingsmatrix. Vraag de beheerder.")
        )
    summary, _created = AssessmentSummary.objects.get_or_create(
        application=application, defaults={"rubric": rubric}
    )
    return summary


def assessor_assign(*, application, assessor, actor, at=None):
    """Assign ``assessor``; at most ``assessors_required`` who did not recuse."""
    at = at or timezone.now()
    _require_assessor(application, actor)
    _require_status(
        application,
        *selectors.OPEN_STATES,
        message=_("Aan deze aanvraag kunt u geen beoordelaar meer toewijzen."),
    )
    if not selectors.is_assessor(assessor):
        raise AssessmentError(_("%(name)s is geen beoordelaar.") % {"name": assessor})
    if assisted(application, assessor):
        raise AssessmentError(_assisted_message(assessor))
    required = application.round.scheme.assessors_required
    with transaction.atomic():
        # Lock the application so two people assigning at once cannot exceed the number.
        Application.objects.select_for_update().filter(pk=application.pk).first()
        existing = Assessment.objects.filter(application=application)
        if existing.filter(assessor=assessor).exists():
            raise AssessmentError(
                _("%(name)s is al aan deze aanvraag toegewezen.") % {"name": assessor}
            )
        if existing.counting().count() >= required:
            raise AssessmentError(
                _("Deze aanvraag heeft al %(count)s beoordelaar(s).")
                % {"count": required}
            )
        summary = _summary_for(application)
        assessment = Assessment.objects.create(
            application=application,
            assessor=assessor,
            rubric=summary.rubric,
            assigned_by=actor,
            assigned_at=at,
        )
        _event(
            application,
            AssessmentEvent.Kind.ASSIGNED,
            actor,
            at,
            str(assessor.get_full_name() or assessor.email),
        )
    return assessment


def assessment_declare(*, assessment, actor, conflict, reason="", at=None):
    """The assessor declares no conflict of interest, or recuses with a reason."""
    at = at or timezone.now()
    if actor.pk != assessment.assessor_id:
        raise AssessmentError(
            _("Alleen de beoordelaar zelf kan de verklaring invullen.")
        )
    if assessment.declared_at is not None:
        raise AssessmentError(_("U heeft de verklaring al ingevuld."))
    reason = _required_reason(reason) if conflict else (reason or "").strip()
    with transaction.atomic():
        updated = Assessment.objects.filter(
            pk=assessment.pk, declared_at__isnull=True
        ).update(declared_at=at, conflict=conflict, conflict_reason=reason)
        if not updated:
            raise AssessmentError(_("U heeft de verklaring al ingevuld."))
        _event(
            assessment.application,
            AssessmentEvent.Kind.RECUSED if conflict else AssessmentEvent.Kind.DECLARED,
            actor,
            at,
            reason,
        )
    assessment.refresh_from_db()
    return assessment


def assessment_declaration_amend(*, assessment, actor, reason, at=None):
    """Amend a declaration of "geen belang" when a conflict comes to light (Awb 2:4).

    The assessor recuses from now on: the assessment stops counting (its scores, if
    any, no longer enter the impact score, and its seat is free for another assessor).
    Nothing is erased: the first declaration stays in the log, and the amendment is
    logged next to it with its reason and moment.
    """
    at = at or timezone.now()
    if actor.pk != assessment.assessor_id:
        raise AssessmentError(
            _("Alleen de beoordelaar zelf kan de verklaring wijzigen.")
        )
    if assessment.declared_at is None:
        raise AssessmentError(_("U heeft nog geen verklaring ingevuld."))
    if assessment.conflict:
        raise AssessmentError(_("U heeft zich al teruggetrokken."))
    reason = _required_reason(reason)
    with transaction.atomic():
        updated = Assessment.objects.filter(
            pk=assessment.pk, declared_at__isnull=False, conflict=False
        ).update(conflict=True, conflict_reason=reason)
        if not updated:
            raise AssessmentError(_("U heeft zich al teruggetrokken."))
        _event(
            assessment.application,
            AssessmentEvent.Kind.RECUSED,
            actor,
            at,
            _("Verklaring gewijzigd: eerst geen belang verklaard, nu wel. %(reason)s")
            % {"reason": reason},
        )
    assessment.refresh_from_db()
    return assessment


def assessment_save(*, assessment, actor, scores, advice="", submit=False, at=None):
    """Save the scores as a draft, or submit them (complete, each with a motivation).

    ``scores`` maps a criterion code to ``(score or None, motivation)``.
    """
    at = at or timezone.now()
    application = assessment.application
    if actor.pk != assessment.assessor_id:
        raise AssessmentError(_("U kunt alleen uw eigen beoordeling invullen."))
    if assessment.conflict:
        raise AssessmentError(
            _(
                "U heeft bij deze aanvraag een belangenconflict gemeld. U kunt haar "
                "daarom niet scoren."
            )
        )
    if assessment.declared_at is None:
        raise AssessmentError(
            _("Verklaar eerst dat u geen belang heeft bij deze aanvraag.")
        )
    if assessment.submitted_at is not None:
        raise AssessmentError(_("U heeft uw scores al ingediend."))
    if not selectors.is_assessor(actor):
        raise AssessmentError(_("Alleen een beoordelaar kan scoren."))
    _require_status(
        application,
        Status.IN_ASSESSMENT,
        message=_("U scoort een aanvraag als zij de status ‘In beoordeling’ heeft."),
    )
    criteria = list(assessment.rubric.criteria.all())
    values = {}
    errors = {}
    for criterion in criteria:
        score, motivation = scores.get(criterion.code, (None, ""))
        motivation = (motivation or "").strip()
        if score is not None and not (
            isinstance(score, int) and scoring.SCORE_MIN <= score <= scoring.SCORE_MAX
        ):
            errors[criterion.code] = _("Kies een score van 0 tot en met 4.")
            continue
        values[criterion] = (score, motivation)
        if submit:
            if score is None:
                errors[criterion.code] = _("Geef een score.")
                continue
            try:
                scoring.CriterionScore(criterion.code, score, motivation)
            except scoring.ScoringError as error:
                errors[criterion.code] = str(error)
    if errors:
        raise AssessmentError(
            _("Niet alle scores zijn goed ingevuld.")
            if submit
            else _("Controleer de scores."),
            errors=errors,
        )
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if locked.submitted_at is not None:
            raise AssessmentError(_("U heeft uw scores al ingediend."))
        for criterion, (score, motivation) in values.items():
            Score.objects.update_or_create(
                assessment=locked,
                criterion=criterion,
                defaults={"score": score, "motivation": motivation},
            )
        locked.advice = (advice or "").strip()
        if submit:
            locked.submitted_at = at
        locked.save(update_fields=["advice", "submitted_at"])
        if submit:
            _event(application, AssessmentEvent.Kind.SUBMITTED, actor, at)
            state = selectors.assessment_state(application)
            if state.enough_submitted and state.open_disagreements:
                names = ", ".join(state.open_disagreements)
                _event(
                    application,
                    AssessmentEvent.Kind.DISAGREEMENT,
                    None,
                    at,
                    _("Verschil van 2 punten of meer op: %(codes)s") % {"codes": names},
                )
    assessment.refresh_from_db()
    if submit:
        assessment_complete(application=application, actor=actor, at=at)
    return assessment


def _consensus_fields(state, criterion_code, score, note):
    """The criterion (with an open disagreement), a score on the scale and a note."""
    errors = {}
    if criterion_code not in state.open_disagreements:
        errors["criterion"] = _("Kies een criterium met een open verschil.")
    note = (note or "").strip()
    if not note:
        errors["note"] = _("Schrijf op welke score het is en waarom.")
    if not (isinstance(score, int) and scoring.SCORE_MIN <= score <= scoring.SCORE_MAX):
        errors["score"] = _("Kies een score van 0 tot en met 4.")
    if errors:
        message = (
            _("Bij dit criterium is geen open verschil van 2 punten of meer.")
            if "criterion" in errors
            else next(iter(errors.values()))
        )
        raise AssessmentError(message, errors=errors)
    return next(c for c in state.criteria if c.code == criterion_code), note


def _submitted_assessors(application):
    return set(
        Assessment.objects.submitted()
        .filter(application=application)
        .values_list("assessor_id", flat=True)
    )


def _locked_application(application):
    return Application.objects.select_for_update().get(pk=application.pk)


def _consensus_criterion(application, criterion_code, score, note):
    """The criterion with an open disagreement the score is for, and the note."""
    state = selectors.assessment_state(application)
    return _consensus_fields(state, criterion_code, score, note)


def _consensus_note(application, criterion, score, note, actor, at, status):
    """Store a proposed score, or one a third assessor decided, and log it."""
    recorded = ConsensusNote.objects.create(
        application=application,
        criterion=criterion,
        score=score,
        note=note,
        recorded_by=actor,
        recorded_at=at,
        status=status,
    )
    if status == ConsensusStatus.DECIDED:
        kind = AssessmentEvent.Kind.CONSENSUS_THIRD
        text = _("%(code)s: %(score)s. %(note)s (geen belang verklaard)") % {
            "code": criterion.code,
            "score": score,
            "note": note,
        }
    else:
        kind = AssessmentEvent.Kind.CONSENSUS_PROPOSED
        text = f"{criterion.code}: {score}. {note}"
    _event(application, kind, actor, at, text)
    return recorded


def _require_consensus_possible(application, actor):
    """Consensus is sought only in assessment, by an assessor whose work the
    application is and who did not recuse (the screens check the same first)."""
    _require_status(
        application,
        Status.IN_ASSESSMENT,
        message=_(
            "Over de scores van deze aanvraag kan geen consensus meer worden gezocht: "
            "zij is niet meer in beoordeling."
        ),
    )
    _require_assessor(application, actor)


def consensus_propose(*, application, actor, criterion_code, score, note, at=None):
    """One of the assessors who scored proposes the score on a criterion where they
    were 2 or more points apart. It counts only when the other agrees."""
    at = at or timezone.now()
    with transaction.atomic():
        _require_consensus_possible(_locked_application(application), actor)
        if actor.pk not in _submitted_assessors(application):
            raise AssessmentError(
                _(
                    "Alleen een beoordelaar die zijn scores heeft ingediend, stelt "
                    "consensus voor."
                )
            )
        criterion, note = _consensus_criterion(application, criterion_code, score, note)
        if ConsensusNote.objects.filter(
            application=application,
            criterion=criterion,
            status=ConsensusStatus.PROPOSED,
        ).exists():
            raise AssessmentError(
                _(
                    "Voor dit criterium ligt al een voorstel. Geef daar eerst antwoord "
                    "op."
                ),
                errors={"criterion": _("Hier ligt al een voorstel.")},
            )
        return _consensus_note(
            application, criterion, score, note, actor, at, ConsensusStatus.PROPOSED
        )


def consensus_answer(*, proposal, actor, agree, response, at=None):
    """The other assessor agrees with a proposal (it counts) or does not (with why)."""
    at = at or timezone.now()
    response = (response or "").strip()
    application = proposal.application
    with transaction.atomic():
        locked = _locked_application(application)
        proposal = ConsensusNote.objects.select_related("criterion").get(pk=proposal.pk)
        if proposal.status != ConsensusStatus.PROPOSED:
            raise AssessmentError(_("Op dit voorstel is al geantwoord."))
        _require_consensus_possible(locked, actor)
        if actor.pk == proposal.recorded_by_id:
            raise AssessmentError(
                _("U deed dit voorstel zelf. De andere beoordelaar geeft antwoord.")
            )
        if actor.pk not in _submitted_assessors(application):
            raise AssessmentError(
                _(
                    "Alleen de andere beoordelaar die scores indiende, geeft antwoord "
                    "op dit voorstel."
                )
            )
        if not agree and not response:
            raise _field_error("response", _("Schrijf op waarom u het niet eens bent."))
        proposal.status = ConsensusStatus.AGREED if agree else ConsensusStatus.DISAGREED
        proposal.responded_by = actor
        proposal.responded_at = at
        proposal.response = response
        proposal.save(update_fields=sorted(CONSENSUS_RESPONSE_FIELDS))
        criterion = proposal.criterion
        text = f"{criterion.code}: {proposal.score}. {proposal.note}"
        _event(
            application,
            AssessmentEvent.Kind.CONSENSUS
            if agree
            else AssessmentEvent.Kind.CONSENSUS_DISAGREED,
            actor,
            at,
            f"{text} {response}".strip(),
        )
        # In the same transaction: if completing fails, the answer is not stored
        # either, so answering again works.
        if agree:
            assessment_complete(application=application, actor=actor, at=at)
    return proposal


def consensus_decide(
    *, application, actor, criterion_code, score, note, no_conflict=False, at=None
):
    """A third assessor decides the score when the two did not agree on a proposal.

    An assessor who may handle the application (its team), not one of those assigned
    to it, not recused, and declaring no conflict of interest (Awb 2:4).
    """
    at = at or timezone.now()
    with transaction.atomic():
        # An assessor whose work this application is, who did not recuse.
        _require_consensus_possible(_locked_application(application), actor)
        if Assessment.objects.filter(application=application, assessor=actor).exists():
            raise AssessmentError(
                _(
                    "U bent zelf beoordelaar van deze aanvraag. Een derde beoordelaar "
                    "besluit over de score."
                )
            )
        criterion, note = _consensus_criterion(application, criterion_code, score, note)
        proposals = ConsensusNote.objects.filter(
            application=application, criterion=criterion
        )
        if proposals.filter(status=ConsensusStatus.PROPOSED).exists() or not (
            proposals.filter(status=ConsensusStatus.DISAGREED).exists()
        ):
            raise AssessmentError(
                _(
                    "Een derde beoordelaar besluit alleen als de twee beoordelaars het "
                    "over een voorstel oneens zijn."
                ),
                errors={"criterion": _("Hier zijn de beoordelaars het niet oneens.")},
            )
        if not no_conflict:
            raise AssessmentError(
                _("Verklaar dat u geen belang heeft bij deze aanvraag."),
                errors={"no_conflict": _("Verklaar dat u geen belang heeft.")},
            )
        decided = _consensus_note(
            application, criterion, score, note, actor, at, ConsensusStatus.DECIDED
        )
        assessment_complete(application=application, actor=actor, at=at)
    return decided


def assessment_complete(*, application, actor, at=None):
    """Record the outcome and fire ``complete_assessment`` when it can; True if done."""
    at = at or timezone.now()
    if actor is not None and selectors.stands_aside(actor, application):
        raise AssessmentError(
            _assisted_message(actor)
            if assisted(application, actor)
            else _("U heeft bij deze aanvraag een belangenconflict gemeld.")
        )
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update()
            .select_related("round__scheme")
            .get(pk=application.pk)
        )
        if locked.status != Status.IN_ASSESSMENT:
            return False
        state = selectors.assessment_state(locked)
        if not state.complete_possible:
            return False
        scheme = locked.round.scheme
        final = state.final
        try:
            bands = scoring.bands_from_config(scheme.impact_bands)
        except (scoring.RubricError, KeyError, TypeError) as error:
            raise AssessmentError(
                _("De impactbanden van de regeling kloppen niet: %(error)s")
                % {"error": error}
            ) from error
        proposal = scoring.propose_amount(
            score=final.impact_score,
            requested_cents=locked.requested_cents,
            scheme_max_cents=scheme.max_amount_cents,
            bands=bands,
            knocked_out=final.knocked_out,
            knockout_names=final.knockout_names,
        )
        AssessmentSummary.objects.filter(pk=state.summary.pk).update(
            impact_score=final.impact_score,
            proposed_cents=proposal.amount_cents,
            percent=proposal.percent,
            rejected=proposal.rejected,
            knocked_out=final.knocked_out,
            reason_code=proposal.reason_code.value,
            reason_text=proposal.reason_text,
            completed_at=at,
            completed_by=actor,
        )
        record_assessment(
            locked,
            impact_score=final.impact_score,
            proposed_cents=proposal.amount_cents,
        )
        _event(locked, AssessmentEvent.Kind.COMPLETED, actor, at, proposal.reason_text)
        fire(
            application=locked,
            transition="complete_assessment",
            actor=actor,
            at=at,
            reason=proposal.reason_text,
        )
    return True


# --- rubrics ----------------------------------------------------------------------


def rubric_publish(*, scheme, criteria, note="", actor=None, at=None):
    """Publish the next version of ``scheme``'s rubric.

    ``criteria``: an ordered list of mappings with ``code``, ``name``, ``weight``,
    ``knockout`` and optionally ``anchor``. Checked by ``scoring.Rubric`` first.
    """
    at = at or timezone.now()
    criteria = list(criteria)
    with transaction.atomic():
        last = Rubric.objects.filter(scheme=scheme).aggregate(v=Max("version"))["v"]
        version = (last or 0) + 1
        try:
            scoring.Rubric(
                version=version,
                criteria=tuple(
                    scoring.Criterion(
                        (c["code"] or "").strip(),
                        (c["name"] or "").strip(),
                        c["weight"],
                        bool(c.get("knockout")),
                    )
                    for c in criteria
                ),
            )
        except scoring.RubricError as error:
            raise AssessmentError(str(error)) from error
        try:
            rubric = Rubric.objects.create(
                scheme=scheme,
                version=version,
                note=(note or "").strip(),
                created_at=at,
                created_by=actor,
            )
        except IntegrityError as error:
            raise AssessmentError(
                _(
                    "Iemand anders heeft net een nieuwe versie gemaakt. Probeer het opnieuw."
                )
            ) from error
        RubricCriterion.objects.bulk_create(
            RubricCriterion(
                rubric=rubric,
                code=c["code"].strip(),
                name=c["name"].strip(),
                anchor=(c.get("anchor") or "").strip(),
                weight=c["weight"],
                knockout=bool(c.get("knockout")),
                sort_order=index,
            )
            for index, c in enumerate(criteria)
        )
    return rubric
