"""Setting up the second factor of a staff member: by invitation, never on first use.

Rules
    - Knowing the password is not enough to set up a second factor. The first set-up
      goes through a one-time invitation sent to the staff member's own address: made
      when the account is made in Wagtail's user screen (``accounts.wagtail_hooks``),
      or by a Beheerder (``/admin/tweede-stap/medewerkers/``), which also removes the
      factors the staff member had (a reset). Only a hash of the token is stored; it
      works once, for ``TWO_FACTOR_INVITATION_HOURS`` hours.
    - Using the invitation makes a new authenticator device. Its secret is shown once,
      on the page that answers the button; a device counts only after a code from it
      has been confirmed, in the same session. Confirming removes every other device of
      the staff member, so a secret someone else saw earlier stops working.
    - With a working second factor (a session verified with it) a staff member may set
      up a new app themselves (a new phone), in the same way.
    - After a set-up, ten recovery codes (django-otp's static tokens) are shown once;
      each works once instead of a code from the app.
    - Every invitation, use and reset goes to the audit log here; the set-up and
      every code, with the IP address, in ``portal.two_factor``.
"""

import hashlib
import logging
import secrets
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.shared.outbox import queue_mail
from portal.shared.ratelimit import AUDIT_LOGGER

from .models import TwoFactorInvitation

audit_log = logging.getLogger(AUDIT_LOGGER)

RECOVERY_CODE_COUNT = 10
DEVICE_NAME = "Authenticator-app"
RECOVERY_DEVICE_NAME = "Herstelcodes"


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def has_second_factor(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def invite(*, user, by, reason, reset=False):
    """Send ``user`` a one-time invitation to set up the second factor.

    With ``reset`` every factor the user has (app and recovery codes) is removed first:
    a Beheerder's answer to a lost phone. Earlier open invitations stop working.
    Returns the invitation; the token only leaves in the e-mail.
    """
    if reset:
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
    now = timezone.now()
    TwoFactorInvitation.objects.filter(user=user, used_at=None).update(used_at=now)
    token = secrets.token_urlsafe(32)
    invitation = TwoFactorInvitation.objects.create(
        user=user,
        token_hash=_hash(token),
        created_by=by,
        reason=reason,
        expires_at=now + timedelta(hours=settings.TWO_FACTOR_INVITATION_HOURS),
    )
    path = reverse("security:enrol")
    context = {
        "link": f"{settings.PUBLIC_SITE_URL.rstrip('/')}{path}?{urlencode({'t': token})}",
        "hours": settings.TWO_FACTOR_INVITATION_HOURS,
        "user": user,
    }
    queue_mail(
        to=[user.email],
        subject=render_to_string("accounts/emails/two_factor_invite_subject.txt"),
        body=render_to_string("accounts/emails/two_factor_invite.txt", context),
    )
    audit_log.info(
        "Second factor invitation sent: user=%r by=%r reason=%r reset=%s",
        user.get_username(),
        by.get_username() if by is not None else "-",
        reason,
        reset,
    )
    return invitation


@transaction.atomic
def redeem(*, user, token):
    """Spend an invitation of ``user``; a new unconfirmed device, or None.

    The invitation is locked and marked used in one transaction, so a token works
    once even when it is sent twice at the same time.
    """
    token = (token or "").strip()
    if not token or len(token) > 200:
        return None
    invitation = (
        TwoFactorInvitation.objects.select_for_update()
        .filter(token_hash=_hash(token), user=user, used_at=None)
        .first()
    )
    if invitation is None or invitation.expires_at <= timezone.now():
        audit_log.warning(
            "Second factor invitation refused: user=%r", user.get_username()
        )
        return None
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    audit_log.info("Second factor invitation used: user=%r", user.get_username())
    return new_device(user=user)


def new_device(*, user):
    """A fresh unconfirmed device; earlier unconfirmed ones are removed."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


@transaction.atomic
def confirm(*, device, code):
    """Confirm ``device`` with a code from it: ``(device, recovery codes)``, or None.

    Every other device of the user goes: only the confirmed app and the new recovery
    codes count from now on.
    """
    device = TOTPDevice.objects.select_for_update().filter(pk=device.pk).first()
    if device is None or device.confirmed or not device.verify_token(code):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    user = device.user
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        StaticToken(device=recovery, token=code) for code in codes
    )
    return device, codes


def verify(*, user, code):
    """The device that accepts ``code`` (the app, or a recovery code once), or None."""
    code = "".join((code or "").split()).lower()
    if (
        len(code) == 6 and code.isdigit()
    ):  # a recovery code never counts against the app's throttle
        for device in TOTPDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(code):
                return device
        return None
    for device in StaticDevice.objects.filter(user=user, confirmed=True):
        # StaticDevice.verify_token removes the code it accepts: it works once.
        if device.verify_token(code):
            return device
    return None
