"""The decision use cases in one place, for the admin views and the demo.

Allocation runs live in ``allocation_runs``, the letters in ``letters``; this module
adds the one use case that needs the task queue: starting (and restarting) the letters
of a round in the background. ``letter_batch_start`` records a ``LetterBatch`` with the
applications in scope and enqueues ``generate_round_letters`` after the commit, so the
worker always finds the batch row. A batch that crashed, stalled or had failures can be
started again; ``letter_batch_run`` skips what exists, so nothing is made twice.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beoordeling.models import DecisionError, LetterBatch
from beoordeling.models.jobs import STALLED_AFTER

from ..selectors import decided_without_letter
from ..tasks import generate_round_letters
from .after_award import due_for_fixing
from .allocation_runs import (
    RunAlreadyFixed,
    allocation_result_approve,
    allocation_run_create,
    allocation_run_fix,
    application_decide_by_receipt,
    older_waiting,
    receipt_order_key,
    require_decision_maker,
)
from .four_eyes import (
    ReasonMissing,
    allocation_result_refuse,
    allocation_result_resubmit,
    allocation_result_send_back,
    allocation_result_withdraw,
    sent_back_refusal,
)
from .letters import decision_issue, decision_notify, decision_verify, letter_batch_run

__all__ = [
    "STALLED_AFTER",
    "ReasonMissing",
    "RunAlreadyFixed",
    "allocation_result_approve",
    "allocation_result_refuse",
    "allocation_result_resubmit",
    "allocation_result_send_back",
    "allocation_result_withdraw",
    "allocation_run_create",
    "allocation_run_fix",
    "application_decide_by_receipt",
    "batch_is_stalled",
    "decision_issue",
    "decision_notify",
    "decision_verify",
    "sent_back_refusal",
    "letter_batch_restart",
    "letter_batch_run",
    "letter_batch_start",
    "older_waiting",
    "receipt_order_key",
]


def _enqueue(batch):
    result = generate_round_letters.enqueue(batch.pk)
    LetterBatch.objects.filter(pk=batch.pk).update(task_id=str(result.id))


def letter_batch_start(
    *,
    round,
    actor,
    date_sent=None,
    notify=True,
    enqueue=True,
    kind=LetterBatch.Kind.DECISIONS,
):
    """Record a batch for the round's decided applications without a letter; enqueue it.

    A batch of kind ``vaststellingen`` takes the grants due for fixing at the full
    amount instead (``after_award.due_for_fixing``). ``enqueue=False`` leaves the
    running to the caller (the demo seed runs it at once).
    """
    require_decision_maker(actor)
    now = timezone.now()
    with transaction.atomic():
        if kind == LetterBatch.Kind.FIXING:
            application_ids = due_for_fixing(round)
            empty = _("Er zijn in deze ronde geen subsidies om nu vast te stellen.")
        else:
            application_ids = decided_without_letter(round)
            empty = _("Alle besluiten in deze ronde hebben al een beschikking.")
        if not application_ids:
            raise DecisionError(empty)
        batch = LetterBatch.objects.create(
            round=round,
            kind=kind,
            date_sent=date_sent or timezone.localdate(now),
            notify=notify,
            application_ids=application_ids,
            total=len(application_ids),
            created_by=actor,
            created_at=now,
        )
        if enqueue:
            transaction.on_commit(lambda: _enqueue(batch))
    return batch


def batch_is_stalled(batch, *, now=None):
    """A batch that stopped: running without progress, or never started at all.

    A waiting batch counts too: its task can die before it marks the batch running
    (on the demo's SQLite, on "database is locked"), or the enqueue after the commit
    can fail; such a batch used to wait forever with no way to restart it.
    """
    return batch.stalled_at(now or timezone.now())


def letter_batch_restart(*, batch, actor):
    """Start a batch again after a crash, a stall or failures; never duplicates letters."""
    require_decision_maker(actor)
    with transaction.atomic():
        batch = LetterBatch.objects.select_for_update().get(pk=batch.pk)
        may_restart = (
            batch.status == LetterBatch.Status.FAILED
            or batch_is_stalled(batch)
            or (batch.status == LetterBatch.Status.DONE and batch.failed)
        )
        if not may_restart:
            raise DecisionError(
                _("Deze brievenreeks loopt nog of is zonder fouten klaar.")
            )
        batch.put_back()
        transaction.on_commit(lambda: _enqueue(batch))
    return batch
