"""A contact address other than the login address is confirmed by a link first.

Rules
    - The gemeente's e-mails about an application (receipt, aanvulling, decision) go
      to the login addresses of the applicant's members, which a login link proved
      (``Applicant.mail_recipients``). A contact address the resident typed that is
      not a login address receives nothing until it is confirmed.
    - When a resident types such an address in step 1, one e-mail goes to it with a
      confirmation link (through the outbox). The mail says nothing the resident
      typed, so it cannot carry someone else's message: only that the address was
      given at the Initiatiefloket, the kenmerk, and the link.
    - The link works once, for ``CONTACT_CONFIRMATION_HOURS`` hours, only for a
      logged-in member of that applicant (whoever else opens it is refused: a
      stranger who got the mail cannot start receiving a resident's letters by
      clicking), and only while the contact address is still the one it was sent to.
      Opening it shows a button; only pressing it confirms (mail scanners open
      links). Only a hash of the token is stored.
    - Once confirmed, the contact address receives the e-mails too, next to the
      login address: the account holder always learns what happens to their
      application, and the contact person (often the stichting's shared mailbox) does
      as well. Typing another address resets the confirmation and earlier links stop
      working.
    - Sending is limited per resident (``CONTACT_CONFIRMATION_LIMIT`` per
      ``CONTACT_CONFIRMATION_WINDOW`` seconds), for a new address and for "send
      again" alike, so the form cannot be used to mail strangers in bulk.
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
from django.utils.translation import gettext as _

from portal.shared import ratelimit

from .mail import queue_mail
from .models import Applicant
from .models.applicants import ContactEmailConfirmation

logger = logging.getLogger(__name__)
audit_log = logging.getLogger(ratelimit.AUDIT_LOGGER)


class ConfirmationRefused(Exception):
    """The link did not confirm anything; the message is for the resident, in Dutch."""


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def _normalised(email):
    return (email or "").strip().lower()


def _within_limit(user):
    return ratelimit.hit(
        f"contact-confirmation:user:{user.pk}",
        limit=settings.CONTACT_CONFIRMATION_LIMIT,
        window=settings.CONTACT_CONFIRMATION_WINDOW,
    )


def contact_email_changed(*, applicant, user, application):
    """The contact address was just changed: forget the old confirmation, and send a
    link when the new address is not a login address. Call in the transaction that
    stored the new address. Returns True when a link was queued."""
    Applicant.objects.filter(pk=applicant.pk).update(contact_email_confirmed="")
    applicant.contact_email_confirmed = ""
    ContactEmailConfirmation.objects.filter(applicant=applicant, used_at=None).update(
        used_at=timezone.now()
    )
    if not applicant.contact_email_needs_confirmation():
        return False
    return send_confirmation(applicant=applicant, user=user, application=application)


def send_confirmation(*, applicant, user, application):
    """Queue a confirmation link for the applicant's contact address; earlier open
    links stop working. False (nothing sent) when the address needs no confirmation
    or the resident asked too often."""
    if not applicant.contact_email_needs_confirmation():
        return False
    if not _within_limit(user):
        audit_log.warning(
            "Contact address confirmation refused by the rate limit: user=%r",
            user.get_username() or f"id:{user.pk}",
        )
        return False
    now = timezone.now()
    email = _normalised(applicant.contact_email)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        ContactEmailConfirmation.objects.filter(
            applicant=applicant, used_at=None
        ).update(used_at=now)
        ContactEmailConfirmation.objects.create(
            applicant=applicant,
            email=email,
            token_hash=_hash(token),
            requested_by=user,
            expires_at=now + timedelta(hours=settings.CONTACT_CONFIRMATION_HOURS),
        )
        path = reverse("subsidies:contact_confirm")
        context = {
            "link": f"{settings.PUBLIC_SITE_URL.rstrip('/')}{path}?"
            f"{urlencode({'t': token})}",
            "hours": settings.CONTACT_CONFIRMATION_HOURS,
            "reference": application.reference,
        }
        queue_mail(
            to=[email],
            subject=render_to_string(
                "subsidies/emails/contact_confirm_subject.txt", context
            ),
            body=render_to_string("subsidies/emails/contact_confirm.txt", context),
            reference=application.reference,
        )
    audit_log.info(
        "Contact address confirmation sent: user=%r to=%r reference=%s",
        user.get_username() or f"id:{user.pk}",
        email,
        application.reference,
    )
    return True


@transaction.atomic
def confirm(*, token, user):
    """Spend a confirmation link as ``user``: the applicant whose contact address is
    now confirmed. Raises ``ConfirmationRefused`` with a Dutch message otherwise;
    a link that was refused for the wrong user stays usable for the right one."""
    token = (token or "").strip()
    found = None
    if token and len(token) <= 200:
        found = (
            ContactEmailConfirmation.objects.select_for_update()
            .select_related("applicant")
            .filter(token_hash=_hash(token))
            .first()
        )
    if found is None:
        raise ConfirmationRefused(
            _("Deze link klopt niet. Kijk of u de hele link heeft gebruikt.")
        )
    if found.used_at is not None:
        raise ConfirmationRefused(
            _(
                "U heeft deze link al gebruikt, of er is een nieuwere link. "
                "Gebruik de nieuwste e-mail, of vraag een nieuwe link aan bij uw aanvraag."
            )
        )
    if found.expires_at <= timezone.now():
        raise ConfirmationRefused(
            _(
                "Deze link is verlopen. Vraag een nieuwe link aan bij uw "
                "aanvraag, in stap 1."
            )
        )
    applicant = found.applicant
    if not applicant.has_member(user):
        audit_log.warning(
            "Contact address confirmation refused (not a member): user=%r",
            user.get_username() or f"id:{user.pk}",
        )
        raise ConfirmationRefused(
            _(
                "U kunt dit e-mailadres niet bevestigen met dit account. Log in met het "
                "e-mailadres waarmee u de aanvraag maakte en open de link opnieuw."
            )
        )
    if _normalised(applicant.contact_email) != found.email:
        raise ConfirmationRefused(
            _(
                "Het e-mailadres bij de aanvraag is intussen anders. Deze link geldt "
                "daarom niet meer."
            )
        )
    found.used_at = timezone.now()
    found.save(update_fields=["used_at"])
    Applicant.objects.filter(pk=applicant.pk).update(
        contact_email_confirmed=found.email
    )
    applicant.contact_email_confirmed = found.email
    audit_log.info(
        "Contact address confirmed: user=%r email=%r",
        user.get_username() or f"id:{user.pk}",
        found.email,
    )
    return applicant
