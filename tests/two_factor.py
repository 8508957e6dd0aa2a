"""Helpers for tests that need a staff member with a second factor."""

import re

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import enrolment
from subsidies.models import OutgoingMail


def current_code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def fresh_code(device):
    """The app's code now, usable again in a test: django-otp refuses a code it saw
    before (``last_t``) and slows down after a wrong one."""
    device.refresh_from_db()
    device.last_t = -1
    device.save(update_fields=["last_t"])
    device.throttle_reset()
    return current_code(device)


def invitation_token(user, by=None, reset=False):
    """Invite ``user`` and read the token from the queued e-mail to their address."""
    enrolment.invite(user=user, by=by, reason="test", reset=reset)
    mail = next(m for m in OutgoingMail.objects.order_by("-pk") if user.email in m.to)
    return re.search(r"/admin/tweede-stap/instellen/\?t=(\S+)", mail.body).group(1)


def enrol(client, user, **extra):
    """Walk the set-up as ``user`` (logged in on ``client``): invitation, secret,
    code. Returns the confirmed device and the recovery codes."""
    token = invitation_token(user)
    page = client.post("/admin/tweede-stap/instellen/", {"t": token}, **extra)
    assert page.status_code == 200 and "data-secret" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post(
        "/admin/tweede-stap/bevestigen/", {"code": current_code(device)}, **extra
    )
    assert done.status_code == 200, done.content.decode()[-2000:]
    codes = re.findall(
        r'<code class="utrecht-code">([a-z2-7]+)</code>', done.content.decode()
    )
    device.refresh_from_db()
    assert device.confirmed and len(codes) == enrolment.RECOVERY_CODE_COUNT
    return device, codes
