"""Reads of the payment screens: what is due, the batches, one batch, the statements."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone

from ..models import (
    BankStatement,
    BatchStatus,
    PaymentBatch,
    PaymentBatchItem,
    PaymentInstruction,
    PaymentKind,
    PaymentStatus,
)

#: The compose screen proposes what falls due within this many days.
COMPOSE_HORIZON_DAYS = 14


def default_due_until():
    return timezone.localdate() + timedelta(days=COMPOSE_HORIZON_DAYS)


def _in_live_batch():
    return Exists(
        PaymentBatchItem.objects.filter(instruction=OuterRef("pk"), live=True).exclude(
            batch__status=BatchStatus.CANCELLED
        )
    )


def open_outgoing():
    """Open voorschotten and betalingen, with whether each is in a live batch."""
    return (
        PaymentInstruction.objects.filter(status=PaymentStatus.OPEN)
        .exclude(kind=PaymentKind.RECLAIM)
        .annotate(in_batch=_in_live_batch())
        .select_related("application__applicant", "application__round__scheme")
        .order_by("due_on", "end_to_end_id")
    )


def composable(*, due_until=None):
    """Open outgoing instructions in no live batch, due up to ``due_until``."""
    rows = open_outgoing().filter(in_batch=False)
    if due_until is not None:
        rows = rows.filter(due_on__lte=due_until)
    return rows


def open_reclaims():
    return (
        PaymentInstruction.objects.filter(
            status=PaymentStatus.OPEN, kind=PaymentKind.RECLAIM
        )
        .select_related("application__applicant")
        .order_by("due_on", "end_to_end_id")
    )


def recently_paid(limit=50):
    return (
        PaymentInstruction.objects.filter(status=PaymentStatus.PAID)
        .select_related("application", "paid_by")
        .order_by("-paid_on", "-pk")[:limit]
    )


def batches(limit=50):
    return PaymentBatch.objects.select_related(
        "composed_by", "approved_by", "exported_by"
    )[:limit]


def batch_detail(pk):
    return PaymentBatch.objects.select_related(
        "composed_by", "approved_by", "exported_by"
    ).get(pk=pk)


def batch_rows(batch):
    return (
        batch.items.filter(live=True)
        .select_related("instruction__application__applicant", "vop_accepted_by")
        .order_by("instruction__end_to_end_id")
    )


def statements(limit=20):
    return BankStatement.objects.select_related("uploaded_by").defer("content")[:limit]


def ledger_for(application):
    return (
        PaymentInstruction.objects.filter(application=application)
        .select_related("paid_by")
        .order_by("kind", "sequence")
    )


def totals_due():
    """Open money out and money to come back, in cents."""
    out = open_outgoing().aggregate(total=Sum("amount_cents"))["total"] or 0
    back = open_reclaims().aggregate(total=Sum("amount_cents"))["total"] or 0
    return out, back


def default_execution_date():
    """The next working day: a bank does not execute on Saturday or Sunday."""
    day = timezone.localdate() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day
