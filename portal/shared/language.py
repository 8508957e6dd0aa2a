"""Whether the visitor chose the page's language, and keeping a resident's language at login.

A page is Dutch unless the language cookie (the switch in the header) says otherwise
(``portal.i18n``). Two things follow from that (issue 18):

- The applicant's mail language (``subsidies.mail_language.remember``) may only follow
  a language the visitor *chose*. A resident whose wijkbureau recorded English, and
  who opens the portal without a cookie, sees Dutch by default; a save must not turn
  the e-mails Dutch. :func:`chosen` tells whether the cookie was there.
- At login, a browser without a cookie takes the language recorded for the resident
  (:func:`adopt`, :func:`adopt_for_user`): the page after the login is in that
  language, and ``portal.i18n.LocaleMiddleware`` writes the cookie on the response.

This module is the bottom layer: ``accounts`` cannot ask ``subsidies`` for the
language of a user's applicants, so ``subsidies`` offers it at start-up
(:func:`provide`), as it does with the outbox.
"""

from contextvars import ContextVar

from django.conf import settings
from django.utils import translation

#: True: the page's language came from the visitor's cookie. False: no cookie, the
#: page is Dutch by default. None: not inside a request (a test, a job): the caller's
#: active language (``translation.override``) is its choice.
_chosen = ContextVar("portal_language_chosen", default=None)

#: The request attribute that asks ``LocaleMiddleware`` to write the cookie.
KEEP_ATTRIBUTE = "language_to_keep"

_language_for_user = None


def choosing(chosen):
    """Mark the current request (``LocaleMiddleware``); returns the token to reset."""
    return _chosen.set(bool(chosen))


def done(token):
    _chosen.reset(token)


def chosen():
    """Did the visitor choose the language of this request? None outside a request."""
    return _chosen.get()


def provide(language_for_user):
    """Called once by the app that knows the applicants (subsidies), at start-up."""
    global _language_for_user
    _language_for_user = language_for_user


def _supported(language):
    try:
        return translation.get_supported_language_variant(language or "")
    except LookupError:
        return ""


def adopt(request, language):
    """Show this request, and the next ones, in ``language`` when the browser has not
    chosen a language yet (no cookie). The response gets the cookie
    (``LocaleMiddleware.process_response``). Dutch, the default, needs no cookie.
    Returns the language adopted, or "" when nothing changed."""
    if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        return ""
    language = _supported(language)
    if not language or language == settings.LANGUAGE_CODE:
        return ""
    translation.activate(language)
    request.LANGUAGE_CODE = language
    setattr(request, KEEP_ATTRIBUTE, language)
    _chosen.set(True)
    return language


def adopt_for_user(request, user):
    """:func:`adopt` the language recorded for ``user``'s applications, if any."""
    if _language_for_user is None or user is None:
        return ""
    return adopt(request, _language_for_user(user))


def set_cookie(response, language):
    """The language cookie, exactly as Django's ``set_language`` (the switch) writes
    it: ``LANGUAGE_COOKIE_*`` (Secure and SameSite=Lax in production)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
