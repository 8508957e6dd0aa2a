"""A well-founded bezwaar puts a new decision in place of the contested one (Awb 7:11):
per contested kind the application's facts, status, transition log and payments ledger
are read back from the database after the handler's decision."""

from datetime import timedelta

import pytest
from django.utils import timezone

from beoordeling.assessment.services import application_set_aside
from beoordeling.decisions.services import after_award
from beoordeling.decisions.services.letters import decision_issue
from beoordeling.letters import PAYMENT_TERM, format_date
from beoordeling.models import DecisionKind, Objection, ObjectionLog, PaymentInstruction
from beoordeling.objections.services.deciding import (
    objection_decide,
    objection_record_decision,
)
from beoordeling.objections.workflow import ObjectionState, Outcome
from beoordeling.payments.services.planning import ledger_facts
from subsidies import facts
from subsidies.models import Application, Scheme, TransitionLog
from subsidies.workflow import Settlement, Status
from tests.beoordeling.decisions.conftest import decider, grant  # noqa: F401
from tests.beoordeling.objections.factories import objection_ready
from tests.beoordeling.test_letters import pdf_pages
from tests.factories import (
    AddressedApplicantFactory,
    ApplicationFactory,
    decision_maker,
    team_assessor,
)

pytestmark = pytest.mark.django_db


def _stored(application):
    return Application.objects.get(pk=application.pk)


def _last_transition(application):
    return TransitionLog.objects.filter(application=application).latest("at", "pk")


def decide_well_founded(objection, remedy_cents, motivation="Het bezwaar klopt."):
    objection_record_decision(
        objection=objection,
        outcome=Outcome.WELL_FOUNDED,
        motivation=motivation,
        remedy_cents=remedy_cents,
        actor=objection.handler,
    )
    return objection_decide(objection=objection, actor=objection.handler)


def test_rejection_revoked_awards_with_advances_from_the_beslissing(
    django_capture_on_commit_callbacks,
):
    """An afwijzing on bezwaar becomes a verlening: the applicant's application is
    toegekend for the new amount, and the voorschotten are planned from the date of
    the beslissing op bezwaar (there is no verlening letter)."""
    objection = objection_ready(status="afgewezen")
    application = objection.application
    Scheme.objects.filter(pk=application.round.scheme_id).update(advance_percent=100)
    Application.objects.filter(pk=application.pk).update(
        activity_start=timezone.localdate()
    )

    decided = decide_well_founded(objection, 200_000)

    assert decided.state == ObjectionState.DECIDED
    assert decided.cost_cents == 200_000
    stored = _stored(application)
    assert stored.status == Status.AWARDED
    assert stored.awarded_cents == 200_000
    assert stored.settlement == Settlement.REPORT
    assert stored.report_due_on is not None
    log = _last_transition(application)
    assert (log.transition, log.source, log.target) == (
        "award_on_objection",
        Status.REJECTED,
        Status.AWARDED,
    )
    assert log.actor == objection.handler
    assert objection.reference in log.reason
    assert (
        list(
            ObjectionLog.objects.filter(objection=objection).values_list(
                "transition", flat=True
            )
        )[-1]
        == "decide"
    )
    beslissing = decided.decision_on_objection
    assert beslissing.kind == DecisionKind.BESLISSING_OP_BEZWAAR
    assert ledger_facts(stored).letter_sent_on == beslissing.date_sent
    advances = PaymentInstruction.objects.filter(application=application)
    assert sum(a.amount_cents for a in advances) == 200_000
    assert min(a.due_on for a in advances) == beslissing.date_sent + PAYMENT_TERM


def test_set_aside_revoked_handles_the_application_again():
    """A buiten-behandelingstelling on bezwaar: the application is ingediend again, in
    its old place in the order of receipt, and the gemeente's beslistermijn runs anew
    from the decision on the bezwaar."""
    application = ApplicationFactory(
        supplement_requested=True, applicant=AddressedApplicantFactory()
    )
    staff = team_assessor(application)
    # The hersteltermijn ran out unused.
    Application.objects.filter(pk=application.pk).update(
        supplement_due_at=timezone.now() - timedelta(days=1)
    )
    application = application_set_aside(application=_stored(application), actor=staff)
    decision, _created = decision_issue(
        application=application, actor=staff, notify=False
    )
    assert decision.kind == DecisionKind.BUITEN_BEHANDELING
    old_due = _stored(application).decision_due_at
    old_complete = _stored(application).complete_at
    objection = objection_ready(decision=decision)

    decided = decide_well_founded(objection, None)

    stored = _stored(application)
    assert decided.state == ObjectionState.DECIDED
    assert decided.remedy_cents is None and decided.cost_cents == 0
    assert stored.status == Status.SUBMITTED
    assert stored.decided_at is None
    # Herroeping works back: its place in the order of receipt stays.
    assert stored.complete_at == old_complete
    assert stored.decision_due_at > old_due
    assert stored.decision_due_at == decided.decided_at + timedelta(
        weeks=stored.round.scheme.decision_weeks
    )
    assert _last_transition(application).transition == "reopen_on_objection"


def test_verlening_raised_on_bezwaar_costs_the_difference(grant):  # noqa: F811
    """A higher verlening on bezwaar: the award is raised, the round's committed money
    grows by the difference, and the open voorschotten follow the new amount."""
    application = grant(300_000)
    Application.objects.filter(pk=application.pk).update(requested_cents=500_000)
    verlening = application.decisions.get(kind=DecisionKind.VERLENING)
    objection = objection_ready(decision=verlening)

    decided = decide_well_founded(objection, 450_000)

    stored = _stored(application)
    assert stored.status == Status.AWARDED
    assert stored.awarded_cents == 450_000
    assert decided.cost_cents == 150_000
    log = _last_transition(application)
    assert (log.transition, log.source, log.target) == (
        "revise_award_on_objection",
        Status.AWARDED,
        Status.AWARDED,
    )
    assert ledger_facts(stored).awarded_cents == 450_000


def test_vaststelling_raised_on_bezwaar(grant, decider):  # noqa: F811
    """A vaststelling fixed below the award, on bezwaar fixed at the full award: the
    fixed amount rises, the status stays vastgesteld, the ledger pays the rest."""
    application = grant(300_000, route="ambtshalve", ended=True)
    proposal = after_award.propose_fix(
        application=application,
        actor=decider,
        fixed_cents=200_000,
        motivation="De helft van de activiteiten ging niet door.",
    )
    objection = objection_ready(decision=proposal.decision)

    decided = decide_well_founded(objection, 300_000)

    stored = _stored(application)
    assert stored.status == Status.FIXED
    assert stored.fixed_cents == 300_000
    assert stored.awarded_cents == 300_000
    assert decided.cost_cents == 0
    assert _last_transition(application).transition == "revise_fixing_on_objection"
    payments = PaymentInstruction.objects.filter(
        application=application, kind="betaling", status="open"
    )
    assert sum(p.amount_cents for p in payments) == 300_000


def test_intrekking_revoked_restores_the_grant(grant, decider):  # noqa: F811
    """An intrekking on bezwaar: the grant is toegekend again for the same amount, and
    it costs the round nothing (a withdrawn verlening still counted)."""
    application = grant(300_000)
    proposal = after_award.propose_revoke(
        application=application,
        actor=decider,
        ground="4:48-1-a",
        motivation="De activiteit lijkt niet door te gaan.",
    )
    assert _stored(application).status == Status.REVOKED
    objection = objection_ready(decision=proposal.decision)

    decided = decide_well_founded(objection, 300_000)

    stored = _stored(application)
    assert stored.status == Status.AWARDED
    assert stored.revoked_at is None
    assert stored.awarded_cents == 300_000
    assert decided.cost_cents == 0
    assert _last_transition(application).transition == "restore_award_on_objection"
    assert Objection.objects.get(pk=objection.pk).state == ObjectionState.DECIDED


def test_direct_verlening_raised_is_awarded_and_fixed_anew(grant):  # noqa: F811
    """A verlening that fixed the amount at once, raised on bezwaar: the new amount
    is verleend and vastgesteld, and the ledger pays the new amount."""
    application = grant(300_000, route="direct")
    assert _stored(application).status == Status.FIXED
    Application.objects.filter(pk=application.pk).update(requested_cents=500_000)
    verlening = application.decisions.get(kind=DecisionKind.VERLENING)
    objection = objection_ready(decision=verlening)

    decided = decide_well_founded(objection, 400_000)

    stored = _stored(application)
    assert stored.status == Status.FIXED
    assert (stored.awarded_cents, stored.fixed_cents) == (400_000, 400_000)
    assert decided.cost_cents == 100_000
    assert _last_transition(application).transition == "revise_fixing_on_objection"
    open_rows = PaymentInstruction.objects.filter(
        application=application, status="open"
    )
    assert sum(p.amount_cents for p in open_rows) == 400_000


def _letter_text(decision):
    with decision.document.file.open("rb") as handle:
        return " ".join(" ".join(pdf_pages(handle.read())).split())


def test_grant_awarded_on_bezwaar_is_fixed_and_revoked_after_its_beslissing():
    """A grant awarded on bezwaar has no verlening letter: its beslissing op bezwaar
    counts as the verlening, so the grant can be vastgesteld and ingetrokken, and each
    letter names the beslissing op bezwaar by kenmerk and date."""
    objection = objection_ready(status="afgewezen")
    application = objection.application
    decided = decide_well_founded(objection, 200_000)
    beslissing = decided.decision_on_objection
    assert _stored(application).status == Status.AWARDED
    assert not application.decisions.filter(kind=DecisionKind.VERLENING).exists()
    staff = decision_maker()
    earlier = (
        f"onze beschikking van {format_date(beslissing.date_sent)} "
        f"(kenmerk {beslissing.kenmerk})"
    )

    revoke = after_award.propose_revoke(
        application=_stored(application),
        actor=staff,
        ground="4:48-1-a",
        motivation="De activiteit gaat niet door.",
    )

    intrekking = revoke.decision
    assert intrekking.kind == DecisionKind.INTREKKING
    assert intrekking.follows == beslissing
    assert _stored(application).status == Status.REVOKED
    assert earlier in _letter_text(intrekking)


def test_grant_awarded_on_bezwaar_is_fixed_ex_officio_after_its_beslissing():
    """The vaststelling of a grant awarded on bezwaar names the beslissing op
    bezwaar as the beschikking it follows from; the amount is vastgesteld."""
    objection = objection_ready(status="afgewezen")
    application = objection.application
    beslissing = decide_well_founded(objection, 200_000).decision_on_objection
    # Fixed ex officio once the activities are over, no verantwoording asked.
    today = timezone.localdate()
    Application.objects.filter(pk=application.pk).update(
        activity_start=today - timedelta(days=60),
        activity_end=today - timedelta(days=1),
    )
    facts.record_settlement_terms(
        _stored(application), settlement=Settlement.EX_OFFICIO
    )

    fix = after_award.propose_fix(
        application=_stored(application),
        actor=decision_maker(),
        fixed_cents=150_000,
        motivation="Een deel van de activiteiten ging niet door.",
    )

    vaststelling = fix.decision
    assert vaststelling.kind == DecisionKind.VASTSTELLING
    assert vaststelling.follows == beslissing
    stored = _stored(application)
    assert (stored.status, stored.fixed_cents) == (Status.FIXED, 150_000)
    assert f"(kenmerk {beslissing.kenmerk})" in _letter_text(vaststelling)
    assert "€ 1.500,00" in _letter_text(vaststelling)
