"""Four eyes: the second decision maker approves with the application at hand.

On the demo approving took one click on a list, without a link to the application or
its facts. The list now links to an approval screen with the key facts and a link to
the whole application; only its confirmation button approves.
"""

import pytest
from django.urls import reverse

from beoordeling.decisions.services import decisions
from subsidies.models import Application
from subsidies.workflow import Status
from tests.factories import (
    RoundFactory,
    WijkFactory,
    assessed_application,
    assessor,
    decision_maker,
)

pytestmark = pytest.mark.django_db


def _fixed_run_with_four_eyes(first):
    wijk = WijkFactory(code="noord", name="Noord")
    round_ = RoundFactory(ceiling_cents=1_000_000, four_eyes_threshold_cents=100_000)
    application = assessed_application(
        round=round_,
        wijk=wijk,
        proposed_cents=300_000,
        assessed_by=assessor(),
    )
    run = decisions.allocation_run_create(round=round_, actor=first)
    decisions.allocation_run_fix(run=run, actor=first)
    return application, run.results.get(application=application)


def test_approving_shows_the_application_first_and_needs_a_confirmation(client):
    """The list links to the approval screen (no approving button of its own); the
    screen shows the key facts and links to the application; a GET approves
    nothing; the confirmation button does."""
    first, second = decision_maker(), decision_maker()
    application, result = _fixed_run_with_four_eyes(first)
    assert result.awaits_approval
    approve = reverse("besluiten:approve", args=[result.pk])
    client.force_login(second)
    listing = client.get(reverse("besluiten:approvals")).content.decode()
    assert f'href="{approve}"' in listing
    assert 'method="post" action="' + approve not in listing
    page = client.get(approve)
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("beoordelen:detail", args=[application.pk]) in html
    assert application.title in html and application.applicant.name in html
    assert "3.000,00" in html and "Noord" in html
    assert "Ja, goedkeuren en" in html
    assert Application.objects.get(pk=application.pk).status == Status.ASSESSED
    client.post(approve)
    application.refresh_from_db()
    assert application.status == Status.AWARDED
    assert application.second_approver == second


def test_the_fixer_sees_the_screen_but_cannot_approve(client):
    """Whoever fixed the run sees the facts and why another must approve."""
    first = decision_maker()
    _application, result = _fixed_run_with_four_eyes(first)
    client.force_login(first)
    html = client.get(reverse("besluiten:approve", args=[result.pk])).content.decode()
    assert "zelf vastgesteld" in html
    assert "Ja, goedkeuren en" not in html
