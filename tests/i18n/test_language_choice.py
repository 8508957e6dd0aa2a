"""Dutch unless the resident chose English; staff screens always Dutch (portal/i18n.py)."""

import re

import pytest
from django.conf import settings

from tests.factories import assessment_case

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME


def _lang(response):
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def test_an_english_browser_still_gets_dutch_until_the_resident_chooses(client):
    """The browser's Accept-Language does not decide: Dutch stays the default, and
    only the cookie written by the switch gives English."""
    response = client.get("/inloggen/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert _lang(response) == "nl"
    assert "Stuur mij een inloglink" in response.content.decode()
    client.cookies[COOKIE] = "en"
    response = client.get("/inloggen/", HTTP_ACCEPT_LANGUAGE="nl-NL")
    assert _lang(response) == "en"
    assert "Send me a login link" in response.content.decode()


def test_an_unknown_language_in_the_cookie_gives_dutch(client):
    """A cookie with a language the portal does not offer falls back to Dutch."""
    client.cookies[COOKIE] = "fr"
    assert _lang(client.get("/inloggen/")) == "nl"


def test_staff_screens_stay_dutch_when_the_browser_chose_english(client):
    """A staff member who switched the public site to English still gets the Wagtail
    admin and the assessment screens in Dutch, Dutch month names included."""
    case = assessment_case()
    client.force_login(case.assessors[0])
    client.cookies[COOKIE] = "en"
    page = client.get(
        f"/admin/beoordelen/{case.application.pk}/aanvulling/"
    ).content.decode()
    assert '"MONTHS": ["januari", "februari", "maart"' in page
    assert "January" not in page
    assert 'lang="nl"' in page
    assert _lang(client.get("/mijn-aanvragen/")) == "en"
