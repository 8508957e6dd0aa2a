"""The application workflow: the state table, guards, permissions and the log."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from subsidies import facts, services, workflow
from subsidies.models import Application, TransitionLog
from subsidies.services import WorkflowError
from subsidies.workflow import Status
from tests.factories import ApplicationFactory, RoundFactory, assessor, decision_maker

pytestmark = pytest.mark.django_db


def fsm_table():
    field = Application._meta.get_field("status")
    table = set()
    for transition in field.get_all_transitions(Application):
        table.add(
            (Status(transition.source), transition.name, Status(transition.target))
        )
    return table


def move_supplement_due(application, due_at):
    """The hersteltermijn ends at ``due_at`` (a date, no fact of the workflow)."""
    Application.objects.filter(pk=application.pk).update(supplement_due_at=due_at)
    application.refresh_from_db()
    return application


def test_fsm_matches_the_documented_state_table():
    """The ``@transition`` methods on the model, as (source, name, target), are exactly
    ``workflow.STATE_TABLE``; the docstring's table and the words per transition are
    checked in test_transition_table.py (design.md is not compared by any test)."""
    assert fsm_table() == set(workflow.STATE_TABLE)


@pytest.mark.parametrize("status", list(Status))
def test_every_move_outside_the_table_raises(status):
    """From each state, every transition not in the table is refused by django-fsm."""
    application = ApplicationFactory()
    Application.objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()
    allowed = {
        name for source, name, _target in workflow.STATE_TABLE if source == status
    }
    for name in {name for _s, name, _t in workflow.STATE_TABLE} - allowed:
        with pytest.raises(TransitionNotAllowed):
            getattr(application, name)(at=timezone.now())


def test_status_cannot_be_assigned_directly():
    """The status field is protected: only a transition changes it."""
    application = ApplicationFactory()
    with pytest.raises(AttributeError):
        application.status = Status.AWARDED


def test_submit_moves_to_ingediend_and_starts_the_decision_clock():
    """Submitting records the moment, and the decision is due a beslistermijn later."""
    application = ApplicationFactory()
    at = timezone.now()
    application = services.fire(
        application=application,
        transition="submit",
        actor=application.applicant_user,
        at=at,
    )
    assert application.status == Status.SUBMITTED
    assert application.submitted_at == at
    assert application.decision_due_at == at + timedelta(
        weeks=application.scheme.decision_weeks
    )


def test_submit_guard_incomplete_form():
    """An application without a budget cannot be submitted; with one it can."""
    empty = ApplicationFactory(amount_cents=0)
    with pytest.raises(WorkflowError):
        services.fire(
            application=empty, transition="submit", actor=empty.applicant_user
        )
    assert "begroting" in " ".join(
        str(m) for m in workflow.missing_for_submission(empty)
    )
    full = ApplicationFactory()
    assert (
        services.fire(
            application=full, transition="submit", actor=full.applicant_user
        ).status
        == Status.SUBMITTED
    )


def test_submit_guard_amount_above_scheme_maximum():
    """Asking more than the scheme maximum blocks submission; exactly the maximum is fine."""
    over = ApplicationFactory(amount_cents=2_000_001)
    with pytest.raises(WorkflowError):
        services.fire(application=over, transition="submit", actor=over.applicant_user)
    at_max = ApplicationFactory(amount_cents=2_000_000)
    services.fire(application=at_max, transition="submit", actor=at_max.applicant_user)


def test_submit_guard_round_closed():
    """A closed round refuses submissions; an open one accepts them."""
    closed = ApplicationFactory(round=RoundFactory(closed=True))
    with pytest.raises(WorkflowError):
        services.fire(
            application=closed, transition="submit", actor=closed.applicant_user
        )
    assert not workflow.round_is_open(closed)
    assert workflow.round_is_open(ApplicationFactory())


def test_submit_guard_activity_must_start_after_today():
    """An activity starting today is too late to apply for; tomorrow is fine."""
    today = ApplicationFactory(activity_start=timezone.localdate())
    with pytest.raises(WorkflowError):
        services.fire(
            application=today, transition="submit", actor=today.applicant_user
        )
    tomorrow = ApplicationFactory(
        activity_start=timezone.localdate() + timedelta(days=1)
    )
    services.fire(
        application=tomorrow, transition="submit", actor=tomorrow.applicant_user
    )


def test_supplement_pauses_the_clock_by_exactly_the_time_waited():
    """An aanvulling moves the decision deadline by exactly the time spent waiting."""
    application = ApplicationFactory(submitted=True)
    due_before = application.decision_due_at
    start = timezone.now()
    application = services.fire(
        application=application,
        transition="request_supplement",
        actor=assessor(),
        at=start,
        due_at=start + timedelta(days=14),
        reason="Begroting ontbreekt",
    )
    assert application.clock_is_paused
    answered = start + timedelta(days=5, hours=3)
    application = services.fire(
        application=application,
        transition="supplement",
        actor=application.applicant.members.first(),
        at=answered,
    )
    assert application.decision_due_at - due_before == timedelta(days=5, hours=3)


def test_supplement_guard_term_running_or_expired():
    """Before the hersteltermijn ends the applicant may answer; after it only set_aside."""
    application = ApplicationFactory(submitted=True)
    user = application.applicant.members.first()
    now = timezone.now()
    application = services.fire(
        application=application,
        transition="request_supplement",
        actor=assessor(),
        at=now,
        due_at=now + timedelta(days=1),
    )
    assert workflow.supplement_term_running(application)
    assert not workflow.supplement_term_expired(application)
    with pytest.raises(WorkflowError):
        services.fire(application=application, transition="set_aside", actor=assessor())
    move_supplement_due(application, now - timedelta(seconds=1))
    with pytest.raises(WorkflowError):
        services.fire(application=application, transition="supplement", actor=user)
    application = services.fire(
        application=application, transition="set_aside", actor=assessor()
    )
    assert application.status == Status.SET_ASIDE


def test_accept_guard_preconditions():
    """Accept needs every hard randvoorwaarde met; reject_preconditions needs a failure with motivation."""
    application = ApplicationFactory(submitted=True)
    with pytest.raises(WorkflowError):
        services.fire(application=application, transition="accept", actor=assessor())
    facts.record_preconditions(application, met=False, motivation="")
    with pytest.raises(WorkflowError):
        services.fire(
            application=application, transition="reject_preconditions", actor=assessor()
        )
    facts.record_preconditions(
        application, met=False, motivation="De activiteit is al begonnen."
    )
    with pytest.raises(WorkflowError):
        services.fire(application=application, transition="accept", actor=assessor())
    rejected = services.fire(
        application=application, transition="reject_preconditions", actor=assessor()
    )
    assert rejected.status == Status.REJECTED

    other = facts.record_preconditions(ApplicationFactory(submitted=True), met=True)
    assert (
        services.fire(application=other, transition="accept", actor=assessor()).status
        == Status.IN_ASSESSMENT
    )


def in_assessment():
    application = facts.record_preconditions(
        ApplicationFactory(submitted=True), met=True
    )
    return services.fire(application=application, transition="accept", actor=assessor())


def assessed(amount_cents=200_000):
    application = facts.record_assessment(
        in_assessment(), impact_score=Decimal("80.00"), proposed_cents=amount_cents
    )
    return services.fire(
        application=application, transition="complete_assessment", actor=None
    )


def not_honoured(application):
    """A fixed allocation run did not honour the application."""
    return facts.record_allocation(
        application, honoured=False, awarded_cents=0, rank=None
    )


def test_complete_assessment_guard_needs_a_recorded_score():
    """Without an impact score the assessment cannot be completed."""
    application = in_assessment()
    with pytest.raises(WorkflowError):
        services.fire(
            application=application, transition="complete_assessment", actor=None
        )
    facts.record_assessment(
        application, impact_score=Decimal("62.50"), proposed_cents=100_000
    )
    assert (
        services.fire(
            application=application, transition="complete_assessment", actor=None
        ).status
        == Status.ASSESSED
    )


def test_award_guard_needs_an_honouring_allocation():
    """Award only follows from a vastgestelde allocation that honours the application."""
    application = assessed()
    with pytest.raises(WorkflowError):
        services.fire(
            application=application, transition="award", actor=decision_maker()
        )
    not_honoured(application)
    with pytest.raises(WorkflowError):
        services.fire(
            application=application, transition="award", actor=decision_maker()
        )
    facts.record_allocation(application, honoured=True, awarded_cents=200_000, rank=1)
    with pytest.raises(WorkflowError):
        services.fire(
            application=application, transition="reject", actor=decision_maker()
        )
    awarded = services.fire(
        application=application, transition="award", actor=decision_maker()
    )
    assert awarded.status == Status.AWARDED and awarded.decided_at is not None


def test_reject_guard_needs_a_not_honouring_allocation():
    """Reject after assessment follows from an allocation that does not honour it."""
    application = not_honoured(assessed())
    rejected = services.fire(
        application=application, transition="reject", actor=decision_maker()
    )
    assert rejected.status == Status.REJECTED and rejected.awarded_cents == 0


def test_award_above_threshold_needs_a_second_approver():
    """Four eyes: above the round's threshold an award waits for a second decision maker."""
    application = assessed(amount_cents=1_500_000)
    application.round.four_eyes_threshold_cents = 1_000_000
    application.round.save()
    facts.record_allocation(application, honoured=True, awarded_cents=1_500_000, rank=1)
    first = decision_maker()
    with pytest.raises(WorkflowError):
        services.fire(application=application, transition="award", actor=first)
    facts.record_second_approval(application, approver=decision_maker())
    assert (
        services.fire(application=application, transition="award", actor=first).status
        == Status.AWARDED
    )


@pytest.mark.parametrize("state", ["concept", "ingediend", "in_beoordeling"])
def test_withdraw_from_open_states(state):
    """The applicant can withdraw until a decision is taken."""
    application = {
        "concept": ApplicationFactory,
        "ingediend": lambda: ApplicationFactory(submitted=True),
        "in_beoordeling": in_assessment,
    }[state]()
    user = application.applicant.members.first()
    assert (
        services.fire(application=application, transition="withdraw", actor=user).status
        == Status.WITHDRAWN
    )


def test_withdraw_after_decision_is_refused():
    """A decided application cannot be withdrawn."""
    application = not_honoured(assessed())
    application = services.fire(
        application=application, transition="reject", actor=decision_maker()
    )
    with pytest.raises(WorkflowError):
        services.fire(
            application=application,
            transition="withdraw",
            actor=application.applicant.members.first(),
        )


# --- permissions: one test per transition -------------------------------------------

ROLE_FOR_TRANSITION = {
    "submit": "applicant",
    "supplement": "applicant",
    "withdraw": "applicant",
    "request_supplement": "assessor",
    "set_aside": "assessor",
    "accept": "assessor",
    "reject_preconditions": "assessor",
    "complete_assessment": "assessor",
    "award": "decision_maker",
    "reject": "decision_maker",
}


def transition_permission(name):
    """The permission predicate django-fsm checks for a transition."""
    transitions = getattr(Application, name)._django_fsm.transitions
    return next(iter(transitions.values())).permission


@pytest.mark.parametrize("name", sorted(ROLE_FOR_TRANSITION))
def test_transition_permission(name):
    """Each transition is allowed for its own role only, never for another applicant."""
    from tests.factories import UserFactory

    application = ApplicationFactory()
    users = {
        "applicant": application.applicant_user,
        "other_applicant": UserFactory(role="Aanvrager"),
        "assessor": assessor(),
        "decision_maker": decision_maker(),
    }
    permission = transition_permission(name)
    for role, user in users.items():
        assert permission(application, user) is (role == ROLE_FOR_TRANSITION[name]), (
            role
        )


def test_fire_refuses_an_actor_without_permission():
    """An applicant cannot accept their own application, even with the facts in place."""
    application = facts.record_preconditions(
        ApplicationFactory(submitted=True), met=True
    )
    with pytest.raises(WorkflowError, match="geen recht"):
        services.fire(
            application=application,
            transition="accept",
            actor=application.applicant.members.first(),
        )
    assert (
        TransitionLog.objects.filter(
            application=application, transition="accept"
        ).count()
        == 0
    )


# --- the transition log ---------------------------------------------------------------


def test_every_transition_writes_one_log_row():
    """Each step is logged with actor, time, source, target and reason."""
    application = ApplicationFactory(submitted=True)
    user = assessor()
    at = timezone.now()
    services.fire(
        application=application,
        transition="request_supplement",
        actor=user,
        at=at,
        due_at=at + timedelta(days=14),
        reason="Stuur de begroting mee.",
    )
    rows = list(TransitionLog.objects.filter(application=application))
    assert [(r.transition, r.source, r.target) for r in rows] == [
        ("submit", "concept", "ingediend"),
        ("request_supplement", "ingediend", "aanvulling_gevraagd"),
    ]
    assert (
        rows[1].actor == user
        and rows[1].at == at
        and rows[1].reason == "Stuur de begroting mee."
    )


def test_log_rows_cannot_be_changed_or_deleted():
    """The log is append-only, also through querysets."""
    from subsidies.models import ImmutableLogError

    application = ApplicationFactory(submitted=True)
    row = TransitionLog.objects.get(application=application)
    row.reason = "anders"
    with pytest.raises(ImmutableLogError):
        row.save()
    with pytest.raises(ImmutableLogError):
        row.delete()
    with pytest.raises(ImmutableLogError):
        TransitionLog.objects.filter(pk=row.pk).update(reason="x")
    with pytest.raises(ImmutableLogError):
        TransitionLog.objects.all().delete()


def test_deleting_an_application_with_history_is_refused():
    """An application whose steps are logged cannot be deleted, so its log never vanishes."""
    from django.db.models import ProtectedError

    application = ApplicationFactory(submitted=True)
    with pytest.raises(ProtectedError):
        Application.objects.get(pk=application.pk).delete()
    assert TransitionLog.objects.filter(application_id=application.pk).count() == 1


def test_public_label_differs_from_staff_label():
    """Applicants see plain words; staff see the precise status."""
    application = in_assessment()
    assert str(application.public_status) == "In behandeling"
    assert application.get_status_display() == "In beoordeling"


def test_references_count_up_per_scheme_and_year():
    """References look like IF-2026-0001 and never repeat."""
    first = ApplicationFactory()
    second = ApplicationFactory()
    year = timezone.localdate().year
    assert first.reference == f"IF-{year}-0001"
    assert second.reference == f"IF-{year}-0002"


def test_an_application_set_aside_and_reopened_on_bezwaar_keeps_its_place():
    """Herroeping works back: a complete application reopened on bezwaar keeps the
    moment it became complete (its place in the order of receipt); only the
    beslistermijn runs again, from the decision on the bezwaar."""
    application = ApplicationFactory(submitted=True)
    complete = timezone.now() - timedelta(days=30)
    Application.objects.filter(pk=application.pk).update(
        status=Status.SET_ASIDE, complete_at=complete
    )
    stored = Application.objects.get(pk=application.pk)
    now = timezone.now()
    stored.reopen_on_objection(at=now)
    assert stored.status == Status.SUBMITTED
    assert stored.complete_at == complete
    assert stored.decision_due_at == now + timedelta(
        weeks=stored.round.scheme.decision_weeks
    )
