"""The seeded demo: every status, every wijk, users per role, and idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.roles import ADMINISTRATOR, APPLICANT, ASSESSOR, DECISION_MAKER
from cms.models import HomePage, SchemePage
from subsidies.models import Application, Round, Scheme, TransitionLog, Wijk
from subsidies.workflow import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_shows_every_status_in_every_wijk_spread(seeded):
    """About forty applications, every status present, every one of the ten wijken used."""
    assert 35 <= Application.objects.count() <= 50
    assert set(Application.objects.values_list("status", flat=True)) == set(
        Status.values
    )
    assert Wijk.objects.count() == 10
    assert Application.objects.values("wijk").distinct().count() == 10


def test_seed_has_three_schemes_each_with_an_open_and_a_closed_round(seeded):
    """The three schemes exist with their own rules, each with an open and a closed round."""
    assert set(Scheme.objects.values_list("slug", flat=True)) == {
        "initiatievenfonds",
        "duurzaam",
        "flexbudget",
    }
    assert Scheme.objects.get(slug="initiatievenfonds").max_amount_cents == 2_000_000
    for scheme in Scheme.objects.all():
        assert Round.objects.open().filter(scheme=scheme).count() == 1
        assert (
            Round.objects.filter(scheme=scheme)
            .exclude(pk__in=Round.objects.open())
            .count()
            == 1
        )
        assert scheme.current_question_set() is not None


def test_seed_prints_credentials_for_every_role(seeded):
    """The command prints a demo login per role."""
    for role in (ADMINISTRATOR, ASSESSOR, DECISION_MAKER, APPLICANT):
        assert role in seeded
    assert "wachtwoord" in seeded


def test_seed_twice_changes_nothing(seeded):
    """Running the seed again creates no duplicates."""
    counts = (
        Application.objects.count(),
        TransitionLog.objects.count(),
        SchemePage.objects.count(),
    )
    call_command("seed_demo", stdout=StringIO())
    assert (
        Application.objects.count(),
        TransitionLog.objects.count(),
        SchemePage.objects.count(),
    ) == counts


def test_seeded_applications_have_a_real_history(seeded):
    """Every submitted demo application has log rows that end in its current status."""
    for application in Application.objects.submitted():
        last = application.transition_log.order_by("at", "pk").last()
        assert last is not None and last.target == application.status
        assert application.requested_cents == application.budget_total_cents()


def test_seed_publishes_the_public_pages(seeded, client):
    """The home page and one page per scheme are live."""
    assert HomePage.objects.live().count() == 1
    assert SchemePage.objects.live().count() == 3
    response = client.get("/")
    assert response.status_code == 200
    assert "Initiatievenfonds" in response.content.decode()
