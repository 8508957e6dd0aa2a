"""Public URLs of the open-data (Woo) overview, mounted at ``/open-data/``."""

from django.urls import path

from . import views_public

app_name = "opendata"

urlpatterns = [
    path("", views_public.OpenDataView.as_view(), name="index"),
    path(
        "subsidies.<str:fmt>",
        views_public.OpenDataDownloadView.as_view(),
        name="download",
    ),
]
