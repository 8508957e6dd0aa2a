"""The seeded demo: every status, every wijk, users per role, and idempotent.

It also reads like a real year in Utrecht: every wijk has its own buurten, and every
application stays inside its wijk (its buurten, its title and summary, the postcode of
its applicant) and happens in order (round, submission, assessment, decision).
"""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.roles import (
    ADMINISTRATOR,
    APPLICANT,
    ASSESSOR,
    DECISION_MAKER,
    WIJKBUREAU,
)
from cms.models import HomePage, SchemePage
from subsidies.demo import seed_demo, seed_reference_data
from subsidies.models import (
    Applicant,
    Application,
    Buurt,
    Round,
    Scheme,
    TransitionLog,
    Wijk,
)
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
    """The command prints a demo login per role, the wijkbureau's too."""
    for role in (ADMINISTRATOR, ASSESSOR, DECISION_MAKER, APPLICANT, WIJKBUREAU):
        assert role in seeded
    assert "wachtwoord" in seeded
    assert "wijkbureau@initiatiefloket.example" in seeded


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
    """The home page and one page per scheme are live, in Dutch and in English."""
    for language in ("nl", "en"):
        assert (
            HomePage.objects.live().filter(locale__language_code=language).count() == 1
        )
        pages = SchemePage.objects.live().filter(locale__language_code=language)
        assert pages.count() == 3
    response = client.get("/")
    assert response.status_code == 200
    assert "Initiatievenfonds" in response.content.decode()


# The first four digits of the postcodes in each wijk (PostNL's areas; only the ones
# that lie wholly or mostly inside the wijk).
POSTCODES = {
    "binnenstad": {"3511", "3512"},
    "oost": {"3581", "3582", "3583", "3584", "3585"},
    "noordoost": {"3571", "3572", "3573"},
    "noordwest": {"3551", "3552", "3553", "3554", "3555"},
    "overvecht": {"3561", "3562", "3563", "3564", "3565"},
    "west": {"3531", "3532", "3533"},
    "zuidwest": {"3521", "3522", "3526", "3527"},
    "zuid": {"3523", "3524", "3525"},
    "leidsche-rijn": {"3541", "3542", "3543", "3544", "3545", "3546"},
    "vleuten-de-meern": {"3451", "3452", "3453", "3454", "3455"},
}
DECISIONS = {"award", "reject"}


def _places_named(text, names):
    """The names in ``names`` that ``text`` mentions as words (case as written)."""
    return {
        name
        for name in names
        if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text)
    }


def _without(text, names):
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    return text


def test_every_wijk_has_several_buurten_of_its_own():
    """The ten wijken of Utrecht, each with at least three buurten, no buurt in two."""
    seed_reference_data()
    assert set(Wijk.objects.values_list("name", flat=True)) == {
        "Binnenstad",
        "Noordoost",
        "Oost",
        "Zuid",
        "Zuidwest",
        "West",
        "Noordwest",
        "Overvecht",
        "Leidsche Rijn",
        "Vleuten-De Meern",
    }
    for wijk in Wijk.objects.all():
        assert wijk.buurten.count() >= 3, wijk.name
    names = list(Buurt.objects.values_list("name", flat=True))
    assert len(names) == len(set(names))
    assert not set(names) & set(Wijk.objects.values_list("name", flat=True))


def test_every_seeded_application_stays_inside_its_wijk():
    """Buurten of its own wijk; a title and summary that name no other wijk or its
    buurten; an applicant whose address lies in the wijk and passes its own checks."""
    seed_demo(now=timezone.now())
    wijken = {wijk.pk: wijk for wijk in Wijk.objects.all()}
    places = {
        pk: {wijk.name, *wijk.buurten.values_list("name", flat=True)}
        for pk, wijk in wijken.items()
    }
    applications = Application.objects.select_related("applicant", "wijk")
    assert applications.exists()
    for application in applications:
        buurten = list(application.buurten.all())
        assert buurten, application.title
        assert {b.wijk_id for b in buurten} == {application.wijk_id}, application.title
        own = places[application.wijk_id]
        elsewhere = set().union(
            *(names for pk, names in places.items() if pk != application.wijk_id)
        )
        text = _without(f"{application.title}\n{application.summary}", own)
        assert not _places_named(text, elsewhere), application.title
        postcode = application.applicant.postcode
        assert postcode[:4] in POSTCODES[application.wijk.code], (
            application.applicant.name,
            postcode,
        )
    for applicant in Applicant.objects.all():
        applicant.full_clean()


def test_the_seeded_year_happens_in_order(seeded):
    """Rounds a year apart; every step after the one before, inside the open round,
    none in the future, a running term for an open aanvulling, decisions in time."""
    now = timezone.now()
    for scheme in Scheme.objects.all():
        closed, open_ = Round.objects.filter(scheme=scheme).order_by("opens_at")
        assert closed.closes_at < open_.opens_at
        assert int(closed.name[-4:]) + 1 == int(open_.name[-4:])
    for application in Application.objects.submitted().select_related("round"):
        steps = list(application.transition_log.order_by("pk"))
        times = [step.at for step in steps]
        assert times == sorted(times), application.title
        assert application.round.opens_at <= times[0] <= times[-1] <= now
        if application.status == Status.SUPPLEMENT_REQUESTED:
            assert application.supplement_due_at > now, application.title
        for step in steps:
            if step.transition in DECISIONS:
                assert step.at <= application.decision_due_at, application.title
