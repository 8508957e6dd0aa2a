"""Login pages for residents: choose how to log in, ask for a link, open it, log out.

The login page offers what this environment allows (``oidc.providers.resident_methods``):
DigiD, eHerkenning, and the login link by e-mail where ``settings.LOGIN_EMAIL_LINK`` is
on. When it is off, the link's views refuse and send nothing. The views only read the
form and call ``accounts.magic_links``; the page after asking for a link is the same for
every address, so nobody can learn who has an account.
"""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.shared import language
from portal.shared.forms import error_summary
from portal.shared.ratelimit import client_ip

from . import audit, magic_links
from .forms import LoginLinkForm, MagicLinkForm
from .oidc import providers as oidc_providers
from .oidc import session as oidc_session
from .oidc import views as oidc_views

SENT_TO_SESSION_KEY = "login_link_sent_to"


def _safe_next(request, value):
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def _email_link_offered():
    return oidc_providers.EMAIL in oidc_providers.resident_methods()


def _provider_links(request, methods):
    """The start URL of each offered provider, keeping where the resident was going."""
    target = _safe_next(request, request.GET.get("next", ""))
    query = f"?{urlencode({'next': target})}" if target else ""
    return {
        name: f"{reverse(f'accounts:oidc_{name}_start')}{query}"
        for name in methods
        if name in oidc_providers.RESIDENT_PROVIDERS
    }


def login_view(request):
    methods = oidc_providers.resident_methods()
    email_link = oidc_providers.EMAIL in methods
    if request.method == "POST" and not email_link:
        raise Http404
    form = LoginLinkForm(
        request.POST or None, initial={"next": request.GET.get("next", "")}
    )
    status = 200
    limited = False
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        ip = client_ip(request)
        if magic_links.is_rate_limited(email=email, ip=ip):
            limited = True
            status = 429
        else:
            magic_links.request_login_link(
                email=email,
                next_url=_safe_next(request, form.cleaned_data["next"]),
                ip=ip,
            )
            request.session[SENT_TO_SESSION_KEY] = magic_links.normalise_email(email)
            return redirect("accounts:link_sent")
    links = _provider_links(request, methods)
    return render(
        request,
        "accounts/login.html",
        {
            "form": form if email_link else None,
            "errors": error_summary(form) if email_link else [],
            "limited": limited,
            "digid_url": links.get(oidc_providers.DIGID, ""),
            "eherkenning_url": links.get(oidc_providers.EHERKENNING, ""),
            "email_link": email_link,
            "other_methods": bool(links),
        },
        status=status,
    )


def link_sent(request):
    if not _email_link_offered():
        raise Http404
    return render(
        request,
        "accounts/link_sent.html",
        {"email": request.session.get(SENT_TO_SESSION_KEY, "")},
    )


def magic_link(request):
    """GET shows a button; only the POST logs in (mail scanners only GET links).

    Where the login link is switched off, every link is refused: one sent before the
    switch no longer logs anyone in."""
    if not _email_link_offered():
        return render(request, "accounts/link_invalid.html", status=400)
    data = request.POST if request.method == "POST" else request.GET
    form = MagicLinkForm(data)
    if not form.is_valid():
        return render(request, "accounts/link_invalid.html", status=400)
    if request.method != "POST":
        response = render(request, "accounts/magic_link.html", {"form": form})
        # The page's URL holds the token: the POST of its button sends only the
        # origin as its Referer (access logs record that header). Not "no-referrer":
        # then Chromium sends "Origin: null" and the CSRF check refuses the POST.
        response["Referrer-Policy"] = "origin"
        return response
    user, backend = magic_links.user_for_token(form.cleaned_data["t"])
    if user is None:
        audit.login_link_refused(ip=client_ip(request))
        return render(request, "accounts/link_invalid.html", status=400)
    login(request, user, backend=backend)
    # No language chosen in this browser yet: the one recorded for the resident
    # (e.g. English by the wijkbureau), also for the message below.
    language.adopt_for_user(request, user)
    request.session.pop(SENT_TO_SESSION_KEY, None)
    request.session[oidc_session.METHOD_KEY] = oidc_session.EMAIL
    messages.success(
        request, _("U bent ingelogd als %(email)s.") % {"email": user.email}
    )
    target = _safe_next(request, form.cleaned_data["next"])
    return redirect(target or reverse("subsidies:my_applications"))


def page_privacy_login(request):
    """Wagtail's ``/_util/login/`` (a password login for private pages), switched off.

    The portal has no private pages, and that form had no rate limit: it never checks
    a password, it sends GET and POST alike to the residents' login. Staff log in at
    ``/admin/login/``, behind the limits.
    """
    target = _safe_next(request, request.GET.get("next", ""))
    login_url = reverse("accounts:login")
    return redirect(
        f"{login_url}?{urlencode({'next': target})}" if target else login_url
    )


@require_POST
def logout_view(request):
    """Log out here and, after a DigiD or eHerkenning login, at the provider too
    (RP-initiated logout): it sends the browser back to ``accounts:logged_out``."""
    method = oidc_session.login_method(request)
    logout(request)
    # A language adopted at login ended with the session (a shared computer).
    language.logged_out(request)
    target = oidc_views.end_provider_session(request, method, default="")
    if target:
        return redirect(target)
    messages.success(request, _("U bent uitgelogd."))
    return redirect("/")
