"""The assessor's queue fits a 1280 px screen.

On the demo the queue was cut off at 1400 px: the table pushed the page wider than the
window and the last columns (deadline, amount, impact score) fell off the screen.
"""

import pytest
from django.test import Client

from beoordeling.assessment import services as assessment
from tests.factories import ApplicationFactory, assessment_case

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def staff_session(context, live_server, user):
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )


@pytest.mark.parametrize("width", [1280, 1400])
def test_the_queue_fits_the_screen_without_scrolling_sideways(
    browser, live_server, width
):
    """Long titles, applicant names and several assessors: every column of the
    queue is within the window at 1280 px."""
    case = assessment_case()
    for i in range(6):
        ApplicationFactory(
            submitted=True,
            round=case.application.round,
            wijk=case.application.wijk,
            title=(
                f"Buurtmoestuin met kookavonden voor ouderen en jongeren in de "
                f"Kanaleneiland-Zuid, deel {i}: zaaien, oogsten en samen eten"
            ),
        )
    for person in case.assessors:
        assessment.assessor_assign(
            application=case.application, assessor=person, actor=person
        )
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        staff_session(context, live_server, case.assessors[0])
        page = context.new_page()
        page.goto(live_server.url + "/admin/beoordelen/")
        page.wait_for_selector("table.listing")
        overflow = page.evaluate(
            """() => {
                const table = document.querySelector('table.listing');
                const right = Math.max(...[...table.querySelectorAll('th, td')]
                    .map(cell => cell.getBoundingClientRect().right));
                return {
                    page: document.documentElement.scrollWidth,
                    window: window.innerWidth,
                    right: right,
                };
            }"""
        )
        assert overflow["page"] <= overflow["window"], overflow
        assert overflow["right"] <= overflow["window"], overflow
    finally:
        context.close()
