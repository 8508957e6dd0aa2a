"""Read a bank statement (camt.053, ISO 20022 BankToCustomerStatement), safely.

Pure (no Django). The file is parsed with ``defusedxml``: a DOCTYPE, an entity
declaration or an external reference is refused (no XXE, no entity expansion), and
a file larger than ``MAX_BYTES`` is refused before parsing. Any version of camt.053
(``.001.02`` to ``.001.13``) is read by local element names. Each booked entry
(``Ntry``) gives one ``Entry`` per transaction detail (``TxDtls``; a batch booking
holds many) with its amount in integer cents, direction (``DBIT``: money out,
``CRDT``: money in), booking date, end-to-end id and unstructured remittance text.
A malformed file raises ``StatementError`` with a Dutch message.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

MAX_BYTES = 10 * 1024 * 1024
OUT, IN = "DBIT", "CRDT"


class StatementError(ValueError):
    """A file that is no readable camt.053 statement; the message is Dutch."""


@dataclass(frozen=True)
class Entry:
    amount_cents: int
    direction: str  # DBIT (out) or CRDT (in)
    booked_on: date
    end_to_end_id: str
    remittance: str
    counterparty: str
    reference: str  # the bank's reference of the entry, for the record


@dataclass(frozen=True)
class Statement:
    statement_id: str
    message_id: str
    iban: str
    sha256: str
    entries: tuple[Entry, ...]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(node: Element, name: str) -> list[Element]:
    return [c for c in node if _local(c.tag) == name]


def _find(node: Element | None, *path: str) -> Element | None:
    for name in path:
        if node is None:
            return None
        found = _children(node, name)
        node = found[0] if found else None
    return node


def _text(node: Element | None, *path: str) -> str:
    found = _find(node, *path)
    return (found.text or "").strip() if found is not None else ""


def _cents(text: str) -> int:
    try:
        amount = Decimal(text)
    except InvalidOperation as error:
        raise StatementError(f"Dit bedrag kunnen we niet lezen: {text!r}.") from error
    cents = amount * 100
    if amount < 0 or cents != cents.to_integral_value():
        raise StatementError(f"Dit bedrag kunnen we niet lezen: {text!r}.")
    return int(cents)


def _date(node: Element | None) -> date:
    text = _text(node, "Dt") or _text(node, "DtTm")[:10]
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise StatementError(f"Deze datum kunnen we niet lezen: {text!r}.") from error


def parse(data: bytes) -> Statement:
    """The statement in ``data``; raises ``StatementError`` when it is not one."""
    if len(data) > MAX_BYTES:
        raise StatementError("Het bestand is groter dan 10 MB.")
    try:
        root = fromstring(
            data, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException as error:
        raise StatementError(
            "Het bestand bevat verwijzingen of definities (DTD) die we om "
            "veiligheidsredenen niet lezen."
        ) from error
    except ParseError as error:
        raise StatementError("Het bestand is geen geldig XML-bestand.") from error
    statement = _find(root, "BkToCstmrStmt")
    if _local(root.tag) != "Document" or statement is None:
        raise StatementError(
            "Dit is geen bankafschrift in camt.053-formaat (BkToCstmrStmt ontbreekt)."
        )
    stmts = _children(statement, "Stmt")
    if not stmts:
        raise StatementError("Het bankafschrift bevat geen afschrift (Stmt).")
    entries: list[Entry] = []
    for stmt in stmts:
        for ntry in _children(stmt, "Ntry"):
            status = _text(ntry, "Sts") or _text(ntry, "Sts", "Cd")
            if status and status != "BOOK":
                continue
            direction = _text(ntry, "CdtDbtInd")
            if direction not in (OUT, IN):
                raise StatementError("Een boeking heeft geen richting (CdtDbtInd).")
            booked = _find(ntry, "BookgDt")
            booked_on = _date(booked if booked is not None else _find(ntry, "ValDt"))
            reference = _text(ntry, "AcctSvcrRef") or _text(ntry, "NtryRef")
            details = [
                tx
                for dtls in _children(ntry, "NtryDtls")
                for tx in _children(dtls, "TxDtls")
            ]
            if not details:
                entries.append(
                    Entry(
                        _cents(_text(ntry, "Amt")),
                        direction,
                        booked_on,
                        "",
                        _text(ntry, "AddtlNtryInf"),
                        "",
                        reference,
                    )
                )
            for tx in details:
                amount = _text(tx, "Amt") or _text(tx, "AmtDtls", "TxAmt", "Amt")
                party = "Cdtr" if direction == OUT else "Dbtr"
                counterparty = _text(tx, "RltdPties", party, "Nm") or _text(
                    tx, "RltdPties", party, "Pty", "Nm"
                )
                info = _find(tx, "RmtInf")
                remittance = " ".join(
                    (u.text or "").strip()
                    for u in ([] if info is None else _children(info, "Ustrd"))
                )
                if not remittance:
                    remittance = _text(tx, "AddtlTxInf")
                end_to_end = _text(tx, "Refs", "EndToEndId")
                if end_to_end == "NOTPROVIDED":
                    end_to_end = ""
                entries.append(
                    Entry(
                        _cents(amount or _text(ntry, "Amt")),
                        direction,
                        booked_on,
                        end_to_end,
                        remittance,
                        counterparty,
                        reference,
                    )
                )
    first = stmts[0]
    return Statement(
        statement_id=_text(first, "Id"),
        message_id=_text(statement, "GrpHdr", "MsgId"),
        iban=_text(first, "Acct", "Id", "IBAN"),
        sha256=hashlib.sha256(data).hexdigest(),
        entries=tuple(entries),
    )
