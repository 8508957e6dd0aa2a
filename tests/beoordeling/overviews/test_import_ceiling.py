"""Issue #12: the history import cannot pass the ceiling, a scheme maximum or an open round."""

import pytest

from beoordeling.models import ImportRecord
from beoordeling.overviews.imports.services import import_check, import_confirm
from subsidies.models import Application
from tests.beoordeling.overviews import test_imports
from tests.factories import RoundFactory, xlsx

pytestmark = pytest.mark.django_db

history = test_imports.history  # the same fixture: a closed round "Tijdvak 2025"


def row(reference, round_name, requested, awarded):
    return [
        reference,
        "Initiatievenfonds",
        round_name,
        "Stichting Nieuw Begin",
        "40999999",
        "Buurtfeest",
        "zuid",
        "",
        requested,
        awarded,
        "toegekend",
        "2025-03-31",
        "",
    ]


def check(history, rows):
    return import_check(
        kind="historie",
        content=xlsx(rows),
        filename="historie.xlsx",
        user=history["user"],
    )


def messages(record):
    return " ".join(error["fout"] for error in record.errors)


def test_an_award_into_an_open_round_is_refused(history):
    """Finding: a € 400.000 'historical' award went into the live flexbudget round."""
    RoundFactory(scheme=history["scheme"], name="Flexbudget 2027")
    record = check(
        history, [row("IF-2027-0900", "Flexbudget 2027", "10.000", "10.000")]
    )
    assert record.status == ImportRecord.Status.INVALID
    assert "nog niet gesloten" in messages(record)
    assert not Application.objects.filter(reference="IF-2027-0900").exists()


def test_an_award_above_the_scheme_maximum_is_refused(history):
    """The scheme's maximum per application holds for imported awards too."""
    record = check(history, [row("IF-2025-0901", "Tijdvak 2025", "400.000", "400.000")])
    assert record.status == ImportRecord.Status.INVALID
    assert "maximum van de regeling" in messages(record)


def test_imported_awards_cannot_exceed_the_ceiling(history):
    """Finding: the import could push committed money above the ceiling. Rows that
    together pass it are refused, and nothing is imported."""
    round_ = history["round"]
    Round = type(round_)
    Round.objects.filter(pk=round_.pk).update(ceiling_cents=2_500_000)
    rows = [
        row("IF-2025-0902", "Tijdvak 2025", "15.000", "15.000"),
        row("IF-2025-0903", "Tijdvak 2025", "15.000", "15.000"),
    ]
    record = check(history, rows)
    assert record.status == ImportRecord.Status.INVALID
    assert "subsidieplafond" in messages(record)
    ok = check(history, rows[:1])
    assert ok.status == ImportRecord.Status.CHECKED
    assert import_confirm(record=ok, user=history["user"]).status == (
        ImportRecord.Status.IMPORTED
    )
    round_.refresh_from_db()
    assert round_.committed_cents() == 1_500_000 <= round_.ceiling_cents
