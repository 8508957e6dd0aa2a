"""The Content Security Policy, with the OpenID providers' logout allowed as a form target.

``form-action 'self'`` also binds the redirects after a form's POST: the logout button
posts to /uitloggen/ (or the admin's logout), which sends the browser on to the
provider's end-session endpoint (RP-initiated logout, ``accounts.oidc``). Chromium
refuses that redirect unless the provider's origin is a form target too. So every page
allows the origins of the configured providers' issuers, and nothing else; read from the
settings per response (no network), so a provider configured at run time counts.
"""

from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from django.conf import settings


def provider_origins():
    """The origins (scheme://host[:port]) of the configured OpenID providers."""
    origins = set()
    for values in settings.OIDC_PROVIDERS.values():
        if not (values.get("issuer") and values.get("client_id")):
            continue
        parts = urlsplit(values["issuer"])
        if parts.scheme in ("https", "http") and parts.netloc:
            origins.add(f"{parts.scheme}://{parts.netloc}")
    return sorted(origins)


class CSPMiddleware(BaseCSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        origins = provider_origins()
        if origins:
            update = dict(parts.update or {})
            update["form-action"] = [*update.get("form-action", ()), *origins]
            parts.update = update
        return parts
