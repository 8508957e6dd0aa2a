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
from locust.exception import StopUser

from bench.load.journey import (
    BUDGET,
    DOUBLE_CLICK_EVERY,
    IMPACT,
    MEAN_JOURNEY_REQUESTS,
    write_summary,
)

MIX = os.environ["LOAD_MIX"]
RATE = float(os.environ["LOAD_RATE"])
OUT = Path(os.environ["LOAD_OUT"])
BARE = "/bench/kaal/"
RECEIVED = "/ontvangen/"

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


class Resident(FastHttpUser):
    """One resident, one journey, then it stops."""

    wait_time = constant(0)

    def on_start(self):
        number, self.plan = next(_residents, (0, None))
        if self.plan is None:
            raise StopUser()
        self.double_clicks = number % DOUBLE_CLICK_EVERY == 0
        started = _environment.get("started", time.monotonic())
        arrivals = RATE / MEAN_JOURNEY_REQUESTS
        gevent.sleep(max(0.0, (number - 1) / arrivals - (time.monotonic() - started)))

    @task
    def fill_in_and_submit(self):
        try:
            self.journey()
        finally:
            _finished["count"] += 1
            if _finished["count"] >= len(PLAN["residents"]):
                gevent.spawn_later(0.2, self.environment.runner.quit)
        raise StopUser()

    def csrf(self):
        return next(
            (c.value for c in self.client.cookiejar if c.name == "csrftoken"), ""
        )

    def get(self, url, name):
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
                return False
            return True

    def post(self, url, name, data, expect=""):
        """POST a form; True when it redirected (to ``expect``, when given)."""
        data = {**data, "csrfmiddlewaretoken": self.csrf()}
        with self.client.post(
            url, data=data, name=name, allow_redirects=False, catch_response=True
        ) as response:
            location = response.headers.get("Location", "") or ""
            if response.status_code != 302:
                response.failure(f"status {response.status_code}, no redirect")
                return False
            if expect and not location.endswith(expect):
                response.failure(f"redirected to {location}")
                return False
            return True

    def step(self, slug):
        return f"/mijn-aanvragen/{self.plan['reference']}/invullen/{slug}/"

    def journey(self):
        login = self.plan["login"]
        if not self.get(login, "inloggen: link openen"):
            return
        token = login.split("?t=", 1)[1]
        if not self.post(
            "/inloggen/link/", "inloggen: knop", {"t": token}, "/mijn-aanvragen/"
        ):
            return
        self.get("/mijn-aanvragen/", "mijn aanvragen")
        for slug, data in (("impact", IMPACT), ("begroting", BUDGET)):
            self.get(self.step(slug), f"stap {slug}")
            if not self.post(self.step(slug), f"stap {slug} opslaan", data):
                return
        self.get(self.step("bijlagen"), "stap bijlagen")
        documents = {"kind": "draagvlak", "action": "next"}
        if not self.post(self.step("bijlagen"), "stap bijlagen opslaan", documents):
            return
        self.get(self.step("controle"), "stap controle")
        self.submit()
        self.get(f"/mijn-aanvragen/{self.plan['reference']}/", "statuspagina")

    def submit(self):
        url = self.step("controle")
        data = {"truthful_declaration": "on", "decisions_by_email": "on"}
        if not self.double_clicks:
            if self.post(url, "indienen", data, RECEIVED):
                _record_submission(self.plan["reference"])
            return
        clicks = [gevent.spawn(self.double_click, url, data) for _ in "12"]
        gevent.joinall(clicks)
        if any(click.value for click in clicks):
            _record_submission(self.plan["reference"])

    def double_click(self, url, data):
        """One POST of a double click: any answer but a server error is fine; True
        when it got the receipt page."""
        data = {**data, "csrfmiddlewaretoken": self.csrf()}
        with self.client.post(
            url,
            data=data,
            name="indienen (dubbelklik)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code >= 500 or response.status_code == 0:
                response.failure(f"status {response.status_code}")
                return False
            response.success()
            location = response.headers.get("Location", "") or ""
            return location.endswith(RECEIVED)


def _record_submission(reference):
    with (OUT / f"submitted-{os.getpid()}.txt").open("a") as handle:
        handle.write(reference + "\n")


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
