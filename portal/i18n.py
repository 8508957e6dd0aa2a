"""Which language a page speaks (issue 18).

Residents choose Dutch or English with the switch in the header (Django's
``set_language``, which writes the language cookie). Dutch is the default: the
browser's Accept-Language is not used, so a resident only sees English after
choosing it, and every URL stays the same in both languages. Staff screens (the
Wagtail admin with the assessment and decision screens, and the Django admin) stay
Dutch even when the same browser chose English on the public site.

A logged-in resident's switch also sets the language of the e-mails about their
applications (``set_language`` below, ``subsidies.mail_language``). Whether the
visitor chose the language (the cookie was there, or the session kept the language
adopted at login) is kept for the request in ``portal.shared.language``: only a
chosen language becomes the mail language. At login a browser without a cookie takes
the resident's recorded language (``portal.shared.language.adopt``); the session
keeps it until the logout, so the next resident on a shared computer starts in Dutch.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.views.i18n import set_language as django_set_language

from portal.shared import language as chosen_language

#: Paths that are staff screens and always Dutch.
STAFF_PREFIXES = ("/admin/", "/django-admin/")


def _chosen_language(request):
    """The language the visitor chose, or "": none on staff screens; else the
    cookie's (the switch), else the one adopted at login and kept in the session."""
    if request.path_info.startswith(STAFF_PREFIXES):
        return ""
    return chosen_language.cookie_language(request) or chosen_language.adopted(request)


def language_for(request):
    """The language of ``request``: Dutch on staff screens, else the cookie's choice
    when it is one of ``LANGUAGES``, else the language adopted at login in this
    session, else Dutch."""
    return _chosen_language(request) or settings.LANGUAGE_CODE


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware with the language from :func:`language_for`; it
    records for the request whether the visitor chose it (the cookie, or the session's
    language adopted at login: ``portal.shared.language.adopt``)."""

    # __call__ below wraps the request synchronously (the portal runs under WSGI).
    async_capable = False

    def __call__(self, request):
        # Set here, reset after the response: a later request, or work outside a
        # request in the same thread, never sees this request's answer.
        token = chosen_language.choosing(bool(_chosen_language(request)))
        try:
            return super().__call__(request)
        finally:
            chosen_language.done(token)

    def process_request(self, request):
        translation.activate(language_for(request))
        request.LANGUAGE_CODE = translation.get_language()


def set_language(request):
    """Django's ``set_language`` (the switch in the header); a logged-in resident's
    choice is also the language of the e-mails about their applications, also the
    ones staff send later (``subsidies.mail_language``). Staff are left alone."""
    from subsidies.mail_language import remember_for_member

    response = django_set_language(request)
    language = request.POST.get("language")
    if (
        request.method == "POST"
        and language
        and translation.check_for_language(language)
        and getattr(request, "user", None) is not None
    ):
        remember_for_member(request.user, language)
    return response
