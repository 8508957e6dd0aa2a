"""Wagtail admin screens for assessors: the queue, the application, the settings.

Registered here (imported by ``beoordeling.wagtail_hooks``):

- ``/admin/beoordelen/``: the queue and, per application, the detail screen and the
  actions (randvoorwaarden, aanvulling, buiten behandeling, assign, declare, score,
  consensus, complete, document download). Menu item "Beoordelen" for everyone with
  ``subsidies.view_application``; what each user sees follows
  ``beoordeling.assessment.selectors.applications_visible_to``.
- "Beoordeling instellen" for administrators: randvoorwaarden per scheme
  (``/admin/randvoorwaarden/``), versioned rubrics (``/admin/beoordelingsmatrices/``)
  and teams (``/admin/beoordelingsteams/``).
- ``/admin/verantwoordingen/``: the sent verantwoordingen to review and the
  steekproef (``views_report``), for the same users as the queue.
- A dashboard panel with overdue and nearly due applications.
"""

from django import forms
from django.contrib.auth.models import Permission
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from accounts.roles import VIEW_RUBRIC
from portal.shared.admin_screens import permission_menu_item_class

from ..models import PreconditionRule, Team
from . import queue, selectors, views
from . import views_report as report_views
from . import views_rubric as rubric_views


class AssessmentViewSet(ViewSet):
    name = queue.URL_NAMESPACE
    icon = "tasks"
    menu_label = _("Beoordelen")
    menu_order = 150
    add_to_admin_menu = True
    menu_item_class = permission_menu_item_class(queue.VIEW_PERMISSION)

    def get_urlpatterns(self):
        index_kwargs = {
            "index_url_name": f"{self.name}:index",
            "index_results_url_name": f"{self.name}:index_results",
        }
        return [
            path("", queue.QueueView.as_view(**index_kwargs), name="index"),
            path(
                "resultaten/",
                queue.QueueView.as_view(**index_kwargs, results_only=True),
                name="index_results",
            ),
            path("<int:pk>/", views.ApplicationDetailView.as_view(), name="detail"),
            path(
                "<int:pk>/randvoorwaarden/",
                views.PreconditionsView.as_view(),
                name="preconditions",
            ),
            path(
                "<int:pk>/aanvulling/",
                views.SupplementRequestView.as_view(),
                name="supplement",
            ),
            path(
                "<int:pk>/buiten-behandeling/",
                views.SetAsideView.as_view(),
                name="set_aside",
            ),
            path("<int:pk>/toewijzen/", views.AssignView.as_view(), name="assign"),
            path(
                "<int:pk>/verklaring/", views.DeclarationView.as_view(), name="declare"
            ),
            path(
                "<int:pk>/verklaring/wijzigen/",
                views.DeclarationAmendView.as_view(),
                name="declare_amend",
            ),
            path("<int:pk>/scoren/", views.ScoreView.as_view(), name="score"),
            path(
                "<int:pk>/consensus/", views.ConsensusView.as_view(), name="consensus"
            ),
            path("<int:pk>/afronden/", views.CompleteView.as_view(), name="complete"),
            path(
                "<int:pk>/documenten/<int:document_pk>/",
                views.DocumentDownloadView.as_view(),
                name="document",
            ),
        ]


class ReportViewSet(ViewSet):
    """The verantwoordingen to review, and the steekproef (``views_report``)."""

    name = report_views.URL_NAMESPACE
    icon = "doc-full"
    menu_label = _("Verantwoordingen")
    menu_order = 151
    add_to_admin_menu = True
    menu_item_class = permission_menu_item_class(queue.VIEW_PERMISSION)

    def get_urlpatterns(self):
        return [
            path("", report_views.ReportListView.as_view(), name="index"),
            path("steekproef/", report_views.SampleView.as_view(), name="sample"),
            path("<int:pk>/", report_views.ReportReviewView.as_view(), name="review"),
            path(
                "<int:pk>/vraag/",
                report_views.ReportQuestionView.as_view(),
                name="question",
            ),
        ]


class PreconditionRuleViewSet(ModelViewSet):
    model = PreconditionRule
    name = "randvoorwaarden"
    icon = "tick-inverse"
    menu_label = _("Randvoorwaarden")
    list_display = ["label", "scheme", "code", "hard", "computed_check", "active"]
    list_filter = ["scheme", "hard", "active"]
    search_fields = ["label", "code"]
    form_fields = [
        "scheme",
        "code",
        "label",
        "public_text",
        "description",
        "computed_check",
        "hard",
        "parameter",
        "active",
        "sort_order",
    ]
    copy_view_enabled = False


class TeamViewSet(ModelViewSet):
    model = Team
    name = "beoordelingsteams"
    icon = "group"
    menu_label = _("Teams")
    list_display = ["name"]
    search_fields = ["name"]
    form_fields = ["name", "members", "wijken", "schemes"]
    copy_view_enabled = False

    def formfield_for_dbfield(self, db_field, **kwargs):
        if db_field.many_to_many:
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return db_field.formfield(**kwargs)


class RubricViewSet(ViewSet):
    name = rubric_views.URL_NAMESPACE
    icon = "table"
    menu_label = _("Beoordelingsmatrices")
    menu_item_class = permission_menu_item_class(VIEW_RUBRIC)

    def get_urlpatterns(self):
        return [
            path("", rubric_views.RubricIndexView.as_view(), name="index"),
            path("<int:pk>/", rubric_views.RubricDetailView.as_view(), name="detail"),
            path(
                "regeling/<int:scheme_pk>/nieuwe-versie/",
                rubric_views.RubricPublishView.as_view(),
                name="publish",
            ),
        ]


class AssessmentConfigurationGroup(ViewSetGroup):
    menu_label = _("Beoordeling instellen")
    menu_icon = "cogs"
    menu_order = 310
    items = (PreconditionRuleViewSet, RubricViewSet, TeamViewSet)


@hooks.register("register_admin_viewset")
def register_assessment_viewsets():
    return [AssessmentViewSet(), ReportViewSet(), AssessmentConfigurationGroup()]


@hooks.register("register_permissions")
def register_assessment_permissions():
    return Permission.objects.filter(
        content_type__app_label="beoordeling",
        codename__in=[
            "view_all_applications",
            "add_rubric",
            "view_rubric",
        ],
    )


class DeadlinesPanel(Component):
    """Dashboard: how many applications are overdue or due within 7 days."""

    name = "beoordeling_deadlines"
    order = 50
    template_name = "beoordeling/assessment/dashboard_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        now = timezone.now()
        return {
            "overview": selectors.deadline_overview(self.user, now=now),
            "queue_url": queue.url("index"),
            "soon_days": selectors.DUE_SOON_DAYS,
            "now": now,
        }


@hooks.register("construct_homepage_panels")
def add_deadlines_panel(request, panels):
    if request.user.has_perm(queue.VIEW_PERMISSION):
        panels.append(DeadlinesPanel(request.user))
