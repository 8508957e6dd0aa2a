"""Wagtail admin screens for the financial administrator: payments, batches, statements.

Registered under ``/admin/betalingen/`` (URL namespace ``betalingen``) with one menu
item, shown to users who may manage payments (``subsidies.manage_payments``).
"""

from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts.roles import MANAGE_PAYMENTS

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


class PaymentsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(MANAGE_PAYMENTS)


@hooks.register("register_admin_urls")
def register_payment_urls():
    return [path("betalingen/", include((urlpatterns, app_name), namespace=app_name))]


@hooks.register("register_admin_menu_item")
def register_payments_menu_item():
    return PaymentsMenuItem(
        _("Betalingen"),
        reverse_lazy("betalingen:index"),
        name="betalingen",
        icon_name="doc-full",
        order=260,
    )
