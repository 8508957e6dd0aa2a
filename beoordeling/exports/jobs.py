"""Start a background export: record the job, enqueue its task after the commit.

Kept apart from ``services`` because the task module imports the services: this
module is the only one that imports the task.
"""

from django.db import transaction

from ..models import ExportJob
from ..tasks_exports import run_export_job
from .services import export_job_create


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
