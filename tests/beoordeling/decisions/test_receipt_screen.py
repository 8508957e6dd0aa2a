"""Deciding by order of receipt on the round screen (issue #12).

- Findings: deciding took one click without a confirmation; the candidates were
  listed by id, not in the order in which they are to be decided.
- Now the round screen lists the candidates in receipt order (the moment each became
  complete, the oldest first: the one that is next), and each opens a confirmation
  screen that says what will happen; only its button decides.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from subsidies.models import Application
from subsidies.workflow import Status
from tests.factories import (
    RoundFactory,
    SchemeFactory,
    WijkFactory,
    assessed_application,
    decision_maker,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def receipt():
    """Three applications, made (ids) in the opposite order of their completion."""
    scheme = SchemeFactory(
        slug="doorlopend",
        name="Doorlopend fonds",
        reference_prefix="DL",
        allocation_mode="receipt",
    )
    round_ = RoundFactory(scheme=scheme, ceiling_cents=5_000_000)
    wijk = WijkFactory(code="oost", name="Oost")
    now = timezone.now()
    made = [
        assessed_application(round=round_, wijk=wijk, proposed_cents=100_000)
        for _ in range(3)
    ]
    for days, application in zip((1, 5, 3), made, strict=True):
        Application.objects.filter(pk=application.pk).update(
            complete_at=now - timedelta(days=days)
        )
    newest, oldest, middle = made
    return {"round": round_, "order": [oldest, middle, newest]}


def _round_page(client, round_):
    response = client.get(reverse("besluiten:round", args=[round_.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_candidates_are_listed_in_receipt_order(client, receipt):
    """The oldest complete application first, whatever its id."""
    client.force_login(decision_maker())
    html = _round_page(client, receipt["round"])
    positions = [html.index(a.reference) for a in receipt["order"]]
    assert positions == sorted(positions), [a.reference for a in receipt["order"]]


def test_deciding_by_receipt_shows_what_will_happen_then_decides(client, receipt):
    round_, oldest = receipt["round"], receipt["order"][0]
    client.force_login(decision_maker())
    decide = reverse("besluiten:decide_by_receipt", args=[round_.pk, oldest.pk])
    html = _round_page(client, round_)
    assert f'href="{decide}"' in html  # a link to the confirmation, not a POST
    assert f'action="{decide}"' not in html

    page = client.get(decide)
    assert page.status_code == 200
    text = page.content.decode().replace("\xa0", " ")
    assert oldest.reference in text and oldest.title in text
    assert reverse("beoordelen:detail", args=[oldest.pk]) in text
    assert "€ 1.000,00" in text  # the proposed amount
    assert "€ 50.000,00" in text  # what is left of the ceiling
    assert "Ja, besluiten over " + oldest.reference in text
    assert Application.objects.get(pk=oldest.pk).status == Status.ASSESSED

    response = client.post(decide)
    assert response.status_code == 302
    assert Application.objects.get(pk=oldest.pk).status == Status.AWARDED


def test_out_of_order_the_screen_names_the_older_and_keeps_the_motivation(
    client, receipt
):
    """The newest is not next: the screen names the older ones and asks why; a
    refused motivation (a NUL byte) is an error that keeps what was typed."""
    round_ = receipt["round"]
    oldest, middle, newest = receipt["order"]
    client.force_login(decision_maker())
    decide = reverse("besluiten:decide_by_receipt", args=[round_.pk, newest.pk])
    html = client.get(decide).content.decode()
    assert oldest.reference in html and middle.reference in html
    assert 'name="order_exception"' in html

    response = client.post(decide, {"order_exception": ""})
    assert response.status_code == 200
    assert "eerst" in response.content.decode()
    assert Application.objects.get(pk=newest.pk).status == Status.ASSESSED

    typed = "Spoed: de activiteit begint over drie dagen.\x00"
    response = client.post(decide, {"order_exception": typed})
    assert response.status_code == 200
    assert "Spoed: de activiteit begint over drie dagen." in response.content.decode()
    assert Application.objects.get(pk=newest.pk).status == Status.ASSESSED

    why = "Spoed: de activiteit begint over drie dagen."
    assert client.post(decide, {"order_exception": why}).status_code == 302
    newest.refresh_from_db()
    assert newest.status == Status.AWARDED
    assert newest.allocation_results.get().run.order_exception == why
