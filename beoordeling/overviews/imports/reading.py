"""Read an uploaded XLSX or CSV file into rows, keeping the spreadsheet row numbers.

Empty rows are left out, so a number in an error message is the row the user sees in
the spreadsheet (the header is row 1). CSV may be UTF-8 (with or without BOM) or
Windows-1252, separated by commas or, as Dutch Excel writes it, semicolons.
"""

import csv
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import tablib
from django.utils.translation import gettext as _
from import_export.formats.base_formats import CSV, XLSX

MAX_ROWS = 10_000


class ImportFileError(Exception):
    """The file cannot be read at all; the message is for the user, in Dutch."""


@dataclass
class Sheet:
    """The rows of an uploaded file, without empty rows, and their row numbers."""

    dataset: tablib.Dataset
    lines: list

    def line(self, number):
        """The spreadsheet row of django-import-export's 1-based row ``number``."""
        if number is None or not (1 <= number <= len(self.lines)):
            return None
        return self.lines[number - 1]


def _decode(content):
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(
        _("Dit CSV-bestand kunnen we niet lezen; sla het op als CSV UTF-8.")
    )


def read_sheet(*, content, filename):
    """Read an XLSX or CSV file into a ``Sheet``; ``ImportFileError`` if it cannot."""
    suffix = PurePath(filename).suffix.lower()
    try:
        if suffix == ".xlsx":
            raw = XLSX().create_dataset(content)
        elif suffix == ".csv":
            text = _decode(content)
            first_line = text.split("\n", 1)[0]
            delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
            raw = CSV().create_dataset(text, delimiter=delimiter)
        else:
            raise ImportFileError(
                _("Kies een Excel-bestand (.xlsx) of een CSV-bestand (.csv).")
            )
    except ImportFileError:
        raise
    except (
        StopIteration,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        csv.Error,
    ) as error:
        raise ImportFileError(
            _(
                "Dit bestand kunnen we niet lezen. Is het een echt .xlsx- of .csv-bestand?"
            )
        ) from error
    headers = [("" if h is None else str(h)).strip() for h in (raw.headers or [])]
    if not any(headers):
        raise ImportFileError(_("De eerste regel moet de kolomnamen bevatten."))
    dataset = tablib.Dataset(headers=headers)
    lines = []
    for line, values in enumerate(raw, start=2):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        dataset.append(values)
        lines.append(line)
    if len(dataset) > MAX_ROWS:
        raise ImportFileError(
            _("Dit bestand heeft meer dan %(max)s regels; splits het op.")
            % {"max": MAX_ROWS}
        )
    if not len(dataset):
        raise ImportFileError(_("Dit bestand heeft geen regels onder de kolomnamen."))
    return Sheet(dataset=dataset, lines=lines)
