"""Benchmark: the deadline rush. 200 residents log in with their link, fill the
impact and budget steps, submit and look at their status page in the last minutes of
a round, while 5 assessors work the queue; gunicorn (3 workers) and PostgreSQL on
loopback, Locust headless. Residents arrive 2 per second and think about 3 s between
pages; the rush ends when the last resident is done, at most after 3 minutes.

Prints requests per second and p50/p95/p99 per page, the failures, the ratio of each
page's p50 to the same page without load (a few residents one at a time, measured
first in the same run), and the database check: the applications that are
``ingediend`` are exactly the ones whose submit got the success redirect, none twice.
Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust auth). Never asserts.

    .venv/bin/python bench/bench_load.py [--residents 200] [--assessors 5] [--seconds 180]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.load import harness  # noqa: E402


def run(
    residents=200, assessors=5, seconds=180, think=3.0, arrivals=2.0, workers=3
) -> list[dict]:
    """The full rush; one row per page plus the totals and the database check."""
    try:
        result = harness.run_load(
            residents=residents,
            assessors=assessors,
            seconds=seconds,
            think=think,
            arrivals=arrivals,
            workers=workers,
        )
    except (harness.LoadTestError, OSError) as error:
        # PostgreSQL or a process is missing: a benchmark reports, it does not fail.
        print(f"load test not run: {error}")
        return [{"page": "not run", "reason": str(error).splitlines()[0]}]
    print(harness.summary(result))
    rows = harness.page_rows(result)
    check = result.check
    rows.append(
        {
            "page": "database check",
            "requests": f"{check.successes} successful submits",
            "failures": f"{check.submitted_in_db} ingediend in the database",
            "req/s": "passed" if check.ok else "FAILED",
            "p50 ms": (
                f"submitted twice: {len(check.submitted_more_than_once)}, "
                f"success without row: {len(check.success_not_submitted)}, "
                f"row without success: {len(check.submitted_without_success)}"
            ),
        }
    )
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=200)
    parser.add_argument("--assessors", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=180)
    parser.add_argument("--think", type=float, default=3.0)
    parser.add_argument("--arrivals", type=float, default=2.0)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args(argv)
    rows = run(
        residents=args.residents,
        assessors=args.assessors,
        seconds=args.seconds,
        think=args.think,
        arrivals=args.arrivals,
        workers=args.workers,
    )
    for row in rows:
        print(" | ".join(f"{key}: {value}" for key, value in row.items()))


if __name__ == "__main__":
    main()
