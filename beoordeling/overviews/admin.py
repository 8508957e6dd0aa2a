"""Wagtail admin screens for administrators: exports, imports and the budget dashboard.

Registered under ``/admin/overzichten/`` (URL namespace ``overzichten``), with a submenu
"Overzichten" shown to users with ``subsidies.export_overview`` (the Beheerder role):

- ``besluiten/``, ``aanvragen/``, ``scores/``: the lists with their filters, and
  ``<lijst>/export/`` (POST) to export what is listed as XLSX, CSV or JSON; large
  exports go to the background (``exports/<id>/``, with progress and a download link).
- ``exports/``: the user's background exports and the export log.
- ``begroting/``: the budget dashboard per scheme, round and wijk.
- ``import/``: upload, dry run and confirmation of historical applications or buurten
  (``beoordeling.import_data``); ``import/koppelen/``: linking an imported applicant's
  history to a portal applicant, with a motivation (audited).

A panel on the admin dashboard shows the budget of the open rounds.
"""

from django.contrib.auth.models import Permission
from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.admin.ui.components import Component

from portal.shared.admin_screens import PermissionMenuItem

from ..models import ExportKind
from . import dashboard, views

app_name = views.URL_NAMESPACE

urlpatterns = [
    path("exports/", views.ExportJobListView.as_view(), name="jobs"),
    path("exports/<int:pk>/", views.ExportJobView.as_view(), name="job"),
    path(
        "exports/<int:pk>/download/",
        views.ExportJobDownloadView.as_view(),
        name="job_download",
    ),
    path("begroting/", views.BudgetDashboardView.as_view(), name="dashboard"),
    path("import/", views.ImportUploadView.as_view(), name="import"),
    path("import/<int:pk>/", views.ImportRecordView.as_view(), name="import_record"),
    path("import/koppelen/", views.HistoryLinkView.as_view(), name="history_link"),
    path("<slug:kind>/", views.OverviewListView.as_view(), name="list"),
    path("<slug:kind>/export/", views.ExportView.as_view(), name="export"),
]


def _item(label, name, *args, icon, order, permission=views.EXPORT_PERMISSION):
    return PermissionMenuItem(
        label,
        reverse_lazy(f"{app_name}:{name}", args=args),
        name=f"overzichten-{name}-{'-'.join(args)}".rstrip("-"),
        icon_name=icon,
        order=order,
        permission=permission,
    )


@hooks.register("register_admin_urls")
def register_overview_urls():
    return [path("overzichten/", include((urlpatterns, app_name), namespace=app_name))]


@hooks.register("register_admin_menu_item")
def register_overview_menu():
    items = [
        _item(
            _("Besluiten en toekenningen"),
            "list",
            ExportKind.AWARDS.value,
            icon="doc-full",
            order=100,
        ),
        _item(
            _("Aanvragen"),
            "list",
            ExportKind.APPLICATIONS.value,
            icon="list-ul",
            order=110,
        ),
        _item(
            _("Scores per criterium"),
            "list",
            ExportKind.SCORES.value,
            icon="table",
            order=120,
        ),
        _item(_("Begroting"), "dashboard", icon="table", order=130),
        _item(_("Exports en logboek"), "jobs", icon="download", order=140),
        _item(
            _("Importeren"),
            "import",
            icon="upload",
            order=150,
            permission=views.IMPORT_PERMISSION,
        ),
        _item(
            _("Historie koppelen"),
            "history_link",
            icon="link",
            order=160,
            permission=views.IMPORT_PERMISSION,
        ),
    ]
    return SubmenuMenuItem(
        _("Overzichten"),
        Menu(items=items),
        name="overzichten",
        icon_name="table",
        order=400,
    )


@hooks.register("register_permissions")
def register_overview_permissions():
    return Permission.objects.filter(
        content_type__app_label="beoordeling",
        codename__in=["import_data", "view_exportlog", "view_importrecord"],
    )


class BudgetPanel(Component):
    """Dashboard: ceiling, committed and remaining of the open rounds."""

    name = "overzichten_budget"
    order = 60
    template_name = "beoordeling/exports/dashboard_panel.html"

    def get_context_data(self, parent_context):
        return {
            "rounds": dashboard.open_rounds_budget(),
            "dashboard_url": reverse_lazy(f"{app_name}:dashboard"),
        }


@hooks.register("construct_homepage_panels")
def add_budget_panel(request, panels):
    if request.user.has_perm(views.EXPORT_PERMISSION):
        panels.append(BudgetPanel())
