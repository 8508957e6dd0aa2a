"""The resident's URLs, in Dutch: /aanvragen/ to start, /mijn-aanvragen/ afterwards."""

from django.urls import path, register_converter

from . import views
from .views.mine import application_copy_pdf, application_copy_text


class ReferenceConverter:
    """A kenmerk as it can be stored (``IF-2026-0042``, or an imported one): letters,
    digits, dots, dashes and underscores, at most 20. Anything else is a 404 at the
    resolver, before a query (PostgreSQL refuses a NUL byte in a lookup outright)."""

    regex = r"[A-Za-z0-9][A-Za-z0-9._-]{0,19}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ReferenceConverter, "reference")

app_name = "subsidies"

urlpatterns = [
    path("aanvragen/", views.quick_check, name="check"),
    path("aanvragen/<slug:slug>/", views.scheme_start, name="start"),
    path("mijn-aanvragen/", views.my_applications, name="my_applications"),
    path(
        "mijn-aanvragen/<reference:reference>/", views.application_detail, name="detail"
    ),
    path(
        "mijn-aanvragen/<reference:reference>/verder/",
        views.application_resume,
        name="resume",
    ),
    path(
        "mijn-aanvragen/<reference:reference>/invullen/<slug:step>/",
        views.application_step,
        name="step",
    ),
    path(
        "mijn-aanvragen/<reference:reference>/ontvangen/",
        views.application_received,
        name="received",
    ),
    path(
        "mijn-aanvragen/<reference:reference>/kopie/",
        views.application_copy,
        name="copy",
    ),
    path(
        "mijn-aanvragen/<reference:reference>/kopie.pdf",
        application_copy_pdf,
        name="copy_pdf",
    ),
    path(
        "mijn-aanvragen/<reference:reference>/kopie.txt",
        application_copy_text,
        name="copy_text",
    ),
    path(
        "mijn-aanvragen/<reference:reference>/aanvullen/",
        views.application_supplement,
        name="supplement",
    ),
    path(
        "mijn-aanvragen/<reference:reference>/intrekken/",
        views.application_withdraw,
        name="withdraw",
    ),
    path(
        "mijn-aanvragen/<reference:reference>/besluit/",
        views.letter_download,
        name="letter",
    ),
    path(
        "mijn-aanvragen/<reference:reference>/besluiten/<int:pk>/",
        views.letter_document_download,
        name="letter_document",
    ),
    path(
        "mijn-aanvragen/<reference:reference>/wijziging/",
        views.change_request,
        name="change_request",
    ),
    path(
        "mijn-aanvragen/<reference:reference>/documenten/<int:pk>/",
        views.document_download,
        name="document",
    ),
    path(
        "mijn-aanvragen/<reference:reference>/documenten/<int:pk>/verwijderen/",
        views.document_delete,
        name="document_delete",
    ),
    path(
        "mijn-aanvragen/<reference:reference>/verantwoording/",
        views.report_detail,
        name="report",
    ),
    path(
        "mijn-aanvragen/<reference:reference>/verantwoording/verder/",
        views.report_resume,
        name="report_resume",
    ),
    path(
        "mijn-aanvragen/<reference:reference>/verantwoording/<slug:step>/",
        views.report_step,
        name="report_step",
    ),
    path(
        "mijn-aanvragen/<reference:reference>/verantwoording/bewijs/<int:pk>/verwijderen/",
        views.report_document_delete,
        name="report_document_delete",
    ),
    path(
        "mijn-aanvragen/<reference:reference>/contactadres-bevestigen/",
        views.contact_resend,
        name="contact_resend",
    ),
    path("contactadres/bevestigen/", views.contact_confirm, name="contact_confirm"),
]
