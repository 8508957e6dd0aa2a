"""Wagtail admin screens for bezwaren: the queue, registering, one bezwaar and its steps.

Registered under ``/admin/bezwaren/`` (URL namespace ``bezwaren``) with one menu item
"Bezwaren", shown to users who may see bezwaren (``beoordeling.view_objection``:
Bezwaarbehandelaar and Besluitvormer). Every step is a POST to its own URL.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from accounts.roles import VIEW_OBJECTION
from portal.shared.admin_screens import register_admin_screens

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


register_admin_screens(
    urlpatterns, app_name, _("Bezwaren"), VIEW_OBJECTION, icon="warning", order=270
)
