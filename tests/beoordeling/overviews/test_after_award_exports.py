"""The exports of vaststellingen and payments, read back against the database, on the
export screen with the export log (the data set of ``test_obligations``)."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from accounts.roles import ADMINISTRATOR, ASSESSOR
from beoordeling.models import (
    ExportKind,
    ExportLog,
    PaymentBatchItem,
    PaymentInstruction,
)
from beoordeling.overviews.exports.filters import ExportFilters
from beoordeling.overviews.exports.services import export_write
from subsidies.models import Application
from subsidies.workflow import Status
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _read(kind, fmt, filters):
    out = io.BytesIO()
    count = export_write(kind=kind, fmt=fmt, filters=filters, out=out)
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8"))))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
        values = list(sheet.iter_rows(values_only=True))
        rows = [dict(zip(values[0], row, strict=True)) for row in values[1:]]
    assert count == len(rows)
    return rows


def cents(value):
    if value in (None, ""):
        return None
    return int(Decimal(str(value)) * 100)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_vaststellingen_export_matches_the_database(after_award, fmt):
    round_ = after_award["round"]
    rows = _read(ExportKind.FIXINGS, fmt, ExportFilters(round_id=round_.pk))
    applications = Application.objects.filter(round=round_)
    assert {row["Kenmerk aanvraag"] for row in rows} == {
        a.reference for a in applications
    }
    for app in applications:
        (row,) = [r for r in rows if r["Kenmerk aanvraag"] == app.reference]
        assert row["Status"] == app.status
        assert cents(row["Verleend bedrag (euro)"]) == app.awarded_cents
        assert cents(row["Vastgesteld bedrag (euro)"]) == app.fixed_cents
        assert cents(row["Betaald (euro)"]) == app.paid_cents
        assert cents(row["Terugbetaald (euro)"]) == app.repaid_cents
        if app.fixed_cents is None:
            assert row["Verschil (euro)"] in (None, "")
        else:
            assert cents(row["Verschil (euro)"]) == app.awarded_cents - app.fixed_cents
    fixed = next(r for r in rows if r["Status"] == Status.FIXED)
    assert cents(fixed["Verschil (euro)"]) == 149_999


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_payments_export_matches_the_ledger(after_award, fmt):
    round_ = after_award["round"]
    rows = _read(ExportKind.PAYMENTS, fmt, ExportFilters(round_id=round_.pk))
    ledger = PaymentInstruction.objects.filter(application__round=round_)
    assert len(rows) == ledger.count() == 6
    by_id = {row["Betalingskenmerk"]: row for row in rows}
    for instruction in ledger:
        row = by_id[instruction.end_to_end_id]
        assert row["Soort"] == instruction.kind
        assert cents(row["Bedrag (euro)"]) == instruction.amount_cents
        assert row["Status betaling"] == instruction.status
        paid_on = row["Betaald op"]
        if fmt == "xlsx" and paid_on is not None:
            paid_on = paid_on.date()
        expected = (
            instruction.paid_on
            if fmt == "xlsx"
            else (instruction.paid_on.isoformat() if instruction.paid_on else "")
        )
        assert paid_on == expected
    batched = PaymentBatchItem.objects.get()
    row = by_id[batched.instruction.end_to_end_id]
    assert row["Betaalbatch"] == batched.batch.reference
    assert "IBAN" not in rows[0] and "NL91ABNA0417164300" not in str(rows)


def test_the_payments_list_exports_with_the_log(client, after_award):
    """The export screen lists the payments and its CSV is logged."""
    client.force_login(UserFactory(role=ADMINISTRATOR))
    page = client.get(
        reverse("overzichten:list", args=["betalingen"]),
        {"ronde": after_award["round"].pk},
    )
    assert page.status_code == 200
    assert after_award["reclaim"].end_to_end_id in page.content.decode()
    response = client.post(
        reverse("overzichten:export", args=["betalingen"]),
        {"ronde": after_award["round"].pk, "formaat": "csv"},
    )
    assert response.status_code == 200, response.content[:500]
    assert response["X-Export-Rows"] == "6"
    log = ExportLog.objects.get()
    assert log.kind == ExportKind.PAYMENTS and log.row_count == 6


def test_an_assessor_cannot_export_payments(client, after_award):
    client.force_login(UserFactory(role=ASSESSOR))
    response = client.post(
        reverse("overzichten:export", args=["betalingen"]), {"formaat": "csv"}
    )
    assert response.status_code == 403
    assert not ExportLog.objects.exists()
