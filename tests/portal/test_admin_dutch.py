"""The Wagtail admin speaks Dutch only.

On the demo staff saw English: "Password" on the login form (Wagtail's form has no
label, so Django made one from the field name) and English month names. The admin
now offers Dutch only and the login form has Dutch labels.
"""

import re

import pytest
from django.conf import settings
from wagtail.admin.localization import get_available_admin_languages

from tests.factories import assessment_case

pytestmark = pytest.mark.django_db


def test_the_staff_login_form_is_dutch(client):
    """No "Password" on the login page: "Wachtwoord", as label and placeholder."""
    page = client.get("/admin/login/").content.decode()
    assert "Password" not in page and "Enter password" not in page
    assert re.search(r"<label[^>]*id_password[^>]*>\s*Wachtwoord", page)


def test_the_admin_offers_only_dutch_and_its_month_names_are_dutch(client):
    """Only Dutch can be chosen; the date picker's months on a staff form are Dutch."""
    assert get_available_admin_languages() == [("nl", "Nederlands")]
    assert settings.WAGTAIL_CONTENT_LANGUAGES == [
        ("nl", "Nederlands"),
        ("en", "English"),
    ]
    case = assessment_case()
    client.force_login(case.assessors[0])
    page = client.get(
        f"/admin/beoordelen/{case.application.pk}/aanvulling/"
    ).content.decode()
    assert '"MONTHS": ["januari", "februari", "maart"' in page
    assert "January" not in page and "February" not in page
    assert 'lang="nl"' in page
    account = client.get("/admin/account/").content.decode()
    assert "English" not in account
