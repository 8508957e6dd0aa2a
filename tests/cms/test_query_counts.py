"""The pages residents open most read little from the database once warm: the site,
the help settings, the scheme facts and the form's reference lists come from the
cache; the cached facts follow a decision at once."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from beoordeling.assessment.demo import seed_rules
from cms.demo import seed_pages
from subsidies import facts
from subsidies.demo import seed_reference_data, seed_rounds
from subsidies.models import Application, Wijk
from subsidies.selectors import scheme_public_facts
from tests.factories import ApplicationFactory, UserFactory, WijkFactory

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10
# The header's language switch is a form: its CSRF token is masked anew on every visit.
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def page_text(response):
    return CSRF_TOKEN.sub(
        'name="csrfmiddlewaretoken" value=""', response.content.decode()
    )


@pytest.fixture
def site():
    seed_reference_data()
    rounds = seed_rounds(timezone.now())
    seed_rules()
    seed_pages()
    return rounds


@pytest.mark.parametrize("path", ["/", "/initiatievenfonds/", "/flexbudget/"])
def test_a_public_page_reads_at_most_ten_queries(
    client, site, path, django_assert_max_num_queries
):
    """Home and scheme pages, second visit: at most 10 queries, the same page."""
    first = page_text(client.get(path))
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(path)
    assert response.status_code == 200
    assert page_text(response) == first
    assert "Hulp nodig?" in first


def test_a_form_step_reads_at_most_ten_queries(
    client, site, django_assert_max_num_queries
):
    """The initiative step of a resident's concept, shown again: at most 10 queries,
    with the wijken, buurten, doelgroepen and thema's to choose from."""
    resident = UserFactory(role="Aanvrager", email="bewoner@example.nl")
    client.force_login(resident)
    client.post(reverse("subsidies:start", args=["flexbudget"]))
    draft = Application.objects.get(created_by=resident)
    url = reverse("subsidies:step", args=[draft.reference, "initiatief"])
    client.get(url)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    wijk = Wijk.objects.order_by("sort_order", "name").first()
    assert wijk.name in page
    assert "Hulp nodig?" in page
    draft.refresh_from_db()
    assert draft.current_step == "initiatief"


def test_a_new_wijk_shows_on_the_form_at_once(client, site):
    """The cached reference lists are dropped when a wijk is saved."""
    resident = UserFactory(role="Aanvrager", email="bewoner@example.nl")
    client.force_login(resident)
    client.post(reverse("subsidies:start", args=["flexbudget"]))
    draft = Application.objects.get(created_by=resident)
    url = reverse("subsidies:step", args=[draft.reference, "initiatief"])
    assert "Nieuwe Wijk" not in client.get(url).content.decode()
    WijkFactory(code="nieuw", name="Nieuwe Wijk")
    assert "Nieuwe Wijk" in client.get(url).content.decode()


def test_the_cached_facts_follow_a_submission_and_a_decision(client, site):
    """The scheme page was seen (its facts cached). A submission raises the money in
    process, and money reserved by a fixed allocation (recorded through
    ``subsidies.facts``, with no save of the application) lowers 'nog beschikbaar', on
    the very next visit."""
    round_ = site["flexbudget"]
    scheme = round_.scheme
    before = scheme_public_facts(scheme).budget
    assert "€\u00a0320.000" in client.get("/flexbudget/").content.decode()
    ApplicationFactory(round=round_, amount_cents=100_000, submitted=True)
    after_submission = scheme_public_facts(scheme).budget
    assert after_submission.in_process_cents == before.in_process_cents + 100_000
    assert after_submission.in_process_count == before.in_process_count + 1
    assessed = ApplicationFactory(round=round_, amount_cents=100_000, assessed=True)
    seen = scheme_public_facts(scheme).budget
    assert "€\u00a0320.000" in client.get("/flexbudget/").content.decode()
    facts.record_allocation(assessed, honoured=True, awarded_cents=100_000, rank=1)
    assert "€\u00a0319.000" in client.get("/flexbudget/").content.decode()
    assert scheme_public_facts(scheme).budget.available_cents == (
        seen.available_cents - 100_000
    )
