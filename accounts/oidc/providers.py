"""Which OpenID providers are configured, their endpoints, and the logins offered.

``settings.OIDC_PROVIDERS`` holds one entry per provider (``digid``, ``eherkenning``,
``medewerker``), read from the environment in ``portal.settings.base``. A provider is
configured when its issuer and client id are set; its endpoints come from the issuer's
discovery document (``/.well-known/openid-configuration``), fetched once and kept in the
cache for ``OIDC_DISCOVERY_CACHE_SECONDS``.
"""

from urllib.parse import urlencode

import requests
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

DIGID = "digid"
EHERKENNING = "eherkenning"
STAFF = "medewerker"
RESIDENT_PROVIDERS = (DIGID, EHERKENNING)
EMAIL = "email"


def config(name):
    """The provider's settings (a dict), or None when it is not configured."""
    values = settings.OIDC_PROVIDERS.get(name) or {}
    if values.get("issuer") and values.get("client_id"):
        return values
    return None


def is_configured(name):
    return config(name) is not None


def resident_methods():
    """The resident logins the login page offers, in its order: DigiD, eHerkenning,
    then the e-mail link where it is switched on (``settings.LOGIN_EMAIL_LINK``)."""
    methods = [name for name in RESIDENT_PROVIDERS if is_configured(name)]
    if settings.LOGIN_EMAIL_LINK:
        methods.append(EMAIL)
    return methods


def staff_sign_on():
    """True when staff may log in through the gemeente's identity provider."""
    return is_configured(STAFF)


def endpoints(name):
    """The provider's discovery document (authorization, token, userinfo, jwks and
    end-session endpoints). Raises ``ImproperlyConfigured`` when the provider is not
    configured and ``requests.RequestException`` when the issuer cannot be reached."""
    values = config(name)
    if values is None:
        raise ImproperlyConfigured(f"OpenID provider {name!r} is not configured")
    issuer = values["issuer"]
    key = f"oidc-discovery:{issuer}"
    document = cache.get(key)
    if document is None:
        response = requests.get(
            f"{issuer}/.well-known/openid-configuration",
            timeout=settings.OIDC_TIMEOUT,
        )
        response.raise_for_status()
        document = response.json()
        if not isinstance(document, dict):
            raise ImproperlyConfigured(
                f"OpenID provider {name!r}: the discovery document is not an object"
            )
        if str(document.get("issuer", "")).rstrip("/") != issuer.rstrip("/"):
            raise ImproperlyConfigured(
                f"OpenID provider {name!r}: the discovery document names another issuer"
            )
        cache.set(key, document, settings.OIDC_DISCOVERY_CACHE_SECONDS)
    return document


def oidc_setting(name, attr, default):
    """mozilla-django-oidc's setting ``attr`` for provider ``name``: its client and
    endpoints from our provider settings, the rest from Django's settings."""
    values = config(name)
    if values is None:
        raise ImproperlyConfigured(f"OpenID provider {name!r} is not configured")
    own = {
        "OIDC_RP_CLIENT_ID": values["client_id"],
        "OIDC_RP_CLIENT_SECRET": values["client_secret"],
        "OIDC_RP_SCOPES": values["scopes"],
        "OIDC_AUTHENTICATION_CALLBACK_URL": f"accounts:oidc_{name}_callback",
        "OIDC_STORE_ID_TOKEN": False,
        "OIDC_STORE_ACCESS_TOKEN": False,
        "OIDC_CREATE_USER": True,
        "OIDC_USE_NONCE": True,
        "OIDC_USE_PKCE": settings.OIDC_USE_PKCE,
        "OIDC_RP_SIGN_ALGO": settings.OIDC_RP_SIGN_ALGO,
        "OIDC_TIMEOUT": settings.OIDC_TIMEOUT,
    }
    if attr in own:
        return own[attr]
    lazy_endpoints = {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
        "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
        "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
        "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    }
    if attr in lazy_endpoints:
        url = endpoints(name).get(lazy_endpoints[attr])
        if not url:
            raise ImproperlyConfigured(
                f"OpenID provider {name!r} names no {lazy_endpoints[attr]}"
            )
        return url
    return getattr(settings, attr, default)


def logout_url(name, *, post_logout_redirect_uri):
    """The provider's end-session URL (RP-initiated logout), or None when it has none.

    Sent with ``client_id`` rather than ``id_token_hint``: the portal does not keep the
    ID token, which may carry the BSN (docs/decisions.md)."""
    document = endpoints(name)
    end_session = document.get("end_session_endpoint")
    if not end_session:
        return None
    query = urlencode(
        {
            "client_id": config(name)["client_id"],
            "post_logout_redirect_uri": post_logout_redirect_uri,
        }
    )
    return f"{end_session}?{query}"
