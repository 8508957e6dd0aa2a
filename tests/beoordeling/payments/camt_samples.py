"""camt.053 files for the tests, built the way a bank writes them (camt.053.001.02)."""

from datetime import date

NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"


def entry(
    *,
    amount_cents,
    direction="DBIT",
    booked_on=date(2026, 3, 2),
    end_to_end_id="",
    remittance="",
    counterparty="",
    reference="REF1",
):
    euros = f"{amount_cents // 100}.{amount_cents % 100:02d}"
    party = "Cdtr" if direction == "DBIT" else "Dbtr"
    refs = (
        f"<Refs><EndToEndId>{end_to_end_id}</EndToEndId></Refs>"
        if end_to_end_id
        else ""
    )
    rmt = f"<RmtInf><Ustrd>{remittance}</Ustrd></RmtInf>" if remittance else ""
    return f"""
      <Ntry>
        <Amt Ccy="EUR">{euros}</Amt>
        <CdtDbtInd>{direction}</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>{booked_on.isoformat()}</Dt></BookgDt>
        <ValDt><Dt>{booked_on.isoformat()}</Dt></ValDt>
        <AcctSvcrRef>{reference}</AcctSvcrRef>
        <BkTxCd><Prtry><Cd>N</Cd><Issr>BNG</Issr></Prtry></BkTxCd>
        <NtryDtls><TxDtls>{refs}
          <AmtDtls><TxAmt><Amt Ccy="EUR">{euros}</Amt></TxAmt></AmtDtls>
          <RltdPties><{party}><Nm>{counterparty}</Nm></{party}></RltdPties>
          {rmt}
        </TxDtls></NtryDtls>
      </Ntry>"""


def statement(*entries, statement_id="STMT-2026-03-02", iban="NL04BNGH0285170000"):
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="{NS}">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>MSG-{statement_id}</MsgId><CreDtTm>2026-03-02T18:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>{statement_id}</Id>
      <CreDtTm>2026-03-02T18:00:00</CreDtTm>
      <Acct><Id><IBAN>{iban}</IBAN></Id></Acct>
      {"".join(entries)}
    </Stmt>
  </BkToCstmrStmt>
</Document>""".encode()
