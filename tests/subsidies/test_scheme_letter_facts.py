"""The facts a beschikking needs from its scheme are fields, not prose: the route to the
vaststelling, the nadere regel's title and date, and the voorschot."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from accounts.roles import ADMINISTRATOR
from subsidies.demo import seed_reference_data
from subsidies.models import Scheme, SettlementRoute
from tests.factories import SchemeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_schemes_carry_their_route_and_voorschot_and_no_invented_regulation():
    seed_reference_data()
    schemes = {s.slug: s for s in Scheme.objects.all()}

    fonds = schemes["initiatievenfonds"]
    assert fonds.settlement_route == SettlementRoute.DIRECT_UP_TO
    assert fonds.direct_settlement_max_cents == 500_000
    assert fonds.advance_percent == 100 and fonds.advance_part_months == 12
    assert "direct" not in fonds.letter_accountability.lower()

    duurzaam = schemes["duurzaam"]
    assert duurzaam.settlement_route == SettlementRoute.LATER
    assert (duurzaam.advance_percent, duurzaam.advance_part_months) == (80, 3)
    assert duurzaam.letter_payment == ""  # was 'vier gelijke delen per kwartaal'

    flex = schemes["flexbudget"]
    assert flex.settlement_route == SettlementRoute.DIRECT
    assert "direct" not in flex.letter_accountability_direct.lower()

    for scheme in schemes.values():
        # The seeds name no nadere regel for these schemes: left to the Beheerder.
        assert scheme.regulation_title == ""
        assert scheme.regulation_date is None
        assert "nadere regel" not in scheme.legal_basis.lower()
        scheme.full_clean()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        (
            {
                "settlement_route": SettlementRoute.DIRECT_UP_TO,
                "letter_accountability_direct": "x",
            },
            "direct_settlement_max_cents",
        ),
        (
            {"settlement_route": SettlementRoute.LATER, "letter_accountability": ""},
            "letter_accountability",
        ),
        (
            {
                "settlement_route": SettlementRoute.DIRECT,
                "letter_accountability_direct": " ",
            },
            "letter_accountability_direct",
        ),
        ({"advance_percent": 101}, "advance_percent"),
        ({"advance_part_months": 0}, "advance_part_months"),
    ],
)
def test_a_scheme_without_the_text_its_route_needs_is_refused_in_dutch(changes, field):
    scheme = SchemeFactory()
    for name, value in changes.items():
        setattr(scheme, name, value)
    with pytest.raises(ValidationError) as error:
        scheme.full_clean()
    assert field in error.value.message_dict


def test_the_migration_moves_the_old_demo_prose_into_the_fields():
    migration = importlib.import_module("subsidies.migrations.0008_scheme_letter_facts")
    old = {
        "initiatievenfonds": (
            "Is de subsidie niet hoger dan € 5.000? Dan stellen wij de subsidie direct vast. "
            "U hoeft dan alleen aan te tonen dat de activiteit is doorgegaan."
        ),
        "duurzaam": "Na afloop vraagt u de vaststelling van de subsidie aan, uiterlijk 13 weken.",
        "flexbudget": "Wij stellen de subsidie direct vast. Na afloop vertelt u het.",
    }
    for i, (slug, text) in enumerate(old.items()):
        SchemeFactory(
            slug=slug,
            name=slug,
            reference_prefix=f"X{i}",
            letter_accountability=text,
            letter_payment="Wij betalen binnen 10 werkdagen na dit besluit.",
        )
    edited = SchemeFactory(
        slug="eigen",
        name="Eigen",
        reference_prefix="EI",
        letter_accountability="Eigen.",
    )
    migration.demo_letter_facts(apps, None)
    schemes = {s.slug: s for s in Scheme.objects.all()}
    assert schemes["initiatievenfonds"].settlement_route == "direct_tot_grens"
    assert schemes["duurzaam"].advance_percent == 80
    assert schemes["flexbudget"].settlement_route == "direct"
    assert schemes["flexbudget"].letter_accountability == ""
    for slug in old:
        assert "10 werkdagen" not in schemes[slug].letter_payment
    edited.refresh_from_db()
    assert (
        edited.settlement_route == "verlening"
        and edited.letter_accountability == "Eigen."
    )


def test_the_beheerder_edits_the_letter_facts_in_wagtail(client):
    scheme = SchemeFactory()
    client.force_login(UserFactory(role=ADMINISTRATOR))
    page = client.get(f"/admin/scheme/edit/{scheme.pk}/").content.decode()
    for label in (
        "Titel van de nadere regel",
        "Datum van de nadere regel",
        "Vaststelling",
        "Direct vaststellen tot en met (euro)",
        "Voorschot bij latere vaststelling (% van de subsidie)",
        "Voorschot in delen van (maanden)",
    ):
        assert label in page, label
