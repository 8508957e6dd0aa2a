"""One step of the ramp (``bench/load/ramp.py``) as Locust users: one mix at one
offered rate. Loaded only by the Locust subprocess; never import it elsewhere (gevent).

``LOAD_MIX=submit``: the resident submit mix. ``LOAD_RESIDENTS`` residents (the plan's)
arrive evenly at ``LOAD_RATE / MEAN_JOURNEY_REQUESTS`` per second, the first at once,
and each goes through the whole journey without thinking: open the login link, press
the button, "Mijn aanvragen", fill the impact and budget steps, pass the documents
step, submit on the last step (every tenth double-clicks: two POSTs at once, named
"indienen (dubbelklik)") and open the status page. A submit answered with the
redirect to the receipt page is a success; its reference goes to
``$LOAD_OUT/submitted-<pid>.txt`` for the database check. When the last resident is
done the run ends.

``LOAD_MIX=bare``: ``LOAD_RATE`` anonymous visitors each ask the bare view
(``/bench/kaal/``, ``bench/load/urls.py``) once a second, their first request spread
over the first second: an offered rate of ``LOAD_RATE`` requests per second, as long
as a request takes less than a second.

Both use Locust's FastHttpUser (geventhttpclient): it costs the load generator less
CPU per request than the requests-based HttpUser, which matters for the bare view.
"""

import json
import os
import random
import time
from pathlib import Path

import gevent
from locust import FastHttpUser, constant, events, task

from bench.load.journey import MEAN_JOURNEY_REQUESTS, write_summary
from bench.load.resident import ResidentVisit

MIX = os.environ["LOAD_MIX"]
RATE = float(os.environ["LOAD_RATE"])
OUT = Path(os.environ["LOAD_OUT"])
BARE = "/bench/kaal/"

PLAN = (
    json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
    if MIX == "submit"
    else {"residents": []}
)
_residents = iter(enumerate(PLAN["residents"], start=1))
_finished = {"count": 0}
_environment = {}
#: When each request ended, in seconds since the start: the harness counts the
#: requests served per second in the steady part of the step.
_ended = []


@events.init.add_listener
def _remember(environment, **_kwargs):
    _environment["environment"] = environment


@events.test_start.add_listener
def _start_clock(**_kwargs):
    _environment["started"] = time.monotonic()


@events.request.add_listener
def _request_ended(**_kwargs):
    _ended.append(time.monotonic() - _environment.get("started", 0.0))


@events.quit.add_listener
def _write_summary(**_kwargs):
    write_summary(_environment["environment"].stats, OUT / "summary.json")
    (OUT / "ended.json").write_text(json.dumps([round(t, 3) for t in _ended]))


class Resident(ResidentVisit, FastHttpUser):
    """One resident, one journey (``bench/load/resident.py``, without a pause between
    pages), then it stops."""

    out = OUT
    wait_time = constant(0)

    def on_start(self):
        started = _environment.get("started", time.monotonic())
        arrivals = RATE / MEAN_JOURNEY_REQUESTS
        self.arrive(_residents, arrivals=arrivals, started=started)

    @task
    def fill_in_and_submit(self):
        self.visit_once(_finished, total=len(PLAN["residents"]), quit_after=0.2)


class Visitor(FastHttpUser):
    """An anonymous visitor asking the bare view once a second, at its own phase
    within the second (Locust's ``constant_pacing`` would pace from the moment the
    user was spawned, and every visitor would ask in the same tenth of a second)."""

    def on_start(self):
        self.next_at = time.monotonic() + random.random()

    def wait_time(self):
        return max(0.0, self.next_at - time.monotonic())

    @task
    def bare(self):
        gevent.sleep(max(0.0, self.next_at - time.monotonic()))
        self.next_at += 1.0
        with self.client.get(BARE, name="kaal", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
