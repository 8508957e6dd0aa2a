"""Benchmark: the award overview and the open data as CSV and XLSX, next to an honest floor.

Builds a throwaway test database holding one round with N awarded applications (10,000,
then 100,000) spread over the ten wijken, each with a buurt, and times
``beoordeling.overviews.exports.services.export_write`` (the django-import-export
resource and the streaming writer) against the *floor*: the same rows and columns
fetched with one SQL query and written by ``csv`` or openpyxl directly, measured in the
same run:

- on PostgreSQL the CSV floor is ``COPY (SELECT ...) TO STDOUT WITH (FORMAT csv)``
  (the server writes the CSV, quoting every field as we do), the XLSX floor reads a
  server-side cursor into a write-only openpyxl workbook with the same number formats;
- on SQLite both read the one query's cursor (``csv.writer`` with every field quoted).

The SQL of the floor joins what the export shows: the applicant, wijk, round and scheme,
the buurten (one text per application, by name) and the latest beschikking; money
leaves it in euros. Both sides write to a temporary file, so memory is what the writing
holds, not the file. The ratio is ours divided by the floor. Peak memory comes from a
separate run under ``tracemalloc`` (tracing slows the code down). Prints figures; never
asserts.

The database is the one ``DATABASE_URL`` names (its test database is made and dropped),
SQLite in memory without one::

    .venv/bin/python bench/bench_exports.py --sizes 10000 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_exports \\
        .venv/bin/python bench/bench_exports.py
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SIZES = (10_000, 100_000)


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")
    import django

    django.setup()


def _seed_base():
    from datetime import timedelta

    from django.utils import timezone

    from subsidies.models import Applicant, ApplicantKind, Buurt, Round, Scheme, Wijk

    now = timezone.now()
    scheme = Scheme.objects.create(
        slug="initiatievenfonds",
        name="Initiatievenfonds",
        reference_prefix="IF",
        purpose="-",
        for_whom="-",
        legal_basis="ASV Utrecht",
        max_amount_cents=2_000_000,
        letter_obligations="-",
        letter_accountability="-",
        letter_payment="-",
    )
    round_ = Round.objects.create(
        scheme=scheme,
        name="Benchmark",
        opens_at=now - timedelta(days=90),
        closes_at=now - timedelta(days=1),
        ceiling_cents=max(SIZES) * 1_000_000,
    )
    wijken = [
        Wijk.objects.create(code=f"wijk-{i}", name=f"Wijk {i}", sort_order=i)
        for i in range(10)
    ]
    buurten = [Buurt.objects.create(wijk=w, name=f"Buurt {w.code}") for w in wijken]
    applicants = Applicant.objects.bulk_create(
        Applicant(
            kind=ApplicantKind.ORGANISATION,
            name=f"Stichting Benchmark {i}",
            kvk_number=f"{40000000 + i}",
            contact_name="-",
            contact_email=f"b{i}@example.nl",
        )
        for i in range(500)
    )
    return round_, wijken, buurten, applicants


def _seed(base, start, stop):
    """Awards ``start`` up to ``stop`` (so 10,000 and then 90,000 more make 100,000)."""
    from datetime import timedelta

    from django.utils import timezone

    from subsidies.models import Application
    from subsidies.workflow import AllocationOutcome, Status

    round_, wijken, buurten, applicants = base
    now = timezone.now()
    through = Application.buurten.through
    for first in range(start, stop, 5000):
        applications = Application.objects.bulk_create(
            Application(
                reference=f"IF-2026-{i:06d}",
                round=round_,
                applicant=applicants[i % len(applicants)],
                title=f"Buurtinitiatief nummer {i}",
                wijk=wijken[i % 10],
                requested_cents=100_000 + (i * 37) % 900_000,
                awarded_cents=100_000 + (i * 37) % 800_000,
                fixed_cents=(50_000 + (i * 37) % 50_000) if i % 3 == 0 else None,
                impact_score=60 + (i % 40),
                rank=i + 1,
                status=Status.FIXED if i % 3 == 0 else Status.AWARDED,
                allocation_outcome=AllocationOutcome.HONOURED,
                decided_at=now - timedelta(days=i % 60),
            )
            for i in range(first, min(stop, first + 5000))
        )
        through.objects.bulk_create(
            through(application_id=a.pk, buurt_id=buurten[(first + i) % 10].pk)
            for i, a in enumerate(applications)
        )


# --- the floor: one SQL query, written by csv / openpyxl ------------------------------


def _tables():
    from beoordeling.models import Decision
    from subsidies.models import Applicant, Application, Buurt, Round, Scheme, Wijk

    return {
        "application": Application._meta.db_table,
        "buurten": Application.buurten.through._meta.db_table,
        "applicant": Applicant._meta.db_table,
        "wijk": Wijk._meta.db_table,
        "buurt": Buurt._meta.db_table,
        "round": Round._meta.db_table,
        "scheme": Scheme._meta.db_table,
        "decision": Decision._meta.db_table,
    }


def _awards_sql(vendor, round_id, *, money_as_text):
    """The award overview's rows in one statement (parameters inlined: COPY takes
    none; they are integers and fixed status words)."""
    from subsidies.workflow import DECIDED_STATES

    t = _tables()
    statuses = ", ".join(f"'{s}'" for s in DECIDED_STATES)
    if vendor == "postgresql":
        money = (
            "to_char({0} / 100.0, 'FM9999999999990.00')"
            if money_as_text
            else ("({0} / 100.0)::numeric(14, 2)")
        )
        buurten = (
            f"(SELECT string_agg(b.name, ', ' ORDER BY b.name) FROM {t['buurten']} ab "
            f"JOIN {t['buurt']} b ON b.id = ab.buurt_id WHERE ab.application_id = a.id)"
        )
        decided = "(a.decided_at AT TIME ZONE 'Europe/Amsterdam')::date"
    else:
        money = "printf('%.2f', {0} / 100.0)" if money_as_text else "({0} / 100.0)"
        buurten = (
            f"(SELECT group_concat(name, ', ') FROM (SELECT b.name FROM {t['buurten']} ab "
            f"JOIN {t['buurt']} b ON b.id = ab.buurt_id WHERE ab.application_id = a.id "
            "ORDER BY b.name))"
        )
        decided = "date(a.decided_at)"
    return f"""
        SELECT a.reference, a.title, ap.name, w.name, {buurten}, s.name, r.name,
               a.status, {money.format("a.requested_cents")},
               {money.format("a.awarded_cents")}, a.impact_score, a.rank, {decided},
               d.kind, d.kenmerk, d.date_sent, d.bezwaar_deadline
        FROM {t["application"]} a
        JOIN {t["applicant"]} ap ON ap.id = a.applicant_id
        LEFT JOIN {t["wijk"]} w ON w.id = a.wijk_id
        JOIN {t["round"]} r ON r.id = a.round_id
        JOIN {t["scheme"]} s ON s.id = r.scheme_id
        LEFT JOIN {t["decision"]} d ON d.id = (
            SELECT d2.id FROM {t["decision"]} d2 WHERE d2.application_id = a.id
            ORDER BY d2.date_sent DESC, d2.id DESC LIMIT 1)
        WHERE a.status IN ({statuses}) AND a.round_id = {int(round_id)}
        ORDER BY s.name, r.opens_at, a.reference
    """


def _opendata_sql(vendor, *, money_as_text):
    """The open data's rows in one statement (organisations and penvoerders only)."""
    from subsidies.workflow import GRANTED_STATES

    t = _tables()
    statuses = ", ".join(f"'{s}'" for s in GRANTED_STATES)
    if vendor == "postgresql":
        money = (
            "to_char({0} / 100.0, 'FM9999999999990.00')"
            if money_as_text
            else ("({0} / 100.0)::numeric(14, 2)")
        )
        local = "(a.decided_at AT TIME ZONE 'Europe/Amsterdam')"
        year, day = f"extract(year FROM {local})::int", f"{local}::date"
    else:
        money = "printf('%.2f', {0} / 100.0)" if money_as_text else "({0} / 100.0)"
        year, day = (
            "CAST(strftime('%Y', a.decided_at) AS INTEGER)",
            "date(a.decided_at)",
        )
    return f"""
        SELECT {year}, s.name, s.legal_basis,
               CASE WHEN ap.kind = 'organisatie' THEN ap.name ELSE ap.penvoerder_name END,
               CASE WHEN ap.kind = 'organisatie' THEN 'aanvrager'
                    ELSE 'penvoerder van een bewonersgroep' END,
               CASE WHEN ap.kind = 'organisatie' THEN ap.kvk_number
                    ELSE ap.penvoerder_kvk END,
               a.title, w.name, {money.format("a.awarded_cents")},
               {money.format("a.fixed_cents")},
               coalesce(d.date_sent, {day}), a.reference
        FROM {t["application"]} a
        JOIN {t["applicant"]} ap ON ap.id = a.applicant_id
        LEFT JOIN {t["wijk"]} w ON w.id = a.wijk_id
        JOIN {t["round"]} r ON r.id = a.round_id
        JOIN {t["scheme"]} s ON s.id = r.scheme_id
        LEFT JOIN {t["decision"]} d ON d.id = (
            SELECT d2.id FROM {t["decision"]} d2
            WHERE d2.application_id = a.id AND d2.kind = 'verlening'
            ORDER BY d2.date_sent DESC, d2.id DESC LIMIT 1)
        WHERE a.status IN ({statuses})
          AND NOT (ap.kind = 'bewonersgroep' AND ap.penvoerder_name = '')
        ORDER BY a.decided_at, a.reference
    """


def _floor_csv(sql, headers, out):
    """One query, csv out: ``COPY ... TO STDOUT`` on PostgreSQL, else the cursor."""
    from django.db import connection, transaction

    if connection.vendor == "postgresql":
        header = (
            ",".join('"' + h.replace('"', '""') + '"' for h in headers) + "\r\n"
        ).encode()
        out.write(header)
        with transaction.atomic(), connection.cursor() as cursor:
            copy_sql = (
                f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, FORCE_QUOTE *, "
                "ENCODING 'UTF8')"
            )
            with cursor.cursor.copy(copy_sql) as copy:
                for block in copy:
                    out.write(block)
        return
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    writer = csv.writer(text, quoting=csv.QUOTE_ALL)
    writer.writerow(headers)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        while rows := cursor.fetchmany(2000):
            writer.writerows(rows)
    text.flush()
    text.detach()


def _server_rows(sql):
    """The rows of ``sql`` from a server-side cursor (PostgreSQL) or the cursor."""
    from django.db import connection, transaction

    if connection.vendor == "postgresql":
        with transaction.atomic():
            connection.ensure_connection()
            with connection.connection.cursor(name="export_floor") as cursor:
                cursor.itersize = 2000
                cursor.execute(sql)
                yield from cursor
        return
    with connection.cursor() as cursor:
        cursor.execute(sql)
        while rows := cursor.fetchmany(2000):
            yield from rows


def _floor_xlsx(sql, headers, kinds, out, sheet_title):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from beoordeling.overviews.exports.writers import NUMBER_FORMATS

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    sheet.append(headers)
    formats = [NUMBER_FORMATS.get(kind) for kind in kinds]
    for row in _server_rows(sql):
        cells = []
        for value, number_format in zip(row, formats, strict=True):
            if number_format is not None and value is not None:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = number_format
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    workbook.save(out)


def _timed(function):
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def _peak(function):
    tracemalloc.start()
    tracemalloc.reset_peak()
    function()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024 / 1024


def _to_temp(write):
    """Run ``write(out)`` into a temporary file; returns the size in bytes."""
    with tempfile.TemporaryFile() as out:
        write(out)
        return out.tell()


def _measure(name, rows, ours, floor, repeat):
    ours()  # warm up (imports, query plans)
    floor()
    ours_seconds = min(_timed(ours) for _ in range(repeat))
    floor_seconds = min(_timed(floor) for _ in range(repeat))
    return {
        "export": name,
        "rows": rows,
        "ours (s)": round(ours_seconds, 2),
        "floor (s)": round(floor_seconds, 2),
        "ratio": round(ours_seconds / floor_seconds, 2),
        "ours rows/s": int(rows / ours_seconds),
        "peak ours (MiB)": round(_peak(ours), 1),
        "peak floor (MiB)": round(_peak(floor), 1),
    }


def _figures(count, vendor, round_id, repeat):
    from beoordeling.models import ExportKind
    from beoordeling.overviews.exports.filters import ExportFilters
    from beoordeling.overviews.exports.services import (
        SHEET_TITLES,
        export_write,
        resource_for,
    )

    figures = []
    cases = (
        (ExportKind.AWARDS, ExportFilters(round_id=round_id), "award overview"),
        (ExportKind.OPEN_DATA, ExportFilters(), "open data"),
    )
    for kind, filters, label in cases:
        resource = resource_for(kind)
        headers, kinds = resource.headers(), resource.column_kinds()
        if kind == ExportKind.AWARDS:
            sql_text = _awards_sql(vendor, round_id, money_as_text=True)
            sql_values = _awards_sql(vendor, round_id, money_as_text=False)
        else:
            sql_text = _opendata_sql(vendor, money_as_text=True)
            sql_values = _opendata_sql(vendor, money_as_text=False)
        formats = [("csv", "xlsx")] if kind == ExportKind.AWARDS else [("csv",)]
        for fmt in formats[0]:

            def ours(fmt=fmt, kind=kind, filters=filters):
                _to_temp(
                    lambda out: export_write(
                        kind=kind, fmt=fmt, filters=filters, out=out
                    )
                )

            if fmt == "csv":

                def floor(sql=sql_text, headers=headers):
                    _to_temp(lambda out: _floor_csv(sql, headers, out))

            else:

                def floor(sql=sql_values, headers=headers, kinds=kinds, kind=kind):
                    _to_temp(
                        lambda out: _floor_xlsx(
                            sql, headers, kinds, out, SHEET_TITLES[kind]
                        )
                    )

            figures.append(
                _measure(f"{label} {fmt.upper()}", count, ours, floor, repeat)
            )
            print(figures[-1], flush=True)
    return figures


def run(sizes=SIZES) -> list[dict]:
    _django()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    vendor = connection.vendor
    try:
        base = _seed_base()
        figures, seeded = [], 0
        for size in sorted(sizes):
            started = time.perf_counter()
            _seed(base, seeded, size)
            seeded = size
            if vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            print(
                f"{vendor}: {size} awards seeded in "
                f"{time.perf_counter() - started:.1f} s",
                flush=True,
            )
            for row in _figures(size, vendor, base[0].pk, 2 if size <= 10_000 else 1):
                figures.append({"database": vendor, **row})
        return figures
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


def _table(rows):
    columns = list(dict.fromkeys(key for row in rows for key in row))
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        lines.append("| " + " | ".join(str(row.get(c, "")) for c in columns) + " |")
    return "\n".join(lines) + "\n"


NOTES = """\
- The floor is one SQL statement for the same rows and columns (applicant, wijk, round,
  scheme, the buurten as one text, the latest beschikking), written by csv or openpyxl
  directly: on PostgreSQL the CSV is the server's own ``COPY ... TO STDOUT`` and the
  XLSX reads a server-side cursor. *Ours* is ``export_write``: the django-import-export
  resource declares the columns, headers and widgets; rows are ``values_list`` tuples
  read in chunks of 2,000 (a server-side cursor on PostgreSQL) with the buurten and
  beschikkingen of each chunk in one query each. For XLSX each value is rendered by
  its widget; for CSV each column gets one formatter per export, made from its widget,
  that writes the value straight to its text (the same characters as the widget and
  the CSV value; a widget it does not know is called as declared), with the
  CSV-injection check of every text; then the writer.
- Both write to a temporary file; peak memory is what writing holds, and stays flat
  from 10,000 to 100,000 rows (one chunk of rows, not the file).
- For XLSX openpyxl's own cost dominates both sides; for CSV the floor on PostgreSQL
  never leaves C, so Python's per-value work (widgets, the injection check, csv) is
  what bounds the ratio.
- Exports above 5,000 rows go to the background anyway, so these seconds are not spent
  in a web request.
"""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    args = parser.parse_args(argv)
    print(_table(run(args.sizes)))


if __name__ == "__main__":
    main()
