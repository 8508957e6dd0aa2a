"""From the award to the closed file, through the services the screens call, read back
from the database at every step (issue 15's end-to-end test; CI runs it on SQLite and
on PostgreSQL): the verlening's voorschotten in a batch that two financial
administrators compose and approve, its pain.001 file valid against the official XSD,
a bank statement that marks them paid, a verantwoording with one cost line lower, the
assessor's proposal, the vaststelling letter that reclaims what was paid too much, the
repayment on a second statement, and the dashboard's open obligations and the exports
of vaststellingen and payments against the database."""

import csv
import io
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from beoordeling.assessment.reports import review_propose
from beoordeling.decisions.services.after_award import propose_fix
from beoordeling.models import ExportKind, PaymentInstruction
from beoordeling.overviews.exports.filters import ExportFilters
from beoordeling.overviews.exports.services import export_write
from beoordeling.overviews.obligations import Figures, figures_per_round_and_wijk
from beoordeling.payments.services.batches import (
    batch_approve,
    batch_compose,
    batch_sepa,
)
from beoordeling.payments.services.statements import (
    statement_confirm,
    statement_preview,
    statement_upload,
)
from subsidies.models import Application, Report
from subsidies.reports import (
    report_set_money,
    report_start,
    report_submit,
    report_update,
)
from subsidies.workflow import Status
from tests.beoordeling.decisions.test_decision_letters import pdf_text
from tests.factories import team_assessor

from . import camt_samples

pytestmark = pytest.mark.django_db

PAIN = "{urn:iso:std:iso:20022:tech:xsd:pain.001.001.03}"


def _csv(kind, filters):
    out = io.BytesIO()
    export_write(kind=kind, fmt="csv", filters=filters, out=out)
    return list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8"))))


def _stored(application):
    return Application.objects.get(pk=application.pk)


def _ledger(application):
    return list(
        PaymentInstruction.objects.filter(application=application)
        .order_by("pk")
        .values_list("kind", "status", "amount_cents")
    )


def _open_figures(application):
    return sum(
        figures_per_round_and_wijk([application.round_id]).values(), start=Figures()
    )


def test_from_the_award_to_the_closed_file(award, composer, approver, decider):
    today = timezone.localdate()
    application = award(1_000_000, advance_percent=80)
    advances = list(
        PaymentInstruction.objects.filter(application=application).order_by("pk")
    )
    assert [a.kind for a in advances] and {a.kind for a in advances} == {"voorschot"}
    assert sum(a.amount_cents for a in advances) == 800_000

    # Two financial administrators: one composes, the other approves; then the file.
    batch = batch_compose(
        actor=composer,
        instruction_ids=[a.pk for a in advances],
        execution_date=today,
    )
    batch = batch_approve(batch=batch, actor=approver)
    xml = batch_sepa(batch=batch, actor=composer)  # validated against the XSD
    root = ElementTree.fromstring(xml)
    amounts = [Decimal(a.text) for a in root.iter(f"{PAIN}InstdAmt")]
    ids = [e.text for e in root.iter(f"{PAIN}EndToEndId")]
    assert sum(amounts) == Decimal("8000.00")
    assert sorted(ids) == sorted(a.end_to_end_id for a in advances)

    # The bank statement marks them paid, after a dry run that changes nothing.
    data = camt_samples.statement(
        *(
            camt_samples.entry(
                amount_cents=a.amount_cents,
                end_to_end_id=a.end_to_end_id,
                booked_on=today,
                reference=f"OUT-{a.pk}",
            )
            for a in advances
        ),
        statement_id="STMT-1",
    )
    statement = statement_upload(actor=composer, file_name="afschrift.xml", data=data)
    assert [line.action for line in statement_preview(statement)] == ["betaald"] * len(
        advances
    )
    assert _stored(application).paid_cents == 0
    statement_confirm(statement=statement, actor=composer)
    assert _stored(application).paid_cents == 800_000
    assert {row[1] for row in _ledger(application)} == {"betaald"}

    # The verantwoording: the one cost line came out at € 6.000 instead of € 10.000.
    member = application.applicant.members.order_by("pk").first()
    report = report_start(application=application, user=member)
    report_update(
        report=report,
        user=member,
        fields={
            "what_happened": "Vier buurtavonden, twee gingen niet door.",
            "course": Report.Course.PARTLY,
            "participants": 40,
        },
    )
    line = application.budget_lines.get()
    report_set_money(report=report, user=member, spent={line.pk: 600_000}, income=[])
    application = report_submit(
        application=application, user=member, truthful_declaration=True
    )
    assert application.status == Status.REPORT_SUBMITTED

    # The assessor of the wijk proposes € 6.000; the decision maker fixes it.
    review_propose(
        application=application,
        actor=team_assessor(application),
        accepted={line.pk: 600_000},
        ground="niet_verricht",
        motivation="Twee van de vier avonden gingen niet door.",
    )
    assert _stored(application).fixed_cents == 600_000
    decision = propose_fix(application=_stored(application), actor=decider).decision
    stored = _stored(application)
    assert (stored.status, stored.fixed_cents) == (Status.FIXED, 600_000)
    assert decision.reclaim_cents == 200_000
    text = pdf_text(decision)
    assert "€ 6.000,00" in text and "€ 2.000,00" in text and decision.kenmerk in text
    assert ("terugvordering", "open", 200_000) in _ledger(application)
    assert _open_figures(stored).reclaims_cents == 200_000

    # The repayment, quoting the letter's kenmerk, on the next statement: closed.
    data = camt_samples.statement(
        camt_samples.entry(
            amount_cents=200_000,
            direction="CRDT",
            booked_on=today,
            remittance=f"Terugbetaling {decision.kenmerk}",
            reference="IN-1",
        ),
        statement_id="STMT-2",
    )
    statement = statement_upload(actor=composer, file_name="afschrift-2.xml", data=data)
    statement_confirm(statement=statement, actor=composer)
    stored = _stored(application)
    assert (stored.paid_cents, stored.repaid_cents) == (800_000, 200_000)
    assert stored.status == Status.CLOSED
    assert not _open_figures(stored).any

    # The exports say what the database says.
    filters = ExportFilters(round_id=stored.round_id)
    (fixing,) = _csv(ExportKind.FIXINGS, filters)
    assert fixing["Kenmerk aanvraag"] == stored.reference
    assert fixing["Status"] == Status.CLOSED
    assert [
        fixing[f"{name} (euro)"]
        for name in ("Verleend bedrag", "Vastgesteld bedrag", "Betaald", "Terugbetaald")
    ] == ["10000.00", "6000.00", "8000.00", "2000.00"]
    payments = {
        row["Betalingskenmerk"]: row for row in _csv(ExportKind.PAYMENTS, filters)
    }
    for instruction in PaymentInstruction.objects.filter(application=stored):
        row = payments.pop(instruction.end_to_end_id)
        assert (row["Soort"], row["Status betaling"]) == (
            instruction.kind,
            instruction.status,
        )
        assert Decimal(row["Bedrag (euro)"]) * 100 == instruction.amount_cents
    assert payments == {}
