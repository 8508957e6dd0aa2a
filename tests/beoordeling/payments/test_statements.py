"""A camt.053 bank statement: the dry run, the confirmation, and twice changes nothing."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from beoordeling.models import BankStatement, Decision, PaymentInstruction
from beoordeling.payments.services import PaymentError
from beoordeling.payments.services import statements as services
from subsidies.models import Application
from tests.beoordeling.payments.camt_samples import entry, statement
from tests.beoordeling.payments.conftest import fix

pytestmark = pytest.mark.django_db


def advances(application):
    return list(
        PaymentInstruction.objects.filter(
            application=application, kind="voorschot"
        ).order_by("sequence")
    )


def test_dry_run_then_confirm_then_the_same_file_again(award, composer):
    application = award(1_000_000)
    first, second, *_ = advances(application)
    booked = timezone.localdate() - timedelta(days=1)
    data = statement(
        entry(
            amount_cents=first.amount_cents,
            end_to_end_id=first.end_to_end_id,
            booked_on=booked,
        ),
        entry(
            amount_cents=second.amount_cents + 1,
            end_to_end_id=second.end_to_end_id,
            booked_on=booked,
        ),
        entry(amount_cents=999, end_to_end_id="ONBEKEND-1", booked_on=booked),
    )
    upload = services.statement_upload(
        actor=composer, file_name="afschrift.xml", data=data
    )
    lines = services.statement_preview(upload)
    assert [line.action for line in lines] == [
        "betaald",
        "bedrag_wijkt_af",
        "niet_herkend",
    ]
    assert [line.instruction for line in lines[:2]] == [first, second]
    # The dry run changed nothing.
    first.refresh_from_db()
    assert first.status == "open"

    services.statement_confirm(statement=upload, actor=composer)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.paid_on, first.source) == (
        "betaald",
        booked,
        "bankafschrift",
    )
    assert first.statement == upload and first.paid_by == composer
    assert second.status == "open"
    application.refresh_from_db()
    assert application.paid_cents == first.amount_cents
    upload.refresh_from_db()
    assert (upload.status, upload.matched_count) == ("verwerkt", 1)

    again = services.statement_upload(
        actor=composer, file_name="nogmaals.xml", data=data
    )
    assert services.already_processed(again) == upload
    assert [line.action for line in services.statement_preview(again)][
        0
    ] == "al_verwerkt"
    with pytest.raises(PaymentError, match="al verwerkt"):
        services.statement_confirm(statement=again, actor=composer)
    with pytest.raises(PaymentError, match="al verwerkt"):
        services.statement_confirm(statement=upload, actor=composer)
    application.refresh_from_db()
    assert application.paid_cents == first.amount_cents
    assert BankStatement.objects.filter(status="verwerkt").count() == 1


def test_a_repayment_is_matched_on_the_reference_in_the_description(
    award, composer, decider
):
    application = award(1_000_000)
    booked = timezone.localdate() - timedelta(days=1)
    for advance in advances(application):
        services.mark_paid_by_hand(
            instruction=advance, actor=composer, paid_on=booked, note="Afschrift"
        )
    application = fix(application, fixed_cents=700_000, decider=decider)
    reclaim = PaymentInstruction.objects.get(
        application=application, kind="terugvordering"
    )
    quoted = reclaim.end_to_end_id.lower().replace("-", " ")
    data = statement(
        entry(
            amount_cents=reclaim.amount_cents,
            direction="CRDT",
            remittance=f"Terugbetaling {quoted} buurtfeest",
            booked_on=booked,
        )
    )
    upload = services.statement_upload(actor=composer, file_name="in.xml", data=data)
    (line,) = services.statement_preview(upload)
    assert (line.action, line.instruction) == ("ontvangen", reclaim)
    services.statement_confirm(statement=upload, actor=composer)
    application = Application.objects.get(pk=application.pk)
    assert (application.paid_cents, application.repaid_cents) == (800_000, 100_000)
    assert application.status == "afgesloten"


def test_an_unreadable_file_is_refused_with_a_dutch_message(composer):
    with pytest.raises(PaymentError, match="geen geldig XML"):
        services.statement_upload(actor=composer, file_name="x.xml", data=b"nee")
    assert BankStatement.objects.count() == 0


def test_marking_paid_in_the_future_is_refused(award, composer):
    (first, *_) = advances(award(1_000_000))
    with pytest.raises(PaymentError, match="toekomst"):
        services.mark_paid_by_hand(
            instruction=first,
            actor=composer,
            paid_on=date.today() + timedelta(days=5),
            note="x",
        )


def test_a_repayment_quoting_the_letters_kenmerk_is_matched(award, composer, decider):
    """The terugvordering letter asks to quote its kenmerk (D2026-000123): an incoming
    payment with a kenmerk of the application's beschikking finds its open
    terugvordering."""
    application = award(1_000_000)
    booked = timezone.localdate() - timedelta(days=1)
    for advance in advances(application):
        services.mark_paid_by_hand(
            instruction=advance, actor=composer, paid_on=booked, note="Afschrift"
        )
    application = fix(application, fixed_cents=700_000, decider=decider)
    reclaim = PaymentInstruction.objects.get(
        application=application, kind="terugvordering"
    )
    kenmerk = Decision.objects.filter(application=application).first().kenmerk
    data = statement(
        entry(
            amount_cents=reclaim.amount_cents,
            direction="CRDT",
            remittance=f"kenmerk {kenmerk.lower()}",
            booked_on=booked,
        ),
        statement_id="STMT-KENMERK",
    )
    upload = services.statement_upload(actor=composer, file_name="in.xml", data=data)
    (line,) = services.statement_preview(upload)
    assert (line.action, line.instruction) == ("ontvangen", reclaim)
