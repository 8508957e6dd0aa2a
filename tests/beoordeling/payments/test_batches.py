"""Payment batches: four eyes, one live batch per instruction, Verification of Payee,
and the exports (pain.001 against the XSD, CSV and XLSX read back)."""

import csv
import io
import xml.etree.ElementTree as ET
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from beoordeling.models import PaymentBatch, PaymentInstruction
from beoordeling.payments.services import PaymentError
from beoordeling.payments.services import batches as services
from beoordeling.payments.services.statements import mark_paid_by_hand
from tests.beoordeling.payments.test_sepa import NS, read_back, validate
from tests.factories import AddressedApplicantFactory, decision_maker

pytestmark = pytest.mark.django_db


def tomorrow():
    return timezone.localdate() + timedelta(days=1)


def advances(application):
    return list(
        PaymentInstruction.objects.filter(
            application=application, kind="voorschot"
        ).order_by("sequence")
    )


@pytest.fixture
def two(award):
    return award(1_000_000), award(400_000, advance_percent=100)


def compose(actor, instructions, **kwargs):
    return services.batch_compose(
        actor=actor,
        instruction_ids=[i.pk for i in instructions],
        execution_date=tomorrow(),
        **kwargs,
    )


def test_the_composer_cannot_approve_a_second_administrator_can(
    two, composer, approver
):
    first, second = two
    picked = [advances(first)[0], advances(second)[0]]
    batch = compose(composer, picked)
    assert (batch.status, batch.item_count) == ("concept", 2)
    assert batch.total_cents == sum(i.amount_cents for i in picked)
    with pytest.raises(PaymentError, match="zelf samengesteld"):
        services.batch_approve(batch=batch, actor=composer)
    batch.refresh_from_db()
    assert batch.status == "concept" and batch.approved_by is None
    services.batch_approve(batch=batch, actor=approver)
    batch.refresh_from_db()
    assert (batch.status, batch.approved_by) == ("goedgekeurd", approver)


def test_only_a_financial_administrator_composes_or_approves(two, composer):
    first, _ = two
    with pytest.raises(PermissionDenied):
        compose(decision_maker(), advances(first)[:1])
    batch = compose(composer, advances(first)[:1])
    with pytest.raises(PermissionDenied):
        services.batch_approve(batch=batch, actor=decision_maker())


def test_only_an_approved_batch_exports(two, composer, approver):
    batch = compose(composer, advances(two[0])[:1])
    for export in (
        lambda: services.batch_sepa(batch=batch, actor=composer),
        lambda: services.batch_table(batch=batch, actor=composer, file_format="csv"),
    ):
        with pytest.raises(PaymentError, match="goedgekeurde batch"):
            export()
    batch.refresh_from_db()
    assert batch.status == "concept" and batch.exported_at is None


def test_the_sepa_file_validates_and_reads_back(two, composer, approver, settings):
    settings.PAYMENTS_DEBTOR_IBAN = "NL91ABNA0417164300"
    settings.PAYMENTS_DEBTOR_BIC = "ABNANL2A"
    first, second = two
    picked = [advances(first)[0], advances(second)[0]]
    batch = compose(composer, picked)
    services.batch_approve(batch=batch, actor=approver)
    data = services.batch_sepa(batch=batch, actor=composer)
    validate(data)
    expected = sorted(
        (
            i.end_to_end_id,
            i.application.applicant.account_holder,
            i.application.applicant.iban,
            Decimal(i.amount_cents) / 100,
        )
        for i in picked
    )
    assert sorted(read_back(data)) == expected
    root = ET.fromstring(data)
    assert root.findtext(".//p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == (
        "NL91ABNA0417164300"
    )
    assert root.findtext(".//p:ReqdExctnDt", namespaces=NS) == tomorrow().isoformat()
    batch.refresh_from_db()
    assert batch.status == "geexporteerd" and batch.exported_by == composer


def test_csv_and_xlsx_read_back(two, composer, approver):
    first, _ = two
    first.applicant.account_holder = '=HYPERLINK("http://x")'
    first.applicant.save()
    picked = advances(first)[:1]
    batch = compose(composer, picked, accepted_ids=[picked[0].pk])
    services.batch_approve(batch=batch, actor=approver)
    instruction = picked[0]
    data = services.batch_table(batch=batch, actor=composer, file_format="csv")
    (row,) = list(csv.DictReader(io.StringIO(data.decode())))
    assert row["Betalingskenmerk"] == instruction.end_to_end_id
    assert row["Kenmerk aanvraag"] == first.reference
    assert row["IBAN"] == first.applicant.iban
    assert Decimal(row["Bedrag (euro)"]) == Decimal(instruction.amount_cents) / 100
    assert row["Soort"] == "voorschot"
    assert row["Tenaamstelling rekening"].startswith("'=")  # never a formula
    data = services.batch_table(batch=batch, actor=composer, file_format="xlsx")
    sheet = load_workbook(io.BytesIO(data)).active
    header, values = [list(r) for r in sheet.iter_rows(values_only=True)]
    record = dict(zip(header, values, strict=True))
    assert record["Betalingskenmerk"] == instruction.end_to_end_id
    assert (
        Decimal(str(record["Bedrag (euro)"])) == Decimal(instruction.amount_cents) / 100
    )
    assert record["Uiterlijk op"].date() == instruction.due_on
    assert sheet["A2"].data_type == "s"


def test_an_instruction_is_in_one_live_batch(two, composer, approver):
    picked = advances(two[0])[:1]
    batch = compose(composer, picked)
    with pytest.raises(PaymentError, match="al in een andere batch"):
        compose(approver, picked)
    assert PaymentBatch.objects.count() == 1
    services.batch_cancel(batch=batch, actor=approver)
    again = compose(approver, picked)
    assert again.item_count == 1


def test_a_name_that_does_not_match_needs_a_tick(award, composer):
    applicant = AddressedApplicantFactory(
        name="Stichting Buurtkracht Zuilen", account_holder="Autobedrijf Snel"
    )
    application = award(1_000_000, applicant=applicant)
    picked = advances(application)[:1]
    with pytest.raises(PaymentError, match="past niet bij de aanvrager"):
        compose(composer, picked)
    assert PaymentBatch.objects.count() == 0
    batch = compose(composer, picked, accepted_ids=[picked[0].pk])
    (item,) = batch.items.all()
    assert (item.vop_outcome, item.vop_accepted_by) == ("geen_match", composer)
    assert item.account_holder == "Autobedrijf Snel"


def test_a_close_match_passes_and_is_recorded(award, composer):
    applicant = AddressedApplicantFactory(
        name="Stichting Buurtkracht Zuilen", account_holder="Buurtkracht Zuilen Utrecht"
    )
    application = award(1_000_000, applicant=applicant)
    batch = compose(composer, advances(application)[:1])
    (item,) = batch.items.all()
    assert (item.vop_outcome, item.vop_accepted_by) == ("bijna", None)


def test_an_unpaid_item_of_an_exported_batch_can_be_taken_out_and_paid_again(
    two, composer, approver
):
    """The bank returned a transfer: the item leaves its exported batch, the
    instruction is open and free for a new batch; a paid item stays."""
    first, second = two
    unpaid, paid = advances(first)[0], advances(second)[0]
    batch = compose(composer, [unpaid, paid])
    services.batch_approve(batch=batch, actor=approver)
    services.batch_sepa(batch=batch, actor=composer)
    mark_paid_by_hand(
        instruction=paid, actor=composer, paid_on=timezone.localdate(), note="Bank"
    )
    paid_item = batch.items.get(instruction=paid)
    with pytest.raises(PaymentError, match="al betaald"):
        services.batch_item_release(item=paid_item, actor=approver)
    item = batch.items.get(instruction=unpaid)
    services.batch_item_release(item=item, actor=approver)
    item.refresh_from_db()
    unpaid.refresh_from_db()
    assert (item.live, unpaid.status) == (False, "open")
    again = compose(approver, [unpaid])
    assert again.items.get().instruction == unpaid


def test_the_plan_payments_command_changes_nothing_the_second_time(award):
    application = award(1_000_000)
    before = list(
        PaymentInstruction.objects.filter(application=application).values_list(
            "pk", "amount_cents", "status"
        )
    )
    out = io.StringIO()
    call_command("plan_payments", stdout=out)
    assert "0 aanvragen gewijzigd" in out.getvalue()
    after = list(
        PaymentInstruction.objects.filter(application=application).values_list(
            "pk", "amount_cents", "status"
        )
    )
    assert before == after
