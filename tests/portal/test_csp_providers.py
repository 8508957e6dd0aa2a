"""The Content-Security-Policy lets a form's answer go on to a configured OpenID
provider (its logout), and to nowhere else (portal/csp.py)."""

import pytest

from tests.services.oidc_provider import provider_settings

pytestmark = pytest.mark.django_db


def _form_action(response):
    policy = response["Content-Security-Policy"]
    directive = next(
        part.strip() for part in policy.split(";") if "form-action" in part
    )
    return directive.split()[1:]


def test_without_a_provider_forms_go_to_the_portal_only(client):
    assert _form_action(client.get("/inloggen/")) == ["'self'"]


def test_a_configured_provider_is_a_form_target_so_its_logout_redirect_works(
    client, settings
):
    base = provider_settings("https://broker.example.nl:8443/realms/utrecht")
    base["eherkenning"]["issuer"] = ""
    settings.OIDC_PROVIDERS = base
    targets = _form_action(client.get("/inloggen/"))
    assert targets == ["'self'", "https://broker.example.nl:8443"]
