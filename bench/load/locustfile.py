"""The deadline rush as Locust users. Loaded only by the Locust subprocess the
harness starts (``bench/load/harness.py``); never import it elsewhere (gevent).

``Resident`` (``LOAD_RESIDENTS`` of them, arriving ``LOAD_ARRIVALS`` per second, the
first at once): opens its login link and presses the button, looks at "Mijn
aanvragen", fills the impact step and the budget with valid data, passes the
documents step, submits on the last step and opens its status page; then it stops.
Every tenth resident double-clicks the submit button: two POSTs at once, named
"indienen (dubbelklik)". Each submit answered with the redirect to the receipt page
is a success (a double click counts once) and its reference is appended to ``$LOAD_OUT/submitted-<pid>.txt``; the
harness compares those with the database afterwards.

``Assessor`` (``LOAD_ASSESSORS``): logs in to the admin with the demo password and
works the queue at /admin/beoordelen/: the queue, the queue filtered on new
applications, and the detail page of an application from it, until the run ends.

The requests and the resident's visit are ``bench/load/resident.py``'s, shared with
the ramp (``rampfile.py``).

When every resident has finished, the run ends (the harness also bounds it with
``-t``). ``LOAD_THINK`` is the mean think time between pages in seconds.
"""

import itertools
import json
import os
import random
import re
import time
from pathlib import Path

from locust import HttpUser, between, events, task
from locust.exception import StopUser

from bench.load.journey import write_summary
from bench.load.resident import Requests, ResidentVisit

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
OUT = Path(os.environ["LOAD_OUT"])
THINK = float(os.environ.get("LOAD_THINK", "1"))
ARRIVALS = float(os.environ.get("LOAD_ARRIVALS", "2"))
DETAIL = re.compile(r'href="(/admin/beoordelen/\d+/)"')

_residents = iter(enumerate(PLAN["residents"], start=1))
_assessors = itertools.cycle(PLAN["assessors"])
_finished = {"count": 0}
_environment = {}


@events.init.add_listener
def _remember(environment, **_kwargs):
    _environment["environment"] = environment


@events.test_start.add_listener
def _start_clock(**_kwargs):
    _environment["started"] = time.monotonic()


@events.quit.add_listener
def _write_summary(**_kwargs):
    """The final figures, after the last request (the CSV files may lag a second)."""
    write_summary(_environment["environment"].stats, OUT / "summary.json")


def _think():
    return between(0.5 * THINK, 1.5 * THINK)


class Resident(ResidentVisit, HttpUser):
    out = OUT
    fixed_count = int(os.environ.get("LOAD_RESIDENTS", "0"))
    wait_time = _think()

    def on_start(self):
        started = _environment.get("started", time.monotonic())
        self.arrive(_residents, arrivals=ARRIVALS, started=started)

    @task
    def fill_in_and_submit(self):
        self.visit_once(_finished, total=len(PLAN["residents"]), quit_after=0.5)

    def think(self):
        self.wait()


class Assessor(Requests, HttpUser):
    fixed_count = int(os.environ.get("LOAD_ASSESSORS", "0"))
    wait_time = _think()

    def on_start(self):
        self.details = []
        account = next(_assessors)
        self.get("/admin/login/", "admin: inloggen")
        if not self.post(
            "/admin/login/",
            "admin: inloggen opslaan",
            {"username": account["email"], "password": account["password"]},
        ):
            raise StopUser()

    @task(3)
    def queue(self):
        response = self.get("/admin/beoordelen/", "beoordelen: wachtrij")
        if response is not None:
            self.details = DETAIL.findall(response.text) or self.details

    @task(2)
    def new_applications(self):
        self.get("/admin/beoordelen/?status=ingediend", "beoordelen: nieuw")

    @task(2)
    def application(self):
        if self.details:
            self.get(random.choice(self.details), "beoordelen: aanvraag")
