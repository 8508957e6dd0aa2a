"""Background tasks of the resident's side, through Django's tasks API (django-tasks).

``send_report_reminders`` is meant to run once a day (``manage.py
send_report_reminders`` from cron, or enqueued by a scheduler); running it more often
sends nothing twice: each reminder is recorded once per kind and due date.
"""

from django_tasks import task

from .reports import send_report_reminders


@task()
def report_reminders() -> int:
    """Queue today's reminders about the verantwoording; returns how many."""
    return send_report_reminders()
