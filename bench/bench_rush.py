"""Benchmark: the deadline rush at saturation. On one gunicorn server (2 sync workers)
with PostgreSQL on loopback, the offered rate of the resident submit mix is stepped up
(doubling, then halving the interval between the last step within and the first one
over) until its p95 passes 1 s; then the same for a bare view on the same server. Each
step is a Locust run of fresh residents (or anonymous visitors of the bare view) at one
offered rate (``bench/load/ramp.py``, ``bench/load/rampfile.py``).

Prints and records, per step, the offered requests per second and those served,
p50/p95/p99, the failures, the CPU the server, the database, Locust and everything else
on the machine used, and for the submit mix the database check (the step's
applications that are ``ingediend`` are exactly those whose submit got the success
redirect, each once); then the rate of each mix at saturation and their ratio. Needs
PostgreSQL at 127.0.0.1:5432 (user postgres, trust auth); without it the benchmark
records that and stops. Never asserts.

    .venv/bin/python bench/bench_rush.py [--workers 2] [--submit-seconds 15] \\
        [--bare-seconds 10] [--budget 270]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.load import harness, ramp  # noqa: E402

MIXES = {"submit": "resident submit mix", "bare": "bare view"}

#: Filled in by ``run()`` with the figures of that run (``bench/__main__.py`` reads it
#: after ``run()``).
NOTES = ""

METHOD = """\
- One server for both: gunicorn with {workers} sync workers (``bench.load.settings``,
  DEBUG off, a connection pool of at most 4 per worker) on a fresh PostgreSQL database
  on loopback, migrated with the reference data and open rounds (no demo
  applications). Locust's FastHttpUser drives it from the same machine.
- *Resident submit mix*: residents arrive evenly over {submit_seconds} s, each with a
  concept application whose organisation and initiative steps are filled in; each
  goes through the whole journey without thinking time: the login link and its
  button, "Mijn aanvragen", the impact and budget steps (open, save), the documents
  step (open, save without a file), the check step, submit (every tenth resident
  double-clicks: two POSTs at once), the status page. That is 12.1 requests per
  resident on average; the offered rate is the arrival rate times 12.1. The step's
  figures include the journeys still under way when the last resident has arrived.
- *Bare view*: ``HttpResponse("ok")`` at ``/bench/kaal/`` behind every middleware
  (``bench/load/urls.py``), asked by anonymous visitors, one request a second each,
  for {bare_seconds} s; the offered rate is the number of visitors. The ramp starts at
  four times the submit mix's rate within.
- *Served*: the requests that ended per second in the steady part of the step, the
  last two thirds of the arrival window: the offered rate while the server keeps
  up, its capacity when it does not. A step is *within* when the p95 over all its
  requests is at most 1 s (Locust's percentiles: above 100 ms rounded to 10 ms,
  above 1 s to 100 ms) and it served at least 90% of the offered rate; a short step
  above capacity can keep its p95 under 1 s only because the queue had no time to
  grow, and the second test catches that. The rate at saturation is the highest
  offered rate within; the next step up is the first where p95 passed 1 s (or the
  server fell behind). The ratio is the bare view's rate at saturation over the
  submit mix's; *most served* is the highest served rate of any step (capacity).
- CPU in cores (CPU seconds over the step's wall time, from ``/proc``): *app* the
  gunicorn processes, *db* the server processes of this database's connections,
  *Locust* the load generator, *other* the rest of the machine (other databases,
  other work). The machine has {cores} cores.
"""


def _cpu(step):
    cpu = step.cpu
    return f"{cpu['app']} / {cpu['db']} / {cpu['locust']} / {cpu['other']}"


def _check(step):
    check = step.check
    if check is None:
        return ""
    if check.ok:
        return (
            f"passed: {check.successes} submits, {check.submitted_in_db} ingediend, "
            "none twice"
        )
    return (
        f"FAILED: {check.successes} submits, {check.submitted_in_db} ingediend; "
        f"submitted twice {len(check.submitted_more_than_once)}, success without "
        f"row {len(check.success_not_submitted)}, row without success "
        f"{len(check.submitted_without_success)}"
    )


def _step_row(mix, number, step):
    total = step.stats.total
    return {
        "mix": MIXES[mix],
        "step": number,
        "offered req/s": step.offered,
        "served req/s": step.achieved,
        "requests": total.requests,
        "failures": total.failures,
        "p50 ms": total.p50_ms,
        "p95 ms": total.p95_ms,
        "p99 ms": total.p99_ms,
        "p95 within 1 s": step.verdict,
        "database check": _check(step),
        "CPU cores app / db / Locust / other": _cpu(step),
    }


def _bound(step, workers):
    """What held the step that went over back, read from where the CPU went."""
    if step is None:
        return "no step went over within the time budget"
    cpu, cores = step.cpu, os.cpu_count() or 1
    parts = (
        f"app {cpu['app']}, db {cpu['db']}, Locust {cpu['locust']}, "
        f"other {cpu['other']} of {cores} cores"
    )
    if cpu["app"] >= 0.8 * min(workers, cores):
        return f"the workers' Python, busy all the time ({parts})"
    if cpu["locust"] >= 0.8:
        return f"the load generator, one core busy ({parts})"
    if cpu["machine"] >= 0.9 * cores and cpu["other"] >= 0.5 * cores:
        return (
            "the machine's CPU: every core was busy, most of it with other work, so "
            "the workers (and the database) waited for a core at every step of a "
            f"request ({parts})"
        )
    if cpu["machine"] >= 0.9 * cores:
        return (
            "the machine's CPU: every core was busy with the workers, the database "
            f"and the load generator together ({parts})"
        )
    return f"waiting, neither the workers nor the machine were busy ({parts})"


def _summary_rows(result):
    rows = []
    for mix, the_ramp in (("submit", result.submit), ("bare", result.bare)):
        within, over = the_ramp.last_within, the_ramp.first_over
        rows.append(
            {
                "mix": MIXES[mix],
                "step": "saturation",
                "offered req/s": within.offered if within else "none within",
                "served req/s": within.achieved if within else "",
                "p95 ms": within.p95_ms if within else "",
                "p95 within 1 s": (
                    f"over from {over.offered} req/s (p95 {over.p95_ms} ms)"
                    if over
                    else "no step over"
                ),
            }
        )
    for mix, the_ramp in (("submit", result.submit), ("bare", result.bare)):
        rows.append(
            {
                "mix": MIXES[mix],
                "step": "most served",
                "served req/s": the_ramp.most_served,
            }
        )
    ratio = result.ratio
    submit_most = result.submit.most_served
    rows.append(
        {
            "mix": "ratio bare view / submit mix",
            "step": "saturation; most served",
            "offered req/s": round(ratio, 1) if ratio else "n/a",
            "served req/s": (
                round(result.bare.most_served / submit_most, 1)
                if submit_most
                else "n/a"
            ),
        }
    )
    return rows


def _notes(result, *, submit_seconds, bare_seconds):
    method = METHOD.format(
        workers=result.workers,
        submit_seconds=submit_seconds,
        bare_seconds=bare_seconds,
        cores=os.cpu_count(),
    )
    lines = []
    for mix, the_ramp in (("submit", result.submit), ("bare", result.bare)):
        within, over = the_ramp.last_within, the_ramp.first_over
        rate = (
            f"{within.offered} req/s (p95 {within.p95_ms} ms)"
            if within
            else "below the first step"
        )
        first_over = f", over from {over.offered} req/s" if over else ""
        lines.append(
            f"- {MIXES[mix].capitalize()} at saturation: {rate}{first_over}; most "
            f"served {the_ramp.most_served} req/s; bounded by "
            f"{_bound(over, result.workers)}."
            + (
                f" This ramp stopped early: {the_ramp.stopped}."
                if the_ramp.stopped
                else ""
            )
        )
    ratio = result.ratio
    failures = result.submit.failures + result.bare.failures
    checks = [s.check for s in result.submit.steps if s.check is not None]
    lines.append(
        "- Ratio (bare view / submit mix): "
        + (f"{ratio:.1f}." if ratio else "not measured.")
        + f" Failed requests over every step: {failures}. Database check: "
        + (
            "passed at every submit step."
            if checks and all(c.ok for c in checks)
            else "FAILED at a step (see the table)."
        )
    )
    timings = result.timings
    lines.append(
        f"- Preparing the database took {timings.get('prepare_s')} s, the ramps "
        f"{round(timings.get('total_s', 0) - timings.get('ready_s', 0), 1)} s. Load "
        f"average before the run {_load(result.load_before)}, after "
        f"{_load(result.load_after)}."
    )
    return method + "\n".join(lines) + "\n"


def _load(values):
    return " ".join(f"{value:.1f}" for value in values)


def run(workers=2, submit_seconds=15, bare_seconds=10, budget=270) -> list[dict]:
    """Both ramps; one row per step, then the rates at saturation and their ratio."""
    global NOTES
    try:
        result = ramp.run_ramp(
            workers=workers,
            submit_seconds=submit_seconds,
            bare_seconds=bare_seconds,
            budget_seconds=budget,
        )
    except (harness.LoadTestError, OSError) as error:
        # PostgreSQL or a process is missing: a benchmark reports, it does not fail.
        print(f"ramp not run: {error}")
        NOTES = ""
        return [{"mix": "not run", "step": str(error).splitlines()[0]}]
    rows = []
    for mix, the_ramp in (("submit", result.submit), ("bare", result.bare)):
        numbered = list(enumerate(the_ramp.steps, start=1))
        for number, step in sorted(numbered, key=lambda pair: pair[1].offered):
            rows.append(_step_row(mix, number, step))
    rows += _summary_rows(result)
    NOTES = _notes(result, submit_seconds=submit_seconds, bare_seconds=bare_seconds)
    print(NOTES)
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--submit-seconds", type=int, default=15)
    parser.add_argument("--bare-seconds", type=int, default=10)
    parser.add_argument("--budget", type=int, default=270)
    args = parser.parse_args(argv)
    rows = run(
        workers=args.workers,
        submit_seconds=args.submit_seconds,
        bare_seconds=args.bare_seconds,
        budget=args.budget,
    )
    for row in rows:
        print(" | ".join(f"{key}: {value}" for key, value in row.items()))


if __name__ == "__main__":
    main()
