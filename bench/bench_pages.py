"""Benchmark: page latency through the whole Django stack, against a bare view.

Builds a throw-away database (in memory on SQLite; ``test_<name>`` on PostgreSQL when
``DATABASE_URL`` points there), migrates it and seeds the demo, then times each page
``--requests`` times with Django's test client (after a few warm-up requests): the
median, the 95th percentile and the number of queries. The baseline is a bare view
(``HttpResponse("ok")``) that exists only in this benchmark's own URLconf, behind the
same middleware, requested by the same (anonymous, resident or assessor) client just
before each request of the page; the ratio is a page's median over the median of those
bare requests. The p95 includes the pauses of Python's garbage collector. Files go to
in-memory storage: nothing is written to the repository. Prints figures; never
asserts.

    .venv/bin/python bench/bench_pages.py [--requests 100]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    _TestState,
    setup_test_environment,
    teardown_test_environment,
)
from django.urls import include, path  # noqa: E402

BARE = "/bench/kaal/"
#: A page name starting with this is timed with the cache emptied before each request.
COLD = "cold cache: "
RESIDENT = "aanvrager@initiatiefloket.example"
ASSESSOR = "beoordelaar@initiatiefloket.example"
IMPACT = {
    "impact_plan": "Buren leren elkaar kennen en helpen elkaar vaker.",
    "expected_reach": "60",
    "volunteers": "8",
    "q_volledig_vrijwillig": "ja",
    "q_jaren_gefinancierd": "0",
    "q_draagvlak": "Wij spraken veertig buren; dertig willen meedoen.",
    "q_toegankelijk": "ja",
    "q_jaren_actief": "2",
    "q_wmo_doelen": "prettig_samenleven",
    "q_kernactiviteit": "bewonersbuurtnetwerk",
    "q_betaalde_inzet": "nee",
    "q_andere_financiering_mogelijk": "nee",
    "action": "next",
}


def bare(request):
    return HttpResponse("ok")


#: This benchmark's URLconf: the bare view, then the whole project.
urlpatterns = [path(BARE.strip("/") + "/", bare), path("", include("portal.urls"))]

IN_MEMORY = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def _seed():
    import io

    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())


def _pages():
    """(page, client name, method, path, data): what a visitor does most."""
    from subsidies.models import Application

    draft = (
        Application.objects.filter(applicant__members__email=RESIDENT, status="concept")
        .order_by("pk")
        .first()
    )
    step = f"/mijn-aanvragen/{draft.reference}/invullen/"
    return [
        ("bare view", "anonymous", "GET", BARE, None),
        ("home page", "anonymous", "GET", "/", None),
        (COLD + "home page", "anonymous", "GET", "/", None),
        ("scheme page", "anonymous", "GET", "/initiatievenfonds/", None),
        (COLD + "scheme page", "anonymous", "GET", "/initiatievenfonds/", None),
        ("quick check", "anonymous", "GET", "/aanvragen/", None),
        ("bare view", "resident", "GET", BARE, None),
        ("mijn aanvragen", "resident", "GET", "/mijn-aanvragen/", None),
        ("form step initiatief", "resident", "GET", f"{step}initiatief/", None),
        (COLD + "form step initiatief", "resident", "GET", f"{step}initiatief/", None),
        ("form step impact, save", "resident", "POST", f"{step}impact/", IMPACT),
        ("bare view", "assessor", "GET", BARE, None),
        ("assessor queue", "assessor", "GET", "/admin/beoordelen/", None),
    ]


def _ensure_draft(client):
    """The resident's concept to fill in: the seed's, or one started now."""
    from django.urls import reverse

    from subsidies.models import Application, Scheme

    drafts = Application.objects.filter(
        applicant__members__email=RESIDENT, status="concept"
    )
    for slug in Scheme.objects.order_by("pk").values_list("slug", flat=True):
        if drafts.exists():
            return
        client.post(reverse("subsidies:start", args=[slug]))


def _clients():
    from accounts.models import User

    clients = {"anonymous": Client()}
    for name, email in (("resident", RESIDENT), ("assessor", ASSESSOR)):
        clients[name] = Client()
        clients[name].force_login(User.objects.get(email=email))
    return clients


def _request(client, method, url, data):
    if method == "POST":
        return client.post(url, data)
    return client.get(url)


def _time(client, method, url, data, requests, warmup=5, cold=False, paired=None):
    """The page's figures; with ``paired`` (the bare view's URL) each request of the
    page follows one of the bare view by the same client, so both are timed in the
    same state of the machine, and ``bare_median`` is the bare view's median of those."""
    from django.core.cache import cache

    def prepare():
        if cold:
            # The session and login stay (they live in the database), the cached
            # site, settings, scheme facts and reference lists go.
            cache.clear()

    for _ in range(warmup):
        prepare()
        _request(client, method, url, data)
    prepare()
    with CaptureQueriesContext(connection) as queries:
        response = _request(client, method, url, data)
    # Read now: the next request resets the connection's query log.
    query_count = len(queries)
    seconds, bare = [], []
    for _ in range(requests):
        if paired:
            started = time.perf_counter()
            client.get(paired)
            bare.append(time.perf_counter() - started)
        prepare()
        started = time.perf_counter()
        _request(client, method, url, data)
        seconds.append(time.perf_counter() - started)
    p95 = statistics.quantiles(seconds, n=20)[18] if len(seconds) > 1 else seconds[0]
    return {
        "median": statistics.median(seconds),
        "p95": p95,
        "queries": query_count,
        "status": response.status_code,
        "bytes": len(response.content),
        "bare_median": statistics.median(bare) if bare else None,
    }


def _as_served():
    """Render templates as a server does. ``setup_test_environment`` (which this
    benchmark needs for the test client and the throw-away database) makes every
    template render send a signal with a copy of its context, for the test client's
    ``response.templates``: a cost per template that the bare view never pays and a
    server never has."""
    from django.template import Template

    Template._render = _TestState.saved_data.template_render


def run(requests=100) -> list[dict]:
    """Time every page; one row per page with its ratio to the bare view."""
    setup_test_environment()
    _as_served()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with override_settings(ROOT_URLCONF=sys.modules[__name__], STORAGES=IN_MEMORY):
            _seed()
            clients = _clients()
            _ensure_draft(clients["resident"])
            rows = []
            for page, who, method, url, data in _pages():
                figures = _time(
                    clients[who],
                    method,
                    url,
                    data,
                    requests,
                    cold=page.startswith(COLD),
                    paired=None if page == "bare view" else BARE,
                )
                bare_median = figures["bare_median"] or figures["median"]
                rows.append(
                    {
                        "page": page,
                        "client": who,
                        "request": f"{method} {url}",
                        "median_ms": round(figures["median"] * 1000, 2),
                        "p95_ms": round(figures["p95"] * 1000, 2),
                        "queries": figures["queries"],
                        "status": figures["status"],
                        "kB": round(figures["bytes"] / 1024, 1),
                        "bare_ms": round(bare_median * 1000, 2),
                        "ratio": round(figures["median"] / bare_median, 1),
                    }
                )
        return rows
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


NOTES = """\
- Floors, from the same run and the same client: the bare view (the whole
  middleware, no page), and each cached page once with its cache warm (the rows
  without *cold cache*) and once with the cache emptied before every request. Each
  request of a page follows one of the bare view by the same client, so both are
  timed in the same state of the machine: *bare_ms* is the median of those bare
  requests, and the ratio is the page's median over it. (The bare view's own rows are
  timed alone; on this machine they swung by 2x between two runs of the same code,
  which moved a page's ratio from 5.7 to 2.9 when it was computed from them.)
- Templates render as on a server: without the test environment's signal per
  template (``_as_served``).
- Warm, the home and scheme pages read the site, the help settings and the scheme
  facts from the cache (dropped when a decision, a submission, a round, a rule or a
  wijk changes them); the form step its reference lists. What remains is per request:
  the session, the user and its permissions, the application with its lists, the
  Wagtail page tree. These do not grow with the number of applications; the cached
  facts are computed again only after a change.
- The form step reads what the concept chose (buurten, doelgroepen, thema's) in one
  query on the link tables, with the objects of the process's reference lists
  (``reference_lists.load_chosen``), and draws those lists' checkboxes once per list,
  error state and language, then only picks checked or unchecked per option
  (``fast_fields._shared_options``). What bounds it now is Django itself: compiling
  the application's query (126 columns, with its round, scheme, applicant, wijk and
  question set, seven joins), building the forms and the formset, and the template
  engine for the rest of the page. None of it grows with the number of applications.
"""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args(argv)
    rows = run(requests=args.requests)
    print(f"Page latency ({connection.vendor}), {args.requests} requests per page:")
    print(
        f"{'page':<24}{'client':<11}{'median':>10}{'p95':>10}{'queries':>9}"
        f"{'status':>8}{'ratio':>8}"
    )
    for row in rows:
        print(
            f"{row['page']:<24}{row['client']:<11}{row['median_ms']:>7} ms"
            f"{row['p95_ms']:>7} ms{row['queries']:>9}{row['status']:>8}"
            f"{row['ratio']:>7}x"
        )


if __name__ == "__main__":
    main()
