"""The letters of a bezwaar: content from the database, the PDF, the stored document,
the link on the bezwaar and the e-mail.

Rules:

- The content comes from the bezwaar, its application and the contested decision; the
  sender, contact, signatory and the addressee are those of the beschikkingen
  (``beoordeling.decisions.services.letter_content``); the contact person is the
  bezwaar's handler when there is one. The letter is rendered by the pure
  ``beoordeling.objections.letters``; an empty mandatory part is an
  ``ObjectionError`` naming it in Dutch, and nothing is stored.
- The ontvangstbevestiging, the uitnodiging and the verdaging are ``subsidies.Document``
  rows of kind ``brief`` (no beschikking: no kenmerk of the decision counter, the
  bezwaar's own reference); the bezwaar points at them (``acknowledgement``,
  ``hearing_invitation``, ``extension_letter``). A bezwaar is acknowledged and
  deferred once: asking again returns the letter it has. A new hearing gets a new
  invitation.
- The beslissing op bezwaar is a beschikking: a ``Decision`` of kind
  ``beslissing_op_bezwaar`` with a kenmerk of the decision counter (taken in the
  caller's transaction, only once the content is complete, so a refused letter rolls
  nothing forward), its PDF a document of kind ``beschikking`` with its SHA-256, the
  amount of the new decision (0 without one), the contested decision it follows, and
  as ``bezwaar_deadline`` the last day for beroep. Asked again, the bezwaar's decision
  is returned.
- A letter's PDF is written to storage inside the caller's transaction; when that
  transaction rolls back (a refused step, the ceiling exceeded), the file is removed
  again (``delete_on_rollback``), so storage holds no letter the database lost.
- Every letter is announced by e-mail through the outbox (``subsidies.mail``: queued in
  the transaction, sent after the commit) to ``Applicant.mail_recipients``; the PDF is
  attached only when the applicant explicitly accepted electronic decisions (Awb 2:8),
  otherwise the letter goes by post.
"""

import dataclasses
import hashlib
import logging
import weakref

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from beoordeling.decisions.services.letter_content import (
    _local_date,
    _obligations,
    _payment,
    letter_header,
)
from beoordeling.decisions.services.letters import my_applications_url, next_kenmerk
from beoordeling.letters import LetterType, Settlement, settlement_for
from beoordeling.models import Decision, DecisionKind, Objection
from beoordeling.objections import letters, terms
from subsidies.mail import queue_mail
from subsidies.mail_language import in_language_of
from subsidies.models import Document

from . import ObjectionError

logger = logging.getLogger(__name__)

__all__ = [
    "acknowledgement_issue",
    "decision_on_objection_issue",
    "extension_issue",
    "invitation_issue",
]


# --- content -----------------------------------------------------------------------------


def _fresh(objection):
    """The bezwaar with what its letters read, as stored now."""
    return Objection.objects.select_related(
        "application__round__scheme", "application__applicant", "decision", "handler"
    ).get(pk=objection.pk)


def _contested_type(objection):
    try:
        return LetterType(objection.decision.kind)
    except ValueError as error:  # a beslissing op bezwaar: beroep, not bezwaar
        raise ObjectionError(
            _("Tegen besluit %(kenmerk)s staat geen bezwaar open.")
            % {"kenmerk": objection.decision.kenmerk}
        ) from error


def _base(objection, *, kenmerk, date_sent):
    """``letter_header`` of the decisions' letters, with the bezwaar's own facts; its
    handler is the contact person."""
    handler = objection.handler
    return {
        **letter_header(
            objection.application,
            kenmerk=kenmerk,
            date_sent=date_sent,
            handler_name=handler.get_full_name() if handler is not None else "",
        ),
        "objection_reference": objection.reference,
        "received_on": objection.received_on,
        "contested_kenmerk": objection.decision.kenmerk,
        "contested_date": objection.decision.date_sent,
        "contested_type": _contested_type(objection),
    }


def acknowledgement_content(objection, *, date_sent):
    return letters.Acknowledgement(
        **_base(objection, kenmerk=objection.reference, date_sent=date_sent),
        term_end=objection.term_end,
        is_late=objection.is_late,
        decision_due_on=objection.decision_due_on,
    )


def invitation_content(objection, *, date_sent):
    hearing_at = objection.hearing_at
    if hearing_at is not None:
        hearing_at = timezone.localtime(hearing_at).replace(tzinfo=None)
    return letters.HearingInvitation(
        **_base(objection, kenmerk=objection.reference, date_sent=date_sent),
        hearing_at=hearing_at,
        hearing_place=objection.hearing_place,
        decision_due_on=objection.decision_due_on,
    )


def original_due_on(objection):
    """The beslistermijn before the deferral (Awb 7:10 lid 1)."""
    if objection.extended_on is None:
        return objection.decision_due_on
    return terms.decision_due(
        date_sent=objection.decision.date_sent,
        received_on=objection.received_on,
        committee=objection.committee,
    )


def extension_content(objection, *, date_sent):
    """The deferral: before ``objection_extend`` fired (the new day computed here) or
    after it (the new day is the bezwaar's ``decision_due_on``)."""
    original = original_due_on(objection)
    if objection.extended_on is None:
        new = terms.extended_due(original) if original else None
    else:
        new = objection.decision_due_on
    return letters.Extension(
        **_base(objection, kenmerk=objection.reference, date_sent=date_sent),
        original_due_on=original,
        new_due_on=new,
        reason=objection.extension_reason,
    )


def _grant_parts(objection):
    """The verlening that takes the place of an afwijzing (Awb 7:11)."""
    application = objection.application
    scheme = application.round.scheme
    remedy = objection.remedy_cents or 0
    settlement = settlement_for(
        scheme.settlement_route, scheme.direct_settlement_max_cents, remedy
    )
    accountability = (
        scheme.letter_accountability_direct
        if settlement is Settlement.DIRECT
        else scheme.letter_accountability
    )
    return {
        "scheme_name": scheme.name,
        "legal_basis": scheme.legal_basis,
        "requested_cents": application.requested_cents,
        "activity_description": application.summary,
        "activity_start": application.activity_start,
        "activity_end": application.activity_end,
        "obligations": _obligations(application),
        "accountability": accountability,
        "payment": _payment(application),
        "settlement": settlement,
        "advance_percent": scheme.advance_percent,
        "advance_part_months": scheme.advance_part_months,
        "application_received_on": _local_date(application.submitted_at),
        "application_complete_on": _local_date(application.complete_at),
    }


def decision_content(objection, *, kenmerk, date_sent):
    contested = _contested_type(objection)
    outcome = letters.Outcome(objection.outcome) if objection.outcome else None
    heard = objection.hearing_at is not None and objection.hearing_report.strip()
    extra = {}
    if outcome is letters.Outcome.WELL_FOUNDED and contested.is_afwijzing:
        extra = _grant_parts(objection)
    return letters.ObjectionDecision(
        **_base(objection, kenmerk=kenmerk, date_sent=date_sent),
        reasons=objection.reasons,
        outcome=outcome,
        motivation=objection.motivation,
        term_end=objection.term_end,
        is_late=objection.is_late,
        excusable=objection.excusable,
        excusability_motivation=objection.excusability_motivation,
        hearing_on=_local_date(objection.hearing_at) if heard else None,
        hearing_report=objection.hearing_report if heard else "",
        waiver=(
            letters.Waiver(objection.hearing_waiver)
            if objection.hearing_waiver and not heard
            else None
        ),
        waiver_motivation=objection.hearing_waiver_motivation,
        remedy_cents=objection.remedy_cents,
        **extra,
    )


def _checked(objection, build):
    """``build()`` validated; its Dutch refusal as an ``ObjectionError``."""
    try:
        content = build()
        letters.validate(content)
    except ValueError as error:  # MissingLetterPart is a ValueError too
        raise ObjectionError(
            _("Bezwaar %(reference)s: %(error)s")
            % {"reference": objection.reference, "error": error}
        ) from error
    return content


# --- storing and mailing -----------------------------------------------------------------


def _forget_unless_committed(storage, name, committed):
    if not committed:
        storage.delete(name)


def delete_on_rollback(storage, name):
    """Remove the file ``name`` from ``storage`` when the transaction that stored it
    rolls back, e.g. a beslissing op bezwaar refused by the ceiling after its letter
    was written (the caller's ``ceiling_guard``).

    Django has no rollback hook, but it drops the ``on_commit`` callbacks registered
    inside a block that rolls back (a savepoint or the whole transaction) and calls
    them after a commit. So the callback notes the commit, and a finalizer on it
    removes the file when Django lets go of it uncalled (at once in CPython: the
    callback is referenced nowhere else). Outside a transaction the callback runs at
    once and the file stays.
    """
    committed = []

    def note_commit():
        committed.append(True)

    finalizer = weakref.finalize(
        note_commit, _forget_unless_committed, storage, name, committed
    )
    finalizer.atexit = False
    transaction.on_commit(note_commit)


def _store(application, *, kind, name, pdf, actor, at):
    document = Document(
        application=application,
        kind=kind,
        original_name=name,
        content_type="application/pdf",
        size=len(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(),
        uploaded_by=actor,
        uploaded_at=at,
    )
    document.file.save(name, ContentFile(pdf), save=False)
    delete_on_rollback(document.file.storage, document.file.name)
    document.save()
    return document


def _notify(objection, *, template, context, name, pdf, reference):
    """Queue the e-mail about a letter; the PDF only with consent (Awb 2:8).

    Subject and body come from ``beoordeling/objections/email/<template>``, rendered
    in the applicant's language (``mail_language``): the handler works on a Dutch
    screen, the letter itself stays Dutch."""
    application = objection.application
    applicant = application.applicant
    electronic = applicant.accepts_electronic_decisions
    context = {
        "name": applicant.contact_name or applicant.name,
        "reference": objection.reference,
        "url": my_applications_url(),
        "electronic": electronic,
        **context,
    }
    recipients = applicant.mail_recipients()
    if not recipients:
        # No proved address (an imported applicant): the letter goes by post only.
        logger.warning("No verified e-mail address for %s", objection.reference)
        return None
    with in_language_of(application):
        subject = render_to_string(
            f"beoordeling/objections/email/{template}_subject.txt", context
        )
        body = render_to_string(f"beoordeling/objections/email/{template}.txt", context)
    return queue_mail(
        to=recipients,
        subject=subject,
        body=body,
        attachments=[(name, pdf, "application/pdf")] if electronic else [],
        reference=reference,
    )


def _issue_letter(objection, *, field, build, name_prefix, mail, actor, at):
    at = at or timezone.now()
    date_sent = timezone.localdate(at)
    with transaction.atomic():
        fresh = _fresh(objection)
        content = _checked(fresh, lambda: build(fresh, date_sent=date_sent))
        pdf = letters.render(content)
        name = f"{name_prefix}-{fresh.reference}-{date_sent:%Y%m%d}.pdf"
        document = _store(
            fresh.application,
            kind=Document.Kind.LETTER,
            name=name,
            pdf=pdf,
            actor=actor,
            at=at,
        )
        setattr(fresh, field, document)
        fresh.save(update_fields=[field])
        setattr(objection, field, document)
        template, context = mail(fresh, content)
        _notify(
            fresh,
            template=template,
            context=context,
            name=name,
            pdf=pdf,
            reference=fresh.reference,
        )
    return document


# --- the letters -------------------------------------------------------------------------


def _acknowledgement_mail(objection, content):
    return "acknowledgement", {
        "kenmerk": content.contested_kenmerk,
        "received_on": content.received_on,
        "decision_due_on": content.decision_due_on,
        "term_end": content.term_end,
        "is_late": content.is_late,
    }


def acknowledgement_issue(*, objection, actor=None, at=None):
    """The ontvangstbevestiging (Awb 6:14) of ``objection``: stored, linked, mailed.

    A bezwaar is acknowledged once; asked again, its letter is returned."""
    if objection.acknowledgement_id is not None:
        return objection.acknowledgement
    return _issue_letter(
        objection,
        field="acknowledgement",
        build=acknowledgement_content,
        name_prefix="ontvangstbevestiging",
        mail=_acknowledgement_mail,
        actor=actor,
        at=at,
    )


def _invitation_mail(objection, content):
    return "invitation", {
        "hearing_at": content.hearing_at,
        "place": content.hearing_place.strip(),
    }


def invitation_issue(*, objection, actor=None, at=None):
    """The uitnodiging for the hearing (Awb 7:2) on the bezwaar's ``hearing_at`` and
    ``hearing_place``: stored, linked as ``hearing_invitation``, mailed. A new hearing
    gets a new invitation."""
    return _issue_letter(
        objection,
        field="hearing_invitation",
        build=invitation_content,
        name_prefix="uitnodiging-hoorzitting",
        mail=_invitation_mail,
        actor=actor,
        at=at,
    )


def _extension_mail(objection, content):
    return "extension", {
        "original_due_on": content.original_due_on,
        "new_due_on": content.new_due_on,
    }


def extension_issue(*, objection, actor=None, at=None):
    """The verdagingsbrief (Awb 7:10 lid 3): the original and the new last day and the
    reason (``extension_reason``); stored, linked as ``extension_letter``, mailed.
    Call it before or after ``extend`` fired; a bezwaar is deferred once, so asked
    again, its letter is returned."""
    if objection.extension_letter_id is not None:
        return objection.extension_letter
    return _issue_letter(
        objection,
        field="extension_letter",
        build=extension_content,
        name_prefix="verdaging",
        mail=_extension_mail,
        actor=actor,
        at=at,
    )


def decision_on_objection_issue(*, objection, actor=None, at=None):
    """The beslissing op bezwaar: a ``Decision`` of kind ``beslissing_op_bezwaar``.

    Call it inside the caller's transaction, after the remedy was applied. Raises
    ``ObjectionError`` (Dutch) when a mandatory part is empty, before a kenmerk is
    taken; the caller's rollback then undoes everything. Asked again, the bezwaar's
    decision is returned.
    """
    if objection.decision_on_objection_id is not None:
        return objection.decision_on_objection
    at = at or timezone.now()
    date_sent = timezone.localdate(at)
    with transaction.atomic():
        fresh = _fresh(objection)
        placeholder = f"D{date_sent.year}-000000"
        content = _checked(
            fresh,
            lambda: decision_content(fresh, kenmerk=placeholder, date_sent=date_sent),
        )
        kenmerk = next_kenmerk(year=date_sent.year)
        content = dataclasses.replace(content, kenmerk=kenmerk)
        pdf = letters.render(content)
        application = fresh.application
        digest = hashlib.sha256(pdf).hexdigest()
        document = _store(
            application,
            kind=Document.Kind.DECISION_LETTER,
            name=f"beslissing-op-bezwaar-{kenmerk}.pdf",
            pdf=pdf,
            actor=actor,
            at=at,
        )
        deadline = letters.beroep_deadline(date_sent)
        decision = Decision.objects.create(
            application=application,
            kind=DecisionKind.BESLISSING_OP_BEZWAAR,
            kenmerk=kenmerk,
            date_sent=date_sent,
            bezwaar_deadline=deadline,
            amount_cents=fresh.remedy_cents or 0,
            follows=fresh.decision,
            sha256=digest,
            document=document,
            sent_electronically=application.applicant.accepts_electronic_decisions,
            created_by=actor,
            created_at=at,
        )
        fresh.decision_on_objection = decision
        fresh.save(update_fields=["decision_on_objection"])
        objection.decision_on_objection = decision
        mail = _notify(
            fresh,
            template="decision",
            context={"kenmerk": kenmerk, "deadline": deadline},
            name=document.original_name,
            pdf=pdf,
            reference=kenmerk,
        )
        if mail is not None:
            Decision.objects.filter(pk=decision.pk).update(notified_at=at)
            decision.notified_at = at
    return decision
