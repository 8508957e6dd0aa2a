"""One live batch per instruction under concurrency (PostgreSQL): two financial
administrators compose a batch with the same voorschot at the same moment. Exactly
one batch holds it; the other is refused in Dutch and stores nothing."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from beoordeling.models import PaymentBatch, PaymentBatchItem, PaymentInstruction
from beoordeling.payments.services import PaymentError, batches
from tests.factories import financial_administrator

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(actions):
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def work(index, action):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = ("ok", action())
        except PaymentError as error:
            outcomes[index] = ("refused", str(error))
        except Exception as error:  # reported in the assertion, not swallowed
            outcomes[index] = ("error", repr(error))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=work, args=(i, a)) for i, a in enumerate(actions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.postgres
@pytest.mark.parametrize("attempt", range(3))
def test_two_composers_at_once_one_batch_holds_the_instruction(
    on_postgres, award, attempt
):
    application = award(1_000_000)
    instruction = PaymentInstruction.objects.filter(
        application=application, kind="voorschot"
    ).first()
    people = [financial_administrator(), financial_administrator()]
    tomorrow = timezone.localdate() + timedelta(days=1)
    outcomes = run_together(
        [
            lambda p=p: batches.batch_compose(
                actor=p, instruction_ids=[instruction.pk], execution_date=tomorrow
            )
            for p in people
        ]
    )
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
    refused = next(message for kind, message in outcomes if kind == "refused")
    assert "al in een andere batch" in refused
    assert PaymentBatch.objects.count() == 1
    assert (
        PaymentBatchItem.objects.filter(instruction=instruction, live=True).count() == 1
    )
