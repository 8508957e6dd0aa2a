"""The embedded default under load: a real ``db_worker`` and a busy web server on one
SQLite file.

On the demo, 3 of 10 letter batches died on "database is locked": the worker and the web
server both wrote, in deferred transactions that fail at once when a reader wants to
become a writer, and the PDF was rendered while the write lock was held. Here the
worker is the real command in its own process and the web server is played by
``sqlite_web_driver`` in another, against a file database with the project's settings.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from beoordeling.decisions.services import decisions as services
from beoordeling.decisions.services import letters as letter_services
from beoordeling.models import Decision, DecisionError, LetterBatch
from subsidies import counters
from subsidies.models import Applicant
from tests.factories import fixed_round

ROOT = Path(__file__).resolve().parents[3]
BATCHES = 20


def _copy_test_database(target):
    """Write the (in-memory) test database, with everything committed, to a file."""
    connection.ensure_connection()
    with sqlite3.connect(target) as destination:
        connection.connection.backup(destination)


@pytest.mark.django_db(transaction=True)
def test_twenty_letter_batches_in_a_row_all_complete_with_a_real_worker_on_sqlite(
    tmp_path,
):
    """Twenty batches, started one after another while the web server keeps
    writing, are all made by a real worker process: none dies on a locked database,
    none is left waiting."""
    if connection.vendor != "sqlite":
        pytest.skip("the embedded default is SQLite")
    rounds = []
    decider = None
    for _ in range(BATCHES):
        round_, _applications, decider = fixed_round(count=2)
        rounds.append(round_.pk)
    database = tmp_path / "demo.sqlite3"
    _copy_test_database(database)

    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DJANGO_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        # The embedded default's transactions (the in-memory test settings defer).
        "SQLITE_TRANSACTION_MODE": "IMMEDIATE",
        "PYTHONPATH": str(ROOT),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--interval",
            "0.05",
            "--no-reload",
            "--no-startup-delay",
            "-v0",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        driver = subprocess.run(
            [
                sys.executable,
                "-m",
                "tests.beoordeling.decisions.sqlite_web_driver",
                *map(str, rounds),
                "--decider",
                str(decider.pk),
                "--timeout",
                "30",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            _out, worker_err = worker.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            _out, worker_err = worker.communicate()
    assert driver.returncode == 0, driver.stderr[-3000:]
    report = json.loads(driver.stdout.strip().splitlines()[-1])
    assert report["errors"] == [], report["errors"][:5]
    statuses = [(b["status"], b["done"], b["failed"]) for b in report["batches"]]
    assert statuses == [(LetterBatch.Status.DONE, 2, 0)] * BATCHES, (
        statuses,
        worker_err.decode()[-3000:],
    )
    assert all(b["web_writes"] > 0 for b in report["batches"])

    with sqlite3.connect(database) as db:
        journal_mode = db.execute("PRAGMA journal_mode").fetchone()[0]
        decisions = db.execute(
            f"SELECT COUNT(*) FROM {Decision._meta.db_table}"
        ).fetchone()[0]
    assert journal_mode == "wal"
    assert decisions == 2 * BATCHES
    from portal.settings import base

    assert base.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in base.DATABASES["default"]["OPTIONS"]["init_command"]


@pytest.mark.django_db(transaction=True)
def test_the_letter_pdf_is_rendered_outside_any_transaction(monkeypatch):
    """Rendering takes the longest; on SQLite a write transaction locks the whole
    database, so the PDF is made before the transaction that stores it begins."""
    round_, applications, decider = fixed_round(count=2)
    original = letter_services.render_letter
    inside = []

    def watching(content):
        inside.append(connection.in_atomic_block)
        return original(content)

    monkeypatch.setattr(letter_services, "render_letter", watching)
    batch = services.letter_batch_start(
        round=round_, actor=decider, notify=False, enqueue=False
    )
    letter_services.letter_batch_run(batch_id=batch.pk)
    assert inside == [False, False]
    assert Decision.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_kenmerk_taken_while_rendering_is_rendered_again_without_a_gap(monkeypatch):
    """When another letter takes the kenmerk between rendering and storing, the
    letter is rendered again with the next number; the PDF always shows its own
    kenmerk and the numbers have no gap."""
    round_, applications, _decider = fixed_round(count=1)
    original = letter_services.render_letter
    kenmerken = []

    def racing(content):
        kenmerken.append(content.kenmerk)
        if len(kenmerken) == 1:
            letter_services.next_kenmerk(year=content.date_sent.year)
        return original(content)

    monkeypatch.setattr(letter_services, "render_letter", racing)
    decision, created = letter_services.decision_issue(
        application=applications[0], notify=False
    )
    year = decision.date_sent.year
    assert created
    assert kenmerken == [f"D{year}-000001", f"D{year}-000002"]
    assert decision.kenmerk == f"D{year}-000002"
    assert counters.last_number(prefix=counters.DECISION_PREFIX, year=year) == 2


@pytest.mark.django_db
def test_a_refused_letter_takes_no_kenmerk():
    """A letter with an empty mandatory part is refused before any number is used."""
    round_, applications, _decider = fixed_round(count=1)
    Applicant.objects.filter(pk=applications[0].applicant_id).update(street="")
    with pytest.raises(DecisionError, match="adres"):
        letter_services.decision_issue(application=applications[0], notify=False)
    year = timezone.localdate().year
    assert counters.last_number(prefix=counters.DECISION_PREFIX, year=year) == 0


@pytest.mark.django_db
def test_a_batch_that_never_started_is_stalled_and_can_be_restarted():
    """On the demo a batch stayed "Wacht op de achtergrondtaak" for 30 minutes: only
    running batches counted as stalled. A waiting batch that no worker took up within
    STALLED_AFTER is stalled, and a restart makes its letters."""
    round_, _applications, decider = fixed_round(count=2)
    batch = services.letter_batch_start(
        round=round_, actor=decider, notify=False, enqueue=False
    )
    assert batch.status == LetterBatch.Status.WAITING
    assert not services.batch_is_stalled(batch)
    later = timezone.now() + services.STALLED_AFTER + timedelta(seconds=1)
    assert services.batch_is_stalled(batch, now=later)
    LetterBatch.objects.filter(pk=batch.pk).update(
        created_at=timezone.now() - services.STALLED_AFTER - timedelta(seconds=1)
    )
    batch.refresh_from_db()
    services.letter_batch_restart(batch=batch, actor=decider)
    counts = letter_services.letter_batch_run(batch_id=batch.pk)
    assert counts == {"total": 2, "done": 2, "skipped": 0, "failed": 0}


@pytest.mark.django_db
def test_a_waiting_batch_whose_task_failed_is_stalled_at_once(
    django_capture_on_commit_callbacks,
):
    """A task that died before it marked its batch running (as on "database is
    locked") shows the batch as stalled right away, with the restart button."""
    database_backend = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with override_settings(TASKS=database_backend):
        round_, _applications, decider = fixed_round(count=1)
        with django_capture_on_commit_callbacks(execute=True):
            batch = services.letter_batch_start(
                round=round_, actor=decider, notify=False
            )
        batch.refresh_from_db()
        assert batch.task_id and not services.batch_is_stalled(batch)
        DBTaskResult.objects.filter(id=batch.task_id).update(status="FAILED")
        assert services.batch_is_stalled(batch)
        client = Client()
        client.force_login(decider)
        page = client.get(reverse("besluiten:batch", args=[batch.pk]))
        assert "niet begonnen" in page.content.decode()
        assert "Opnieuw starten" in page.content.decode()
