"""The second factor for staff: set up by invitation, then a code per login.

django-otp's TOTP device holds the secret; ``otp_login`` marks the session verified, and
``StaffTwoFactorMiddleware`` lets a verified session into the admin. The rules of the
set-up (invitation, secret shown once, confirmation, recovery codes, reset by a
Beheerder) are in ``accounts.enrolment``; these views read forms and call it.
"""

import base64

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied

from accounts import audit, enrolment
from accounts.models import SecurityEvent
from accounts.roles import ADD_TWOFACTORINVITATION

from .shared import ratelimit

PENDING_DEVICE_KEY = "two_factor_pending_device"
INVITE_PERMISSION = ADD_TWOFACTORINVITATION
SECURITY_EVENTS_SHOWN = 100


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code uit uw authenticator-app of een herstelcode"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
        error_messages={
            "required": gettext_lazy("Vul de code van 6 cijfers in."),
            "max_length": gettext_lazy("De code bestaat uit 6 cijfers."),
        },
    )


class InvitationForm(forms.Form):
    t = forms.CharField(max_length=200)


def _safe_next(request):
    target = request.GET.get("next") or request.POST.get("next") or "/admin/"
    if url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/admin/"


def _limited(request, user):
    """Count a code attempt; True when over the limit. Only wrong codes count for
    good: a code that is accepted gives its attempt back (``ratelimit.give_back``)."""
    return not ratelimit.hit(
        f"otp:{user.pk}",
        limit=settings.LOGIN_RATE_LIMIT_PER_USER,
        window=settings.LOGIN_RATE_WINDOW_SECONDS,
    )


def _too_many(form):
    form.add_error("code", _("Te veel pogingen. Wacht even en probeer het opnieuw."))


@login_required(login_url="wagtailadmin_login")
def two_factor(request):
    """The code page. Without a second factor it only explains the invitation."""
    user = request.user
    if not user.is_municipal_staff:
        return redirect("/")
    if not enrolment.has_second_factor(user):
        return render(request, "security/two_factor_missing.html", {})
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip = ratelimit.client_ip(request)
        if _limited(request, user):
            audit.second_factor(user=user, ip=ip, outcome="rate limited")
            _too_many(form)
        elif device := enrolment.verify(user=user, code=form.cleaned_data["code"]):
            ratelimit.give_back(f"otp:{user.pk}")
            otp_login(request, device)
            audit.second_factor(
                user=user,
                ip=ip,
                outcome="accepted" if isinstance(device, TOTPDevice) else "recovery",
            )
            return redirect(_safe_next(request))
        else:
            audit.second_factor(user=user, ip=ip, outcome="refused")
            form.add_error(
                "code",
                _("Deze code klopt niet of is verlopen. Probeer de nieuwste code."),
            )
    return render(
        request,
        "security/two_factor.html",
        {"form": form, "next": _safe_next(request)},
    )


def _show_secret(request, device):
    """The page with the new secret: the only time it is shown."""
    request.session[PENDING_DEVICE_KEY] = device.pk
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "security/enrol_secret.html",
        {
            "form": CodeForm(),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "config_url": device.config_url,
        },
    )


@login_required(login_url="wagtailadmin_login")
def enrol(request):
    """The invitation link: GET shows a button (mail scanners only GET links); the
    POST spends the invitation and shows the secret once."""
    user = request.user
    if not user.is_municipal_staff:
        return redirect("/")
    form = InvitationForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        return render(request, "security/enrol_invalid.html", status=400)
    if request.method != "POST":
        response = render(request, "security/enrol.html", {"form": form})
        response["Referrer-Policy"] = "origin"  # the URL holds the token
        return response
    device = enrolment.redeem(user=user, token=form.cleaned_data["t"])
    if device is None:
        return render(request, "security/enrol_invalid.html", status=400)
    return _show_secret(request, device)


@login_required(login_url="wagtailadmin_login")
def reenrol(request):
    """A new app for someone whose session is verified with the current factor."""
    user = request.user
    if not user.is_municipal_staff:
        return redirect("/")
    if not user.is_verified():
        return redirect(f"{_two_factor_url()}?next={request.path}")
    if request.method != "POST":
        return render(request, "security/reenrol.html", {})
    return _show_secret(request, enrolment.new_device(user=user))


@login_required(login_url="wagtailadmin_login")
@require_POST
def confirm(request):
    """Confirm the new app with a code; then the recovery codes, shown once."""
    user = request.user
    device = TOTPDevice.objects.filter(
        user=user, pk=request.session.get(PENDING_DEVICE_KEY) or 0, confirmed=False
    ).first()
    if device is None:
        return render(request, "security/enrol_invalid.html", status=400)
    form = CodeForm(request.POST)
    if form.is_valid():
        ip = ratelimit.client_ip(request)
        if _limited(request, user):
            audit.second_factor(user=user, ip=ip, outcome="rate limited")
            _too_many(form)
        elif result := enrolment.confirm(device=device, code=form.cleaned_data["code"]):
            device, codes = result
            ratelimit.give_back(f"otp:{user.pk}")
            request.session.pop(PENDING_DEVICE_KEY, None)
            otp_login(request, device)
            audit.second_factor(user=user, ip=ip, outcome="set up")
            return render(request, "security/recovery_codes.html", {"codes": codes})
        else:
            audit.second_factor(user=user, ip=ip, outcome="refused")
            form.add_error(
                "code",
                _("Deze code klopt niet of is verlopen. Probeer de nieuwste code."),
            )
    return render(request, "security/enrol_confirm.html", {"form": form}, status=200)


def _two_factor_url():
    return reverse("security:two_factor")


# --- the Beheerder: invitations and resets ---------------------------------------


def staff_list(request):
    """Every staff member with the state of their second factor; a POST sends one
    of them a new invitation, which removes their current factor (Beheerder). Below,
    the latest password resets: asked for, completed, link refused (the audit)."""
    if not request.user.has_perm(INVITE_PERMISSION):
        return permission_denied(request)
    staff = [
        user
        for user in get_user_model().objects.filter(is_active=True).order_by("email")
        if user.is_municipal_staff
    ]
    if request.method == "POST":
        return _invite(request, {str(user.pk): user for user in staff})
    with_factor = set(
        TOTPDevice.objects.filter(confirmed=True, user__in=staff).values_list(
            "user_id", flat=True
        )
    )
    rows = [(user, user.pk in with_factor) for user in staff]
    events = SecurityEvent.objects.all()[:SECURITY_EVENTS_SHOWN]
    return render(request, "security/staff_list.html", {"rows": rows, "events": events})


def _invite(request, staff):
    user = staff.get(request.POST.get("user", ""))
    if user is None:
        messages.error(request, _("Kies een medewerker."))
        return redirect("tweede_stap_beheer:list")
    enrolment.invite(
        user=user, by=request.user, reason="reset by Beheerder", reset=True
    )
    messages.success(
        request,
        _(
            "%(email)s krijgt een nieuwe uitnodiging per e-mail. De oude tweede stap "
            "werkt niet meer."
        )
        % {"email": user.email},
    )
    return redirect("tweede_stap_beheer:list")
