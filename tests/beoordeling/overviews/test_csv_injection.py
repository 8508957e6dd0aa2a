"""Spreadsheet formula injection: no text an applicant typed becomes a formula in any
export, read the way Excel reads a CSV file (split on ``;`` by Dutch Excel, on ``,``
otherwise, at line breaks, dropping spaces and quotes) and through openpyxl."""

import csv
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from accounts.roles import ADMINISTRATOR
from beoordeling.models import ExportKind
from beoordeling.overviews.exports.filters import ExportFilters
from beoordeling.overviews.exports.writers import FORMULA_STARTS, write_csv, write_xlsx
from subsidies.models import Application
from tests.beoordeling.overviews.test_exports import case, export  # noqa: F401 (fixture)
from tests.factories import UserFactory

PAYLOADS = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(1;1)",
    "\t=1+1",
    "\r=1+1",
    "Buurtfeest;=1+1;klik",
    "Buurtfeest,=1+1,klik",
    "Buurtfeest; =1+1",
    "Buurtfeest;+31 30 286 00 00",
    "Buurtfeest,-5 korting",
    "Buurtfeest;@SUM(A1)",
    "Buurtfeest;\t=1+1",
    'Buurtfeest";=1+1;"',
    'Buurtfeest","=1+1',
    'Buurtfeest;"=1+1"',
    "Buurtfeest\n=1+1",
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://kwaad.example";"klik")',
    "a;;=b,,+c",
]


def excel_cells(text):
    """Every cell Excel could make of ``text``: split on ``;``, on ``,`` and at line
    breaks (CRLF ends a record), without regard for quotes, with spaces and double
    quotes dropped."""
    for piece in re.split(r"\r\n|[;,\n]", text):
        yield piece.lstrip(' "')


def assert_no_formula(text):
    formulas = [cell for cell in excel_cells(text) if cell.startswith(FORMULA_STARTS)]
    assert formulas == [], text


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_becomes_a_formula_in_csv(payload):
    """Whichever way the CSV file is split, no cell starts a formula; the RFC 4180
    reading gives the text back with only apostrophes added."""
    out = io.BytesIO()
    write_csv(out, ["Initiatief", "Bedrag"], ["text", "integer"], [[payload, 12]])
    text = out.getvalue().decode("utf-8")
    assert_no_formula(text)
    [_header, [cell, amount]] = list(csv.reader(io.StringIO(text)))
    assert cell.replace("'", "") == payload.replace("'", "") and amount == "12"


def test_every_csv_field_is_quoted():
    out = io.BytesIO()
    write_csv(out, ["Initiatief", "Bedrag"], ["text", "integer"], [["Feest", 12]])
    assert out.getvalue().decode("utf-8").splitlines() == [
        '"Initiatief","Bedrag"',
        '"Feest","12"',
    ]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_becomes_a_formula_in_xlsx(payload):
    """openpyxl reads every payload back as a text cell, never a formula."""
    out = io.BytesIO()
    write_xlsx(out, ["Initiatief"], ["text"], [[payload]])
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    [cell] = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert cell.data_type == "s"


@pytest.mark.django_db
def test_a_title_with_a_semicolon_formula_is_defused_in_the_staff_export(case):  # noqa: F811
    """The review's example through the real award overview."""
    Application.objects.filter(pk=case.awards[0].pk).update(
        title="Buurtfeest;=1+1;klik"
    )
    _count, content = export(
        ExportKind.AWARDS, "csv", ExportFilters(round_id=case.round.pk)
    )
    text = content.decode("utf-8")
    assert "Buurtfeest;'=1+1;klik" in text
    assert_no_formula(text)


def test_the_csv_for_dutch_excel_has_a_bom_semicolons_and_a_decimal_comma():
    """Next to RFC 4180: UTF-8 with a byte order mark, ``;`` and ``1234,50``; the
    formula defusing holds the same."""
    out = io.BytesIO()
    write_csv(
        out,
        ["Initiatief", "Bedrag (euro)"],
        ["text", "money"],
        [["Buurtfeest;=1+1;klik", Decimal("1234.50")], ["Café één", Decimal("5")]],
        excel_nl=True,
    )
    content = out.getvalue()
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    assert text.splitlines() == [
        '"Initiatief";"Bedrag (euro)"',
        '"Buurtfeest;\'=1+1;klik";"1234,50"',
        '"Café één";"5"',
    ]
    assert_no_formula(text)
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1] == ["Buurtfeest;'=1+1;klik", "1234,50"]


@pytest.mark.django_db
def test_open_data_and_staff_exports_offer_the_dutch_excel_csv(client, case):  # noqa: F811
    Application.objects.filter(pk=case.awards[0].pk).update(
        title="Buurtfeest;=1+1;klik"
    )
    public = client.get(reverse("opendata:download", args=["excel.csv"]))
    assert public.status_code == 200
    assert public.content.startswith(b"\xef\xbb\xbf")
    assert "excel.csv" in public["Content-Disposition"]
    assert_no_formula(public.content.decode("utf-8-sig"))
    assert (
        "Download CSV voor Nederlandse Excel"
        in client.get("/open-data/").content.decode()
    )

    client.force_login(UserFactory(role=ADMINISTRATOR))
    staff = client.post(
        reverse("overzichten:export", args=[ExportKind.AWARDS.value]),
        {"formaat": "csv-excel", "ronde": case.round.pk},
    )
    assert staff.status_code == 200, staff.content[:500]
    text = staff.content.decode("utf-8-sig")
    assert staff.content.startswith(b"\xef\xbb\xbf") and text.startswith('"')
    assert '";"' in text.splitlines()[0]
    assert "Buurtfeest;'=1+1;klik" in text
