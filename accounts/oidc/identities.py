"""The accounts a verified identity logs in to, found by a keyed hash.

A DigiD login is one person: the same BSN always finds the same account, from any
device, without an e-mail address. An eHerkenning login is one acting person of one
organisation (KvK number, branch, pseudonym). A staff sign-on is the ``sub`` of the
gemeente's identity provider. Only an HMAC-SHA256 of each, keyed with
``settings.BSN_HASH_KEY``, is stored (``LoginIdentity.subject_hash``); the BSN is never
kept, shown, logged or exported.
"""

import hashlib
import hmac

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import LoginIdentity
from ..roles import APPLICANT


class LoginRefused(Exception):
    """The provider logged someone in whom the portal does not admit.

    ``reason`` names the failure page's text (``views.FAILURES``).
    """

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def subject_hash(provider, value):
    """The keyed hash of an identifier: the only form in which a BSN is stored."""
    message = f"{provider}:{value}".encode()
    return hmac.new(settings.BSN_HASH_KEY.encode(), message, hashlib.sha256).hexdigest()


def _touch(identity, **fields):
    for name, value in fields.items():
        setattr(identity, name, value)
    identity.last_login_at = timezone.now()
    identity.save(update_fields=[*fields, "last_login_at"])
    return identity


def resident_login(provider, key, **fields):
    """The resident account of this identity, made (group Aanvrager) at first login.

    Always the identity's own account: never the one logged in in this browser, so a
    forwarded login link or a shared computer cannot tie a person's BSN to another
    account.
    """
    digest = subject_hash(provider, key)
    identity = (
        LoginIdentity.objects.select_related("user")
        .filter(provider=provider, subject_hash=digest)
        .first()
    )
    if identity is not None:
        return _touch(identity, **fields).user
    try:
        with transaction.atomic():
            user = get_user_model().objects.create_identified_user()
            user.groups.add(Group.objects.get_or_create(name=APPLICANT)[0])
            LoginIdentity.objects.create(
                user=user,
                provider=provider,
                subject_hash=digest,
                last_login_at=timezone.now(),
                **fields,
            )
    except IntegrityError:
        # The same identity logged in twice at once: the other request made it.
        identity = LoginIdentity.objects.select_related("user").get(
            provider=provider, subject_hash=digest
        )
        return identity.user
    return user


def staff_login(*, sub, email, first_name, last_name, groups, managed_groups):
    """The staff account of this sign-on, its mapped groups set from the claim.

    Found by the identity, else by its e-mail address when that account is already a
    staff account; made otherwise. The portal's groups named in the group map are
    exactly those the claim gives; other groups (given by a Beheerder) stay.
    """
    User = get_user_model()
    digest = subject_hash(LoginIdentity.Provider.STAFF, sub)
    with transaction.atomic():
        identity = (
            LoginIdentity.objects.select_for_update()
            .select_related("user")
            .filter(provider=LoginIdentity.Provider.STAFF, subject_hash=digest)
            .first()
        )
        if identity is not None:
            user = identity.user
        else:
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                user = User.objects.create_user(email)
            elif not user.is_municipal_staff or user.is_superuser:
                # A resident's account is never made staff; a superuser is linked
                # only by hand, never by a claim.
                raise LoginRefused("account")
            identity = LoginIdentity.objects.create(
                user=user, provider=LoginIdentity.Provider.STAFF, subject_hash=digest
            )
        if not user.is_active:
            raise LoginRefused("account")
        user.first_name = first_name or user.first_name
        user.last_name = last_name or user.last_name
        user.save(update_fields=["first_name", "last_name"])
        wanted = set(groups)
        for group in Group.objects.filter(name__in=managed_groups):
            if group.name in wanted:
                user.groups.add(group)
            else:
                user.groups.remove(group)
        _touch(identity)
    # The permission cache of this instance is stale after the group change.
    for attr in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(attr, None)
    user.__dict__.pop("is_municipal_staff", None)
    return user


def staff_without_role(*, sub, managed_groups):
    """A known staff sign-on whose claim no longer names a mapped group: the portal's
    mapped groups are taken away before the login is refused, so a password login to
    the same account no longer carries the role."""
    identity = (
        LoginIdentity.objects.select_related("user")
        .filter(
            provider=LoginIdentity.Provider.STAFF,
            subject_hash=subject_hash(LoginIdentity.Provider.STAFF, sub),
        )
        .first()
    )
    if identity is not None:
        identity.user.groups.remove(*Group.objects.filter(name__in=managed_groups))
