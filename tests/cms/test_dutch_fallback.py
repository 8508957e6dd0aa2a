"""A Dutch page served in English chrome says so and is marked lang="nl" (issue 18).

``HomePage.route`` serves a page that has no English translation from the Dutch tree.
Its own texts (title, introduction, body) are then Dutch inside an English page:
WCAG 3.1.2 asks for ``lang="nl"`` on them, and the resident reads in English that the
page is only in Dutch. A translated page and a Dutch visitor see neither.
"""

import re

import pytest
from django.conf import settings as django_settings
from django.utils import timezone
from wagtail.models import Locale

from beoordeling.assessment.demo import seed_rules
from cms.demo import seed_english, seed_pages
from cms.models import ContentPage, HomePage, SchemePage
from subsidies.demo import seed_reference_data, seed_rounds

pytestmark = pytest.mark.django_db

COOKIE = django_settings.LANGUAGE_COOKIE_NAME
NOTICE = "This page is only available in Dutch."


@pytest.fixture
def site():
    seed_reference_data()
    seed_rounds(timezone.now())
    seed_rules()
    seed_english(seed_pages())
    home = HomePage.objects.get(locale__language_code="nl")
    page = home.add_child(
        instance=ContentPage(
            title="Buurtfeest in de winter",
            slug="winterfeest",
            intro="Vier de winter met uw buren.",
            body=[("paragraph", "<p>Zet een kraam op het plein.</p>")],
        )
    )
    page.save_revision().publish()
    return home


def _main(response):
    assert response.status_code == 200
    html = response.content.decode()
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def _english(client):
    client.cookies[COOKIE] = "en"
    return client


def test_a_dutch_content_page_in_english_is_marked_dutch_with_a_notice(client, site):
    response = _english(client).get("/winterfeest/")
    html = response.content.decode()
    assert (
        'aria-current="page" lang="nl">Buurtfeest in de winter</span>' in html
    )  # the breadcrumb
    main = _main(response)
    assert re.search(
        r'<h1 class="utrecht-heading-1" lang="nl">Buurtfeest in de winter</h1>', main
    )
    assert NOTICE in main
    # The notice is English: it stands outside every lang="nl" element.
    notice_at = main.index(NOTICE)
    dutch_part = main.index('<div lang="nl">')
    assert notice_at < dutch_part
    dutch = main[dutch_part:]
    assert "Vier de winter met uw buren." in dutch
    assert "Zet een kraam op het plein." in dutch


def test_the_same_page_in_dutch_has_no_notice_and_no_marks(client, site):
    main = _main(client.get("/winterfeest/"))
    assert "Buurtfeest in de winter" in main
    assert NOTICE not in main and "alleen in het Nederlands" not in main
    assert "lang=" not in main


def test_a_translated_page_in_english_has_no_notice(client, site):
    main = _main(_english(client).get("/hulp/"))
    assert NOTICE not in main
    assert 'lang="nl"' not in main.split('class="portal-two-columns__aside"')[0]


def test_a_dutch_scheme_page_in_english_marks_its_own_texts(client, site):
    """Without its English translation the scheme page comes from the Dutch tree: the
    editor's title, introduction and body are marked lang="nl", with the notice; the
    live facts around them stay English."""
    english = Locale.objects.get(language_code="en")
    SchemePage.objects.get(locale=english, scheme__slug="flexbudget").delete()
    dutch = SchemePage.objects.get(
        locale__language_code="nl", scheme__slug="flexbudget"
    )
    main = _main(_english(client).get("/flexbudget/"))
    assert f'<h1 class="utrecht-heading-1" lang="nl">{dutch.title}</h1>' in main
    assert NOTICE in main
    assert re.search(
        r'<p class="utrecht-paragraph utrecht-paragraph--lead" lang="nl">', main
    )
    assert "In short" in main
