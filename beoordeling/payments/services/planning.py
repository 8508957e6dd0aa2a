"""``plan_payments``: make an application's ledger agree with its facts
(``plan_payments_many``: many ledgers at once, in a fixed number of queries).

The rule is the pure ``beoordeling.payments.ledger.plan``; this module reads the facts
(status, settlement, award, fixed amount, the verlening's dagtekening, the scheme's
voorschot terms) and the ledger rows, and writes what the rule asks. It is idempotent:
run twice, the second run changes nothing. ``record_payment`` marks one instruction
paid or received and recomputes the application's totals (``subsidies.facts.
record_money``) from the ledger rows, then closes the application when the guard of
``close`` allows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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


@dataclass(frozen=True)
class _Letters:
    """The dagtekeningen the ledger reads of one application's beschikkingen."""

    verlening_on: date | None = None
    last_letter_on: date | None = None


def _letters_of(ids) -> dict[int, _Letters]:
    """Per application: the dagtekening of its verlening (or of the beslissing op
    bezwaar that awarded it after an afwijzing, Awb 7:11: its dagtekening starts the
    terms of the voorschotten) and of its latest letter after the award. Three
    queries, however many applications."""
    decisions = Decision.objects.filter(application_id__in=ids)
    verleningen = {}
    # The decisions' own order (newest first), as one application's ``first()``.
    for application_id, sent in decisions.filter(
        kind=DecisionKind.VERLENING
    ).values_list("application_id", "date_sent"):
        verleningen.setdefault(application_id, sent)
    # Without a verlening: the earliest beslissing op bezwaar that awarded it.
    for application_id, sent in (
        decisions.filter(
            kind=DecisionKind.BESLISSING_OP_BEZWAAR,
            objection_decided__remedy_cents__isnull=False,
        )
        .order_by("date_sent", "pk")
        .values_list("application_id", "date_sent")
    ):
        verleningen.setdefault(application_id, sent)
    last = {}
    for application_id, sent in (
        decisions.filter(kind__in=AFTER_AWARD_LETTERS)
        .order_by("-date_sent", "-pk")
        .values_list("application_id", "date_sent")
    ):
        last.setdefault(application_id, sent)
    return {
        pk: _Letters(verlening_on=verleningen.get(pk), last_letter_on=last.get(pk))
        for pk in ids
    }


def ledger_facts(application, *, today=None) -> ledger.Facts:
    """What ``ledger.plan`` needs to know of ``application``."""
    letters = _letters_of([application.pk])[application.pk]
    return _facts(application, letters, today)


def _facts(application, letters: _Letters, today) -> ledger.Facts:
    scheme = application.round.scheme
    phase = _phase(application)
    if letters.verlening_on is None and phase is ledger.Phase.GRANTED:
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
        letter_sent_on=letters.verlening_on,
        fixed_on=_local_date(application.fixed_at),
        revoked_on=_local_date(application.revoked_at),
        reclaim_limit_on=application.reclaim_limit_on,
        last_letter_on=letters.last_letter_on,
        today=today or timezone.localdate(),
    )


def _rows_of(ids) -> dict[int, list[ledger.Row]]:
    """Per application its ledger rows, in the ledger's order: two queries."""
    instructions = PaymentInstruction.objects.filter(application_id__in=ids)
    locked = set(
        instructions.filter(
            batch_items__live=True, batch_items__batch__status__in=LOCKING_BATCHES
        ).values_list("pk", flat=True)
    )
    rows = {pk: [] for pk in ids}
    for i in instructions:
        rows[i.application_id].append(
            ledger.Row(
                key=i.pk,
                kind=ledger.Kind(i.kind),
                sequence=i.sequence,
                amount_cents=i.amount_cents,
                due_on=i.due_on,
                state=ledger.State(i.status),
                locked=i.pk in locked,
            )
        )
    return rows


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


def _apply(plans, now):
    """Write the changes of every application (``plans``: application, changes): the
    new rows in one insert, each changed row on its own."""
    touched = [
        change.key
        for _, changes in plans
        for change in changes
        if not isinstance(change, ledger.Create)
    ]
    if touched:
        _free_from_concept_batches(touched)
    new = []
    for application, changes in plans:
        for change in changes:
            if isinstance(change, ledger.Create):
                new.append(_instruction(application, change))
            elif isinstance(change, ledger.Update):
                PaymentInstruction.objects.filter(
                    pk=change.key, status=PaymentStatus.OPEN
                ).update(amount_cents=change.amount_cents, due_on=change.due_on)
            else:
                PaymentInstruction.objects.filter(
                    pk=change.key, status=PaymentStatus.OPEN
                ).update(status=PaymentStatus.LAPSED, lapsed_at=now)
    PaymentInstruction.objects.bulk_create(new)


def _instruction(application, change):
    return PaymentInstruction(
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


def plan_payments(application, *, today=None, actor=None):
    """Make the ledger of ``application`` agree with its facts; returns the changes.

    A vastgesteld application whose money is settled (paid minus repaid equals the
    fixed amount: fixed at € 0 with nothing paid, or a voorschot of 100 % fixed in
    full) is closed in the same transaction, by ``actor`` (``None``: the system).
    """
    changes = plan_payments_many([application.pk], today=today, actor=actor)
    if application.pk not in changes:
        raise Application.DoesNotExist(f"Geen aanvraag {application.pk}.")
    return changes[application.pk]


def plan_payments_many(application_ids, *, today=None, actor=None):
    """``plan_payments`` for several applications in one transaction: the same
    changes, read and written in a fixed number of queries (the letters of a round
    and the nightly run), plus one per changed row and per application whose
    totals change or that closes. Returns the changes per application key."""
    ids = sorted(set(application_ids))
    with transaction.atomic():
        applications = list(
            Application.objects.select_for_update()
            .select_related("round__scheme")
            .filter(pk__in=ids)
            .order_by("pk")
        )
        ids = [application.pk for application in applications]
        letters, rows = _letters_of(ids), _rows_of(ids)
        plans = [
            (
                application,
                ledger.plan(
                    _facts(application, letters[application.pk], today),
                    rows[application.pk],
                ),
            )
            for application in applications
        ]
        now = timezone.now()
        _apply(plans, now)
        if any(changes for _, changes in plans):
            rows = _rows_of(ids)
        for application in applications:
            # The locked row, with the totals just recorded on it; ``fire`` reads it
            # again under its own lock.
            _record_totals(application, rows[application.pk])
            _close_if_settled(application, actor, now)
    return {application.pk: changes for application, changes in plans}


#: How many applications the nightly run plans in one transaction.
PLAN_ALL_CHUNK = 200


def plan_all(*, today=None):
    """``plan_payments`` for every awarded application (the background sync), in
    chunks of ``PLAN_ALL_CHUNK``; returns how many ledgers changed."""
    count = 0
    ids = list(
        Application.objects.filter(status__in=GRANTED_STATES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), PLAN_ALL_CHUNK):
        changes = plan_payments_many(ids[start : start + PLAN_ALL_CHUNK], today=today)
        count += sum(1 for found in changes.values() if found)
    return count


def _record_totals(application, rows):
    paid, repaid = ledger.totals(rows)
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
