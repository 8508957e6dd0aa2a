"""Wagtail admin screens for bezwaren: the queue, registering, one bezwaar and its steps.

Registered under ``/admin/bezwaren/`` (URL namespace ``bezwaren``) with one menu item
"Bezwaren", shown to users who may see bezwaren (``beoordeling.view_objection``:
Bezwaarbehandelaar and Besluitvormer). Every step is a POST to its own URL.
"""

from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts.roles import VIEW_OBJECTION

from . import views

app_name = views.URL_NAMESPACE

#: The URL of each step (``views.ACTIONS``), under ``bezwaar/<id>/``.
STEP_PATHS = {
    "assign": "toewijzen",
    "classify": "indelen",
    "judge_lateness": "termijnoverschrijding",
    "schedule_hearing": "hoorzitting",
    "record_hearing": "hoorzitting/verslag",
    "waive_hearing": "niet-horen",
    "extend": "verdagen",
    "record_decision": "beslissing",
    "decide": "beslissen",
    "approve": "goedkeuren",
    "send_back": "terugsturen",
    "withdraw": "intrekking",
}

urlpatterns = [
    path("", views.QueueView.as_view(), name="index"),
    path("registreren/", views.RegisterView.as_view(), name="register"),
    path("bezwaar/<int:objection_id>/", views.DetailView.as_view(), name="detail"),
    path(
        "bezwaar/<int:objection_id>/document/<int:document_id>/",
        views.DocumentView.as_view(),
        name="document",
    ),
    *(
        path(
            f"bezwaar/<int:objection_id>/{segment}/",
            views.ActionView.as_view(action=name),
            name=name,
        )
        for name, segment in STEP_PATHS.items()
    ),
]


class ObjectionsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW_OBJECTION)


@hooks.register("register_admin_urls")
def register_objection_urls():
    return [path("bezwaren/", include((urlpatterns, app_name), namespace=app_name))]


@hooks.register("register_admin_menu_item")
def register_objections_menu_item():
    return ObjectionsMenuItem(
        _("Bezwaren"),
        reverse_lazy("bezwaren:index"),
        name="bezwaren",
        icon_name="warning",
        order=270,
    )
