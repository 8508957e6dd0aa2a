"""Background jobs: work a task does outside the request, with its progress on a row.

Every background job of the portal (a round's letters, ``LetterBatch``; a large
export, ``ExportJob``) derives from ``BackgroundJob``, which holds the one rule of a
job's life:

- it is recorded ``wachtend`` (waiting) by a use case, which enqueues its task after
  the commit and keeps the task's id (``task_id``);
- a run of the task takes it (``begin_run``): ``bezig`` (running), one attempt more
  (``attempts``); the run writes its progress (``record_progress``: ``done`` of
  ``total`` and the moment, ``progress_at``) outside any transaction, so the admin
  page sees it while the task runs;
- the run ends it ``klaar`` (``finish``) or ``mislukt`` (``fail``);
- a job without a sign of life for ``STALLED_AFTER`` lost its worker
  (``is_stalled``): running without progress, or, for a kind whose task can die
  before it takes the job (``STALLS_WHILE_WAITING``), waiting with no worker taking
  it or with its task known to have failed;
- a failed or stalled job may be started again (``may_retry``, ``put_back``): it is
  waiting once more and its task is enqueued again; the run does not redo what exists.

The field names, columns and labels are those each job had before it shared this base;
a job keeps its own where its words differ (a letter batch is ``Afgebroken``, not
``Mislukt``). The use cases (``beoordeling.decisions.services``,
``beoordeling.overviews.exports``) decide when; these methods are the how.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import TaskResultStatus, default_task_backend

__all__ = ["STALLED_AFTER", "BackgroundJob", "JobStatus"]

#: A job without a sign of life for this long lost its worker.
STALLED_AFTER = timedelta(minutes=5)


class JobStatus(models.TextChoices):
    WAITING = "wachtend", _("Wacht op de achtergrondtaak")
    RUNNING = "bezig", _("Bezig")
    DONE = "klaar", _("Klaar")
    FAILED = "mislukt", _("Mislukt")


class BackgroundJob(models.Model):
    """The fields and the life of a background job (see the module's docstring)."""

    #: A job kind may name its statuses in its own words, with these values.
    Status = JobStatus

    #: True for a kind whose waiting job stalls too: its task can die before it takes
    #: the job, or the enqueue after the commit can fail.
    STALLS_WHILE_WAITING = False

    status = models.CharField(
        _("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.WAITING
    )
    total = models.PositiveIntegerField(_("totaal"), default=0)
    done = models.PositiveIntegerField(_("gemaakt"), default=0)
    #: Runs started; a run only finishes the job while it is the latest one.
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    task_id = models.CharField(_("taak"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("gestart door"),
    )
    created_at = models.DateTimeField(_("gestart op"))
    started_at = models.DateTimeField(_("begonnen op"), null=True, blank=True)
    progress_at = models.DateTimeField(_("laatste voortgang"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    # --- what the job is now -------------------------------------------------------

    @property
    def processed(self):
        """The items the runs dealt with so far (a kind may count more than ``done``)."""
        return self.done

    @property
    def percent(self):
        if self.status == JobStatus.DONE:
            return 100
        return min(100, round(100 * self.processed / self.total)) if self.total else 0

    @property
    def is_finished(self):
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def is_stalled(self):
        return self.stalled_at(timezone.now())

    def stalled_at(self, now):
        """Whether the job has stopped as seen at ``now`` (see the module's docstring)."""
        running = self.status == JobStatus.RUNNING
        waiting = self.status == JobStatus.WAITING and self.STALLS_WHILE_WAITING
        if not (running or waiting):
            return False
        last = self.progress_at or self.started_at or self.created_at
        if now - last > STALLED_AFTER:
            return True
        return waiting and self.task_failed()

    def task_failed(self):
        """True when the job's task is known to have ended in failure."""
        if not self.task_id:
            return False
        try:
            result = default_task_backend.get_result(self.task_id)
        except Exception:  # noqa: BLE001 - unknown to this backend: judge by the clock
            return False
        return result.status == TaskResultStatus.FAILED

    def may_retry(self):
        """A failed or stalled job may be started again."""
        return self.status == JobStatus.FAILED or self.is_stalled

    # --- the steps of its life, each one update of its row --------------------------

    def rows(self, *, attempt=None):
        """The job's row; with ``attempt``, only while that run is the latest one."""
        rows = type(self)._default_manager.filter(pk=self.pk)
        return rows if attempt is None else rows.filter(attempts=attempt)

    def begin_run(self, *, now, **fields):
        """A run takes the job: running, one attempt more, no end yet."""
        fields.setdefault("started_at", now)
        self.rows().update(
            status=JobStatus.RUNNING,
            progress_at=now,
            finished_at=None,
            attempts=F("attempts") + 1,
            **fields,
        )

    def record_progress(self, *, attempt=None, **counts):
        """The run moved on: new counts (values or ``F`` expressions), and the moment."""
        self.rows(attempt=attempt).update(progress_at=timezone.now(), **counts)

    def finish(self, *, now, **fields):
        """The run did all of it."""
        self.rows().update(status=JobStatus.DONE, finished_at=now, **fields)

    def fail(self, *, attempt=None, **fields):
        """The run broke off; only a running job (of that run) is marked."""
        rows = self.rows(attempt=attempt).filter(status=JobStatus.RUNNING)
        return rows.update(status=JobStatus.FAILED, **fields)

    def put_back(self, **fields):
        """Waiting again, for a new run after a failure or a stall."""
        self.rows().update(
            status=JobStatus.WAITING, progress_at=timezone.now(), **fields
        )
