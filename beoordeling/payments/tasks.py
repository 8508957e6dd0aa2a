"""Background task of the payments (django-tasks, like the letter batches): bring
every awarded application's ledger in line with its facts."""

from django_tasks import task

from .services.planning import plan_all


@task()
def plan_all_payments() -> int:
    """``plan_payments`` for every awarded application; returns how many changed."""
    return plan_all()
