"""Four eyes under concurrency (PostgreSQL): two second decision makers judge the same
award at once, one approving and one refusing. Exactly one wins; the money is either
awarded or back in the round, never both, and the loser is told in Dutch.
"""

import pytest

from beoordeling.decisions.selectors import round_budget
from beoordeling.decisions.services import decisions as services
from beoordeling.models import AllocationResult, ReviewState
from subsidies.models import Application
from subsidies.workflow import Status
from tests.beoordeling.decisions.test_ceiling_concurrency import run_together
from tests.factories import (
    RoundFactory,
    WijkFactory,
    assessed_application,
    assessor,
    decision_maker,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.postgres
@pytest.mark.parametrize("rounds", range(3))
def test_approve_and_refuse_at_once_one_wins(on_postgres, rounds):
    round_ = RoundFactory(ceiling_cents=1_000_000, four_eyes_threshold_cents=100_000)
    application = assessed_application(
        round=round_,
        wijk=WijkFactory(code=f"noord{rounds}", name=f"Noord {rounds}"),
        proposed_cents=300_000,
        assessed_by=assessor(),
    )
    first = decision_maker()
    run = services.allocation_run_create(round=round_, actor=first)
    services.allocation_run_fix(run=run, actor=first)
    result = run.results.get()
    approver, refuser = decision_maker(), decision_maker()
    outcomes = run_together(
        [
            lambda: services.allocation_result_approve(
                result=result, approver=approver
            ),
            lambda: services.allocation_result_refuse(
                result=result, reviewer=refuser, reason="Dubbele posten."
            ),
        ]
    )
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["ok", "refused"], outcomes
    application.refresh_from_db()
    stored = AllocationResult.objects.get(pk=result.pk)
    if outcomes[0][0] == "ok":  # approved
        assert application.status == Status.AWARDED
        assert stored.approved_by == approver and stored.review_state == ""
        assert round_budget(round_).committed_cents == 300_000
    else:
        assert application.status == Status.ASSESSED
        assert not application.allocation_outcome
        assert stored.review_state == ReviewState.REFUSED and stored.approved_by is None
        assert round_budget(round_).committed_cents == 0
    assert Application.objects.filter(round=round_).count() == 1
