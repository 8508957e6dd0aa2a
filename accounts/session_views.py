"""The end of a quiet session, as a resident's page announces it.

A resident's session ends after ``RESIDENT_SESSION_SECONDS`` without a request
(``portal.security.SessionExpiryMiddleware``). The page warns before it does
(``static/js/session.js``): "Ingelogd blijven" posts to ``keepalive``, which starts
the quiet period again; when the time has run out the page goes to ``expired``, which
sends the browser to the login page with a message.
"""

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from portal.security import renew_session, seconds_left

#: A session with at most this many seconds left counts as ended: the page's timer
#: and the server's clock differ by about the time one request takes.
END_MARGIN_SECONDS = 5


@never_cache
@require_POST
def keepalive(request):
    """204 with the session's quiet period started again; 403 when nobody is logged
    in (the session has already ended)."""
    if not request.user.is_authenticated:
        return HttpResponseForbidden(
            _("U bent niet meer ingelogd. Log opnieuw in om verder te gaan.")
        )
    renew_session(request, force=True)
    return HttpResponse(status=204)


@never_cache
@require_GET
def expired(request):
    """Where a page goes when its session's time ran out.

    Still logged in with time left (another tab kept the session going): back to the
    page. Otherwise logged out (if the session had not quite ended yet), and the
    login page with a message, back to the page after logging in."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = ""
    if request.user.is_authenticated and seconds_left(request) > END_MARGIN_SECONDS:
        if not target:
            staff = request.user.is_municipal_staff
            target = reverse(
                "wagtailadmin_home" if staff else "subsidies:my_applications"
            )
        return redirect(target)
    if request.user.is_authenticated:
        logout(request)
    messages.info(
        request,
        _(
            "U bent uitgelogd, omdat u een tijd niets heeft gedaan. Dat doen we voor "
            "uw veiligheid. Wat u heeft opgeslagen, is bewaard. Log opnieuw in om "
            "verder te gaan."
        ),
    )
    login_url = reverse("accounts:login")
    return redirect(
        f"{login_url}?{urlencode({'next': target})}" if target else login_url
    )
