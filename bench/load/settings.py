"""Settings for the load test only: as in production where it matters for speed
(DEBUG off, a connection pool on PostgreSQL), served on loopback, files in a
temporary directory, mail kept in memory, quiet logs.

The harness sets ``DATABASE_URL`` (a throw-away PostgreSQL database) and
``LOAD_MEDIA_ROOT`` (a temporary directory) for every process it starts; the ramp
also sets ``LOAD_URLCONF``.
"""

import tempfile
from pathlib import Path

from portal.settings.base import *  # noqa: F403
from portal.settings.base import DATABASES, ROOT_URLCONF, env

DEBUG = False
#: ``bench.load.urls`` adds the bare view the ramp measures (``bench/load/ramp.py``).
ROOT_URLCONF = env("LOAD_URLCONF", ROOT_URLCONF)
ALLOWED_HOSTS = ["127.0.0.1"]

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": int(env("DB_POOL_MAX", 4)),
        "timeout": 10,
    }

_files = Path(
    env("LOAD_MEDIA_ROOT", Path(tempfile.gettempdir()) / "initiatiefloket-load")
)
MEDIA_ROOT = _files / "media"
PRIVATE_MEDIA_ROOT = _files / "private"
STATIC_ROOT = _files / "static"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    },
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
