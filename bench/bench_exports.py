"""Benchmark: export 10,000 awards as XLSX and CSV, next to openpyxl and csv directly.

Builds a throwaway test database (in memory, with the migrations) holding one round
with N awarded applications (default 10,000) spread over the ten wijken, each with a
buurt, and times ``beoordeling.overviews.exports.services.export_write`` (queryset, the
django-import-export resource, the streaming writer) against writing the very same
values, already in memory, with openpyxl (write-only, the same number formats) and
with ``csv.writer``. The ratio is ours divided by direct. Peak memory is measured
with ``tracemalloc`` in a separate run (tracing slows the code down). Prints figures;
never asserts.

    .venv/bin/python bench/bench_exports.py --n 10000
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DOCS = ROOT / "docs" / "performance.md"


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")
    import django

    django.setup()


def _seed(n):
    from datetime import timedelta

    from django.utils import timezone

    from subsidies.models import (
        Applicant,
        ApplicantKind,
        Application,
        Buurt,
        Round,
        Scheme,
        Wijk,
    )
    from subsidies.workflow import AllocationOutcome, Status

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
        ceiling_cents=n * 500_000,
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
    applications = Application.objects.bulk_create(
        (
            Application(
                reference=f"IF-2026-{i:05d}",
                round=round_,
                applicant=applicants[i % len(applicants)],
                title=f"Buurtinitiatief nummer {i}",
                wijk=wijken[i % 10],
                requested_cents=100_000 + (i * 37) % 900_000,
                awarded_cents=100_000 + (i * 37) % 800_000,
                impact_score=60 + (i % 40),
                rank=i + 1,
                status=Status.AWARDED,
                allocation_outcome=AllocationOutcome.HONOURED,
                decided_at=now - timedelta(days=i % 60),
            )
            for i in range(n)
        ),
        batch_size=2000,
    )
    through = Application.buurten.through
    through.objects.bulk_create(
        (
            through(application_id=a.pk, buurt_id=buurten[i % 10].pk)
            for i, a in enumerate(applications)
        ),
        batch_size=5000,
    )
    return round_


def _direct_xlsx(out, headers, kinds, rows):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from beoordeling.overviews.exports.writers import NUMBER_FORMATS

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Besluiten")
    sheet.append(headers)
    formats = [NUMBER_FORMATS.get(kind) for kind in kinds]
    for row in rows:
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


def _direct_csv(out, headers, kinds, rows):
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    writer = csv.writer(text)
    writer.writerow(headers)
    writer.writerows(rows)
    text.flush()
    text.detach()


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


def run(n: int = 10_000) -> list[dict]:
    _django()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    from beoordeling.models import ExportKind
    from beoordeling.overviews.exports.filters import ExportFilters
    from beoordeling.overviews.exports.resources import AwardOverviewResource
    from beoordeling.overviews.exports.services import export_write

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        round_ = _seed(n)
        print(f"seeded {n} awards in {time.perf_counter() - started:.1f} s", flush=True)
        filters = ExportFilters(round_id=round_.pk)
        resource = AwardOverviewResource()
        headers, kinds = resource.headers(), resource.column_kinds()
        rows = list(resource.rows(resource.queryset(filters)))
        rows_seconds = _timed(lambda: list(resource.rows(resource.queryset(filters))))

        figures = []
        for fmt, direct in (("xlsx", _direct_xlsx), ("csv", _direct_csv)):

            def ours(fmt=fmt):
                export_write(
                    kind=ExportKind.AWARDS, fmt=fmt, filters=filters, out=io.BytesIO()
                )

            def baseline(direct=direct):
                direct(io.BytesIO(), headers, kinds, rows)

            ours()  # warm up (imports, query plans)
            ours_seconds = min(_timed(ours) for _ in range(2))
            direct_seconds = min(_timed(baseline) for _ in range(2))
            size = io.BytesIO()
            export_write(kind=ExportKind.AWARDS, fmt=fmt, filters=filters, out=size)
            figures.append(
                {
                    "format": fmt.upper(),
                    "rows": len(rows),
                    "ours (s)": round(ours_seconds, 2),
                    "openpyxl/csv direct (s)": round(direct_seconds, 2),
                    "ratio": round(ours_seconds / direct_seconds, 2),
                    "ours rows/s": int(len(rows) / ours_seconds),
                    "peak ours (MiB)": round(_peak(ours), 1),
                    "peak direct (MiB)": round(_peak(baseline), 1),
                    "file (KiB)": round(len(size.getvalue()) / 1024),
                }
            )
        figures.append(
            {
                "format": "rows only (query + resource, no file)",
                "rows": len(rows),
                "ours (s)": round(rows_seconds, 2),
                "ours rows/s": int(len(rows) / rows_seconds),
            }
        )
        for row in figures:
            print(row, flush=True)
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
- The direct baselines write values that are already in memory; *ours* includes the
  query, building the model instances (10,000 applications with applicant, wijk, round,
  scheme, buurten and beschikking prefetched in chunks of 1,000) and the resource. For CSV
  nearly all of *ours* is that database part, hence the large ratio; for XLSX openpyxl's
  own cost dominates.
- Rows stream from ``QuerySet.iterator(chunk_size=1000)`` into a write-only workbook or
  a CSV writer, so memory holds one chunk of model instances plus the file being written.
  Smaller chunks use less memory at the cost of more queries.
- Exports above 5,000 rows go to the background anyway, so these seconds are not spent in
  a web request.
"""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    args = parser.parse_args(argv)
    rows = run(args.n)
    print(_table(rows))


if __name__ == "__main__":
    main()
