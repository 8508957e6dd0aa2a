"""The second factor for staff: set up an authenticator app once, then a code per login.

django-otp's TOTP device holds the secret; ``otp_login`` marks the session verified, and
``StaffTwoFactorMiddleware`` lets a verified session into the admin.
"""

import base64

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import audit

from . import ratelimit


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code uit uw authenticator-app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
        error_messages={
            "required": gettext_lazy("Vul de code van 6 cijfers in."),
            "min_length": gettext_lazy("De code bestaat uit 6 cijfers."),
            "max_length": gettext_lazy("De code bestaat uit 6 cijfers."),
        },
    )


def _safe_next(request):
    target = request.GET.get("next") or request.POST.get("next") or "/admin/"
    if url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/admin/"


@login_required(login_url="wagtailadmin_login")
def two_factor(request):
    user = request.user
    if not user.is_municipal_staff:
        return redirect("/")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    setting_up = device is None
    if setting_up:
        device, _created = TOTPDevice.objects.get_or_create(
            user=user, confirmed=False, defaults={"name": "Authenticator-app"}
        )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip = ratelimit.client_ip(request)
        if not ratelimit.hit(
            f"otp:{user.pk}",
            limit=settings.LOGIN_RATE_LIMIT_PER_USER,
            window=settings.LOGIN_RATE_WINDOW_SECONDS,
        ):
            audit.second_factor(user=user, ip=ip, outcome="rate limited")
            form.add_error(
                "code", _("Te veel pogingen. Wacht even en probeer het opnieuw.")
            )
        elif device.verify_token(form.cleaned_data["code"]):
            if setting_up:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            audit.second_factor(
                user=user, ip=ip, outcome="set up" if setting_up else "accepted"
            )
            return redirect(_safe_next(request))
        else:
            audit.second_factor(user=user, ip=ip, outcome="refused")
            form.add_error(
                "code",
                _("Deze code klopt niet of is verlopen. Probeer de nieuwste code."),
            )
    secret = base64.b32encode(device.bin_key).decode().rstrip("=") if setting_up else ""
    return render(
        request,
        "security/two_factor.html",
        {
            "form": form,
            "setting_up": setting_up,
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "config_url": device.config_url if setting_up else "",
            "next": _safe_next(request),
        },
    )
