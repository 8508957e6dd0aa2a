"""A small fixed-window rate limiter on Django's cache.

Used for the logins (login link, Wagtail and Django admin, second factor). Each key
allows ``limit`` hits per ``window`` seconds; the window starts at the first hit. With
several app servers the cache must be shared (e.g. Redis or the database cache) for the
limit to hold across them.

``attempt_allowed`` counts a login attempt per IP address and per identity (the e-mail
address typed) and writes every refusal to the audit log ``initiatiefloket.audit``, with
the identity and the IP address. Cache keys hold a hash of the identity, not the text
typed, so any input makes a valid key.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache

AUDIT_LOGGER = "initiatiefloket.audit"

audit_log = logging.getLogger(AUDIT_LOGGER)


def hit(key, *, limit, window):
    """Count one attempt; return True when it is still within the limit."""
    cache_key = f"ratelimit:{key}"
    if cache.add(cache_key, 1, timeout=window):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window)
        return True
    return count <= limit


def give_back(key):
    """Take back one counted attempt: a login that succeeded does not count, so a
    staff member who logs in often is never locked out by their own logins."""
    cache_key = f"ratelimit:{key}"
    try:
        if cache.get(cache_key, 0) > 0:
            cache.decr(cache_key)
    except ValueError:  # expired in between
        pass


def _identity_key(scope, identity):
    return f"{scope}:id:{hashlib.sha256(identity.encode()).hexdigest()}"


def give_back_attempt(scope, *, ip, identity):
    """Take back the attempt ``attempt_allowed`` counted, on both counters."""
    give_back(f"{scope}:ip:{ip or 'unknown'}")
    give_back(_identity_key(scope, identity))


def attempt_allowed(scope, *, ip, identity, ip_limit, identity_limit, window):
    """Count one attempt under ``scope``; False when the IP or the identity is over.

    Both counters count every attempt, also one the other counter refuses, so an
    attacker cannot spread guesses to stay under one of them.
    """
    by_ip = hit(f"{scope}:ip:{ip or 'unknown'}", limit=ip_limit, window=window)
    by_identity = hit(
        _identity_key(scope, identity), limit=identity_limit, window=window
    )
    if by_ip and by_identity:
        return True
    over = [name for name, ok in (("ip", by_ip), ("user", by_identity)) if not ok]
    audit_log.warning(
        "Rate limit refused %s: user=%r ip=%s over=%s",
        scope,
        identity,
        ip or "-",
        ",".join(over),
    )
    return False


def client_ip(request):
    """The client's address; behind a proxy set DJANGO_TRUSTED_PROXY_COUNT."""
    hops = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops and forwarded:
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if len(addresses) >= hops:
            return addresses[-hops]
    return request.META.get("REMOTE_ADDR", "")
