"""Bank statements in (camt.053, with a dry run) and marking paid by hand.

``statement_upload`` parses the file (``beoordeling.payments.camt``, safe against XXE),
refuses a statement of another account than the gemeente's (``PAYMENTS_DEBTOR_IBAN``),
stores it as a dry run and returns it; ``statement_preview`` says for each entry what
confirming would do: mark an outgoing instruction paid (a ``DBIT`` entry, matched on the
end-to-end id), mark a terugvordering received (a ``CRDT`` entry, matched on the
end-to-end id ``IF-2026-0042-T1`` or the kenmerk of the letter that reclaimed it,
``D2026-000123``, which the letter asks the recipient to quote), or
nothing (already done, an amount that differs, or no match). ``statement_confirm``
does it; a statement whose file (by SHA-256) was already processed changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from subsidies.iban import mask_iban

from ...models import (
    BankStatement,
    BatchStatus,
    Decision,
    PaymentBatchItem,
    PaymentInstruction,
    PaymentKind,
    PaymentSource,
    PaymentStatus,
    StatementStatus,
)
from .. import camt
from . import PaymentError, require_manager
from .planning import record_payment

#: An end-to-end id in a description: ``IF-2026-0042-T1`` (spaces or dots for the
#: dashes, any case: people type it over from the letter).
_QUOTED_ID = re.compile(
    r"\b([A-Z]{1,6})[-\s.]?(\d{4})[-\s.]?(\d{1,6})[-\s.]?([VBT]\d{1,3})\b", re.I
)


#: A beschikking's kenmerk in a description: ``D2026-000123``.
_QUOTED_KENMERK = re.compile(r"\b(D)[-\s.]?(\d{4})[-\s.]?(\d{6})\b", re.I)


class Action:
    PAY = "betaald"
    RECEIVE = "ontvangen"
    ALREADY = "al_verwerkt"
    MISMATCH = "bedrag_wijkt_af"
    UNKNOWN = "niet_herkend"


ACTION_LABELS = {
    Action.PAY: gettext_lazy("wordt als betaald gemarkeerd"),
    Action.RECEIVE: gettext_lazy("wordt als terugbetaald gemarkeerd"),
    Action.ALREADY: gettext_lazy("was al verwerkt"),
    Action.MISMATCH: gettext_lazy("bedrag wijkt af: niet verwerkt"),
    Action.UNKNOWN: gettext_lazy("niet herkend"),
}


@dataclass(frozen=True)
class Line:
    entry: camt.Entry
    action: str
    instruction: PaymentInstruction | None

    @property
    def label(self):
        return ACTION_LABELS[self.action]

    @property
    def changes(self):
        return self.action in (Action.PAY, Action.RECEIVE)


def _quoted_ids(text):
    return [
        f"{m.group(1).upper()}-{m.group(2)}-{m.group(3)}-{m.group(4).upper()}"
        for m in _QUOTED_ID.finditer(text or "")
    ]


def _quoted_kenmerken(text):
    return [f"D{m.group(2)}-{m.group(3)}" for m in _QUOTED_KENMERK.finditer(text or "")]


def _reclaims_by_kenmerk(kenmerken):
    """The open (else the latest) terugvordering of the application each quoted
    kenmerk belongs to, keyed by kenmerk."""
    found = {}
    for decision in Decision.objects.filter(kenmerk__in=kenmerken):
        reclaims = PaymentInstruction.objects.filter(
            application_id=decision.application_id, kind=PaymentKind.RECLAIM
        ).order_by("-sequence")
        chosen = reclaims.filter(status=PaymentStatus.OPEN).first() or reclaims.first()
        if chosen is not None:
            found[decision.kenmerk] = chosen
    return found


def _match(entry: camt.Entry, by_id) -> Line:
    if entry.direction == camt.OUT:
        instruction = by_id.get(entry.end_to_end_id)
        if instruction is None or instruction.kind == PaymentKind.RECLAIM:
            return Line(entry, Action.UNKNOWN, None)
        action = Action.PAY
    else:
        candidates = [by_id.get(i) for i in _quoted_ids(entry.remittance)]
        candidates += [by_id.get(k) for k in _quoted_kenmerken(entry.remittance)]
        candidates += [by_id.get(entry.end_to_end_id)]
        found = [c for c in candidates if c and c.kind == PaymentKind.RECLAIM]
        if not found:
            return Line(entry, Action.UNKNOWN, None)
        instruction = found[0]
        action = Action.RECEIVE
    if instruction.status == PaymentStatus.PAID:
        return Line(entry, Action.ALREADY, instruction)
    if instruction.status != PaymentStatus.OPEN:
        return Line(entry, Action.UNKNOWN, instruction)
    if instruction.amount_cents != entry.amount_cents:
        return Line(entry, Action.MISMATCH, instruction)
    return Line(entry, action, instruction)


def statement_preview(statement: BankStatement) -> list[Line]:
    """What confirming ``statement`` would do, entry by entry."""
    parsed = camt.parse(bytes(statement.content))
    ids = {e.end_to_end_id for e in parsed.entries if e.end_to_end_id}
    for entry in parsed.entries:
        ids.update(_quoted_ids(entry.remittance))
    by_id = {
        i.end_to_end_id: i
        for i in PaymentInstruction.objects.filter(
            end_to_end_id__in=ids
        ).select_related("application")
    }
    kenmerken = {k for e in parsed.entries for k in _quoted_kenmerken(e.remittance)}
    by_id.update(_reclaims_by_kenmerk(kenmerken))
    lines, seen = [], set()
    for entry in parsed.entries:
        line = _match(entry, by_id)
        if line.changes and line.instruction.pk in seen:
            # The same instruction twice in one file: only the first counts.
            line = Line(entry, Action.ALREADY, line.instruction)
        if line.instruction is not None:
            seen.add(line.instruction.pk)
        lines.append(line)
    return lines


def already_processed(statement: BankStatement):
    return (
        BankStatement.objects.filter(
            sha256=statement.sha256, status=StatementStatus.PROCESSED
        )
        .exclude(pk=statement.pk)
        .first()
    )


def _compact(iban):
    return "".join(str(iban or "").split()).upper()


def statement_upload(*, actor, file_name, data) -> BankStatement:
    """Store an uploaded camt.053 as a dry run; ``PaymentError`` when unreadable."""
    require_manager(actor)
    try:
        parsed = camt.parse(data)
    except camt.StatementError as error:
        raise PaymentError(str(error)) from error
    expected = settings.PAYMENTS_DEBTOR_IBAN
    if _compact(parsed.iban) != _compact(expected):
        raise PaymentError(
            _(
                "Dit bankafschrift is van rekening %(found)s, niet van de rekening van "
                "de gemeente waarvan we betalen (%(expected)s). Upload het afschrift "
                "van %(expected)s. Er is niets opgeslagen."
            )
            % {"found": mask_iban(parsed.iban), "expected": mask_iban(expected)}
        )
    statement = BankStatement.objects.create(
        file_name=file_name[:200],
        sha256=parsed.sha256,
        statement_id=parsed.statement_id[:100],
        account_iban=parsed.iban[:34],
        content=data,
        entry_count=len(parsed.entries),
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    return statement


def statement_confirm(*, statement, actor) -> list[Line]:
    """Apply the dry run: mark the matched instructions paid or received."""
    require_manager(actor)
    try:
        with transaction.atomic():
            statement = BankStatement.objects.select_for_update().get(pk=statement.pk)
            if statement.status == StatementStatus.PROCESSED:
                raise PaymentError(_("Dit bankafschrift is al verwerkt."))
            earlier = already_processed(statement)
            if earlier is not None:
                raise PaymentError(
                    _(
                        "Dit bankafschrift is al verwerkt op %(date)s (%(name)s). Er "
                        "is niets veranderd."
                    )
                    % {
                        "date": timezone.localtime(earlier.processed_at).strftime(
                            "%d-%m-%Y %H:%M"
                        ),
                        "name": earlier.file_name,
                    }
                )
            lines = statement_preview(statement)
            done = 0
            for line in lines:
                if not line.changes:
                    continue
                record_payment(
                    instruction=line.instruction,
                    actor=actor,
                    paid_on=line.entry.booked_on,
                    source=PaymentSource.STATEMENT,
                    reference=" ".join(
                        p for p in (statement.statement_id, line.entry.reference) if p
                    ),
                    statement=statement,
                )
                done += 1
            statement.status = StatementStatus.PROCESSED
            statement.matched_count = done
            statement.processed_at = timezone.now()
            statement.save(update_fields=["status", "matched_count", "processed_at"])
    except IntegrityError as error:
        raise PaymentError(
            _("Dit bankafschrift is net door iemand anders verwerkt.")
        ) from error
    return lines


def mark_paid_by_hand(*, instruction, actor, paid_on, note):
    """Register by hand that an instruction was paid (or a terugvordering received)."""
    require_manager(actor)
    if paid_on > timezone.localdate():
        raise PaymentError(_("De betaaldatum ligt in de toekomst."))
    with transaction.atomic():
        # The row lock of record_payment comes after this check: lock it first, so a
        # batch composed at the same moment waits for us (or we for it).
        PaymentInstruction.objects.select_for_update().get(pk=instruction.pk)
        in_batch = (
            PaymentBatchItem.objects.filter(
                instruction_id=instruction.pk,
                live=True,
                batch__status__in=(BatchStatus.CONCEPT, BatchStatus.APPROVED),
            )
            .select_related("batch")
            .first()
        )
        if in_batch is not None:
            raise PaymentError(
                _(
                    "%(id)s zit in betaalbatch %(batch)s (%(status)s). Die batch kan "
                    "de bank deze betaling nog laten doen. Haal de betaling eerst uit "
                    "de batch (annuleer de batch), en registreer dan pas dat hij met "
                    "de hand is betaald. Zo betalen we niet twee keer."
                )
                % {
                    "id": instruction.end_to_end_id,
                    "batch": in_batch.batch.reference,
                    "status": in_batch.batch.get_status_display().lower(),
                }
            )
        return record_payment(
            instruction=instruction,
            actor=actor,
            paid_on=paid_on,
            source=PaymentSource.HAND,
            note=note,
        )
