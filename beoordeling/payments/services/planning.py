"""``plan_payments``: make an application's ledger agree with its facts.

The rule is the pure ``beoordeling.payments.ledger.plan``; this module reads the facts
(status, settlement, award, fixed amount, the verlening's dagtekening, the scheme's
voorschot terms) and the ledger rows, and writes what the rule asks. It is idempotent:
run twice, the second run changes nothing. ``record_payment`` marks one instruction
paid or received and recomputes the application's totals (``subsidies.facts.
record_money``) from the ledger rows, then closes the application when the guard of
``close`` allows it.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from beoordeling.letters import Settlement, settlement_for
from subsidies import facts as subsidy_facts
from subsidies import services as subsidy_services
from subsidies.models import Application
from subsidies.workflow import (
    BEFORE_FIXING_STATES,
    GRANTED_STATES,
    Status,
)
from subsidies.workflow import Settlement as Route

from ...models import (
    BatchStatus,
    Decision,
    DecisionKind,
    PaymentBatchItem,
    PaymentInstruction,
    PaymentKind,
    PaymentStatus,
)
from .. import ledger
from . import PaymentError

#: The beschikkingen after the award (``DecisionKind`` values): the latest one's
#: dagtekening starts the six weeks of a terugvordering. A beslissing op bezwaar that
#: puts a new decision in place of the old one (Awb 7:11) counts as one.
AFTER_AWARD_LETTERS = (
    "vaststelling",
    "wijziging",
    "intrekking",
    "terugvordering",
    "beslissing_op_bezwaar",
)
#: The batches in which an item may still be paid by the bank: its row is locked.
LOCKING_BATCHES = (BatchStatus.APPROVED, BatchStatus.EXPORTED)


def _local_date(moment):
    return timezone.localdate(moment) if moment else None


def _settlement(application) -> Settlement:
    if application.settlement:
        return (
            Settlement.DIRECT
            if application.settlement == Route.DIRECT
            else Settlement.LATER
        )
    scheme = application.round.scheme
    return settlement_for(
        scheme.settlement_route,
        scheme.direct_settlement_max_cents,
        application.awarded_cents or 0,
    )


def _phase(application) -> ledger.Phase:
    if application.status == Status.REVOKED:
        return ledger.Phase.REVOKED
    if application.status in (Status.FIXED, Status.CLOSED):
        return ledger.Phase.FIXED
    if application.status in BEFORE_FIXING_STATES:
        return ledger.Phase.GRANTED
    return ledger.Phase.NONE


def ledger_facts(application, *, today=None) -> ledger.Facts:
    """What ``ledger.plan`` needs to know of ``application``."""
    scheme = application.round.scheme
    verlening = (
        Decision.objects.filter(application=application, kind=DecisionKind.VERLENING)
        .only("date_sent")
        .first()
    )
    if verlening is None:
        # Awarded on bezwaar after an afwijzing (Awb 7:11): the beslissing op bezwaar
        # is the verlening, its dagtekening starts the terms of the voorschotten.
        verlening = (
            Decision.objects.filter(
                application=application,
                kind=DecisionKind.BESLISSING_OP_BEZWAAR,
                objection_decided__remedy_cents__isnull=False,
            )
            .order_by("date_sent", "pk")
            .only("date_sent")
            .first()
        )
    last_letter = (
        Decision.objects.filter(application=application, kind__in=AFTER_AWARD_LETTERS)
        .order_by("-date_sent", "-pk")
        .only("date_sent")
        .first()
    )
    phase = _phase(application)
    if verlening is None and phase is ledger.Phase.GRANTED:
        # Nothing is due before the verlening is sent: its dagtekening starts the terms.
        phase = ledger.Phase.NONE
    return ledger.Facts(
        phase=phase,
        settlement=_settlement(application),
        awarded_cents=application.awarded_cents or 0,
        fixed_cents=application.fixed_cents,
        advance_percent=scheme.advance_percent,
        advance_part_months=scheme.advance_part_months,
        activity_start=application.activity_start,
        activity_end=application.activity_end,
        letter_sent_on=verlening.date_sent if verlening else None,
        fixed_on=_local_date(application.fixed_at),
        revoked_on=_local_date(application.revoked_at),
        reclaim_limit_on=application.reclaim_limit_on,
        last_letter_on=last_letter.date_sent if last_letter else None,
        today=today or timezone.localdate(),
    )


def _rows(application) -> list[ledger.Row]:
    instructions = PaymentInstruction.objects.filter(application=application)
    locked = set(
        instructions.filter(
            batch_items__live=True, batch_items__batch__status__in=LOCKING_BATCHES
        ).values_list("pk", flat=True)
    )
    return [
        ledger.Row(
            key=i.pk,
            kind=ledger.Kind(i.kind),
            sequence=i.sequence,
            amount_cents=i.amount_cents,
            due_on=i.due_on,
            state=ledger.State(i.status),
            locked=i.pk in locked,
        )
        for i in instructions
    ]


def _free_from_concept_batches(instruction_ids):
    """A row that changes leaves the concept batch it was in (nobody approved it)."""
    items = PaymentBatchItem.objects.filter(
        instruction_id__in=instruction_ids,
        live=True,
        batch__status=BatchStatus.CONCEPT,
    ).select_related("batch")
    batches = {item.batch for item in items}
    items.delete()
    for batch in batches:
        _recount(batch)


def _recount(batch):
    amounts = list(batch.items.filter(live=True).values_list("amount_cents", flat=True))
    batch.total_cents = sum(amounts)
    batch.item_count = len(amounts)
    batch.save(update_fields=["total_cents", "item_count"])


def _apply(application, changes, now):
    touched = [c.key for c in changes if not isinstance(c, ledger.Create)]
    if touched:
        _free_from_concept_batches(touched)
    for change in changes:
        if isinstance(change, ledger.Create):
            PaymentInstruction.objects.create(
                application=application,
                kind=PaymentKind(change.kind.value),
                sequence=change.sequence,
                end_to_end_id=ledger.end_to_end_id(
                    application.reference, change.kind, change.sequence
                ),
                amount_cents=change.amount_cents,
                due_on=change.due_on,
                period_start=change.period[0] if change.period else None,
                period_end=change.period[1] if change.period else None,
            )
        elif isinstance(change, ledger.Update):
            PaymentInstruction.objects.filter(
                pk=change.key, status=PaymentStatus.OPEN
            ).update(amount_cents=change.amount_cents, due_on=change.due_on)
        else:
            PaymentInstruction.objects.filter(
                pk=change.key, status=PaymentStatus.OPEN
            ).update(status=PaymentStatus.LAPSED, lapsed_at=now)


def plan_payments(application, *, today=None, actor=None):
    """Make the ledger of ``application`` agree with its facts; returns the changes.

    A vastgesteld application whose money is settled (paid minus repaid equals the
    fixed amount: fixed at € 0 with nothing paid, or a voorschot of 100 % fixed in
    full) is closed in the same transaction, by ``actor`` (``None``: the system).
    """
    with transaction.atomic():
        application = (
            Application.objects.select_for_update()
            .select_related("round__scheme")
            .get(pk=application.pk)
        )
        changes = ledger.plan(
            ledger_facts(application, today=today), _rows(application)
        )
        now = timezone.now()
        _apply(application, changes, now)
        _record_totals(application)
        _close_if_settled(Application.objects.get(pk=application.pk), actor, now)
    return changes


def plan_all(*, today=None):
    """``plan_payments`` for every awarded application (the background sync)."""
    count = 0
    ids = Application.objects.filter(status__in=GRANTED_STATES).values_list(
        "pk", flat=True
    )
    for pk in ids.iterator():
        if plan_payments(Application(pk=pk), today=today):
            count += 1
    return count


def _record_totals(application):
    paid, repaid = ledger.totals(_rows(application))
    if (application.paid_cents, application.repaid_cents) != (paid, repaid):
        subsidy_facts.record_money(application, paid_cents=paid, repaid_cents=repaid)


def _close_if_settled(application, actor, at):
    if application.status != Status.FIXED:
        return application
    if application.paid_cents - application.repaid_cents != application.fixed_cents:
        return application
    return subsidy_services.fire(
        application=application, transition="close", actor=actor, at=at
    )


def record_payment(
    *, instruction, actor, paid_on, source, reference="", note="", statement=None
):
    """Mark one open instruction paid (out) or received (in), then recompute the
    totals, re-plan (a late voorschot changes the rest) and close when settled."""
    with transaction.atomic():
        row = PaymentInstruction.objects.select_for_update().get(pk=instruction.pk)
        if row.status != PaymentStatus.OPEN:
            raise PaymentError(
                f"{row.end_to_end_id} is al {row.get_status_display().lower()}."
            )
        row.status = PaymentStatus.PAID
        row.paid_on = paid_on
        row.paid_by = actor
        row.source = source
        row.source_reference = reference[:200]
        row.note = note
        row.statement = statement
        row.save()
        plan_payments(row.application, actor=actor)
    return row
