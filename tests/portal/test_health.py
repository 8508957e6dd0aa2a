"""/healthz for the load balancer, the 503 page while the database is unreachable, and
the demo banner as a setting."""

import json

import pytest
from django.db import OperationalError
from django.test import RequestFactory

from portal.health import server_error


@pytest.mark.django_db
def test_healthz_reports_database_cache_and_storage_without_personal_data(client):
    """200 with one word per service; asked by address (any Host) over plain HTTP."""
    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert json.loads(response.content) == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "storage": "ok"},
    }


@pytest.mark.django_db
def test_healthz_is_503_when_the_cache_is_unreachable(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["checks"]["cache"] == "fout"
    assert body["checks"]["database"] == "ok"
    assert "redis" not in response.content.decode().lower()


def test_an_unreachable_database_gives_the_dutch_503_page_with_retry_after():
    request = RequestFactory().get("/aanvragen/")
    try:
        raise OperationalError("connection failed: Connection refused")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "Het Initiatiefloket is even niet beschikbaar" in html
    assert '<html lang="nl"' in html


def test_any_other_error_keeps_the_500_page():
    request = RequestFactory().get("/")
    try:
        raise ValueError("boom")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500
    assert "Er ging bij ons iets mis" in response.content.decode()


@pytest.mark.django_db
def test_the_demo_banner_is_a_setting(client, settings):
    """On in the demo (the default of the embedded settings), off in production."""
    settings.DEMO_BANNER = True
    assert "portal-demo-banner" in client.get("/inloggen/").content.decode()
    settings.DEMO_BANNER = False
    assert "portal-demo-banner" not in client.get("/inloggen/").content.decode()
