"""The public pages: seeded idempotently, editable blocks, and live scheme facts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from beoordeling.assessment.demo import seed_rules
from beoordeling.models import PreconditionRule
from cms.demo import seed_pages
from cms.models import ContentPage, HomePage, SchemePage
from subsidies.demo import seed_reference_data, seed_rounds
from subsidies.models import Scheme
from tests.factories import WijkFactory, decided_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    seed_reference_data()
    rounds = seed_rounds(timezone.now())
    seed_rules()
    seed_pages()
    return rounds


def test_the_seed_makes_home_scheme_and_content_pages(site):
    """Home, one page per scheme linked to it, help, FAQ, accessibility, privacy."""
    assert HomePage.objects.count() == 1
    assert {page.scheme.slug for page in SchemePage.objects.all()} == {
        "initiatievenfonds",
        "duurzaam",
        "flexbudget",
    }
    assert set(ContentPage.objects.values_list("slug", flat=True)) >= {
        "hulp",
        "veelgestelde-vragen",
        "toegankelijkheid",
        "privacy",
    }


def test_seeding_twice_changes_nothing(site):
    """The seed is idempotent and keeps what editors changed."""
    page = SchemePage.objects.get(slug="initiatievenfonds")
    page.intro = "Door een redacteur aangepast."
    page.save_revision().publish()
    counts = (
        HomePage.objects.count(),
        SchemePage.objects.count(),
        ContentPage.objects.count(),
    )
    seed_pages()
    assert counts == (
        HomePage.objects.count(),
        SchemePage.objects.count(),
        ContentPage.objects.count(),
    )
    assert (
        SchemePage.objects.get(slug="initiatievenfonds").intro
        == "Door een redacteur aangepast."
    )


def test_the_home_page_lists_the_schemes_with_their_open_rounds(client, site):
    """The home page shows each scheme with its maximum, closing date and money left."""
    content = client.get("/").content.decode()
    for name in ("Initiatievenfonds", "Budget duurzaam bewonersinitiatief Wmo"):
        assert name in content
    assert "Nog beschikbaar" in content
    assert "€\u00a020.000 per aanvraag" in content
    assert "Doe de snelle check" in content


def test_a_scheme_page_shows_the_live_facts(client, site):
    """Who for, conditions, impact bands, verdeelregel with wijk guarantee, round,
    money left and the decision period, all from the database."""
    scheme = Scheme.objects.get(slug="duurzaam")
    round_ = scheme.open_round()
    content = client.get("/duurzaam/").content.decode()
    assert scheme.for_whom in content
    assert scheme.not_for in content
    assert "Uw initiatief bestaat al minstens 3 jaar." in content
    assert "75 of meer" in content and "100% van het gevraagde bedrag" in content
    assert "Minder dan 50" in content
    assert "op volgorde van hun punten voor impact" in content
    assert "Overvecht" in content and "aandachtswijk" in content
    closes = timezone.localtime(round_.closes_at)
    assert f"{closes.day} " in content and str(closes.year) in content
    assert "€\u00a0455.000" in content
    assert "Binnen 8 weken nadat uw aanvraag compleet is" in content
    assert "/aanvragen/duurzaam/" in content


def _randvoorwaarden(content):
    """The labels in the page's randvoorwaarden list, in order."""
    start = content.index('id="randvoorwaarden"')
    section = content[start : content.index("</ul>", start)]
    return [
        part.split("</span>", 1)[0]
        for part in section.split('<span class="portal-checklist__text">')[1:]
    ]


def test_the_randvoorwaarden_are_the_assessors_rules(client, site):
    """The page lists the scheme's active PreconditionRule rows in their order, in
    the residents' wording, says which are verplicht, and never shows the assessors'
    shorthand or description."""
    scheme = Scheme.objects.get(slug="duurzaam")
    rules = list(scheme.precondition_rules.order_by("sort_order", "pk"))
    content = client.get("/duurzaam/").content.decode()
    assert _randvoorwaarden(content) == [rule.public_text for rule in rules]
    assert all(rule.public_text for rule in rules)
    assert "(D1)" not in content  # the assessors' shorthand stays in the admin
    hard = content.count("Verplicht. Voldoet uw aanvraag hier niet aan")
    assert hard == sum(rule.hard for rule in rules)
    assert "Niet verplicht. Wij kijken er wel naar." in content
    assert "Controleer de financieringshistorie" not in content


def test_changing_a_rule_in_the_admin_changes_the_scheme_page(client, site):
    """Adding, renaming, reordering, softening and deactivating a rule shows at once."""
    scheme = Scheme.objects.get(slug="initiatievenfonds")
    PreconditionRule.objects.create(
        scheme=scheme, code="in_utrecht", label="De activiteit is in Utrecht"
    )
    first = scheme.precondition_rules.get(code="start_na_aanvraag")
    first.public_text = "U vraagt het geld aan voordat de activiteit begint"
    first.sort_order = 99
    first.hard = False
    first.save()
    scheme.precondition_rules.filter(code="drie_jaar_grens").update(active=False)
    labels = _randvoorwaarden(client.get("/initiatievenfonds/").content.decode())
    assert labels == [
        "De activiteit is in Utrecht",  # no wording for residents: the label
        "U vraagt niet meer dan € 20.000 per initiatief per jaar.",
        "Bewoners bedenken het plan en voeren het zelf uit.",
        "U vraagt het geld aan voordat de activiteit begint",
    ]
    content = client.get("/initiatievenfonds/").content.decode()
    assert content.count("Verplicht. Voldoet uw aanvraag hier niet aan") == 3
    assert content.count("Niet verplicht. Wij kijken er wel naar.") == 1


def test_a_scheme_without_active_rules_shows_no_voorwaarden_list(client, site):
    """No active rule: no empty 'Voorwaarden' heading on the page, and the rest of the
    scheme page (its name, the money left, the way to apply) is still there."""
    scheme = Scheme.objects.get(slug="flexbudget")
    assert 'id="randvoorwaarden"' in client.get("/flexbudget/").content.decode()
    scheme.precondition_rules.update(active=False)
    response = client.get("/flexbudget/")
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="randvoorwaarden"' not in content
    assert scheme.name in content
    assert "Nog beschikbaar" in content
    assert "/aanvragen/flexbudget/" in content


def test_more_rules_cost_no_extra_queries(client, site):
    """The rules are read in one query, however many there are."""
    scheme = Scheme.objects.get(slug="flexbudget")
    client.get("/flexbudget/")  # warm caches (site root, settings)
    with CaptureQueriesContext(connection) as before:
        client.get("/flexbudget/")
    for number in range(5):
        PreconditionRule.objects.create(
            scheme=scheme, code=f"extra_{number}", label=f"Extra voorwaarde {number}"
        )
    with CaptureQueriesContext(connection) as after:
        content = client.get("/flexbudget/").content.decode()
    assert "Extra voorwaarde 4" in content
    assert len(after) == len(before)


def test_the_money_left_follows_the_awards(client, site):
    """An award in the open round lowers 'nog beschikbaar' on the page at once."""
    round_ = site["flexbudget"]
    for _ in range(2):  # two awards of the most one may ask, € 5.000
        decided_application(
            round=round_,
            wijk=WijkFactory(),
            amount_cents=500_000,
            awarded_cents=500_000,
        )
    content = client.get("/flexbudget/").content.decode()
    assert "€\u00a0310.000" in content


def test_the_receipt_scheme_explains_order_of_receipt(client, site):
    """The initiatievenfonds (order of receipt) explains that rule and the lottery."""
    content = client.get("/initiatievenfonds/").content.decode()
    assert "volgorde van binnenkomst" in content
    assert "loting" in content


def test_a_scheme_without_an_open_round_says_so(client, site):
    """No open round: no apply button, a clear sentence instead."""
    Scheme.objects.get(slug="flexbudget").rounds.update(closes_at=timezone.now())
    content = client.get("/flexbudget/").content.decode()
    assert "geen ronde open" in content
    assert "/aanvragen/flexbudget/" not in content


@pytest.mark.parametrize(
    "path",
    ["/", "/initiatievenfonds/", "/hulp/", "/veelgestelde-vragen/", "/aanvragen/"],
)
def test_every_page_is_dutch_with_a_skip_link_help_and_the_utrecht_theme(
    client, site, path
):
    """lang="nl", the utrecht-theme, a skip link, the help block and the Utrecht CSS."""
    content = client.get(path).content.decode()
    assert '<html lang="nl" class="utrecht-theme' in content
    assert 'href="#main"' in content and 'id="main"' in content
    assert "Hulp nodig?" in content
    assert "utrecht/component-library-css/index.css" in content
    assert "utrecht/design-tokens/index.css" in content


def test_the_faq_is_built_from_question_blocks(client, site):
    """The FAQ page renders each question block as an expandable item."""
    content = client.get("/veelgestelde-vragen/").content.decode()
    assert content.count('<details class="portal-faq">') >= 8
    assert "Mag ik al beginnen met mijn activiteit?" in content


def test_editors_change_pages_and_the_help_block_in_the_wagtail_admin(
    admin_client, site
):
    """The scheme page (pointing to where the randvoorwaarden are set) and the help
    settings are editable."""
    from django.urls import reverse
    from wagtail.models import Site

    page = SchemePage.objects.get(slug="initiatievenfonds")
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    assert "Beoordeling instellen" in response.content.decode()
    default_site = Site.objects.get(is_default_site=True)
    url = reverse("wagtailsettings:edit", args=["cms", "helpsettings", default_site.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "14 030" in response.content.decode()


def test_the_help_block_shows_what_editors_set(client, site):
    """A changed phone number in the help settings appears on every page."""
    from wagtail.models import Site

    from cms.models import HelpSettings

    settings_ = HelpSettings.for_site(Site.objects.get(is_default_site=True))
    settings_.phone = "030 286 00 00"
    settings_.save()
    assert "030 286 00 00" in client.get("/aanvragen/").content.decode()
