"""The resident's URLs, in Dutch: /aanvragen/ to start, /mijn-aanvragen/ afterwards."""

from django.urls import path

from . import views

app_name = "subsidies"

urlpatterns = [
    path("aanvragen/", views.quick_check, name="check"),
    path("aanvragen/<slug:slug>/", views.scheme_start, name="start"),
    path("mijn-aanvragen/", views.my_applications, name="my_applications"),
    path("mijn-aanvragen/<str:reference>/", views.application_detail, name="detail"),
    path(
        "mijn-aanvragen/<str:reference>/verder/",
        views.application_resume,
        name="resume",
    ),
    path(
        "mijn-aanvragen/<str:reference>/invullen/<slug:step>/",
        views.application_step,
        name="step",
    ),
    path(
        "mijn-aanvragen/<str:reference>/ontvangen/",
        views.application_received,
        name="received",
    ),
    path(
        "mijn-aanvragen/<str:reference>/kopie/",
        views.application_copy,
        name="copy",
    ),
    path(
        "mijn-aanvragen/<str:reference>/aanvullen/",
        views.application_supplement,
        name="supplement",
    ),
    path(
        "mijn-aanvragen/<str:reference>/intrekken/",
        views.application_withdraw,
        name="withdraw",
    ),
    path(
        "mijn-aanvragen/<str:reference>/besluit/",
        views.letter_download,
        name="letter",
    ),
    path(
        "mijn-aanvragen/<str:reference>/documenten/<int:pk>/",
        views.document_download,
        name="document",
    ),
    path(
        "mijn-aanvragen/<str:reference>/documenten/<int:pk>/verwijderen/",
        views.document_delete,
        name="document_delete",
    ),
]
