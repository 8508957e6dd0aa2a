"""The ceiling under concurrency (PostgreSQL): an award on bezwaar and an ordinary
award in the same round at the same moment, with room for only one of them. Exactly
one gets its money; the committed money never exceeds the ceiling, and the bezwaar
that lost is told in Dutch that the ceiling is reached, with nothing stored.
"""

import threading

import pytest
from django.db import connection

from beoordeling.decisions.selectors import round_budget
from beoordeling.decisions.services import decisions as services
from beoordeling.models import DecisionError, Objection
from beoordeling.objections.services import ObjectionError
from beoordeling.objections.services.deciding import (
    objection_decide,
    objection_record_decision,
)
from beoordeling.objections.workflow import ObjectionState, Outcome
from subsidies.models import Application
from subsidies.workflow import Status
from tests.beoordeling.objections.factories import decided_with_letter, objection_ready
from tests.factories import (
    WijkFactory,
    assessed_application,
    assessor,
    decision_maker,
    receipt_round,
)

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(actions):
    """Start every action at the same moment in its own thread and connection."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def work(index, action):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = ("ok", action())
        except (DecisionError, ObjectionError) as error:
            outcomes[index] = ("refused", str(error))
        except Exception as error:  # reported in the assertion, not swallowed
            outcomes[index] = ("error", repr(error))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=work, args=(i, action))
        for i, action in enumerate(actions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.mark.postgres
@pytest.mark.parametrize("attempt", range(2))
def test_award_on_bezwaar_and_order_of_receipt_award_at_once(on_postgres, attempt):
    """A round with € 3.000 left: a well-founded bezwaar granting € 3.000 and an
    order-of-receipt decision on an application of € 3.000 at once. One of them gets
    the money, the other finds the ceiling reached (the bezwaar is refused and stays
    ready; the application is afgewezen for lack of budget)."""
    round_ = receipt_round(ceiling_cents=300_000)
    wijk = WijkFactory(code=f"west{attempt}", name=f"West {attempt}")
    rejected, decision = decided_with_letter(
        status="afgewezen", round=round_, wijk=wijk, amount_cents=300_000
    )
    objection = objection_ready(decision=decision)
    objection_record_decision(
        objection=objection,
        outcome=Outcome.WELL_FOUNDED,
        motivation="De impact is wel aangetoond.",
        remedy_cents=300_000,
        actor=objection.handler,
    )
    waiting = assessed_application(
        round=round_,
        wijk=wijk,
        proposed_cents=300_000,
        assessed_by=assessor(),
    )
    decider = decision_maker()

    outcomes = run_together(
        [
            lambda: objection_decide(objection=objection, actor=objection.handler),
            lambda: services.application_decide_by_receipt(
                application=waiting, actor=decider
            ),
        ]
    )

    assert all(kind != "error" for kind, _value in outcomes), outcomes
    stored = Objection.objects.get(pk=objection.pk)
    bezwaar_won = stored.state == ObjectionState.DECIDED
    waiting = Application.objects.get(pk=waiting.pk)
    ordinary_won = waiting.status == Status.AWARDED
    assert bezwaar_won != ordinary_won, outcomes
    assert round_budget(round_).committed_cents == 300_000 <= round_.ceiling_cents
    rejected = Application.objects.get(pk=rejected.pk)
    if bezwaar_won:
        assert outcomes[0][0] == "ok"
        assert (rejected.status, rejected.awarded_cents) == (Status.AWARDED, 300_000)
        assert stored.cost_cents == 300_000
        assert waiting.status == Status.REJECTED
    else:
        assert outcomes[0][0] == "refused"
        assert "subsidieplafond" in outcomes[0][1]
        assert stored.state == ObjectionState.READY
        assert stored.decision_on_objection_id is None
        assert rejected.status == Status.REJECTED
