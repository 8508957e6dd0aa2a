"""Residents read the portal in English when they choose it; Dutch stays the default.

The language comes from the cookie that Django's ``set_language`` writes, so every
URL stays the same and switching keeps the page. The Wagtail pages are translations
in Wagtail's own ``en`` locale (cms/demo_en.py). These tests use tests/i18n/urls.py,
which adds ``set_language`` at /i18n/setlang/ while portal/urls.py lacks it.
"""

import re
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone, translation

from beoordeling.assessment.demo import seed_rules
from beoordeling.decisions.services.letters import next_kenmerk, store_letter
from beoordeling.models import Decision, DecisionKind
from cms.demo import seed_english, seed_pages
from cms.models import ContentPage, HomePage, SchemePage
from subsidies.demo import seed_reference_data, seed_rounds
from subsidies.selectors.access import decision_letters_for
from tests.factories import ApplicationFactory, decision_maker

pytestmark = pytest.mark.django_db

COOKIE = django_settings.LANGUAGE_COOKIE_NAME


@pytest.fixture(autouse=True)
def urls(settings):
    settings.ROOT_URLCONF = "tests.i18n.urls"


@pytest.fixture
def site():
    seed_reference_data()
    seed_rounds(timezone.now())
    seed_rules()
    home = seed_pages()
    seed_english(home)
    return home


def _english(client):
    client.cookies[COOKIE] = "en"
    return client


def _lang(response):
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def _h1(response):
    match = re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S)
    return " ".join(re.sub(r"<[^>]+>", "", match.group(1)).split())


def test_dutch_is_the_default(client, site):
    """Without a choice the home page is Dutch, with <html lang="nl">."""
    response = client.get("/")
    assert _lang(response) == "nl"
    assert _h1(response) == "Geld voor uw plan in de buurt"
    assert "Direct naar de inhoud" in response.content.decode()


def test_the_english_pages_are_wagtail_translations_with_the_same_urls(site):
    """The seed makes an English translation of the home page, each scheme page and
    each content page (same translation key, locale en, same slug below home)."""
    for model in (HomePage, SchemePage, ContentPage):
        for page in model.objects.filter(locale__language_code="nl"):
            english = page.get_translation(
                page.locale.__class__.objects.get(language_code="en")
            )
            assert english.live
            assert english.title != page.title or page.slug == "privacy"
            if model is not HomePage:
                assert english.slug == page.slug
    assert SchemePage.objects.filter(locale__language_code="en").count() == 3
    seed_english(site)  # idempotent
    assert SchemePage.objects.filter(locale__language_code="en").count() == 3


def test_the_home_help_and_scheme_pages_in_english(client, site):
    """With the English cookie the same URLs show the English Wagtail pages, the
    English header, menu, help block and footer, and <html lang="en">."""
    _english(client)
    home = client.get("/")
    html = home.content.decode()
    assert _lang(home) == "en"
    assert _h1(home) == "Money for your plan in the neighbourhood"
    for text in (
        "Skip to content",
        "My applications",
        "Quick check",
        "About this website",
    ):
        assert text in html
    assert "Mijn aanvragen" not in html
    # The help block's texts are the settings' defaults, shown in English.
    assert "Call and ask for the wijkbureau of your district." in html
    assert "Monday to Friday from 8.30 to 17.00" in html
    # The cards link to the English scheme pages at the Dutch URLs.
    assert 'href="/initiatievenfonds/"' in html
    scheme = client.get("/initiatievenfonds/")
    assert scheme.status_code == 200
    assert _lang(scheme) == "en"
    assert _h1(scheme).startswith("Initiatievenfonds (fund for resident initiatives)")
    assert "What can you get money for?" in scheme.content.decode()
    assert "How do we decide the amount?" in scheme.content.decode()
    help_page = client.get("/hulp/")
    assert _h1(help_page) == "Help with your application"
    assert "The wijkbureau (district office)" in help_page.content.decode()


def test_the_language_switch_posts_to_set_language_and_keeps_the_page(client, site):
    """The header has a form to set_language with next = this page (query string
    included) and one button per language, each with its own lang attribute; the
    active one is pressed. Choosing English returns to the same page, in English, and
    choosing Nederlands goes back."""
    page = client.get("/aanvragen/?regeling=initiatievenfonds")
    html = page.content.decode()
    form = re.search(r'<form[^>]*action="/i18n/setlang/".*?</form>', html, re.S).group(
        0
    )
    assert 'name="next" value="/aanvragen/?regeling=initiatievenfonds"' in form
    assert re.search(r'value="en" lang="en"[^>]*aria-pressed="false">English<', form)
    assert re.search(r'value="nl" lang="nl"[^>]*aria-pressed="true">Nederlands<', form)

    response = client.post(
        "/i18n/setlang/",
        {"language": "en", "next": "/aanvragen/?regeling=initiatievenfonds"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/aanvragen/?regeling=initiatievenfonds"
    assert client.cookies[COOKIE].value == "en"
    english = client.get(response["Location"])
    assert _lang(english) == "en"
    assert _h1(english) == "Quick check: which scheme fits your plan?"
    assert re.search(
        r'value="en" lang="en"[^>]*aria-pressed="true"', english.content.decode()
    )

    back = client.post("/i18n/setlang/", {"language": "nl", "next": "/aanvragen/"})
    assert back["Location"] == "/aanvragen/"
    assert (
        _h1(client.get("/aanvragen/"))
        == "Snelle check: welke regeling past bij uw plan?"
    )


def test_form_errors_and_the_error_summary_are_english(client, site):
    """A wrong e-mail address on the login page gives the English message, in the
    summary and at the field, and the page title counts the error in English."""
    _english(client)
    response = client.post("/inloggen/", {"email": "fatima@"})
    html = response.content.decode()
    assert "Enter an e-mail address like name@example.com." in html
    assert "There is 1 thing you need to change" in html
    assert re.search(r"<title>Error: 1 error - ", html)


def test_the_login_link_mail_is_english_when_asked_for_in_english(client, site):
    """A resident who asks for a login link on the English page gets the e-mail in
    English (the language of the request that sends it; no language is stored on the
    account)."""
    _english(client)
    client.post("/inloggen/", {"email": "sam@example.org"})
    message = mail.outbox[-1]
    assert message.subject == "Your login link for the Initiatiefloket"
    assert "Open this link:" in message.body
    assert "The link works for 15 minutes and only once." in message.body

    mail.outbox.clear()
    client.cookies[COOKIE] = "nl"
    client.post("/inloggen/", {"email": "sam@example.org"})
    assert mail.outbox[-1].subject == "Uw inloglink voor het Initiatiefloket"


def test_mijn_aanvragen_and_the_status_page_in_english(client, site):
    """A resident's list and status page speak English: status names, facts and
    the timeline; the application's own answers stay as typed."""
    application = ApplicationFactory(submitted=True, title="Buurtmaaltijd Ondiep")
    client.force_login(application.applicant_user)
    _english(client)
    mine = client.get("/mijn-aanvragen/")
    assert _lang(mine) == "en"
    assert _h1(mine) == "My applications"
    assert "Received" in mine.content.decode()
    detail = client.get(f"/mijn-aanvragen/{application.reference}/")
    html = detail.content.decode()
    assert _h1(detail) == "Buurtmaaltijd Ondiep"
    assert "You have sent the application. We have received it." in html
    assert "Amount requested" in html
    assert "U heeft de aanvraag verstuurd" not in html


def test_a_dutch_page_without_a_translation_is_served_in_english_chrome(client, site):
    """A page an editor adds in Dutch only is not a 404 for an English visitor: it
    is served from the Dutch tree, at its own address, with the English header."""
    home = HomePage.objects.get(locale__language_code="nl")
    page = home.add_child(
        instance=ContentPage(title="Buurtfeest in de winter", slug="winterfeest")
    )
    page.save_revision().publish()
    _english(client)
    response = client.get("/winterfeest/")
    assert response.status_code == 200
    assert _h1(response) == "Buurtfeest in de winter"
    assert _lang(response) == "en"
    assert client.get("/bestaat-ook-niet/").status_code == 404


def test_the_404_page_is_english(client, site):
    """An unknown address answers with the English 404 page."""
    _english(client)
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "This page does not exist" in response.content.decode()


def _award_letter(application):
    today = timezone.localdate()
    kenmerk = next_kenmerk(year=today.year)
    actor = decision_maker()
    document = store_letter(
        application=application,
        name=f"verlening-{kenmerk}.pdf",
        pdf=b"%PDF-1.4\n%%EOF\n",
        digest="0" * 64,
        actor=actor,
        at=timezone.now(),
    )
    return Decision.objects.create(
        application=application,
        kind=DecisionKind.VERLENING,
        kenmerk=kenmerk,
        date_sent=today,
        bezwaar_deadline=today + timedelta(days=42),
        amount_cents=155_000,
        sha256="0" * 64,
        document=document,
        created_by=actor,
        created_at=timezone.now(),
    )


def test_the_english_summary_of_a_dutch_decision_letter(site):
    """The letter summary shows, in English, the kind, kenmerk, date, amount, what
    it means and until when to object, links the Dutch PDF and says the Dutch letter
    is the legal text; in Dutch it shows nothing (the letter itself is Dutch)."""
    application = ApplicationFactory(submitted=True)
    decision = _award_letter(application)
    letters = decision_letters_for(application)
    request = RequestFactory().get(f"/mijn-aanvragen/{application.reference}/")
    with translation.override("en"):
        html = render_to_string(
            "subsidies/includes/letter_summary_en.html", {"letters": letters}, request
        )
        deadline = f"{decision.bezwaar_deadline:%-d} {decision.bezwaar_deadline:%B %Y}"
    text = " ".join(re.sub(r"<[^>]+>", " ", html).replace("\xa0", " ").split())
    assert "Our decisions in short" in text
    assert decision.kenmerk in text
    assert "€ 1.550,00" in text
    assert "You get a subsidy." in text
    assert f"you can object (bezwaar) until {deadline} inclusive" in text
    assert "Only the Dutch letter is the official decision." in text
    assert f"/mijn-aanvragen/{application.reference}/bezwaar/" in html
    assert "The letter in Dutch (PDF" in text
    with translation.override("nl"):
        dutch = render_to_string(
            "subsidies/includes/letter_summary_en.html", {"letters": letters}, request
        )
    assert dutch.strip() == ""
