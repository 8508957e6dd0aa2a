"""Benchmark: 1,000 vaststellingen with their letters, through the service.

Sets up a throw-away test database (the test settings: SQLite in memory unless
``DATABASE_URL`` points elsewhere, files in memory, no e-mail sent) with N grants of an
ex officio scheme whose activities are over, each with its verlening on record. Then a
batch of kind ``vaststellingen`` (``letter_batch_start`` + ``letter_batch_run``, what the
background task runs) fixes every grant: per grant the facts, the ``fix`` transition
with its log row, the vaststelling letter with its kenmerk, PDF, SHA-256 and stored
document, in one transaction each (timed). Next to it: reportlab alone rendering the
same N vaststelling letters from ready-made content (``beoordeling.letters``, no
database), so the ratio shows what the database part costs. Prints figures; never
asserts.

    .venv/bin/python bench/bench_vaststelling.py --n 1000
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_round_letters import bench_database, bench_scheme  # noqa: E402


def _grants(n):
    """N awarded ex officio grants whose activities ended yesterday, with a verlening
    decision each (made in bulk: the verlening letters are not what is measured)."""
    from django.utils import timezone

    from beoordeling.models import Decision, DecisionKind
    from subsidies.models import Application, Document, Round, Wijk
    from subsidies.workflow import Settlement, Status

    now = timezone.now()
    today = timezone.localdate(now)
    wijk = Wijk.objects.create(code="overvecht", name="Overvecht")
    scheme, decider, applicants = bench_scheme(
        settlement_route="ambtshalve",
        letter_obligations="U bewaart de bonnen 7 jaar.",
        letter_accountability="Bewaar foto's en een deelnemerslijst.",
    )
    round_ = Round.objects.create(
        scheme=scheme,
        name="Benchmarkronde",
        opens_at=now - timedelta(days=400),
        closes_at=now - timedelta(days=300),
        ceiling_cents=10**11,
    )
    applications = Application.objects.bulk_create(
        Application(
            reference=f"BN-2026-{i:05d}",
            round=round_,
            applicant=applicants[i % len(applicants)],
            title=f"Buurtactiviteit {i}",
            summary="Buren koken samen en eten samen.",
            activity_start=today - timedelta(days=120),
            activity_end=today - timedelta(days=1),
            wijk=wijk,
            impact_plan="Tellen en vertellen.",
            requested_cents=250_000 + i,
            truthful_declaration=True,
            status=Status.AWARDED,
            submitted_at=now - timedelta(days=330),
            complete_at=now - timedelta(days=330),
            decided_at=now - timedelta(days=300),
            preconditions_met=True,
            proposed_cents=250_000 + i,
            awarded_cents=250_000 + i,
            settlement=Settlement.EX_OFFICIO,
            fixing_due_on=today + timedelta(weeks=13),
        )
        for i in range(n)
    )
    documents = Document.objects.bulk_create(
        Document(
            application=application,
            kind=Document.Kind.DECISION_LETTER,
            file=f"bench/verlening-{i}.pdf",
            original_name=f"beschikking-D2026-{i:06d}.pdf",
            content_type="application/pdf",
            size=1,
            sha256=hashlib.sha256(b"%PDF").hexdigest(),
            uploaded_at=now - timedelta(days=300),
        )
        for i, application in enumerate(applications)
    )
    Decision.objects.bulk_create(
        Decision(
            application=application,
            kind=DecisionKind.VERLENING,
            kenmerk=f"D2025-{i + 1:06d}",
            date_sent=today - timedelta(days=300),
            bezwaar_deadline=today - timedelta(days=258),
            amount_cents=application.awarded_cents,
            sha256=document.sha256,
            document=document,
            created_at=now - timedelta(days=300),
        )
        for i, (application, document) in enumerate(
            zip(applications, documents, strict=True)
        )
    )
    return round_, decider


def _reportlab_only(n):
    """The same vaststelling letter, N times, from ready-made content."""
    from bench.bench_letters import BASE
    from beoordeling.letters import LetterType, register_fonts, render_letter

    register_fonts()
    base = dataclasses.replace(
        BASE,
        letter_type=LetterType.VASTSTELLING,
        obligations=(),
        accountability="",
        payment="",
        earlier_date=date(2026, 2, 1),
        fixed_cents=BASE.awarded_cents,
        reclaim_limit_on=date(2031, 11, 23),
        activity_start=date(2026, 3, 1),
        activity_end=date(2026, 10, 31),
    )
    contents = [
        dataclasses.replace(
            base, kenmerk=f"D2026-{i:06d}", earlier_kenmerk=f"D2025-{i + 1:06d}"
        )
        for i in range(n)
    ]
    started = time.perf_counter()
    for content in contents:
        render_letter(content)
    return time.perf_counter() - started


def run(n: int = 1000, baseline: bool = True) -> list[dict]:
    """Time N vaststellingen with their letters; one dict of figures each."""
    with bench_database():
        from beoordeling.decisions.services.decisions import (
            letter_batch_run,
            letter_batch_start,
        )
        from beoordeling.models import LetterBatch

        round_, decider = _grants(n)
        batch = letter_batch_start(
            round=round_,
            actor=decider,
            notify=False,
            enqueue=False,
            kind=LetterBatch.Kind.FIXING,
        )
        started = time.perf_counter()
        counts = letter_batch_run(batch_id=batch.pk)
        seconds = time.perf_counter() - started
    rows = [
        {
            "benchmark": "vaststellingen with letters via service (database)",
            "items": counts["done"],
            "failed": counts["failed"],
            "seconds": round(seconds, 2),
            "per_second": round(counts["done"] / seconds, 1) if seconds else None,
        }
    ]
    if baseline:
        pure = _reportlab_only(n)
        rows.append(
            {
                "benchmark": "reportlab only, same letter (no database)",
                "items": n,
                "seconds": round(pure, 2),
                "per_second": round(n / pure, 1),
            }
        )
        rows[0]["ratio_to_reportlab"] = round(rows[0]["per_second"] / (n / pure), 2)
    return rows


NOTES = """\
- Via the service (`letter_batch_run` in chunks of 50, progress once per chunk): per
  grant one transaction with the fixed amount recorded, the `fix`
  transition and its log row, the kenmerk from the counter, the vaststelling letter
  rendered, its PDF stored as a Document with its SHA-256, and the Decision row; the
  batch is what the background task runs (`letter_batch_run`, kind `vaststellingen`).
- The baseline renders the same vaststelling layout with reportlab alone from
  ready-made content. The ratio is service speed / reportlab speed.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="grants to fix")
    args = parser.parse_args()
    rows = run(args.n)
    print(f"{'benchmark':<54}{'items':>8}{'s':>9}{'per s':>10}{'ratio':>8}")
    for row in rows:
        print(
            f"{row['benchmark']:<54}{row['items']:>8}{row['seconds']:>9.2f}"
            f"{row['per_second']:>10.1f}{row.get('ratio_to_reportlab', ''):>8}"
        )
        if row.get("failed"):
            print(f"  failed: {row['failed']}")


if __name__ == "__main__":
    main()
