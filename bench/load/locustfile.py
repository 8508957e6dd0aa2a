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

import gevent
from locust import HttpUser, between, events, task
from locust.exception import StopUser

from bench.load.journey import BUDGET, DOUBLE_CLICK_EVERY, IMPACT, write_summary

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


class Page:
    """Requests with a check: a page must answer 200, a form post must redirect."""

    def __init__(self, user):
        self.client = user.client

    def csrf(self):
        return self.client.cookies.get("csrftoken", "")

    def get(self, url, name):
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
                return None
            return response

    def post(self, url, name, data, expect=""):
        """POST a form; returns the redirect target, or None (marked as a failure)."""
        data = {**data, "csrfmiddlewaretoken": self.csrf()}
        with self.client.post(
            url, data=data, name=name, allow_redirects=False, catch_response=True
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302:
                response.failure(f"status {response.status_code}, no redirect")
                return None
            if expect and not location.endswith(expect):
                response.failure(f"redirected to {location}")
                return None
            return location


def _record_submission(reference):
    with (OUT / f"submitted-{os.getpid()}.txt").open("a") as handle:
        handle.write(reference + "\n")


class Resident(HttpUser):
    fixed_count = int(os.environ.get("LOAD_RESIDENTS", "0"))
    wait_time = _think()

    def on_start(self):
        number, self.plan = next(_residents, (0, None))
        if self.plan is None:
            raise StopUser()
        self.double_clicks = number % DOUBLE_CLICK_EVERY == 0
        self.page = Page(self)
        # Locust starts every user at once; residents arrive on their own schedule.
        started = _environment.get("started", time.monotonic())
        gevent.sleep(max(0.0, (number - 1) / ARRIVALS - (time.monotonic() - started)))

    @task
    def fill_in_and_submit(self):
        try:
            self.journey()
        finally:
            _finished["count"] += 1
            if _finished["count"] >= len(PLAN["residents"]):
                gevent.spawn_later(0.5, self.environment.runner.quit)
        raise StopUser()

    def step(self, slug):
        return f"/mijn-aanvragen/{self.plan['reference']}/invullen/{slug}/"

    def journey(self):
        page = self.page
        login = self.plan["login"]
        if page.get(login, "inloggen: link openen") is None:
            return
        token = login.split("?t=", 1)[1]
        if not page.post(
            "/inloggen/link/", "inloggen: knop", {"t": token}, "/mijn-aanvragen/"
        ):
            return
        self.wait()
        page.get("/mijn-aanvragen/", "mijn aanvragen")
        self.wait()
        for slug, data in (("impact", IMPACT), ("begroting", BUDGET)):
            page.get(self.step(slug), f"stap {slug}")
            self.wait()
            if not page.post(self.step(slug), f"stap {slug} opslaan", data):
                return
        page.get(self.step("bijlagen"), "stap bijlagen")
        # "Volgende" without a file: the browser sends the kind select's default.
        documents = {"kind": "draagvlak", "action": "next"}
        if not page.post(self.step("bijlagen"), "stap bijlagen opslaan", documents):
            return
        page.get(self.step("controle"), "stap controle")
        self.wait()
        self.submit()
        page.get(f"/mijn-aanvragen/{self.plan['reference']}/", "statuspagina")

    def submit(self):
        url, received = self.step("controle"), "/ontvangen/"
        data = {"truthful_declaration": "on", "decisions_by_email": "on"}
        if not self.double_clicks:
            if self.page.post(url, "indienen", data, received):
                _record_submission(self.plan["reference"])
            return
        # A double click: two submits at once. Both get the receipt page (the one
        # that loses the race finds the application sent), never a server error; the
        # database check then finds one submission.
        clicks = [gevent.spawn(self.double_click, url, data, received) for _ in "12"]
        gevent.joinall(clicks)
        if any(click.value for click in clicks):
            _record_submission(self.plan["reference"])

    def double_click(self, url, data, received):
        """One POST of a double click; returns True when it got the receipt page."""
        data = {**data, "csrfmiddlewaretoken": self.page.csrf()}
        with self.client.post(
            url,
            data=data,
            name="indienen (dubbelklik)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code >= 500:
                response.failure(f"status {response.status_code}")
                return False
            response.success()
            return response.headers.get("Location", "").endswith(received)


class Assessor(HttpUser):
    fixed_count = int(os.environ.get("LOAD_ASSESSORS", "0"))
    wait_time = _think()

    def on_start(self):
        self.page = Page(self)
        self.details = []
        account = next(_assessors)
        self.page.get("/admin/login/", "admin: inloggen")
        if not self.page.post(
            "/admin/login/",
            "admin: inloggen opslaan",
            {"username": account["email"], "password": account["password"]},
        ):
            raise StopUser()

    @task(3)
    def queue(self):
        response = self.page.get("/admin/beoordelen/", "beoordelen: wachtrij")
        if response is not None:
            self.details = DETAIL.findall(response.text) or self.details

    @task(2)
    def new_applications(self):
        self.page.get("/admin/beoordelen/?status=ingediend", "beoordelen: nieuw")

    @task(2)
    def application(self):
        if self.details:
            self.page.get(random.choice(self.details), "beoordelen: aanvraag")
