"""Run the deadline rush end to end, on loopback, and clean up after itself.

``run_load(residents=200, assessors=5, ...)``:

1. creates a fresh PostgreSQL database ``initiatiefloket_load_<pid>`` on
   127.0.0.1:5432 (user postgres, trust auth) and, in a subprocess with
   ``bench.load.settings``, migrates it, seeds the demo and prepares the residents
   and assessors (``bench/load/prepare.py``);
2. starts ``gunicorn portal.wsgi:application`` on 127.0.0.1 and a free port;
3. optionally warms the workers up with a few residents, then runs a baseline: a
   few residents, one at a time without think time, and one assessor, so the same
   pages are timed without load;
4. runs the rush: Locust headless in a subprocess (``bench/load/locustfile.py``),
   all residents and assessors at once, bounded by ``seconds``;
5. reads Locust's CSV statistics (requests/s, p50/p95/p99 per page, failures) and
   checks the database: the applications of the load residents that are
   ``ingediend`` are exactly those whose submit got the success redirect, each
   submitted once (one ``submit`` row in the transition log), no success twice;
6. always stops gunicorn, drops the database and removes its temporary directory.

Only the standard library and psycopg are imported here: gevent (Locust) lives in
the Locust subprocess alone.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import psycopg

from .results import (
    DatabaseCheck,
    LoadResult,
    page_rows,
    read_stats,
    summary,
)

__all__ = ["LoadTestError", "check_database", "page_rows", "run_load", "summary"]

ROOT = Path(__file__).resolve().parents[2]
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
HOST = "127.0.0.1"
ADMIN_URL = f"postgresql://postgres@{HOST}:5432/postgres"
#: Residents that warm every worker up first (their figures are not used), and
#: residents that then go one at a time for the figures without load.
WARMUP_RESIDENTS = 6
BASELINE_RESIDENTS = 6


class LoadTestError(RuntimeError):
    """A step of the harness failed; the message says which and shows the log."""


# --- the database -----------------------------------------------------------------------


def _admin(sql):
    try:
        with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=10) as db:
            db.execute(sql)
    except psycopg.Error as error:
        raise LoadTestError(f"PostgreSQL at {HOST}:5432: {error}") from error


def create_database(name):
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{name}"')


def drop_database(name):
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def check_database(database_url, references, successes):
    """Compare the applications of ``references`` with the successful submits."""
    counts = Counter(successes)
    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            """
            SELECT a.reference, a.status,
                   (SELECT count(*) FROM subsidies_transitionlog t
                     WHERE t.application_id = a.id AND t.transition = 'submit')
              FROM subsidies_application a
             WHERE a.reference = ANY(%s)
            """,
            (list(references),),
        ).fetchall()
    submitted = {reference for reference, status, _n in rows if status == "ingediend"}
    return DatabaseCheck(
        residents=len(references),
        successes=len(counts),
        submitted_in_db=len(submitted),
        duplicates_in_successes=sorted(r for r, n in counts.items() if n > 1),
        submitted_without_success=sorted(submitted - set(counts)),
        success_not_submitted=sorted(set(counts) - submitted),
        submitted_more_than_once=sorted(r for r, _s, n in rows if n > 1),
    )


# --- processes ---------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _environment(database_url, files):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "LOAD_"))
    }
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="bench.load.settings",
        LOAD_MEDIA_ROOT=str(files),
        PYTHONPATH=str(ROOT),
        PYTHONUNBUFFERED="1",
    )
    return env


def _tail(path, lines=30):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _run(command, *, env, log, timeout, what):
    with open(log, "ab") as output:
        try:
            completed = subprocess.run(
                command,
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise LoadTestError(f"{what}: no result after {timeout} s") from error
    if completed.returncode != 0:
        raise LoadTestError(
            f"{what} failed (exit {completed.returncode}):\n{_tail(log)}"
        )


def start_gunicorn(*, env, port, workers, log):
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        "python:portal.gunicorn_conf",
        "portal.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "60",
        "--graceful-timeout",
        "5",
        "--log-level",
        "warning",
    ]
    output = open(log, "ab")  # noqa: SIM115 - closed in stop_gunicorn
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    process.log_handle = output
    return process


def wait_until_ready(process, url, log, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise LoadTestError(
                f"gunicorn stopped (exit {process.returncode}):\n{_tail(log)}"
            )
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise LoadTestError(f"gunicorn did not answer {url} within {timeout} s")


def stop_gunicorn(process):
    if process is None:
        return
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    process.log_handle.close()


# --- Locust ------------------------------------------------------------------------------


def run_locust(*, env, host, plan, out, residents, assessors, seconds, arrivals, think):
    """One headless Locust run; returns its statistics. Locust starts every user at
    once; the residents then arrive ``arrivals`` per second (see the locustfile)."""
    out.mkdir(parents=True, exist_ok=True)
    env = {
        **env,
        "LOAD_PLAN": str(plan),
        "LOAD_OUT": str(out),
        "LOAD_RESIDENTS": str(residents),
        "LOAD_ASSESSORS": str(assessors),
        "LOAD_THINK": str(think),
        "LOAD_ARRIVALS": str(arrivals),
    }
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--users",
        str(residents + assessors),
        "--spawn-rate",
        "100",
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        "10",
        "--host",
        host,
        "--csv",
        str(out / "stats"),
        "--only-summary",
        "--exit-code-on-error",
        "0",
        "--loglevel",
        "WARNING",
    ]
    started = time.perf_counter()
    _run(
        command,
        env=env,
        log=out / "locust.log",
        timeout=seconds + 120,
        what="locust",
    )
    took = time.perf_counter() - started
    return read_stats(out, seconds=took)


def _split_plan(plan_path, sizes):
    """Write one plan per part (``sizes``: part name -> residents, in order)."""
    plan = json.loads(plan_path.read_text())
    residents = plan["residents"]
    paths, first = {}, 0
    for name, size in sizes.items():
        paths[name] = plan_path.with_name(f"plan-{name}.json")
        part = {**plan, "residents": residents[first : first + size]}
        paths[name].write_text(json.dumps(part))
        first += size
    return paths, [r["reference"] for r in residents]


# --- everything --------------------------------------------------------------------------


def check_tools():
    """Locust and gunicorn must be installed (the ``load`` extra); not imported here."""
    missing = [
        name
        for name in ("locust", "gunicorn")
        if importlib.util.find_spec(name) is None
    ]
    if missing:
        raise LoadTestError(
            f"not installed: {', '.join(missing)} (pip install -e '.[load]')"
        )


def run_load(
    *,
    residents=200,
    assessors=5,
    seconds=180,
    think=3.0,
    arrivals=2.0,
    workers=3,
    baseline=True,
    keep_logs=None,
):
    """Run the rush and return a ``LoadResult``; raises ``LoadTestError`` on a
    harness failure. ``keep_logs``: a directory to copy the logs and CSVs to."""
    check_tools()
    name = f"initiatiefloket_load_{os.getpid()}"
    database_url = f"postgres://postgres@{HOST}:5432/{name}"
    work = Path(tempfile.mkdtemp(prefix="initiatiefloket-load-"))
    env = _environment(database_url, work / "files")
    timings = {}
    gunicorn, created = None, False
    try:
        started = time.perf_counter()
        create_database(name)
        created = True
        sizes = {"rush": residents}
        if baseline:
            sizes = {
                "warmup": WARMUP_RESIDENTS,
                "baseline": BASELINE_RESIDENTS,
                **sizes,
            }
        plan = work / "plan.json"
        _run(
            [
                sys.executable,
                "-m",
                "bench.load.prepare",
                "--plan",
                str(plan),
                "--residents",
                str(sum(sizes.values())),
                "--assessors",
                str(assessors),
                "--closes-in",
                str(seconds + 600),
            ],
            env=env,
            log=work / "prepare.log",
            timeout=900,
            what="preparing the database",
        )
        plans, references = _split_plan(plan, sizes)
        timings["prepare_s"] = round(time.perf_counter() - started, 1)

        port = free_port()
        host = f"http://{HOST}:{port}"
        gunicorn = start_gunicorn(
            env=env, port=port, workers=workers, log=work / "gunicorn.log"
        )
        wait_until_ready(gunicorn, f"{host}/inloggen/", work / "gunicorn.log")
        for path in ("/", "/aanvragen/", "/initiatievenfonds/", "/inloggen/") * workers:
            urllib.request.urlopen(f"{host}{path}", timeout=30).close()

        baseline_stats, successes = None, []
        if baseline:
            started = time.perf_counter()
            for part, arrivals_per_s in (("warmup", 3.0), ("baseline", 0.5)):
                stats = run_locust(
                    env=env,
                    host=host,
                    plan=plans[part],
                    out=work / part,
                    residents=sizes[part],
                    assessors=1,
                    seconds=120,
                    arrivals=arrivals_per_s,
                    think=0.05,
                )
                successes += stats.successes
            baseline_stats = stats
            timings["warmup_and_baseline_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        rush = run_locust(
            env=env,
            host=host,
            plan=plans["rush"],
            out=work / "rush",
            residents=residents,
            assessors=assessors,
            seconds=seconds,
            arrivals=arrivals,
            think=think,
        )
        timings["rush_s"] = round(time.perf_counter() - started, 1)
        check = check_database(database_url, references, successes + rush.successes)
        server_errors = sum(
            row["occurrences"] for row in rush.failures if "status 5" in row["error"]
        )
        return LoadResult(
            residents=residents,
            assessors=assessors,
            workers=workers,
            rush=rush,
            baseline=baseline_stats,
            check=check,
            server_errors=server_errors,
            timings=timings,
        )
    finally:
        stop_gunicorn(gunicorn)
        try:
            if created:
                drop_database(name)
        finally:
            if keep_logs is not None:
                shutil.copytree(work, keep_logs, dirs_exist_ok=True)
            shutil.rmtree(work, ignore_errors=True)
