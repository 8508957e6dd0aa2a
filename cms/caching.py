"""What every public page reads, cached between requests: the Wagtail site of the
host and that site's help settings ("Hulp nodig?").

Wagtail keeps both only for one request (``request._wagtail_site`` and the setting
on the request); without this every page looked them up again. Saving or deleting a
site or the help settings drops both caches at once (``changed``).
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from wagtail.models import Site

#: Hours a site or its help settings stay cached when nothing changes (a safety net).
SECONDS = 3600
_GENERATION_KEY = "cms:site-cache:generation"
_NO_SITE = "none"


def _generation():
    return cache.get_or_set(_GENERATION_KEY, 1, None)


def changed(sender=None, created=False, **kwargs):
    """Forget the cached sites and help settings. A setting's row made on its first
    read holds the defaults that were shown already: nothing to forget."""
    if created and sender is not Site:
        return
    try:
        cache.incr(_GENERATION_KEY)
    except ValueError:
        cache.set(_GENERATION_KEY, 1, None)


def site_for_request(request):
    """``Site.find_for_request``, from the cache when the host was seen before."""
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    key = f"cms:site:{_generation()}:{request._get_raw_host()}:{request.get_port()}"
    site = cache.get(key)
    if site is None:
        site = Site._find_for_request(request)
        cache.set(key, _NO_SITE if site is None else site, SECONDS)
    elif site == _NO_SITE:
        site = None
    request._wagtail_site = site
    return site


def setting_for_site(model, site):
    """``model.for_site(site)`` (a site setting), from the cache."""
    key = f"cms:setting:{_generation()}:{model._meta.label_lower}:{site.pk}"
    instance = cache.get(key)
    if instance is None:
        instance = model.for_site(site)
        cache.set(key, instance, SECONDS)
    return instance


class CachedSiteMiddleware:
    """Finds the request's Wagtail site through the cache before any view asks."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        site_for_request(request)
        return self.get_response(request)


def connect(*models):
    for model in (Site, *models):
        post_save.connect(changed, sender=model, dispatch_uid=f"cms-cache-{model}")
        post_delete.connect(changed, sender=model, dispatch_uid=f"cms-cache-d-{model}")
