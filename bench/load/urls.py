"""The load test's URLconf: the bare view, then the whole project.

The bare view (``HttpResponse("ok")`` behind every middleware) is the floor the ramp
(``bench/load/ramp.py``) measures next to the resident submit mix on the same
gunicorn server. The harness selects this URLconf with ``LOAD_URLCONF``; without it
the load-test server serves the project's own URLs only.
"""

from django.http import HttpResponse
from django.urls import include, path

BARE = "bench/kaal/"


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path(BARE, bare), path("", include("portal.urls"))]
