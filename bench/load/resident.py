"""What both Locust users of a resident share (``locustfile.py``, ``rampfile.py``):
requests with a check, and the resident's visit from the login link to the status
page. Loaded only by the Locust subprocesses (it imports gevent); the form data and
the figures are in ``bench/load/journey.py``.

``Requests`` is mixed into a Locust user (``HttpUser`` or ``FastHttpUser``): a page
must answer 200 and a form post must redirect; anything else is marked a failure.
``ResidentVisit`` adds the arrival (``arrive``) and the visit (``visit_once``): open the login link and press the button, "Mijn
aanvragen", fill the impact step and the budget with valid data, pass the documents
step, submit on the last step (a double click when ``double_clicks``: two POSTs at
once, named "indienen (dubbelklik)") and open the status page. A user sets ``plan``
(through ``arrive``: its resident's reference and login link, and
``double_clicks``) and ``out`` (the folder for ``submitted-<pid>.txt``), and may
override ``think`` (a pause between pages).
"""

import os
import time

import gevent
from locust.exception import StopUser

from bench.load.journey import BUDGET, DOUBLE_CLICK_EVERY, IMPACT

RECEIVED = "/ontvangen/"


def record_submission(out, reference):
    """A submit that got the receipt page: its reference, for the database check."""
    with (out / f"submitted-{os.getpid()}.txt").open("a") as handle:
        handle.write(reference + "\n")


class Requests:
    """Requests with a check, for a Locust user of either client."""

    def csrf(self):
        jar = getattr(self.client, "cookiejar", None)  # FastHttpUser's client
        if jar is None:
            jar = self.client.cookies  # HttpUser's requests session
        return next((c.value for c in jar if c.name == "csrftoken"), "")

    def get(self, url, name):
        """GET a page; the response, or None (marked as a failure) unless 200."""
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
                return None
            return response

    def post(self, url, name, data, expect=""):
        """POST a form; the redirect target, or None (marked as a failure) when it
        did not redirect (to ``expect``, when given)."""
        data = {**data, "csrfmiddlewaretoken": self.csrf()}
        with self.client.post(
            url, data=data, name=name, allow_redirects=False, catch_response=True
        ) as response:
            location = response.headers.get("Location", "") or ""
            if response.status_code != 302:
                response.failure(f"status {response.status_code}, no redirect")
                return None
            if expect and not location.endswith(expect):
                response.failure(f"redirected to {location}")
                return None
            return location


class ResidentVisit(Requests):
    """The resident's visit, from the login link to the status page."""

    plan = None
    double_clicks = False
    out = None

    def think(self):
        """The pause between pages; none unless the user says otherwise."""

    def arrive(self, residents, *, arrivals, started):
        """Take the next resident of the plan (``residents``: an iterator of numbered
        plans) and wait for its arrival: the first at once, then ``arrivals`` per
        second from ``started``. Locust starts every user at once; residents arrive
        on their own schedule. A user left without a resident stops."""
        number, self.plan = next(residents, (0, None))
        if self.plan is None:
            raise StopUser()
        self.double_clicks = number % DOUBLE_CLICK_EVERY == 0
        gevent.sleep(max(0.0, (number - 1) / arrivals - (time.monotonic() - started)))

    def visit_once(self, finished, *, total, quit_after):
        """The visit, then this user stops; after the last of ``total`` residents
        (``finished`` counts them) the run ends ``quit_after`` seconds later."""
        try:
            self.visit()
        finally:
            finished["count"] += 1
            if finished["count"] >= total:
                gevent.spawn_later(quit_after, self.environment.runner.quit)
        raise StopUser()

    def step(self, slug):
        return f"/mijn-aanvragen/{self.plan['reference']}/invullen/{slug}/"

    def visit(self):
        login = self.plan["login"]
        if self.get(login, "inloggen: link openen") is None:
            return
        token = login.split("?t=", 1)[1]
        if not self.post(
            "/inloggen/link/", "inloggen: knop", {"t": token}, "/mijn-aanvragen/"
        ):
            return
        self.think()
        self.get("/mijn-aanvragen/", "mijn aanvragen")
        self.think()
        for slug, data in (("impact", IMPACT), ("begroting", BUDGET)):
            self.get(self.step(slug), f"stap {slug}")
            self.think()
            if not self.post(self.step(slug), f"stap {slug} opslaan", data):
                return
        self.get(self.step("bijlagen"), "stap bijlagen")
        # "Volgende" without a file: the browser sends the kind select's default.
        documents = {"kind": "draagvlak", "action": "next"}
        if not self.post(self.step("bijlagen"), "stap bijlagen opslaan", documents):
            return
        self.get(self.step("controle"), "stap controle")
        self.think()
        self.submit()
        self.get(f"/mijn-aanvragen/{self.plan['reference']}/", "statuspagina")

    def submit(self):
        url = self.step("controle")
        data = {"truthful_declaration": "on", "decisions_by_email": "on"}
        if not self.double_clicks:
            if self.post(url, "indienen", data, RECEIVED):
                record_submission(self.out, self.plan["reference"])
            return
        # A double click: two submits at once. Both get the receipt page (the one
        # that loses the race finds the application sent), never a server error; the
        # database check then finds one submission.
        clicks = [gevent.spawn(self.double_click, url, data) for _ in "12"]
        gevent.joinall(clicks)
        if any(click.value for click in clicks):
            record_submission(self.out, self.plan["reference"])

    def double_click(self, url, data):
        """One POST of a double click: any answer but a server error (or none) is
        fine; True when it got the receipt page."""
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
