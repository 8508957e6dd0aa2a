"""What a load-test run measured and what the database check found, and how they
are shown: the figures per page Locust wrote (``locustfile._write_summary``), the
successful submits, and the rows for ``docs/performance.md``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field


@dataclass
class PageStats:
    name: str
    method: str
    requests: int
    failures: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float


@dataclass
class RunStats:
    pages: list[PageStats]
    total: PageStats
    failures: list[dict]
    seconds: float
    successes: list[str]

    def page(self, name):
        return next((p for p in self.pages if p.name == name), None)


@dataclass
class DatabaseCheck:
    residents: int
    successes: int
    submitted_in_db: int
    duplicates_in_successes: list[str] = field(default_factory=list)
    submitted_without_success: list[str] = field(default_factory=list)
    success_not_submitted: list[str] = field(default_factory=list)
    submitted_more_than_once: list[str] = field(default_factory=list)

    @property
    def ok(self):
        return not (
            self.duplicates_in_successes
            or self.submitted_without_success
            or self.success_not_submitted
            or self.submitted_more_than_once
        )


@dataclass
class LoadResult:
    residents: int
    assessors: int
    workers: int
    rush: RunStats
    baseline: RunStats | None
    check: DatabaseCheck
    server_errors: int
    timings: dict[str, float]


def _page(figures):
    return PageStats(
        name=figures["name"],
        method=figures["method"],
        requests=figures["requests"],
        failures=figures["failures"],
        rps=round(figures["rps"] or 0, 2),
        p50_ms=round(figures["p50_ms"] or 0, 1),
        p95_ms=round(figures["p95_ms"] or 0, 1),
        p99_ms=round(figures["p99_ms"] or 0, 1),
        max_ms=round(figures["max_ms"] or 0, 1),
    )


def read_stats(out, seconds):
    """The figures the locustfile wrote when Locust quit, and the successful submits."""
    summary = json.loads((out / "summary.json").read_text())
    successes = []
    for path in sorted(out.glob("submitted-*.txt")):
        successes += [line for line in path.read_text().splitlines() if line]
    return RunStats(
        pages=[_page(p) for p in summary["pages"]],
        total=_page(summary["total"]),
        failures=summary["errors"],
        seconds=round(seconds, 1),
        successes=successes,
    )


def page_rows(result):
    """One row per page of the rush: figures, and the ratio to the baseline p50."""
    rows = []
    for page in result.rush.pages:
        row = {
            "page": f"{page.method} {page.name}",
            "requests": page.requests,
            "failures": page.failures,
            "req/s": page.rps,
            "p50 ms": page.p50_ms,
            "p95 ms": page.p95_ms,
            "p99 ms": page.p99_ms,
        }
        base = result.baseline.page(page.name) if result.baseline else None
        if base is not None and base.p50_ms:
            row["p50 without load ms"] = base.p50_ms
            row["ratio p50"] = round(page.p50_ms / base.p50_ms, 1)
        rows.append(row)
    total = result.rush.total
    rows.append(
        {
            "page": "all requests",
            "requests": total.requests,
            "failures": total.failures,
            "req/s": total.rps,
            "p50 ms": total.p50_ms,
            "p95 ms": total.p95_ms,
            "p99 ms": total.p99_ms,
        }
    )
    return rows


def summary(result):
    check = result.check
    return (
        f"{result.residents} residents and {result.assessors} assessors, "
        f"{result.workers} gunicorn workers, rush {result.rush.seconds} s: "
        f"{result.rush.total.requests} requests, {result.rush.total.rps} req/s, "
        f"{result.rush.total.failures} failures ({result.server_errors} server errors). "
        f"Database: {check.successes} successful submits, {check.submitted_in_db} "
        f"applications ingediend, check {'passed' if check.ok else 'FAILED'}."
    )
