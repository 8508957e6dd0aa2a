"""Grants after the award, for the vaststelling tests (test_vaststelling*.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from beoordeling.decisions.services.letters import decision_issue
from subsidies import facts
from subsidies.models import Application, Round
from tests.factories import (
    AddressedApplicantFactory,
    RoundFactory,
    SchemeFactory,
    WijkFactory,
    assessor,
    decided_application,
    decision_maker,
)


@pytest.fixture
def decider():
    return decision_maker(first_name="Marieke", last_name="Jansen")


@pytest.fixture
def grant(decider):
    """``grant(cents, route=..., threshold=None, ended=False)``: an application awarded
    through the real services with its verlening letter; ``ended`` moves the last day
    of its activities to yesterday."""
    wijk = WijkFactory(code="noord", name="Noord")
    staff = assessor()
    made = {}

    def make(cents=400_000, *, route="verlening", threshold=None, ended=False):
        key = (route, threshold)
        if key not in made:
            scheme = SchemeFactory(
                slug=f"fonds-{len(made)}",
                reference_prefix=f"F{chr(65 + len(made))}",
                settlement_route=route,
                letter_accountability_direct="Bewaar de bonnen.",
                max_amount_cents=5_000_000,
            )
            made[key] = RoundFactory(scheme=scheme, ceiling_cents=50_000_000)
        application = decided_application(
            round=made[key],
            wijk=wijk,
            awarded_cents=cents,
            amount_cents=cents,
            assessed_by=staff,
            decided_by=decider,
            applicant=AddressedApplicantFactory(),
        )
        decision_issue(application=application, actor=decider, notify=False)
        # The threshold is set after the award: the award's own four eyes are
        # tested in test_four_eyes_review.py.
        Round.objects.filter(pk=made[key].pk).update(
            four_eyes_threshold_cents=threshold
        )
        if ended:
            today = timezone.localdate()
            Application.objects.filter(pk=application.pk).update(
                activity_start=today - timedelta(days=60)
            )
            facts.record_amendment(application, activity_end=today - timedelta(days=1))
        return Application.objects.get(pk=application.pk)

    return make
