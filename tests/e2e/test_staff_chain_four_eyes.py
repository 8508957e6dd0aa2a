"""The four eyes saying no, in Chromium (issue #12): the refusal path and the
send-back path of the staff chain, each ending in a beschikking.

The refusal path is the whole chain: two assessors score in the browser, a run is
fixed, the second decision maker refuses, a new run, approval, the beschikking. The
send-back path starts from a fixed run whose award waits for a second decision maker
(``test_staff_chain.py`` walks scoring and the approval).
"""

import pytest
from playwright.sync_api import expect

from beoordeling.decisions.selectors import round_budget
from beoordeling.decisions.services import decisions
from beoordeling.decisions.services import letters as letter_services
from beoordeling.models import AllocationResult, Decision, ReviewState
from subsidies.models import Application, Round
from subsidies.workflow import Status
from tests.beoordeling.assessment.test_assessment_services import (
    accept,
    assign_and_declare,
)
from tests.e2e.test_staff_chain import _score_in_browser
from tests.e2e.test_staff_queue_width import staff_session
from tests.factories import (
    AddressedApplicantFactory,
    RoundFactory,
    WijkFactory,
    assessed_application,
    assessment_case,
    assessor,
    decision_maker,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REFUSAL = "De begroting telt de huur van de zaal twee keer."
SEND_BACK = "Klopt het bedrag voor de huur? Regel 4 lijkt dubbel."
ANSWER = "Regel 4 is de borg, die komt terug; het bedrag klopt."


def _waiting_award(first):
    round_ = RoundFactory(ceiling_cents=1_000_000, four_eyes_threshold_cents=100_000)
    application = assessed_application(
        round=round_,
        wijk=WijkFactory(code="noord", name="Noord"),
        proposed_cents=300_000,
        assessed_by=assessor(),
        applicant=AddressedApplicantFactory(),
    )
    run = decisions.allocation_run_create(round=round_, actor=first)
    decisions.allocation_run_fix(run=run, actor=first)
    result = run.results.get(application=application)
    assert result.awaits_approval
    return application, result


def _page(browser, live_server, user):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    staff_session(context, live_server, user)
    return context, context.new_page()


def _open_approval(page, live_server, application):
    page.goto(f"{live_server.url}/admin/besluiten/vier-ogen/")
    page.get_by_role("link", name="Bekijken en goedkeuren").click()
    page.wait_for_url("**/goedkeuren/")
    expect(page.get_by_text(application.title).first).to_be_visible()


def _approve_and_make_the_letter(browser, live_server, application, second):
    context, page = _page(browser, live_server, second)
    try:
        _open_approval(page, live_server, application)
        page.get_by_role("button", name="Ja, goedkeuren en").click()
        page.wait_for_url("**/admin/besluiten/vier-ogen/")
        expect(page.get_by_text("is toegekend").first).to_be_visible()
    finally:
        context.close()
    application.refresh_from_db()
    assert application.status == Status.AWARDED
    assert application.second_approver == second
    batch = decisions.letter_batch_start(
        round=application.round, actor=second, notify=False, enqueue=False
    )
    counts = letter_services.letter_batch_run(batch_id=batch.pk)
    batch.refresh_from_db()
    assert counts["done"] == 1, batch.errors
    decision = Decision.objects.get(application=application, kind="verlening")
    return decision


def _scored_in_the_browser_and_fixed(browser, live_server, first):
    case = assessment_case(applicant=AddressedApplicantFactory())
    accept(case)
    for assessment in assign_and_declare(case):
        _score_in_browser(browser, live_server, assessment)
    application = Application.objects.get(pk=case.application.pk)
    assert application.status == Status.ASSESSED
    Round.objects.filter(pk=application.round_id).update(four_eyes_threshold_cents=1)
    run = decisions.allocation_run_create(round=application.round, actor=first)
    decisions.allocation_run_fix(run=run, actor=first)
    result = run.results.get(application=application)
    assert result.awaits_approval
    return application, result


def test_the_second_decision_maker_refuses_with_a_reason(browser, live_server):
    """Two assessors score in the browser and a run is fixed; the second decision
    maker opens the award, chooses "Weigeren…", sees what will happen, is asked for
    the reason, refuses; the money is back in the round and the refusal is in the
    application's history. A new run awards it again; approved, the beschikking is
    made."""
    first, second = decision_maker(), decision_maker()
    application, result = _scored_in_the_browser_and_fixed(browser, live_server, first)
    context, page = _page(browser, live_server, second)
    try:
        _open_approval(page, live_server, application)
        page.get_by_role("link", name="Weigeren…").click()
        page.wait_for_url("**/weigeren/")
        expect(page.get_by_text("gaat terug naar de ronde").first).to_be_visible()
        expect(
            page.get_by_role(
                "link",
                name="De hele aanvraag bekijken (scores, randvoorwaarden, documenten)",
            )
        ).to_be_visible()
        page.get_by_role("button", name="Ja, weigeren").click()
        expect(page.get_by_text("Schrijf op waarom").first).to_be_visible()
        assert AllocationResult.objects.get(pk=result.pk).awaits_approval
        page.get_by_label("Waarom weigert u de toekenning?").fill(REFUSAL)
        page.get_by_role("button", name="Ja, weigeren").click()
        page.wait_for_url("**/admin/besluiten/vier-ogen/")
        expect(page.get_by_text("is geweigerd").first).to_be_visible()

        page.goto(f"{live_server.url}/admin/beoordelen/{application.pk}/")
        expect(page.get_by_text("Vier ogen: toekenning geweigerd")).to_be_visible()
        expect(page.get_by_text(REFUSAL)).to_be_visible()
    finally:
        context.close()
    stored = AllocationResult.objects.get(pk=result.pk)
    assert stored.review_state == ReviewState.REFUSED and stored.reviewed_by == second
    assert round_budget(application.round).committed_cents == 0

    run = decisions.allocation_run_create(round=application.round, actor=first)
    decisions.allocation_run_fix(run=run, actor=first)
    decision = _approve_and_make_the_letter(browser, live_server, application, second)
    assert decision.allocation_result.run == run


def test_the_second_sends_back_and_the_first_offers_it_again(browser, live_server):
    """Sent back with a reason; the first decision maker finds it under "Teruggestuurd
    naar u", answers and offers it again; the second approves; the beschikking."""
    first, second = decision_maker(), decision_maker()
    application, result = _waiting_award(first)
    context, page = _page(browser, live_server, second)
    try:
        _open_approval(page, live_server, application)
        page.get_by_role("link", name="Terugsturen…").click()
        page.wait_for_url("**/terugsturen/")
        page.get_by_label("Wat moet er anders of beter?").fill(SEND_BACK)
        page.get_by_role("button", name="Ja, terugsturen").click()
        page.wait_for_url("**/admin/besluiten/vier-ogen/")
        expect(page.get_by_text("is teruggestuurd").first).to_be_visible()
    finally:
        context.close()
    assert AllocationResult.objects.get(pk=result.pk).is_sent_back
    assert round_budget(application.round).committed_cents == 300_000

    context, page = _page(browser, live_server, first)
    try:
        page.goto(f"{live_server.url}/admin/besluiten/vier-ogen/")
        expect(page.get_by_text(SEND_BACK)).to_be_visible()
        page.get_by_role("link", name="Bekijken en beantwoorden").click()
        page.wait_for_url("**/teruggestuurd/")
        page.get_by_label("Uw antwoord of uw reden").fill(ANSWER)
        page.get_by_role("button", name="Opnieuw voorleggen").click()
        page.wait_for_url("**/admin/besluiten/vier-ogen/")
        expect(page.get_by_text("is opnieuw voorgelegd").first).to_be_visible()
    finally:
        context.close()
    assert AllocationResult.objects.get(pk=result.pk).awaits_approval
    assert Application.objects.get(pk=application.pk).status == Status.ASSESSED
    _approve_and_make_the_letter(browser, live_server, application, second)
