"""The portal's URLs with Django's ``set_language`` view at /i18n/setlang/.

portal/urls.py does not route ``set_language`` yet (the line is asked for in the
issue 18 report); until it does, the i18n and English-journey tests use this
URLconf. Once portal/urls.py has the route this module adds nothing.
"""

from django.urls import NoReverseMatch, include, path, reverse

from portal import urls as portal_urls

handler500 = portal_urls.handler500

urlpatterns = list(portal_urls.urlpatterns)
try:
    reverse("set_language", urlconf=portal_urls)
except NoReverseMatch:
    urlpatterns.insert(0, path("i18n/", include("django.conf.urls.i18n")))
