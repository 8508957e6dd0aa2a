"""Plays the web server of the SQLite demo while a real ``db_worker`` makes letters.

Run as ``python -m tests.beoordeling.decisions.sqlite_web_driver <round ids> --decider <id>``
with ``DATABASE_URL`` pointing at a file database that a worker also uses. For each
round, one after another, it starts a letter batch the way the admin view does (the
task is enqueued after the commit) and, until the worker has finished that batch,
keeps writing as a busy web server does: sessions saved in transactions that read
before they write, and a reload of the batch page. It prints one JSON line with the
final state of every batch. Used by ``test_letters_sqlite_worker.py``.
"""

import argparse
import json
import os
import sys
import time


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("rounds", nargs="+", type=int)
    parser.add_argument("--decider", type=int, required=True)
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    import django

    django.setup()

    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction

    from beoordeling.decisions.services import decisions as services
    from beoordeling.models import LetterBatch
    from subsidies.models import Round

    decider = get_user_model().objects.get(pk=args.decider)
    report = []
    errors = []
    for round_id in args.rounds:
        round_ = Round.objects.get(pk=round_id)
        try:
            batch = services.letter_batch_start(round=round_, actor=decider)
        except Exception as error:  # noqa: BLE001 - reported to the test
            errors.append(f"start {round_id}: {type(error).__name__}: {error}")
            continue
        deadline = time.monotonic() + args.timeout
        writes = 0
        while time.monotonic() < deadline:
            try:
                with transaction.atomic():
                    LetterBatch.objects.get(pk=batch.pk)
                    session = SessionStore()
                    session["batch"] = batch.pk
                    session["writes"] = writes
                    session.save()
                writes += 1
            except Exception as error:  # noqa: BLE001 - reported to the test
                errors.append(f"web write: {type(error).__name__}: {error}")
            batch.refresh_from_db()
            if batch.is_finished:
                break
            time.sleep(0.01)
        batch.refresh_from_db()
        report.append(
            {
                "round": round_id,
                "status": batch.status,
                "done": batch.done,
                "failed": batch.failed,
                "total": batch.total,
                "errors": batch.errors,
                "web_writes": writes,
            }
        )
    sys.stdout.write(json.dumps({"batches": report, "errors": errors}) + "\n")


if __name__ == "__main__":
    main()
