"""Two tabs, one step, in Chromium (issue 14): the tab that saves second from an older
page is told so in Dutch, sees what the other tab stored, keeps what it typed, and
stores it only when it saves again on purpose."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from sesame.utils import get_token

from subsidies import steps
from subsidies.models import Application, BudgetLine
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _lines(application):
    return list(
        BudgetLine.objects.filter(application=application)
        .order_by("pk")
        .values_list("description", "amount_cents")
    )


def _fill_line(tab, description, amount):
    tab.locator('[name="lines-0-category"]').select_option("materiaal")
    tab.locator('[name="lines-0-description"]').fill(description)
    tab.locator('[name="lines-0-amount"]').fill(amount)


def test_the_tab_that_saves_the_budget_second_is_told_and_loses_nothing(
    site, context, assert_accessible
):
    user = UserFactory(role="Aanvrager", email="twee.tabbladen@example.nl")
    tab_a = context.new_page()
    tab_a.goto(f"{site}{reverse('accounts:magic_link')}?t={get_token(user)}")
    tab_a.get_by_role("button", name="Inloggen").click()
    tab_a.goto(f"{site}/aanvragen/initiatievenfonds/")
    tab_a.get_by_role("button", name=re.compile("Start de aanvraag")).click()
    expect(
        tab_a.get_by_role("heading", name="Over de aanvrager", level=1)
    ).to_be_visible()
    application = Application.objects.get(created_by=user)
    budget = site + reverse(
        "subsidies:step", args=[application.reference, steps.BUDGET]
    )

    tab_b = context.new_page()
    tab_a.goto(budget)
    tab_b.goto(budget)

    _fill_line(tab_a, "Verf uit tabblad A", "150")
    tab_a.get_by_role("button", name="Opslaan en verder").click()
    expect(tab_a.get_by_role("heading", name="Bijlagen", level=1)).to_be_visible()
    assert _lines(application) == [("Verf uit tabblad A", 15_000)]

    _fill_line(tab_b, "Zaalhuur uit tabblad B", "900")
    tab_b.get_by_role("button", name="Opslaan en verder").click()
    alert = tab_b.get_by_role("alert").filter(has_text="ander venster")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text(
        "U heeft deze stap intussen in een ander venster opgeslagen."
    )
    expect(alert).to_contain_text("Nu bewaard")
    expect(alert).to_contain_text("Verf uit tabblad A")
    expect(alert).to_contain_text("€ 150,00")
    expect(tab_b.locator('[name="lines-0-description"]')).to_have_value(
        "Zaalhuur uit tabblad B"
    )
    expect(tab_b.locator('[name="lines-0-amount"]')).to_have_value("900")
    assert _lines(application) == [("Verf uit tabblad A", 15_000)]
    assert_accessible(tab_b, "the budget step told it was saved in another tab")

    # Tab B has seen what A stored and saves its own line on purpose.
    tab_b.get_by_role("button", name="Opslaan en verder").click()
    expect(tab_b.get_by_role("heading", name="Bijlagen", level=1)).to_be_visible()
    assert _lines(application) == [("Zaalhuur uit tabblad B", 90_000)]
    application.refresh_from_db()
    assert application.requested_cents == 90_000
