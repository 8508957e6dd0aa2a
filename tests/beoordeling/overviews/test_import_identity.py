"""Imported history never attaches to an applicant a resident made in the portal: a
KvK number or a name typed by a resident proves nothing about who they are."""

import pytest

from beoordeling.overviews.imports import import_check, import_confirm
from subsidies.models import Application, Buurt
from subsidies.selectors import applications_for_user
from tests.factories import (
    ApplicantFactory,
    RoundFactory,
    SchemeFactory,
    UserFactory,
    WijkFactory,
    xlsx,
)

pytestmark = pytest.mark.django_db


def test_history_never_joins_a_resident_made_applicant(settings):
    """A resident typed the KvK number (and another the name) of a real organisation;
    the organisation's old awards and rejection go to applicants the import makes, and
    neither resident sees them."""
    scheme = SchemeFactory(name="Initiatievenfonds")
    RoundFactory(scheme=scheme, name="Tijdvak 2025", closed=True)
    zuid = WijkFactory(code="zuid", name="Zuid")
    Buurt.objects.create(wijk=zuid, name="Hoograven", code="BU03440801")
    by_kvk = UserFactory(role="Aanvrager", email="kvk@example.nl")
    by_name = UserFactory(role="Aanvrager", email="naam@example.nl")
    squatter = ApplicantFactory(
        name="Mijn eigen tekst", kvk_number="40222222", members=[by_kvk]
    )
    namesake = ApplicantFactory(
        name="Bewoners Tolsteeg", kvk_number="", members=[by_name]
    )
    admin = UserFactory(role="Beheerder")
    rows = [
        ["IF-2025-0101", "Initiatievenfonds", "Tijdvak 2025", "Stichting Echt",
         "40222222", "Buurtfeest", "zuid", "", "1000", "800", "toegekend",
         "2025-03-31", ""],
        ["IF-2025-0102", "Initiatievenfonds", "Tijdvak 2025", "Stichting Echt",
         "40222222", "Geweigerd plan", "zuid", "", "1000", "", "afgewezen",
         "2025-03-31", ""],
        ["IF-2025-0103", "Initiatievenfonds", "Tijdvak 2025", "Bewoners Tolsteeg",
         "", "Straatfeest", "zuid", "", "500", "500", "toegekend",
         "2025-04-01", ""],
    ]  # fmt: skip
    record = import_check(
        kind="historie", content=xlsx(rows), filename="oud.xlsx", user=admin
    )
    assert record.errors == [], record.errors
    assert record.preview[0]["nieuwe_aanvrager"] is True
    import_confirm(record=record, user=admin)

    imported = Application.objects.filter(reference__startswith="IF-2025-01")
    assert imported.count() == 3
    assert not imported.filter(applicant__in=[squatter, namesake]).exists()
    assert imported.get(reference="IF-2025-0101").applicant.name == "Stichting Echt"
    assert not applications_for_user(by_kvk).filter(pk__in=imported).exists()
    assert not applications_for_user(by_name).filter(pk__in=imported).exists()
    # Within one file the organisation's rows share the applicant the import made.
    first, second = (
        imported.get(reference=r).applicant for r in ("IF-2025-0101", "IF-2025-0102")
    )
    assert first == second and not first.members.exists()
