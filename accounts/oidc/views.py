"""Start a login at a provider, take its answer back, and end its session at logout.

mozilla-django-oidc's views do the protocol (state, nonce, PKCE, the code exchange);
these subclasses pick the provider, show a Dutch page when the login did not succeed
(cancelled, a level too low, a claim missing, no role, the provider unreachable), and
store what the login established (``session.store``).
"""

import json
import logging

import requests
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from portal.shared import language
from portal.shared.ratelimit import client_ip

from .. import audit
from . import assurance, providers, session

logger = logging.getLogger(__name__)

NAMES = {
    providers.DIGID: gettext_lazy("DigiD"),
    providers.EHERKENNING: gettext_lazy("eHerkenning"),
    providers.STAFF: gettext_lazy("het inlogsysteem van de gemeente"),
}

#: The failure page's title and text per reason.
FAILURES = {
    "cancelled": (
        gettext_lazy("Inloggen afgebroken"),
        gettext_lazy(
            "U heeft het inloggen met %(provider)s afgebroken. Er is niets bewaard of "
            "veranderd. U kunt het opnieuw proberen."
        ),
    ),
    "level": (
        gettext_lazy("Dit inlogmiddel is niet sterk genoeg"),
        gettext_lazy(
            "Voor het Initiatiefloket heeft u minimaal %(minimum)s nodig. U logde in "
            "op een lager niveau."
        ),
    ),
    "claims": (
        gettext_lazy("Inloggen is niet gelukt"),
        gettext_lazy(
            "We kregen van %(provider)s niet de gegevens die we nodig hebben om u "
            "te herkennen. Probeer het later opnieuw. Lukt het dan nog niet, bel "
            "dan 14 030."
        ),
    ),
    "role": (
        gettext_lazy("U heeft geen rol in het Initiatiefloket"),
        gettext_lazy(
            "U bent ingelogd bij de gemeente, maar u heeft geen rol als beoordelaar, "
            "besluitvormer of beheerder in het Initiatiefloket. Vraag uw "
            "leidinggevende of de functioneel beheerder om de juiste rol."
        ),
    ),
    "account": (
        gettext_lazy("Dit account kan zo niet inloggen"),
        gettext_lazy(
            "Er is al een account met dit e-mailadres, maar het is geen account voor "
            "medewerkers. Of wij hebben uw account uitgezet. Neem contact op met de "
            "functioneel beheerder."
        ),
    ),
    "error": (
        gettext_lazy("Inloggen is niet gelukt"),
        gettext_lazy(
            "Er ging iets mis bij het inloggen met %(provider)s. Er is niets bewaard "
            "of veranderd. Probeer het over een paar minuten opnieuw."
        ),
    ),
}


def _require(provider):
    """404 for a provider that is not configured, or a resident login not offered."""
    if provider == providers.STAFF:
        if not providers.staff_sign_on():
            raise Http404
    elif provider not in providers.resident_methods():
        raise Http404


class StartView(OIDCAuthenticationRequestView):
    """Send the browser to the provider (``/inloggen/<provider>/``)."""

    provider = None

    def __init__(self, *args, **kwargs):
        # mozilla-django-oidc reads its settings here; ours once the provider is known.
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get_settings(self, attr, *args):
        return providers.oidc_setting(self.provider, attr, args[0] if args else None)

    def get(self, request):
        _require(self.provider)
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.get_settings(
                "OIDC_OP_AUTHORIZATION_ENDPOINT"
            )
        except (requests.RequestException, ValueError, ImproperlyConfigured):
            logger.exception("OpenID provider %s unreachable", self.provider)
            return failure_page(request, self.provider, "error", status=503)
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        return super().get(request)

    def get_extra_params(self, request):
        # The level of assurance (acr) and, for staff, the methods used (amr) are
        # asked for in the ID token, where the provider signs them.
        claims = {"id_token": {"acr": {"essential": True}, "amr": None}}
        return {"ui_locales": "nl", "claims": json.dumps(claims, separators=(",", ":"))}


class CallbackView(OIDCAuthenticationCallbackView):
    """The provider's answer (``/inloggen/<provider>/callback/``)."""

    provider = None

    def get_settings(self, attr, *args):
        return providers.oidc_setting(self.provider, attr, args[0] if args else None)

    @property
    def success_url(self):
        target = self.request.session.get("oidc_login_next")
        if target:
            return target
        if self.provider == providers.STAFF:
            return reverse("wagtailadmin_home")
        return reverse("subsidies:my_applications")

    def get(self, request):
        _require(self.provider)
        request.oidc_provider = self.provider
        try:
            return super().get(request)
        except SuspiciousOperation as refused:
            # mozilla-django-oidc's protocol checks: a state this browser did not
            # send, a nonce or signature that does not match. Its messages name no
            # claim value.
            logger.warning("OpenID callback of %s refused: %s", self.provider, refused)
            return self.login_failure()
        except (requests.RequestException, ValueError, ImproperlyConfigured):
            logger.exception("OpenID login at %s failed", self.provider)
            return failure_page(request, self.provider, "error", status=502)

    def login_failure(self):
        request = self.request
        if request.GET.get("error") == "access_denied":
            reason = "cancelled"
        else:
            reason = getattr(request, "oidc_failure", "") or "error"
        audit.oidc_login_refused(
            provider=self.provider, reason=reason, ip=client_ip(request)
        )
        status = {"cancelled": 200, "level": 403, "role": 403, "account": 403}
        return failure_page(
            request, self.provider, reason, status=status.get(reason, 400)
        )

    def login_success(self):
        response = super().login_success()
        facts = self.request.oidc_login
        session.store(self.request, facts)
        session.logged_in_with_identity.send(
            sender=type(self), request=self.request, user=self.user, facts=facts
        )
        if self.provider != providers.STAFF:
            # No language chosen in this browser yet: the resident's recorded one.
            language.adopt_for_user(self.request, self.user)
            messages.success(
                self.request,
                _("U bent ingelogd met %(provider)s.")
                % {"provider": NAMES[self.provider]},
            )
        return response


#: What a resident can do about a level too low, per provider.
LEVEL_HINTS = {
    providers.DIGID: gettext_lazy(
        "Log opnieuw in met de DigiD app of met een sms-controle."
    ),
    providers.EHERKENNING: gettext_lazy(
        "Vraag bij uw organisatie een eHerkenning-middel van dit niveau aan en log "
        "daarmee opnieuw in."
    ),
}


def failure_page(request, provider, reason, *, status):
    title, text = FAILURES[reason]
    conf = providers.config(provider) or {}
    minimum = assurance.LABELS.get(conf.get("min_loa", ""), "")
    text = text % {"provider": NAMES[provider], "minimum": minimum}
    if reason == "level" and provider in LEVEL_HINTS:
        text = f"{text} {LEVEL_HINTS[provider]}"
    return render(
        request,
        "accounts/oidc_failed.html",
        {
            "title": title,
            "text": text,
            "provider": provider,
            "retry_url": reverse(f"accounts:oidc_{provider}_start"),
            "staff": provider == providers.STAFF,
        },
        status=status,
    )


def end_provider_session(request, method, *, default):
    """Where to send the browser after ``logout()``: the provider's end-session
    endpoint for an OIDC login (RP-initiated logout), ``default`` otherwise."""
    if method not in (providers.DIGID, providers.EHERKENNING, providers.STAFF):
        return default
    if not providers.is_configured(method):
        return default
    back = request.build_absolute_uri(reverse("accounts:logged_out"))
    try:
        return providers.logout_url(method, post_logout_redirect_uri=back) or default
    except (requests.RequestException, ValueError, ImproperlyConfigured):
        logger.exception("OpenID provider %s unreachable at logout", method)
        return default


def logged_out(request):
    """Where the provider sends the browser back after ending its session."""
    return render(request, "accounts/logged_out.html", {})


def start_view(provider):
    return StartView.as_view(provider=provider)


def callback_view(provider):
    return CallbackView.as_view(provider=provider)
