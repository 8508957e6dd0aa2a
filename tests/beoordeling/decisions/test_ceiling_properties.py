"""Issue #12, property: no sequence of runs, decisions, approvals, imports, rule versions
and round edits makes the committed money of any round exceed its ceiling.

Every step goes through the real services and the real admin-facing model methods; a
step may be refused (that is fine), but after every step, refused or not, each round's
committed money is at most its stored ceiling.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beoordeling.decisions.services import decisions as services
from beoordeling.models import AllocationResult, DecisionError
from beoordeling.overviews.imports.services import import_run
from subsidies.models import Application, Round
from subsidies.rounds import RuleError, rule_publish_deviation
from subsidies.workflow import Status
from tests.factories import (
    RoundFactory,
    SchemeFactory,
    UserFactory,
    WijkFactory,
    assessed_application,
    assessor,
    decision_maker,
    xlsx,
)

pytestmark = pytest.mark.django_db(transaction=False)

amounts = st.integers(min_value=1, max_value=600_000)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("assess"), st.integers(0, 1), st.integers(0, 1), amounts),
        st.tuples(st.just("run")),
        st.tuples(st.just("receipt"), st.integers(0, 9)),
        st.tuples(st.just("approve")),
        st.tuples(st.just("ceiling"), st.integers(0, 2), st.integers(0, 1_500_000)),
        st.tuples(st.just("deviation"), st.integers(0, 1), amounts),
        st.tuples(st.just("import"), st.integers(0, 2), amounts),
    ),
    min_size=1,
    max_size=10,
)


def _history_file(round_, amount, number):
    euros = f"{amount // 100},{amount % 100:02d}"
    return xlsx(
        [
            [
                f"HI-2025-{number:04d}",
                round_.scheme.name,
                round_.name,
                f"Stichting Historie {number}",
                "",
                "Oud initiatief",
                "noord",
                "",
                euros,
                euros,
                "toegekend",
                "2025-03-31",
                "",
            ]
        ]
    )


def _world():
    wijken = [
        WijkFactory(code="noord", name="Noord"),
        WijkFactory(code="zuid", name="Zuid"),
    ]
    ranking = RoundFactory(ceiling_cents=1_000_000, four_eyes_threshold_cents=300_000)
    receipt_scheme = SchemeFactory(
        slug="doorlopend",
        name="Doorlopend",
        reference_prefix="DL",
        allocation_mode="receipt",
        max_amount_cents=800_000,
    )
    receipt = RoundFactory(scheme=receipt_scheme, ceiling_cents=800_000)
    closed = RoundFactory(scheme=receipt_scheme, name="Tijdvak 2025", closed=True)
    Round.objects.filter(pk=closed.pk).update(ceiling_cents=700_000)
    return {
        "wijken": wijken,
        "rounds": [ranking, receipt, Round.objects.get(pk=closed.pk)],
        "staff": assessor(),
        "deciders": (decision_maker(), decision_maker()),
        "admin": UserFactory(is_superuser=True, is_staff=True),
    }


def _step(world, step, number):
    kind = step[0]
    ranking, receipt, closed = world["rounds"]
    first, second = world["deciders"]
    if kind == "assess":
        _, which, wijk, amount = step
        assessed_application(
            round=(ranking, receipt)[which],
            wijk=world["wijken"][wijk],
            amount_cents=amount,
            assessed_by=world["staff"],
        )
    elif kind == "run":
        run = services.allocation_run_create(round=ranking, actor=first)
        services.allocation_run_fix(run=run, actor=first)
    elif kind == "receipt":
        waiting = list(
            Application.objects.filter(
                round=receipt, status=Status.ASSESSED, allocation_outcome=""
            ).order_by("pk")
        )
        if waiting:
            services.application_decide_by_receipt(
                application=waiting[step[1] % len(waiting)],
                actor=first,
                order_exception="Afwijking voor de eigenschapstest.",
            )
    elif kind == "approve":
        result = AllocationResult.objects.filter(
            needs_second_approval=True, approved_by__isnull=True
        ).first()
        if result is not None:
            services.allocation_result_approve(result=result, approver=second)
    elif kind == "ceiling":
        round_ = Round.objects.get(pk=world["rounds"][step[1]].pk)
        round_.ceiling_cents = step[2]
        round_.full_clean()
        round_.save()
    elif kind == "deviation":
        rule_publish_deviation(
            round=ranking,
            actor=first,
            motivation="Eigenschapstest.",
            limits={world["wijken"][step[1]].pk: (0, step[2])},
            on_shortfall="partial",
            min_partial_cents=0,
        )
    elif kind == "import":
        round_ = world["rounds"][step[1]]
        import_run(
            kind="historie",
            content=_history_file(round_, step[2], number),
            filename="historie.xlsx",
            user=world["admin"],
            dry_run=False,
        )


def _assert_ceilings_hold(world):
    for round_ in world["rounds"]:
        stored = Round.objects.get(pk=round_.pk)
        assert stored.committed_cents() <= stored.ceiling_cents, stored


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(sequence=steps)
def test_no_sequence_of_steps_exceeds_a_ceiling(db, sequence):
    """Runs, order-of-receipt decisions, four eyes, imports, rule versions and round
    edits, in any order: committed money never exceeds any round's ceiling."""
    with transaction.atomic():
        world = _world()
        for number, step in enumerate(sequence):
            try:
                with transaction.atomic():
                    _step(world, step, number)
            except (DecisionError, ValidationError, RuleError):
                pass
            _assert_ceilings_hold(world)
        transaction.set_rollback(True)
