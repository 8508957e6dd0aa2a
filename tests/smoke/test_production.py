"""The production smoke stage: production settings, end to end, on two app servers.

The stack, started once for the module and always stopped (``stack``):

- static files built with the production settings (``collectstatic`` into WhiteNoise's
  CompressedManifestStaticFilesStorage);
- a fresh PostgreSQL database, reached through a TCP proxy the test can cut;
- Redis (the shared cache: rate limits, login-link counters), under a key prefix of
  its own that is removed afterwards;
- moto's S3-protocol server with a private bucket (documents and letters);
- two gunicorn app servers, A and B, on two ports, and two workers
  (``manage.py run_worker``, the ``db_worker`` that outlives a database outage);
- the data of the load test without the demo (``bench.load.prepare --no-demo``):
  reference data, open rounds, residents with a concept application, an assessor.

A resident asks for a login link on A and opens it on B; uploads on A and downloads on
B; the sixth login-link request is refused whichever server it reaches; after the
database drops every connection of the app (``pg_terminate_backend``) no request
fails; while the database is unreachable the answer is the Dutch 503 page, quickly.
The processes are started with ``bench/load/harness.py``, as the load test does.
"""

import email
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest

from bench.load import harness
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.services.object_store import object_store
from tests.services.production import production_environment
from tests.services.tcp_proxy import TcpProxy

pytestmark = pytest.mark.smoke

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
REDIS_URL = os.environ.get("SMOKE_REDIS_URL", "redis://127.0.0.1:6379/14")
#: Every request says it came through one proxy, over HTTPS, from this address.
CLIENT_IP = "203.0.113.7"
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": CLIENT_IP}


class Stack:
    def __init__(self, work):
        self.work = work
        self.processes = []
        self.timings = {}

    def log(self, name):
        return self.work / f"{name}.log"

    def mail_links(self, address):
        links = []
        for path in sorted((self.work / "mail").glob("*.log")):
            for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                message = email.message_from_bytes(raw.strip())
                if address not in str(message.get("To", "")):
                    continue
                for part in message.walk():
                    if part.get_content_type() == "text/plain":
                        body = part.get_payload(decode=True).decode()
                        links += re.findall(r"https?://\S+/inloggen/link/\?\S+", body)
        return links


def _timed(stack, name, started):
    stack.timings[name] = round(time.perf_counter() - started, 1)


def _start_worker(env, log):
    output = open(log, "ab")  # noqa: SIM115 - closed by harness.stop_gunicorn
    process = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "run_worker",
            "--interval",
            "0.5",
            "--no-startup-delay",
        ],
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    process.log_handle = output
    return process


def _remove_redis_keys(prefix):
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)
    client.close()


@pytest.fixture(scope="module")
def stack():
    work = Path(tempfile.mkdtemp(prefix="initiatiefloket-smoke-"))
    (work / "mail").mkdir()
    stack = Stack(work)
    name = f"initiatiefloket_smoke_{os.getpid()}"
    prefix = f"smoke{os.getpid()}"
    proxy = TcpProxy(5432)
    created = False
    try:
        with object_store(log=work / "moto.log") as store:
            started = time.perf_counter()
            harness.create_database(name)
            created = True
            proxy.start()
            ports = harness.free_port(), harness.free_port()
            stack.urls = [f"http://{HOST}:{port}" for port in ports]
            env = production_environment(
                **store.environment(),
                DATABASE_URL=f"postgres://postgres@{HOST}:{proxy.port}/{name}",
                REDIS_URL=REDIS_URL,
                REDIS_KEY_PREFIX=prefix,
                DJANGO_ALLOWED_HOSTS=HOST,
                DJANGO_CSRF_TRUSTED_ORIGINS=",".join(stack.urls),
                PUBLIC_SITE_URL=stack.urls[0],
                WAGTAILADMIN_BASE_URL=stack.urls[0],
                DJANGO_TRUSTED_PROXY_COUNT="1",
                DJANGO_STATIC_ROOT=str(work / "static"),
                DJANGO_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
                DJANGO_EMAIL_FILE_PATH=str(work / "mail"),
                # Staff log in with a password here; the second factor has its own tests.
                STAFF_REQUIRE_2FA="false",
                DB_POOL_MIN="1",
                DB_POOL_MAX="4",
                DJANGO_LOG_LEVEL="WARNING",
            )
            prepare_env = harness._environment(
                f"postgres://postgres@{HOST}:5432/{name}", work / "prepare-files"
            )
            plan = work / "plan.json"
            # The static build and the database (migrate, the demo, the residents) at once.
            with ThreadPoolExecutor(2) as pool:
                static = pool.submit(
                    harness._run,
                    [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
                    env=env,
                    log=stack.log("collectstatic"),
                    timeout=600,
                    what="collectstatic with the production settings",
                )
                prepared = pool.submit(
                    harness._run,
                    [
                        sys.executable,
                        "-m",
                        "bench.load.prepare",
                        "--plan",
                        str(plan),
                        "--residents",
                        "2",
                        "--assessors",
                        "1",
                        "--closes-in",
                        "3600",
                        "--no-demo",
                    ],
                    env=prepare_env,
                    log=stack.log("prepare"),
                    timeout=600,
                    what="preparing the database",
                )
                static.result()
                prepared.result()
            stack.plan = json.loads(plan.read_text())
            _timed(stack, "build_s", started)

            started = time.perf_counter()
            for label, port in zip("AB", ports, strict=True):
                stack.processes.append(
                    harness.start_gunicorn(
                        env=env,
                        port=port,
                        workers=2,
                        log=stack.log(f"gunicorn-{label}"),
                    )
                )
            for n in (1, 2):
                stack.processes.append(_start_worker(env, stack.log(f"worker-{n}")))
            for label, (process, url) in zip(
                "AB", zip(stack.processes, stack.urls, strict=False), strict=False
            ):
                harness.wait_until_ready(
                    process, f"{url}/healthz", stack.log(f"gunicorn-{label}")
                )
            _timed(stack, "start_s", started)
            stack.proxy, stack.database, stack.env = proxy, name, env
            yield stack
    finally:
        for process in stack.processes:
            harness.stop_gunicorn(process)
        proxy.stop()
        if created:
            harness.drop_database(name)
        _remove_redis_keys(prefix)
        sys.stdout.write(f"\nsmoke stage timings (s): {stack.timings}\n")
        if os.environ.get("SMOKE_KEEP_LOGS"):
            sys.stdout.write(f"smoke stage logs: {work}\n")
        else:
            shutil.rmtree(work, ignore_errors=True)


def get(url, *, timeout=30):
    """A GET as the load balancer forwards it; returns (status, headers, body, seconds)."""
    request = urllib.request.Request(url, headers=PROXY_HEADERS)
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read().decode()
            status, headers = response.status, response.headers
    except urllib.error.HTTPError as error:
        body = error.read().decode()
        status, headers = error.code, error.headers
    return status, headers, body, time.perf_counter() - started


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Debian's Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()
    playwright.stop()


def new_page(browser, client_ip=CLIENT_IP):
    context = browser.new_context(
        locale="nl-NL",
        extra_http_headers={**PROXY_HEADERS, "X-Forwarded-For": client_ip},
        accept_downloads=True,
    )
    context.set_default_timeout(20_000)
    return context.new_page()


def ask_login_link(page, base, address):
    page.goto(f"{base}/inloggen/")
    page.fill("input[name=email]", address)
    with page.expect_response(
        lambda r: r.request.method == "POST" and "/inloggen/" in r.url
    ) as answer:
        page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    return answer.value.status


def wait_for_link(stack, address, count, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        links = stack.mail_links(address)
        if len(links) >= count:
            return links[count - 1]
        time.sleep(0.3)
    raise AssertionError(f"no login link number {count} mailed to {address}")


def test_both_servers_are_healthy_and_serve_the_built_static_files(stack):
    """/healthz answers on A and B; the pages link the hashed, compressed CSS that
    collectstatic built; a missing page is the portal's Dutch 404 page."""
    for url in stack.urls:
        status, _headers, body, _s = get(f"{url}/healthz")
        assert status == 200, body
        assert json.loads(body)["checks"] == {
            "database": "ok",
            "cache": "ok",
            "storage": "ok",
        }
        status, _headers, html, _s = get(f"{url}/inloggen/")
        assert status == 200
        css = re.search(r'href="(/static/css/portal\.[0-9a-f]{12}\.css)"', html)
        assert css, html[:2000]
        status, headers, _body, _s = get(f"{url}{css.group(1)}")
        assert status == 200
        assert "immutable" in headers["Cache-Control"]
        assert "portal-demo-banner" not in html
        status, _headers, html, _s = get(f"{url}/bestaat-niet/")
        assert status == 404
        assert "Deze pagina bestaat niet" in html


def test_a_resident_moves_between_the_servers(stack, browser):
    """Login link asked on A, opened on B; a document uploaded on A, downloaded on B
    (the bytes come back from the bucket, not from a server's disk)."""
    resident = stack.plan["residents"][0]
    address, reference = resident["email"], resident["reference"]
    a, b = stack.urls
    page = new_page(browser)
    assert ask_login_link(page, a, address) in {200, 302}
    link = wait_for_link(stack, address, 1)
    assert link.startswith(a)
    page.goto(link.replace(a, b, 1))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{b}/mijn-aanvragen/**")
    assert address in page.content()

    from reportlab.pdfgen import canvas

    pdf = io.BytesIO()
    sheet = canvas.Canvas(pdf)
    sheet.drawString(72, 720, "Begroting buurtmaaltijd")
    sheet.save()
    step = f"/mijn-aanvragen/{reference}/invullen/bijlagen/"
    page.goto(f"{a}{step}")
    page.set_input_files(
        "input[type=file]",
        files=[
            {
                "name": "begroting.pdf",
                "mimeType": "application/pdf",
                "buffer": pdf.getvalue(),
            }
        ],
    )
    page.locator("button[name=action][value=upload]").click()
    page.wait_for_load_state()
    page.goto(f"{b}{step}")
    link = page.get_by_role("link", name="begroting.pdf")
    with page.expect_download() as download:
        link.click()
    assert Path(download.value.path()).read_bytes() == pdf.getvalue()
    page.context.close()


def test_an_assessor_logs_in_on_b_and_works_on_a(stack, browser):
    """Staff sessions are shared too: a password login to the admin on B, the
    assessment queue on A."""
    account = stack.plan["assessors"][0]
    a, b = stack.urls
    page = new_page(browser, client_ip="192.0.2.81")
    page.goto(f"{b}/admin/login/")
    page.fill("input[name=username]", account["email"])
    page.fill("input[name=password]", account["password"])
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(f"{b}/admin/**")
    response = page.goto(f"{a}/admin/beoordelen/")
    assert response.status == 200
    assert "/admin/login/" not in page.url
    page.context.close()


def test_the_sixth_login_link_request_is_refused_on_either_server(stack, browser):
    """The limit of 5 per address holds across both servers and all their workers:
    requests alternate A, B, A, B, A; the sixth and seventh are refused on B and A."""
    address = "limiet@smoke.example"
    page = new_page(browser, client_ip="198.51.100.23")
    statuses = [ask_login_link(page, stack.urls[n % 2], address) for n in range(7)]
    assert statuses[:5] == [302] * 5
    assert statuses[5:] == [429, 429]
    page.context.close()


def _terminate_app_connections(database):
    with psycopg.connect(harness.ADMIN_URL, autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (database,),
        ).fetchall()
    return len(rows)


def test_requests_succeed_after_the_database_drops_every_connection(stack):
    """pg_terminate_backend on every connection of the app: the pool checks each
    connection before use, so not one of the next requests fails."""
    for url in stack.urls * 3:
        assert get(f"{url}/aanvragen/")[0] == 200
    assert _terminate_app_connections(stack.database) > 0
    statuses = [get(f"{url}/aanvragen/")[0] for url in stack.urls * 10]
    assert statuses == [200] * 20


def test_an_unreachable_database_gives_a_quick_dutch_503_then_recovers(stack):
    """The database cut off: within a few seconds the Dutch 503 page with
    Retry-After, not a hang and a 500; back on, every request succeeds again."""
    stack.proxy.stop()
    try:
        for url in stack.urls:
            status, headers, html, seconds = get(f"{url}/aanvragen/")
            assert status == 503, html[:500]
            assert headers["Retry-After"] == "30"
            assert "Het Initiatiefloket is even niet beschikbaar" in html
            assert seconds < 8
            assert get(f"{url}/healthz")[0] == 503
    finally:
        stack.proxy.start()
    # Each gunicorn worker has its own pool, which reconnects with a backoff: the app
    # has recovered once a round of requests over both servers all succeed.
    back = time.monotonic()
    while {get(f"{url}/aanvragen/")[0] for url in stack.urls * 4} != {200}:
        assert time.monotonic() - back < 90, "the app did not recover within 90 s"
        time.sleep(1)
    stack.timings["back_to_200_s"] = round(time.monotonic() - back, 1)
    recovered = time.monotonic()
    statuses = [get(f"{url}/aanvragen/")[0] for url in stack.urls * 10]
    assert statuses == [200] * 20
    stack.timings["recovery_s"] = round(time.monotonic() - recovered, 1)


def test_the_workers_work_again_after_the_outage(stack, browser):
    """The workers outlive the outage: a login link asked on B afterwards is mailed
    by whichever worker takes the task."""
    for process in stack.processes:
        assert process.poll() is None, f"{process.args} stopped"
    address = stack.plan["residents"][1]["email"]
    page = new_page(browser, client_ip="192.0.2.44")
    assert ask_login_link(page, stack.urls[1], address) == 302
    assert wait_for_link(stack, address, 1, timeout=60).startswith(stack.urls[0])
    page.context.close()
