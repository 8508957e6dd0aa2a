"""The background worker of production: django-tasks-db's ``db_worker`` that outlives
a database outage.

``db_worker`` stops with a traceback when the database cannot be reached (the pool
gives up after ``DB_POOL_TIMEOUT``). This command takes the same options, logs one
line and starts the loop again after a pause, so mail, letters and exports carry on
once the database is back without a supervisor having to restart the process
(``tests/smoke/test_production.py::test_the_workers_work_again_after_the_outage``).
SIGTERM and SIGINT still stop it, between tasks, as they stop ``db_worker``.
"""

import logging
import time

from django.db import InterfaceError, OperationalError, close_old_connections
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

logger = logging.getLogger("portal.worker")

PAUSES = (1, 2, 5, 10, 30)


class Command(DbWorkerCommand):
    help = "db_worker die een storing van de database overleeft (productie)."

    def handle(self, *args, **options):
        failures = 0
        while True:
            try:
                return super().handle(*args, **options)
            except (OperationalError, InterfaceError) as error:
                pause = PAUSES[min(failures, len(PAUSES) - 1)]
                failures += 1
                logger.warning(
                    "Database unreachable (%s); the worker tries again in %s s",
                    str(error).splitlines()[0],
                    pause,
                )
                close_old_connections()
                time.sleep(pause)
