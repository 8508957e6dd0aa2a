"""Settings shared by every environment.

Every value comes from the environment, with a default that suits development. Nothing
here is read at import time by application code: use ``django.conf.settings``.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


SECRET_KEY = env("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "portal",
    "accounts",
    "subsidies",
    "beoordeling",
    "cms",
    "django_fsm",
    "import_export",
    "sesame",
    "django_otp",
    "csp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # /healthz for the load balancer, before the host check and the HTTPS redirect.
    "portal.health.HealthCheckMiddleware",
    "portal.limits.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "portal.csp.CSPMiddleware",
    "portal.security.SecurityHeadersMiddleware",
    "portal.security.RejectNulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Dutch by default, English by choice; staff screens stay Dutch (portal/i18n.py).
    "portal.i18n.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # The Wagtail site of the host from the cache (after the host check above).
    "cms.caching.CachedSiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.security.ResidentsOutOfTheAdminMiddleware",
    # Sessions end after a quiet period: staff and residents each their own.
    "portal.security.SessionExpiryMiddleware",
    "portal.security.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.context_processors.portal",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=0,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves the web server and the db_worker at once. WAL lets
    # readers go on while one writes; IMMEDIATE takes the write lock when a transaction
    # begins, so a transaction never fails halfway on "database is locked" when its
    # read wants to become a write (a deferred one cannot wait for that), and the
    # timeout (seconds) is how long a writer waits for the lock.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": int(env("SQLITE_BUSY_TIMEOUT", 20)),
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "sesame.backends.ModelBackend",
    # DigiD, eHerkenning and staff sign-on (accounts.oidc): each answers only the
    # callback of its own provider, and only when that provider is configured.
    "accounts.oidc.backends.DigiDBackend",
    "accounts.oidc.backends.EHerkenningBackend",
    "accounts.oidc.backends.StaffBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Dutch is the default; residents can switch to English (issue 18). The language comes
# from the cookie that ``set_language`` writes, so every URL stays as it is.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# The gemeente Utrecht NL Design System CSS is installed from npm by the setup command.
NODE_MODULES = BASE_DIR / "node_modules"
for _package in ("component-library-css", "design-tokens"):
    _dist = NODE_MODULES / "@utrecht" / _package / "dist"
    if _dist.is_dir():
        STATICFILES_DIRS.append((f"utrecht/{_package}", _dist))

MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Application documents and letters never live under MEDIA_ROOT: they are served by a
# view that checks who asks.
PRIVATE_MEDIA_ROOT = Path(
    env("DJANGO_PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private")
)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env(
    "DJANGO_DEFAULT_FROM_EMAIL", "Initiatiefloket <noreply@utrecht.example>"
)

TASKS = {
    "default": {
        "BACKEND": env("DJANGO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
    }
}

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"

SESAME_MAX_AGE = int(env("SESAME_MAX_AGE", 15 * 60))
SESAME_ONE_TIME = True

# The public address of the site, for links in e-mails (never taken from the request's
# Host header, so a forged header cannot redirect a login link).
PUBLIC_SITE_URL = env("PUBLIC_SITE_URL", "http://127.0.0.1:8000")

# Login links for residents: at most this many requests per e-mail address and per IP
# address within the window (seconds). Counted in the default cache.
LOGIN_LINK_LIMIT_PER_EMAIL = int(env("LOGIN_LINK_LIMIT_PER_EMAIL", 5))
LOGIN_LINK_LIMIT_PER_IP = int(env("LOGIN_LINK_LIMIT_PER_IP", 30))
LOGIN_LINK_LIMIT_WINDOW = int(env("LOGIN_LINK_LIMIT_WINDOW", 15 * 60))

# --- Login through an OpenID Connect broker (issue 17, accounts.oidc) ------------------
# A provider is offered once its issuer and client are set; its endpoints come from the
# issuer's discovery document. ``make run`` sets none of these (DEMO_OIDC=1 starts a
# local test provider and sets them); production sets them for DigiD, eHerkenning and the
# gemeente's staff sign-on (docs/deployment.md).


def _oidc_provider(prefix, **defaults):
    values = {
        "issuer": env(f"OIDC_{prefix}_ISSUER", "").rstrip("/"),
        "client_id": env(f"OIDC_{prefix}_CLIENT_ID", ""),
        "client_secret": env(f"OIDC_{prefix}_CLIENT_SECRET", ""),
    }
    for key, default in defaults.items():
        value = env(f"OIDC_{prefix}_{key.upper()}", default)
        values[key] = value
    return values


OIDC_PROVIDERS = {
    # Residents: the BSN only to match (a keyed hash), never kept or shown.
    "digid": _oidc_provider(
        "DIGID", scopes="openid bsn", bsn_claim="bsn", loa_claim="acr", min_loa="midden"
    ),
    # Organisations: the KvK number verified, the acting person by a pseudonym.
    "eherkenning": _oidc_provider(
        "EHERKENNING",
        scopes="openid kvk",
        kvk_claim="kvk",
        branch_claim="vestiging",
        acting_subject_claim="sub",
        loa_claim="acr",
        min_loa="eh3",
    ),
    # Staff: the gemeente's own identity provider; groups from a claim, the portal's
    # own TOTP step skipped only when acr/amr assert multi-factor.
    "medewerker": _oidc_provider(
        "STAFF",
        scopes="openid email profile groups",
        groups_claim="groups",
        # "claim value=portal group", comma separated.
        group_map=(
            "initiatiefloket-beoordelaar=Beoordelaar,"
            "initiatiefloket-besluitvormer=Besluitvormer,"
            "initiatiefloket-beheerder=Beheerder,"
            "initiatiefloket-bezwaar=Bezwaarbehandelaar,"
            "initiatiefloket-financieel=Financieel beheerder"
        ),
        mfa_amr="mfa,otp,hwk,swk,sms,fido",
        mfa_acr="",
    ),
}
OIDC_TIMEOUT = int(env("OIDC_TIMEOUT", 10))
OIDC_USE_PKCE = True
OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", "RS256")
# The issuer's discovery document is cached this long (seconds).
OIDC_DISCOVERY_CACHE_SECONDS = int(env("OIDC_DISCOVERY_CACHE_SECONDS", 3600))
# The login link by e-mail: the embedded default for the demo; production switches it
# off unless the gemeente sets LOGIN_EMAIL_LINK=1 (portal.settings.production).
LOGIN_EMAIL_LINK = env_bool("LOGIN_EMAIL_LINK", True)
# The key of the BSN's keyed hash (HMAC-SHA256): the BSN itself is never stored.
# Production requires its own (portal.settings.production); changing it unlinks every
# DigiD account from its person.
BSN_HASH_KEY = env("BSN_HASH_KEY", "") or f"bsn:{SECRET_KEY}"
# A resident's session ends after this many seconds without a request (DigiD's norm),
# with a warning this many seconds before.
RESIDENT_SESSION_SECONDS = int(env("RESIDENT_SESSION_SECONDS", 15 * 60))
SESSION_WARNING_SECONDS = int(env("SESSION_WARNING_SECONDS", 2 * 60))

# Rate limits live in the cache. One process: local memory. Several app servers: a
# shared cache, e.g. DJANGO_CACHE_BACKEND=django.core.cache.backends.db.DatabaseCache
# with DJANGO_CACHE_LOCATION=cache_table (run `manage.py createcachetable`).
CACHES = {
    "default": {
        "BACKEND": env(
            "DJANGO_CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"
        ),
        "LOCATION": env("DJANGO_CACHE_LOCATION", "initiatiefloket"),
    }
}

WAGTAIL_SITE_NAME = "Initiatiefloket gemeente Utrecht"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Wagtail's own locales translate the public pages (docs/decisions.md, "English").
WAGTAIL_I18N_ENABLED = True
# The admin speaks Dutch only: a staff member cannot pick another language (the
# date picker's month names follow it), and the login form has Dutch labels.
WAGTAILADMIN_PERMITTED_LANGUAGES = [("nl", "Nederlands")]
WAGTAIL_CONTENT_LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
WAGTAILADMIN_USER_LOGIN_FORM = "portal.admin_forms.StaffLoginForm"
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "dutch"}
}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "ods", "csv", "txt"]
# No shared-password private pages or documents: that form has no rate limit, and the
# portal has nothing private in the CMS. /_util/login/ goes to the residents' login.
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"SHARED_PASSWORD": False}
WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS = {"SHARED_PASSWORD": False}

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
APPLICATION_DOCUMENT_MAX_BYTES = int(
    env("APPLICATION_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)
)
# Per application: at most this many documents, together at most this many bytes.
# An office file (a zip archive) whose entries inflate to more than this is a zip bomb.
APPLICATION_DOCUMENT_MAX_INFLATED_BYTES = int(
    env("APPLICATION_DOCUMENT_MAX_INFLATED_BYTES", 200 * 1024 * 1024)
)
APPLICATION_DOCUMENTS_MAX_COUNT = int(env("APPLICATION_DOCUMENTS_MAX_COUNT", 20))
APPLICATION_DOCUMENTS_MAX_TOTAL_BYTES = int(
    env("APPLICATION_DOCUMENTS_MAX_TOTAL_BYTES", 50 * 1024 * 1024)
)

# A request body above this is refused (413) before it is read; the proxy in front
# refuses the same size (docs/deployment.md). Room for a supplement's ten files.
MAX_REQUEST_BODY_BYTES = int(env("DJANGO_MAX_REQUEST_BODY_BYTES", 60 * 1024 * 1024))

# The "Demo" banner on every page: the demo of `make run` only; production sets False.
DEMO_BANNER = env_bool("DJANGO_DEMO_BANNER", True)
# `manage.py seed_demo` (demo users with known passwords) refuses where this is False.
DEMO_DATA_ALLOWED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "wagtail": {"level": "WARNING"},
        # Logins, failed and refused attempts (accounts/audit.py, docs/security.md):
        # at INFO whatever DJANGO_LOG_LEVEL is, to the console like the rest.
        "initiatiefloket.audit": {"level": env("AUDIT_LOG_LEVEL", "INFO")},
    },
}

# --- security (see docs/security.md) -----------------------------------------------------
STAFF_SESSION_SECONDS = int(env("STAFF_SESSION_SECONDS", 30 * 60))
STAFF_REQUIRE_2FA = env_bool("STAFF_REQUIRE_2FA", False)
LOGIN_RATE_LIMIT_PER_IP = int(env("LOGIN_RATE_LIMIT_PER_IP", 20))
LOGIN_RATE_LIMIT_PER_USER = int(env("LOGIN_RATE_LIMIT_PER_USER", 5))
LOGIN_RATE_WINDOW_SECONDS = int(env("LOGIN_RATE_WINDOW_SECONDS", 15 * 60))
# An invitation to set up the second factor works once, for this many hours.
TWO_FACTOR_INVITATION_HOURS = int(env("TWO_FACTOR_INVITATION_HOURS", 72))
# A link confirming a contact address other than the login address (subsidies.
# contact_address) works once, for this many hours; at most this many are sent per
# resident per window (a new address, or "send again").
CONTACT_CONFIRMATION_HOURS = int(env("CONTACT_CONFIRMATION_HOURS", 48))
CONTACT_CONFIRMATION_LIMIT = int(env("CONTACT_CONFIRMATION_LIMIT", 3))
CONTACT_CONFIRMATION_WINDOW = int(env("CONTACT_CONFIRMATION_WINDOW", 60 * 60))
TRUSTED_PROXY_COUNT = int(env("DJANGO_TRUSTED_PROXY_COUNT", 0))
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Wagtail's admin sets style attributes; scripts stay without unsafe-inline.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Exports above this many rows run in the background.
EXPORT_BACKGROUND_THRESHOLD = int(env("EXPORT_BACKGROUND_THRESHOLD", 5000))

# The gemeente's account in the SEPA payment files (the debtor) and in terugvordering
# letters (where the money goes back to). The defaults are a valid demo account.
PAYMENTS_DEBTOR_NAME = env("PAYMENTS_DEBTOR_NAME", "Gemeente Utrecht")
PAYMENTS_DEBTOR_IBAN = env("PAYMENTS_DEBTOR_IBAN", "NL04BNGH0285170000")
PAYMENTS_DEBTOR_BIC = env("PAYMENTS_DEBTOR_BIC", "BNGHNL2G")
