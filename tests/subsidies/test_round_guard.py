"""Issue #12: what may change in a round, and the one ceiling guard every path passes."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from subsidies import facts
from subsidies.models import Application, CeilingExceeded, Round
from subsidies.rounds import ceiling_guard
from subsidies.workflow import Status
from tests.factories import (
    ApplicationFactory,
    RoundFactory,
    SchemeFactory,
    WijkFactory,
    assessed_application,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def awarded_round():
    """A round of € 3.200 with € 2.000 awarded (by a fixed allocation run)."""
    round_ = RoundFactory(ceiling_cents=320_000)
    ApplicationFactory(round=round_, amount_cents=200_000, awarded=True)
    return round_


def test_a_ceiling_cannot_be_lowered_below_what_is_committed(awarded_round):
    """Finding: lowering a ceiling below what is committed was accepted."""
    awarded_round.ceiling_cents = 150_000
    with pytest.raises(ValidationError) as error:
        awarded_round.full_clean()
    assert "ceiling_cents" in error.value.message_dict
    # Staff read amounts in euros, as they type them.
    message = " ".join(error.value.message_dict["ceiling_cents"]).replace("\xa0", " ")
    assert "€ 2.000,00" in message and "cent" not in message
    with pytest.raises(ValidationError):
        awarded_round.save()
    assert Round.objects.get(pk=awarded_round.pk).ceiling_cents == 320_000
    awarded_round.ceiling_cents = 200_000  # down to exactly what is committed: fine
    awarded_round.save()


def test_the_scheme_of_a_round_with_applications_is_fixed(awarded_round):
    """Finding: a round's regeling could be changed while it had decided applications."""
    awarded_round.scheme = SchemeFactory(
        slug="wmo", name="Duurzaam Wmo", reference_prefix="WMO"
    )
    with pytest.raises(ValidationError) as error:
        awarded_round.full_clean()
    assert "scheme" in error.value.message_dict
    with pytest.raises(ValidationError):
        awarded_round.save()


def test_an_open_round_keeps_its_opening_and_closes_no_earlier(awarded_round):
    """Finding: a round's dates could be moved at any time. Once open, the opening is
    fixed and the closing may only move later; once closed, both are fixed."""
    original = Round.objects.get(pk=awarded_round.pk)
    awarded_round.opens_at = original.opens_at + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        awarded_round.save()
    assert "opens_at" in error.value.message_dict
    awarded_round.opens_at = original.opens_at
    awarded_round.closes_at = original.closes_at - timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        awarded_round.save()
    assert "closes_at" in error.value.message_dict
    awarded_round.closes_at = original.closes_at + timedelta(days=7)
    awarded_round.save()
    closed = RoundFactory(closed=True)
    closed.closes_at = timezone.now() + timedelta(days=7)
    with pytest.raises(ValidationError) as error:
        closed.save()
    assert "closes_at" in error.value.message_dict


def test_a_round_that_has_not_opened_may_still_move(awarded_round):
    """Before the opening nobody relied on the dates yet."""
    future = RoundFactory(
        opens_at=timezone.now() + timedelta(days=10),
        closes_at=timezone.now() + timedelta(days=40),
    )
    future.opens_at += timedelta(days=2)
    future.closes_at -= timedelta(days=2)
    future.full_clean()
    future.save()


def test_the_ceiling_guard_rolls_back_whatever_goes_over(awarded_round):
    """Any write inside the guard that ends above the ceiling is undone: here an
    allocation that reserves € 2.000 more (recorded through ``subsidies.facts``)."""
    extra = assessed_application(
        round=awarded_round, wijk=WijkFactory(), proposed_cents=200_000
    )
    with pytest.raises(CeilingExceeded), ceiling_guard(awarded_round.pk):
        facts.record_allocation(extra, honoured=True, awarded_cents=200_000, rank=1)
    stored = Application.objects.get(pk=extra.pk)
    assert stored.status == Status.ASSESSED
    assert (stored.allocation_outcome, stored.awarded_cents) == ("", None)
    assert awarded_round.committed_cents() == 200_000
