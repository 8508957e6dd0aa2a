"""Write rows to XLSX, CSV or JSON, one row at a time, to a binary file.

The rows are lists of Python values as the resources give them: ``str``, ``int``,
``Decimal`` (money and scores), ``date`` or ``None``. Per format:

- XLSX (openpyxl, write-only, so memory stays flat): a bold header row that stays in
  view, money as a numeric cell with number format ``#,##0.00``, dates as date cells
  shown ``yyyy-mm-dd``, scores ``0.00``. Text is always written as text: a title that
  starts with ``=`` never becomes a formula.
- CSV (RFC 4180, UTF-8, comma, dot as decimal separator): money as ``1234.50``, dates
  as ``2026-03-31``, empty for ``None``. Every field is quoted. Text that a spreadsheet
  would read as a formula gets an apostrophe (OWASP "CSV injection"): a cell that
  starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return, and also each part
  that would start a cell once a spreadsheet splits the text on ``,`` or ``;`` (Dutch
  Excel splits a CSV file on ``;``, whatever its quotes say) or at a line break,
  spaces and quotes before it included. So ``Buurtfeest;=1+1;klik`` is written ``Buurtfeest;'=1+1;klik``.
- CSV for Dutch Excel (``excel_nl``, offered next to RFC 4180): the same, with a UTF-8
  byte order mark, ``;`` between fields and a decimal comma, so Dutch Excel opens it
  in columns with the accents intact.
- JSON: a list of objects keyed by the Dutch headers; money and scores as JSON numbers
  written from the ``Decimal`` (``1234.50``, never through ``float``), dates as ISO
  strings, ``None`` as ``null``.

Every writer returns the number of data rows and calls ``on_progress(n)`` every
``PROGRESS_EVERY`` rows.
"""

import csv
import io
import json
import re
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
DECIMAL_FORMAT = "0.00"
NUMBER_FORMATS = {"money": MONEY_FORMAT, "date": DATE_FORMAT, "decimal": DECIMAL_FORMAT}
PROGRESS_EVERY = 500
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


def _counted(rows, on_progress):
    for count, row in enumerate(rows, start=1):
        yield row
        if on_progress is not None and count % PROGRESS_EVERY == 0:
            on_progress(count)


def _column_width(header, kind):
    if kind == "date":
        return 12
    if kind in ("money", "decimal", "integer"):
        return max(12, len(header) + 2)
    return max(14, min(40, len(header) + 4))


def write_xlsx(out, headers, kinds, rows, *, sheet_title="Overzicht", on_progress=None):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.freeze_panes = "A2"
    for index, (header, kind) in enumerate(zip(headers, kinds, strict=True)):
        letter = get_column_letter(index + 1)
        sheet.column_dimensions[letter].width = _column_width(header, kind)
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        cell.data_type = "s"
        header_cells.append(cell)
    sheet.append(header_cells)
    formats = [NUMBER_FORMATS.get(kind) for kind in kinds]
    count = 0
    for row in _counted(rows, on_progress):
        cells = []
        for value, number_format in zip(row, formats, strict=True):
            if value is None:
                cells.append(None)
            elif number_format is not None:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = number_format
                cells.append(cell)
            elif isinstance(value, str):
                if ILLEGAL_CHARACTERS_RE.search(value):
                    value = ILLEGAL_CHARACTERS_RE.sub(
                        "\N{REPLACEMENT CHARACTER}", value
                    )
                if value.startswith("="):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.data_type = "s"
                    cells.append(cell)
                else:
                    cells.append(value)
            else:
                cells.append(value)
        sheet.append(cells)
        count += 1
    workbook.save(out)
    return count


def csv_value(value, *, decimal_comma=False):
    if type(value) is str:  # the most common cell first
        return defuse_formulas(value)
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.replace(".", ",") if decimal_comma else text
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return defuse_formulas(value)
    return str(value)


_CELL_BREAKS = re.compile(r"([,;\n])")
#: Some part of the text starts (after spaces and double quotes) like a formula: the
#: same test as ``defuse_formulas`` makes part by part, in one search.
_FORMULA_PART = re.compile(r'(?:^|[,;\n])[ "]*[=+\-@\t\r]')


#: What a text starts with when its first part may be a formula (see ``_FORMULA_PART``).
_FIRST_PART_LEADS = '=+-@\t\r "'


def defuse_formulas(text):
    """``text`` with an apostrophe before every part that a spreadsheet could read as
    the start of a formula: the whole text, and each part after a ``,``, ``;`` or line
    break (spaces and double quotes before it do not count: a spreadsheet drops
    them)."""
    # Nearly every text has one part whose first character is harmless; these tests
    # say so several times faster than the search, which tries every position.
    if (
        text[:1] not in _FIRST_PART_LEADS
        and "," not in text
        and ";" not in text
        and "\n" not in text
    ):
        return text
    if not _FORMULA_PART.search(text):
        return text
    parts = _CELL_BREAKS.split(text)
    for index in range(0, len(parts), 2):  # the even items are the parts between
        if parts[index].lstrip(' "').startswith(FORMULA_STARTS):
            parts[index] = "'" + parts[index]
    return "".join(parts)


def write_csv(
    out,
    headers,
    kinds,
    rows,
    *,
    sheet_title=None,
    on_progress=None,
    excel_nl=False,
    formatters=None,
):
    """RFC 4180; with ``excel_nl`` the variant Dutch Excel opens as it should: a UTF-8
    byte order mark, ``;`` between fields and a decimal comma (``1234,50``).

    ``formatters`` are per column the functions that turn a value of ``rows`` into its
    text (``cells.csv_formatters``: rows as read, before the widgets); without them
    every value is one ``csv_value`` of a row of rendered values."""
    if formatters is None:
        formatters = [csv_cell(excel_nl)] * len(headers)
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    try:
        if excel_nl:
            text.write("\ufeff")
        writer = csv.writer(
            text, delimiter=";" if excel_nl else ",", quoting=csv.QUOTE_ALL
        )
        writer.writerow(headers)
        count = 0
        for row in _counted(rows, on_progress):
            writer.writerow(
                [cell(value) for cell, value in zip(formatters, row, strict=True)]
            )
            count += 1
        text.flush()
    finally:
        text.detach()
    return count


def csv_cell(decimal_comma=False):
    """``csv_value`` as one function, the common case first: a text without a
    formula-like part is written as it is."""

    def cell(value):
        if type(value) is str:
            return defuse_formulas(value)
        return csv_value(value, decimal_comma=decimal_comma)

    return cell


def json_value(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):
        return f'"{value.isoformat()}"'
    return json.dumps(str(value), ensure_ascii=False)


def write_json(out, headers, kinds, rows, *, sheet_title=None, on_progress=None):
    keys = [json.dumps(header, ensure_ascii=False) for header in headers]
    out.write(b"[")
    count = 0
    for row in _counted(rows, on_progress):
        pairs = ", ".join(
            f"{key}: {json_value(value)}" for key, value in zip(keys, row, strict=True)
        )
        out.write(((",\n" if count else "\n") + "{" + pairs + "}").encode())
        count += 1
    out.write(b"\n]\n")
    return count


WRITERS = {"xlsx": write_xlsx, "csv": write_csv, "json": write_json}
