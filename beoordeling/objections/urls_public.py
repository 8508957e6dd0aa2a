"""The objector's URLs, under "Mijn aanvragen" (mounted at the site root).

``<reference:reference>`` is the application's kenmerk (the converter of
``subsidies.urls``), ``<reference:objection>`` the bezwaar's (``BZ2026-000001``).
"""

from django.urls import path

from subsidies.urls import ReferenceConverter  # noqa: F401 (registers "reference")

from . import views_public

app_name = "bezwaar"

urlpatterns = [
    path(
        "mijn-aanvragen/<reference:reference>/bezwaar/",
        views_public.objection_index,
        name="index",
    ),
    path(
        "mijn-aanvragen/<reference:reference>/bezwaar/nieuw/",
        views_public.objection_new,
        name="new",
    ),
    path(
        "mijn-aanvragen/<reference:reference>/bezwaar/<reference:objection>/verstuurd/",
        views_public.objection_sent,
        name="sent",
    ),
    path(
        "mijn-aanvragen/<reference:reference>/bezwaar/<reference:objection>/intrekken/",
        views_public.objection_withdraw_view,
        name="withdraw",
    ),
    path(
        "mijn-aanvragen/<reference:reference>/bezwaar/<reference:objection>/brieven/<int:pk>/",
        views_public.objection_letter_download,
        name="letter",
    ),
]
