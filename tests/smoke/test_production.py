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
  reference data, open rounds, residents with a concept application, an assessor;
  then the journey's data with the production settings (``tests/smoke/seed_journey.py``):
  a ranking round with a submitted application, an assessor, a decision maker and a
  CMS editor.

A resident asks for a login link on A and opens it on B; uploads on A and downloads on
B; an assessor scores on B, a decision maker fixes the allocation run on A, either
worker makes the letter into the bucket and B serves it; the CMS's image and document
go to the bucket, private, and are served by the portal; the bucket is backed up,
wiped and restored (scripts/backup.sh, scripts/restore.sh) and a document downloads
again; the sixth login-link request is refused whichever server it reaches; after the
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
                # The residents' journey logs in by e-mail link, which production
                # offers only where the gemeente switches it on (DigiD has its own tests).
                LOGIN_EMAIL_LINK="1",
                # Staff log in with a password here; the second factor has its own tests.
                STAFF_REQUIRE_2FA="false",
                DB_POOL_MIN="1",
                DB_POOL_MAX="4",
                DJANGO_LOG_LEVEL="WARNING",
            )
            direct_database = f"postgres://postgres@{HOST}:5432/{name}"
            prepare_env = harness._environment(direct_database, work / "prepare-files")
            plan, journey_plan = work / "plan.json", work / "journey.json"
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

                def prepare():
                    harness._run(
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
                    # The journey's data, with the production settings.
                    harness._run(
                        [
                            sys.executable,
                            "-m",
                            "tests.smoke.seed_journey",
                            "--plan",
                            str(journey_plan),
                        ],
                        env={**env, "DATABASE_URL": direct_database},
                        log=stack.log("seed-journey"),
                        timeout=120,
                        what="seeding the journey (tests/smoke/seed_journey.py)",
                    )

                prepared = pool.submit(prepare)
                static.result()
                prepared.result()
            stack.plan = json.loads(plan.read_text())
            stack.journey = json.loads(journey_plan.read_text())
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
            stack.store, stack.direct_database = store, direct_database
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


def resident_logs_in(stack, browser, address, client_ip=CLIENT_IP):
    """A login link asked on A and opened on B; returns the page, logged in on B."""
    a, b = stack.urls
    page = new_page(browser, client_ip=client_ip)
    number = len(stack.mail_links(address)) + 1
    assert ask_login_link(page, a, address) in {200, 302}
    link = wait_for_link(stack, address, number)
    assert link.startswith(a)
    page.goto(link.replace(a, b, 1))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{b}/mijn-aanvragen/**")
    assert address in page.content()
    return page


def upload_pdf(page, base, reference, name, line):
    """Upload a one-line PDF on the documents step; returns its bytes."""
    from reportlab.pdfgen import canvas

    pdf = io.BytesIO()
    sheet = canvas.Canvas(pdf)
    sheet.drawString(72, 720, line)
    sheet.save()
    page.goto(f"{base}/mijn-aanvragen/{reference}/invullen/bijlagen/")
    assert page.locator("input[type=file]").count() == 1, (
        page.url,
        page.locator("main").inner_text()[:1500],
    )
    page.set_input_files(
        "input[type=file]",
        files=[{"name": name, "mimeType": "application/pdf", "buffer": pdf.getvalue()}],
    )
    page.locator("button[name=action][value=upload]").click()
    page.wait_for_load_state()
    return pdf.getvalue()


def test_a_resident_moves_between_the_servers(stack, browser):
    """Login link asked on A, opened on B; a document uploaded on A, downloaded on B
    (the bytes come back from the bucket, not from a server's disk)."""
    resident = stack.plan["residents"][0]
    a, b = stack.urls
    page = resident_logs_in(stack, browser, resident["email"])
    pdf = upload_pdf(
        page, a, resident["reference"], "begroting.pdf", "Begroting buurtmaaltijd"
    )
    page.goto(f"{b}/mijn-aanvragen/{resident['reference']}/invullen/bijlagen/")
    link = page.get_by_role("link", name="begroting.pdf")
    with page.expect_download() as download:
        link.click()
    assert Path(download.value.path()).read_bytes() == pdf
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


def staff_login(page, base, account):
    """A password login to the Wagtail admin (the smoke stack runs without the second
    factor, STAFF_REQUIRE_2FA=false; it has its own tests)."""
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", account["email"])
    page.fill("input[name=password]", account["password"])
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(f"{base}/admin/**")


def submit_action(page, label):
    """Click the staff form's button and wait for the page it leads to."""
    with page.expect_navigation():
        page.get_by_role("button", name=label).click()


def pdf_text(path):
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout


def test_an_assessor_scores_on_b_a_decision_maker_fixes_on_a_the_letter_comes_from_b(
    stack, browser
):
    """The staff chain across the servers, through the real screens: on B the assessor
    confirms the randvoorwaarden, takes the application, declares no conflict and
    scores it; on A the decision maker computes and fixes an allocation run and starts
    the letters; whichever worker takes the batch makes the beschikking into the
    bucket; the PDF downloaded from B names the applicant and the application."""
    journey = stack.journey
    application, round_ = journey["application"], journey["round"]
    pk = application["id"]
    a, b = stack.urls

    page = new_page(browser, client_ip="192.0.2.91")
    staff_login(page, b, journey["assessor"])
    page.goto(f"{b}/admin/beoordelen/{pk}/randvoorwaarden/")
    for radio in page.locator('input[type=radio][value="voldaan"]').all():
        radio.check()
    for field in page.locator('textarea[name^="motivation_"]').all():
        field.fill("Gecontroleerd in de aanvraag en de bijlagen.")
    submit_action(page, "Uitkomst vastleggen")
    page.goto(f"{b}/admin/beoordelen/{pk}/toewijzen/")
    page.select_option("select[name=assessor]", str(journey["assessor"]["id"]))
    submit_action(page, "Toewijzen")
    page.goto(f"{b}/admin/beoordelen/{pk}/verklaring/")
    page.check('input[name=declaration][value="geen_belang"]')
    submit_action(page, "Verklaring vastleggen")
    page.goto(f"{b}/admin/beoordelen/{pk}/scoren/")
    for radio in page.locator('input[type=radio][name^="score_"][value="3"]').all():
        radio.check()
    for field in page.locator('textarea[name^="motivation_"]').all():
        field.fill("Onderbouwd met de begroting en het impactplan.")
    submit_action(page, "Scores indienen")
    assert "Uw scores zijn ingediend." in page.content()
    page.goto(f"{b}/admin/beoordelen/{pk}/")
    assert "Beoordeeld" in page.locator("main").inner_text()
    page.context.close()

    page = new_page(browser, client_ip="192.0.2.92")
    staff_login(page, a, journey["decision_maker"])
    page.goto(f"{a}/admin/besluiten/ronde/{round_['id']}/verdeling/nieuw/")
    submit_action(page, "Verdeling berekenen (concept)")
    assert "/admin/besluiten/verdeling/" in page.url, page.url
    run_page = page.locator("main").inner_text()
    assert application["reference"] in run_page
    page.check("input[name=confirm]")
    submit_action(page, "Verdeling vaststellen")
    page.goto(f"{a}/admin/besluiten/ronde/{round_['id']}/")
    submit_action(page, "Beschikkingen maken (op de achtergrond)")
    assert "/admin/besluiten/brieven/" in page.url, page.url
    batch_url = page.url
    # The batch page refreshes itself; the worker that takes the task makes the letter.
    deadline = time.monotonic() + 60
    while "Gemaakt: 1." not in page.locator("main").inner_text():
        assert time.monotonic() < deadline, page.locator("main").inner_text()
        time.sleep(1)
        page.goto(batch_url)
    assert "Mislukt: 0." in page.locator("main").inner_text()
    decision_path = page.locator("main table a").first.get_attribute("href")
    page.goto(f"{b}{decision_path}")
    with page.expect_download() as download:
        page.get_by_role("link", name="Brief downloaden (PDF)").click()
    letter = Path(download.value.path())
    pdf = letter.read_bytes()
    assert pdf.startswith(b"%PDF-")
    text = " ".join(pdf_text(letter).split())
    assert application["reference"] in text
    assert application["applicant"] in text
    assert application["title"] in text
    page.context.close()
    # The letter lives in the bucket, not on a server's disk; one of the two workers
    # made it.
    bucket = stack.store.client().list_objects_v2(Bucket=stack.store.bucket)
    stored = [
        stack.store.client()
        .get_object(Bucket=stack.store.bucket, Key=item["Key"])["Body"]
        .read()
        for item in bucket.get("Contents", [])
        if item["Size"] == len(pdf)
    ]
    assert pdf in stored
    made_by = [
        n
        for n in (1, 2)
        if "generate_round_letters state=SUCCESSFUL"
        in stack.log(f"worker-{n}").read_text()
    ]
    assert len(made_by) == 1, made_by


def png_bytes():
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (320, 200), (0, 112, 60)).save(picture, format="PNG")
    return picture.getvalue()


def test_the_cms_images_and_documents_live_in_the_private_bucket(stack, browser):
    """An editor uploads an image and a document in the Wagtail admin on A. Both
    land in the bucket under public/, private like everything there; the image
    listing on B makes a rendition into the bucket, and A serves it at /media/images/
    with a public cache header; the original is not served; the document comes
    through Wagtail's serve view on B."""
    a, b = stack.urls
    page = new_page(browser, client_ip="192.0.2.93")
    staff_login(page, a, stack.journey["editor"])
    page.goto(f"{a}/admin/images/add/")
    page.fill("input[name=title]", "Buurtfeest rooktest")
    page.set_input_files(
        "input[name=file]",
        files=[
            {"name": "rookfeest.png", "mimeType": "image/png", "buffer": png_bytes()}
        ],
    )
    submit_action(page, "Uploaden")
    page.goto(f"{a}/admin/documents/add/")
    page.fill("input[name=title]", "Spelregels rooktest")
    rules = b"Spelregels voor het buurtfeest.\n"
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "spelregels.txt", "mimeType": "text/plain", "buffer": rules}],
    )
    submit_action(page, "Uploaden")

    page.goto(f"{b}/admin/images/")
    thumbnail = page.locator('main img[src*="/media/images/"]').first
    src = thumbnail.get_attribute("src")
    assert src.startswith("/media/images/rookfeest"), src
    served = page.request.get(f"{a}{src}")
    assert served.status == 200
    assert served.headers["content-type"] == "image/png"
    assert served.headers["cache-control"] == "public, max-age=86400"
    client, bucket = stack.store.client(), stack.store.bucket
    key = "public" + src.removeprefix("/media")
    assert client.get_object(Bucket=bucket, Key=key)["Body"].read() == served.body()
    keys = _bucket_keys(stack.store)
    (original,) = [k for k in keys if k.startswith("public/original_images/rookfeest")]
    assert (
        page.request.get(f"{a}/media/{original.removeprefix('public/')}").status == 404
    )
    (document_key,) = [k for k in keys if k.startswith("public/documents/spelregels")]
    for key in (original, document_key):
        acl = client.get_object_acl(Bucket=bucket, Key=key)
        assert not [
            g for g in acl["Grants"] if "AllUsers" in g["Grantee"].get("URI", "")
        ]

    page.goto(f"{b}/admin/documents/")
    edit = page.get_by_role("link", name="Spelregels rooktest").first.get_attribute(
        "href"
    )
    document_id = re.search(r"/(\d+)/", edit).group(1)
    served = page.request.get(f"{b}/documents/{document_id}/spelregels.txt")
    assert served.status == 200, served.text()[:500]
    assert served.body() == rules
    page.context.close()


def _bucket_keys(store):
    listed = store.client().list_objects_v2(Bucket=store.bucket)
    return sorted(item["Key"] for item in listed.get("Contents", []))


def test_the_bucket_is_backed_up_wiped_and_restored(stack, browser):
    """scripts/backup.sh dumps the database and copies the bucket (documents and
    letters) beside it; the bucket is wiped and a document no longer downloads;
    scripts/restore.sh restores the dump into an empty database and the objects into
    the bucket, and the same document downloads again on B, byte for byte."""
    resident = stack.plan["residents"][0]
    a, b = stack.urls
    page = resident_logs_in(stack, browser, resident["email"], "192.0.2.55")
    pdf = upload_pdf(
        page, a, resident["reference"], "draagvlak.pdf", "Handtekeningen van buren"
    )
    page.goto(f"{b}/mijn-aanvragen/{resident['reference']}/invullen/bijlagen/")
    href = page.get_by_role("link", name="draagvlak.pdf").get_attribute("href")
    assert page.request.get(f"{b}{href}").body() == pdf

    work = stack.work / "backup"
    env = {**stack.env, "DATABASE_URL": stack.direct_database}
    made = subprocess.run(
        ["bash", "scripts/backup.sh", str(work)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    dump = made.stdout.strip().splitlines()[-1]
    (copy,) = work.glob("bucket-*")
    manifest = json.loads((copy / "MANIFEST.json").read_text())
    keys = _bucket_keys(stack.store)
    assert sorted(entry["key"] for entry in manifest["objects"]) == keys
    # Two documents and the letter of the journey; the CMS's image (original and
    # rendition) and document if that test ran.
    assert len([key for key in keys if key.startswith("private/")]) >= 3

    client = stack.store.client()
    for key in keys:
        client.delete_object(Bucket=stack.store.bucket, Key=key)
    assert _bucket_keys(stack.store) == []
    assert page.request.get(f"{b}{href}").body() != pdf

    restored_name = f"{stack.database}_restored"
    restored_url = harness.ADMIN_URL.rsplit("/", 1)[0] + "/" + restored_name
    with psycopg.connect(harness.ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{restored_name}"')
    try:
        subprocess.run(
            ["bash", "scripts/restore.sh", dump, str(copy)],
            cwd=ROOT,
            env={**env, "DATABASE_URL": restored_url},
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        query = "SELECT count(*) FROM subsidies_document"
        with psycopg.connect(stack.direct_database) as source:
            documents = source.execute(query).fetchone()[0]
        with psycopg.connect(restored_url) as restored:
            assert restored.execute(query).fetchone()[0] == documents
    finally:
        with psycopg.connect(harness.ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)')
    assert _bucket_keys(stack.store) == keys
    assert page.request.get(f"{b}{href}").body() == pdf
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
    # has recovered once a round as long as the one measured below all succeeds (a
    # shorter round can miss a worker whose pool is still waiting to reconnect).
    back = time.monotonic()
    while {get(f"{url}/aanvragen/")[0] for url in stack.urls * 10} != {200}:
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
