"""Wagtail admin screens for administrators: schemes, rounds, wijken and choice lists."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from .models import (
    Buurt,
    QuestionSet,
    Round,
    RoundWijkLimit,
    Scheme,
    TargetGroup,
    Theme,
    Wijk,
)


class SchemeViewSet(ModelViewSet):
    model = Scheme
    icon = "doc-full"
    menu_label = _("Regelingen")
    list_display = [
        "name",
        "reference_prefix",
        "allocation_mode",
        "decision_weeks",
        "assessors_required",
    ]
    search_fields = ["name"]
    form_fields = [
        "name",
        "slug",
        "reference_prefix",
        "purpose",
        "for_whom",
        "not_for",
        "legal_basis",
        "min_amount_cents",
        "max_amount_cents",
        "allocation_mode",
        "decision_weeks",
        "extension_weeks",
        "supplement_days",
        "assessors_required",
        "impact_bands",
        "letter_obligations",
        "letter_accountability",
        "letter_payment",
        "active",
    ]


class QuestionSetViewSet(ModelViewSet):
    model = QuestionSet
    icon = "list-ul"
    menu_label = _("Vragensets")
    list_display = ["scheme", "version", "created_at"]
    list_filter = ["scheme"]
    form_fields = ["scheme", "version", "questions"]


class RoundViewSet(ModelViewSet):
    model = Round
    icon = "date"
    menu_label = _("Rondes")
    list_display = ["name", "scheme", "opens_at", "closes_at", "ceiling_cents"]
    list_filter = ["scheme"]
    search_fields = ["name"]
    form_fields = [
        "scheme",
        "name",
        "opens_at",
        "closes_at",
        "ceiling_cents",
        "on_shortfall",
        "min_partial_cents",
        "four_eyes_threshold_cents",
        "lottery_seed",
        "published_rule",
    ]


class RoundWijkLimitViewSet(ModelViewSet):
    model = RoundWijkLimit
    icon = "order"
    menu_label = _("Wijkgrenzen per ronde")
    list_display = ["round", "wijk", "floor_cents", "cap_cents"]
    list_filter = ["round", "wijk"]
    form_fields = ["round", "wijk", "floor_cents", "cap_cents"]


class WijkViewSet(ModelViewSet):
    model = Wijk
    icon = "site"
    menu_label = _("Wijken")
    list_display = ["name", "fair_share_weight", "is_aandachtswijk"]
    form_fields = [
        "name",
        "code",
        "fair_share_weight",
        "is_aandachtswijk",
        "sort_order",
    ]


class BuurtViewSet(ModelViewSet):
    model = Buurt
    icon = "home"
    menu_label = _("Buurten")
    list_display = ["name", "wijk", "code"]
    list_filter = ["wijk"]
    search_fields = ["name", "code"]
    form_fields = ["wijk", "name", "code"]


class TargetGroupViewSet(ModelViewSet):
    model = TargetGroup
    icon = "group"
    menu_label = _("Doelgroepen")
    list_display = ["name", "active"]
    form_fields = ["name", "slug", "active", "sort_order"]


class ThemeViewSet(ModelViewSet):
    model = Theme
    icon = "tag"
    menu_label = _("Thema's")
    list_display = ["name", "active"]
    form_fields = ["name", "slug", "active", "sort_order"]


class ConfigurationGroup(ViewSetGroup):
    menu_label = _("Instellingen regelingen")
    menu_icon = "cogs"
    menu_order = 300
    items = (
        SchemeViewSet,
        QuestionSetViewSet,
        RoundViewSet,
        RoundWijkLimitViewSet,
        WijkViewSet,
        BuurtViewSet,
        TargetGroupViewSet,
        ThemeViewSet,
    )


@hooks.register("register_admin_viewset")
def register_configuration():
    return ConfigurationGroup()
