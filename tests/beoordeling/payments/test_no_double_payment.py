"""No payment goes out twice or after it stopped being due: not by hand and by batch,
not by downloading the SEPA file twice, not after the grant was withdrawn; a settled
grant that needs no payment closes by itself."""

import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from beoordeling.models import BankStatement, PaymentBatch, PaymentInstruction
from beoordeling.payments.services import PaymentError
from beoordeling.payments.services import batches as services
from beoordeling.payments.services import statements as services_statements
from beoordeling.payments.services.statements import mark_paid_by_hand
from subsidies import services as subsidy_services
from subsidies.models import Application
from tests.beoordeling.payments.camt_samples import entry, statement
from tests.beoordeling.payments.conftest import fix, yesterday
from tests.beoordeling.payments.test_batches import advances, compose
from tests.beoordeling.payments.test_sepa import NS, validate

pytestmark = pytest.mark.django_db


def status_of(instruction):
    return PaymentInstruction.objects.get(pk=instruction.pk).status


def test_paying_by_hand_is_refused_while_the_payment_is_in_a_live_batch(
    award, composer, approver
):
    advance = advances(award(1_000_000))[0]
    batch = compose(composer, [advance])
    for step in ("concept", "goedgekeurd"):
        with pytest.raises(PaymentError, match="Haal de betaling eerst uit de batch"):
            mark_paid_by_hand(
                instruction=advance, actor=composer, paid_on=yesterday(), note="x"
            )
        assert status_of(advance) == "open"
        if step == "concept":
            services.batch_approve(batch=batch, actor=approver)
    services.batch_cancel(batch=batch, actor=approver)
    mark_paid_by_hand(
        instruction=advance, actor=composer, paid_on=yesterday(), note="Afschrift"
    )
    assert status_of(advance) == "betaald"


def test_a_batch_with_a_payment_that_is_no_longer_open_is_not_approved_or_exported(
    award, composer, approver
):
    first, second = advances(award(1_000_000))[0], advances(award(400_000))[0]
    batch = compose(composer, [first, second])
    # Paid meanwhile (for instance a bank statement booked it).
    PaymentInstruction.objects.filter(pk=first.pk).update(
        status="betaald", paid_on=yesterday()
    )
    with pytest.raises(PaymentError, match=f"{first.end_to_end_id} is betaald"):
        services.batch_approve(batch=batch, actor=approver)
    assert PaymentBatch.objects.get(pk=batch.pk).status == "concept"

    PaymentInstruction.objects.filter(pk=first.pk).update(status="open", paid_on=None)
    services.batch_approve(batch=batch, actor=approver)
    PaymentInstruction.objects.filter(pk=second.pk).update(
        status="vervallen", lapsed_at=timezone.now()
    )
    for export in (
        lambda: services.batch_sepa(batch=batch, actor=composer),
        lambda: services.batch_table(batch=batch, actor=composer, file_format="csv"),
    ):
        with pytest.raises(PaymentError, match="mag niet meer naar de bank"):
            export()
    with pytest.raises(PaymentError, match="vervallen"):
        services.transfers(batch)
    stored = PaymentBatch.objects.get(pk=batch.pk)
    assert (stored.status, stored.exported_at) == ("goedgekeurd", None)


def test_every_download_of_a_batch_is_the_same_file_named_after_the_batch(
    award, composer, approver
):
    batch = compose(composer, [advances(award(1_000_000))[0]])
    services.batch_approve(batch=batch, actor=approver)
    first = services.batch_sepa(batch=batch, actor=composer)
    second = services.batch_sepa(batch=batch, actor=approver)
    assert first == second
    validate(first)
    batch.refresh_from_db()
    root = ET.fromstring(first)
    assert root.findtext(".//p:GrpHdr/p:MsgId", namespaces=NS) == (
        f"IFL-{batch.reference}"
    )
    assert root.findtext(".//p:PmtInf/p:PmtInfId", namespaces=NS) == (
        f"IFL-{batch.reference}-1"
    )
    assert root.findtext(".//p:GrpHdr/p:CreDtTm", namespaces=NS) == (
        timezone.localtime(batch.approved_at).strftime("%Y-%m-%dT%H:%M:%S")
    )


def closed_by_the_system(application):
    return application.transition_log.filter(transition="close", actor=None).exists()


def test_a_grant_fixed_at_nothing_with_nothing_paid_closes(award, decider):
    application = award(1_000_000)
    application = fix(application, fixed_cents=0, decider=decider)
    stored = Application.objects.get(pk=application.pk)
    assert (stored.status, stored.paid_cents, stored.fixed_cents) == (
        "afgesloten",
        0,
        0,
    )
    assert closed_by_the_system(stored)
    assert set(
        PaymentInstruction.objects.filter(application=stored).values_list(
            "status", flat=True
        )
    ) == {"vervallen"}


def test_a_full_voorschot_fixed_in_full_closes(award, decider, composer):
    application = award(400_000, advance_percent=100)
    for advance in advances(application):
        mark_paid_by_hand(
            instruction=advance, actor=composer, paid_on=yesterday(), note="Afschrift"
        )
    application = Application.objects.get(pk=application.pk)
    assert (application.status, application.paid_cents) == (
        "toegekend",
        400_000,
    )
    fix(application, fixed_cents=400_000, decider=decider)
    stored = Application.objects.get(pk=application.pk)
    assert (stored.status, stored.paid_cents, stored.repaid_cents) == (
        "afgesloten",
        400_000,
        0,
    )
    assert closed_by_the_system(stored)


def revoke_only(application, decider):
    """The decision maker withdraws the grant; the ledger is not planned yet."""
    return subsidy_services.fire(
        application=application, transition="revoke", actor=decider
    )


def test_cancelling_a_batch_lapses_the_voorschot_of_a_withdrawn_grant(
    award, decider, composer, approver
):
    application = award(1_000_000)
    advance = advances(application)[0]
    batch = compose(composer, [advance])
    services.batch_approve(batch=batch, actor=approver)
    revoke_only(application, decider)
    assert status_of(advance) == "open"  # held by the approved batch
    services.batch_cancel(batch=batch, actor=approver)
    assert status_of(advance) == "vervallen"
    with pytest.raises(PaymentError, match="geen openstaande betaling"):
        compose(composer, [advance])


def test_taking_an_item_out_lapses_the_voorschot_of_a_withdrawn_grant(
    award, decider, composer, approver
):
    application = award(1_000_000)
    advance = advances(application)[0]
    batch = compose(composer, [advance])
    services.batch_approve(batch=batch, actor=approver)
    services.batch_sepa(batch=batch, actor=composer)
    revoke_only(application, decider)
    services.batch_item_release(item=batch.items.get(), actor=approver)
    assert status_of(advance) == "vervallen"


def test_a_batch_is_not_composed_for_a_withdrawn_grant(award, decider, composer):
    application = award(1_000_000)
    advance = advances(application)[0]
    revoke_only(application, decider)
    with pytest.raises(PaymentError, match="de subsidie is ingetrokken"):
        compose(composer, [advance])
    assert PaymentBatch.objects.count() == 0
    assert status_of(advance) == "open"


def test_a_statement_of_another_account_is_refused(composer, settings):
    settings.PAYMENTS_DEBTOR_IBAN = "NL04 BNGH 0285 1700 00"
    data = statement(
        entry(amount_cents=100_000, end_to_end_id="IF-2026-0001-V1"),
        iban="NL91ABNA0417164300",
    )
    with pytest.raises(PaymentError) as refused:
        services_statements.statement_upload(
            actor=composer, file_name="afschrift.xml", data=data
        )
    assert "NL91 **** **** 4300" in str(refused.value)
    assert "NL04 **** **** 0000" in str(refused.value)
    assert "NL91ABNA0417164300" not in str(refused.value)
    assert BankStatement.objects.count() == 0
    stored = services_statements.statement_upload(
        actor=composer,
        file_name="afschrift.xml",
        data=statement(
            entry(amount_cents=100_000, end_to_end_id="IF-2026-0001-V1"),
            iban="NL04BNGH0285170000",
        ),
    )
    assert BankStatement.objects.get().pk == stored.pk
