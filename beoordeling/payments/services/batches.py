"""Payment batches with four eyes, and their exports.

A financial administrator composes a batch from open outgoing instructions (none of
them in another live batch); each item keeps the IBAN and account holder it was
composed with and the Verification of Payee outcome (``beoordeling.payments.vop``).
An item whose name does not match is only taken with an explicit tick. A different
financial administrator approves it; only an approved batch is exported: the SEPA
credit-transfer file (pain.001.001.03, ``beoordeling.payments.sepa``) and the CSV and
XLSX for the financial system. The first export marks the batch exported; a batch
that is not exported can be cancelled, which frees its instructions.
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from subsidies.models import Application
from subsidies.workflow import Status

from ...models import (
    BatchStatus,
    PaymentBatch,
    PaymentBatchItem,
    PaymentInstruction,
    PaymentKind,
    PaymentStatus,
    VopOutcome,
)
from .. import sepa, vop
from ..exports import batch_file
from . import PaymentError, require_manager
from .planning import plan_payments, plan_payments_many

#: Verification of Payee outcomes that need an explicit tick to be paid.
NEEDS_TICK = (VopOutcome.NO_MATCH, VopOutcome.MISSING)


def debtor() -> sepa.Debtor:
    """The gemeente's account, from the settings (``PAYMENTS_DEBTOR_*``)."""
    return sepa.Debtor(
        name=settings.PAYMENTS_DEBTOR_NAME,
        iban=settings.PAYMENTS_DEBTOR_IBAN,
        bic=settings.PAYMENTS_DEBTOR_BIC,
    )


def payee_names(applicant) -> list[str]:
    """The names the money may go to: the applicant, its penvoerder, and for a group
    without penvoerder the contact person (the money then goes to a person)."""
    names = [applicant.name, applicant.penvoerder_name]
    if applicant.is_natural_person:
        names.append(applicant.contact_name)
    return [n for n in names if n]


def verify_payee(applicant) -> vop.Check:
    if not applicant.iban:
        return vop.Check(vop.Outcome.MISSING, "", 0.0)
    return vop.compare(applicant.account_holder, payee_names(applicant))


def batch_compose(*, actor, instruction_ids, execution_date, accepted_ids=()):
    """A concept batch of the open outgoing instructions ``instruction_ids``.

    ``accepted_ids``: the instructions whose account holder does not match (or is
    missing a name) that ``actor`` ticked to include anyway.
    """
    require_manager(actor)
    instruction_ids = set(instruction_ids)
    if not instruction_ids:
        raise PaymentError(_("Kies minstens één betaling voor de batch."))
    if execution_date < timezone.localdate():
        raise PaymentError(_("De uitvoeringsdatum ligt in het verleden."))
    accepted_ids = set(accepted_ids)
    now = timezone.now()
    try:
        with transaction.atomic():
            instructions = list(
                PaymentInstruction.objects.select_for_update()
                .filter(pk__in=instruction_ids)
                .select_related("application__applicant")
                .order_by("end_to_end_id")
            )
            if len(instructions) != len(instruction_ids):
                raise PaymentError(
                    _("Een van de gekozen betalingen bestaat niet meer.")
                )
            items = []
            for instruction in instructions:
                if (
                    instruction.status != PaymentStatus.OPEN
                    or instruction.kind == PaymentKind.RECLAIM
                ):
                    raise PaymentError(
                        _("%(id)s is geen openstaande betaling meer.")
                        % {"id": instruction.end_to_end_id}
                    )
                if instruction.application.status == Status.REVOKED:
                    raise PaymentError(
                        _(
                            "%(id)s: de subsidie is ingetrokken. Deze betaling gaat "
                            "niet meer door."
                        )
                        % {"id": instruction.end_to_end_id}
                    )
                applicant = instruction.application.applicant
                check = verify_payee(applicant)
                outcome = VopOutcome(check.outcome.value)
                if not applicant.iban:
                    raise PaymentError(
                        _(
                            "%(id)s: de aanvrager heeft geen IBAN opgegeven. Zonder "
                            "rekeningnummer kunnen we niet betalen."
                        )
                        % {"id": instruction.end_to_end_id}
                    )
                if outcome in NEEDS_TICK and instruction.pk not in accepted_ids:
                    raise PaymentError(
                        _(
                            "%(id)s: de naam bij het IBAN (%(holder)s) past niet bij "
                            "de aanvrager. Controleer dit en vink 'toch betalen' aan "
                            "als u zeker weet dat het klopt."
                        )
                        % {
                            "id": instruction.end_to_end_id,
                            "holder": applicant.account_holder or "-",
                        }
                    )
                items.append(
                    PaymentBatchItem(
                        instruction=instruction,
                        amount_cents=instruction.amount_cents,
                        iban=applicant.iban,
                        account_holder=applicant.account_holder or applicant.name,
                        vop_outcome=outcome,
                        vop_compared_with=check.compared_with,
                        vop_accepted_by=actor if outcome in NEEDS_TICK else None,
                    )
                )
            batch = PaymentBatch.objects.create(
                execution_date=execution_date,
                composed_by=actor,
                composed_at=now,
                total_cents=sum(i.amount_cents for i in items),
                item_count=len(items),
            )
            for item in items:
                item.batch = batch
            PaymentBatchItem.objects.bulk_create(items)
    except IntegrityError as error:
        raise PaymentError(
            _(
                "Een van de gekozen betalingen zit al in een andere batch. Laad de "
                "pagina opnieuw."
            )
        ) from error
    return batch


def _locked_batch(batch):
    return PaymentBatch.objects.select_for_update().get(pk=batch.pk)


def batch_approve(*, batch, actor):
    """The second financial administrator approves (four eyes)."""
    require_manager(actor)
    with transaction.atomic():
        batch = _locked_batch(batch)
        if batch.status != BatchStatus.CONCEPT:
            raise PaymentError(
                _("Deze batch is al %(status)s.")
                % {"status": batch.get_status_display().lower()}
            )
        if batch.composed_by_id == actor.pk:
            raise PaymentError(
                _(
                    "U heeft deze batch zelf samengesteld. Een andere financieel "
                    "beheerder moet hem goedkeuren: zo kijken er altijd twee mensen "
                    "naar een betaling (vier ogen)."
                )
            )
        if not batch.items.filter(live=True).exists():
            raise PaymentError(_("Deze batch heeft geen betalingen meer."))
        require_open(batch_items(batch))
        batch.status = BatchStatus.APPROVED
        batch.approved_by = actor
        batch.approved_at = timezone.now()
        batch.save(update_fields=["status", "approved_by", "approved_at"])
    return batch


def batch_cancel(*, batch, actor):
    """Cancel a batch that was not exported: its instructions are free again."""
    require_manager(actor)
    with transaction.atomic():
        batch = _locked_batch(batch)
        if batch.status not in (BatchStatus.CONCEPT, BatchStatus.APPROVED):
            raise PaymentError(
                _("Een batch die al is geëxporteerd, kunt u niet meer annuleren.")
            )
        freed = list(applications_of(batch))
        batch.items.update(live=False)
        batch.status = BatchStatus.CANCELLED
        batch.cancelled_at = timezone.now()
        batch.save(update_fields=["status", "cancelled_at"])
        # A payment that was held by the batch may no longer be due (the grant was
        # withdrawn or fixed meanwhile): the ledger catches up now it is free.
        plan_payments_many([application.pk for application in freed])
    return batch


def batch_item_release(*, item, actor):
    """Take an unpaid item out of an exported batch (the bank returned or refused it):
    its instruction is open and free again, for a new batch or to be paid by hand."""
    require_manager(actor)
    with transaction.atomic():
        item = (
            PaymentBatchItem.objects.select_for_update()
            .select_related("batch", "instruction")
            .get(pk=item.pk)
        )
        if item.batch.status != BatchStatus.EXPORTED or not item.live:
            raise PaymentError(
                _("Alleen een betaling uit een geëxporteerde batch kan eruit.")
            )
        if item.instruction.status != PaymentStatus.OPEN:
            raise PaymentError(
                _("%(id)s is al betaald; die blijft in de batch.")
                % {"id": item.instruction.end_to_end_id}
            )
        item.live = False
        item.save(update_fields=["live"])
        plan_payments(item.instruction.application)
    return item


def _exportable(batch):
    batch = PaymentBatch.objects.get(pk=batch.pk)
    if batch.status not in (BatchStatus.APPROVED, BatchStatus.EXPORTED):
        raise PaymentError(
            _(
                "Alleen een goedgekeurde batch kan worden gedownload. Laat de batch "
                "eerst goedkeuren door een andere financieel beheerder."
            )
        )
    return batch


def batch_items(batch):
    return (
        batch.items.filter(live=True)
        .select_related("instruction__application__applicant")
        .order_by("instruction__end_to_end_id")
    )


def require_open(items):
    """Refuse when an item's instruction is no longer open (paid, or lapsed because
    the grant changed): such a batch may not go to the bank."""
    for item in items:
        instruction = item.instruction
        if instruction.status != PaymentStatus.OPEN:
            raise PaymentError(
                _(
                    "%(id)s is %(status)s en mag niet meer naar de bank. Annuleer "
                    "deze batch en stel een nieuwe samen met de betalingen die nog "
                    "openstaan."
                )
                % {
                    "id": instruction.end_to_end_id,
                    "status": instruction.get_status_display().lower(),
                }
            )
    return items


def description(item) -> str:
    """The remittance text the recipient reads on the bank statement."""
    instruction = item.instruction
    application = instruction.application
    return (
        f"{instruction.get_kind_display()} subsidie {application.reference} "
        f"{application.title}"
    )


def _mark_exported(batch, actor):
    if batch.status == BatchStatus.APPROVED:
        PaymentBatch.objects.filter(pk=batch.pk, status=BatchStatus.APPROVED).update(
            status=BatchStatus.EXPORTED, exported_at=timezone.now(), exported_by=actor
        )
        batch.refresh_from_db()


def transfers(batch) -> list[sepa.Transfer]:
    """The transfers of ``batch``; ``PaymentError`` when one is no longer open."""
    return [
        sepa.Transfer(
            end_to_end_id=item.instruction.end_to_end_id,
            name=item.account_holder,
            iban=item.iban,
            amount_cents=item.amount_cents,
            description=description(item),
        )
        for item in require_open(list(batch_items(batch)))
    ]


def message_id(batch) -> str:
    """The MsgId of the batch's SEPA file: the bank refuses a second file with the
    same one, so a file downloaded twice is not paid twice."""
    return f"IFL-{batch.reference}"


def batch_sepa(*, batch, actor) -> bytes:
    """The pain.001.001.03 file of an approved batch; marks the batch exported.

    Every download gives the same bytes: the MsgId and PmtInfId name the batch and
    the creation time is the moment it was approved."""
    require_manager(actor)
    batch = _exportable(batch)
    try:
        data = sepa.pain001(
            debtor(),
            transfers(batch),
            execution_date=batch.execution_date,
            message_id=message_id(batch),
            created_at=(
                timezone.localtime(batch.approved_at).replace(tzinfo=None)
                if batch.approved_at
                else None
            ),
        )
    except sepa.SepaError as error:
        raise PaymentError(
            _("Het SEPA-bestand klopt niet met het schema: %(error)s")
            % {"error": error}
        ) from error
    _mark_exported(batch, actor)
    return data


def batch_table(*, batch, actor, file_format):
    """The CSV or XLSX of an approved batch for the financial system (bytes)."""
    require_manager(actor)
    batch = _exportable(batch)
    data = batch_file(batch, require_open(list(batch_items(batch))), file_format)
    _mark_exported(batch, actor)
    return data


def applications_of(batch):
    return Application.objects.filter(
        payment_instructions__batch_items__batch=batch
    ).distinct()
