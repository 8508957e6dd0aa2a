"""The public pages pass axe-core (WCAG 2.2 AA) and work with the keyboard."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import log_in_by_mail

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_public_pages_have_no_axe_violations(site, page, assert_accessible):
    """Home, every scheme page, help, FAQ and the accessibility page pass axe."""
    for path in (
        "/",
        "/initiatievenfonds/",
        "/duurzaam/",
        "/flexbudget/",
        "/hulp/",
        "/veelgestelde-vragen/",
        "/toegankelijkheid/",
        "/inloggen/",
        "/aanvragen/duurzaam/",
    ):
        response = page.goto(site + path)
        assert response.status == 200, path
        assert_accessible(page, path)


def test_the_skip_link_is_the_first_stop_and_becomes_visible(site, page):
    """The first Tab reaches the skip link, which shows itself and jumps to main."""
    page.goto(site + "/initiatievenfonds/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Direct naar de inhoud")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box and box["y"] >= 0 and box["height"] >= 24
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()


def test_focus_is_visible_on_links_and_buttons(site, page):
    """A focused control draws an outline (WCAG 2.4.7)."""
    page.goto(site + "/")
    link = page.get_by_role("link", name="Doe de snelle check").first
    link.focus()
    outline = link.evaluate("e => getComputedStyle(e).outlineStyle")
    shadow = link.evaluate("e => getComputedStyle(e).boxShadow")
    assert outline != "none" or shadow != "none"


@pytest.mark.parametrize("scheme", ["duurzaam", "flexbudget"])
def test_the_impact_step_of_the_other_schemes_passes_axe_with_and_without_errors(
    site, page, assert_accessible, scheme
):
    """Step 3 asks each scheme's own questions; those pages pass axe too, also when
    every question is left open."""
    email = f"{scheme}@example.nl"
    page.goto(f"{site}/aanvragen/{scheme}/")
    page.get_by_role("link", name="Inloggen en beginnen").click()
    log_in_by_mail(page, email)
    page.get_by_role("button", name="Start de aanvraag").click()
    expect(page).to_have_url(re.compile(r"/invullen/"))
    page.goto(re.sub(r"/invullen/[^/]+/$", "/invullen/impact/", page.url))
    expect(
        page.get_by_role("heading", name="Wat levert het op?", level=1)
    ).to_be_visible()
    assert_accessible(page, f"step 3 of {scheme}")
    page.get_by_role("button", name="Opslaan en verder").click()
    expect(page.locator(".portal-error-summary")).to_be_visible()
    assert_accessible(page, f"step 3 of {scheme} with errors")
