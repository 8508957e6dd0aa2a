"""Test settings: fast hashing, mail kept in memory, tasks run at once."""

import copy

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, env

DATABASES = copy.deepcopy(DATABASES)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The test database lives in memory with a shared cache, which the live server's
    # thread shares in the browser tests. There a lock held by another connection
    # fails at once ("database table is locked": no busy timeout applies), and an
    # IMMEDIATE transaction takes the write lock even to read. So tests use deferred
    # transactions; a test on a real database file (the db_worker test) asks for the
    # embedded default with SQLITE_TRANSACTION_MODE=IMMEDIATE.
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = (
        env("SQLITE_TRANSACTION_MODE") or None
    )

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {
    "default": {
        "BACKEND": env(
            "DJANGO_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / "test-private"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# Every test request comes from 127.0.0.1: the per-IP limit would leak between tests.
# Tests of the limit lower it with the ``settings`` fixture.
LOGIN_LINK_LIMIT_PER_IP = 100_000
LOGIN_LINK_LIMIT_PER_EMAIL = 100_000
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PUBLIC_SITE_URL = "http://testserver"
