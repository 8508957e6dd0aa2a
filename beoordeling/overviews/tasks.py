"""Background task of the exports, through Django's tasks API (django-tasks backport).

In development and production it runs in ``manage.py db_worker``
(``django_tasks_db.DatabaseBackend``); tests run it at once (``ImmediateBackend``). The
task carries only the id of its ``ExportJob``: the row holds the filters and the
progress.
"""

from django_tasks import task

from .exports.services import export_job_run


@task()
def run_export_job(job_id: int) -> dict:
    """Write the file of one background export; see ``export_job_run``."""
    return export_job_run(job_id=job_id)
