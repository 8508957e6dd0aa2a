"""Background tasks of the decisions, through Django's tasks API (django-tasks backport).

In development and production the tasks live in the database
(``django_tasks_db.DatabaseBackend``) and ``manage.py db_worker`` runs them, so no
other server is needed; tests run them at once (``ImmediateBackend``). A task only
carries the id of its ``LetterBatch``: the batch row holds the work and the progress.
"""

from django_tasks import task

from .services.letters import letter_batch_run


@task()
def generate_round_letters(batch_id: int) -> dict:
    """Make the beschikkingen of one letter batch; see ``letter_batch_run``."""
    return letter_batch_run(batch_id=batch_id)
