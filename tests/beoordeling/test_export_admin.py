"""Exports from the Wagtail admin and the command: who may, what is logged, large ones."""

import io
import json
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.roles import ADMINISTRATOR, APPLICANT, ASSESSOR
from beoordeling.models import ExportChannel, ExportJob, ExportLog
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
    """An Aanvrager never gets past Wagtail's admin gate: no file, nothing logged."""
    client.force_login(UserFactory(role=APPLICANT))
    response = client.post(export_url(), {"formaat": "csv"})
    assert response.status_code in (302, 403)
    assert "attachment" not in response.get("Content-Disposition", "")
    if response.status_code == 302:
        assert "/admin/login/" in response["Location"]
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
