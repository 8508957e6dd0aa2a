"""The data set of the open obligations after the award (dashboard and exports)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from beoordeling.models import (
    PaymentBatch,
    PaymentBatchItem,
    PaymentInstruction,
    PaymentKind,
    PaymentStatus,
    VopOutcome,
)
from subsidies import facts
from subsidies.services import fire
from subsidies.workflow import Settlement
from tests.factories import (
    RoundFactory,
    WijkFactory,
    assessor,
    decided_application,
    decision_maker,
    financial_administrator,
)


def _instruction(application, kind, sequence, cents, due_on, *, paid=False):
    return PaymentInstruction.objects.create(
        application=application,
        kind=kind,
        sequence=sequence,
        end_to_end_id=f"{application.reference}-{kind[0].upper()}{sequence}",
        amount_cents=cents,
        due_on=due_on,
        status=PaymentStatus.PAID if paid else PaymentStatus.OPEN,
        paid_on=due_on if paid else None,
    )


@pytest.fixture
def after_award():
    """A round with awards in every stage after the verlening, over two wijken."""
    today = timezone.localdate()
    round_ = RoundFactory(name="Voorjaar")
    zuid = WijkFactory(code="zuid", name="Zuid")
    oost = WijkFactory(code="oost", name="Oost")
    staff = {"assessed_by": assessor(), "decided_by": decision_maker()}

    def award(wijk, amount, **kwargs):
        return decided_application(
            round=round_, wijk=wijk, amount_cents=amount, **staff, **kwargs
        )

    # Report route: one whose report is late, one not yet due.
    late_report = award(zuid, 600_000, activity_end=today - timedelta(days=200))
    facts.require_report(late_report, due_on=today - timedelta(days=3))
    due_report = award(zuid, 610_000)
    facts.require_report(due_report, due_on=today + timedelta(days=30))
    # Reports in: one long ago (vaststelling late), one waiting for an aanvulling.
    report_in = award(oost, 620_000)
    facts.require_report(report_in, due_on=today + timedelta(days=30))
    fire(
        application=report_in,
        transition="submit_report",
        actor=None,
        at=timezone.now() - timedelta(days=120),
    )
    paused = award(oost, 630_000)
    facts.require_report(paused, due_on=today + timedelta(days=30))
    paused = fire(application=paused, transition="submit_report", actor=None)
    fire(
        application=paused,
        transition="request_report_supplement",
        actor=None,
        due_at=timezone.now() + timedelta(days=14),
    )
    # Ex officio after the activities: to fix, within its term.
    ex_officio = award(oost, 640_000, activity_end=today - timedelta(days=10))
    facts.record_settlement_terms(ex_officio, settlement=Settlement.EX_OFFICIO)
    # Fixed lower than the verlening, with money paid and a reclaim open.
    fixed = award(zuid, 650_000)
    facts.require_report(fixed, due_on=today + timedelta(days=30))
    fixed = fire(application=fixed, transition="submit_report", actor=None)
    facts.record_fixed_amount(fixed, fixed_cents=500_001, motivation="Minder kosten.")
    fixed = fire(application=fixed, transition="fix", actor=staff["decided_by"])
    facts.record_money(fixed, paid_cents=650_000, repaid_cents=0)

    # The payments ledger.
    _instruction(
        late_report, PaymentKind.ADVANCE, 1, 480_000, today - timedelta(days=5)
    )
    _instruction(due_report, PaymentKind.ADVANCE, 1, 488_000, today + timedelta(days=5))
    _instruction(report_in, PaymentKind.ADVANCE, 1, 496_000, today, paid=True)
    _instruction(fixed, PaymentKind.ADVANCE, 1, 520_000, today, paid=True)
    _instruction(fixed, PaymentKind.PAYMENT, 1, 130_000, today, paid=True)
    reclaim = _instruction(
        fixed, PaymentKind.RECLAIM, 1, 149_999, today + timedelta(days=42)
    )
    composer, approver = financial_administrator(), financial_administrator()
    batch = PaymentBatch.objects.create(
        execution_date=today,
        composed_by=composer,
        composed_at=timezone.now(),
        approved_by=approver,
        approved_at=timezone.now(),
        status="goedgekeurd",
    )
    advance = PaymentInstruction.objects.get(application=due_report)
    PaymentBatchItem.objects.create(
        batch=batch,
        instruction=advance,
        amount_cents=advance.amount_cents,
        iban="NL91ABNA0417164300",
        account_holder="Stichting",
        vop_outcome=VopOutcome.MATCH,
    )
    return {"round": round_, "zuid": zuid, "oost": oost, "reclaim": reclaim}
