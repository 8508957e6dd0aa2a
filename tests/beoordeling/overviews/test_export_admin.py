"""Exports from the Wagtail admin and the command: who may, what is logged, large ones."""

import io
import json
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from django.core.files.storage import InMemoryStorage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.roles import ADMINISTRATOR, APPLICANT, ASSESSOR
from beoordeling.decisions.services.decisions import (
    STALLED_AFTER as LETTERS_STALLED_AFTER,
)
from beoordeling.models import ExportChannel, ExportJob, ExportKind, ExportLog
from beoordeling.models.exports import STALLED_AFTER
from beoordeling.overviews.exports import services, writers
from beoordeling.overviews.exports.filters import ExportFilters
from beoordeling.overviews.exports.jobs import (
    ExportJobRestartRefused,
    export_job_restart,
    export_job_start,
)
from subsidies.workflow import Status
from tests.factories import (
    ApplicationFactory,
    RoundFactory,
    UserFactory,
    WijkFactory,
    assessor,
    decided_application,
    decision_maker,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_with_awards():
    round_ = RoundFactory(name="Voorjaar")
    wijk = WijkFactory(code="west", name="West")
    staff = {"assessed_by": assessor(), "decided_by": decision_maker()}
    awards = [
        decided_application(
            round=round_, wijk=wijk, amount_cents=amount, awarded_cents=amount, **staff
        )
        for amount in (100_050, 200_025, 300_099)
    ]
    return round_, wijk, awards


@pytest.fixture
def beheerder(client):
    user = UserFactory(role=ADMINISTRATOR)
    client.force_login(user)
    return user


def export_url(kind="besluiten"):
    return reverse("overzichten:export", args=[kind])


def test_an_administrator_sees_the_award_list_with_its_filters(
    client, beheerder, round_with_awards
):
    """The list shows the filtered awards and the totals the export will hold."""
    round_, _wijk, awards = round_with_awards
    response = client.get(
        reverse("overzichten:list", args=["besluiten"]), {"ronde": round_.pk}
    )
    assert response.status_code == 200
    body = response.content.decode()
    for application in awards:
        assert application.reference in body
    assert "€\u00a06.001,74" in body


def test_an_administrator_downloads_a_small_export_at_once_and_it_is_logged(
    client, beheerder, round_with_awards
):
    """A small export is an attachment at once; the log says who, what, filters, rows."""
    round_, wijk, _awards = round_with_awards
    response = client.post(
        export_url(),
        {
            "ronde": round_.pk,
            "wijk": wijk.pk,
            "status": Status.AWARDED,
            "formaat": "xlsx",
        },
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 4
    log = ExportLog.objects.get()
    assert log.user == beheerder
    assert log.kind == "besluiten" and log.format == "xlsx"
    assert log.row_count == 3
    assert log.channel == ExportChannel.ADMIN
    assert log.filters == {
        "round_id": round_.pk,
        "wijk_id": wijk.pk,
        "status": "toegekend",
    }
    assert "ronde:" in log.filters_text and "West" in log.filters_text


@pytest.mark.parametrize("role", [ASSESSOR, "Besluitvormer"])
def test_staff_without_the_export_permission_get_403_and_no_file(
    client, role, round_with_awards
):
    """A Beoordelaar or Besluitvormer can neither see the lists nor export: 403."""
    client.force_login(UserFactory(role=role))
    assert (
        client.get(reverse("overzichten:list", args=["besluiten"])).status_code == 403
    )
    response = client.post(export_url(), {"formaat": "csv"})
    assert response.status_code == 403
    assert "attachment" not in response.get("Content-Disposition", "")
    assert client.get(reverse("overzichten:dashboard")).status_code == 403
    assert not ExportLog.objects.exists()


def test_an_applicant_cannot_export(client, round_with_awards):
    """An Aanvrager gets 403 at every overview and export: no file, nothing logged."""
    client.force_login(UserFactory(role=APPLICANT))
    response = client.post(export_url(), {"formaat": "csv"})
    assert response.status_code == 403
    assert "attachment" not in response.get("Content-Disposition", "")
    assert "Geen toegang" in response.content.decode()
    list_url = reverse("overzichten:list", args=["besluiten"])
    assert client.get(list_url).status_code == 403
    assert client.get(reverse("overzichten:dashboard")).status_code == 403
    assert not ExportLog.objects.exists()


def test_an_anonymous_visitor_cannot_export(client, round_with_awards):
    """Not logged in: to the login page, no file."""
    response = client.post(export_url(), {"formaat": "json"})
    assert response.status_code == 302
    assert not ExportLog.objects.exists()


def test_a_large_export_runs_in_the_background_with_progress_and_a_private_download(
    client, beheerder, round_with_awards, settings, django_capture_on_commit_callbacks
):
    """Above the threshold: a job, its progress page, a download only for its creator."""
    settings.EXPORT_BACKGROUND_THRESHOLD = 2
    round_, _wijk, _awards = round_with_awards
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(export_url(), {"ronde": round_.pk, "formaat": "json"})
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("overzichten:job", args=[job.pk])
    assert job.status == ExportJob.Status.DONE
    assert (job.done, job.total, job.percent) == (3, 3, 100)
    assert job.task_id
    page = client.get(response["Location"])
    assert page.status_code == 200
    download_url = reverse("overzichten:job_download", args=[job.pk])
    assert download_url in page.content.decode()
    download = client.get(download_url)
    assert download.status_code == 200
    rows = json.loads(b"".join(download.streaming_content))
    assert len(rows) == 3
    log = ExportLog.objects.get()
    assert (log.channel, log.job, log.row_count) == (ExportChannel.BACKGROUND, job, 3)

    other = UserFactory(role=ADMINISTRATOR)
    client.force_login(other)
    assert client.get(download_url).status_code == 404
    client.force_login(UserFactory(role=ASSESSOR))
    assert client.get(download_url).status_code == 403


def test_a_waiting_job_page_refreshes_itself(client, beheerder, settings):
    """While the job is not finished the page reloads itself (no JavaScript needed)."""
    settings.EXPORT_BACKGROUND_THRESHOLD = 0
    ApplicationFactory(submitted=True)
    response = client.post(export_url("aanvragen"), {"formaat": "csv"})
    job = ExportJob.objects.get()  # no commit callbacks ran: still waiting
    assert job.status == ExportJob.Status.WAITING
    page = client.get(response["Location"])
    assert '<meta http-equiv="refresh" content="3">' in page.content.decode()


def test_the_export_log_page_lists_every_export(client, beheerder, round_with_awards):
    """The log page shows the exports with their filters and row counts."""
    round_, _wijk, _awards = round_with_awards
    client.post(export_url(), {"ronde": round_.pk, "formaat": "csv"})
    page = client.get(reverse("overzichten:jobs"))
    assert page.status_code == 200
    assert "Voorjaar" in page.content.decode()


def test_the_command_writes_the_file_and_logs_it(tmp_path, round_with_awards):
    """manage.py export_overview: the same export, logged with the command as actor."""
    round_, _wijk, awards = round_with_awards
    out = Path(tmp_path) / "besluiten.csv"
    stdout = io.StringIO()
    call_command(
        "export_overview",
        "--kind=besluiten",
        "--format=csv",
        f"--round={round_.scheme.name}: {round_.name}",
        "--status=toegekend",
        f"--out={out}",
        stdout=stdout,
    )
    text = out.read_text(encoding="utf-8")
    assert all(application.reference in text for application in awards)
    assert "3 regels" in stdout.getvalue()
    log = ExportLog.objects.get()
    assert log.channel == ExportChannel.COMMAND
    assert log.user is None and "export_overview" in log.actor_label
    assert log.row_count == 3 and log.filters["round_id"] == round_.pk


def test_the_export_log_cannot_be_changed(client, beheerder, round_with_awards):
    """Written once: no update, no delete."""
    from beoordeling.models import ImmutableExportLogError

    client.post(export_url(), {"formaat": "csv"})
    log = ExportLog.objects.get()
    with pytest.raises(ImmutableExportLogError):
        log.save()
    with pytest.raises(ImmutableExportLogError):
        ExportLog.objects.update(row_count=0)
    with pytest.raises(ImmutableExportLogError):
        log.delete()


def test_an_unknown_list_is_not_found(client, beheerder):
    """Only the three overviews exist as lists."""
    assert client.get(reverse("overzichten:list", args=["onbekend"])).status_code == 404
    assert client.post(export_url("open-data"), {"formaat": "csv"}).status_code == 404


def test_the_command_exports_open_data_for_a_year(tmp_path, round_with_awards):
    """The Woo overview for a year as JSON, for a scheduled publication; logged."""
    out = Path(tmp_path) / "woo.json"
    year = timezone.localdate().year
    call_command(
        "export_overview",
        "--kind=open-data",
        "--format=json",
        f"--from={year}-01-01",
        f"--to={year}-12-31",
        f"--out={out}",
        stdout=io.StringIO(),
    )
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert len(rows) == 3 and {row["Jaar"] for row in rows} == {year}
    assert ExportLog.objects.get().kind == "open-data"


# --- a background export killed halfway ------------------------------------------------


class WorkerKilled(BaseException):
    """Stands in for the worker process being killed halfway: no handler runs."""


@pytest.fixture
def export_storage(monkeypatch):
    """A fresh private storage for the export files, to count what a job left."""
    storage = InMemoryStorage()
    monkeypatch.setattr(ExportJob._meta.get_field("file"), "storage", storage)
    return storage


@pytest.fixture
def waiting_job(beheerder, round_with_awards):
    """A background export of the three awards, recorded but not run yet."""
    round_, _wijk, _awards = round_with_awards
    filters = ExportFilters(round_id=round_.pk)
    return export_job_start(
        kind=ExportKind.AWARDS, fmt="json", filters=filters, user=beheerder, total=3
    )


def dying_after(monkeypatch, rows, then=None):
    """Make the writers die (or call ``then``) after ``rows`` rows, progress each row."""
    original = writers._counted
    monkeypatch.setattr(writers, "PROGRESS_EVERY", 1)

    def dying(rows_in, on_progress):
        for count, row in enumerate(original(rows_in, on_progress), start=1):
            if count > rows:
                if then is None:
                    raise WorkerKilled
                then()
            yield row

    monkeypatch.setattr(writers, "_counted", dying)
    return original


def stall(job):
    """What a killed worker leaves behind once ``STALLED_AFTER`` has passed."""
    ExportJob.objects.filter(pk=job.pk).update(
        progress_at=timezone.now() - STALLED_AFTER - timedelta(seconds=1)
    )
    job.refresh_from_db()
    assert job.status == ExportJob.Status.RUNNING and job.is_stalled


def stored_files(storage):
    return storage.listdir("exports")[1] if storage.exists("exports") else []


def test_an_export_killed_halfway_restarts_to_one_complete_file_and_one_log_row(
    client,
    beheerder,
    round_with_awards,
    waiting_job,
    export_storage,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    """Two of three rows written, then the worker dies; the restart writes all three."""
    _round, _wijk, awards = round_with_awards
    original = dying_after(monkeypatch, 2)
    with pytest.raises(WorkerKilled):
        services.export_job_run(job_id=waiting_job.pk)
    job = ExportJob.objects.get(pk=waiting_job.pk)
    assert (job.status, job.done, job.attempts) == (ExportJob.Status.RUNNING, 2, 1)
    assert not job.file and not ExportLog.objects.exists()
    assert stored_files(export_storage) == []
    assert not job.is_stalled  # only once the progress is old
    stall(job)
    page = client.get(reverse("overzichten:job", args=[job.pk])).content.decode()
    assert "Vastgelopen" in page and 'http-equiv="refresh"' not in page

    monkeypatch.setattr(writers, "_counted", original)
    with django_capture_on_commit_callbacks(execute=True):
        export_job_restart(job=job, actor=beheerder)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    assert (job.done, job.total, job.attempts, job.error) == (3, 3, 2, "")
    assert stored_files(export_storage) == [job.file.name.removeprefix("exports/")]
    with job.file.open("rb") as handle:
        rows = json.loads(handle.read())
    references = [row["Kenmerk aanvraag"] for row in rows]
    assert sorted(references) == sorted(a.reference for a in awards)
    log = ExportLog.objects.get()
    assert (log.job, log.row_count, log.channel) == (job, 3, ExportChannel.BACKGROUND)


def test_a_run_killed_while_storing_the_file_leaves_one_file_after_the_restart(
    beheerder, waiting_job, export_storage, monkeypatch
):
    """The file was saved but the commit never came; the restart replaces it."""

    def killed(**kwargs):
        raise WorkerKilled

    original = services.export_log_write
    monkeypatch.setattr(services, "export_log_write", killed)
    with pytest.raises(WorkerKilled):
        services.export_job_run(job_id=waiting_job.pk)
    left = stored_files(export_storage)
    assert len(left) == 1  # the file of the run that was killed
    job = ExportJob.objects.get(pk=waiting_job.pk)
    assert job.status == ExportJob.Status.RUNNING and not job.file
    stall(job)
    monkeypatch.setattr(services, "export_log_write", original)
    export_job_restart(job=job, actor=beheerder)
    services.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    assert stored_files(export_storage) == left == [job.file.name.split("/")[-1]]
    assert ExportLog.objects.filter(job=job).count() == 1


def test_a_worker_taken_for_dead_that_comes_back_stores_nothing(
    beheerder, waiting_job, export_storage, monkeypatch
):
    """The restarted run finishes first; the old one then finds it is not its job."""

    def restart_and_finish_meanwhile():
        if ExportJob.objects.get(pk=waiting_job.pk).attempts == 1:
            job = ExportJob.objects.get(pk=waiting_job.pk)
            stall(job)
            export_job_restart(job=job, actor=beheerder)
            services.export_job_run(job_id=job.pk)

    dying_after(monkeypatch, 1, then=restart_and_finish_meanwhile)
    result = services.export_job_run(job_id=waiting_job.pk)
    assert result == {"job": waiting_job.pk, "status": ExportJob.Status.DONE}
    job = ExportJob.objects.get(pk=waiting_job.pk)
    assert (job.status, job.attempts, job.done) == (ExportJob.Status.DONE, 2, 3)
    assert len(stored_files(export_storage)) == 1
    assert ExportLog.objects.filter(job=job).count() == 1


def test_a_running_or_finished_export_is_not_restarted(
    beheerder, waiting_job, export_storage
):
    """Two workers on one job are avoided: only a failed or stalled job starts again."""
    ExportJob.objects.filter(pk=waiting_job.pk).update(
        status=ExportJob.Status.RUNNING, progress_at=timezone.now()
    )
    job = ExportJob.objects.get(pk=waiting_job.pk)
    with pytest.raises(ExportJobRestartRefused, match="loopt nog"):
        export_job_restart(job=job, actor=beheerder)
    # A task delivered a second time leaves the running job to its worker.
    assert services.export_job_run(job_id=job.pk)["status"] == ExportJob.Status.RUNNING
    assert ExportJob.objects.get(pk=job.pk).attempts == 0
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.WAITING)
    services.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    with pytest.raises(ExportJobRestartRefused):
        export_job_restart(job=job, actor=beheerder)
    assert services.export_job_run(job_id=job.pk)["status"] == ExportJob.Status.DONE
    assert ExportLog.objects.filter(job=job).count() == 1


def test_only_its_creator_restarts_a_stalled_export(
    beheerder, waiting_job, monkeypatch
):
    """Another administrator does not restart (or see) someone else's export."""
    dying_after(monkeypatch, 0)
    with pytest.raises(WorkerKilled):
        services.export_job_run(job_id=waiting_job.pk)
    job = ExportJob.objects.get(pk=waiting_job.pk)
    stall(job)
    other = UserFactory(role=ADMINISTRATOR)
    assert not job.may_restart(other) and job.may_restart(beheerder)
    with pytest.raises(ExportJobRestartRefused):
        export_job_restart(job=job, actor=other)


def test_a_failed_export_can_be_restarted(beheerder, waiting_job, monkeypatch):
    """An error is recorded as failed with its reason; a restart clears it."""

    def broken(**kwargs):
        raise OSError("schijf vol")

    original = services.export_write
    monkeypatch.setattr(services, "export_write", broken)
    assert services.export_job_run(job_id=waiting_job.pk)["status"] == "mislukt"
    job = ExportJob.objects.get(pk=waiting_job.pk)
    assert "schijf vol" in job.error and job.may_restart(beheerder)
    monkeypatch.setattr(services, "export_write", original)
    export_job_restart(job=job, actor=beheerder)
    services.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.error, job.done) == (ExportJob.Status.DONE, "", 3)


def test_an_export_stalls_after_the_same_time_as_a_letter_batch():
    """One rule for every background job: no progress for five minutes."""
    assert STALLED_AFTER == LETTERS_STALLED_AFTER == timedelta(minutes=5)


def test_the_job_page_restarts_a_stalled_export_with_its_button(
    client,
    beheerder,
    waiting_job,
    export_storage,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    """A stalled job shows "Export opnieuw starten"; pressing it finishes the export."""
    original = dying_after(monkeypatch, 1)
    with pytest.raises(WorkerKilled):
        services.export_job_run(job_id=waiting_job.pk)
    monkeypatch.setattr(writers, "_counted", original)
    job = ExportJob.objects.get(pk=waiting_job.pk)
    stall(job)
    job_url = reverse("overzichten:job", args=[job.pk])
    assert "Export opnieuw starten" in client.get(job_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(job_url)
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.done == 3
    assert ExportLog.objects.filter(job=job).count() == 1
    page = client.get(job_url).content.decode()
    assert "Export opnieuw starten" not in page
    assert client.post(job_url).status_code == 302  # refused, with a message
    client.force_login(UserFactory(role=ADMINISTRATOR))
    assert client.post(job_url).status_code == 404
