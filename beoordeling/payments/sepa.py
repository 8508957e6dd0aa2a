"""The SEPA credit-transfer file of a payment batch: pain.001.001.03, by ``sepaxml``.

Pure (no Django). The gemeente is the debtor (its IBAN, BIC and name from the
settings); each batch item is one transfer with its end-to-end id (``IF-2026-0042-V1``),
the recipient's IBAN and name, the amount in integer cents and a remittance text that
names the application. All transfers of a batch share the requested execution date and
are booked as one batch (``BtchBookg``). No postal addresses: pain.001.001.03 without
addresses is what the BNG Bank still accepts (see docs/decisions.md). ``sepaxml``
validates the file against the official pain.001.001.03 XSD it ships before it hands
it over; a file that does not validate raises ``SepaError``.

With ``message_id`` and ``created_at`` the file is the same bytes every time: sepaxml
draws a random MsgId and PmtInfId and stamps the current time, so those three are set
to the given values before the file is validated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sepaxml import SepaTransfer
from sepaxml.validation import ValidationError, try_valid_xml

SCHEMA = "pain.001.001.03"


class SepaError(ValueError):
    """The transfers do not make a valid pain.001 file."""


@dataclass(frozen=True)
class Debtor:
    name: str
    iban: str
    bic: str


@dataclass(frozen=True)
class Transfer:
    end_to_end_id: str
    name: str
    iban: str
    amount_cents: int
    description: str


def pain001(
    debtor: Debtor,
    transfers: list[Transfer] | tuple[Transfer, ...],
    *,
    execution_date: date,
    validate: bool = True,
    message_id: str | None = None,
    created_at: datetime | None = None,
) -> bytes:
    """The pain.001.001.03 XML of ``transfers`` (UTF-8 bytes).

    ``message_id`` (at most 31 characters) becomes the MsgId, and with a suffix the
    PmtInfId; ``created_at`` (local time, no zone) the CreDtTm."""
    if not transfers:
        raise SepaError("Een betaalbestand zonder betalingen kan niet.")
    sepa = SepaTransfer(
        {
            "name": debtor.name,
            "IBAN": debtor.iban,
            "BIC": debtor.bic,
            "batch": True,
            "currency": "EUR",
        },
        schema=SCHEMA,
        clean=True,
    )
    for transfer in transfers:
        if transfer.amount_cents <= 0:
            raise SepaError(f"{transfer.end_to_end_id}: het bedrag moet positief zijn.")
        sepa.add_payment(
            {
                "name": transfer.name,
                "IBAN": transfer.iban,
                "amount": transfer.amount_cents,
                "execution_date": execution_date,
                "description": transfer.description,
                "endtoend_id": transfer.end_to_end_id,
            }
        )
    if message_id is not None and len(message_id) > 31:
        raise SepaError(f"{message_id}: het berichtkenmerk is te lang.")
    try:
        data = sepa.export(validate=validate and message_id is None)
        if message_id is None:
            return data
        data = _fixed_ids(data, message_id, created_at)
        if validate:
            try_valid_xml(data, SCHEMA)
        return data
    except ValidationError as error:
        raise SepaError(str(error)) from error


def _fixed_ids(data: bytes, message_id: str, created_at: datetime | None) -> bytes:
    """``data`` with the MsgId, the PmtInfIds and (given) the CreDtTm replaced.

    The file is sepaxml's own output (one element per line is not promised, but each
    of these elements holds only text), so a substitution on the element is exact."""
    data = re.sub(
        rb"<MsgId>[^<]*</MsgId>", f"<MsgId>{message_id}</MsgId>".encode(), data
    )
    count = iter(range(1, 1000))
    data = re.sub(
        rb"<PmtInfId>[^<]*</PmtInfId>",
        lambda _: f"<PmtInfId>{message_id}-{next(count)}</PmtInfId>".encode(),
        data,
    )
    if created_at is not None:
        stamp = created_at.strftime("%Y-%m-%dT%H:%M:%S")
        data = re.sub(
            rb"<CreDtTm>[^<]*</CreDtTm>", f"<CreDtTm>{stamp}</CreDtTm>".encode(), data
        )
    return data
