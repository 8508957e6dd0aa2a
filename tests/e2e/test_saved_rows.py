"""Nothing a resident saved is lost, in a real browser, for all three schemes.

Every step of a filled draft is sent back with each of its buttons and nothing stored
changes; then the walk that once lost cost lines (two lines, "add more", a third,
"next", back, save unchanged, remove one), with the database read after each click
and the review step's total compared with it.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from sesame.utils import get_token

from subsidies import steps
from subsidies.models import Application, BudgetLine, Buurt, Scheme
from subsidies.money import format_euros
from subsidies.views.form import STEP_PAGES
from tests.drafts import changes, fill_everything, stored
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCHEMES = ["initiatievenfonds", "duurzaam", "flexbudget"]


def log_in(page, site, user):
    page.goto(f"{site}{reverse('accounts:magic_link')}?t={get_token(user)}")
    page.get_by_role("button", name="Inloggen").click()


def start(page, site, slug):
    page.goto(f"{site}/aanvragen/{slug}/")
    page.get_by_role("button", name=re.compile("Start de aanvraag")).click()
    expect(
        page.get_by_role("heading", name="Over de aanvrager", level=1)
    ).to_be_visible()
    return Application.objects.order_by("-pk").first()


def step_url(site, application, slug):
    return site + reverse("subsidies:step", args=[application.reference, slug])


@pytest.mark.parametrize("slug", SCHEMES)
def test_every_step_sent_back_unchanged_keeps_everything(site, page, slug):
    """A filled draft: each step, each button, clicked without typing anything."""
    user = UserFactory(role="Aanvrager", email=f"{slug}@example.nl")
    log_in(page, site, user)
    application = start(page, site, slug)
    application.wijk = Buurt.objects.first().wijk
    application.save()
    fill_everything(application)
    before = stored(application)
    for step in STEP_PAGES:
        url = step_url(site, application, step)
        page.goto(url)
        buttons = page.locator("main form button[name=action]")
        labels = buttons.all_inner_texts()
        assert labels, step
        for label in labels:
            page.goto(url)
            page.locator("main form button[name=action]", has_text=label).click()
            page.wait_for_load_state()
            after = stored(application)
            assert after == before, f"{step} / {label}: {changes(before, after)}"


def lines():
    return list(
        BudgetLine.objects.order_by("pk").values_list(
            "category", "description", "amount_cents"
        )
    )


def fill_line(page, index, category, description, amount):
    page.locator(f"[name='lines-{index}-category']").select_option(category)
    page.locator(f"[name='lines-{index}-description']").fill(description)
    page.locator(f"[name='lines-{index}-amount']").fill(amount)


@pytest.mark.parametrize("slug", SCHEMES)
def test_the_budget_walk_keeps_every_line(site, page, slug):
    """Save two lines, add a third, go on, come back, save unchanged, remove one."""
    user = UserFactory(role="Aanvrager", email=f"begroting-{slug}@example.nl")
    log_in(page, site, user)
    application = start(page, site, slug)
    budget = step_url(site, application, steps.BUDGET)
    page.goto(budget)
    fill_line(page, 0, "materiaal", "Verf en kwasten", "149,99")
    fill_line(page, 1, "huur", "Huur zaal", "1.234,56")
    page.get_by_role("button", name="Opslaan en meer kostenposten toevoegen").click()
    expect(page.locator("[name='lines-2-description']")).to_be_visible()
    assert lines() == [
        ("materiaal", "Verf en kwasten", 14_999),
        ("huur", "Huur zaal", 123_456),
    ]
    fill_line(page, 2, "communicatie", "Flyers", "1234")
    page.get_by_role("button", name="Opslaan en verder").click()
    expect(page.get_by_role("heading", name="Bijlagen", level=1)).to_be_visible()
    three = [
        ("materiaal", "Verf en kwasten", 14_999),
        ("huur", "Huur zaal", 123_456),
        ("communicatie", "Flyers", 123_400),
    ]
    assert lines() == three

    page.get_by_role("button", name="Vorige stap").click()
    expect(page.get_by_role("heading", name="Begroting", level=1)).to_be_visible()
    expect(page.locator("[name='lines-2-description']")).to_have_value("Flyers")
    page.get_by_role("button", name="Opslaan en verder").click()
    expect(page.get_by_role("heading", name="Bijlagen", level=1)).to_be_visible()
    assert lines() == three

    page.goto(budget)
    page.locator("[name='lines-1-DELETE']").check()
    page.get_by_role("button", name="Opslaan en verder").click()
    expect(page.get_by_role("heading", name="Bijlagen", level=1)).to_be_visible()
    assert lines() == [three[0], three[2]]

    application.refresh_from_db()
    assert application.requested_cents == 14_999 + 123_400
    page.goto(step_url(site, application, steps.REVIEW))
    review = page.locator("main").inner_text().replace("\xa0", " ")
    assert format_euros(application.requested_cents).replace("\xa0", " ") in review
    assert "Huur zaal" not in review
    assert Scheme.objects.get(slug=slug) == application.round.scheme
