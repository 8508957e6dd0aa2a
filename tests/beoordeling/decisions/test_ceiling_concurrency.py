"""The ceiling under concurrency: decisions in one round at once never overspend it.

These run on PostgreSQL only (``select_for_update`` is a no-op on SQLite, which
serialises writers instead).
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from beoordeling.decisions.selectors import round_budget
from beoordeling.decisions.services import decisions as services
from beoordeling.models import AllocationResult, DecisionError
from beoordeling.overviews.imports.services import import_run
from subsidies.models import Application, CeilingExceeded, Round
from subsidies.workflow import Status
from tests.factories import (
    RoundFactory,
    WijkFactory,
    assessed_application,
    assessed_applications,
    decision_maker,
    ranked_profiles,
    receipt_round,
)

#: These races are about the ceiling, not about the order of receipt: every decider
#: gives the motivated exception, so each may decide its own application.
OUT_OF_ORDER = "Parallelle besluiten in deze test."


def run_together(actions):
    """Start every action at the same moment in its own thread and connection."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def work(index, action):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = ("ok", action())
        except (DecisionError, ValidationError, CeilingExceeded) as error:
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
    round_ = receipt_round(ceiling_cents=1_000_000)
    applications = assessed_applications(6, round=round_)
    deciders = [decision_maker() for _ in range(6)]
    outcomes = run_together(
        [
            (
                lambda a=a, d=d: services.application_decide_by_receipt(
                    application=a, actor=d, order_exception=OUT_OF_ORDER
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
    assessed_applications(round=round_, profiles=ranked_profiles(4))
    deciders = [decision_maker(), decision_maker()]
    runs = [
        services.allocation_run_create(
            round=round_,
            actor=decider,
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
    round_ = receipt_round(ceiling_cents=600_000)
    applications = assessed_applications(3, round=round_)
    deciders = [decision_maker(), decision_maker()]
    run = services.allocation_run_create(
        round=round_,
        actor=deciders[0],
    )
    outcomes = run_together(
        [
            lambda: services.allocation_run_fix(run=run, actor=deciders[0]),
            lambda: services.application_decide_by_receipt(
                application=applications[2],
                actor=deciders[1],
                order_exception=OUT_OF_ORDER,
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


@pytest.mark.postgres
def test_lowering_the_ceiling_while_deciding_keeps_committed_money_under_it(
    on_postgres,
):
    """A decision of € 3.000 and a ceiling lowered to € 2.000 at once: whichever
    comes second is refused; committed money never ends above the stored ceiling."""
    round_ = receipt_round(ceiling_cents=1_000_000)
    (application,) = assessed_applications(1, round=round_)
    decider = decision_maker()

    def lower():
        stored = Round.objects.get(pk=round_.pk)
        stored.ceiling_cents = 200_000
        stored.save()

    for _ in range(3):
        outcomes = run_together(
            [
                lambda: services.application_decide_by_receipt(
                    application=application, actor=decider
                ),
                lower,
            ]
        )
        assert all(kind in ("ok", "refused") for kind, _ in outcomes), outcomes
        stored = Round.objects.get(pk=round_.pk)
        assert stored.committed_cents() <= stored.ceiling_cents
        if stored.ceiling_cents == 200_000:
            break


@pytest.mark.postgres
def test_an_import_and_a_run_at_once_keep_the_ceiling(on_postgres):
    """A history import and a fixed run in one closed round race for the last money:
    the guard refuses whichever would go over; committed money holds."""
    from tests.beoordeling.decisions.test_ceiling_properties import _history_file
    from tests.factories import UserFactory

    round_ = RoundFactory(ceiling_cents=1_000_000, name="Tijdvak 2025")
    wijk = WijkFactory(code="noord", name="Noord")
    assessed_application(round=round_, wijk=wijk, proposed_cents=600_000)
    # The round closes (test set-up: a closed round's dates cannot be moved by save).
    Round.objects.filter(pk=round_.pk).update(closes_at=timezone.now())
    round_.refresh_from_db()
    decider = decision_maker()
    admin = UserFactory(is_superuser=True, is_staff=True)
    run = services.allocation_run_create(round=round_, actor=decider)
    content = _history_file(round_, 600_000, 1)

    def importing():
        outcome = import_run(
            kind="historie",
            content=content,
            filename="historie.xlsx",
            user=admin,
            dry_run=False,
        )
        if not outcome.ok:
            raise DecisionError(outcome.errors[0].message)
        return outcome

    outcomes = run_together(
        [lambda: services.allocation_run_fix(run=run, actor=decider), importing]
    )
    assert all(kind in ("ok", "refused") for kind, _ in outcomes), outcomes
    stored = Round.objects.get(pk=round_.pk)
    assert stored.committed_cents() <= stored.ceiling_cents


@pytest.mark.postgres
def test_a_double_click_on_fix_lands_on_the_fixed_run_both_times(on_postgres):
    """Two POSTs of 'Verdeling vaststellen' at the same moment: both answer with a
    redirect (never 500), the run is fixed once and every application decided once."""
    round_ = RoundFactory(ceiling_cents=1_000_000)
    assessed_applications(round=round_, profiles=ranked_profiles(2))
    decider = decision_maker()
    run = services.allocation_run_create(round=round_, actor=decider)
    url = reverse("besluiten:run", args=[run.pk])

    def click():
        client = Client()
        client.force_login(decider)
        return client.post(url, {"confirm": "on"}).status_code

    outcomes = run_together([click, click])
    assert outcomes == [("ok", 302), ("ok", 302)], outcomes
    assert AllocationResult.objects.filter(run=run, is_fixed=True).count() == 2
    assert set(
        Application.objects.filter(round=round_).values_list("status", flat=True)
    ) == {Status.AWARDED}
