"""Imported history reaches a portal applicant only through a Beheerder's audited
decision (issue 14): with a motivation, recorded (who, when, which kenmerk, which
users, why), shown on the link screen and to the staff reading the portal
application; after it, the resident sees the imported applications."""

import logging

import pytest
from django.urls import reverse
from django.utils import timezone

from beoordeling.models import HistoryLink, ImmutableExportLogError
from beoordeling.overviews.imports import import_check, import_confirm
from beoordeling.overviews.imports.linking import history_link
from subsidies.models import Applicant, Application, Buurt
from subsidies.selectors import applications_for_user
from subsidies.services import application_start
from tests.factories import (
    ApplicantFactory,
    ApplicationFactory,
    RoundFactory,
    SchemeFactory,
    UserFactory,
    WijkFactory,
    assessor,
    xlsx,
)

pytestmark = pytest.mark.django_db

LINK_URL = reverse("overzichten:history_link")
MOTIVATION = "KvK-uittreksel gezien en gebeld met de voorzitter op 3 december."


def _row(reference, title, status, awarded):
    return [
        reference, "Initiatievenfonds", "Tijdvak 2025", "Stichting Echt", "40222222",
        title, "zuid", "", "1000", awarded, status, "2025-03-31", "",
    ]  # fmt: skip


def _import(admin, rows):
    record = import_check(
        kind="historie", content=xlsx(rows), filename="oud.xlsx", user=admin
    )
    assert record.errors == [], record.errors
    import_confirm(record=record, user=admin)


@pytest.fixture
def world(settings):
    settings.STAFF_REQUIRE_2FA = False
    scheme = SchemeFactory(name="Initiatievenfonds")
    RoundFactory(scheme=scheme, name="Tijdvak 2025", closed=True)
    zuid = WijkFactory(code="zuid", name="Zuid")
    Buurt.objects.create(wijk=zuid, name="Hoograven", code="BU03440801")
    admin = UserFactory(role="Beheerder", email="beheer@utrecht.example")
    _import(
        admin,
        [
            _row("IF-2025-0101", "Buurtfeest", "toegekend", "800"),
            _row("IF-2025-0102", "Geweigerd plan", "afgewezen", ""),
        ],
    )
    resident = UserFactory(role="Aanvrager", email="voorzitter@echt.example")
    portal = ApplicationFactory(
        applicant=ApplicantFactory(
            name="Stichting Echt (portaal)", kvk_number="40222222", members=[resident]
        ),
        submitted=True,
    )
    imported = Application.objects.get(reference="IF-2025-0101").applicant
    return admin, resident, portal, imported


def test_a_beheerder_links_history_with_a_motivation_and_the_resident_sees_it(
    client, world, caplog
):
    admin, resident, portal, imported = world
    caplog.set_level(logging.INFO, logger="initiatiefloket.audit")
    history = Application.objects.filter(reference__startswith="IF-2025-01")
    assert not applications_for_user(resident).filter(pk__in=history).exists()
    client.force_login(admin)

    # Without a motivation nothing is linked, and the Beheerder is told in Dutch.
    refused = client.post(
        LINK_URL,
        {"aanvrager": imported.pk, "kenmerk": portal.reference, "motivering": "ok"},
    )
    assert refused.status_code == 200
    assert "Schrijf op waarom deze aanvrager dezelfde is" in refused.content.decode()
    assert not HistoryLink.objects.exists()
    assert not imported.members.exists()

    done = client.post(
        LINK_URL,
        {
            "aanvrager": imported.pk,
            "kenmerk": portal.reference.lower(),
            "motivering": MOTIVATION,
        },
        follow=True,
    )
    assert done.status_code == 200
    (link,) = HistoryLink.objects.all()
    assert (
        link.imported_applicant,
        link.portal_applicant,
        link.portal_reference,
        link.members,
        link.motivation,
        link.linked_by,
    ) == (
        imported,
        portal.applicant,
        portal.reference,
        sorted([portal.applicant_user.email, "voorzitter@echt.example"]),
        MOTIVATION,
        admin,
    )
    assert any(
        r.getMessage().startswith("Imported history linked:")
        and portal.reference in r.getMessage()
        and "beheer@utrecht.example" in r.getMessage()
        and MOTIVATION in r.getMessage()
        for r in caplog.records
    )
    log_table = done.content.decode()
    log_table = log_table[log_table.index('id="koppelingen"') :]
    for text in (
        "Stichting Echt",
        portal.reference,
        "voorzitter@echt.example",
        "beheer@utrecht.example",
        MOTIVATION,
    ):
        assert text in log_table, text

    # The resident now sees the imported applications, rejection included.
    assert set(
        applications_for_user(resident)
        .filter(pk__in=history)
        .values_list("reference", flat=True)
    ) == {"IF-2025-0101", "IF-2025-0102"}
    client.force_login(resident)
    mine = client.get(reverse("subsidies:my_applications")).content.decode()
    assert "IF-2025-0101" in mine and "IF-2025-0102" in mine

    # Staff reading the portal application see the link and why.
    client.force_login(admin)
    detail = client.get(reverse("beoordelen:detail", args=[portal.pk]))
    assert detail.status_code == 200
    assert "Gekoppelde historie" in detail.content.decode()
    assert MOTIVATION in detail.content.decode()

    # The open data still names the organisation as the old system knew it.
    open_data = client.get(reverse("opendata:index")).content.decode()
    assert "Stichting Echt (portaal)" not in open_data

    # A later import of the same KvK number joins the linked history.
    _import(admin, [_row("IF-2025-0103", "Zomerfeest", "toegekend", "500")])
    later = Application.objects.get(reference="IF-2025-0103")
    assert later.applicant == imported
    assert applications_for_user(resident).filter(pk=later.pk).exists()


def test_only_import_made_history_links_to_a_portal_application(client, world):
    """A portal applicant is not offered as import history, an imported kenmerk is
    not a portal application, and an unknown kenmerk is refused, each in Dutch."""
    admin, resident, portal, imported = world
    client.force_login(admin)
    as_history = client.post(
        LINK_URL,
        {
            "aanvrager": portal.applicant.pk,
            "kenmerk": portal.reference,
            "motivering": MOTIVATION,
        },
    )
    assert "geldige keuze" in as_history.content.decode()
    to_import = client.post(
        LINK_URL,
        {"aanvrager": imported.pk, "kenmerk": "IF-2025-0102", "motivering": MOTIVATION},
    )
    assert "Er is geen aanvraag uit het portaal met kenmerk IF-2025-0102" in (
        to_import.content.decode()
    )
    unknown = client.post(
        LINK_URL,
        {"aanvrager": imported.pk, "kenmerk": "XX-0000", "motivering": MOTIVATION},
    )
    assert "Er is geen aanvraag uit het portaal met kenmerk XX-0000" in (
        unknown.content.decode()
    )
    assert not HistoryLink.objects.exists()
    assert not imported.members.exists()


def test_an_assessor_cannot_link_and_a_link_is_never_changed(client, world):
    admin, resident, portal, imported = world
    client.force_login(assessor())
    response = client.post(
        LINK_URL,
        {
            "aanvrager": imported.pk,
            "kenmerk": portal.reference,
            "motivering": MOTIVATION,
        },
    )
    assert response.status_code == 403
    assert not HistoryLink.objects.exists()
    assert not imported.members.exists()

    client.force_login(admin)
    client.post(
        LINK_URL,
        {
            "aanvrager": imported.pk,
            "kenmerk": portal.reference,
            "motivering": MOTIVATION,
        },
    )
    link = HistoryLink.objects.get()
    link.motivation = "iets anders"
    with pytest.raises(ImmutableExportLogError):
        link.save()
    with pytest.raises(ImmutableExportLogError):
        link.delete()
    assert HistoryLink.objects.get().motivation == MOTIVATION


def test_a_new_application_never_copies_the_details_of_linked_history(world):
    """After the link, the imported applicant is the resident's newest; a new
    application still copies the portal applicant's details, never the old system's
    name and addresses."""
    admin, resident, portal, imported = world
    history_link(
        imported_applicant=imported,
        portal_reference=portal.reference,
        motivation=MOTIVATION,
        by=admin,
    )
    # An import run after the resident applied made the imported applicant the newest.
    Applicant.objects.filter(pk=imported.pk).update(created_at=timezone.now())
    round_ = RoundFactory(scheme=portal.round.scheme, name="Tijdvak 2027")
    new = application_start(scheme=round_.scheme, user=resident)
    assert new.applicant.name == "Stichting Echt (portaal)"
    assert new.applicant.name != imported.name
