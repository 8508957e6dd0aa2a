import os

import pytest
from django.db import connection

# Playwright's sync API runs an event loop in the test thread; the ORM must still work.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture
def on_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://...")


@pytest.fixture(autouse=True)
def settings_are_restored():
    """Every test leaves Django's settings as it found them.

    Mixing ``@override_settings`` with assignments through pytest-django's ``settings``
    fixture in one test restores the decorator's values at teardown, for every later
    test on that worker (it once switched the second factor on for the rest of a run).
    """
    from django.conf import settings

    before = settings._wrapped
    yield
    assert settings._wrapped is before, (
        "this test left changed settings behind: use either @override_settings or the "
        "settings fixture, not both"
    )


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache: the rate limits count per user id, and
    on SQLite a rolled-back test hands the same ids to the next test, so a count left
    behind once stopped a later test's contact-address link (issue 14)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def dutch_by_default():
    """Every test starts in Dutch, the portal's default. A request's LocaleMiddleware
    activates its language in the thread and nothing deactivates it afterwards, so an
    English request once left a later test's expected dates in English ("4 September
    2027" against the page's "4 september 2027") when the random order put it there."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def oidc_issuer(live_server):
    """A real OpenID provider (tests/oidc/provider.mjs) for this worker's live server."""
    from tests.services.oidc_provider import oidc_provider

    with oidc_provider([live_server.url]) as issuer:
        yield issuer


@pytest.fixture
def oidc(settings, oidc_issuer, live_server):
    """DigiD, eHerkenning and staff sign-on configured against the test provider, on
    the live server (``PUBLIC_SITE_URL`` too); yields the issuer."""
    from tests.services.oidc_provider import provider_settings

    settings.OIDC_PROVIDERS = provider_settings(oidc_issuer)
    settings.PUBLIC_SITE_URL = live_server.url
    yield oidc_issuer
