"""Security middleware and the staff login: headers, staff sessions, two-factor, rate limits.

- Permissions-Policy: the portal needs no camera, microphone, location or payment API.
- Staff sessions expire after ``STAFF_SESSION_SECONDS`` without activity (BIO).
- With ``STAFF_REQUIRE_2FA`` (on in production) a staff member reaches the Wagtail admin
  only after a TOTP code (django-otp); the first time they set up their authenticator app.
- The admin login is rate limited per IP address and per e-mail address.
"""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin.views.account import LoginView

from . import ratelimit

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class StaffSessionMiddleware:
    """Staff sessions end after a quiet period; residents keep the default."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            request.session.set_expiry(settings.STAFF_SESSION_SECONDS)
        return self.get_response(request)


class StaffTwoFactorMiddleware:
    """Send staff without a verified second factor to the code page before the admin."""

    exempt_names = ("wagtailadmin_login", "wagtailadmin_logout", "security:two_factor")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.STAFF_REQUIRE_2FA and self._needs_code(request):
            return redirect(f"{reverse('security:two_factor')}?next={request.path}")
        return self.get_response(request)

    def _needs_code(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_staff:
            return False
        if user.is_verified():
            return False
        admin_prefixes = (reverse("wagtailadmin_home"), "/django-admin/")
        exempt = {reverse(name) for name in self.exempt_names}
        return request.path.startswith(admin_prefixes) and request.path not in exempt


class RateLimitedLoginView(LoginView):
    """Wagtail's login, refusing further attempts for a while after too many."""

    def post(self, request, *args, **kwargs):
        ip = ratelimit.client_ip(request)
        email = (request.POST.get("username") or "").strip().lower()
        window = settings.LOGIN_RATE_WINDOW_SECONDS
        allowed = ratelimit.hit(
            f"admin-login:ip:{ip}",
            limit=settings.LOGIN_RATE_LIMIT_PER_IP,
            window=window,
        )
        allowed &= ratelimit.hit(
            f"admin-login:user:{email}",
            limit=settings.LOGIN_RATE_LIMIT_PER_USER,
            window=window,
        )
        if not allowed:
            messages.error(
                request,
                _(
                    "U heeft te vaak geprobeerd in te loggen. Wacht %(minutes)d minuten en probeer het opnieuw."
                )
                % {"minutes": max(1, window // 60)},
            )
            return redirect(request.get_full_path())
        return super().post(request, *args, **kwargs)
