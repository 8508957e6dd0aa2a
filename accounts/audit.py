"""The audit log of logins (BIO): who logged in or out, which attempts failed, from where.

Everything goes to the logger ``initiatiefloket.audit`` (configured in settings
``LOGGING``), one line per event, with the e-mail address and the client's IP address:

- a login that succeeded (password, login link or new account), and a logout;
- a password login that failed (Django's ``user_login_failed``);
- a login link that was asked for, and one that was refused when used
  (``accounts.magic_links``, ``accounts.views``);
- an attempt the rate limits refused (``portal.shared.ratelimit``);
- a second factor set up, a code accepted and a code refused (``portal.two_factor``);
- a staff password reset asked for, completed, or its link refused
  (``portal.security``); these three are also kept as ``SecurityEvent`` rows, which
  the Beheerder reads on the screen "Tweede stap medewerkers".

Never a password or a login-link token: from the credentials of a failed login only the
username is read. Text a visitor typed is logged with ``%r``, so it cannot forge lines.
"""

import logging

from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)

from portal.shared.ratelimit import AUDIT_LOGGER, client_ip, hit

from .models import SecurityEvent

logger = logging.getLogger(AUDIT_LOGGER)


def _ip(request):
    return (client_ip(request) if request is not None else "") or "-"


def _who(user):
    """The e-mail address, or the account's number for a DigiD or eHerkenning
    account without one (never the BSN, which the portal does not keep)."""
    return user.get_username() or f"id:{user.pk}"


def log_logged_in(sender, request, user, **kwargs):
    logger.info(
        "Login succeeded: user=%r ip=%s path=%s backend=%s",
        _who(user),
        _ip(request),
        getattr(request, "path", "-"),
        getattr(user, "backend", "-"),
    )


def log_logged_out(sender, request, user, **kwargs):
    if user is not None:
        logger.info("Logout: user=%r ip=%s", _who(user), _ip(request))


def log_login_failed(sender, credentials, request=None, **kwargs):
    if "sesame" in credentials:
        # A login-link token that did not work: the login-link view logs it, with the
        # IP address (sesame sends no request). The token itself is never logged.
        return
    logger.warning(
        "Login failed: user=%r ip=%s path=%s",
        credentials.get("username", ""),
        _ip(request),
        getattr(request, "path", "-"),
    )


def login_link_requested(*, email, ip, outcome):
    logger.info(
        "Login link requested: user=%r ip=%s sent=%s", email, ip or "-", outcome
    )


def login_link_refused(*, ip):
    logger.warning("Login link refused (invalid, expired or spent): ip=%s", ip or "-")


def _security_event(*, kind, user=None, email="", ip=""):
    SecurityEvent.objects.create(
        kind=kind, user=user, email=(email or "")[:254], ip=(ip or "")[:45]
    )


def password_reset_requested(*, email, ip):
    """A staff password reset asked for (whether or not the address is known)."""
    logger.info("Password reset requested: user=%r ip=%s", email, ip or "-")
    _security_event(kind=SecurityEvent.Kind.RESET_REQUESTED, email=email, ip=ip)


def password_reset_completed(*, user, ip):
    """A new password set through a reset link."""
    logger.info(
        "Password reset completed: user=%r ip=%s", user.get_username(), ip or "-"
    )
    _security_event(
        kind=SecurityEvent.Kind.RESET_COMPLETED, user=user, email=user.email, ip=ip
    )


#: Refused reset links kept as SecurityEvent rows per IP address and hour; beyond
#: that only the log line, so nobody can fill the never-deleted table by guessing.
REFUSED_RESETS_KEPT_PER_HOUR = 20


def password_reset_refused(*, user, ip):
    """A reset link refused: invalid, expired or already used. ``user`` is the
    account the link names, or None when it names none."""
    email = user.get_username() if user is not None else ""
    logger.warning(
        "Password reset link refused (invalid, expired or used): user=%r ip=%s",
        email,
        ip or "-",
    )
    if hit(
        f"reset-refused:ip:{ip or '-'}",
        limit=REFUSED_RESETS_KEPT_PER_HOUR,
        window=60 * 60,
    ):
        _security_event(
            kind=SecurityEvent.Kind.RESET_REFUSED, user=user, email=email, ip=ip
        )


def second_factor(*, user, ip, outcome):
    """``outcome``: "set up", "accepted", "recovery" (a recovery code accepted),
    "refused" or "rate limited"."""
    log = (
        logger.info if outcome in ("set up", "accepted", "recovery") else logger.warning
    )
    log("Second factor %s: user=%r ip=%s", outcome, user.get_username(), ip or "-")


def connect():
    user_logged_in.connect(log_logged_in, dispatch_uid="accounts.audit.logged_in")
    user_logged_out.connect(log_logged_out, dispatch_uid="accounts.audit.logged_out")
    user_login_failed.connect(
        log_login_failed, dispatch_uid="accounts.audit.login_failed"
    )


def oidc_login_refused(*, provider, reason, ip):
    """A DigiD, eHerkenning or staff sign-on that came back without a login: cancelled,
    a level too low, a claim missing, no role. No claim value is logged."""
    logger.warning(
        "OIDC login refused: provider=%s reason=%s ip=%s", provider, reason, ip or "-"
    )
