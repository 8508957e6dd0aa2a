"""Wagtail admin screens for decision makers: allocation runs, four eyes and letters.

Registered under ``/admin/besluiten/`` (URL namespace ``besluiten``) with one menu item,
shown to users who may decide (``subsidies.decide_application``).
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from accounts.roles import DECIDE_APPLICATION
from portal.shared.admin_screens import register_admin_screens

from ..models import LetterBatch
from . import views

app_name = "besluiten"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("ronde/<int:round_id>/", views.RoundView.as_view(), name="round"),
    path(
        "ronde/<int:round_id>/verdeling/nieuw/",
        views.RunCreateView.as_view(),
        name="run_create",
    ),
    path(
        "ronde/<int:round_id>/verdeelregel/bekendmaken/",
        views.RulePublishView.as_view(),
        name="rule_publish",
    ),
    path(
        "ronde/<int:round_id>/verdeelregel/nieuw/",
        views.RuleDeviationView.as_view(),
        name="rule_deviation",
    ),
    path(
        "ronde/<int:round_id>/vergelijken/",
        views.CompareView.as_view(),
        name="compare",
    ),
    path(
        "ronde/<int:round_id>/aanvraag/<int:application_id>/besluiten/",
        views.DecideByReceiptView.as_view(),
        name="decide_by_receipt",
    ),
    path(
        "ronde/<int:round_id>/brieven/",
        views.LetterBatchStartView.as_view(),
        name="batch_start",
    ),
    path("verdeling/<int:run_id>/", views.RunView.as_view(), name="run"),
    path("vier-ogen/", views.ApprovalsView.as_view(), name="approvals"),
    path(
        "vier-ogen/<int:result_id>/goedkeuren/",
        views.ApproveView.as_view(),
        name="approve",
    ),
    path(
        "vier-ogen/<int:result_id>/weigeren/",
        views.ReviewView.as_view(action="refuse"),
        name="refuse",
    ),
    path(
        "vier-ogen/<int:result_id>/terugsturen/",
        views.ReviewView.as_view(action="send_back"),
        name="send_back",
    ),
    path(
        "vier-ogen/<int:result_id>/teruggestuurd/",
        views.ReviewView.as_view(action="revise"),
        name="revise",
    ),
    path("brieven/<int:batch_id>/", views.BatchView.as_view(), name="batch"),
    path(
        "aanvraag/<int:application_id>/beschikking/",
        views.IssueLetterView.as_view(),
        name="issue_letter",
    ),
    path(
        "ronde/<int:round_id>/vaststellingen/",
        views.LetterBatchStartView.as_view(kind=LetterBatch.Kind.FIXING),
        name="fixing_batch_start",
    ),
    path("subsidie/<int:application_id>/", views.GrantView.as_view(), name="grant"),
    path(
        "subsidie/<int:application_id>/vaststellen/",
        views.FixView.as_view(),
        name="fix",
    ),
    path(
        "subsidie/<int:application_id>/wijzigen/",
        views.AmendView.as_view(),
        name="amend",
    ),
    path(
        "subsidie/<int:application_id>/intrekken/",
        views.RevokeView.as_view(),
        name="revoke",
    ),
    path(
        "na-toekenning/vier-ogen/",
        views.ProposalsView.as_view(),
        name="proposals",
    ),
    path(
        "na-toekenning/<int:proposal_id>/",
        views.ProposalView.as_view(),
        name="proposal",
    ),
    path(
        "wijzigingsverzoek/<int:change_request_id>/",
        views.ChangeRequestView.as_view(),
        name="change_request",
    ),
    path(
        "beschikking/<int:decision_id>/", views.DecisionView.as_view(), name="decision"
    ),
    path(
        "beschikking/<int:decision_id>/pdf/",
        views.DecisionPdfView.as_view(),
        name="decision_pdf",
    ),
]


register_admin_screens(
    urlpatterns,
    app_name,
    _("Verdelen en besluiten"),
    DECIDE_APPLICATION,
    icon="tasks",
    order=250,
)
