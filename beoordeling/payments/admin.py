"""Wagtail admin screens for the financial administrator: payments, batches, statements.

Registered under ``/admin/betalingen/`` (URL namespace ``betalingen``) with one menu
item, shown to users who may manage payments (``subsidies.manage_payments``).
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from accounts.roles import MANAGE_PAYMENTS
from portal.shared.admin_screens import register_admin_screens

from . import views

app_name = "betalingen"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("bijwerken/", views.SyncView.as_view(), name="sync"),
    path("batch/nieuw/", views.ComposeView.as_view(), name="compose"),
    path("batch/<int:payment_batch_id>/", views.BatchView.as_view(), name="batch"),
    path(
        "batch/<int:payment_batch_id>/goedkeuren/",
        views.BatchActionView.as_view(action="approve"),
        name="batch_approve",
    ),
    path(
        "batch/<int:payment_batch_id>/annuleren/",
        views.BatchActionView.as_view(action="cancel"),
        name="batch_cancel",
    ),
    path(
        "batch/<int:payment_batch_id>/betaling/<int:item_id>/eruit/",
        views.BatchItemReleaseView.as_view(),
        name="batch_item_release",
    ),
    path(
        "batch/<int:payment_batch_id>/download/<str:file_format>/",
        views.BatchDownloadView.as_view(),
        name="batch_download",
    ),
    path("afschrift/", views.StatementUploadView.as_view(), name="statement_upload"),
    path(
        "afschrift/<int:statement_id>/",
        views.StatementView.as_view(),
        name="statement",
    ),
    path(
        "opdracht/<int:instruction_id>/betaald/",
        views.MarkPaidView.as_view(),
        name="mark_paid",
    ),
]


register_admin_screens(
    urlpatterns, app_name, _("Betalingen"), MANAGE_PAYMENTS, icon="doc-full", order=260
)
