"""Open data (Woo): awards to organisations, public, and never personal data."""

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from beoordeling.overviews.opendata import natural_person_q
from subsidies.demo import seed_demo
from subsidies.models import Applicant, ApplicantKind, Application
from subsidies.money import cents_to_euros
from subsidies.workflow import Status
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

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
IBAN = re.compile(r"\bNL\d{2}\s?[A-Z]{4}\s?\d{4}\s?\d{4}\s?\d{2}\b")
PHONE = re.compile(r"\b0\d{2}[\s-]?\d{3}[\s-]?\d{2}[\s-]?\d{2}\b")


@pytest.fixture
def awards():
    round_ = RoundFactory()
    wijk = WijkFactory(code="noordwest", name="Noordwest")
    staff = {"assessed_by": assessor(), "decided_by": decision_maker()}
    organisation = ApplicantFactory(
        name="Stichting Buurtkracht Zuilen",
        contact_name="Petra de Vries",
        contact_email="petra@buurtkracht.example",
        contact_phone="030 111 22 33",
        street="Amsterdamsestraatweg 1",
    )
    person = ApplicantFactory(
        kind=ApplicantKind.INFORMAL_GROUP,
        kvk_number="",
        name="Groepje van Jan Jansen",
        contact_name="Jan Jansen",
        contact_email="jan.jansen@voorbeeld.example",
        contact_phone="06 12345678",
        iban="NL02RABO0123456789",
        account_holder="J. Jansen",
    )
    with_penvoerder = ApplicantFactory(
        kind=ApplicantKind.INFORMAL_GROUP,
        kvk_number="",
        name="Bewoners Plein Noord",
        contact_name="Fatima El Amrani",
        contact_email="fatima@plein.example",
        penvoerder_name="Stichting Penvoerder Utrecht",
        penvoerder_kvk="41234567",
    )
    return {
        "organisation": decided_application(
            round=round_,
            wijk=wijk,
            applicant=organisation,
            amount_cents=150_025,
            # The rubric proposes whole euros; odd cents as a later decision may set.
            awarded_cents=150_025,
            **staff,
        ),
        "person": decided_application(
            round=round_, wijk=wijk, applicant=person, amount_cents=80_000, **staff
        ),
        "penvoerder": decided_application(
            round=round_,
            wijk=wijk,
            applicant=with_penvoerder,
            amount_cents=60_000,
            **staff,
        ),
        "rejected": decided_application(
            round=round_, wijk=wijk, status="afgewezen", amount_cents=40_000, **staff
        ),
    }


def download(client, fmt, **params):
    response = client.get(reverse("opendata:download", args=[fmt]), params)
    assert response.status_code == 200
    return response.content.decode("utf-8")


def test_the_overview_names_organisations_and_never_a_natural_person(client, awards):
    """Awards to organisations, to a penvoerder for a group; a person's never."""
    rows = json.loads(download(client, "json"), parse_float=Decimal)
    recipients = {row["Ontvanger"]: row for row in rows}
    assert set(recipients) == {
        "Stichting Buurtkracht Zuilen",
        "Stichting Penvoerder Utrecht",
    }
    assert (
        recipients["Stichting Penvoerder Utrecht"]["KvK-nummer ontvanger"] == "41234567"
    )
    organisation = recipients["Stichting Buurtkracht Zuilen"]
    assert organisation["Verleend bedrag (euro)"] == Decimal("1500.25")
    assert organisation["Jaar"] == timezone.localdate().year
    assert organisation["Wettelijke grondslag"]
    for text in (download(client, "csv"), download(client, "json")):
        assert "Jan Jansen" not in text
        assert awards["person"].reference not in text
        assert awards["rejected"].reference not in text


def test_the_overview_holds_no_contact_details_or_bank_accounts(client, awards):
    """No e-mail address, phone number, IBAN, street or contact name, in any output."""
    outputs = [
        download(client, "csv"),
        download(client, "json"),
        client.get(reverse("opendata:index")).content.decode(),
    ]
    for applicant in Applicant.objects.all():
        for value in (
            applicant.contact_name,
            applicant.contact_email,
            applicant.contact_phone,
            applicant.iban,
            applicant.street,
        ):
            if value:
                assert all(value not in text for text in outputs), value
    for text in outputs[:2]:
        assert not EMAIL.search(text)
        assert not IBAN.search(text)
        assert not PHONE.search(text)


def test_awards_to_persons_appear_only_as_totals(client, awards):
    """The totals per wijk never name a group; one group's award is not shown either:
    a count of 1 would publish what that group got."""
    page = client.get(reverse("opendata:index")).content.decode()
    assert "Groepje van Jan Jansen" not in page
    assert "800,00" not in page  # one group: its amount would be its own award
    assert "minder dan 5 (niet getoond)" in page
    assert "€\u00a02.100,25" in page  # organisations: 1500.25 + 600.00


@pytest.mark.parametrize("groups", [1, 4, 5])
def test_a_wijk_with_fewer_than_five_group_awards_shows_neither_count_nor_amount(
    groups,
):
    """Cells of awards to bewonersgroepen below MIN_PUBLISHED_COUNT are suppressed,
    count and amount together; from 5 on both are shown."""
    from beoordeling.overviews.opendata import (
        MIN_PUBLISHED_COUNT,
        open_data_totals,
        year_filters,
    )

    assert MIN_PUBLISHED_COUNT == 5
    round_ = RoundFactory()
    wijk = WijkFactory(code="zuid", name="Zuid")
    staff = {"assessed_by": assessor(), "decided_by": decision_maker()}
    for i in range(groups):
        group = ApplicantFactory(
            kind=ApplicantKind.INFORMAL_GROUP, kvk_number="", name=f"Groep {i}"
        )
        decided_application(
            round=round_, wijk=wijk, applicant=group, amount_cents=10_000, **staff
        )
    (row,) = open_data_totals(year_filters())
    if groups < 5:
        assert (row.groups, row.groups_cents, row.groups_suppressed) == (
            None,
            None,
            True,
        )
    else:
        assert (row.groups, row.groups_cents) == (5, 50_000)


def test_the_open_data_total_matches_the_database_to_the_cent(client, awards):
    """The CSV's amounts add up to the awards to non-natural persons in the database."""
    rows = list(csv.DictReader(io.StringIO(download(client, "csv"))))
    total = sum(Decimal(row["Verleend bedrag (euro)"]) for row in rows)
    expected = (
        Application.objects.filter(status=Status.AWARDED)
        .exclude(natural_person_q())
        .values_list("awarded_cents", flat=True)
    )
    assert total == cents_to_euros(sum(expected))


def test_the_query_and_the_property_agree_on_who_is_a_natural_person(awards):
    """``natural_person_q`` is ``Applicant.is_natural_person`` as a query."""
    persons = set(
        Applicant.objects.filter(natural_person_q("")).values_list("pk", flat=True)
    )
    for applicant in Applicant.objects.all():
        assert applicant.is_natural_person == (applicant.pk in persons)


def test_the_public_page_needs_no_login_and_is_dutch_and_accessible(client, awards):
    """Anonymous 200, lang nl, one h1, Utrecht table classes, captions by heading."""
    response = client.get("/open-data/")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nl"' in body
    assert body.count("<h1") == 1 and "utrecht-heading-1" in body
    assert "utrecht-table" in body and 'scope="col"' in body
    assert 'for="id_jaar"' in body


def test_the_filters_narrow_the_open_data(client, awards):
    """Year, scheme and wijk narrow the rows; an unknown choice is refused."""
    year = timezone.localdate().year
    assert len(json.loads(download(client, "json", jaar=year))) == 2
    assert json.loads(download(client, "json", wijk="noordwest"))
    scheme = awards["organisation"].round.scheme
    other = SchemeFactory(slug="duurzaam", name="Duurzaam", reference_prefix="DB")
    assert len(json.loads(download(client, "json", regeling=scheme.slug))) == 2
    assert json.loads(download(client, "json", regeling=other.slug)) == []
    response = client.get(reverse("opendata:download", args=["json"]), {"jaar": 1999})
    assert response.status_code == 400
    assert client.get(reverse("opendata:download", args=["xml"])).status_code == 404


def test_the_seeded_demo_publishes_no_personal_data(client):
    """With the seeded demo (organisations and bewonersgroepen), nothing personal leaks."""
    seed_demo(now=timezone.now())
    group = Applicant.objects.get(name="Bewonersgroep Oké Nu")
    assert group.is_natural_person and group.iban and group.contact_email
    # The decisions of the demo are seeded by the allocation work; award two here, to
    # the seeded bewonersgroep and to a seeded stichting, in a seeded open round.
    seeded = (
        Application.objects.filter(
            status__in=[Status.ASSESSED, Status.IN_ASSESSMENT, Status.SUBMITTED]
        )
        .order_by("status", "pk")
        .first()
    )
    organisation = Applicant.objects.get(name="Stichting Buurtkracht Zuilen")
    for applicant in (group, organisation):
        decided_application(applicant=applicant, round=seeded.round, wijk=seeded.wijk)
    outputs = [
        download(client, "csv"),
        download(client, "json"),
        client.get(reverse("opendata:index")).content.decode(),
    ]
    assert [row["Ontvanger"] for row in json.loads(outputs[1])] == [organisation.name]
    for applicant in Applicant.objects.all():
        private = [applicant.contact_email, applicant.contact_phone, applicant.iban]
        private += [applicant.contact_name, applicant.street]
        if applicant.is_natural_person:
            private += [applicant.name, applicant.account_holder]
        for value in filter(None, private):
            assert all(value not in text for text in outputs), value
    for text in outputs[:2]:
        assert (
            not EMAIL.search(text) and not IBAN.search(text) and not PHONE.search(text)
        )
