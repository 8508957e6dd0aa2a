"""The decision maker after the award: fix a grant, change it, or withdraw it.

Rules:

- Each step starts as an ``AfterAwardProposal`` with what it decides: a vaststelling
  (``fix``) with its amount (the amount the review of the verantwoording recorded, or
  ex officio the verleend amount) and per budget line the lower amounts (from the
  latest ``ReportReview`` of the assessor, ``after_award_content.reviewed_lines``); a
  wijziging
  (``amend``) with a lower amount and/or a new last day of the activities, on a ground
  of Awb 4:48/4:50 or on the recipient's request (``subsidies.ChangeRequest``); an
  intrekking (``revoke``) with its ground of Awb 4:48, 4:49 (after the vaststelling)
  or 4:50.
- Four eyes, as for the award: when the grant is above the round's threshold
  (``Round.four_eyes_threshold_cents``), a step that takes money or rights away (a
  vaststelling below the verleend amount, every wijziging and intrekking) waits until
  a second decision maker, never the one who proposed it, approves it; the second may
  also refuse it with a reason. A vaststelling of the full amount needs no second
  approval: it confirms the verlening.
- Carrying it out is one transaction: the facts (``subsidies.facts``), the transition
  (``fix``, ``amend`` or ``revoke`` through ``subsidies.services.fire``, so the
  workflow's guards decide: ex officio only after the activities, an intrekking of a
  vaststelling only within five years), the beschikking with its kenmerk, SHA-256 and
  stored PDF, and the mail. The PDF is rendered before it, as the verlening letters
  are (``services.letters.decision_issue``): a letter that cannot be made
  (``MissingLetterPart``, ``ReclaimLimitPassed``) changes nothing and takes no number.
- A batch (``LetterBatch`` of kind ``vaststellingen``) fixes many grants in the
  background, one transaction each: the ex officio grants whose activities are over
  and the reported grants whose recorded amount is the full award. The batch's run
  (``letters.letter_batch_run``) takes them in chunks and records the progress once
  per chunk.
"""

import hashlib
import logging

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from beoordeling.letters import (
    Ground,
    after_award_money,
    bezwaar_deadline,
    render_letter,
)
from beoordeling.models import (
    AfterAwardAction,
    AfterAwardProposal,
    Decision,
    DecisionError,
)
from subsidies import facts
from subsidies.models import Application, ChangeRequest
from subsidies.services import WorkflowError, fire
from subsidies.workflow import Settlement, Status

from .after_award_content import (
    ACTION_KIND,
    after_award_content,
    earlier_decision,
    reviewed_lines,
)
from .allocation_runs import require_decision_maker
from .four_eyes import REASON_MAX_LENGTH, ReasonMissing
from .letters import (
    ISSUE_ATTEMPTS,
    _kenmerk,
    _peek_kenmerk_number,
    _take_kenmerk_number,
    decision_notify,
    payments_follow,
    store_letter,
)

logger = logging.getLogger(__name__)

#: Where each action may start (the transitions' sources; the guards decide the rest).
SOURCES = {
    AfterAwardAction.FIX: (Status.AWARDED, Status.REPORT_SUBMITTED),
    AfterAwardAction.AMEND: (Status.AWARDED,),
    AfterAwardAction.REVOKE: (
        Status.AWARDED,
        Status.REPORT_SUBMITTED,
        Status.REPORT_SUPPLEMENT_REQUESTED,
        Status.FIXED,
        Status.CLOSED,
    ),
}
TRANSITION = {
    AfterAwardAction.FIX: "fix",
    AfterAwardAction.AMEND: "amend",
    AfterAwardAction.REVOKE: "revoke",
}
DOCUMENT_PREFIX = {
    AfterAwardAction.FIX: "vaststelling",
    AfterAwardAction.AMEND: "wijziging",
    AfterAwardAction.REVOKE: "intrekking",
}


def _reason(text, *, required=True):
    text = (text or "").strip()
    if required and not text:
        raise ReasonMissing(
            _("Schrijf op waarom. De motivering komt in de brief aan de aanvrager.")
        )
    if "\x00" in text or len(text) > REASON_MAX_LENGTH:
        raise ReasonMissing(
            _("De tekst mag hoogstens %(max)s tekens hebben, zonder nul-tekens.")
            % {"max": REASON_MAX_LENGTH}
        )
    return text


def needs_four_eyes(application, action, *, fixed_cents=None):
    """Whether this step waits for a second decision maker (see the module rules)."""
    threshold = application.round.four_eyes_threshold_cents
    awarded = application.awarded_cents or 0
    if threshold is None or awarded <= threshold:
        return False
    return not (action == AfterAwardAction.FIX and fixed_cents == awarded)


def waiting_proposal(application):
    return AfterAwardProposal.objects.filter(
        application=application, state=AfterAwardProposal.State.WAITING
    ).first()


def _require_source(application, action):
    if application.status not in SOURCES[action]:
        raise DecisionError(
            _("Aanvraag %(reference)s kan nu niet worden %(action)s (%(status)s).")
            % {
                "reference": application.reference,
                "action": {
                    AfterAwardAction.FIX: _("vastgesteld"),
                    AfterAwardAction.AMEND: _("gewijzigd"),
                    AfterAwardAction.REVOKE: _("ingetrokken"),
                }[action],
                "status": application.get_status_display().lower(),
            }
        )
    if waiting_proposal(application) is not None:
        raise DecisionError(
            _(
                "Voor aanvraag %(reference)s wacht al een besluit op een tweede "
                "besluitvormer."
            )
            % {"reference": application.reference}
        )
    earlier_decision(application)


def _propose(
    application, *, action, actor, at, date_sent, batch=None, notify=True, **values
):
    require_decision_maker(actor)
    at = at or timezone.now()
    application = Application.objects.select_related("round__scheme").get(
        pk=application.pk
    )
    _require_source(application, action)
    four_eyes = needs_four_eyes(
        application, action, fixed_cents=values.get("fixed_cents")
    )
    try:
        proposal = AfterAwardProposal.objects.create(
            application=application,
            action=action,
            needs_second_approval=four_eyes,
            proposed_by=actor,
            proposed_at=at,
            date_sent=date_sent,
            **values,
        )
    except IntegrityError as error:
        raise DecisionError(
            _("Voor deze aanvraag wacht al een besluit op een tweede besluitvormer.")
        ) from error
    if four_eyes:
        return proposal
    try:
        _carry_out(proposal, actor=actor, at=at, batch=batch, notify=notify)
    except DecisionError:
        AfterAwardProposal.objects.filter(pk=proposal.pk).delete()
        raise
    proposal.refresh_from_db()
    return proposal


def propose_fix(
    *,
    application,
    actor,
    fixed_cents=None,
    motivation="",
    lines=(),
    date_sent=None,
    at=None,
    batch=None,
    notify=True,
):
    """Fix a grant: at the amount given, else the one the review recorded, else (ex
    officio) the verleend amount. A sent verantwoording is fixed only after the
    assessor's review recorded an amount."""
    if (
        application.status == Status.REPORT_SUBMITTED
        and application.fixed_cents is None
    ):
        raise DecisionError(
            _(
                "De verantwoording is nog niet beoordeeld. Een beoordelaar stelt eerst "
                "het bedrag voor."
            )
        )
    if fixed_cents is None:
        fixed_cents = application.fixed_cents
    if fixed_cents is None:
        fixed_cents = application.awarded_cents or 0
    if not 0 <= fixed_cents <= (application.awarded_cents or 0):
        raise DecisionError(
            _("Het vast te stellen bedrag ligt tussen € 0 en het verleende bedrag.")
        )
    lower = fixed_cents < (application.awarded_cents or 0)
    if not lines and application.status == Status.REPORT_SUBMITTED:
        lines = reviewed_lines(application, fixed_cents)
    return _propose(
        application,
        action=AfterAwardAction.FIX,
        actor=actor,
        at=at,
        date_sent=date_sent,
        batch=batch,
        notify=notify,
        fixed_cents=fixed_cents,
        motivation=_reason(
            motivation or application.fixing_motivation,
            required=lower and not lines,
        ),
        lines=list(lines),
    )


def propose_amend(
    *,
    application,
    actor,
    new_awarded_cents=None,
    new_activity_end=None,
    ground="",
    effective_on=None,
    motivation="",
    change_request=None,
    date_sent=None,
    at=None,
):
    """A wijzigingsbesluit: a lower amount and/or a new last day."""
    if new_awarded_cents is None and new_activity_end is None:
        raise DecisionError(_("Kies wat verandert: het bedrag of de einddatum."))
    if new_awarded_cents is not None and not (
        0 <= new_awarded_cents <= (application.awarded_cents or 0)
    ):
        raise DecisionError(
            _("Een wijziging verlaagt het bedrag; het nieuwe bedrag is niet hoger.")
        )
    if ground and Ground(ground).after_fixing:
        raise DecisionError(_("Deze grond geldt alleen na de vaststelling."))
    if change_request is None and not ground:
        raise DecisionError(
            _("Kies de grond, of wijzig op een verzoek van de aanvrager.")
        )
    return _propose(
        application,
        action=AfterAwardAction.AMEND,
        actor=actor,
        at=at,
        date_sent=date_sent,
        new_awarded_cents=new_awarded_cents,
        new_activity_end=new_activity_end,
        ground=ground,
        effective_on=effective_on,
        motivation=_reason(motivation),
        change_request=change_request,
    )


def propose_revoke(
    *,
    application,
    actor,
    ground,
    effective_on=None,
    motivation="",
    date_sent=None,
    at=None,
):
    """An intrekking on a ground that fits the stage of the grant."""
    ground = Ground(ground)
    fixed = application.status in (Status.FIXED, Status.CLOSED)
    if ground.after_fixing != fixed:
        raise DecisionError(
            _("Na de vaststelling geldt een grond van artikel 4:49, daarvoor niet.")
            if not fixed
            else _(
                "Na de vaststelling kunt u alleen een grond van artikel 4:49 kiezen."
            )
        )
    return _propose(
        application,
        action=AfterAwardAction.REVOKE,
        actor=actor,
        at=at,
        date_sent=date_sent,
        ground=ground.value,
        effective_on=effective_on,
        motivation=_reason(motivation),
    )


# --- four eyes --------------------------------------------------------------------------


def _locked_waiting(proposal):
    proposal = AfterAwardProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state != AfterAwardProposal.State.WAITING:
        raise DecisionError(_("Over dit besluit is al geoordeeld."))
    return proposal


def _require_second(proposal, reviewer):
    if reviewer.pk == proposal.proposed_by_id:
        raise DecisionError(
            _(
                "U heeft dit besluit zelf voorgesteld. Een andere besluitvormer moet "
                "het goedkeuren (vier ogen)."
            )
        )


def proposal_approve(*, proposal, reviewer, at=None):
    """A second decision maker approves: the step is carried out with its letter."""
    require_decision_maker(reviewer)
    at = at or timezone.now()
    with transaction.atomic():
        proposal = _locked_waiting(proposal)
        _require_second(proposal, reviewer)
    _carry_out(proposal, actor=reviewer, at=at, reviewer=reviewer)
    proposal.refresh_from_db()
    return proposal


def proposal_refuse(*, proposal, reviewer, reason, at=None):
    """A second decision maker refuses it; nothing changes on the grant."""
    require_decision_maker(reviewer)
    reason = _reason(reason)
    at = at or timezone.now()
    with transaction.atomic():
        proposal = _locked_waiting(proposal)
        _require_second(proposal, reviewer)
        AfterAwardProposal.objects.filter(pk=proposal.pk).update(
            state=AfterAwardProposal.State.REFUSED,
            reviewed_by=reviewer,
            reviewed_at=at,
            review_reason=reason,
        )
    proposal.refresh_from_db()
    return proposal


# --- carrying out -----------------------------------------------------------------------


def _snapshot(application):
    return (
        application.status,
        application.awarded_cents,
        application.fixed_cents,
        application.paid_cents,
        application.repaid_cents,
        application.activity_end,
    )


def _load(pk, *, lock=False):
    queryset = Application.objects.select_related("round__scheme", "applicant", "wijk")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    return queryset.get(pk=pk)


def _render(application, proposal, kenmerk, date_sent, at):
    try:
        content = after_award_content(
            application=application,
            proposal=proposal,
            kenmerk=kenmerk,
            date_sent=date_sent,
            at=at,
        )
        return content, render_letter(content)
    except ValueError as error:  # MissingLetterPart, ReclaimLimitPassed
        raise DecisionError(
            _("Aanvraag %(reference)s: %(error)s")
            % {"reference": application.reference, "error": error}
        ) from error


def _apply(application, proposal, *, actor, at):
    """The facts and the transition of the step, in the caller's transaction."""
    action = AfterAwardAction(proposal.action)
    if action == AfterAwardAction.FIX:
        facts.record_fixed_amount(
            application,
            fixed_cents=proposal.fixed_cents,
            motivation=proposal.motivation,
        )
    elif action == AfterAwardAction.AMEND:
        facts.record_amendment(
            application,
            awarded_cents=proposal.new_awarded_cents,
            activity_end=proposal.new_activity_end,
        )
    fire(
        application=application,
        transition=TRANSITION[action],
        actor=actor,
        at=at,
        reason=proposal.motivation or proposal.get_action_display(),
    )


def _store(
    application, proposal, *, kenmerk, date_sent, content, pdf, actor, at, batch
):
    action = AfterAwardAction(proposal.action)
    digest = hashlib.sha256(pdf).hexdigest()
    name = f"{DOCUMENT_PREFIX[action]}-{kenmerk}.pdf"
    document = store_letter(
        application=application, name=name, pdf=pdf, digest=digest, actor=actor, at=at
    )
    money = after_award_money(content)
    return Decision.objects.create(
        application=application,
        kind=ACTION_KIND[action],
        kenmerk=kenmerk,
        date_sent=date_sent,
        bezwaar_deadline=bezwaar_deadline(date_sent),
        amount_cents=money.target_cents,
        reclaim_cents=money.reclaim_cents,
        ground=proposal.ground,
        follows=earlier_decision(application),
        sha256=digest,
        document=document,
        batch=batch,
        sent_electronically=application.applicant.accepts_electronic_decisions,
        created_by=actor,
        created_at=at,
    )


def _carry_out(proposal, *, actor, at, reviewer=None, batch=None, notify=True):
    """Render the letter, then in one transaction: facts, transition, decision."""
    date_sent = proposal.date_sent or timezone.localdate(at)
    year = date_sent.year
    for _attempt in range(ISSUE_ATTEMPTS):
        application = _load(proposal.application_id)
        before = _snapshot(application)
        number = _peek_kenmerk_number(year=year)
        kenmerk = _kenmerk(year, number)
        content, pdf = _render(application, proposal, kenmerk, date_sent, at)
        with transaction.atomic():
            locked = _load(application.pk, lock=True)
            if _snapshot(locked) != before:
                continue
            if not _take_kenmerk_number(year=year, number=number):
                continue
            try:
                _apply(locked, proposal, actor=actor, at=at)
            except WorkflowError as error:
                raise DecisionError(str(error)) from error
            decision = _store(
                locked,
                proposal,
                kenmerk=kenmerk,
                date_sent=date_sent,
                content=content,
                pdf=pdf,
                actor=actor,
                at=at,
                batch=batch,
            )
            payments_follow(locked)
            AfterAwardProposal.objects.filter(pk=proposal.pk).update(
                state=AfterAwardProposal.State.DONE,
                decision=decision,
                date_sent=date_sent,
                **(
                    {"reviewed_by": reviewer, "reviewed_at": at}
                    if reviewer is not None
                    else {}
                ),
            )
            if proposal.change_request_id:
                ChangeRequest.objects.filter(pk=proposal.change_request_id).update(
                    state=ChangeRequest.State.GRANTED,
                    answered_by=actor,
                    answered_at=at,
                    answer=proposal.motivation,
                )
            if notify:
                decision_notify(decision=decision, at=at, pdf=pdf)
        return decision
    raise DecisionError(
        _(
            "Aanvraag %(reference)s: er werden tegelijk te veel andere brieven "
            "gemaakt. Probeer het opnieuw."
        )
        % {"reference": proposal.application.reference}
    )


# --- batches of vaststellingen ------------------------------------------------------------


def due_for_fixing(round, *, today=None):
    """Ids of the round's grants a batch may fix at the full amount: ex officio with
    the activities over and no report asked, or reported with the full amount
    recorded; none with a step waiting for four eyes."""
    today = today or timezone.localdate()
    ex_officio = Application.objects.filter(
        round=round,
        status=Status.AWARDED,
        settlement=Settlement.EX_OFFICIO,
        report_due_on__isnull=True,
        activity_end__lt=today,
    )
    reported = Application.objects.filter(
        round=round,
        status=Status.REPORT_SUBMITTED,
        fixed_cents=F("awarded_cents"),
    )
    waiting = AfterAwardProposal.objects.filter(
        state=AfterAwardProposal.State.WAITING
    ).values("application_id")
    return list(
        (ex_officio | reported)
        .exclude(pk__in=waiting)
        .filter(decisions__kind="verlening")
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )


def fixing_chunk(batch, ids, tally):
    """The grants ``ids`` of a batch of vaststellingen (``letters.letter_batch_run``
    records the progress after each chunk)."""
    for application_id in ids:
        fixing_batch_one(batch, application_id, tally)


def fixing_batch_one(batch, application_id, tally):
    """Fix one grant of a batch at its full amount, with its letter, in its own
    transaction; ``tally`` (``letters.BatchTally``) counts what happened: made,
    skipped because already fixed, or failed with the reason."""
    application = _load(application_id)
    if application.status not in SOURCES[AfterAwardAction.FIX]:
        tally.skipped += 1
        return
    try:
        proposal = propose_fix(
            application=application,
            actor=batch.created_by,
            date_sent=batch.date_sent,
            batch=batch,
            notify=batch.notify,
        )
    except DecisionError as error:
        tally.fail(application, str(error))
        return
    if proposal.decision_id:
        tally.done += 1
