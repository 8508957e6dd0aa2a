"""The seeded demo of bezwaren: every state the handler meets, through the real
services, with their letters, and a second seed changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.roles import OBJECTION_HANDLER
from beoordeling.models import Decision, DecisionKind, Objection, ObjectionLog
from beoordeling.objections.demo import HANDLER, RESERVE_CENTS
from beoordeling.objections.workflow import ObjectionState, Outcome
from beoordeling.overviews.objections import objection_dashboard
from subsidies.models import Application, Document, Round, TransitionLog
from subsidies.workflow import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _counts():
    return (
        Objection.objects.count(),
        ObjectionLog.objects.count(),
        Decision.objects.count(),
        Document.objects.count(),
        Application.objects.count(),
        TransitionLog.objects.count(),
        tuple(
            Round.objects.order_by("pk").values_list(
                "objection_reserve_cents", flat=True
            )
        ),
        tuple(Objection.objects.order_by("pk").values_list("state", "cost_cents")),
    )


def _by_state(state):
    return Objection.objects.filter(state=state).select_related(
        "decision", "application__round__scheme", "handler"
    )


def test_the_demo_shows_a_bezwaar_in_every_stage(seeded, client):
    """A Bezwaarbehandelaar logs in with the printed demo password and finds bezwaren
    just received with its ontvangstbevestiging; late and assigned, its lateness not
    yet judged; a hearing planned with the invitation; deferred with the letter;
    decided ongegrond with the beslissing op bezwaar."""
    email, _first, _last, password = HANDLER
    assert f"{email}" in seeded and password in seeded
    assert client.login(username=email, password=password)
    assert client.get("/admin/").status_code == 200
    received = _by_state(ObjectionState.RECEIVED).get()
    assert received.acknowledgement is not None and not received.is_late
    late = Objection.objects.get(is_late=True)
    assert late.state == ObjectionState.IN_HANDLING and late.excusable is None
    assert late.decision.kind == DecisionKind.BUITEN_BEHANDELING
    assert late.received_on > late.term_end
    hearing = _by_state(ObjectionState.HEARING_SCHEDULED).get()
    assert hearing.hearing_at is not None and hearing.hearing_invitation is not None
    extended = Objection.objects.exclude(extended_on=None).get()
    assert extended.extension_letter is not None
    assert extended.state == ObjectionState.IN_HANDLING
    unfounded = _by_state(ObjectionState.DECIDED).get(outcome=Outcome.UNFOUNDED)
    assert unfounded.decision_on_objection.kind == DecisionKind.BESLISSING_OP_BEZWAAR
    assert unfounded.cost_cents == 0
    assert Objection.objects.count() == 6
    handlers = set(
        Objection.objects.exclude(handler=None).values_list(
            "handler__email", "handler__groups__name"
        )
    )
    assert handlers == {(email, OBJECTION_HANDLER)}


def test_the_gegrond_bezwaar_awards_from_the_reserve_of_the_fixed_round(seeded):
    """The gegrond bezwaar against an afwijzing in the duurzaam round made the
    application toegekend with the new amount, approved by a second decision maker;
    its cost came out of the round's reserve, as the dashboard shows."""
    upheld = _by_state(ObjectionState.DECIDED).get(outcome=Outcome.WELL_FOUNDED)
    application = upheld.application
    assert upheld.decision.kind.startswith("afwijzing")
    assert application.round.scheme.slug == "duurzaam"
    assert application.round.allocation_runs.filter(status="vastgesteld").exists()
    assert application.status in (Status.AWARDED, Status.FIXED)
    assert application.awarded_cents == upheld.remedy_cents == upheld.cost_cents
    assert upheld.approved_by is not None and upheld.approved_by != upheld.handler
    assert upheld.decision_on_objection.kind == DecisionKind.BESLISSING_OP_BEZWAAR
    round_ = application.round
    assert round_.objection_reserve_cents == RESERVE_CENTS
    (line,) = objection_dashboard(round_id=round_.pk).rounds
    assert line.upheld == 1 and line.cost_cents == upheld.cost_cents
    assert line.reserve_left_cents == RESERVE_CENTS - upheld.cost_cents


def test_seeding_the_demo_twice_changes_nothing(seeded):
    """A second seed adds no bezwaren, logs, letters or applications and leaves the
    reserve and the states as they were."""
    counts = _counts()
    assert counts[0] == 6
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == counts
