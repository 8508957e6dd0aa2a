"""The staff chain in Chromium: scoring beside the application, four eyes with a
confirmation screen (first backed out of, then approved), and the beschikking.

Refusing an award and sending it back (each with a reason) are walked in
``test_staff_chain_four_eyes.py``, each path ending in a beschikking.
"""

import pytest
from playwright.sync_api import expect

from beoordeling.decisions.services import decisions
from beoordeling.decisions.services import letters as letter_services
from beoordeling.models import Decision
from subsidies.models import Application, Round
from subsidies.workflow import Status
from tests.beoordeling.assessment.test_assessment_services import (
    accept,
    assign_and_declare,
)
from tests.e2e.test_staff_queue_width import staff_session
from tests.factories import (
    AddressedApplicantFactory,
    assessment_case,
    decision_maker,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CODES = ["I1", "I2", "I3", "I4", "I5"]


def _score_in_browser(browser, live_server, assessment):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        staff_session(context, live_server, assessment.assessor)
        page = context.new_page()
        page.goto(
            f"{live_server.url}/admin/beoordelen/{assessment.application_id}/scoren/"
        )
        aside = page.locator(".score-layout__application")
        expect(aside.get_by_role("heading", name="De aanvraag")).to_be_visible()
        expect(aside.get_by_text(assessment.application.title).first).to_be_visible()
        for code in CODES:
            page.check(f'input[name="score_{code}"][value="3"]')
            page.fill(
                f'textarea[name="motivation_{code}"]',
                "Onderbouwd met de begroting en het impactplan.",
            )
        page.get_by_role("button", name="Scores indienen").click()
        expect(page.get_by_text("Uw scores zijn ingediend.").first).to_be_visible()
    finally:
        context.close()


def _fix_run(round_, actor):
    run = decisions.allocation_run_create(round=round_, actor=actor)
    decisions.allocation_run_fix(run=run, actor=actor)
    return run


def test_scoring_four_eyes_and_letter_in_the_browser(browser, live_server):
    """Two assessors score in the browser with the application beside the form; the
    application is assessed; a run fixed by one decision maker waits for four eyes;
    the second opens the approval screen, first goes back without approving (nothing
    changes), then confirms; the beschikking is made."""
    case = assessment_case(applicant=AddressedApplicantFactory())
    accept(case)
    assessments = assign_and_declare(case)
    for assessment in assessments:
        _score_in_browser(browser, live_server, assessment)
    application = Application.objects.get(pk=case.application.pk)
    assert application.status == Status.ASSESSED

    first, second = decision_maker(), decision_maker()
    Round.objects.filter(pk=application.round_id).update(four_eyes_threshold_cents=1)
    run = _fix_run(application.round, first)
    result = run.results.get(application=application)
    assert result.awaits_approval

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        staff_session(context, live_server, second)
        page = context.new_page()
        page.goto(f"{live_server.url}/admin/besluiten/vier-ogen/")
        page.get_by_role("link", name="Bekijken en goedkeuren").click()
        page.wait_for_url("**/goedkeuren/")
        expect(page.get_by_text(application.title).first).to_be_visible()
        expect(
            page.get_by_role(
                "link",
                name="De hele aanvraag bekijken (scores, randvoorwaarden, documenten)",
            )
        ).to_be_visible()
        page.get_by_role("link", name="Terug, niet goedkeuren").click()
        page.wait_for_url("**/admin/besluiten/vier-ogen/")
        assert Application.objects.get(pk=application.pk).status == Status.ASSESSED

        page.get_by_role("link", name="Bekijken en goedkeuren").click()
        page.wait_for_url("**/goedkeuren/")
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
    assert Decision.objects.filter(application=application, kind="verlening").exists()
