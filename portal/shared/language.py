"""Whether the visitor chose the page's language, and keeping a resident's language at login.

A page is Dutch unless the language cookie (the switch in the header) says otherwise
(``portal.i18n``). Two things follow from that (issue 18):

- The applicant's mail language (``subsidies.mail_language.remember``) may only follow
  a language the visitor *chose*. A resident whose wijkbureau recorded English, and
  who opens the portal without a cookie, sees Dutch by default; a save must not turn
  the e-mails Dutch. :func:`chosen` tells whether the cookie was there.
- At login, a browser without a cookie takes the language recorded for the resident
  (:func:`adopt`, :func:`adopt_for_user`): the page after the login, and every page
  until the logout, is in that language. It is kept in the session, not in a cookie:
  on a shared computer (a buurthuis) the next resident starts in Dutch again, and
  their saves do not record the previous resident's language.

This module is the bottom layer: ``accounts`` cannot ask ``subsidies`` for the
language of a user's applicants, so ``subsidies`` offers it at start-up
(:func:`provide`), as it does with the outbox.
"""

from contextvars import ContextVar

from django.conf import settings
from django.utils import translation

#: True: the page's language came from the visitor's cookie, or from the session
#: (adopted at login). False: neither, the page is Dutch by default. None: not inside a request (a test, a job): the caller's
#: active language (``translation.override``) is its choice.
_chosen = ContextVar("portal_language_chosen", default=None)

#: The session key of the language adopted at login; the logout flushes it.
SESSION_KEY = "portal_language"

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


def supported(language, default=""):
    """``language`` as one of ``LANGUAGES`` (``en-gb`` -> ``en``), else ``default``."""
    try:
        return translation.get_supported_language_variant(language or "")
    except LookupError:
        return default


def cookie_language(request):
    """The supported language of the switch's cookie, or "" (none, or an unknown one)."""
    return supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))


def adopted(request):
    """The language adopted at login in this session (:func:`adopt`), or "".

    A visitor without a session cookie has nothing to read: no query, and the
    session is not marked as accessed (no ``Vary: Cookie`` on anonymous pages)."""
    session = getattr(request, "session", None)
    if session is None or not session.session_key:
        return ""
    return supported(session.get(SESSION_KEY))


def adopt(request, language):
    """Show this request, and the next ones until the logout, in ``language`` when
    the browser has not chosen a language yet (no cookie). Kept in the session
    (``LocaleMiddleware`` reads it), never in a cookie that outlives the logout.
    Dutch, the default, needs nothing. Returns the language adopted, or "" when
    nothing changed."""
    if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        return ""
    language = supported(language)
    if not language or language == settings.LANGUAGE_CODE:
        return ""
    translation.activate(language)
    request.LANGUAGE_CODE = language
    request.session[SESSION_KEY] = language
    _chosen.set(True)
    return language


def logged_out(request):
    """The logout flushed the session, and with it the language adopted at login: the
    rest of this request (the message "U bent uitgelogd.") speaks the cookie's
    language again, else Dutch."""
    language = cookie_language(request)
    translation.activate(language or settings.LANGUAGE_CODE)
    request.LANGUAGE_CODE = translation.get_language()
    _chosen.set(bool(language))


def adopt_for_user(request, user):
    """:func:`adopt` the language recorded for ``user``'s applications, if any."""
    if _language_for_user is None or user is None:
        return ""
    return adopt(request, _language_for_user(user))
