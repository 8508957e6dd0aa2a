"""The letters of a round in the background: progress, failures, crashes and restarts."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from beoordeling.decisions.services import decisions as services
from beoordeling.decisions.services import letters as letter_services
from beoordeling.models import Decision, DecisionError, LetterBatch
from subsidies.models import Applicant, Document
from tests.factories import assessor, fixed_round

pytestmark = pytest.mark.django_db


class WorkerKilled(BaseException):
    """Stands in for the worker process being killed halfway."""


def test_a_batch_makes_every_letter_of_the_round_and_counts_its_progress(
    django_capture_on_commit_callbacks, mailoutbox, monkeypatch
):
    """The task runs after the commit, counts every letter, and mails each applicant."""
    round_, applications, decider = fixed_round()
    seen = []
    original = letter_services.render_letter
    # One letter a chunk, so the progress is visible letter by letter.
    monkeypatch.setattr(letter_services, "CHUNK_SIZE", 1)

    def watching(content):
        seen.append(LetterBatch.objects.latest("pk").done)
        return original(content)

    monkeypatch.setattr(letter_services, "render_letter", watching)
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.letter_batch_start(round=round_, actor=decider)
    batch.refresh_from_db()
    assert seen == [0, 1, 2, 3, 4]
    assert (batch.total, batch.done, batch.skipped, batch.failed) == (5, 5, 0, 0)
    assert batch.status == LetterBatch.Status.DONE and batch.percent == 100
    assert batch.task_id and batch.attempts == 1
    assert batch.finished_at is not None and batch.progress_at is not None
    assert Decision.objects.filter(batch=batch).count() == 5
    kinds = sorted(Decision.objects.values_list("kind", flat=True))
    assert kinds == ["afwijzing_budget"] * 2 + ["verlening"] * 3
    assert len(mailoutbox) == 5


def test_a_batch_can_be_started_without_emails():
    """The decision maker may choose not to mail (e.g. letters go by post first)."""
    round_, _applications, decider = fixed_round(count=2)
    batch = services.letter_batch_start(round=round_, actor=decider, notify=False)
    letter_services.letter_batch_run(batch_id=batch.pk)
    assert not Decision.objects.filter(notified_at__isnull=False).exists()


def test_a_failing_letter_is_counted_with_a_dutch_reason_and_retried_on_restart(
    django_capture_on_commit_callbacks,
):
    """One applicant without an address fails; after the fix a restart completes it."""
    round_, applications, decider = fixed_round(count=3)
    broken = applications[1]
    Applicant.objects.filter(pk=broken.applicant_id).update(street="")
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.letter_batch_start(round=round_, actor=decider, notify=False)
    batch.refresh_from_db()
    assert (batch.done, batch.failed, batch.status) == (2, 1, LetterBatch.Status.DONE)
    assert broken.reference in batch.errors[0]["message"]
    assert "adres geadresseerde" in batch.errors[0]["message"]
    Applicant.objects.filter(pk=broken.applicant_id).update(street="Vinkenburgstraat 2")
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_batch_restart(batch=batch, actor=decider)
    batch.refresh_from_db()
    assert (batch.done, batch.failed, batch.errors) == (3, 0, [])
    assert batch.attempts == 2
    assert Decision.objects.count() == 3


def test_a_batch_killed_halfway_restarts_without_duplicates(monkeypatch):
    """Two letters made, then the worker dies; the restart makes only the rest."""
    round_, applications, decider = fixed_round(count=5)
    batch = services.letter_batch_start(round=round_, actor=decider, notify=False)
    original = letter_services.render_letter
    monkeypatch.setattr(letter_services, "CHUNK_SIZE", 1)
    calls = []

    def dying(content):
        if len(calls) == 2:
            raise WorkerKilled
        calls.append(content.kenmerk)
        return original(content)

    monkeypatch.setattr(letter_services, "render_letter", dying)
    with pytest.raises(WorkerKilled):
        letter_services.letter_batch_run(batch_id=batch.pk)
    monkeypatch.setattr(letter_services, "render_letter", original)
    batch.refresh_from_db()
    assert batch.status == LetterBatch.Status.FAILED and batch.done == 2
    # A killed process leaves "running" behind; after a while it counts as stalled.
    LetterBatch.objects.filter(pk=batch.pk).update(
        status=LetterBatch.Status.RUNNING,
        progress_at=timezone.now() - services.STALLED_AFTER - timedelta(seconds=1),
    )
    batch.refresh_from_db()
    assert services.batch_is_stalled(batch)
    services.letter_batch_restart(batch=batch, actor=decider)
    counts = letter_services.letter_batch_run(batch_id=batch.pk)
    assert counts == {"total": 5, "done": 5, "skipped": 0, "failed": 0}
    assert Decision.objects.count() == 5
    assert Document.objects.filter(kind=Document.Kind.DECISION_LETTER).count() == 5
    assert Decision.objects.filter(batch=batch).count() == 5


def test_running_a_finished_batch_again_changes_nothing():
    """A task delivered twice finds the batch done and makes nothing."""
    round_, _applications, decider = fixed_round(count=2)
    batch = services.letter_batch_start(round=round_, actor=decider, notify=False)
    letter_services.letter_batch_run(batch_id=batch.pk)
    counts = letter_services.letter_batch_run(batch_id=batch.pk)
    assert counts["done"] == 2 and Decision.objects.count() == 2


def test_letters_made_one_by_one_are_skipped_by_the_batch():
    """An application that already has its beschikking is counted as skipped."""
    round_, applications, decider = fixed_round(count=3)
    batch = services.letter_batch_start(round=round_, actor=decider, notify=False)
    services.decision_issue(application=applications[0], notify=False)
    counts = letter_services.letter_batch_run(batch_id=batch.pk)
    assert counts == {"total": 3, "done": 2, "skipped": 1, "failed": 0}
    assert Decision.objects.count() == 3


def test_a_round_without_letters_to_make_is_refused():
    """Starting a batch with nothing to do is a clear message."""
    round_, _applications, decider = fixed_round(count=1)
    batch = services.letter_batch_start(round=round_, actor=decider, notify=False)
    letter_services.letter_batch_run(batch_id=batch.pk)
    with pytest.raises(DecisionError, match="al een beschikking"):
        services.letter_batch_start(round=round_, actor=decider)


def test_a_running_batch_cannot_be_restarted_until_it_stalls():
    """Two workers on one batch are avoided; a stalled one may be taken over."""
    round_, _applications, decider = fixed_round(count=1)
    batch = services.letter_batch_start(round=round_, actor=decider, notify=False)
    LetterBatch.objects.filter(pk=batch.pk).update(
        status=LetterBatch.Status.RUNNING, progress_at=timezone.now()
    )
    with pytest.raises(DecisionError, match="loopt nog"):
        services.letter_batch_restart(batch=batch, actor=decider)


def test_only_a_decision_maker_starts_a_batch():
    """An assessor may not send beschikkingen."""
    round_, _applications, _decider = fixed_round(count=1)
    with pytest.raises(DecisionError, match="besluitvormer"):
        services.letter_batch_start(round=round_, actor=assessor())


@pytest.mark.django_db(transaction=True)
def test_the_database_task_backend_runs_the_batch_in_a_worker():
    """With django-tasks-db the batch waits in the queue until db_worker runs it."""
    database_backend = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with override_settings(TASKS=database_backend):
        round_, _applications, decider = fixed_round(count=3)
        batch = services.letter_batch_start(round=round_, actor=decider, notify=False)
        batch.refresh_from_db()
        assert batch.status == LetterBatch.Status.WAITING and batch.task_id
        assert DBTaskResult.objects.filter(id=batch.task_id).exists()
        call_command(
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--no-reload",
            stdout=StringIO(),
            stderr=StringIO(),
        )
    batch.refresh_from_db()
    assert batch.status == LetterBatch.Status.DONE and batch.done == 3
    assert DBTaskResult.objects.get(id=batch.task_id).status == "SUCCESSFUL"
