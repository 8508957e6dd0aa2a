"""A shared computer (a buurthuis, the library): after "Uitloggen", the Back button
shows nothing of the resident who was logged in."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from sesame.utils import get_token

from subsidies import steps
from tests.factories import ApplicationFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "Moestuin achter de flat van Jansen"


def test_after_logging_out_back_shows_nothing_personal(site, page):
    application = ApplicationFactory(title=TITLE)
    user = application.applicant_user
    page.goto(f"{site}{reverse('accounts:magic_link')}?t={get_token(user)}")
    page.get_by_role("button", name="Inloggen").click()
    visited = [
        reverse("subsidies:my_applications"),
        reverse("subsidies:detail", args=[application.reference]),
        reverse("subsidies:step", args=[application.reference, steps.INITIATIVE]),
        reverse("subsidies:step", args=[application.reference, steps.REVIEW]),
    ]
    for path in visited:
        response = page.goto(site + path)
        assert "no-store" in response.headers["cache-control"], path
        assert TITLE in page.content(), path
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_text("U bent uitgelogd.")).to_be_visible()
    for _ in visited:
        page.go_back()
        page.wait_for_load_state()
        assert TITLE not in page.content(), f"Back showed {page.url} from before"
        assert application.applicant.iban not in page.content()
