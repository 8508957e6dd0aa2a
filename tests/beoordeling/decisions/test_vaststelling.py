"""The decision maker after the award: vaststelling (ex officio, after the report,
lower per budget line, in a batch), wijziging, intrekking within five years, four eyes;
each letter read back from its stored PDF, each fact read back from the database."""

from datetime import timedelta

import pytest
from django.utils import timezone

from beoordeling.decisions.services import after_award
from beoordeling.decisions.services import decisions as decision_services
from beoordeling.letters import format_date, repayment_due
from beoordeling.models import (
    AfterAwardProposal,
    Decision,
    DecisionError,
    DecisionKind,
    LetterBatch,
)
from subsidies import counters, facts, services
from subsidies.counters import DECISION_PREFIX
from subsidies.models import Application, OutgoingMail, TransitionLog
from subsidies.workflow import Status
from tests.beoordeling.decisions.test_decision_letters import pdf_text
from tests.factories import (
    decision_maker,
)

pytestmark = pytest.mark.django_db


def _stored(application):
    return Application.objects.get(pk=application.pk)


def _log(application):
    return list(
        TransitionLog.objects.filter(application=application)
        .order_by("at", "pk")
        .values_list("transition", flat=True)
    )


def _report_in(application, *, paid_cents=0):
    application = services.fire(
        application=application,
        transition="submit_report",
        actor=None,
    )
    if paid_cents:
        facts.record_money(application, paid_cents=paid_cents, repaid_cents=0)
    return _stored(application)


def test_ex_officio_grant_is_fixed_at_the_award_with_its_letter(grant, decider):
    application = grant(300_000, route="ambtshalve", ended=True)
    verlening = application.decisions.get()
    proposal = after_award.propose_fix(application=application, actor=decider)

    stored = _stored(application)
    assert stored.status == Status.FIXED
    assert stored.fixed_cents == 300_000
    assert _log(application)[-1] == "fix"
    decision = proposal.decision
    assert decision.kind == DecisionKind.VASTSTELLING
    assert (decision.amount_cents, decision.reclaim_cents) == (300_000, 0)
    assert decision.follows == verlening
    assert decision.document.original_name == f"vaststelling-{decision.kenmerk}.pdf"
    text = pdf_text(decision)
    assert f"Ons kenmerk {decision.kenmerk}" in text
    assert f"(kenmerk {verlening.kenmerk})" in text
    assert "vast op € 3.000,00" in text
    assert "U hoefde geen verantwoording te sturen" in text
    assert f"tot en met {format_date(stored.reclaim_limit_on)}" in text
    assert decision_services.decision_verify(decision=decision)
    assert OutgoingMail.objects.filter(reference=decision.kenmerk).exists()


def test_ex_officio_fixing_waits_for_the_end_of_the_activities(grant, decider):
    application = grant(route="ambtshalve")
    number = counters.peek_number(prefix=DECISION_PREFIX, year=timezone.now().year)
    with pytest.raises(DecisionError):
        after_award.propose_fix(application=application, actor=decider)
    assert _stored(application).status == Status.AWARDED
    assert not AfterAwardProposal.objects.exists()
    assert application.decisions.count() == 1
    assert counters.peek_number(prefix=DECISION_PREFIX, year=timezone.now().year) == (
        number
    )


def test_lower_vaststelling_after_the_report_reclaims_the_advance_above_it(
    grant, decider
):
    application = _report_in(grant(400_000), paid_cents=320_000)
    facts.record_fixed_amount(application, fixed_cents=300_000, motivation="")
    lines = [
        {
            "label": "Huur buurthuis",
            "granted_cents": 250_000,
            "fixed_cents": 150_000,
            "ground": "lagere_kosten",
            "motivation": "De huur was € 1.500; de bon zit bij de verantwoording.",
        },
        {"label": "Boodschappen", "granted_cents": 150_000, "fixed_cents": 150_000},
    ]
    proposal = after_award.propose_fix(
        application=application,
        actor=decider,
        fixed_cents=300_000,
        motivation="De huur viel lager uit dan begroot.",
        lines=lines,
    )
    decision = proposal.decision
    stored = _stored(application)
    assert (stored.status, stored.fixed_cents) == (Status.FIXED, 300_000)
    assert stored.fixing_motivation == "De huur viel lager uit dan begroot."
    assert (decision.amount_cents, decision.reclaim_cents) == (300_000, 20_000)
    text = pdf_text(decision)
    assert "Dat is € 1.000,00 minder dan de verlening van € 4.000,00." in text
    assert "Huur buurthuis: begroot € 2.500,00, vastgesteld € 1.500,00." in text
    assert "De huur was € 1.500; de bon zit bij de verantwoording." in text
    assert "De huur viel lager uit dan begroot." in text
    due = format_date(repayment_due(decision.date_sent))
    assert f"U betaalt € 200,00 terug, uiterlijk op {due}." in text
    assert "rekening NL04BNGH0285170000 ten name van Gemeente Utrecht" in text
    assert f"het kenmerk van deze brief: {decision.kenmerk}" in text


def test_vaststelling_pays_the_rest_after_setting_off_the_advance(grant, decider):
    application = _report_in(grant(400_000), paid_cents=320_000)
    facts.record_fixed_amount(application, fixed_cents=400_000, motivation="")
    decision = after_award.propose_fix(application=application, actor=decider).decision
    text = pdf_text(decision)
    assert "Wij verrekenen wat wij u al betaalden (€ 3.200,00)" in text
    assert "De rest, € 800,00, betalen wij uiterlijk op" in text
    assert decision.reclaim_cents == 0


def test_four_eyes_above_the_threshold_and_never_the_same_person(grant, decider):
    application = _report_in(grant(400_000, threshold=300_000))
    facts.record_fixed_amount(application, fixed_cents=350_000, motivation="")
    proposal = after_award.propose_fix(
        application=application,
        actor=decider,
        fixed_cents=350_000,
        motivation="Een activiteit ging niet door.",
    )
    assert proposal.state == AfterAwardProposal.State.WAITING
    assert proposal.decision is None
    assert _stored(application).status == Status.REPORT_SUBMITTED
    with pytest.raises(DecisionError, match="vier ogen"):
        after_award.proposal_approve(proposal=proposal, reviewer=decider)
    with pytest.raises(DecisionError, match="wacht al"):
        after_award.propose_revoke(
            application=application, actor=decider, ground="4:48-1-a", motivation="x"
        )
    second = decision_maker()
    proposal = after_award.proposal_approve(proposal=proposal, reviewer=second)
    assert proposal.state == AfterAwardProposal.State.DONE
    assert proposal.reviewed_by == second
    assert _stored(application).fixed_cents == 350_000
    assert "vast op € 3.500,00" in pdf_text(proposal.decision)


def test_a_refused_proposal_changes_nothing(grant, decider):
    application = grant(400_000, threshold=300_000)
    proposal = after_award.propose_revoke(
        application=application,
        actor=decider,
        ground="4:48-1-b",
        motivation="Geen buurtbijeenkomst gehouden.",
    )
    second = decision_maker()
    with pytest.raises(DecisionError):
        after_award.proposal_refuse(proposal=proposal, reviewer=second, reason=" ")
    proposal = after_award.proposal_refuse(
        proposal=proposal, reviewer=second, reason="Eerst met de aanvrager praten."
    )
    assert proposal.state == AfterAwardProposal.State.REFUSED
    assert proposal.review_reason == "Eerst met de aanvrager praten."
    assert _stored(application).status == Status.AWARDED
    assert application.decisions.count() == 1


def test_full_vaststelling_above_the_threshold_needs_no_second_approval(grant, decider):
    application = grant(400_000, threshold=300_000, route="ambtshalve", ended=True)
    proposal = after_award.propose_fix(application=application, actor=decider)
    assert proposal.state == AfterAwardProposal.State.DONE
    assert _stored(application).status == Status.FIXED


def test_intrekking_reclaims_what_was_paid(grant, decider):
    application = grant(400_000)
    facts.record_money(application, paid_cents=320_000, repaid_cents=0)
    proposal = after_award.propose_revoke(
        application=application,
        actor=decider,
        ground="4:48-1-a",
        motivation="Het festival is afgelast.",
    )
    stored = _stored(application)
    assert stored.status == Status.REVOKED and stored.fixed_cents == 0
    decision = proposal.decision
    assert decision.kind == DecisionKind.INTREKKING
    assert (decision.amount_cents, decision.reclaim_cents) == (0, 320_000)
    assert decision.ground == "4:48-1-a"
    text = pdf_text(decision)
    assert "Intrekking van uw subsidie" in text and "en terugvordering" in text
    assert "Het festival is afgelast." in text
    assert "artikel 4:48, eerste lid, onder a, van de Awb" in text
    assert "U betaalt € 3.200,00 terug" in text


def test_the_ground_must_fit_the_stage(grant, decider):
    application = grant(400_000)
    with pytest.raises(DecisionError, match="4:49"):
        after_award.propose_revoke(
            application=application, actor=decider, ground="4:49-1-a", motivation="x"
        )


def test_no_intrekking_of_a_vaststelling_after_five_years(grant, decider):
    application = grant(300_000, route="ambtshalve", ended=True)
    long_ago = timezone.now() - timedelta(days=5 * 366 + 2)
    after_award.propose_fix(
        application=application,
        actor=decider,
        at=long_ago,
        date_sent=timezone.localdate(),
    )
    stored = _stored(application)
    assert stored.reclaim_limit_on < timezone.localdate()
    number = counters.peek_number(prefix=DECISION_PREFIX, year=timezone.now().year)
    with pytest.raises(DecisionError, match="meer dan vijf jaar oud"):
        after_award.propose_revoke(
            application=stored,
            actor=decider,
            ground="4:49-1-a",
            motivation="Nieuwe feiten.",
        )
    assert _stored(application).status == Status.FIXED
    assert not application.decisions.filter(kind=DecisionKind.INTREKKING).exists()
    assert counters.peek_number(prefix=DECISION_PREFIX, year=timezone.now().year) == (
        number
    )


def test_intrekking_of_a_vaststelling_within_five_years_rests_on_4_49(grant, decider):
    application = grant(300_000, route="ambtshalve", ended=True)
    after_award.propose_fix(application=application, actor=decider)
    proposal = after_award.propose_revoke(
        application=_stored(application),
        actor=decider,
        ground="4:49-1-c",
        motivation="De ruimte werd na afloop verhuurd.",
    )
    text = pdf_text(proposal.decision)
    assert "artikel 4:49, eerste lid, onder c, van de Awb" in text
    vaststelling = application.decisions.get(kind=DecisionKind.VASTSTELLING)
    assert proposal.decision.follows == vaststelling
    assert f"(kenmerk {vaststelling.kenmerk})" in text


def test_wijziging_twice_lowers_the_award_each_time(grant, decider):
    application = grant(400_000)
    first = after_award.propose_amend(
        application=application,
        actor=decider,
        new_awarded_cents=300_000,
        ground="4:48-1-b",
        motivation="Eén van de drie avonden ging niet door.",
    ).decision
    second = after_award.propose_amend(
        application=_stored(application),
        actor=decider,
        new_awarded_cents=200_000,
        ground="4:50-1",
        effective_on=timezone.localdate() + timedelta(days=14),
        motivation="Het buurthuis sluit voor verbouwing.",
    ).decision
    assert _stored(application).awarded_cents == 200_000
    assert [first.amount_cents, second.amount_cents] == [300_000, 200_000]
    assert second.follows == first
    text = pdf_text(second)
    assert "De subsidie is ten hoogste € 2.000,00. Dat was € 3.000,00." in text
    assert "Vergoeding van schade" in text
    assert _log(application)[-2:] == ["amend", "amend"]


def test_a_letter_with_an_empty_part_changes_nothing(grant, decider):
    application = grant(300_000, route="ambtshalve", ended=True)
    scheme = application.round.scheme
    scheme.legal_basis = ""
    scheme.save()
    with pytest.raises(DecisionError, match="wettelijke grondslag"):
        after_award.propose_fix(application=_stored(application), actor=decider)
    stored = _stored(application)
    assert stored.status == Status.AWARDED and stored.fixed_cents is None
    assert not AfterAwardProposal.objects.exists()


def test_a_batch_fixes_the_ex_officio_grants_once(grant, decider):
    applications = [
        grant(200_000 + i, route="ambtshalve", ended=True) for i in range(3)
    ]
    grant(200_000, route="ambtshalve")  # still running: not due
    round_ = applications[0].round
    batch = decision_services.letter_batch_start(
        round=round_,
        actor=decider,
        kind=LetterBatch.Kind.FIXING,
        notify=False,
        enqueue=False,
    )
    assert batch.total == 3
    counts = decision_services.letter_batch_run(batch_id=batch.pk)
    assert counts == {"total": 3, "done": 3, "skipped": 0, "failed": 0}
    for application in applications:
        stored = _stored(application)
        assert stored.status == Status.FIXED
        decision = stored.decisions.get(kind=DecisionKind.VASTSTELLING)
        assert decision.batch == batch
        assert f"vast op € 2.000,0{application.awarded_cents % 10}" in pdf_text(
            decision
        )
    assert decision_services.letter_batch_run(batch_id=batch.pk)["done"] == 3
    assert Decision.objects.filter(kind=DecisionKind.VASTSTELLING).count() == 3
    with pytest.raises(DecisionError, match="geen subsidies om nu vast te stellen"):
        decision_services.letter_batch_start(
            round=round_, actor=decider, kind=LetterBatch.Kind.FIXING
        )


def test_a_sent_report_is_fixed_only_after_its_review(grant, decider):
    """No amount proposed by an assessor yet: the decision maker cannot fix it (in
    full or otherwise), and nothing changes."""
    application = _report_in(grant(400_000))
    with pytest.raises(DecisionError, match="nog niet beoordeeld"):
        after_award.propose_fix(application=application, actor=decider)
    stored = _stored(application)
    assert (stored.status, stored.fixed_cents) == (Status.REPORT_SUBMITTED, None)
    assert not stored.decisions.exclude(kind="verlening").exists()
