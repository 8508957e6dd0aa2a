"""The budget dashboard: its figures are the export's, to the cent."""

import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import ADMINISTRATOR, ASSESSOR
from beoordeling.models import ExportKind
from beoordeling.overviews.dashboard import budget_dashboard, round_lines
from beoordeling.overviews.exports.filters import ExportFilters
from beoordeling.overviews.exports.services import export_write
from subsidies import facts
from subsidies.models import RoundWijkLimit
from subsidies.money import cents_to_euros
from subsidies.workflow import Status
from tests.factories import (
    RoundFactory,
    UserFactory,
    WijkFactory,
    assessed_application,
    assessor,
    decided_application,
    decision_maker,
    publish_rule,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def budget():
    round_ = RoundFactory(name="Voorjaar", ceiling_cents=1_000_000, rule=False)
    zuid = WijkFactory(code="zuid", name="Zuid", fair_share_weight=Decimal("30"))
    oost = WijkFactory(code="oost", name="Oost", fair_share_weight=Decimal("10"))
    RoundWijkLimit.objects.create(round=round_, wijk=zuid, floor_cents=200_000)
    publish_rule(round_)  # the dashboard shows the floors of the published rule
    staff = {"assessed_by": assessor(), "decided_by": decision_maker()}
    for wijk, amount in ((zuid, 123_457), (zuid, 99_999), (oost, 50_001)):
        decided_application(
            round=round_, wijk=wijk, amount_cents=amount, awarded_cents=amount, **staff
        )
    decided_application(
        round=round_, wijk=oost, status="afgewezen", amount_cents=70_000, **staff
    )
    waiting = assessed_application(
        round=round_,
        wijk=oost,
        amount_cents=30_003,
        assessed_by=staff["assessed_by"],
    )
    # Honoured by a fixed run, waiting for the second approval: reserved.
    facts.record_allocation(waiting, honoured=True, awarded_cents=30_003, rank=1)
    return round_, zuid, oost


def exported_awarded(round_, wijk=None):
    out = io.BytesIO()
    filters = ExportFilters(
        round_id=round_.pk, wijk_id=wijk.pk if wijk else None, status=Status.AWARDED
    )
    export_write(kind=ExportKind.AWARDS, fmt="json", filters=filters, out=out)
    rows = json.loads(out.getvalue(), parse_float=Decimal)
    return sum((row["Toegekend bedrag (euro)"] for row in rows), Decimal("0.00"))


def test_the_awarded_amounts_match_the_award_export_to_the_cent(budget):
    """Per round and per wijk, 'toegekend' is the sum of the export's column."""
    round_, zuid, oost = budget
    (line,) = round_lines([round_])
    assert cents_to_euros(line.awarded_cents) == exported_awarded(round_)
    wijken = {w.name: w for w in line.wijken}
    assert cents_to_euros(wijken["Zuid"].awarded_cents) == exported_awarded(
        round_, zuid
    )
    assert cents_to_euros(wijken["Oost"].awarded_cents) == exported_awarded(
        round_, oost
    )
    assert line.awarded_cents == 123_457 + 99_999 + 50_001


def test_the_ceiling_committed_and_remaining_of_a_round(budget):
    """Committed is awarded plus reserved; remaining is the ceiling minus committed."""
    round_, _zuid, _oost = budget
    (line,) = round_lines([round_])
    assert line.reserved_cents == 30_003
    assert line.committed_cents == 273_457 + 30_003
    assert line.remaining_cents == 1_000_000 - 303_460
    assert (line.applications, line.awards) == (5, 3)
    wijken = {w.name: w for w in line.wijken}
    assert (wijken["Oost"].applications, wijken["Oost"].awards) == (3, 1)
    assert wijken["Zuid"].floor_cents == 200_000 and not wijken["Zuid"].below_floor


def test_each_wijk_share_is_set_against_its_fair_share(budget):
    """Zuid has weight 30 of 40 (75 %) and got 223,456 of 273,457 euro cents."""
    round_, _zuid, _oost = budget
    (line,) = round_lines([round_])
    zuid = next(w for w in line.wijken if w.name == "Zuid")
    assert zuid.fair_share == Decimal("0.75")
    assert zuid.awarded_share == Decimal(223_456) / Decimal(273_457)
    assert zuid.awarded_percent == Decimal("81.7")
    bars = {bar.label: bar for bar in line.chart}
    assert (
        bars["Zuid"].awarded_width > bars["Zuid"].fair_width > bars["Oost"].fair_width
    )


def test_the_dashboard_groups_rounds_per_scheme(budget):
    """One scheme line with its rounds and totals."""
    round_, _zuid, _oost = budget
    (scheme,) = budget_dashboard(scheme_id=round_.scheme_id)
    assert scheme.scheme_name == round_.scheme.name
    assert scheme.awarded_cents == 273_457


def test_the_dashboard_page_shows_tables_and_a_chart_without_javascript(client, budget):
    """Tables with the amounts in Dutch notation and an SVG chart with a title."""
    round_, _zuid, _oost = budget
    client.force_login(UserFactory(role=ADMINISTRATOR))
    response = client.get(reverse("overzichten:dashboard"), {"ronde": round_.pk})
    body = response.content.decode()
    assert response.status_code == 200
    assert "€\u00a02.734,57" in body
    assert "€\u00a06.965,40" in body  # remaining
    assert (
        "<svg" in body and "<title" in body and "<script" not in body.split("<svg")[1]
    )


def test_the_admin_home_shows_the_budget_panel_to_administrators_only(client, budget):
    """Beheerders see the open rounds' budget on the dashboard; assessors do not."""
    client.force_login(UserFactory(role=ADMINISTRATOR))
    assert (
        "Budget van de open rondes"
        in client.get(reverse("wagtailadmin_home")).content.decode()
    )
    client.force_login(UserFactory(role=ASSESSOR))
    assert (
        "Budget van de open rondes"
        not in client.get(reverse("wagtailadmin_home")).content.decode()
    )
