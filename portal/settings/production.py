"""Production: several stateless app servers behind a load balancer (docs/deployment.md).

Everything that more than one app server must see lives outside the process: PostgreSQL
(a connection pool per process, each connection checked before use), Redis (the cache:
rate limits and login-link counters) and an S3-compatible bucket (documents and
decision letters, private, served only through the views that check who asks; the
CMS's images and documents, private too, their renditions and documents streamed by
the portal: portal/media.py).

Fails closed: without DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, PUBLIC_SITE_URL,
DATABASE_URL (PostgreSQL), REDIS_URL or DJANGO_S3_BUCKET the process stops at start
with one line naming what is missing.
"""

import os
import sys

from .base import *  # noqa: F403
from .base import DATABASES, MIDDLEWARE, SECRET_KEY, env, env_bool

DEBUG = False
DEMO_BANNER = False
DEMO_DATA_ALLOWED = False

REQUIRED = (
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "PUBLIC_SITE_URL",
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_S3_BUCKET",
)
_missing = [name for name in REQUIRED if not os.environ.get(name, "").strip()]
if _missing:
    sys.exit(
        "portal.settings.production refuses to start: set "
        + ", ".join(_missing)
        + " (docs/deployment.md)."
    )
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-only"):
    sys.exit(
        "portal.settings.production refuses to start: DJANGO_SECRET_KEY must be a "
        "random value of at least 50 characters (docs/deployment.md)."
    )
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    sys.exit(
        "portal.settings.production refuses to start: DATABASE_URL must point at "
        "PostgreSQL (docs/deployment.md)."
    )

# WhiteNoise serves the collected static files right after the security middleware.
MIDDLEWARE = list(MIDDLEWARE)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
# And /media/: Wagtail's image renditions from the bucket (portal/media.py).
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
    "portal.media.RenditionMiddleware",
)

# A pooled connection is checked before it is handed out, so connections the database
# dropped (a restart, pg_terminate_backend) are replaced instead of failing a request.
# While the database cannot be reached a request waits at most DB_POOL_TIMEOUT seconds
# and gets the 503 page (portal.health.server_error).
# (Django passes ConnectionPool.check_connection to the pool when CONN_HEALTH_CHECKS.)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
    "min_size": int(env("DB_POOL_MIN", 2)),
    "max_size": int(env("DB_POOL_MAX", 10)),
    "timeout": float(env("DB_POOL_TIMEOUT", 3)),
}
DATABASES["default"]["OPTIONS"].setdefault(
    "connect_timeout", int(env("DB_CONNECT_TIMEOUT", 3))
)

# One cache for every app server: rate limits and login-link counters hold across them.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("REDIS_URL"),
        "KEY_PREFIX": env("REDIS_KEY_PREFIX", "initiatiefloket"),
        "OPTIONS": {
            "socket_connect_timeout": 2,
            "socket_timeout": 2,
        },
    }
}

# Application documents and decision letters: a private bucket. Nothing in it has a
# public URL; the views that check who asks stream the files. Credentials come from
# the usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or the machine's role).
# (scripts/bucket_backup.py reads the same variables for the backup.)
_BUCKET = {
    "bucket_name": env("DJANGO_S3_BUCKET"),
    "endpoint_url": env("DJANGO_S3_ENDPOINT_URL") or None,
    "region_name": env("DJANGO_S3_REGION", "eu-west-1"),
    "default_acl": "private",
    "querystring_auth": True,
    "file_overwrite": False,
    "addressing_style": env("DJANGO_S3_ADDRESSING_STYLE") or None,
}
# Wagtail's images, renditions and documents (the default storage): the same bucket,
# their own prefix, private as well. The portal streams the renditions (/media/images/,
# RenditionMiddleware above) and, through Wagtail's serve view, the documents; see
# portal/media.py for why.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
STORAGES = {
    "default": {
        "BACKEND": "portal.media.PublicMediaStorage",
        "OPTIONS": {**_BUCKET, "location": env("DJANGO_S3_PUBLIC_PREFIX", "public")},
    },
    "private": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_BUCKET, "location": env("DJANGO_S3_PREFIX", "private")},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

STAFF_REQUIRE_2FA = env_bool("STAFF_REQUIRE_2FA", True)
# Residents log in with DigiD or eHerkenning; the login link by e-mail only where the
# gemeente switches it on (LOGIN_EMAIL_LINK=1, e.g. while DigiD is being connected).
LOGIN_EMAIL_LINK = env_bool("LOGIN_EMAIL_LINK", False)
# Every login identity (the BSN, eHerkenning's acting person, the staff sub) is found by
# a keyed hash: without a key of its own, rotating DJANGO_SECRET_KEY would give every
# DigiD, eHerkenning and staff sign-on a new account.
_providers = OIDC_PROVIDERS.values()  # noqa: F405
if (
    any(values["issuer"] for values in _providers)
    and not env("BSN_HASH_KEY", "").strip()
):
    sys.exit(
        "portal.settings.production refuses to start: a login provider (DigiD, "
        "eHerkenning or staff sign-on) is configured, so set BSN_HASH_KEY, the key "
        "of the identities' keyed hash (docs/deployment.md)."
    )
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", 8 * 60 * 60))
CSRF_COOKIE_HTTPONLY = True

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = int(env("DJANGO_HSTS_SECONDS", 31536000))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
# Only for the file-based backend (the smoke stage reads the login links from there).
EMAIL_FILE_PATH = env("DJANGO_EMAIL_FILE_PATH")
