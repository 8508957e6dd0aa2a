"""The SEPA credit-transfer file of a payment batch: pain.001.001.03, by ``sepaxml``.

Pure (no Django). The gemeente is the debtor (its IBAN, BIC and name from the
settings); each batch item is one transfer with its end-to-end id (``IF-2026-0042-V1``),
the recipient's IBAN and name, the amount in integer cents and a remittance text that
names the application. All transfers of a batch share the requested execution date and
are booked as one batch (``BtchBookg``). No postal addresses: pain.001.001.03 without
addresses is what the BNG Bank still accepts (see docs/decisions.md). ``sepaxml``
validates the file against the official pain.001.001.03 XSD it ships before it hands
it over; a file that does not validate raises ``SepaError``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sepaxml import SepaTransfer
from sepaxml.validation import ValidationError

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
) -> bytes:
    """The pain.001.001.03 XML of ``transfers`` (UTF-8 bytes)."""
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
    try:
        return sepa.export(validate=validate)
    except ValidationError as error:
        raise SepaError(str(error)) from error
