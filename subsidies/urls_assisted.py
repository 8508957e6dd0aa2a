"""The resident's page to take over an application the wijkbureau filled in with a
printed code (``subsidies.views.assisted.assisted_claim``), after a DigiD login.

Included in ``portal/urls.py`` with ``path("", include("subsidies.urls_assisted"))``.
"""

from django.urls import path

from .views.assisted import assisted_claim

app_name = "overnemen"

urlpatterns = [
    path("aanvraag-overnemen/", assisted_claim, name="claim"),
]
