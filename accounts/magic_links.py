"""Passwordless login for residents: a link by e-mail that works once, for 15 minutes.

How it works
    A resident types an e-mail address. We send a link to that address, and to no
    other. For a known resident the link carries a django-sesame token (one-time:
    it is signed over the user's last login, which using it moves on in one
    conditional update, so of two uses at the same moment one logs in). For an address
    we do not know yet, the link carries a signed token with the address; the account
    (group Aanvrager) is made when the link is used, and the token stops working once
    the account exists. Opening the link shows a button; only pressing it logs in, so
    mail scanners that open links do not spend them.

What we never do
    Say whether an address is known: the page after the request is the same for every
    address, and it takes the same time: the request only queues a background task
    (``request_login_link``), which looks the address up and sends the mail. Staff members (``User.is_municipal_staff``: also a member of a staff group
    without the ``is_staff`` flag) get no login link (they log in to the admin with a
    password and a second factor); they receive a short note pointing there instead,
    and a login token made for them some other way is refused.

Rate limits
    Per e-mail address and per IP address within a window, counted in Django's cache
    by ``portal.shared.ratelimit`` (settings ``LOGIN_LINK_LIMIT_PER_EMAIL``,
    ``LOGIN_LINK_LIMIT_PER_IP``, ``LOGIN_LINK_LIMIT_WINDOW``). In production the cache
    must be shared by all app servers (see ``CACHES``), or each server counts on its own.

Audit
    Every request for a link is logged (``accounts.audit``) with the address, the IP
    address and what was sent; never the link or its token.
"""

import logging
import smtplib
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task
from sesame.utils import get_token, get_user

from portal.shared import ratelimit

from . import audit
from .roles import APPLICANT

logger = logging.getLogger(__name__)

NEW_ACCOUNT_PREFIX = "n."
NEW_ACCOUNT_SALT = "accounts.magic_links.new-account"
SESAME_BACKEND = "sesame.backends.ModelBackend"
SIGNUP_BACKEND = "django.contrib.auth.backends.ModelBackend"


def normalise_email(email):
    return (email or "").strip().lower()


def is_rate_limited(*, email, ip):
    """Count this request; True when the address or the IP asked too often."""
    return not ratelimit.attempt_allowed(
        "login-link",
        ip=ip,
        identity=normalise_email(email),
        ip_limit=settings.LOGIN_LINK_LIMIT_PER_IP,
        identity_limit=settings.LOGIN_LINK_LIMIT_PER_EMAIL,
        window=settings.LOGIN_LINK_LIMIT_WINDOW,
    )


def _link(token, next_url):
    query = {"t": token}
    if next_url:
        query["next"] = next_url
    path = reverse("accounts:magic_link")
    return f"{settings.PUBLIC_SITE_URL.rstrip('/')}{path}?{urlencode(query)}"


def request_login_link(*, email, next_url="", ip=""):
    """Hand the request to a background task; look nothing up now.

    Whether the address has an account, is inactive or belongs to staff is decided in
    the task, so the answer to the visitor takes the same time for every address.
    """
    send_login_link_task.enqueue(
        email=normalise_email(email),
        next_url=next_url or "",
        ip=ip or "",
        language=translation.get_language() or "",
    )


@task()
def send_login_link_task(email, next_url, ip, language=""):
    # The worker has no request: the mail goes out in the visitor's language.
    with translation.override(language or settings.LANGUAGE_CODE):
        send_login_link(email=email, next_url=next_url, ip=ip)


def send_login_link(*, email, next_url="", ip=""):
    """Send the login link (or, for staff, a pointer to the admin) to ``email``.

    ``ip`` is the address the request came from, for the audit log only.
    """
    email = normalise_email(email)
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first()
    minutes = settings.SESAME_MAX_AGE // 60
    if user is not None and not user.is_active:
        audit.login_link_requested(email=email, ip=ip, outcome="nothing (inactive)")
        return
    if user is not None and user.is_municipal_staff:
        outcome = "staff note (no link)"
        template = "accounts/emails/staff_login"
        context = {"admin_url": f"{settings.PUBLIC_SITE_URL.rstrip('/')}/admin/"}
    else:
        if user is None:
            outcome = "new-account link"
            token = NEW_ACCOUNT_PREFIX + signing.dumps(
                {"email": email}, salt=NEW_ACCOUNT_SALT
            )
        else:
            outcome = "login link"
            token = get_token(user)
        template = "accounts/emails/login_link"
        context = {"link": _link(token, next_url), "minutes": minutes}
    subject = render_to_string(f"{template}_subject.txt", context)
    body = render_to_string(f"{template}.txt", context)
    message = EmailMessage(subject=" ".join(subject.split()), body=body, to=[email])
    audit.login_link_requested(email=email, ip=ip, outcome=outcome)
    try:
        message.send()
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not send a login e-mail")


def user_for_token(token):
    """The user this link logs in, with the backend to use; (None, None) if invalid.

    A new-account token makes the account (group Aanvrager) now; a second use of the
    same link finds the account exists and is refused.
    """
    token = (token or "").strip()
    if not token or len(token) > 1000:
        return None, None
    if token.startswith(NEW_ACCOUNT_PREFIX):
        return _new_account(token[len(NEW_ACCOUNT_PREFIX) :])
    user = get_user(token, update_last_login=False)
    if user is None or user.is_municipal_staff or not _spend(user):
        return None, None
    return user, SESAME_BACKEND


def _spend(user):
    """Spend a one-time token atomically: move ``last_login`` on only if it is still
    the value the token was signed over. Of two requests with the same link at the
    same moment, the database lets one update the row; the other finds it changed."""
    User = get_user_model()
    now = timezone.now()
    spent = User.objects.filter(pk=user.pk, last_login=user.last_login)
    if user.last_login is None:
        spent = User.objects.filter(pk=user.pk, last_login__isnull=True)
    if spent.update(last_login=now) != 1:
        return False
    user.last_login = now
    return True


def _new_account(signed):
    try:
        data = signing.loads(
            signed, salt=NEW_ACCOUNT_SALT, max_age=settings.SESAME_MAX_AGE
        )
    except signing.BadSignature:
        return None, None
    email = normalise_email(data.get("email"))
    User = get_user_model()
    if not email or User.objects.filter(email__iexact=email).exists():
        return None, None
    try:
        with transaction.atomic():
            user = User.objects.create_user(email)
            user.groups.add(Group.objects.get_or_create(name=APPLICANT)[0])
    except IntegrityError:
        return None, None
    return user, SIGNUP_BACKEND
