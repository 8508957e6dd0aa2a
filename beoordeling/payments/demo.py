"""Demo payments on the seeded grants, through the same services as the screens.

Runs after the decisions demo (and its after-award part); idempotent (nothing happens
once a batch exists). Every grant's ledger is planned from its beschikking; of the
directly fixed grants the first was paid out (marked by hand) and is therefore closed;
everything else that is due is composed into one batch by the first demo financial
administrator, waiting for the second to approve it (four eyes).
"""

from datetime import timedelta

from django.contrib.auth import get_user_model

from subsidies.models import Application
from subsidies.workflow import Settlement, Status

from ..models import PaymentBatch, PaymentKind
from .selectors import composable
from .services.batches import batch_compose, verify_payee
from .services.planning import plan_all
from .services.statements import mark_paid_by_hand
from .vop import Outcome

COMPOSER = "financien@initiatiefloket.example"


def seed_payments(*, now):
    composer = get_user_model().objects.filter(email=COMPOSER).first()
    if composer is None or PaymentBatch.objects.exists():
        return
    today = now.date()
    plan_all(today=today)
    direct = (
        Application.objects.filter(status=Status.FIXED, settlement=Settlement.DIRECT)
        .order_by("reference")
        .first()
    )
    if direct is not None:
        for instruction in direct.payment_instructions.filter(kind=PaymentKind.PAYMENT):
            mark_paid_by_hand(
                instruction=instruction,
                actor=composer,
                paid_on=today - timedelta(days=1),
                note="Betaald via de crediteurenadministratie.",
            )
    # The administrator leaves out what the name check flags: it stays on the list of
    # open payments, marked, for someone to look into.
    due = [
        row
        for row in composable(due_until=today + timedelta(days=60))
        if row.application.applicant.iban
        and verify_payee(row.application.applicant).outcome
        in (Outcome.MATCH, Outcome.CLOSE)
    ]
    if not due:
        return
    batch_compose(
        actor=composer,
        instruction_ids=[row.pk for row in due],
        execution_date=today + timedelta(days=2),
    )
