"""Start a background export: record the job, enqueue its task after the commit.

Kept apart from ``services`` because the task module imports the services: this
module is the only one that imports the task. ``export_job_restart`` starts a job that
failed or stalled (``ExportJob.is_stalled``: running, but its worker is gone) again,
as ``letter_batch_restart`` does for letters; the run writes the whole file afresh.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from beoordeling.models import ExportJob

from ..tasks import run_export_job
from .services import export_job_create


class ExportJobRestartRefused(Exception):
    """The job runs or is finished, or it is someone else's: it is not started again."""


def _enqueue(job_id):
    result = run_export_job.enqueue(job_id)
    ExportJob.objects.filter(pk=job_id).update(task_id=str(result.id))


def export_job_start(*, kind, fmt, filters, user, total):
    """Record a background export for ``user`` and enqueue it once the row is saved."""
    with transaction.atomic():
        job = export_job_create(
            kind=kind, fmt=fmt, filters=filters, user=user, total=total
        )
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def export_job_restart(*, job, actor):
    """Put a failed or stalled job back to waiting and enqueue it after the commit."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().get(pk=job.pk)
        if not job.may_restart(actor):
            raise ExportJobRestartRefused(
                _(
                    "Deze export kan niet opnieuw worden gestart: hij loopt nog, is al "
                    "klaar of is door iemand anders gestart."
                )
            )
        job.put_back(error="", finished_at=None)
        transaction.on_commit(lambda: _enqueue(job.pk))
    job.refresh_from_db()
    return job
