"""Imports: a dry run first, every row error named, and all rows or none."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.roles import ADMINISTRATOR, ASSESSOR
from beoordeling.models import ImportRecord
from beoordeling.overviews.imports import import_check, import_confirm, import_run
from beoordeling.overviews.imports.services import ImportNotAllowed
from subsidies.models import (
    Applicant,
    ApplicantKind,
    Application,
    Buurt,
    ReferenceCounter,
    TransitionLog,
)
from subsidies.workflow import Status
from tests.factories import (
    HISTORY_HEADERS,
    ApplicantFactory,
    RoundFactory,
    SchemeFactory,
    UserFactory,
    WijkFactory,
    xlsx,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def history():
    scheme = SchemeFactory()
    round_ = RoundFactory(scheme=scheme, name="Tijdvak 2025", closed=True)
    zuid = WijkFactory(code="zuid", name="Zuid")
    Buurt.objects.create(wijk=zuid, name="Hoograven", code="BU03440801")
    Buurt.objects.create(wijk=zuid, name="Tolsteeg", code="BU03440802")
    existing = ApplicantFactory(name="Stichting Al Bekend", kvk_number="40111111")
    user = UserFactory(role=ADMINISTRATOR)
    return {
        "scheme": scheme,
        "round": round_,
        "wijk": zuid,
        "existing": existing,
        "user": user,
    }


def good_rows():
    return [
        [
            "IF-2025-0042",
            "Initiatievenfonds",
            "Tijdvak 2025",
            "Stichting Nieuw Begin",
            "40999999",
            "Buurtfeest Hoograven",
            "zuid",
            "Hoograven; Tolsteeg",
            "1.234,56",
            "1.000,50",
            "toegekend",
            "2025-03-31",
            "72,5",
        ],
        [
            "IF-2025-0007",
            "initiatievenfonds",
            "tijdvak 2025",
            "Stichting Al Bekend",
            "40111111",
            "Moestuin",
            "Zuid",
            "",
            999.99,
            999.99,
            "Toegekend",
            date(2025, 4, 1),
            None,
        ],
        [
            "IF-2025-0008",
            "Initiatievenfonds",
            "Tijdvak 2025",
            "Bewoners Tolsteeg",
            "",
            "Straatfeest",
            "zuid",
            "Tolsteeg",
            "500",
            "",
            "afgewezen",
            "01-04-2025",
            "",
        ],
    ]


def counts():
    return (
        Application.objects.count(),
        Applicant.objects.count(),
        TransitionLog.objects.count(),
        Buurt.objects.count(),
    )


def test_a_valid_file_is_checked_first_and_then_imported(history):
    """The dry run changes nothing and shows what would happen; the confirm imports."""
    before = counts()
    record = import_check(
        kind="historie",
        content=xlsx(good_rows()),
        filename="oud.xlsx",
        user=history["user"],
    )
    assert record.status == ImportRecord.Status.CHECKED
    assert record.errors == []
    assert record.summary["nieuw"] == 3 and record.summary["nieuwe aanvragers"] == 2
    assert [row["regel"] for row in record.preview] == [2, 3, 4]
    assert record.preview[0]["nieuwe_aanvrager"] is True
    assert record.preview[1]["nieuwe_aanvrager"] is False
    assert counts() == before

    record = import_confirm(record=record, user=history["user"])
    assert record.status == ImportRecord.Status.IMPORTED
    assert record.imported_by == history["user"]
    first = Application.objects.get(reference="IF-2025-0042")
    assert first.status == Status.AWARDED
    assert (first.requested_cents, first.awarded_cents) == (123_456, 100_050)
    assert str(first.impact_score) == "72.50"
    assert timezone.localdate(first.decided_at) == date(2025, 3, 31)
    assert set(first.buurten.values_list("name", flat=True)) == {
        "Hoograven",
        "Tolsteeg",
    }
    assert first.applicant.kind == ApplicantKind.ORGANISATION
    second = Application.objects.get(reference="IF-2025-0007")
    assert second.applicant == history["existing"]
    assert second.awarded_cents == 99_999
    third = Application.objects.get(reference="IF-2025-0008")
    assert (third.status, third.awarded_cents) == (Status.REJECTED, 0)
    assert third.applicant.is_natural_person


def test_every_imported_application_gets_an_import_row_in_its_history(history):
    """One transition log row 'import' by the confirming user, naming file and row."""
    record = import_check(
        kind="historie",
        content=xlsx(good_rows()),
        filename="oud.xlsx",
        user=history["user"],
    )
    import_confirm(record=record, user=history["user"])
    logs = TransitionLog.objects.filter(transition="import")
    assert logs.count() == 3
    log = logs.get(reference="IF-2025-0042")
    assert (log.source, log.target) == (Status.AWARDED, Status.AWARDED)
    assert log.actor == history["user"]
    assert "oud.xlsx" in log.reason and "regel 2" in log.reason
    assert "2025-03-31" in log.reason


def test_the_reference_counter_moves_past_imported_references(history):
    """After importing IF-2025-0042 the next IF-2025 reference is 0043."""
    ReferenceCounter.objects.create(prefix="IF", year=2025, last_number=3)
    record = import_check(
        kind="historie",
        content=xlsx(good_rows()),
        filename="oud.xlsx",
        user=history["user"],
    )
    import_confirm(record=record, user=history["user"])
    assert ReferenceCounter.objects.get(prefix="IF", year=2025).last_number == 42


def _bad(rows, index, column, value):
    rows[index][HISTORY_HEADERS.index(column)] = value
    return rows


BAD_FILES = {
    "wrong wijk": (
        lambda r: _bad(r, 1, "Wijk", "Oostt"),
        3,
        "Wijk",
        "Onbekende wijk 'Oostt'",
    ),
    "negative amount": (
        lambda r: _bad(r, 0, "Gevraagd bedrag (euro)", "-12,50"),
        2,
        "Gevraagd bedrag (euro)",
        "negatief",
    ),
    "duplicate reference": (
        lambda r: _bad(r, 2, "Kenmerk aanvraag", "IF-2025-0042"),
        4,
        "Kenmerk aanvraag",
        "staat ook op regel 2",
    ),
    "malformed date": (
        lambda r: _bad(r, 2, "Besluitdatum", "31-31-2025"),
        4,
        "Besluitdatum",
        "is geen datum",
    ),
    "unknown status": (
        lambda r: _bad(r, 0, "Status", "ingediend"),
        2,
        "Status",
        "'toegekend' of 'afgewezen'",
    ),
    "awarded above requested": (
        lambda r: _bad(r, 1, "Toegekend bedrag (euro)", "1000"),
        3,
        "Toegekend bedrag (euro)",
        "hoger dan het gevraagde",
    ),
    "unknown round": (
        lambda r: _bad(r, 0, "Ronde", "Tijdvak 1999"),
        2,
        "Ronde",
        "geen ronde 'Tijdvak 1999'",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_file_with_one_bad_row_imports_nothing_and_names_row_and_column(
    history, case
):
    """The error names the spreadsheet row and the column; no row is written."""
    spoil, line, column, words = case
    content = xlsx(spoil(good_rows()))
    before = counts()
    record = import_check(
        kind="historie", content=content, filename="oud.xlsx", user=history["user"]
    )
    assert record.status == ImportRecord.Status.INVALID
    assert [(e["regel"], e["kolom"]) for e in record.errors] == [(line, column)]
    assert words in record.errors[0]["fout"]
    with pytest.raises(ImportNotAllowed):
        import_confirm(record=record, user=history["user"])
    # Even run for real, one bad row means nothing is written.
    outcome = import_run(
        kind="historie",
        content=content,
        filename="oud.xlsx",
        user=history["user"],
        dry_run=False,
    )
    assert not outcome.ok
    assert counts() == before


def test_a_reference_that_already_exists_is_refused(history):
    """History is only added: an existing reference is an error, never an update."""
    record = import_check(
        kind="historie",
        content=xlsx(good_rows()[:1]),
        filename="a.xlsx",
        user=history["user"],
    )
    import_confirm(record=record, user=history["user"])
    record = import_check(
        kind="historie",
        content=xlsx(good_rows()[:1]),
        filename="b.xlsx",
        user=history["user"],
    )
    assert record.errors == [
        {
            "regel": 2,
            "kolom": "Kenmerk aanvraag",
            "fout": "Er bestaat al een aanvraag met kenmerk IF-2025-0042.",
        }
    ]


def test_the_confirm_step_checks_the_same_file_again(history):
    """If the database changed since the dry run, the confirm writes nothing."""
    record = import_check(
        kind="historie",
        content=xlsx(good_rows()),
        filename="oud.xlsx",
        user=history["user"],
    )
    other = import_check(
        kind="historie",
        content=xlsx(good_rows()[2:]),
        filename="ander.xlsx",
        user=history["user"],
    )
    import_confirm(record=other, user=history["user"])
    before = counts()
    record = import_confirm(record=record, user=history["user"])
    assert record.status == ImportRecord.Status.INVALID
    assert record.errors[0]["regel"] == 4 and "IF-2025-0008" in record.errors[0]["fout"]
    assert counts() == before


def test_missing_columns_and_unreadable_files_are_reported(history):
    """A missing required column, or a file that is no spreadsheet, in plain Dutch."""
    headers = [h for h in HISTORY_HEADERS if h != "Wijk"]
    rows = [row[:6] + row[7:] for row in good_rows()]
    record = import_check(
        kind="historie",
        content=xlsx(rows, headers),
        filename="x.xlsx",
        user=history["user"],
    )
    assert "Deze kolommen ontbreken: Wijk" in record.errors[0]["fout"]
    record = import_check(
        kind="historie", content=b"geen excel", filename="x.xlsx", user=history["user"]
    )
    assert "kunnen we niet lezen" in record.errors[0]["fout"]


def test_a_dutch_csv_with_semicolons_and_empty_lines_keeps_the_row_numbers(history):
    """Dutch Excel's CSV (;) reads; an empty line is skipped but rows keep their number."""
    lines = [";".join(HISTORY_HEADERS)]
    lines.append(
        "IF-2025-0042;Initiatievenfonds;Tijdvak 2025;Stichting Nieuw Begin;40999999;"
        "Buurtfeest;zuid;;1.234,56;1.000,50;toegekend;2025-03-31;"
    )
    lines.append(";;;;;;;;;;;;")
    lines.append(
        "IF-2025-0043;Initiatievenfonds;Tijdvak 2025;Stichting Nieuw Begin;40999999;"
        "Tweede;Noord;;100;100;toegekend;2025-03-31;"
    )
    content = "\r\n".join(lines).encode("utf-8-sig")
    record = import_check(
        kind="historie", content=content, filename="oud.csv", user=history["user"]
    )
    assert [(e["regel"], e["kolom"]) for e in record.errors] == [(4, "Wijk")]
    assert record.preview[0]["gevraagd"] == "1234.56"


def test_the_buurten_table_shows_new_changed_and_unchanged(history):
    """Per buurt: new, a changed CBS code, or unchanged; then imported."""
    headers = ["Wijkcode", "Buurt", "CBS-code"]
    rows = [
        ["zuid", "Hoograven", "BU03440801"],
        ["zuid", "Tolsteeg", "BU03440899"],
        ["Zuid", "Lunetten", "BU03440803"],
    ]
    record = import_check(
        kind="buurten",
        content=xlsx(rows, headers),
        filename="buurten.xlsx",
        user=history["user"],
    )
    assert record.errors == []
    assert record.summary == {"nieuw": 1, "gewijzigd": 1, "ongewijzigd": 1, "fouten": 0}
    assert Buurt.objects.get(name="Tolsteeg").code == "BU03440802"
    import_confirm(record=record, user=history["user"])
    assert Buurt.objects.get(name="Tolsteeg").code == "BU03440899"
    assert Buurt.objects.get(name="Lunetten").wijk == history["wijk"]


def test_a_bad_buurt_row_imports_no_buurt(history):
    """An unknown wijk or a malformed CBS code: named by row and column, nothing written."""
    headers = ["Wijkcode", "Buurt", "CBS-code"]
    rows = [
        ["zuid", "Lunetten", "BU03440803"],
        ["nergens", "X", ""],
        ["zuid", "Y", "0344"],
    ]
    record = import_check(
        kind="buurten",
        content=xlsx(rows, headers),
        filename="buurten.xlsx",
        user=history["user"],
    )
    assert [(e["regel"], e["kolom"]) for e in record.errors] == [
        (3, "Wijkcode"),
        (4, "CBS-code"),
    ]
    assert not Buurt.objects.filter(name="Lunetten").exists()


def test_an_administrator_uploads_checks_and_confirms_in_the_admin(client, history):
    """Upload, see the dry run, confirm; a Beoordelaar gets 403."""
    client.force_login(history["user"])
    upload = SimpleUploadedFile("oud.xlsx", xlsx(good_rows()))
    response = client.post(
        reverse("overzichten:import"), {"soort": "historie", "bestand": upload}
    )
    record = ImportRecord.objects.get()
    assert response["Location"] == reverse(
        "overzichten:import_record", args=[record.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert "IF-2025-0042" in page and "Ja, lees dit bestand in" in page
    assert not Application.objects.exists()
    client.post(response["Location"])
    assert Application.objects.count() == 3

    client.force_login(UserFactory(role=ASSESSOR))
    assert client.get(reverse("overzichten:import")).status_code == 403
    assert client.post(response["Location"]).status_code == 403
