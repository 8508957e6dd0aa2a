"""Awarded applications with their verlening letter, and the financial administrators."""

from datetime import timedelta

import pytest
from django.utils import timezone

from beoordeling.decisions.services.letters import decision_issue
from beoordeling.payments.services.planning import plan_payments
from subsidies import facts, services
from tests.factories import (
    AddressedApplicantFactory,
    RoundFactory,
    SchemeFactory,
    WijkFactory,
    assessor,
    decided_application,
    decision_maker,
    financial_administrator,
)


@pytest.fixture
def decider():
    return decision_maker(first_name="Marieke", last_name="Jansen")


@pytest.fixture
def composer():
    return financial_administrator(first_name="Fatima", last_name="El Amrani")


@pytest.fixture
def approver():
    return financial_administrator(first_name="Kees", last_name="de Boer")


@pytest.fixture
def award(decider):
    """``award(cents, advance_percent=80, route="verlening", applicant=None)``: an
    application awarded through the real services, its verlening letter sent today,
    and its ledger planned."""
    wijk = WijkFactory(code="noord", name="Noord")
    staff = assessor()

    prefixes = {}

    def make(cents=1_000_000, *, advance_percent=80, route="verlening", **kwargs):
        slug = f"fonds-{route}-{advance_percent}"
        prefixes.setdefault(
            slug, "IF" if not prefixes else f"I{chr(65 + len(prefixes))}"
        )
        scheme = SchemeFactory(
            slug=slug,
            name=f"Fonds {slug}",
            reference_prefix=prefixes[slug],
            advance_percent=advance_percent,
            advance_part_months=3,
            settlement_route=route,
            max_amount_cents=5_000_000,
            letter_accountability_direct="Bewaar de bonnen.",
        )
        round_ = RoundFactory(scheme=scheme, ceiling_cents=50_000_000)
        kwargs.setdefault("applicant", AddressedApplicantFactory())
        application = decided_application(
            round=round_,
            wijk=wijk,
            awarded_cents=cents,
            amount_cents=cents,
            assessed_by=staff,
            decided_by=decider,
            **kwargs,
        )
        decision_issue(application=application, actor=decider, notify=False)
        plan_payments(application)
        application.refresh_from_db()
        return application

    return make


def fix(application, *, fixed_cents, decider):
    """The verantwoording is in and the decision maker fixes ``fixed_cents``."""
    application = services.fire(
        application=application, transition="submit_report", actor=None
    )
    facts.record_fixed_amount(
        application, fixed_cents=fixed_cents, motivation="Minder kosten gemaakt."
    )
    application = services.fire(
        application=application, transition="fix", actor=decider
    )
    plan_payments(application)
    application.refresh_from_db()
    return application


def revoke(application, *, decider):
    application = services.fire(
        application=application, transition="revoke", actor=decider
    )
    plan_payments(application)
    application.refresh_from_db()
    return application


def yesterday():
    return timezone.localdate() - timedelta(days=1)
