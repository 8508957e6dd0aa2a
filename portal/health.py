"""What the load balancer and a resident see of the services behind the app.

``HealthCheckMiddleware`` answers ``/healthz`` before any other middleware (no host
check, no HTTPS redirect, no session): the load balancer asks each app server by its
address. It checks that the database, the cache and the private object store answer,
and says only which of them do: no personal data, no configuration.

``server_error`` is the 500 handler. When the error is that the database cannot be
reached, it shows the Dutch 503 page with ``Retry-After`` instead of the 500 page; the
connection pool gives up quickly (``DB_POOL_TIMEOUT``), so the resident waits seconds,
not a hang. Both pages are rendered without a request context: nothing on them may
need the database.
"""

import logging
import sys
import uuid

from django.core.cache import cache
from django.core.files.storage import storages
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views.defaults import server_error as django_server_error

HEALTH_PATH = "/healthz"
RETRY_AFTER_SECONDS = 30
#: Never written: asking whether it exists is a round trip to the object store.
STORAGE_PROBE = "healthz/probe"

logger = logging.getLogger(__name__)


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache():
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return what was stored")
    cache.delete(key)


def _storage():
    storages["private"].exists(STORAGE_PROBE)


CHECKS = {"database": _database, "cache": _cache, "storage": _storage}


def health():
    """Each check's result, ``ok`` or ``fout``; the reason goes to the log only."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            logger.exception("Health check %s failed", name)
            results[name] = "fout"
        else:
            results[name] = "ok"
    return results


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != HEALTH_PATH:
            return self.get_response(request)
        if request.method not in {"GET", "HEAD"}:
            return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
        results = health()
        healthy = all(value == "ok" for value in results.values())
        response = JsonResponse(
            {"status": "ok" if healthy else "fout", "checks": results},
            status=200 if healthy else 503,
        )
        response["Cache-Control"] = "no-store"
        return response


def database_unavailable(exc):
    """A connection that could not be made or was lost (a pool timeout included)."""
    return isinstance(exc, OperationalError | InterfaceError)


def server_error(request, template_name="500.html"):
    exc = sys.exc_info()[1]
    if exc is not None and database_unavailable(exc):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    return django_server_error(request, template_name)
