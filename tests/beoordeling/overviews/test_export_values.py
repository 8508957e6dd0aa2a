"""The files are written from ``values`` rows, not model instances: the same bytes.

``OverviewResource.rows`` reads ``values()`` in chunks and renders them through the
fields' widgets; ``instance_rows`` is the way the files were made before (model
instances with their related objects prefetched). For one fixed data set with
everything that varies per column (buurten in a chosen order, a beschikking, a
formula-like title, an assessor with and without a name, a bewonersgroep with and
without a penvoerder, a vastgesteld amount) every overview writes the same file both
ways, in every format, also when the chunks are smaller than the file.
"""

import io
import re
from datetime import date

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from beoordeling.models import (
    Assessment,
    DecisionKind,
    ExportKind,
    Rubric,
    Score,
)
from beoordeling.overviews.exports.filters import ExportFilters
from beoordeling.overviews.exports.services import export_write
from beoordeling.overviews.exports.writers import (
    FORMULA_STARTS,
    defuse_formulas,
)
from beoordeling.overviews.opendata import OpenDataResource
from subsidies import facts
from subsidies.models import ApplicantKind, Application, Buurt
from subsidies.services import fire
from tests.beoordeling.overviews.files import decision_letter, file_parts, written
from tests.factories import (
    ApplicantFactory,
    RoundFactory,
    SchemeFactory,
    WijkFactory,
    assessor,
    decided_application,
    decision_maker,
    rubric_for,
)

pytestmark = pytest.mark.django_db

KINDS = (
    ExportKind.AWARDS,
    ExportKind.APPLICATIONS,
    ExportKind.SCORES,
    ExportKind.OPEN_DATA,
    ExportKind.FIXINGS,
)


@pytest.fixture
def data_set():
    scheme = SchemeFactory()
    round_ = RoundFactory(scheme=scheme, name="Voorjaar")
    zuid = WijkFactory(code="zuid", name="Zuid")
    oost = WijkFactory(code="oost", name="Oost")
    buurten = [
        Buurt.objects.create(wijk=zuid, name=name)
        for name in ("Zwarte Water", "Hoograven", "Lunetten")
    ]
    staff = {"assessed_by": assessor(), "decided_by": decision_maker()}
    person = ApplicantFactory(
        kind=ApplicantKind.INFORMAL_GROUP, kvk_number="", name="Groep Jan"
    )
    penvoerder = ApplicantFactory(
        kind=ApplicantKind.INFORMAL_GROUP,
        kvk_number="",
        name="Bewoners Plein",
        penvoerder_name="Stichting Penvoerder",
        penvoerder_kvk="41234567",
    )
    organisation = ApplicantFactory(name='=HYPERLINK("http://kwaad.example";"x")')
    awards = [
        decided_application(
            round=round_,
            wijk=zuid,
            applicant=organisation,
            amount_cents=123_456,
            awarded_cents=123_455,
            rank=1,
            **staff,
        ),
        decided_application(
            round=round_, wijk=oost, applicant=person, amount_cents=80_000, **staff
        ),
        decided_application(
            round=round_,
            wijk=zuid,
            applicant=penvoerder,
            amount_cents=600_001,
            awarded_cents=550_001,
            rank=3,
            **staff,
        ),
    ]
    decided_application(
        round=round_, wijk=oost, status="afgewezen", amount_cents=50_050, **staff
    )
    awards[0].buurten.set(buurten)
    awards[2].buurten.set(buurten[:1])
    Application.objects.filter(pk=awards[1].pk).update(title="-1+1;=SUM(A1)")
    decision_letter(awards[0], "D2026-000001", date(2026, 3, 2))
    decision_letter(
        awards[0], "D2026-000002", date(2026, 3, 9), DecisionKind.VASTSTELLING
    )
    decision_letter(awards[2], "D2026-000003", date(2026, 3, 9))
    # A vastgesteld amount lower than the verlening (the report route).
    grant = Application.objects.get(pk=awards[2].pk)
    if grant.status == "toegekend" and grant.report_due_on:
        grant = fire(application=grant, transition="submit_report", actor=None)
        facts.record_fixed_amount(grant, fixed_cents=500_000, motivation="Minder.")
        fire(application=grant, transition="fix", actor=staff["decided_by"])
    rubric = Rubric.objects.current_for(scheme) or rubric_for(scheme)
    named = assessor(first_name="Anna", last_name="de Boer")
    for who in (named, assessor(first_name="", last_name="")):
        record = Assessment.objects.create(
            application=awards[0],
            assessor=who,
            rubric=rubric,
            assigned_at=timezone.now(),
            declared_at=timezone.now(),
            submitted_at=timezone.now(),
        )
        for criterion in rubric.criteria.all():
            Score.objects.create(
                assessment=record, criterion=criterion, score=4, motivation="=1+1"
            )
    return round_


def _before(kind, fmt, filters, **options):
    """The file as ``export_write`` wrote it before: from model instances."""
    from beoordeling.overviews.exports.services import resource_for

    resource = resource_for(kind)
    rows = resource.instance_rows(resource.queryset(filters))
    return written(resource, kind, rows, fmt, **options)


def _now(kind, fmt, filters, **options):
    out = io.BytesIO()
    export_write(kind=kind, fmt=fmt, filters=filters, out=out, **options)
    return out.getvalue()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "fmt, options",
    [("csv", {}), ("csv", {"excel_nl": True}), ("xlsx", {}), ("json", {})],
)
def test_every_overview_writes_the_same_file_as_from_model_instances(
    data_set, kind, fmt, options
):
    filters = (
        ExportFilters()
        if kind == ExportKind.OPEN_DATA
        else ExportFilters(round_id=data_set.pk)
    )
    before = _before(kind, fmt, filters, **options)
    now = _now(kind, fmt, filters, **options)
    assert file_parts(now, fmt) == file_parts(before, fmt)
    # Not an empty file compared with an empty file.
    assert len(now) > 200


@pytest.mark.parametrize("kind", KINDS)
def test_small_chunks_give_the_same_rows(data_set, kind):
    from beoordeling.overviews.exports.services import resource_for

    resource = resource_for(kind)
    filters = (
        ExportFilters()
        if kind == ExportKind.OPEN_DATA
        else ExportFilters(round_id=data_set.pk)
    )
    queryset = resource.queryset(filters)
    expected = list(resource.instance_rows(queryset))
    assert list(resource.rows(queryset, chunk_size=2)) == expected
    assert len(expected) >= 2


def test_the_open_data_rows_carry_the_vastgesteld_amount(data_set):
    resource = OpenDataResource()
    headers = resource.headers()
    rows = [
        dict(zip(headers, row, strict=True))
        for row in resource.rows(resource.queryset(ExportFilters()))
    ]
    fixed = Application.objects.filter(
        round=data_set, fixed_cents__isnull=False
    ).exclude(
        applicant__kind=ApplicantKind.INFORMAL_GROUP, applicant__penvoerder_name=""
    )
    assert fixed.exists()
    by_reference = {row["Kenmerk aanvraag"]: row for row in rows}
    for application in fixed:
        row = by_reference[application.reference]
        assert row["Vastgesteld bedrag (euro)"] * 100 == application.fixed_cents


def _defuse_part_by_part(text):
    """The CSV-injection rule as it was written before its one-search fast path."""
    parts = re.split(r"([,;\n])", text)
    for index in range(0, len(parts), 2):
        if parts[index].lstrip(' "').startswith(FORMULA_STARTS):
            parts[index] = "'" + parts[index]
    return "".join(parts)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=" \"=+-@\t\r\n,;ab1'", max_size=30))
def test_the_fast_formula_check_defuses_exactly_what_the_part_rule_does(text):
    assert defuse_formulas(text) == _defuse_part_by_part(text)
