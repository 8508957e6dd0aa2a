"""The overviews as files: the same rows in every format, to the cent, with the filters."""

import csv
import io
import json
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import openpyxl
import pytest
from django.utils import timezone

from beoordeling.models import (
    Assessment,
    ExportKind,
    Rubric,
    Score,
)
from beoordeling.overviews.exports.filters import ExportFilters
from beoordeling.overviews.exports.services import export_write
from subsidies.models import Application
from subsidies.money import cents_to_euros
from subsidies.workflow import Status
from tests.beoordeling.overviews.files import decision_letter
from tests.factories import (
    ApplicantFactory,
    ApplicationFactory,
    RoundFactory,
    SchemeFactory,
    WijkFactory,
    assessor,
    decided_application,
    decision_maker,
    rubric_for,
)

pytestmark = pytest.mark.django_db

CENT = Decimal("0.01")


@pytest.fixture
def case():
    """A round with three awards (odd cents), one rejection, one application in
    progress, in two wijken; and an award in another round."""
    scheme = SchemeFactory()
    round_ = RoundFactory(scheme=scheme, name="Voorjaar")
    other_round = RoundFactory(scheme=scheme, name="Najaar")
    zuid = WijkFactory(code="zuid", name="Zuid")
    oost = WijkFactory(code="oost", name="Oost")
    staff = {"assessed_by": assessor(), "decided_by": decision_maker()}
    org = ApplicantFactory(name="Stichting Zuid Samen")
    awards = [
        decided_application(
            round=round_,
            wijk=zuid,
            applicant=org,
            amount_cents=123_456,
            awarded_cents=123_455,
            rank=1,
            **staff,
        ),
        decided_application(
            round=round_,
            wijk=zuid,
            amount_cents=99_999,
            awarded_cents=99_999,
            rank=2,
            **staff,
        ),
        decided_application(
            round=round_,
            wijk=oost,
            amount_cents=300_001,
            awarded_cents=240_001,
            rank=3,
            **staff,
        ),
    ]
    rejected = decided_application(
        round=round_,
        wijk=oost,
        status="afgewezen",
        amount_cents=50_050,
        rank=4,
        **staff,
    )
    pending = ApplicationFactory(round=round_, wijk=oost, submitted=True)
    elsewhere = decided_application(
        round=other_round,
        wijk=zuid,
        amount_cents=77_777,
        awarded_cents=77_777,
        **staff,
    )
    return SimpleNamespace(
        scheme=scheme,
        round=round_,
        other_round=other_round,
        zuid=zuid,
        oost=oost,
        awards=awards,
        rejected=rejected,
        pending=pending,
        elsewhere=elsewhere,
    )


def export(kind, fmt, filters):
    out = io.BytesIO()
    rows = export_write(kind=kind, fmt=fmt, filters=filters, out=out)
    return rows, out.getvalue()


def read_xlsx(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows())
    headers = [cell.value for cell in rows[0]]
    return headers, [dict(zip(headers, row, strict=True)) for row in rows[1:]]


def as_money(value):
    """A cell or field read back from a file as Decimal euros (empty is None)."""
    if value in (None, ""):
        return None
    if isinstance(value, float):
        value = repr(value)
    return Decimal(str(value)).quantize(CENT)


def read_rows(fmt, content):
    """Every format read back to a list of {header: value} with money as Decimal."""
    if fmt == "xlsx":
        _headers, rows = read_xlsx(content)
        return [{key: cell.value for key, cell in row.items()} for row in rows]
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))
    return json.loads(content, parse_float=Decimal)


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "json"])
def test_award_overview_of_a_round_matches_the_database_to_the_cent(case, fmt):
    """Every decided application of the round, requested and awarded to the cent."""
    count, content = export(
        ExportKind.AWARDS, fmt, ExportFilters(round_id=case.round.pk)
    )
    rows = read_rows(fmt, content)
    expected = Application.objects.filter(
        round=case.round, status__in=[Status.AWARDED, Status.REJECTED]
    )
    assert count == len(rows) == expected.count() == 4
    by_reference = {row["Kenmerk aanvraag"]: row for row in rows}
    for application in expected:
        row = by_reference[application.reference]
        assert as_money(row["Gevraagd bedrag (euro)"]) == cents_to_euros(
            application.requested_cents
        )
        assert as_money(row["Toegekend bedrag (euro)"]) == cents_to_euros(
            application.awarded_cents
        )
        assert row["Status"] == application.status
        assert row["Wijk"] == application.wijk.name
        assert row["Ronde"] == "Voorjaar"
    awarded_total = sum(as_money(row["Toegekend bedrag (euro)"]) for row in rows)
    assert awarded_total == cents_to_euros(123_455 + 99_999 + 240_001)


def test_award_overview_in_xlsx_has_numeric_money_cells_and_iso_dates(case):
    """Money is a number formatted #,##0.00; a date is a date cell shown yyyy-mm-dd."""
    _count, content = export(
        ExportKind.AWARDS, "xlsx", ExportFilters(round_id=case.round.pk)
    )
    headers, rows = read_xlsx(content)
    assert headers[:4] == ["Kenmerk aanvraag", "Initiatief", "Aanvrager", "Wijk"]
    money = rows[0]["Toegekend bedrag (euro)"]
    assert money.data_type == "n"
    assert money.number_format == "#,##0.00"
    decided = rows[0]["Besluitdatum"]
    assert decided.is_date
    assert decided.number_format == "yyyy-mm-dd"
    assert decided.value.date() == timezone.localdate()


def test_csv_and_json_write_money_with_a_dot_and_dates_as_iso(case):
    """CSV holds 1234.55 and 2026-03-31; JSON holds numbers, never strings, for money."""
    _count, content = export(
        ExportKind.AWARDS,
        "csv",
        ExportFilters(round_id=case.round.pk, wijk_id=case.zuid.pk),
    )
    text = content.decode("utf-8")
    assert "1234.55" in text and "1234,55" not in text
    assert timezone.localdate().isoformat() in text
    _count, content = export(
        ExportKind.AWARDS,
        "json",
        ExportFilters(round_id=case.round.pk, wijk_id=case.zuid.pk),
    )
    rows = json.loads(content, parse_float=Decimal)
    amounts = sorted(row["Toegekend bedrag (euro)"] for row in rows)
    assert amounts == [Decimal("999.99"), Decimal("1234.55")]
    assert all(isinstance(row["Besluitdatum"], str) for row in rows)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (lambda c: ExportFilters(round_id=c.round.pk, wijk_id=c.oost.pk), 2),
        (lambda c: ExportFilters(round_id=c.round.pk, status=Status.AWARDED), 3),
        (lambda c: ExportFilters(round_id=c.other_round.pk), 1),
        (lambda c: ExportFilters(scheme_id=c.scheme.pk), 5),
        (
            lambda c: ExportFilters(date_from=timezone.localdate() + timedelta(days=1)),
            0,
        ),
        (
            lambda c: ExportFilters(
                date_from=timezone.localdate(), date_to=timezone.localdate()
            ),
            5,
        ),
    ],
)
def test_the_filters_narrow_the_award_overview(case, filters, expected):
    """Round, wijk, status, scheme and period each narrow the rows, as on screen."""
    count, content = export(ExportKind.AWARDS, "json", filters(case))
    assert count == expected == len(json.loads(content))


def test_the_decision_columns_come_from_the_beschikking(case):
    """Soort, kenmerk, verzenddatum and the last day for bezwaar of the sent letter."""
    application = case.awards[0]
    decision_letter(application, "D2026-000042", date(2026, 3, 2))
    _count, content = export(
        ExportKind.AWARDS, "json", ExportFilters(round_id=case.round.pk)
    )
    rows = {row["Kenmerk aanvraag"]: row for row in json.loads(content)}
    row = rows[application.reference]
    assert row["Soort beschikking"] == "Verlening"
    assert row["Kenmerk beschikking"] == "D2026-000042"
    assert row["Verzenddatum beschikking"] == "2026-03-02"
    assert row["Uiterste datum bezwaar"] == "2026-04-13"
    other = rows[case.awards[1].reference]
    assert (
        other["Kenmerk beschikking"] == "" and other["Uiterste datum bezwaar"] is None
    )


def test_a_title_that_looks_like_a_formula_stays_text(case):
    """An applicant's '=HYPERLINK(...)' is text in XLSX and defused in CSV."""
    Application.objects.filter(pk=case.awards[0].pk).update(
        title='=HYPERLINK("http://kwaad.example","klik")'
    )
    _count, content = export(
        ExportKind.AWARDS, "xlsx", ExportFilters(round_id=case.round.pk)
    )
    _headers, rows = read_xlsx(content)
    cells = [
        row["Initiatief"] for row in rows if row["Initiatief"].value.startswith("=")
    ]
    assert len(cells) == 1 and cells[0].data_type == "s"
    _count, content = export(
        ExportKind.AWARDS, "csv", ExportFilters(round_id=case.round.pk)
    )
    assert "'=HYPERLINK" in content.decode("utf-8")


def test_the_applications_list_leaves_out_concepts_and_contact_details(case):
    """Submitted applications only; no contact name, e-mail, phone or IBAN."""
    concept = ApplicationFactory(round=case.round, wijk=case.zuid)
    _count, content = export(
        ExportKind.APPLICATIONS, "csv", ExportFilters(round_id=case.round.pk)
    )
    text = content.decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    references = {row["Kenmerk aanvraag"] for row in rows}
    assert concept.reference not in references
    assert case.pending.reference in references and len(rows) == 5
    for application in Application.objects.filter(round=case.round):
        applicant = application.applicant
        assert applicant.contact_email not in text
        assert applicant.contact_name not in text
        assert applicant.iban not in text


def test_the_scores_export_has_a_row_per_criterion_of_each_submitted_assessment(case):
    """Submitted assessments count; a recused or unsubmitted one does not."""
    rubric = Rubric.objects.current_for(case.scheme) or rubric_for(case.scheme)
    criteria = list(rubric.criteria.all())
    application = case.awards[0]
    now = timezone.now()

    def assessment(*, submitted, conflict=False):
        record = Assessment.objects.create(
            application=application,
            assessor=assessor(),
            rubric=rubric,
            assigned_at=now,
            declared_at=now,
            conflict=conflict,
            submitted_at=now if submitted else None,
        )
        for criterion in criteria:
            Score.objects.create(
                assessment=record, criterion=criterion, score=3, motivation="Goed."
            )
        return record

    # The factory's two assessors scored each assessed application through the
    # assessment service: their submitted assessments count as well.
    scored = list(
        Assessment.objects.filter(application__round=case.round).values_list(
            "assessor", flat=True
        )
    )
    counted = assessment(submitted=True)
    unsubmitted = assessment(submitted=False)
    recused = assessment(submitted=True, conflict=True)
    count, content = export(
        ExportKind.SCORES, "json", ExportFilters(round_id=case.round.pk)
    )
    rows = json.loads(content)
    submitted = Assessment.objects.filter(
        application__round=case.round, submitted_at__isnull=False, conflict=False
    )
    assert count == len(rows) == submitted.count() * len(criteria)
    assert submitted.count() == len(scored) + 1
    names = {row["Beoordelaar"] for row in rows}
    assert str(counted.assessor) in names
    assert str(unsubmitted.assessor) not in names
    assert str(recused.assessor) not in names
    assert {row["Criterium (code)"] for row in rows} == {c.code for c in criteria}
    mine = [row for row in rows if row["Beoordelaar"] == str(counted.assessor)]
    assert len(mine) == len(criteria) and all(row["Score"] == 3 for row in mine)
