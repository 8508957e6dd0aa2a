"""Benchmark: the assessor's queue page with 100, 10,000 and 100,000 applications.

Builds a throw-away test database (in memory on SQLite; ``test_<name>`` on PostgreSQL
when ``DATABASE_URL`` points there), creates the applications in bulk, assigns two
assessors to each, and times ``GET /admin/beoordelen/`` for an assessor whose team
covers them all: the first page of 25, sorted by deadline, plus the same page with a
filter and a search. Prints the median time and the number of queries per size and the
ratio between the largest and the smallest size. Prints figures; never asserts.

    .venv/bin/python bench/bench_queue.py [--sizes 100 10000 100000] [--repeats 21]
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

PAGES = {
    "wachtrij": "",
    "gefilterd en gezocht": "?task=controleren&ordering=-requested_cents&q=Buurt",
}


def _world():
    from accounts.models import User
    from accounts.roles import ASSESSOR
    from beoordeling.assessment.services import rubric_publish
    from beoordeling.models import Team
    from beoordeling.scoring import RUBRICS
    from subsidies.models import Applicant, Round, Scheme, Wijk

    now = timezone.now()
    scheme = Scheme.objects.create(
        slug="initiatievenfonds",
        name="Initiatievenfonds",
        reference_prefix="IF",
        purpose="Bench",
        for_whom="Bench",
        legal_basis="Bench",
        max_amount_cents=2_000_000,
        letter_obligations="-",
        letter_accountability="-",
        letter_payment="-",
    )
    rubric = rubric_publish(
        scheme=scheme,
        criteria=[
            {"code": c.code, "name": c.name, "weight": c.weight, "knockout": c.knockout}
            for c in RUBRICS["initiatievenfonds"].criteria
        ],
    )
    round_ = Round.objects.create(
        scheme=scheme,
        name="Bench",
        opens_at=now - timedelta(days=30),
        closes_at=now + timedelta(days=30),
        ceiling_cents=10**10,
    )
    wijken = [
        Wijk.objects.create(code=f"wijk-{i}", name=f"Wijk {i}", sort_order=i)
        for i in range(10)
    ]
    applicant = Applicant.objects.create(
        kind="organisatie",
        name="Stichting Bench",
        kvk_number="41234567",
        contact_name="Bench",
        contact_email="bench@example.nl",
    )
    people = []
    for n in range(2):
        user = User.objects.create_user(
            f"beoordelaar{n}@bench.example", "x", is_staff=True
        )
        user.groups.add(Group.objects.get(name=ASSESSOR))
        people.append(user)
    team = Team.objects.create(name="Bench")
    team.members.set(people)
    team.wijken.set(wijken)
    return round_, wijken, applicant, rubric, people


def _add(count, start, round_, wijken, applicant, rubric, people):
    from beoordeling.models import Assessment
    from subsidies.models import Application
    from subsidies.workflow import Status

    now = timezone.now()
    statuses = [Status.SUBMITTED, Status.IN_ASSESSMENT, Status.SUPPLEMENT_REQUESTED]
    applications = Application.objects.bulk_create(
        (
            Application(
                reference=f"IF-2026-{n:06d}",
                round=round_,
                applicant=applicant,
                wijk=wijken[n % len(wijken)],
                title=f"Buurtinitiatief {n}",
                status=statuses[n % 3],
                requested_cents=100_000 + n,
                submitted_at=now - timedelta(days=n % 40),
                complete_at=now - timedelta(days=n % 40),
                decision_due_at=now + timedelta(days=(n % 60) - 20),
            )
            for n in range(start, start + count)
        ),
        batch_size=2000,
    )
    Assessment.objects.bulk_create(
        (
            Assessment(
                application=application,
                assessor=person,
                rubric=rubric,
                assigned_at=now,
                declared_at=now,
            )
            for application in applications
            for person in people
        ),
        batch_size=2000,
    )
    # A database that grew to this size has statistics on its tables (PostgreSQL's
    # autovacuum keeps them); one just filled in bulk has none, and without them
    # SQLite takes an index on any equality, however many rows it matches.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _time(client, path, repeats):
    for _ in range(3):  # warm-up
        client.get(path)
    seconds = []
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path)
            seconds.append(time.perf_counter() - started)
    rows = len(response.context["object_list"])
    return statistics.median(seconds), min(seconds), len(queries), rows


def run(sizes=(100, 10_000, 100_000), repeats=21) -> list[dict]:
    """Time the queue at each size; one row per size and page."""
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        world = _world()
        client = Client()
        client.force_login(world[-1][0])
        base = reverse("beoordelen:index")
        rows, made = [], 0
        for size in sorted(sizes):
            _add(size - made, made, *world)
            made = size
            # The garbage of loading is not the next request's to collect.
            gc.collect()
            for page, query in PAGES.items():
                median, fastest, queries, shown = _time(client, base + query, repeats)
                first = next((r for r in rows if r["page"] == page), None)
                rows.append(
                    {
                        "applications": size,
                        "page": page,
                        "median_ms": round(median * 1000, 1),
                        "min_ms": round(fastest * 1000, 1),
                        "queries": queries,
                        "rows_shown": shown,
                        "ratio_to_smallest": round(
                            median * 1000 / first["median_ms"] if first else 1.0, 2
                        ),
                    }
                )
        return rows
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


NOTES = """\
- The ratio is a size's median over the median with the fewest applications, same
  page; ``rows_shown`` is how many rows that page showed (the filtered page is
  "Randvoorwaarden toetsen", searched and sorted by amount, which fills a page of 25
  at every size: an earlier filter on "deadline within 7 days" matched only 8 of 100,
  and compared a page of 8 rows with one of 25). The query count stays the same at
  every size (``tests/beoordeling/assessment/test_queue.py``).
- What grew, and what was done (EXPLAIN QUERY PLAN, 100,000 applications): the
  paginator's exact ``COUNT(*)`` read every visible application (40 to 100 ms). The
  queue now counts at most 1,000 rows past the page (``queue.CountedUpTo``) and says
  "meer dan 1.000 aanvragen" beyond that (``test_a_long_queue_says_more_than_1000``).
  Sorting by amount sorted every match with all 126 columns; now an index on the
  amount serves the order, the tie-break on the key follows the direction of the sort
  (so the index, read backwards, gives the whole order), and only the page's 25 keys
  are sorted before the rows are read
  (``test_pages_of_a_sorted_queue_hold_every_application_once``).
- After each size is loaded the benchmark runs ``ANALYZE``, as PostgreSQL's
  autovacuum does for a table that grew: without statistics SQLite used the index on
  status for "status = ?" and sorted a third of the table.
- What is left is the page itself (templates, 25 rows with their assessors), the same
  at every size.
"""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 10_000, 100_000])
    parser.add_argument("--repeats", type=int, default=21)
    args = parser.parse_args(argv)
    rows = run(sizes=args.sizes, repeats=args.repeats)
    print(
        f"Wachtrij beoordelen ({connection.vendor}), mediaan van {args.repeats} keer:"
    )
    print(
        f"{'aanvragen':>10}  {'pagina':<22}{'mediaan':>10}{'snelst':>10}{'queries':>9}"
    )
    for row in rows:
        print(
            f"{row['applications']:>10}  {row['page']:<22}{row['median_ms']:>8} ms"
            f"{row['min_ms']:>8} ms{row['queries']:>9}"
        )
    smallest, largest = min(args.sizes), max(args.sizes)
    for page in PAGES:
        small = next(
            r for r in rows if r["applications"] == smallest and r["page"] == page
        )
        large = next(
            r for r in rows if r["applications"] == largest and r["page"] == page
        )
        ratio = large["median_ms"] / small["median_ms"] if small["median_ms"] else 0
        print(
            f"{page}: {largest} / {smallest} aanvragen = {ratio:.2f}x de tijd, "
            f"queries {small['queries']} -> {large['queries']}"
        )


if __name__ == "__main__":
    main()
