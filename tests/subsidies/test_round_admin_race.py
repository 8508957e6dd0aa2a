"""Issue #12: editing a round in the admin at the same moment as a decision.

The round form checks the round rules (``Round.clean``) without a lock; ``Round.save``
checks them again under the round's row lock, and the ceiling guard after it. When a
decision committed money between the two, the admin answered 500 (the save raised
``ValidationError`` or ``CeilingExceeded``). It is now a form error on the ceiling,
in euros, with what was typed kept, and the stored round unchanged.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from subsidies import facts, services
from subsidies.models import Round
from subsidies.workflow import Status
from tests.factories import (
    RoundFactory,
    WijkFactory,
    assessed_application,
    decision_maker,
)
from tests.html_forms import form_data, with_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client, django_user_model):
    client.force_login(
        django_user_model.objects.create_superuser(
            email="beheer@example.org", password="x"
        )
    )
    return client


@pytest.fixture
def round_with_a_waiting_award():
    """A round of € 3.200 and an application about to be awarded € 2.000."""
    now = timezone.now().replace(second=0, microsecond=0)  # as the admin shows it
    round_ = RoundFactory(
        ceiling_cents=320_000,
        opens_at=now - timedelta(days=30),
        closes_at=now + timedelta(days=30),
    )
    application = assessed_application(
        round=round_, wijk=WijkFactory(), proposed_cents=200_000
    )
    return round_, application


def _decide_right_after_the_check(monkeypatch, application, *, refuse_on_save=True):
    """A decision commits € 2.000 just after the form's (unlocked) check passed: the
    allocation is recorded and ``award`` fired, as the decision service does."""
    original = Round.change_errors
    decider = decision_maker()

    def change_errors(self, *, at=None, lock=False):
        errors = original(self, at=at, lock=lock)
        if not lock:
            if application.status != Status.AWARDED:
                facts.record_allocation(
                    application, honoured=True, awarded_cents=200_000, rank=1
                )
                services.fire(
                    application=application, transition="award", actor=decider
                )
            return errors
        return errors if refuse_on_save else {}

    monkeypatch.setattr(Round, "change_errors", change_errors)


def _post_lower_ceiling(client, round_):
    url = reverse("round:edit", args=[round_.pk])
    data = with_values(
        form_data(client.get(url).content.decode()), ceiling_cents="1.500,00"
    )
    return client.post(url, data)


@pytest.mark.parametrize(
    "refuse_on_save", [True, False], ids=["round-rules-on-save", "ceiling-guard"]
)
def test_a_decision_between_check_and_save_is_a_form_error_not_a_500(
    admin, round_with_a_waiting_award, monkeypatch, refuse_on_save
):
    """The ceiling lowered to € 1.500 while € 2.000 is awarded at that moment: the
    page shows why in euros and keeps "1.500,00" in the field; the round keeps its
    ceiling of € 3.200 and the award stands. (``ceiling-guard``: the save's own check
    is skipped, so the guard after the save refuses it.)"""
    round_, application = round_with_a_waiting_award
    _decide_right_after_the_check(
        monkeypatch, application, refuse_on_save=refuse_on_save
    )
    response = _post_lower_ceiling(admin, round_)
    assert response.status_code == 200
    html = response.content.decode().replace("\xa0", " ")
    assert "€ 2.000,00" in html
    assert 'value="1.500,00"' in html
    form = response.context["form"]
    assert "ceiling_cents" in form.errors
    assert Round.objects.get(pk=round_.pk).ceiling_cents == 320_000
    application.refresh_from_db()
    assert application.status == Status.AWARDED
    assert application.awarded_cents == 200_000


def test_a_round_edit_without_a_race_still_saves(admin, round_with_a_waiting_award):
    """Nothing committed: lowering the ceiling to € 1.500 is saved and listed."""
    round_, _application = round_with_a_waiting_award
    response = _post_lower_ceiling(admin, round_)
    assert response.status_code == 302
    assert Round.objects.get(pk=round_.pk).ceiling_cents == 150_000
    listing = admin.get(reverse("round:index")).content.decode().replace("\xa0", " ")
    assert "1.500,00" in listing
