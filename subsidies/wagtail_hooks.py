"""Wagtail admin screens for administrators: schemes, rounds, wijken and choice lists."""

from django.core.exceptions import ValidationError
from django.urls import include, path, reverse_lazy
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import EditView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from accounts.roles import ASSIST_APPLICATION
from portal.shared.admin_screens import PermissionMenuItem

from . import urls as _urls  # noqa: F401  (registers the <reference> converter)
from .forms.fields import EuroCentsField
from .models import (
    Buurt,
    CeilingExceeded,
    QuestionSet,
    Round,
    RoundWijkLimit,
    Scheme,
    TargetGroup,
    Theme,
    Wijk,
)
from .money import format_euros
from .views import assisted


def _euro_label(verbose_name):
    """'subsidieplafond (cent)' -> 'Subsidieplafond (euro)'."""
    return capfirst(str(verbose_name).replace("(cent)", "(euro)"))


class EuroAmountsMixin:
    """Every ``*_cents`` field of the form is typed and shown in euros; the listing
    shows them as euros too (``euro_column``)."""

    def formfield_for_dbfield(self, db_field, **kwargs):
        if db_field.name.endswith("_cents"):
            return EuroCentsField(
                label=_euro_label(db_field.verbose_name),
                required=not db_field.blank,
                help_text=db_field.help_text,
            )
        return super().formfield_for_dbfield(db_field, **kwargs)


def euro_column(name):
    field = Round._meta.get_field(name)
    return Column(
        name,
        label=_euro_label(field.verbose_name),
        accessor=lambda obj: format_euros(getattr(obj, name), nbsp=True),
    )


def _euro_cents_field(model, name):
    """The ``EuroCentsField`` that ``EuroAmountsMixin`` gives a ``*_cents`` field, for
    a form built from panels (which does not call ``formfield_for_dbfield``)."""
    field = model._meta.get_field(name)
    return EuroCentsField(
        label=lazy(_euro_label, str)(field.verbose_name),
        required=not field.blank,
        help_text=field.help_text,
    )


class SchemeForm(WagtailAdminModelForm):
    min_amount_cents = _euro_cents_field(Scheme, "min_amount_cents")
    max_amount_cents = _euro_cents_field(Scheme, "max_amount_cents")
    direct_settlement_max_cents = _euro_cents_field(
        Scheme, "direct_settlement_max_cents"
    )


class SchemeViewSet(EuroAmountsMixin, ModelViewSet):
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
    #: The form as panels, so the English texts (issue 18) sit together in one group
    #: right after the Dutch texts they translate.
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("reference_prefix"),
        FieldPanel("purpose"),
        FieldPanel("for_whom"),
        FieldPanel("not_for"),
        MultiFieldPanel(
            [
                FieldPanel("name_en"),
                FieldPanel("purpose_en"),
                FieldPanel("for_whom_en"),
                FieldPanel("not_for_en"),
            ],
            heading=_("Engelse teksten (voor bewoners die Engels kiezen)"),
            help_text=_(
                "Bewoners kunnen de website in het Engels lezen. Zij zien dan deze "
                "teksten. Laat u een veld leeg? Dan zien zij de Nederlandse tekst. "
                "Schrijf in eenvoudig Engels."
            ),
        ),
        FieldPanel("legal_basis"),
        FieldPanel("regulation_title"),
        FieldPanel("regulation_date"),
        FieldPanel("min_amount_cents"),
        FieldPanel("max_amount_cents"),
        FieldPanel("allocation_mode"),
        FieldPanel("decision_weeks"),
        FieldPanel("extension_weeks"),
        FieldPanel("supplement_days"),
        FieldPanel("assessors_required"),
        FieldPanel("impact_bands"),
        FieldPanel("letter_obligations"),
        FieldPanel("settlement_route"),
        FieldPanel("direct_settlement_max_cents"),
        FieldPanel("letter_accountability"),
        FieldPanel("letter_accountability_direct"),
        FieldPanel("advance_percent"),
        FieldPanel("advance_part_months"),
        FieldPanel("letter_payment"),
        FieldPanel("active"),
    ]

    def get_edit_handler(self):
        return ObjectList(self.panels, base_form_class=SchemeForm).bind_to_model(
            self.model
        )


class QuestionSetViewSet(ModelViewSet):
    model = QuestionSet
    icon = "list-ul"
    menu_label = _("Vragensets")
    list_display = ["scheme", "version", "created_at"]
    list_filter = ["scheme"]
    form_fields = ["scheme", "version", "questions"]


def _form_errors(form, error):
    """Put a ``ValidationError`` raised on save on the form's fields (or on top)."""
    messages = error.message_dict if hasattr(error, "error_dict") else {None: error}
    for name, errors in messages.items():
        form.add_error(name if name in form.fields else None, errors)


class RoundEditView(EditView):
    """Saving a round re-checks the round rules and the ceiling under the round's row
    lock (``Round.save``). A decision committed between the form's check and the save
    (or a ceiling lowered below it) is refused there: that is a form error on the
    screen with everything typed kept, not a server error."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            _form_errors(form, error)
        except CeilingExceeded as error:
            form.add_error("ceiling_cents", str(error))
        self.produced_error_message = self.get_error_message()
        return self.form_invalid(form)


class RoundViewSet(EuroAmountsMixin, ModelViewSet):
    model = Round
    edit_view_class = RoundEditView
    icon = "date"
    menu_label = _("Rondes")
    list_display = [
        "name",
        "scheme",
        "opens_at",
        "closes_at",
        euro_column("ceiling_cents"),
    ]
    list_filter = ["scheme"]
    search_fields = ["name"]
    form_fields = [
        "scheme",
        "name",
        "opens_at",
        "closes_at",
        "ceiling_cents",
        "objection_reserve_cents",
        "on_shortfall",
        "min_partial_cents",
        "four_eyes_threshold_cents",
        "lottery_seed",
        "published_rule",
    ]


class RoundWijkLimitViewSet(EuroAmountsMixin, ModelViewSet):
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


# --- Aanvragen met hulp: the wijkbureau fills in an application for a resident ---------
# (``subsidies.views.assisted``; the role Wijkbureau, ``subsidies.assist_application``.)

assisted_urlpatterns = [
    path("", assisted.IndexView.as_view(), name="index"),
    path("nieuw/", assisted.StartView.as_view(), name="start"),
    path(
        "<reference:reference>/invullen/<slug:step>/",
        assisted.assisted_step,
        name="step",
    ),
    path(
        "<reference:reference>/bijlagen/<int:document_pk>/verwijderen/",
        assisted.assisted_document_delete,
        name="document_delete",
    ),
    path(
        "<reference:reference>/toestemming/",
        assisted.ConsentView.as_view(),
        name="consent",
    ),
    path(
        "<reference:reference>/overdragen/",
        assisted.HandoverView.as_view(),
        name="handover",
    ),
    path(
        "<reference:reference>/nieuwe-code/",
        assisted.assisted_reissue_code,
        name="reissue_code",
    ),
    path(
        "<reference:reference>/e-mailadres/",
        assisted.ChangeEmailView.as_view(),
        name="change_email",
    ),
]


@hooks.register("register_admin_urls")
def register_assisted_urls():
    return [
        path(
            "aanvragen-met-hulp/",
            include(
                (assisted_urlpatterns, assisted.NAMESPACE),
                namespace=assisted.NAMESPACE,
            ),
        )
    ]


@hooks.register("register_admin_menu_item")
def register_assisted_menu_item():
    return PermissionMenuItem(
        _("Aanvragen met hulp"),
        reverse_lazy(f"{assisted.NAMESPACE}:index"),
        name="aanvragen-met-hulp",
        icon_name="user",
        order=150,
        permission=ASSIST_APPLICATION,
    )
