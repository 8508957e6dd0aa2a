"""The ceiling under concurrency: decisions in one round at once never overspend it.

These run on PostgreSQL only (``select_for_update`` is a no-op on SQLite, which
serialises writers instead).
"""

import threading

import pytest
from django.db import connection

from beoordeling.decision_selectors import round_budget
from beoordeling.models import AllocationResult, DecisionError
from beoordeling.services import decisions as services
from subsidies.models import Application
from subsidies.workflow import Status
from tests.factories import (
    RoundFactory,
    SchemeFactory,
    WijkFactory,
    assessed_application,
    assessor,
    decision_maker,
)


def run_together(actions):
    """Start every action at the same moment in its own thread and connection."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def work(index, action):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = ("ok", action())
        except DecisionError as error:
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
        thread.join(timeout=60)
    return outcomes


@pytest.mark.postgres
def test_parallel_decisions_by_receipt_never_exceed_the_ceiling(on_postgres):
    """Six deciders at once, room for three: exactly three awards, the rest refused on budget."""
    scheme = SchemeFactory(
        slug="doorlopend",
        name="Doorlopend",
        reference_prefix="DL",
        allocation_mode="receipt",
    )
    round_ = RoundFactory(scheme=scheme, ceiling_cents=1_000_000)
    wijk = WijkFactory(code="noord", name="Noord")
    staff = assessor()
    applications = [
        assessed_application(
            round=round_, wijk=wijk, proposed_cents=300_000, score=70, assessed_by=staff
        )
        for _ in range(6)
    ]
    deciders = [decision_maker() for _ in range(6)]
    outcomes = run_together(
        [
            (
                lambda a=a, d=d: services.application_decide_by_receipt(
                    application=a, actor=d
                )
            )
            for a, d in zip(applications, deciders, strict=True)
        ]
    )
    assert all(kind == "ok" for kind, _ in outcomes), outcomes
    statuses = sorted(
        Application.objects.filter(round=round_).values_list("status", flat=True)
    )
    assert statuses == [Status.REJECTED] * 3 + [Status.AWARDED] * 3
    assert round_budget(round_).committed_cents == 900_000 <= round_.ceiling_cents
    reasons = sorted(
        AllocationResult.objects.filter(run__round=round_).values_list(
            "reason", flat=True
        )
    )
    assert reasons == ["budget"] * 3 + ["rank"] * 3


@pytest.mark.postgres
def test_two_runs_fixed_at_once_one_wins_and_the_ceiling_holds(on_postgres):
    """Two concept runs of one round fixed together: the second finds the round changed."""
    round_ = RoundFactory(ceiling_cents=1_000_000)
    wijk = WijkFactory(code="noord", name="Noord")
    staff = assessor()
    for score in (90, 80, 70, 60):
        assessed_application(
            round=round_,
            wijk=wijk,
            proposed_cents=300_000,
            score=score,
            assessed_by=staff,
        )
    deciders = [decision_maker(), decision_maker()]
    runs = [
        services.allocation_run_create(
            round=round_,
            actor=decider,
            wijk_limits={},
            on_shortfall="skip",
            min_partial_cents=0,
        )
        for decider in deciders
    ]
    outcomes = run_together(
        [
            (lambda r=r, d=d: services.allocation_run_fix(run=r, actor=d))
            for r, d in zip(runs, deciders, strict=True)
        ]
    )
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["ok", "refused"], outcomes
    refusal = next(message for kind, message in outcomes if kind == "refused")
    assert "veranderd" in refusal
    assert round_budget(round_).committed_cents == 900_000
    assert AllocationResult.objects.filter(is_fixed=True).count() == 4


@pytest.mark.postgres
def test_a_run_and_a_receipt_decision_at_once_keep_the_ceiling(on_postgres):
    """A whole-round fix and a single decision race; the loser is refused, money holds."""
    scheme = SchemeFactory(
        slug="doorlopend",
        name="Doorlopend",
        reference_prefix="DL",
        allocation_mode="receipt",
    )
    round_ = RoundFactory(scheme=scheme, ceiling_cents=600_000)
    wijk = WijkFactory(code="noord", name="Noord")
    staff = assessor()
    applications = [
        assessed_application(
            round=round_, wijk=wijk, proposed_cents=300_000, score=70, assessed_by=staff
        )
        for _ in range(3)
    ]
    deciders = [decision_maker(), decision_maker()]
    run = services.allocation_run_create(
        round=round_,
        actor=deciders[0],
        wijk_limits={},
        on_shortfall="skip",
        min_partial_cents=0,
    )
    outcomes = run_together(
        [
            lambda: services.allocation_run_fix(run=run, actor=deciders[0]),
            lambda: services.application_decide_by_receipt(
                application=applications[2], actor=deciders[1]
            ),
        ]
    )
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
    assert round_budget(round_).committed_cents <= round_.ceiling_cents
    for application in applications:
        application.refresh_from_db()
        assert application.status in (Status.AWARDED, Status.REJECTED, Status.ASSESSED)
    assert (
        AllocationResult.objects.filter(is_fixed=True)
        .values("application")
        .distinct()
        .count()
        == AllocationResult.objects.filter(is_fixed=True).count()
    )
