"""The open-data file, written in one pass per row, is byte for byte the file it was.

``OpenDataResource.rows`` builds each row in one loop over ``values_list`` tuples
(issue 19), and on PostgreSQL lets the database work out the day in Amsterdam. The
file must not change: these tests write it from the model instances (the way it was
first made, ``dehydrate_`` methods), from the general values path
(``OverviewResource.rows``) and from the one-pass rows, for awards whose Amsterdam
day and year differ from the UTC ones, with and without a beschikking, without a wijk, with a vastgesteld amount, in chunks smaller than the
file. They run on SQLite and on PostgreSQL alike.
"""

import io
from datetime import UTC, date, datetime

import pytest

from beoordeling.models import ExportKind
from beoordeling.overviews.exports.filters import ExportFilters
from beoordeling.overviews.exports.resources import OverviewResource
from beoordeling.overviews.exports.services import export_write
from beoordeling.overviews.opendata import OpenDataResource
from subsidies import facts
from subsidies.models import ApplicantKind, Application
from tests.beoordeling.overviews.files import decision_letter, file_parts, written
from tests.factories import (
    ApplicantFactory,
    RoundFactory,
    SchemeFactory,
    WijkFactory,
    assessor,
    decided_application,
    decision_maker,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def awards():
    """Six awards and one to a natural person; moments chosen around midnight."""
    round_ = RoundFactory(scheme=SchemeFactory(legal_basis="ASV Utrecht 2026"))
    wijk = WijkFactory(code="west", name="West")
    staff = {"assessed_by": assessor(), "decided_by": decision_maker()}
    organisation = ApplicantFactory(name="Stichting Buurtkracht", kvk_number="41000001")
    group = ApplicantFactory(
        kind=ApplicantKind.INFORMAL_GROUP,
        kvk_number="",
        name="Bewoners Singel",
        penvoerder_name="Stichting Penvoerder",
        penvoerder_kvk="41000002",
    )
    person = ApplicantFactory(
        kind=ApplicantKind.INFORMAL_GROUP, kvk_number="", name="Groep Piet"
    )
    made = [
        decided_application(
            round=round_,
            wijk=wijk,
            applicant=(organisation, group)[n % 2],
            amount_cents=100_000 + n * 1_001,
            **staff,
        )
        for n in range(6)
    ]
    decided_application(round=round_, wijk=wijk, applicant=person, **staff)
    moments = [
        datetime(2026, 3, 1, 23, 30, tzinfo=UTC),  # 2 March in Amsterdam
        datetime(2026, 12, 31, 23, 30, tzinfo=UTC),  # 2027 in Amsterdam
        datetime(2026, 6, 30, 21, 59, tzinfo=UTC),  # still 30 June (summer time)
        datetime(2026, 6, 30, 22, 0, tzinfo=UTC),  # 1 July
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # the night the clocks go back
        datetime(2026, 1, 15, 12, 0, tzinfo=UTC),
    ]
    for application, moment in zip(made, moments, strict=True):
        Application.objects.filter(pk=application.pk).update(decided_at=moment)
    decision_letter(made[0], "D2026-000101", date(2026, 3, 4))
    decision_letter(made[2], "D2026-000102", date(2026, 7, 8))
    Application.objects.filter(pk=made[3].pk).update(wijk=None)
    facts.record_fixed_amount(made[3], fixed_cents=90_000)
    return made


def _file(rows, fmt, **options):
    return written(OpenDataResource(), ExportKind.OPEN_DATA, rows, fmt, **options)


@pytest.mark.parametrize(
    "fmt, options",
    [("csv", {}), ("csv", {"excel_nl": True}), ("xlsx", {}), ("json", {})],
)
def test_the_open_data_file_is_the_same_from_instances_values_and_one_pass(
    awards, fmt, options
):
    """The export service writes the open data byte for byte as the model instances
    and the general values path write it, in every format."""
    resource = OpenDataResource()
    queryset = resource.queryset(ExportFilters())
    out = io.BytesIO()
    count = export_write(
        kind=ExportKind.OPEN_DATA, fmt=fmt, filters=ExportFilters(), out=out, **options
    )
    now = out.getvalue()
    assert count == 6
    before = _file(resource.instance_rows(queryset), fmt, **options)
    general = _file(
        resource.rendered(OverviewResource.raw_rows(resource, queryset)), fmt, **options
    )
    assert file_parts(now, fmt) == file_parts(before, fmt) == file_parts(general, fmt)


def test_rows_in_chunks_smaller_than_the_file_are_the_same_rows(awards):
    """Chunks of two rows give the same rows as the model instances."""
    resource = OpenDataResource()
    queryset = resource.queryset(ExportFilters())
    assert list(resource.rows(queryset, chunk_size=2)) == list(
        resource.instance_rows(queryset)
    )


def test_the_year_and_date_are_those_of_amsterdam(awards):
    """A file a reader can check: the award decided at 23:30 UTC on New Year's Eve
    is a 2027 award dated 1 January; a letter's dagtekening wins over the moment; a
    person's award is not in it."""
    content = export_write(
        kind=ExportKind.OPEN_DATA, fmt="csv", filters=ExportFilters(), out=io.BytesIO()
    )
    assert content == 6
    out = io.BytesIO()
    export_write(kind=ExportKind.OPEN_DATA, fmt="csv", filters=ExportFilters(), out=out)
    lines = out.getvalue().decode().splitlines()
    by_reference = {
        line.split('","')[-1].rstrip('"'): line.split('","') for line in lines[1:]
    }
    cells = {awards[n].reference: by_reference[awards[n].reference] for n in range(6)}
    assert cells[awards[1].reference][0] == '"2027'
    assert cells[awards[1].reference][10] == "2027-01-01"
    assert cells[awards[0].reference][10] == "2026-03-04"  # the dagtekening
    assert cells[awards[2].reference][10] == "2026-07-08"
    assert cells[awards[3].reference][10] == "2026-07-01"
    assert cells[awards[3].reference][7] == ""  # no wijk
    assert cells[awards[3].reference][9] == "900.00"  # vastgesteld
    assert cells[awards[4].reference][10] == "2026-10-25"
    assert "Groep Piet" not in out.getvalue().decode()
