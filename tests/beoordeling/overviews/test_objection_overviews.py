"""The bezwaren on the budget dashboard and in the "Overzicht bezwaren" export, and
the round's reserve for bezwaren in the round admin.

The bezwaren are stored rows in known states (made directly, so every figure is
known); the export's rows are held to the dashboard's numbers.
"""

import csv
import io
import json
from datetime import datetime, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import ADMINISTRATOR, ASSESSOR, OBJECTION_HANDLER
from beoordeling.decisions.selectors import round_budget
from beoordeling.decisions.services.letters import decision_issue
from beoordeling.models import ExportKind, ExportLog, Objection
from beoordeling.objections.workflow import (
    Channel,
    Ground,
    HearingWaiver,
    ObjectionState,
    Outcome,
)
from beoordeling.overviews.exports.filters import ExportFilters
from beoordeling.overviews.exports.services import export_write
from beoordeling.overviews.objections import objection_dashboard
from subsidies.models import Round
from subsidies.wagtail_hooks import RoundViewSet
from tests.factories import (
    AddressedApplicantFactory,
    ApplicationFactory,
    RoundFactory,
    UserFactory,
    WijkFactory,
    decision_maker,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _moment(day):
    return timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(
        hours=12
    )


def decided_with_letter(*, status="toegekend", **kwargs):
    """An application decided by a fixed run, with its beschikking sent today."""
    decider = decision_maker()
    lifecycle = {"toegekend": "awarded", "afgewezen": "rejected"}[status]
    application = ApplicationFactory(
        decided_by=decider,
        applicant=AddressedApplicantFactory(),
        **{lifecycle: True},
        **kwargs,
    )
    decision, _created = decision_issue(
        application=application, actor=decider, date_sent=TODAY, notify=False
    )
    return application, decision


def _objection(decision, number, state, **fields):
    received = fields.pop("received_on", TODAY - timedelta(days=20))
    return Objection.objects.create(
        reference=f"BZ{TODAY.year}-{number:06d}",
        application=decision.application,
        decision=decision,
        state=state,
        channel=Channel.ONLINE,
        objector_name="Stichting Buurtkracht",
        reasons="Wij zijn het niet eens met de score.",
        received_on=received,
        lodged_at=_moment(received),
        term_end=decision.bezwaar_deadline,
        decision_due_on=fields.pop("decision_due_on", TODAY + timedelta(days=20)),
        **fields,
    )


@pytest.fixture
def bezwaren():
    """One round with a reserve of EUR 5.000 and five beschikkingen over two wijken:
    a gegrond bezwaar decided in time that cost EUR 1.200, an ongegrond one decided
    after its (deferred) term, an open one over its term, a withdrawn one and an open
    one on the same beschikking, and a beschikking without bezwaar. A second round
    has one open bezwaar."""
    round_ = RoundFactory(
        name="Voorjaar", ceiling_cents=10_000_000, objection_reserve_cents=500_000
    )
    other = RoundFactory(name="Najaar", scheme=round_.scheme)
    zuid = WijkFactory(code="zuid", name="Zuid")
    oost = WijkFactory(code="oost", name="Oost")
    handler = UserFactory(role=OBJECTION_HANDLER, first_name="Bas", last_name="Bezwaar")
    decisions = [
        decided_with_letter(round=round_, wijk=zuid)[1],
        decided_with_letter(round=round_, wijk=zuid, status="afgewezen")[1],
        decided_with_letter(round=round_, wijk=oost, status="afgewezen")[1],
        decided_with_letter(round=round_, wijk=oost)[1],
        decided_with_letter(round=round_, wijk=oost)[1],
        decided_with_letter(round=other)[1],
    ]
    upheld = _objection(
        decisions[1],
        1,
        ObjectionState.DECIDED,
        handler=handler,
        ground=Ground.ASSESSMENT,
        hearing_at=_moment(TODAY - timedelta(days=10)),
        hearing_place="Stadskantoor",
        hearing_report="De indiener lichtte het bereik toe.",
        outcome=Outcome.WELL_FOUNDED,
        motivation="Het bereik is te laag gescoord.",
        remedy_cents=300_000,
        cost_cents=120_000,
        decided_at=_moment(TODAY - timedelta(days=2)),
        decision_due_on=TODAY + timedelta(days=20),
    )
    unfounded = _objection(
        decisions[0],
        2,
        ObjectionState.DECIDED,
        handler=handler,
        ground=Ground.AMOUNT,
        received_on=TODAY - timedelta(days=100),
        is_late=True,
        excusable=True,
        excusability_motivation="De brief kwam op een verkeerd adres.",
        hearing_waiver=HearingWaiver.MANIFESTLY_UNFOUNDED,
        hearing_waiver_motivation="Het bedrag volgt uit de regeling.",
        extended_on=TODAY - timedelta(days=60),
        extension_reason="Advies nodig.",
        outcome=Outcome.UNFOUNDED,
        motivation="Het bedrag volgt uit de regeling.",
        decided_at=_moment(TODAY - timedelta(days=1)),
        decision_due_on=TODAY - timedelta(days=5),
    )
    overdue = _objection(
        decisions[2],
        3,
        ObjectionState.IN_HANDLING,
        handler=handler,
        ground=Ground.RULE,
        decision_due_on=TODAY - timedelta(days=1),
    )
    withdrawn = _objection(
        decisions[3],
        4,
        ObjectionState.WITHDRAWN,
        withdrawn_at=_moment(TODAY - timedelta(days=15)),
    )
    reopened = _objection(decisions[3], 5, ObjectionState.RECEIVED)
    elsewhere = _objection(decisions[5], 6, ObjectionState.RECEIVED)
    return {
        "round": round_,
        "other": other,
        "zuid": zuid,
        "oost": oost,
        "handler": handler,
        "upheld": upheld,
        "unfounded": unfounded,
        "overdue": overdue,
        "withdrawn": withdrawn,
        "reopened": reopened,
        "elsewhere": elsewhere,
    }


def _line(dashboard, round_):
    (line,) = [line for line in dashboard.rounds if line.round.pk == round_.pk]
    return line


def _rows(fmt, filters):
    out = io.BytesIO()
    count = export_write(kind=ExportKind.OBJECTIONS, fmt=fmt, filters=filters, out=out)
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8"))))
    elif fmt == "json":
        rows = json.loads(out.getvalue(), parse_float=Decimal)
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
        values = list(sheet.iter_rows(values_only=True))
        rows = [dict(zip(values[0], row, strict=True)) for row in values[1:]]
    assert count == len(rows)
    return rows


def test_the_dashboard_counts_the_bezwaren_of_a_round(bezwaren):
    """Per round: 5 beschikkingen, 4 with a bezwaar (80%), 5 bezwaren, 2 decided of
    which 1 gegrond (50%), 2 open of which 1 over its term, EUR 1.200 cost and
    EUR 3.800 left of the EUR 5.000 reserve."""
    line = _line(objection_dashboard(), bezwaren["round"])
    assert (line.decisions, line.objected, line.objections) == (5, 4, 5)
    assert line.objected_percent == Decimal("80.0")
    assert (line.decided, line.upheld, line.upheld_percent) == (2, 1, Decimal("50.0"))
    assert (line.open, line.overdue) == (2, 1)
    assert line.cost_cents == 120_000
    assert (line.reserve_cents, line.reserve_left_cents) == (500_000, 380_000)
    other = _line(objection_dashboard(), bezwaren["other"])
    assert (other.decisions, other.objections, other.open) == (1, 1, 1)
    assert other.upheld_percent is None  # nothing decided: no share, not 0%


def test_the_dashboard_narrows_the_bezwaren_to_a_wijk(bezwaren):
    """With the wijk filter Oost only Oost's three beschikkingen and their bezwaren
    count; the reserve and what is left of it are the round's (the gegrond bezwaar
    in Zuid used EUR 1.200 of it)."""
    dashboard = objection_dashboard(
        round_id=bezwaren["round"].pk, wijk_id=bezwaren["oost"].pk
    )
    (line,) = dashboard.rounds
    assert (line.decisions, line.objected, line.objections) == (3, 2, 3)
    assert (line.decided, line.upheld, line.open, line.overdue) == (0, 0, 2, 1)
    assert (line.cost_cents, line.reserve_cents) == (0, 500_000)
    assert line.reserve_left_cents == 380_000


def test_the_dashboard_table_groups_bezwaren_by_ground_and_outcome(bezwaren):
    """The table has one line per round, ground and outcome, in the order of the
    grounds, with what the decided ones cost."""
    dashboard = objection_dashboard(round_id=bezwaren["round"].pk)
    lines = [
        (g.round_name, str(g.ground_label), str(g.outcome_label), g.count, g.cost_cents)
        for g in dashboard.groups
    ]
    assert lines == [
        ("Voorjaar", "Verdeelregel of subsidieplafond", "Nog niet beslist", 1, 0),
        ("Voorjaar", "Beoordeling of score", "Gegrond", 1, 120_000),
        ("Voorjaar", "Hoogte van het bedrag", "Ongegrond", 1, 0),
        ("Voorjaar", "Nog niet ingedeeld", "Nog niet beslist", 1, 0),
        ("Voorjaar", "Nog niet ingedeeld", "Ingetrokken", 1, 0),
    ]


def test_the_dashboard_page_shows_the_bezwaren_to_the_beheerder(client, bezwaren):
    """The Beheerder sees the bezwaren section under the budget, with the round's
    figures and the table; an assessor gets a plain 403."""
    round_ = bezwaren["round"]
    client.force_login(UserFactory(role=ASSESSOR))
    refused = client.get(reverse("overzichten:dashboard"))
    assert refused.status_code == 403
    assert "Bezwaren per ronde" not in refused.content.decode()
    client.force_login(UserFactory(role=ADMINISTRATOR))
    page = client.get(reverse("overzichten:dashboard"), {"ronde": round_.pk})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Bezwaren per ronde" in html
    row = html.split(f'data-round="{round_.pk}"')[1].split("</tr>")[0]
    assert 'data-figure="decisions">5<' in row
    assert 'data-figure="objected_percent">80,0%<' in row or "80.0%" in row
    assert 'data-figure="upheld">1<' in row
    assert "<strong>1</strong>" in row  # overdue
    assert "1.200,00" in row and "3.800,00" in row and "5.000,00" in row
    assert "Hoogte van het bedrag" in html and "Ongegrond" in html


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_the_export_rows_agree_with_the_dashboard(bezwaren, fmt):
    """Filtered on the round, the export has a row per bezwaar; its rows give the
    dashboard's counts of bezwaren, contested beschikkingen, gegrond, open and
    overdue ones, and its cost column adds up to the dashboard's cost."""
    round_ = bezwaren["round"]
    line = _line(objection_dashboard(), round_)
    rows = _rows(fmt, ExportFilters(round_id=round_.pk))
    assert len(rows) == line.objections
    assert len({row["Kenmerk bestreden besluit"] for row in rows}) == line.objected
    assert sum(row["Beslissing"] == "gegrond" for row in rows) == line.upheld
    assert sum(row["Stand"] == "beslist" for row in rows) == line.decided
    open_rows = [row for row in rows if row["Beslissing"] == "open"]
    assert len(open_rows) == line.open

    def day(value):
        if isinstance(value, datetime):
            return value.date()
        return datetime.fromisoformat(value).date() if isinstance(value, str) else value

    assert (
        sum(day(row["Beslissen uiterlijk op"]) < TODAY for row in open_rows)
        == line.overdue
    )
    cost = sum(Decimal(str(row["Kosten voor de ronde (euro)"])) for row in rows)
    assert cost == Decimal("1200.00") == Decimal(line.cost_cents) / 100


def test_an_export_row_reads_back_the_stored_bezwaar(bezwaren):
    """The row of the gegrond bezwaar and of the late ongegrond one hold what was
    stored: reference, application, contested kenmerk, dates, lateness, handler,
    ground, hearing, deferral, outcome, new amount, cost and the term."""
    round_ = bezwaren["round"]
    rows = {
        row["Kenmerk bezwaar"]: row
        for row in _rows("csv", ExportFilters(round_id=round_.pk))
    }
    upheld, unfounded = bezwaren["upheld"], bezwaren["unfounded"]
    row = rows[upheld.reference]
    assert row["Regeling"] == round_.scheme.name and row["Ronde"] == "Voorjaar"
    assert row["Wijk"] == "Zuid"
    assert row["Kenmerk aanvraag"] == upheld.application.reference
    assert row["Kenmerk bestreden besluit"] == upheld.decision.kenmerk
    assert row["Soort bestreden besluit"] == upheld.decision.get_kind_display()
    assert row["Ontvangen op"] == upheld.received_on.isoformat()
    assert (row["Te laat"], row["Verschoonbaar"]) == ("nee", "")
    assert row["Behandelaar"] == "Bas Bezwaar"
    assert (row["Onderwerp"], row["Hoorzitting"]) == ("beoordeling", "gehouden")
    assert (row["Verdaagd"], row["Beslissing"]) == ("nee", "gegrond")
    assert row["Beslist op"] == (TODAY - timedelta(days=2)).isoformat()
    assert row["Nieuw bedrag (euro)"] == "3000.00"
    assert row["Kosten voor de ronde (euro)"] == "1200.00"
    assert row["Binnen de termijn"] == "ja"
    row = rows[unfounded.reference]
    assert (row["Te laat"], row["Verschoonbaar"]) == ("ja", "ja")
    assert (row["Hoorzitting"], row["Grond afzien van horen"]) == ("afgezien", "7:3b")
    assert (row["Verdaagd"], row["Beslissing"]) == ("ja", "ongegrond")
    assert row["Beslissen uiterlijk op"] == (TODAY - timedelta(days=5)).isoformat()
    assert row["Binnen de termijn"] == "nee"
    assert row["Nieuw bedrag (euro)"] == ""
    row = rows[bezwaren["withdrawn"].reference]
    assert (row["Beslissing"], row["Binnen de termijn"]) == ("ingetrokken", "")
    assert "Stichting Buurtkracht" not in str(rows)  # no objector's name
    assert "niet eens" not in str(rows)  # nor the reasons


def test_the_list_on_screen_shows_what_the_file_holds(bezwaren):
    """The admin list (rows from instances) and the file (rows from values) give
    the same rows."""
    from beoordeling.overviews.exports.resources import RESOURCES

    resource = RESOURCES[ExportKind.OBJECTIONS]()
    queryset = resource.queryset(ExportFilters())
    assert list(resource.instance_rows(queryset)) == list(resource.rows(queryset))


def test_the_beheerder_exports_the_bezwaren_and_an_assessor_cannot(client, bezwaren):
    """The Beheerder sees the list and downloads the CSV, which is logged; an
    assessor gets 403 on both and nothing is logged."""
    round_ = bezwaren["round"]
    client.force_login(UserFactory(role=ASSESSOR))
    assert client.get(reverse("overzichten:list", args=["bezwaren"])).status_code == 403
    refused = client.post(
        reverse("overzichten:export", args=["bezwaren"]), {"formaat": "csv"}
    )
    assert refused.status_code == 403 and not ExportLog.objects.exists()
    client.force_login(UserFactory(role=ADMINISTRATOR))
    page = client.get(
        reverse("overzichten:list", args=["bezwaren"]), {"ronde": round_.pk}
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert bezwaren["upheld"].reference in html
    assert bezwaren["elsewhere"].reference not in html
    response = client.post(
        reverse("overzichten:export", args=["bezwaren"]),
        {"ronde": round_.pk, "formaat": "csv"},
    )
    assert response.status_code == 200, response.content[:500]
    assert response["X-Export-Rows"] == "5"
    assert bezwaren["upheld"].reference in response.content.decode()
    log = ExportLog.objects.get()
    assert (log.kind, log.row_count) == (ExportKind.OBJECTIONS, 5)


# --- the round's reserve in the round admin ---------------------------------------------


def _round_form(**kwargs):
    return RoundViewSet("rondes").get_form_class()(**kwargs)


def _form_data(round_, **changes):
    data = {
        "scheme": round_.scheme_id,
        "name": round_.name,
        "opens_at": timezone.localtime(round_.opens_at).strftime("%Y-%m-%d %H:%M"),
        "closes_at": timezone.localtime(round_.closes_at).strftime("%Y-%m-%d %H:%M"),
        "ceiling_cents": "100.000,00",
        "objection_reserve_cents": "0,00",
        "on_shortfall": round_.on_shortfall,
        "min_partial_cents": "0,00",
        "four_eyes_threshold_cents": "",
        "lottery_seed": "",
        "published_rule": round_.published_rule,
    }
    data.update(changes)
    return data


def test_the_round_form_takes_the_reserve_in_euros_beside_the_ceiling():
    """The reserve is shown and typed in euros, right after the ceiling."""
    round_ = RoundFactory(ceiling_cents=10_000_000, objection_reserve_cents=250_000)
    form = _round_form(instance=round_)
    names = list(form.fields)
    assert names.index("objection_reserve_cents") == names.index("ceiling_cents") + 1
    assert form.fields["objection_reserve_cents"].label == (
        "Reserve voor bezwaren (euro)"
    )
    assert 'value="2.500,00"' in str(form["objection_reserve_cents"])


def test_the_beheerder_sets_the_reserve_and_it_may_not_exceed_the_ceiling(client):
    """Saving the round with a reserve of EUR 7.500 stores 750000 cents; a reserve
    above the ceiling is refused with a Dutch error beside the field, nothing saved."""
    minute = timezone.now().replace(second=0, microsecond=0)
    round_ = RoundFactory(  # a draft: once the rule is published the reserve is fixed
        ceiling_cents=10_000_000,
        opens_at=minute - timedelta(days=30),
        closes_at=minute + timedelta(days=30),
        rule=False,
    )
    client.force_login(
        UserFactory(role=ADMINISTRATOR, is_superuser=True, is_staff=True)
    )
    url = reverse("round:edit", args=[round_.pk])
    response = client.post(url, _form_data(round_, objection_reserve_cents="7.500"))
    assert response.status_code == 302, response.content.decode()[:3000]
    round_.refresh_from_db()
    assert round_.objection_reserve_cents == 750_000
    response = client.post(
        url, _form_data(round_, objection_reserve_cents="100.000,01")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "De reserve voor bezwaren kan niet hoger zijn dan het subsidieplafond" in html
    )
    assert Round.objects.get(pk=round_.pk).objection_reserve_cents == 750_000


def test_the_reserve_left_stays_the_rounds_under_a_wijk_filter(client, bezwaren):
    """Filtered on Zuid or on Oost, the cost follows the wijk but the reserve left is
    the round's: EUR 3.800 both times, as the round's budget says, on the page too.
    The totals add up each round's reserve left: a second round whose gegrond bezwaar
    cost more than its reserve does not eat into the first round's reserve."""
    round_, other = bezwaren["round"], bezwaren["other"]
    left = round_budget(round_).reserve_left_cents
    assert left == 380_000
    for wijk, cost in ((bezwaren["zuid"], 120_000), (bezwaren["oost"], 0)):
        (line,) = objection_dashboard(round_id=round_.pk, wijk_id=wijk.pk).rounds
        assert (line.cost_cents, line.reserve_left_cents) == (cost, left)

    Round.objects.filter(pk=other.pk).update(objection_reserve_cents=100_000)
    other_decision = bezwaren["elsewhere"].decision
    _objection(
        other_decision,
        7,
        ObjectionState.DECIDED,
        outcome=Outcome.WELL_FOUNDED,
        motivation="Het bedrag was te laag.",
        remedy_cents=400_000,
        cost_cents=250_000,
        decided_at=_moment(TODAY),
    )
    dashboard = objection_dashboard(scheme_id=round_.scheme_id)
    assert _line(dashboard, other).reserve_left_cents == 0
    totals = dashboard.totals
    assert totals.cost_cents == 370_000
    assert totals.reserve_cents == 600_000
    assert totals.reserve_left_cents == 380_000  # not 600.000 - 370.000

    client.force_login(UserFactory(role=ADMINISTRATOR))
    page = client.get(
        reverse("overzichten:dashboard"),
        {"ronde": round_.pk, "wijk": bezwaren["oost"].pk},
    )
    assert page.status_code == 200
    row = page.content.decode().split(f'data-round="{round_.pk}"')[1].split("</tr>")[0]

    def figure(name):
        return row.split(f'data-figure="{name}">')[1].split("<")[0]

    assert figure("objections") == "3"
    assert "1.200" not in figure("cost_cents") and "0,00" in figure("cost_cents")
    assert "5.000,00" in figure("reserve_cents")
    assert "3.800,00" in figure("reserve_left_cents")
