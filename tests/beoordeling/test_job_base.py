"""Every background job (a round's letters, a large export) derives from the one base,
``beoordeling.models.jobs.BackgroundJob``: the same fields and columns as before, and
one rule for when a job lost its worker and how it is started again."""

import json
from dataclasses import dataclass
from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.files.storage import InMemoryStorage
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from accounts.roles import ADMINISTRATOR
from beoordeling.decisions.services import decisions as letter_services
from beoordeling.models import (
    Decision,
    DecisionError,
    ExportJob,
    ExportKind,
    ExportLog,
    LetterBatch,
)
from beoordeling.models.jobs import STALLED_AFTER, BackgroundJob
from beoordeling.overviews.exports.filters import ExportFilters
from beoordeling.overviews.exports.jobs import (
    ExportJobRestartRefused,
    export_job_restart,
    export_job_start,
)
from tests.factories import (
    RoundFactory,
    UserFactory,
    WijkFactory,
    assessor,
    decided_application,
    decision_maker,
    fixed_round,
)

pytestmark = pytest.mark.django_db

#: The shared fields and the columns they have always had.
JOB_COLUMNS = {
    "status": "status",
    "total": "total",
    "done": "done",
    "attempts": "attempts",
    "task_id": "task_id",
    "created_by": "created_by_id",
    "created_at": "created_at",
    "started_at": "started_at",
    "progress_at": "progress_at",
    "finished_at": "finished_at",
}


@dataclass
class Kind:
    """One kind of job, started through its own use cases, as staff start it."""

    job: BackgroundJob
    actor: object
    refused: type

    def restart(self):
        if isinstance(self.job, LetterBatch):
            return letter_services.letter_batch_restart(
                batch=self.job, actor=self.actor
            )
        return export_job_restart(job=self.job, actor=self.actor)

    def made(self):
        """What the finished job made: the letters, or the rows of the file."""
        if isinstance(self.job, LetterBatch):
            return Decision.objects.filter(batch=self.job).count()
        log = ExportLog.objects.get(job=self.job)
        with stored(self.job).file.open("rb") as handle:
            assert len(json.loads(handle.read())) == log.row_count
        return log.row_count


def letters():
    round_, _applications, decider = fixed_round(count=2)
    batch = letter_services.letter_batch_start(
        round=round_, actor=decider, notify=False, enqueue=False
    )
    return Kind(batch, decider, DecisionError)


def export():
    round_ = RoundFactory(name="Voorjaar")
    wijk = WijkFactory(code="west", name="West")
    staff = {"assessed_by": assessor(), "decided_by": decision_maker()}
    for amount in (100_050, 200_025):
        decided_application(
            round=round_, wijk=wijk, amount_cents=amount, awarded_cents=amount, **staff
        )
    user = UserFactory(role=ADMINISTRATOR)
    job = export_job_start(
        kind=ExportKind.AWARDS,
        fmt="json",
        filters=ExportFilters(round_id=round_.pk),
        user=user,
        total=2,
    )
    return Kind(job, user, ExportJobRestartRefused)


@pytest.fixture(params=[letters, export], ids=["brievenreeks", "achtergrondexport"])
def kind(request, monkeypatch):
    monkeypatch.setattr(ExportJob._meta.get_field("file"), "storage", InMemoryStorage())
    return request.param()


def stored(job):
    return type(job).objects.get(pk=job.pk)


def long_ago():
    return timezone.now() - STALLED_AFTER - timedelta(seconds=1)


def test_every_background_job_derives_from_the_one_base_with_its_old_columns():
    """A model with a task and attempts is a ``BackgroundJob``; the columns, the
    status values and each kind's own words are those it had."""
    jobs = [
        model
        for model in apps.get_models()
        if {"task_id", "attempts"} <= {f.name for f in model._meta.get_fields()}
    ]
    assert sorted(model.__name__ for model in jobs) == ["ExportJob", "LetterBatch"]
    for model in jobs:
        assert issubclass(model, BackgroundJob)
        columns = {name: model._meta.get_field(name).column for name in JOB_COLUMNS}
        assert columns == JOB_COLUMNS
        assert [value for value, _label in model.Status.choices] == [
            "wachtend",
            "bezig",
            "klaar",
            "mislukt",
        ]
    assert LetterBatch(status="mislukt").get_status_display() == "Afgebroken"
    assert ExportJob(status="mislukt").get_status_display() == "Mislukt"
    assert LetterBatch._meta.get_field("done").verbose_name == "gemaakt"
    assert ExportJob._meta.get_field("done").verbose_name == "geschreven"
    assert LetterBatch._meta.get_field("created_by").null
    assert not ExportJob._meta.get_field("created_by").null


def test_the_base_needs_no_migration():
    """Moving the fields to the base changed nothing in the database."""
    out = StringIO()
    call_command("makemigrations", "beoordeling", check=True, dry_run=True, stdout=out)
    assert "No changes detected" in out.getvalue()


def test_a_stalled_job_of_each_kind_is_detected_and_retried_the_same_way(
    kind, django_capture_on_commit_callbacks
):
    """Taken by a worker that then died: stalled once ``STALLED_AFTER`` has passed
    without progress, started again by its use case, and finished by the new run with
    everything made once."""
    job = kind.job
    job.begin_run(now=timezone.now())
    job = stored(job)
    assert (job.status, job.attempts) == ("bezig", 1)
    assert not job.is_stalled and not job.may_retry()
    with pytest.raises(kind.refused):
        kind.restart()
    assert stored(job).status == "bezig"

    job.record_progress(done=1)
    assert not stored(job).is_stalled
    type(job).objects.filter(pk=job.pk).update(progress_at=long_ago())  # time passes
    job = stored(job)
    assert job.done == 1 and job.is_stalled and job.may_retry()
    assert job.stalled_at(job.progress_at + STALLED_AFTER + timedelta(seconds=1))
    assert not job.stalled_at(job.progress_at + STALLED_AFTER)

    with django_capture_on_commit_callbacks(execute=True):
        kind.restart()
    job = stored(job)
    assert (job.status, job.attempts, job.total, job.percent) == ("klaar", 2, 2, 100)
    assert job.task_id and job.finished_at >= job.started_at
    assert not job.is_stalled and not job.may_retry()
    assert kind.made() == 2


def test_a_failed_job_of_each_kind_may_be_retried(
    kind, django_capture_on_commit_callbacks
):
    """A run that broke off leaves the job failed; its use case starts it again."""
    job = kind.job
    job.begin_run(now=timezone.now())
    assert job.fail(attempt=stored(job).attempts, finished_at=timezone.now()) == 1
    job = stored(job)
    assert job.status == "mislukt" and job.is_finished and not job.is_stalled
    assert job.may_retry()
    with django_capture_on_commit_callbacks(execute=True):
        kind.restart()
    job = stored(job)
    assert (job.status, job.attempts) == ("klaar", 2)
    assert kind.made() == 2


def test_an_older_run_does_not_fail_or_move_a_job_a_newer_run_took(kind):
    """A worker taken for dead that comes back writes nothing on the job."""
    job = kind.job
    job.begin_run(now=timezone.now())
    old_run = stored(job).attempts
    job.put_back()
    job.begin_run(now=timezone.now())
    job.record_progress(attempt=old_run, done=2)
    assert job.fail(attempt=old_run) == 0
    job = stored(job)
    assert (job.status, job.attempts, job.done) == ("bezig", 2, 0)


def test_progress_counts_what_each_kind_dealt_with(kind):
    """Half of the items dealt with is 50 %; a letter skipped or failed counts too."""
    job = kind.job
    job.begin_run(now=timezone.now())
    assert stored(job).percent == 0
    if isinstance(job, LetterBatch):
        job.record_progress(skipped=F("skipped") + 1)
    else:
        job.record_progress(done=1)
    job = stored(job)
    assert (job.processed, job.percent, job.is_finished) == (1, 50, False)
    job.finish(now=timezone.now())
    assert stored(job).percent == 100


def test_a_waiting_letter_batch_stalls_and_a_waiting_export_waits_for_its_worker():
    """Only a letter batch's task can die before it takes the job (its demo runs on
    SQLite): a batch that no worker took for ``STALLED_AFTER`` may be restarted, a
    waiting export keeps waiting."""
    batch = letters().job
    job = export().job
    later = timezone.now() + STALLED_AFTER + timedelta(seconds=1)
    for waiting in (batch, job):
        assert waiting.status == "wachtend" and not waiting.is_stalled
    assert batch.stalled_at(later) and batch.may_retry() is False
    assert not job.stalled_at(later)


def test_a_letter_batch_is_stalled_exactly_when_the_decision_use_case_says_so():
    """The model's rule gives what ``batch_is_stalled`` gives, in every status."""
    batch = letters().job
    now = timezone.now()
    for status in ("wachtend", "bezig", "klaar", "mislukt"):
        for last in (now, long_ago()):
            LetterBatch.objects.filter(pk=batch.pk).update(
                status=status, progress_at=last
            )
            batch = stored(batch)
            assert batch.is_stalled == letter_services.batch_is_stalled(batch), (
                status,
                last,
            )
    LetterBatch.objects.filter(pk=batch.pk).update(status="klaar", failed=1)
    assert stored(batch).may_retry()
