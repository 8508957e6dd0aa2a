"""Reading a camt.053 bank statement: amounts in cents, directions, ids, and no XXE."""

from datetime import date

import pytest

from beoordeling.payments import camt
from tests.beoordeling.payments.camt_samples import entry, statement


def test_a_statement_gives_each_entry_in_cents_with_its_ids():
    """Both directions are read: the end-to-end id of money out, the description of
    money in, the booking date and the counterparty."""
    data = statement(
        entry(
            amount_cents=123_456,
            end_to_end_id="IF-2026-0042-V1",
            counterparty="Stichting Buurt",
        ),
        entry(
            amount_cents=5_000,
            direction="CRDT",
            remittance="terugbetaling IF-2026-0042-T1",
            booked_on=date(2026, 3, 3),
            counterparty="J. Jansen",
        ),
    )
    parsed = camt.parse(data)
    assert parsed.statement_id == "STMT-2026-03-02"
    assert parsed.iban == "NL04BNGH0285170000"
    out, back = parsed.entries
    assert (out.amount_cents, out.direction, out.end_to_end_id) == (
        123_456,
        "DBIT",
        "IF-2026-0042-V1",
    )
    assert out.counterparty == "Stichting Buurt"
    assert (back.amount_cents, back.direction, back.booked_on) == (
        5_000,
        "CRDT",
        date(2026, 3, 3),
    )
    assert back.remittance == "terugbetaling IF-2026-0042-T1"
    assert back.counterparty == "J. Jansen"


def test_an_entity_declaration_is_refused_without_being_expanded():
    """XXE and billion laughs: a DTD is never read."""
    data = b"""<?xml version="1.0"?>
<!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<Stmt><Id>&xxe;</Id></Stmt></BkToCstmrStmt></Document>"""
    with pytest.raises(camt.StatementError, match="veiligheidsredenen"):
        camt.parse(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"dit is geen xml", "geen geldig XML"),
        (b"<Document><Iets/></Document>", "camt.053"),
        (statement(entry(amount_cents=1).replace("0.01", "1,5")), "bedrag"),
    ],
)
def test_a_file_that_is_no_statement_gives_a_dutch_message(data, message):
    with pytest.raises(camt.StatementError, match=message):
        camt.parse(data)


def test_a_pending_entry_is_not_read():
    data = statement(
        entry(amount_cents=100).replace("<Sts>BOOK</Sts>", "<Sts>PDNG</Sts>")
    )
    assert camt.parse(data).entries == ()
