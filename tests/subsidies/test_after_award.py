"""The workflow after ``toegekend``: the settlement an award records, the verantwoording
and its aanvulling on the vaststelling clock, the vaststelling (direct, ex officio or
after the report), a wijziging, an intrekking within its five years, and closure when
the money is settled. Each test reads back what was stored and the transition log."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from subsidies import facts, services
from subsidies.models import Application, TransitionLog
from subsidies.services import WorkflowError
from subsidies.workflow import FIXING_WEEKS, REPORT_WEEKS, Settlement, Status
from tests.factories import (
    ApplicationFactory,
    RoundFactory,
    SchemeFactory,
    assessor,
    decision_maker,
    financial_administrator,
)

pytestmark = pytest.mark.django_db


def _log(application):
    return list(
        TransitionLog.objects.filter(application=application)
        .order_by("at", "pk")
        .values_list("transition", flat=True)
    )


def _stored(application):
    return Application.objects.get(pk=application.pk)


def _direct_round():
    scheme = SchemeFactory(
        slug="flexbudget",
        name="Flexbudget",
        reference_prefix="FB",
        settlement_route="direct",
        letter_accountability_direct="Bewaar de bonnen vijf jaar.",
    )
    return RoundFactory(scheme=scheme)


def _fire(application, transition, actor, **kwargs):
    return services.fire(
        application=application, transition=transition, actor=actor, **kwargs
    )


def test_an_award_records_its_settlement_and_deadlines():
    application = ApplicationFactory(awarded=True)
    stored = _stored(application)
    assert stored.status == Status.AWARDED
    assert stored.settlement == Settlement.REPORT
    assert stored.report_due_on == stored.activity_end + timedelta(weeks=REPORT_WEEKS)
    assert stored.fixing_due_on == stored.report_due_on + timedelta(weeks=FIXING_WEEKS)
    assert stored.fixed_cents is None and stored.paid_cents == 0


def test_a_direct_award_is_fixed_at_once_for_the_awarded_amount():
    application = ApplicationFactory(awarded=True, round=_direct_round())
    stored = _stored(application)
    assert stored.status == Status.FIXED
    assert stored.settlement == Settlement.DIRECT
    assert stored.fixed_cents == stored.awarded_cents == 250_000
    today = timezone.localdate()
    assert stored.reclaim_limit_on == today.replace(year=today.year + 5)
    assert stored.report_due_on is None and stored.fixing_due_on is None
    assert _log(application)[-2:] == ["award", "fix_directly"]


def test_the_report_and_its_supplement_move_the_fixing_date_by_the_pause():
    application = ApplicationFactory(awarded=True)
    applicant = application.applicant_user
    now = timezone.now()
    application = _fire(application, "submit_report", applicant, at=now)
    assert application.fixing_due_on == timezone.localdate(now) + timedelta(
        weeks=FIXING_WEEKS
    )
    due_before = application.fixing_due_on
    application = _fire(
        application,
        "request_report_supplement",
        assessor(),
        at=now,
        due_at=now + timedelta(days=14),
    )
    assert _stored(application).status == Status.REPORT_SUPPLEMENT_REQUESTED
    application = _fire(
        application, "supplement_report", applicant, at=now + timedelta(days=10)
    )
    stored = _stored(application)
    assert stored.status == Status.REPORT_SUBMITTED
    assert stored.fixing_due_on == due_before + timedelta(days=10)
    assert stored.report_supplement_due_at is None
    assert _log(application)[-3:] == [
        "submit_report",
        "request_report_supplement",
        "supplement_report",
    ]


def test_no_report_can_be_sent_when_none_was_asked():
    application = ApplicationFactory(awarded=True)
    facts.record_settlement_terms(application, settlement=Settlement.EX_OFFICIO)
    with pytest.raises(WorkflowError):
        _fire(application, "submit_report", application.applicant_user)
    assert _stored(application).status == Status.AWARDED


def test_fixing_needs_an_amount_within_the_award():
    application = ApplicationFactory(awarded=True)
    application = _fire(application, "submit_report", application.applicant_user)
    with pytest.raises(WorkflowError):
        _fire(application, "fix", decision_maker())
    with pytest.raises(ValueError):
        facts.record_fixed_amount(application, fixed_cents=250_001)
    facts.record_fixed_amount(
        application, fixed_cents=200_000, motivation="De huur was lager (4:46 lid 2)."
    )
    application = _fire(application, "fix", decision_maker())
    stored = _stored(application)
    assert (stored.status, stored.fixed_cents) == (Status.FIXED, 200_000)
    assert stored.awarded_cents == 250_000  # the verlening stays what it was
    assert stored.fixing_motivation.startswith("De huur")
    assert stored.fixed_at is not None and stored.fixing_due_on is None


def test_ex_officio_fixing_waits_for_the_end_of_the_activities():
    application = _stored(ApplicationFactory(awarded=True))
    facts.record_settlement_terms(application, settlement=Settlement.EX_OFFICIO)
    facts.record_fixed_amount(application, fixed_cents=application.awarded_cents)
    with pytest.raises(WorkflowError):
        _fire(application, "fix", decision_maker())
    facts.record_amendment(
        application, activity_end=timezone.localdate() - timedelta(days=1)
    )
    stored = _stored(application)
    assert stored.fixing_due_on == stored.activity_end + timedelta(weeks=FIXING_WEEKS)
    application = _fire(stored, "fix", decision_maker())
    assert _stored(application).status == Status.FIXED


def test_a_wijziging_lowers_the_award_and_never_raises_it():
    application = _stored(ApplicationFactory(awarded=True))
    with pytest.raises(ValueError):
        facts.record_amendment(application, awarded_cents=300_000)
    new_end = application.activity_end + timedelta(days=30)
    facts.record_amendment(application, awarded_cents=150_000, activity_end=new_end)
    application = _fire(application, "amend", decision_maker())
    stored = _stored(application)
    assert (stored.status, stored.awarded_cents) == (Status.AWARDED, 150_000)
    assert stored.report_due_on == new_end + timedelta(weeks=REPORT_WEEKS)
    assert _log(application)[-1] == "amend"


def test_revoking_a_vaststelling_stops_after_five_years():
    application = ApplicationFactory(awarded=True, round=_direct_round())
    # The vaststelling of this grant was more than five years ago (a moment the
    # transition sets itself: written raw here to travel in time).
    Application.objects.filter(pk=application.pk).update(
        reclaim_limit_on=date(2000, 1, 1)
    )
    with pytest.raises(WorkflowError):
        _fire(_stored(application), "revoke", decision_maker())
    Application.objects.filter(pk=application.pk).update(
        reclaim_limit_on=timezone.localdate()
    )
    revoked = _fire(_stored(application), "revoke", decision_maker())
    stored = _stored(revoked)
    assert (stored.status, stored.fixed_cents) == (Status.REVOKED, 0)
    assert stored.revoked_at is not None


def test_a_grant_closes_only_when_paid_minus_repaid_is_the_fixed_amount():
    application = _stored(ApplicationFactory(awarded=True, round=_direct_round()))
    finance = financial_administrator()
    with pytest.raises(WorkflowError):
        _fire(application, "close", finance)
    facts.record_money(application, paid_cents=300_000, repaid_cents=0)
    with pytest.raises(WorkflowError):
        _fire(application, "close", finance)
    facts.record_money(application, paid_cents=300_000, repaid_cents=50_000)
    with pytest.raises(WorkflowError, match="geen recht"):
        _fire(application, "close", decision_maker())
    closed = _fire(application, "close", finance)
    stored = _stored(closed)
    assert stored.status == Status.CLOSED and stored.closed_at is not None
    assert stored.paid_cents - stored.repaid_cents == stored.fixed_cents


def test_the_money_committed_to_a_round_keeps_counting_the_verlening():
    """A vaststelling lower than the award gives no money back to the round: the
    ceiling caps the verleningen (Awb 4:25)."""
    application = ApplicationFactory(awarded=True)
    round_ = application.round
    before = Application.objects.filter(round=round_).committed_cents()
    application = _fire(application, "submit_report", application.applicant_user)
    facts.record_fixed_amount(application, fixed_cents=100_000)
    _fire(application, "fix", decision_maker())
    assert Application.objects.filter(round=round_).committed_cents() == before
    assert before == 250_000


def test_a_closed_grant_can_still_be_withdrawn_within_five_years():
    """Fraud found after the last payment: the vaststelling is withdrawn (Awb 4:49)."""
    application = _stored(ApplicationFactory(awarded=True, round=_direct_round()))
    facts.record_money(application, paid_cents=250_000, repaid_cents=0)
    closed = _fire(application, "close", financial_administrator())
    revoked = _fire(closed, "revoke", decision_maker())
    stored = _stored(revoked)
    assert (stored.status, stored.fixed_cents) == (Status.REVOKED, 0)
    assert _log(application)[-2:] == ["close", "revoke"]


def test_a_question_about_the_report_clears_the_proposed_amount():
    """The report will change: the amount proposed on the old one is not reused."""
    application = ApplicationFactory(awarded=True)
    application = _fire(application, "submit_report", application.applicant_user)
    facts.record_fixed_amount(application, fixed_cents=200_000, motivation="Lager.")
    now = timezone.now()
    _fire(
        application,
        "request_report_supplement",
        assessor(),
        at=now,
        due_at=now + timedelta(days=14),
    )
    stored = _stored(application)
    assert (stored.fixed_cents, stored.fixing_motivation) == (None, "")
