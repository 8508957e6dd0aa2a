"""Security middleware and the staff login: headers, staff sessions, two-factor, rate limits.

- Permissions-Policy: the portal needs no camera, microphone, location or payment API.
- A NUL byte in the query string is refused with 400 before any view reads it.
- "Staff" is ``User.is_municipal_staff``: anyone who can enter an admin, with or without
  the ``is_staff`` flag.
- A resident who is logged in never sees an admin screen or its login form: 403.
- A session ends after a quiet period: ``STAFF_SESSION_SECONDS`` for staff (BIO),
  ``RESIDENT_SESSION_SECONDS`` (15 minutes, DigiD's norm) for everyone else who is
  logged in (DigiD, eHerkenning or the login link). A resident's page warns
  ``SESSION_WARNING_SECONDS`` before the end (``static/js/session.js``).
- With ``STAFF_REQUIRE_2FA`` (on in production) a staff member reaches the Wagtail and
  Django admin only after a TOTP code (django-otp) or a recovery code; they set up
  their authenticator app through a one-time invitation by e-mail
  (``accounts.enrolment``), never on first use. A staff member who signed on through
  the gemeente's OpenID provider, which asserted multi-factor, skips that code.
- Both password logins, Wagtail's ``/admin/login/`` and the Django admin's
  ``/django-admin/login/``, are rate limited per IP address and per e-mail address, on
  shared counters: alternating between them gains no attempts. A login that
  succeeds gives its attempt back: only failures count.
- Wagtail's staff password reset is rate limited the same way, and audited: the
  request, the new password set, and a reset link refused (invalid, expired, used).
- Logging out of the admin after a staff sign-on ends the session at the gemeente's
  provider too (RP-initiated logout).
"""

import functools
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from wagtail.admin.views.account import (
    LoginView,
    LogoutView,
    PasswordResetConfirmView,
    PasswordResetView,
)

from accounts import audit
from accounts.oidc import session as oidc_session
from accounts.oidc import views as oidc_views

from .shared import ratelimit

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)


class SecurityHeadersMiddleware:
    """Headers on every response; and every page served to someone who is logged in
    (resident or staff: form steps, review, status pages, messages, the admin) is
    ``Cache-Control: private, no-store``, so on a shared computer (a buurthuis, the
    library) neither the browser's cache nor its Back button shows it to the next
    person after "Uitloggen"."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class RejectNulBytesMiddleware:
    """400 for a NUL byte in the query string: PostgreSQL cannot store or compare
    text with one, so a filter such as ``?status__exact=%00`` in an admin list was a
    500. No form or link of the portal ever sends one (form fields already refuse it
    in POST data)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return HttpResponseBadRequest(_("Deze link klopt niet."))
        return self.get_response(request)


#: When the session's quiet period last started (seconds since the epoch).
SESSION_RENEWED_KEY = "session_renewed_at"
#: A session is written at most this often to start its quiet period again: a page
#: opened sooner adds no database write (it may end that much earlier).
SESSION_RENEW_INTERVAL = 60


@dataclass(frozen=True)
class SessionTimeout:
    """What a resident's page needs for its warning: the seconds its session has left,
    the length of a quiet period, and how long before the end to warn."""

    seconds_left: int
    session_seconds: int
    warning_seconds: int


def session_seconds(user):
    """How long a session of this user lasts without a request."""
    if user.is_municipal_staff:
        return settings.STAFF_SESSION_SECONDS
    return settings.RESIDENT_SESSION_SECONDS


def seconds_left(request):
    """Seconds until the quiet period of this logged-in session ends."""
    renewed = request.session.get(SESSION_RENEWED_KEY)
    if not isinstance(renewed, int):
        return 0
    return max(0, session_seconds(request.user) - (int(time.time()) - renewed))


def renew_session(request, *, force=False):
    """Start the quiet period of a logged-in user's session again.

    The session is saved (a database write) only when the period changed or at least
    ``SESSION_RENEW_INTERVAL`` (at most a tenth of the period) has passed since the
    last start, or when ``force``d (the "Ingelogd blijven" button). Sets
    ``request.session_timeout`` for a resident's page, with the seconds actually left.
    """
    user = request.user
    seconds = session_seconds(user)
    session = request.session
    now = int(time.time())
    renewed = session.get(SESSION_RENEWED_KEY)
    if (
        force
        or not isinstance(renewed, int)
        or session.get_expiry_age() != seconds
        or now - renewed >= min(SESSION_RENEW_INTERVAL, seconds // 10)
    ):
        session.set_expiry(seconds)
        session[SESSION_RENEWED_KEY] = now
    if user.is_municipal_staff:
        request.session_timeout = None
    else:
        request.session_timeout = SessionTimeout(
            seconds_left=seconds_left(request),
            session_seconds=seconds,
            warning_seconds=settings.SESSION_WARNING_SECONDS,
        )


class SessionExpiryMiddleware:
    """Every logged-in session ends after a quiet period: staff after
    ``STAFF_SESSION_SECONDS``, residents after ``RESIDENT_SESSION_SECONDS``.

    Once before the view (so a page knows how long its session has left) and once
    after it, for the request that logged someone in. The page a timer opens at the
    end (``accounts:session_expired``) is no activity: it starts nothing again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.session_timeout = None
        counts = request.path != reverse("accounts:session_expired")
        if counts and _logged_in(request):
            renew_session(request)
        response = self.get_response(request)
        if counts and _logged_in(request):
            renew_session(request)
        return response


def _logged_in(request):
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


class ResidentsOutOfTheAdminMiddleware:
    """A resident who is logged in and opens an admin URL gets 403 ("Geen toegang",
    with the way to Mijn aanvragen), not the staff login form: they are logged in, only
    not as staff. Anonymous visitors still go to the staff login, and the logins and
    logouts of both admins stay open."""

    exempt_names = (
        "wagtailadmin_login",
        "wagtailadmin_logout",
        "admin:login",
        "admin:logout",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and request.path.startswith(_admin_prefixes())
            and request.path not in {reverse(name) for name in self.exempt_names}
            and not user.is_municipal_staff
        ):
            raise PermissionDenied
        return self.get_response(request)


def _admin_prefixes():
    return (reverse("wagtailadmin_home"), reverse("admin:index"))


STAFF_SIGN_ON_BACKEND = "accounts.oidc.backends.StaffBackend"


class StaffTwoFactorMiddleware:
    """Send staff without a verified second factor to the code page before the admin,
    unless their sign-on at the gemeente's provider asserted multi-factor."""

    exempt_names = (
        "wagtailadmin_login",
        "wagtailadmin_logout",
        "security:two_factor",
        "security:enrol",
        "security:confirm",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.STAFF_REQUIRE_2FA and self._needs_code(request):
            return redirect(f"{reverse('security:two_factor')}?next={request.path}")
        return self.get_response(request)

    def _needs_code(self, request):
        exempt = {reverse(name) for name in self.exempt_names}
        if not request.path.startswith(_admin_prefixes()) or request.path in exempt:
            return False
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        if not user.is_municipal_staff or user.is_verified():
            return False
        return not signed_on_with_mfa(request)


def signed_on_with_mfa(request):
    """True when this session's staff sign-on (``accounts.oidc``) asserted
    multi-factor: the gemeente's provider checked a second factor, so the portal's
    own code is not asked again. A password login never counts."""
    return request.session.get(
        BACKEND_SESSION_KEY
    ) == STAFF_SIGN_ON_BACKEND and oidc_session.staff_mfa(request)


def _login_identity(request):
    return (request.POST.get("username") or "").strip().lower()


def password_attempt_allowed(request):
    """Count a password login attempt; False when its IP or address is over the limit."""
    return ratelimit.attempt_allowed(
        "admin-login",
        ip=ratelimit.client_ip(request),
        identity=_login_identity(request),
        ip_limit=settings.LOGIN_RATE_LIMIT_PER_IP,
        identity_limit=settings.LOGIN_RATE_LIMIT_PER_USER,
        window=settings.LOGIN_RATE_WINDOW_SECONDS,
    )


def _give_back_if_logged_in(request):
    """A login that succeeded does not count against the limits: only failures do."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        ratelimit.give_back_attempt(
            "admin-login",
            ip=ratelimit.client_ip(request),
            identity=_login_identity(request),
        )


def _too_many_attempts(request):
    minutes = max(1, settings.LOGIN_RATE_WINDOW_SECONDS // 60)
    messages.error(
        request,
        _(
            "U heeft te vaak geprobeerd in te loggen. Wacht %(minutes)d minuten en probeer het opnieuw."
        )
        % {"minutes": minutes},
    )
    return redirect(request.get_full_path())


def rate_limited_login(view):
    """Wrap a password login view: refuse a POST over the limit before any check."""
    if getattr(view, "rate_limited", False):  # wrapped once, counted once
        return view

    @functools.wraps(view)
    def login(request, *args, **kwargs):
        if request.method == "POST" and not password_attempt_allowed(request):
            return _too_many_attempts(request)
        response = view(request, *args, **kwargs)
        if request.method == "POST":
            _give_back_if_logged_in(request)
        return response

    login.rate_limited = True
    return login


class RateLimitedPasswordResetView(PasswordResetView):
    """Wagtail's staff password reset, rate limited like the logins (per IP address
    and per address typed, its own counters) and every request in the audit log.

    Over the limit no mail goes out; the page says to wait, for any address, so it
    tells nothing about who has an account.
    """

    def post(self, request, *args, **kwargs):
        email = (request.POST.get("email") or "").strip().lower()
        ip = ratelimit.client_ip(request)
        if not ratelimit.attempt_allowed(
            "password-reset",
            ip=ip,
            identity=email,
            ip_limit=settings.LOGIN_RATE_LIMIT_PER_IP,
            identity_limit=settings.LOGIN_RATE_LIMIT_PER_USER,
            window=settings.LOGIN_RATE_WINDOW_SECONDS,
        ):
            return _too_many_attempts(request)
        audit.password_reset_requested(email=email, ip=ip)
        return super().post(request, *args, **kwargs)


class AuditedPasswordResetConfirmView(PasswordResetConfirmView):
    """Wagtail's "choose a new password" page behind the reset link, audited: a new
    password set (who, from which IP address) and a link refused (invalid, expired
    or already used; the account it names, if any). Django first moves the token
    from the link into the session and redirects, so only the page that shows or
    handles the form decides, and a refusal is recorded once per visit."""

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        # A good link answers with a redirect (its token moved into the session).
        if not self.validlink and not response.has_header("Location"):
            audit.password_reset_refused(
                user=self.user, ip=ratelimit.client_ip(request)
            )
        return response

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.password_reset_completed(
            user=self.user, ip=ratelimit.client_ip(self.request)
        )
        return response


class RateLimitedLoginView(LoginView):
    """Wagtail's login, refusing further attempts for a while after too many."""

    def post(self, request, *args, **kwargs):
        if not password_attempt_allowed(request):
            return _too_many_attempts(request)
        response = super().post(request, *args, **kwargs)
        _give_back_if_logged_in(request)
        return response


class StaffLogoutView(LogoutView):
    """Wagtail's logout; after a staff sign-on the browser then goes to the
    provider's end-session page, so the next login there asks again (RP-initiated
    logout), and comes back to ``accounts:logged_out``. Only a POST logs out:
    Wagtail's own view also dropped the session cookie on a GET (a link)."""

    def dispatch(self, request, *args, **kwargs):
        if request.method != "POST":
            return self.http_method_not_allowed(request, *args, **kwargs)
        method = oidc_session.login_method(request)
        response = super().dispatch(request, *args, **kwargs)
        if response.has_header("Location"):
            response["Location"] = oidc_views.end_provider_session(
                request, method, default=response["Location"]
            )
        return response
