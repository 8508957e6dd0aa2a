"""The deadline rush at saturation: step the offered rate up until p95 passes 1 s,
for the resident submit mix and for a bare view, on the same gunicorn server.

``run_ramp(workers=2, ...)``:

1. creates a fresh PostgreSQL database ``bench_rush_<pid>`` on 127.0.0.1:5432 and
   prepares it as the smoke stage does (``bench/load/prepare.py --no-demo``: migrate,
   the reference data and open rounds, residents with a concept application; the
   demo's applications would add half a minute, and a resident's pages read the
   resident's own application); more residents are made between steps when a step
   needs more than are left;
2. starts ``gunicorn`` (``workers`` sync workers) with the load-test settings and
   ``bench.load.urls``, which adds the bare view ``/bench/kaal/``; warms it up with a
   few residents whose figures are not used;
3. ramps the resident submit mix (``bench/load/rampfile.py``): each step is one Locust
   run of ``submit_seconds`` in which fresh residents arrive evenly, so that their
   journeys offer the step's rate in requests per second; the rate doubles until a
   step is *over* (p95 above 1 s, or its steady part, the last two thirds of the
   arrival window, served less than 90% of the offered rate), then the interval
   between the last step within and the first over is halved ``bisections`` times;
4. ramps the bare view the same way (``bare_seconds`` a step), starting at four
   times the submit mix's rate within;
5. per step: the offered rate and the rate served in the steady part, p50/p95/p99, the failures, the CPU the
   gunicorn workers, the database's connections, Locust and the rest of the machine
   used (in cores), and for the submit mix the database check of that step's
   residents (``harness.check_database``);
6. always stops gunicorn and drops the database.

A benchmark records; nothing here fails on a timing. ``budget_seconds`` bounds the
ramps (not the preparation): when it is spent, no further step starts.
"""

from __future__ import annotations

import json
import math
import os
import resource
import shutil
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from . import harness
from .journey import MEAN_JOURNEY_REQUESTS
from .results import DatabaseCheck, RunStats, read_stats

__all__ = ["LIMIT_MS", "Ramp", "RampResult", "Step", "run_ramp"]

RAMPFILE = Path(__file__).with_name("rampfile.py")
#: The mark of saturation: the step's p95 over every request passes this.
LIMIT_MS = 1000
#: A step whose steady part served fewer requests per second than this share of the
#: offered rate is over too: the server (or the load generator) did not keep up, and
#: only the shortness of the step kept its p95 down.
MIN_SERVED = 0.9
#: The steady part of a step: from this share of the arrival window to its end
#: (the first journeys have ended by then, the queue has had time to grow).
STEADY_FROM = 1 / 3
#: After the last resident arrives, the journeys under way may take this long.
DRAIN_SECONDS = 40
#: Residents that warm each worker up before the first step.
WARMUP_RESIDENTS = 4
MAX_DOUBLINGS = 7
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# --- CPU, from /proc ---------------------------------------------------------------------


def _cpu_seconds(pid):
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = text.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


def _children(pid):
    try:
        return [
            int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        ]
    except OSError:
        return []


def _machine_busy_seconds():
    """CPU seconds the whole machine was busy (every core, every process)."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().split()[1:9]]
    except OSError:
        return 0.0
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values) - idle) / CLOCK_TICKS


def _database_backends(database):
    """The server processes of this database's connections (the workers' pools)."""
    try:
        with psycopg.connect(harness.ADMIN_URL, autocommit=True) as db:
            rows = db.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", (database,)
            ).fetchall()
    except psycopg.Error:
        return []
    return [pid for (pid,) in rows]


class CpuMeter:
    """CPU used during one step: gunicorn's processes, this database's server
    processes, the Locust child and the whole machine, in seconds."""

    def __init__(self, gunicorn_pid, database):
        self.gunicorn_pid = gunicorn_pid
        self.database = database

    def _app(self):
        pids = [self.gunicorn_pid, *_children(self.gunicorn_pid)]
        return {pid: _cpu_seconds(pid) for pid in pids}

    def _db(self):
        return {pid: _cpu_seconds(pid) for pid in _database_backends(self.database)}

    def start(self):
        self.started = time.perf_counter()
        self.app, self.db = self._app(), self._db()
        self.machine = _machine_busy_seconds()
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.children = usage.ru_utime + usage.ru_stime

    def stop(self):
        wall = time.perf_counter() - self.started
        app, db = self._app(), self._db()
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)

        def used(before, after):
            # A process that began during the step used all its CPU in it.
            return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())

        cores = {
            "app": used(self.app, app) / wall,
            "db": used(self.db, db) / wall,
            "locust": (usage.ru_utime + usage.ru_stime - self.children) / wall,
            "machine": (_machine_busy_seconds() - self.machine) / wall,
        }
        cores["other"] = max(
            0.0, cores["machine"] - cores["app"] - cores["db"] - cores["locust"]
        )
        return {key: round(value, 2) for key, value in cores.items()}


# --- results -----------------------------------------------------------------------------


@dataclass
class Step:
    mix: str
    offered: float
    seconds: float
    stats: RunStats
    cpu: dict[str, float]
    #: Requests served per second in the steady part of the step.
    steady: float
    check: DatabaseCheck | None = None

    @property
    def p95_ms(self):
        return self.stats.total.p95_ms

    @property
    def served(self):
        """The steady rate served over the offered rate."""
        return self.steady / self.offered if self.offered else 0.0

    @property
    def achieved(self):
        return self.steady

    @property
    def within(self):
        return self.p95_ms <= LIMIT_MS and self.served >= MIN_SERVED

    @property
    def verdict(self):
        reasons = []
        if self.p95_ms > LIMIT_MS:
            reasons.append("p95 > 1 s")
        if self.served < MIN_SERVED:
            reasons.append(f"served {self.served:.0%}")
        return "over: " + ", ".join(reasons) if reasons else "within"


@dataclass
class Ramp:
    mix: str
    steps: list[Step] = field(default_factory=list)
    #: Why the ramp stopped before it had bisected (the time budget), or "".
    stopped: str = ""

    @property
    def most_served(self):
        return max((s.steady for s in self.steps), default=0.0)

    @property
    def last_within(self):
        inside = [s for s in self.steps if s.within]
        return max(inside, key=lambda s: s.offered) if inside else None

    @property
    def first_over(self):
        within = self.last_within
        floor = within.offered if within else 0
        over = [s for s in self.steps if not s.within and s.offered > floor]
        return min(over, key=lambda s: s.offered) if over else None

    @property
    def failures(self):
        return sum(s.stats.total.failures for s in self.steps)


@dataclass
class RampResult:
    workers: int
    submit: Ramp
    bare: Ramp
    timings: dict[str, float]
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]

    @property
    def ratio(self):
        within_submit, within_bare = self.submit.last_within, self.bare.last_within
        if not (within_submit and within_bare):
            return None
        return within_bare.offered / within_submit.offered


# --- running ---------------------------------------------------------------------------


class _Server:
    """The prepared database, gunicorn on it, and the residents not used yet."""

    def __init__(self, *, work, env, database, database_url, closes_in):
        self.work, self.env = work, env
        self.database, self.database_url = database, database_url
        self.closes_in = closes_in
        self.residents, self.made = [], 0
        self.gunicorn, self.host = None, ""
        self.steps = 0

    def prepare(self, count, *, setup):
        plan = self.work / f"residents-{self.made}.json"
        command = [
            sys.executable,
            "-m",
            "bench.load.prepare",
            "--plan",
            str(plan),
            "--residents",
            str(count),
            "--first",
            str(self.made),
            "--closes-in",
            str(self.closes_in),
            "--assessors",
            "0",
        ]
        command.append("--no-demo" if setup else "--no-setup")
        harness._run(
            command,
            env=self.env,
            log=self.work / "prepare.log",
            timeout=900,
            what="preparing the database",
        )
        self.residents += json.loads(plan.read_text())["residents"]
        self.made += count

    def take(self, count):
        if len(self.residents) < count:
            self.prepare(max(count - len(self.residents), 50), setup=False)
        taken, self.residents = self.residents[:count], self.residents[count:]
        return taken

    def start(self, workers):
        port = harness.free_port()
        self.host = f"http://{harness.HOST}:{port}"
        log = self.work / "gunicorn.log"
        self.gunicorn = harness.start_gunicorn(
            env=self.env, port=port, workers=workers, log=log
        )
        harness.wait_until_ready(self.gunicorn, f"{self.host}/bench/kaal/", log)
        for path in ("/bench/kaal/", "/", "/inloggen/") * workers:
            urllib.request.urlopen(f"{self.host}{path}", timeout=30).close()

    def locust(self, *, mix, rate, seconds, residents=()):
        """One step: a Locust run of ``mix`` at ``rate`` requests per second."""
        self.steps += 1
        out = self.work / f"step-{self.steps}-{mix}"
        out.mkdir(parents=True)
        env = {
            **self.env,
            "LOAD_MIX": mix,
            "LOAD_RATE": str(rate),
            "LOAD_OUT": str(out),
        }
        if mix == "submit":
            plan = out / "plan.json"
            plan.write_text(json.dumps({"residents": list(residents)}))
            env["LOAD_PLAN"] = str(plan)
            users, user_class = len(residents), "Resident"
            run_time, stop_timeout = seconds + DRAIN_SECONDS, 60
        else:
            # Two seconds past the steady part: its last requests end inside the run.
            users, user_class = max(1, round(rate)), "Visitor"
            run_time, stop_timeout = seconds + 2, 10
        command = [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(RAMPFILE),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(max(100, users * 4)),
            "--run-time",
            f"{math.ceil(run_time)}s",
            "--stop-timeout",
            str(stop_timeout),
            "--host",
            self.host,
            "--only-summary",
            "--exit-code-on-error",
            "0",
            "--loglevel",
            "WARNING",
            user_class,
        ]
        meter = CpuMeter(self.gunicorn.pid, self.database)
        meter.start()
        started = time.perf_counter()
        harness._run(
            command,
            env=env,
            log=out / "locust.log",
            timeout=run_time + stop_timeout + 120,
            what=f"locust ({mix} at {rate} req/s)",
        )
        cpu = meter.stop()
        stats = read_stats(out, seconds=time.perf_counter() - started)
        return stats, cpu, _steady_rate(out / "ended.json", seconds)


def _steady_rate(path, seconds):
    """Requests that ended per second between ``STEADY_FROM`` of the arrival window
    and its end: the offered rate while the server keeps up, its capacity when not."""
    ended = json.loads(path.read_text())
    begin = seconds * STEADY_FROM
    served = sum(1 for t in ended if begin <= t < seconds)
    return round(served / (seconds - begin), 1)


def _submit_step(server, rate, seconds):
    count = max(1, round(rate / MEAN_JOURNEY_REQUESTS * seconds))
    residents = server.take(count)
    stats, cpu, steady = server.locust(
        mix="submit", rate=rate, seconds=seconds, residents=residents
    )
    check = harness.check_database(
        server.database_url, [r["reference"] for r in residents], stats.successes
    )
    return Step("submit", round(rate, 1), seconds, stats, cpu, steady, check)


def _bare_step(server, rate, seconds):
    users = max(1, round(rate))
    stats, cpu, steady = server.locust(mix="bare", rate=users, seconds=seconds)
    return Step("bare", float(users), seconds, stats, cpu, steady)


def _ramp(mix, measure, start, *, bisections, deadline, log):
    """Double from ``start`` until a step is over, then bisect; never past ``deadline``."""
    ramp = Ramp(mix)

    def step(rate):
        result = measure(rate)
        ramp.steps.append(result)
        log(
            f"{mix} {result.offered} req/s: achieved {result.achieved}, "
            f"p95 {result.p95_ms} ms, failures {result.stats.total.failures}, "
            f"cpu {result.cpu}, {result.verdict}"
        )
        return result

    def out_of_time():
        if time.monotonic() > deadline:
            ramp.stopped = "the time budget ran out"
        return bool(ramp.stopped)

    rate = start
    for _ in range(MAX_DOUBLINGS):
        if out_of_time():
            return ramp
        if not step(rate).within:
            break
        rate *= 2
    # Already over at the start: halve until a step is within.
    while ramp.last_within is None and rate > 1 and not out_of_time():
        rate /= 2
        step(rate)
    for _ in range(bisections):
        within, over = ramp.last_within, ramp.first_over
        if within is None or over is None or out_of_time():
            break
        step(round((within.offered + over.offered) / 2, 1))
    return ramp


def run_ramp(
    *,
    workers=2,
    submit_start=12.0,
    submit_seconds=15,
    bare_seconds=10,
    bisections=2,
    budget_seconds=270,
    keep_logs=None,
    log=print,
):
    """Both ramps on one server; returns a ``RampResult``. Raises
    ``harness.LoadTestError`` when PostgreSQL, gunicorn or Locust is missing or fails."""
    harness.check_tools()
    began = time.monotonic()
    load_before = os.getloadavg()
    database = f"bench_rush_{os.getpid()}"
    database_url = f"postgres://postgres@{harness.HOST}:5432/{database}"
    work = Path(tempfile.mkdtemp(prefix="initiatiefloket-ramp-"))
    env = harness._environment(database_url, work / "files")
    env["LOAD_URLCONF"] = "bench.load.urls"
    server = _Server(
        work=work,
        env=env,
        database=database,
        database_url=database_url,
        closes_in=budget_seconds + 900,
    )
    timings, created = {}, False
    try:
        harness.create_database(database)
        created = True
        first = WARMUP_RESIDENTS + round(
            submit_start / MEAN_JOURNEY_REQUESTS * submit_seconds * 7
        )
        server.prepare(first, setup=True)
        timings["prepare_s"] = round(time.monotonic() - began, 1)
        server.start(workers)
        server.locust(
            mix="submit",
            rate=submit_start,
            seconds=2,
            residents=server.take(WARMUP_RESIDENTS),
        )
        timings["ready_s"] = round(time.monotonic() - began, 1)
        deadline = time.monotonic() + budget_seconds
        # The submit mix gets the first 60% of what is left, the bare view the rest.
        submit_deadline = time.monotonic() + 0.6 * (deadline - time.monotonic())
        submit = _ramp(
            "submit",
            lambda rate: _submit_step(server, rate, submit_seconds),
            submit_start,
            bisections=bisections,
            deadline=submit_deadline,
            log=log,
        )
        timings["submit_ramp_s"] = round(
            time.monotonic() - began - timings["ready_s"], 1
        )
        within = submit.last_within
        bare_start = 4 * (within.offered if within else submit_start)
        bare = _ramp(
            "bare",
            lambda rate: _bare_step(server, rate, bare_seconds),
            bare_start,
            bisections=bisections,
            deadline=deadline,
            log=log,
        )
        timings["total_s"] = round(time.monotonic() - began, 1)
        return RampResult(
            workers=workers,
            submit=submit,
            bare=bare,
            timings=timings,
            load_before=load_before,
            load_after=os.getloadavg(),
        )
    finally:
        harness.stop_gunicorn(server.gunicorn)
        try:
            if created:
                harness.drop_database(database)
        finally:
            if keep_logs is not None:
                shutil.copytree(work, keep_logs, dirs_exist_ok=True)
            shutil.rmtree(work, ignore_errors=True)
