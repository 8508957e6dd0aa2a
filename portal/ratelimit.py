"""A small fixed-window rate limiter on Django's cache.

Used for the logins (magic link, admin). Each key allows ``limit`` hits per ``window``
seconds; the window starts at the first hit. With several app servers the cache must be
shared (e.g. Redis or the database cache) for the limit to hold across them.
"""

from django.core.cache import cache


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


def client_ip(request):
    """The client's address; behind a proxy set DJANGO_TRUSTED_PROXY_COUNT."""
    from django.conf import settings

    hops = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops and forwarded:
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if len(addresses) >= hops:
            return addresses[-hops]
    return request.META.get("REMOTE_ADDR", "")
