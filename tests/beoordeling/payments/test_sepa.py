"""The SEPA credit-transfer file: valid against the official pain.001.001.03 XSD, and
the amounts, IBANs and ids read back from the XML are the ones given."""

import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import sepaxml
import xmlschema

from beoordeling.payments import sepa

#: The official ISO 20022 schema, as shipped by sepaxml (its first line names the
#: source: the iso20022.org message archive).
XSD = Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.03.xsd"
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
DEBTOR = sepa.Debtor("Gemeente Utrecht", "NL04BNGH0285170000", "BNGHNL2G")


def validate(data: bytes):
    xmlschema.XMLSchema(str(XSD)).validate(data.decode())


def read_back(data: bytes):
    root = ET.fromstring(data)
    return [
        (
            tx.findtext("p:PmtId/p:EndToEndId", namespaces=NS),
            tx.findtext("p:Cdtr/p:Nm", namespaces=NS),
            tx.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS),
            Decimal(tx.findtext("p:Amt/p:InstdAmt", namespaces=NS)),
        )
        for tx in root.iterfind(".//p:CdtTrfTxInf", NS)
    ]


def test_the_schema_is_the_official_one():
    assert "iso20022.org" in XSD.read_text().splitlines()[1]


def test_a_batch_validates_and_reads_back():
    transfers = [
        sepa.Transfer(
            "IF-2026-0042-V1",
            "Stichting Buurtkracht",
            "NL02RABO0123456789",
            123_456,
            "Voorschot IF-2026-0042",
        ),
        sepa.Transfer(
            "IF-2026-0043-B1",
            "Bewonersgroep Zuilen – Café",
            "NL91ABNA0417164300",
            1,
            "Betaling IF-2026-0043",
        ),
    ]
    data = sepa.pain001(DEBTOR, transfers, execution_date=date(2026, 3, 3))
    validate(data)
    assert read_back(data) == [
        (
            "IF-2026-0042-V1",
            "Stichting Buurtkracht",
            "NL02RABO0123456789",
            Decimal("1234.56"),
        ),
        (
            "IF-2026-0043-B1",
            "Bewonersgroep Zuilen - Cafe",
            "NL91ABNA0417164300",
            Decimal("0.01"),
        ),
    ]
    root = ET.fromstring(data)
    assert root.findtext(".//p:GrpHdr/p:CtrlSum", namespaces=NS) == "1234.57"
    assert root.findtext(".//p:GrpHdr/p:NbOfTxs", namespaces=NS) == "2"
    assert root.findtext(".//p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == DEBTOR.iban
    assert root.findtext(".//p:ReqdExctnDt", namespaces=NS) == "2026-03-03"


def test_an_empty_batch_or_a_zero_amount_is_refused():
    with pytest.raises(sepa.SepaError):
        sepa.pain001(DEBTOR, [], execution_date=date(2026, 3, 3))
    with pytest.raises(sepa.SepaError):
        sepa.pain001(
            DEBTOR,
            [sepa.Transfer("X-1", "Naam", "NL02RABO0123456789", 0, "x")],
            execution_date=date(2026, 3, 3),
        )
