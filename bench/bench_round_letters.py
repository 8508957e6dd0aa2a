"""Benchmark: the beschikkingen of a round of 1,000 decisions, through the database.

Sets up a throw-away test database (the test settings: SQLite in memory unless
``DATABASE_URL`` points elsewhere, files in memory, no e-mail sent), creates N assessed
applications over the ten wijken, computes and fixes one allocation run (timed: that
fires N workflow transitions) and then makes every letter with the same service the
background task uses (``letter_batch_run``, timed). Next to it, reportlab's own speed
for the same layout without any database work (``bench/bench_letters.py``), so the
ratio shows what the database part costs. Prints figures; never asserts.

    .venv/bin/python bench/bench_round_letters.py --n 1000

``make bench`` runs it with the others and writes ``docs/performance.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

WIJKEN = (
    ("binnenstad", "Binnenstad", "4.20"),
    ("oost", "Oost", "7.70"),
    ("noordoost", "Noordoost", "7.70"),
    ("noordwest", "Noordwest", "15.10"),
    ("overvecht", "Overvecht", "23.80"),
    ("west", "West", "5.80"),
    ("zuidwest", "Zuidwest", "15.80"),
    ("zuid", "Zuid", "7.10"),
    ("leidsche-rijn", "Leidsche Rijn", "5.10"),
    ("vleuten-de-meern", "Vleuten-De Meern", "7.60"),
)


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    import django

    django.setup()


@contextlib.contextmanager
def bench_database():
    """Django set up on a throw-away test database, destroyed afterwards (shared with
    ``bench_vaststelling``)."""
    _django()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


def bench_scheme(**fields):
    """The benchmark's scheme, its decision maker and 100 applicants with an address
    and an account (shared with ``bench_vaststelling``)."""
    from django.contrib.auth import get_user_model

    from subsidies.models import Applicant, ApplicantKind, Scheme

    scheme = Scheme.objects.create(
        slug="bench",
        name="Benchmarkfonds",
        reference_prefix="BN",
        purpose="Meten.",
        for_whom="Bewoners.",
        legal_basis="Nadere regel Benchmarkfonds Utrecht, artikel 5",
        max_amount_cents=2_000_000,
        **fields,
    )
    decider = get_user_model().objects.create_superuser(
        "bench@example.nl", "bench-wachtwoord", first_name="Bench", last_name="Mark"
    )
    applicants = Applicant.objects.bulk_create(
        Applicant(
            kind=ApplicantKind.ORGANISATION,
            name=f"Stichting Bench {i}",
            kvk_number=f"{40_000_000 + i}",
            contact_name=f"Contact {i}",
            contact_email=f"bench{i}@example.nl",
            street="Zamenhofdreef 12",
            postcode="3562 JW",
            city="Utrecht",
            iban="NL91ABNA0417164300",
            account_holder=f"Stichting Bench {i}",
        )
        for i in range(100)
    )
    return scheme, decider, applicants


def _round_of(n):
    """A round with N assessed applications; the ceiling fits about 60 % of them."""
    import random

    from django.utils import timezone

    from subsidies.models import Application, Round, Wijk
    from subsidies.rounds import rule_publish_first
    from subsidies.workflow import Status

    rnd = random.Random(20261123)
    wijken = [
        Wijk.objects.create(
            code=code, name=name, fair_share_weight=Decimal(weight), sort_order=i
        )
        for i, (code, name, weight) in enumerate(WIJKEN)
    ]
    scheme, decider, applicants = bench_scheme(
        letter_obligations="U bewaart de bonnen 7 jaar.\nU meldt wijzigingen meteen.",
        letter_accountability="Wij stellen de subsidie ambtshalve vast.",
        letter_payment="Wij betalen binnen 10 werkdagen.",
    )
    now = timezone.now()
    amounts = [rnd.randrange(100_000, 1_500_000, 100) for _ in range(n)]
    round_ = Round.objects.create(
        scheme=scheme,
        name="Benchmarkronde",
        opens_at=now - timedelta(days=60),
        closes_at=now + timedelta(days=30),
        ceiling_cents=sum(amounts) * 3 // 5,
    )
    # A run applies only a published verdeelregel: version 1, before the round opened.
    rule_publish_first(round=round_, actor=decider, at=now - timedelta(days=61))
    Application.objects.bulk_create(
        Application(
            reference=f"BN-2026-{i:05d}",
            round=round_,
            applicant=applicants[i % len(applicants)],
            title=f"Buurtactiviteit {i}",
            summary="Buren koken samen en eten samen.",
            activity_start=timezone.localdate(now) + timedelta(days=60),
            activity_end=timezone.localdate(now) + timedelta(days=240),
            wijk=wijken[rnd.randrange(len(wijken))],
            impact_plan="Tellen en vertellen.",
            requested_cents=amounts[i],
            truthful_declaration=True,
            status=Status.ASSESSED,
            submitted_at=now - timedelta(days=30, minutes=i),
            complete_at=now - timedelta(days=30, minutes=i),
            preconditions_met=True,
            impact_score=Decimal(rnd.randrange(5000, 10001)) / 100,
            proposed_cents=amounts[i],
        )
        for i in range(n)
    )
    return round_, decider


def _same_letters_alone(decisions):
    """Render the letters the service made, from the same content, with reportlab
    alone: the floor of exactly these letters (the content is read first, untimed)."""
    from beoordeling.decisions.services.letter_content import letter_content
    from beoordeling.letters import render_letter
    from subsidies.models import Application

    applications = Application.objects.select_related(
        "round__scheme", "applicant", "wijk"
    ).in_bulk([d.application_id for d in decisions])
    contents = [
        letter_content(
            application=applications[d.application_id],
            kind=d.kind,
            kenmerk=d.kenmerk,
            date_sent=d.date_sent,
            result=d.allocation_result,
        )
        for d in decisions
    ]
    started, cpu = time.perf_counter(), time.process_time()
    for content in contents:
        render_letter(content)
    return time.perf_counter() - started, time.process_time() - cpu


def run(n: int = 1000, baseline: bool = True) -> list[dict]:
    """Time fixing and the letters of a round of ``n``; one dict of figures each."""
    with bench_database():
        from beoordeling.decisions.services.decisions import (
            allocation_run_create,
            allocation_run_fix,
            letter_batch_run,
            letter_batch_start,
        )
        from beoordeling.models import Decision

        round_, decider = _round_of(n)
        started = time.perf_counter()
        concept = allocation_run_create(round=round_, actor=decider)
        allocation_run_fix(run=concept, actor=decider)
        fix_seconds = time.perf_counter() - started
        batch = letter_batch_start(
            round=round_, actor=decider, notify=False, enqueue=False
        )
        started, cpu = time.perf_counter(), time.process_time()
        counts = letter_batch_run(batch_id=batch.pk)
        letter_seconds = time.perf_counter() - started
        letter_cpu = time.process_time() - cpu
        decisions = list(
            Decision.objects.filter(batch=batch)
            .select_related("allocation_result__run__rule", "allocation_result__wijk")
            .order_by("kenmerk")
        )
        same_seconds, same_cpu = _same_letters_alone(decisions)
    done = counts["done"]
    rows = [
        {
            "benchmark": "allocation run fixed (database)",
            "items": n,
            "seconds": round(fix_seconds, 2),
            "per_second": round(n / fix_seconds, 1),
        },
        {
            "benchmark": "round letters via service (database)",
            "items": done,
            "failed": counts["failed"],
            "seconds": round(letter_seconds, 2),
            "per_second": round(done / letter_seconds, 1),
            "cpu_seconds": round(letter_cpu, 2),
        },
        {
            "benchmark": "reportlab only, the same letters (no database)",
            "items": done,
            "seconds": round(same_seconds, 2),
            "per_second": round(done / same_seconds, 1),
            "cpu_seconds": round(same_cpu, 2),
        },
    ]
    rows[1]["ratio_to_same_letters"] = round(same_seconds / letter_seconds, 2)
    rows[1]["cpu_ratio_to_same_letters"] = round(same_cpu / letter_cpu, 2)
    if baseline:
        from bench import bench_letters

        pure = bench_letters.run(n)[-1]
        rows.append(
            {
                "benchmark": "reportlab only, same layout (no database)",
                "items": pure["letters"],
                "seconds": pure["seconds"],
                "per_second": pure["letters_per_second"],
            }
        )
        rows[1]["ratio_to_reportlab"] = round(
            rows[1]["per_second"] / pure["letters_per_second"], 2
        )
    return rows


NOTES = """\
- Fixing the run fires one award or reject transition per application, each with its
  row lock on the round and its transition log row.
- Letters via the service: the batch in chunks of 50 (`letter_batch_run`): per chunk
  the applications, fixed results, decisions and handlers read in a few queries, every
  letter rendered outside the transaction, then one write transaction with the chunk's
  kenmerken reserved in one counter statement, documents and decisions inserted in
  bulk, the chunk's payments planned together (`plan_payments_many`: a few queries for
  the chunk, then the voorschotten inserted in one statement), and one progress write.
  Bounded by the renderer (with reportlab's C accelerator, `rl-accel`); the rest is the
  inserts. It grows linearly with the round.
- Floors: reportlab alone rendering the very letters the service made, from the same
  content (`ratio_to_same_letters`, and in CPU seconds of this process:
  `cpu_ratio_to_same_letters`, steadier on a busy machine; on PostgreSQL the
  database's own CPU is not in it), and, as before, reportlab alone rendering the
  layout of `bench/bench_letters.py` round-robin over the letter types
  (`ratio_to_reportlab`). Each ratio is service speed / reportlab speed.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="decisions in the round")
    args = parser.parse_args()
    rows = run(args.n)
    print(f"{'benchmark':<46}{'items':>8}{'s':>9}{'per s':>10}{'ratio':>8}")
    for row in rows:
        print(
            f"{row['benchmark']:<46}{row['items']:>8}{row['seconds']:>9.2f}"
            f"{row['per_second']:>10.1f}{row.get('ratio_to_reportlab', ''):>8}"
        )


if __name__ == "__main__":
    main()
