"""The project's URLs with the resident's page to take over an application from the
wijkbureau (``subsidies.urls_assisted``), as ``portal/urls.py`` is to include it."""

from django.urls import include, path

from portal.urls import handler500  # noqa: F401
from portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [path("", include("subsidies.urls_assisted")), *portal_urlpatterns]
