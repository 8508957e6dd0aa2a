"""Beschikkingen: the kenmerk, the PDF, the stored document, the e-mail and batches.

Rules:

- The kenmerk (``D2026-000123``) comes from a counter per year. The letter is rendered
  outside any transaction with the number the counter will give next; the short write
  transaction raises the counter only if it still stands just below that number, and
  otherwise the letter is rendered again. A letter that cannot be made
  (``MissingLetterPart``: a mandatory part is empty) never takes a number, so there are
  no gaps and no duplicates.
- The PDF (content from ``letter_content``, rendered by ``beoordeling.letters``) is
  stored once, as a ``subsidies.Document`` of kind ``beschikking`` on the application,
  with its SHA-256; the ``Decision`` row refers to it. An application that already has
  a decision of that kind never gets a second one: the existing one is returned (a
  batch counts it as skipped). Regenerating a sent decision is refused.
- The applicant is e-mailed through the outbox (``subsidies.mail``): the mail is queued
  in the decision's transaction and delivered after the commit, with retries. It says
  a decision is ready in "mijn aanvragen"; the PDF is attached only when the applicant
  explicitly accepted electronic decisions (art. 2:8 Awb, Wmebv), otherwise the letter
  goes by post.
- ``letter_batch_run`` makes the letters of a batch in chunks of ``CHUNK_SIZE``,
  through the background-job base (``BackgroundJob.begin_run``, ``record_progress``
  once per chunk, ``finish`` or ``fail``). Per chunk: the applications, their fixed
  results, existing decisions and handlers are read in a few queries; every letter is
  rendered outside any transaction (on SQLite a write transaction locks the whole
  database) with the kenmerken the counter will give next; then one short write
  transaction checks that nothing changed, reserves the chunk's kenmerken in one
  counter statement, stores the documents and decisions in bulk, plans the chunk's
  payments together (``plan_payments_many``) and queues the mails. A chunk in which
  anything changed or failed while writing is rolled back whole and made again letter
  by letter (``decision_issue``), so one failing letter loses none of the others and
  the kenmerken keep no gaps. A batch of kind ``vaststellingen`` fixes each grant
  with its letter (``after_award``), one transaction each, with the same progress per
  chunk. It is idempotent: run it again after a crash and it skips what exists and
  retries what failed.
"""

import dataclasses
import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from beoordeling.letters import (
    bezwaar_deadline,
    render_letter,
)
from beoordeling.models import (
    Decision,
    DecisionError,
    LetterBatch,
)
from beoordeling.payments.services.planning import (
    plan_payments,
    plan_payments_many,
)
from subsidies import counters
from subsidies.counters import DECISION_PREFIX
from subsidies.mail import queue_mail
from subsidies.mail_language import in_language_of
from subsidies.models import Application, Document
from subsidies.workflow import GRANTED_STATES

from .letter_content import (
    decision_kind_for,
    fixed_result_for,
    fixed_result_ids,
    fixed_results_for,
    letter_content,
    prefetch_handlers,
    shared_reads,
)

logger = logging.getLogger(__name__)

MY_APPLICATIONS_URL_NAME = "subsidies:my_applications"
MY_APPLICATIONS_FALLBACK = "/mijn-aanvragen/"


def next_kenmerk(*, year):
    """Hand out the next kenmerk like ``D2026-000123``; safe under concurrency."""
    return _kenmerk(year, counters.next_number(prefix=DECISION_PREFIX, year=year))


def _kenmerk(year, number):
    return f"D{year}-{number:06d}"


def _peek_kenmerk_number(*, year):
    """The number the next kenmerk of ``year`` will get, read without a lock."""
    return counters.peek_number(prefix=DECISION_PREFIX, year=year)


def _take_kenmerk_number(*, year, number):
    """Raise the counter to ``number`` if it still stands just below it (in the
    caller's transaction); False when another letter took that number meanwhile."""
    return counters.take_number(prefix=DECISION_PREFIX, year=year, number=number)


# --- issuing -----------------------------------------------------------------------------

#: How often a letter is rendered again when another letter took its kenmerk first.
ISSUE_ATTEMPTS = 10


def _applications_for_letters():
    return Application.objects.select_related("round__scheme", "applicant", "wijk")


def _application_for_letter(pk, *, lock=False):
    queryset = _applications_for_letters()
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    return queryset.get(pk=pk)


def _render(*, application, kind, kenmerk, date_sent, result):
    try:
        content = letter_content(
            application=application,
            kind=kind,
            kenmerk=kenmerk,
            date_sent=date_sent,
            result=result,
        )
        return content, render_letter(content)
    except ValueError as error:  # MissingLetterPart is a ValueError too
        raise DecisionError(
            _("Aanvraag %(reference)s: %(error)s")
            % {"reference": application.reference, "error": error}
        ) from error


def decision_issue(
    *, application, actor=None, date_sent=None, batch=None, notify=True, at=None
):
    """Make the beschikking of a decided application; returns ``(decision, created)``.

    An existing decision of the same kind is returned as it is (``created`` False):
    a decision is never regenerated. Raises ``DecisionError`` with a Dutch message when
    the application is undecided or a mandatory part of the letter is empty.

    The PDF is rendered *before* the write transaction, with the kenmerk the counter
    will hand out next; the transaction then only checks that nothing changed (the
    decision, its allocation result, the counter) and writes. On SQLite a write
    transaction locks the whole database, so rendering inside it made the web server
    wait, or fail with "database is locked". When another letter took the kenmerk in
    the meantime, the letter is rendered again with the next one: no gaps, no
    duplicates, and a refused letter never uses a number.
    """
    at = at or timezone.now()
    date_sent = date_sent or timezone.localdate(at)
    year = date_sent.year
    for _attempt in range(ISSUE_ATTEMPTS):
        application = _application_for_letter(application.pk)
        result = fixed_result_for(application)
        kind = decision_kind_for(application, result)
        existing = Decision.objects.filter(application=application, kind=kind).first()
        if existing is not None:
            return existing, False
        number = _peek_kenmerk_number(year=year)
        kenmerk = _kenmerk(year, number)
        with shared_reads():  # read afresh, not what a batch's chunk read before
            content, pdf = _render(
                application=application,
                kind=kind,
                kenmerk=kenmerk,
                date_sent=date_sent,
                result=result,
            )
        digest = hashlib.sha256(pdf).hexdigest()
        with transaction.atomic():
            locked = _application_for_letter(application.pk, lock=True)
            existing = Decision.objects.filter(application=locked, kind=kind).first()
            if existing is not None:
                return existing, False
            locked_result = fixed_result_for(locked)
            unchanged = locked.status == application.status and (
                getattr(locked_result, "pk", None) == getattr(result, "pk", None)
            )
            if not unchanged or not _take_kenmerk_number(year=year, number=number):
                continue
            decision = _store_decision(
                application=locked,
                kind=kind,
                kenmerk=kenmerk,
                date_sent=date_sent,
                content=content,
                pdf=pdf,
                digest=digest,
                result=result,
                batch=batch,
                actor=actor,
                at=at,
            )
            if locked.status in GRANTED_STATES:
                payments_follow(locked)
            if notify:
                decision_notify(decision=decision, at=at, pdf=pdf)
        return decision, True
    raise DecisionError(
        _(
            "Aanvraag %(reference)s: er werden tegelijk te veel andere brieven "
            "gemaakt. Probeer het opnieuw."
        )
        % {"reference": application.reference}
    )


def store_letter(*, application, name, pdf, digest, actor, at):
    """The PDF of a beschikking, stored once as a document of the application."""
    document = _letter_document(
        application=application, name=name, pdf=pdf, digest=digest, actor=actor, at=at
    )
    document.save()
    return document


def _letter_document(*, application, name, pdf, digest, actor, at):
    """The document of a letter with its file written, its row not saved yet."""
    document = Document(
        application=application,
        kind=Document.Kind.DECISION_LETTER,
        original_name=name,
        content_type="application/pdf",
        size=len(pdf),
        sha256=digest,
        uploaded_by=actor,
        uploaded_at=at,
    )
    document.file.save(name, ContentFile(pdf), save=False)
    return document


def payments_follow(application):
    """The payments ledger follows every beschikking at once, in its transaction: a
    verlening's voorschotten, a vaststelling's rest, an intrekking's terugvordering
    (``beoordeling.payments``; the nightly ``plan_payments`` is the safety net)."""
    plan_payments(application)


def _store_decision(
    *,
    application,
    kind,
    kenmerk,
    date_sent,
    content,
    pdf,
    digest,
    result,
    batch,
    actor,
    at,
):
    document = store_letter(
        application=application,
        name=_letter_name(kenmerk),
        pdf=pdf,
        digest=digest,
        actor=actor,
        at=at,
    )
    decision = _decision(
        application=application,
        kind=kind,
        kenmerk=kenmerk,
        date_sent=date_sent,
        content=content,
        digest=digest,
        document=document,
        result=result,
        batch=batch,
        actor=actor,
        at=at,
    )
    decision.save()
    return decision


def _letter_name(kenmerk):
    return f"beschikking-{kenmerk}.pdf"


def _decision(
    *,
    application,
    kind,
    kenmerk,
    date_sent,
    content,
    digest,
    document,
    result,
    batch,
    actor,
    at,
):
    """The decision row of a beschikking, not saved yet."""
    return Decision(
        application=application,
        kind=kind,
        kenmerk=kenmerk,
        date_sent=date_sent,
        bezwaar_deadline=bezwaar_deadline(date_sent),
        amount_cents=content.awarded_cents,
        sha256=digest,
        document=document,
        allocation_result=result,
        batch=batch,
        sent_electronically=application.applicant.accepts_electronic_decisions,
        created_by=actor,
        created_at=at,
    )


def decision_verify(*, decision):
    """True when the stored PDF still has the SHA-256 recorded when it was sent."""
    with decision.document.file.open("rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest() == decision.sha256


def my_applications_url():
    try:
        path = reverse(MY_APPLICATIONS_URL_NAME)
    except NoReverseMatch:
        path = MY_APPLICATIONS_FALLBACK
    return getattr(settings, "PUBLIC_SITE_URL", "").rstrip("/") + path


def decision_notify(*, decision, at=None, pdf=None):
    """Queue the e-mail that a decision is ready; the PDF goes along only with consent.

    The mail joins the outbox in the current transaction (``subsidies.mail``), so it
    is delivered after the commit and retried while the mail server refuses; a rolled
    back decision is never announced. ``notified_at`` records when it was queued. It
    goes to the members' login addresses and, once confirmed through its link, the
    contact address (``Applicant.mail_recipients``); never to an unconfirmed address.
    """
    at = at or timezone.now()
    application = decision.application
    applicant = application.applicant
    context = {
        "name": applicant.contact_name or applicant.name,
        "reference": application.reference,
        "title": application.title,
        "kenmerk": decision.kenmerk,
        "url": my_applications_url(),
        "deadline": decision.bezwaar_deadline,
        "electronic": decision.sent_electronically,
    }
    # The decision maker works on a Dutch screen; the mail is in the applicant's
    # language (the letter itself stays Dutch).
    with in_language_of(application):
        subject = render_to_string(
            "beoordeling/decisions/email/decision_subject.txt", context
        )
        body = render_to_string("beoordeling/decisions/email/decision.txt", context)
    attachments = []
    if decision.sent_electronically:
        if pdf is None:
            with decision.document.file.open("rb") as handle:
                pdf = handle.read()
        attachments.append((decision.document.original_name, pdf, "application/pdf"))
    recipients = applicant.mail_recipients()
    if not recipients:
        # No proved address (an imported applicant): the letter goes by post only.
        logger.warning("No verified e-mail address for %s", application.reference)
        return
    queue_mail(
        to=recipients,
        subject=subject,
        body=body,
        attachments=attachments,
        reference=decision.kenmerk,
    )
    if decision.notified_at is None:
        Decision.objects.filter(pk=decision.pk).update(notified_at=at)
        decision.notified_at = at


# --- batches -----------------------------------------------------------------------------

#: Letters per chunk of a batch: one write transaction, one counter statement and one
#: progress write each.
CHUNK_SIZE = 50


@dataclasses.dataclass
class BatchTally:
    """What a run of a batch did so far: letters made (``done``, with those an earlier
    run of the batch made), skipped (another made them) and failed, with the reason."""

    done: int = 0
    skipped: int = 0
    errors: list = dataclasses.field(default_factory=list)

    def fail(self, application, message):
        self.errors.append({"reference": application.reference, "message": message})

    def progress(self):
        return {
            "done": self.done,
            "skipped": self.skipped,
            "failed": len(self.errors),
            "errors": self.errors,
        }


def letter_batch_run(*, batch_id, chunk_size=None):
    """Make every letter of the batch that does not exist yet; returns the counts.

    Safe to run again after a crash: applications with a decision of their kind are
    skipped (counted as done when this batch made it), failures are retried.
    """
    now = timezone.now()
    with transaction.atomic():
        batch = LetterBatch.objects.select_for_update().get(pk=batch_id)
        if batch.status == LetterBatch.Status.DONE and not batch.failed:
            return _counts(batch)
        batch.begin_run(
            now=now,
            started_at=batch.started_at or now,
            done=Decision.objects.filter(batch=batch).count(),
            skipped=0,
            failed=0,
            errors=[],
        )
    batch.refresh_from_db()
    attempt = batch.attempts
    tally = BatchTally(done=batch.done)
    make_chunk = _decisions_chunk
    if batch.kind == LetterBatch.Kind.FIXING:
        from .after_award import fixing_chunk as make_chunk  # noqa: PLC0415 - a cycle
    ids = list(batch.application_ids)
    chunk_size = chunk_size or CHUNK_SIZE
    try:
        with shared_reads():
            for start in range(0, len(ids), chunk_size):
                make_chunk(batch, ids[start : start + chunk_size], tally)
                batch.record_progress(attempt=attempt, **tally.progress())
    except BaseException:
        batch.fail(attempt=attempt, progress_at=timezone.now())
        raise
    batch.finish(now=timezone.now())
    batch.refresh_from_db()
    return _counts(batch)


@dataclasses.dataclass(frozen=True)
class _Letter:
    """A letter of a chunk, rendered and ready to be stored."""

    application: Application
    kind: str
    kenmerk: str
    content: object
    pdf: bytes
    digest: str
    result: object


class _ChunkChanged(Exception):
    """Something the chunk's letters rest on changed between rendering and storing."""


def _decisions_chunk(batch, ids, tally):
    """The beschikkingen of ``ids``: rendered first, then stored in one transaction."""
    at = timezone.now()
    date_sent = batch.date_sent or timezone.localdate(at)
    year = date_sent.year
    applications = _applications_for_letters().in_bulk(ids)
    results = fixed_results_for(ids)
    made = {
        (application_id, kind): made_by
        for application_id, kind, made_by in Decision.objects.filter(
            application_id__in=ids
        ).values_list("application_id", "kind", "batch_id")
    }
    prefetch_handlers(ids)
    first = _peek_kenmerk_number(year=year)
    letters = []
    for pk in ids:
        if pk not in applications:
            raise Application.DoesNotExist(f"Application {pk} does not exist.")
        application = applications[pk]
        result = results.get(pk)
        try:
            kind = decision_kind_for(application, result)
        except DecisionError as error:
            tally.fail(application, str(error))
            continue
        if (pk, kind) in made:
            if made[pk, kind] != batch.pk:
                tally.skipped += 1
            continue
        kenmerk = _kenmerk(year, first + len(letters))
        try:
            content, pdf = _render(
                application=application,
                kind=kind,
                kenmerk=kenmerk,
                date_sent=date_sent,
                result=result,
            )
        except DecisionError as error:
            tally.fail(application, str(error))
            continue
        digest = hashlib.sha256(pdf).hexdigest()
        letters.append(
            _Letter(application, kind, kenmerk, content, pdf, digest, result)
        )
    if not letters:
        return
    try:
        with transaction.atomic():
            _store_chunk(batch, letters, first=first, year=year, at=at)
    except Exception:  # noqa: BLE001 - made again one by one, which reports it
        logger.info("Letter batch %s: a chunk is made again one by one", batch.pk)
        for letter in letters:
            _batch_one(batch, letter.application.pk, tally)
        return
    tally.done += len(letters)


def _store_chunk(batch, letters, *, first, year, at):
    """Store the chunk's letters, in the caller's transaction; ``_ChunkChanged`` when
    an application, its fixed result, its decisions or the counter moved on."""
    ids = [letter.application.pk for letter in letters]
    statuses = dict(
        Application.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .order_by("pk")  # one locking order for every batch: no deadlock
        .values_list("pk", "status")
    )
    results = fixed_result_ids(ids)
    made = set(
        Decision.objects.filter(application_id__in=ids).values_list(
            "application_id", "kind"
        )
    )
    for letter in letters:
        application = letter.application
        if (
            statuses.get(application.pk) != application.status
            or results.get(application.pk) != getattr(letter.result, "pk", None)
            or (application.pk, letter.kind) in made
        ):
            raise _ChunkChanged
    if not counters.take_numbers(
        prefix=DECISION_PREFIX, year=year, first=first, count=len(letters)
    ):
        raise _ChunkChanged
    documents = Document.objects.bulk_create(
        _letter_document(
            application=letter.application,
            name=_letter_name(letter.kenmerk),
            pdf=letter.pdf,
            digest=letter.digest,
            actor=batch.created_by,
            at=at,
        )
        for letter in letters
    )
    decisions = Decision.objects.bulk_create(
        _decision(
            application=letter.application,
            kind=letter.kind,
            kenmerk=letter.kenmerk,
            date_sent=batch.date_sent or timezone.localdate(at),
            content=letter.content,
            digest=letter.digest,
            document=document,
            result=letter.result,
            batch=batch,
            actor=batch.created_by,
            at=at,
        )
        for letter, document in zip(letters, documents, strict=True)
    )
    payments_follow_chunk(
        letter.application
        for letter in letters
        if letter.application.status in GRANTED_STATES
    )
    if batch.notify:
        for letter, decision in zip(letters, decisions, strict=True):
            decision_notify(decision=decision, at=at, pdf=letter.pdf)


def payments_follow_chunk(applications):
    """``payments_follow`` for the granted applications of one chunk at once
    (``plan_payments_many``: a few queries for the whole chunk), after all of the
    chunk's decisions are stored (the ledger reads the verlening's date)."""
    plan_payments_many([application.pk for application in applications])


def _batch_one(batch, application_id, tally):
    """One letter of a batch in its own transaction (``decision_issue``)."""
    application = _application_for_letter(application_id)
    try:
        kind = decision_kind_for(application)
        existing = Decision.objects.filter(application=application, kind=kind).first()
        if existing is not None:
            if existing.batch_id != batch.pk:
                tally.skipped += 1
            return
        decision, created = decision_issue(
            application=application,
            actor=batch.created_by,
            date_sent=batch.date_sent,
            batch=batch,
            notify=batch.notify,
        )
    except DecisionError as error:
        tally.fail(application, str(error))
        return
    except IntegrityError:
        # Another worker made this letter at the same moment.
        created = False
        decision = None
    if created:
        tally.done += 1
    elif decision is None or decision.batch_id != batch.pk:
        tally.skipped += 1


def _counts(batch):
    return {
        "total": batch.total,
        "done": batch.done,
        "skipped": batch.skipped,
        "failed": batch.failed,
    }
