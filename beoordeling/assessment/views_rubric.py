"""Administrators' screens for the rubrics: the versions per scheme and a new version.

A published version is never edited. "Nieuwe versie" starts from the current criteria;
saving publishes the next version through ``services.rubric_publish``. Applications
that already have assessors keep the version they were assessed on.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.roles import ADD_RUBRIC, VIEW_RUBRIC
from subsidies.models import Scheme

from ..models import Assessment, AssessmentSummary, Rubric
from . import forms, services

URL_NAMESPACE = "beoordelingsmatrices"


def url(name, *args):
    return reverse(f"{URL_NAMESPACE}:{name}", args=args)


def _with_usage(queryset):
    return queryset.annotate(
        used=Exists(AssessmentSummary.objects.filter(rubric=OuterRef("pk")))
        | Exists(Assessment.objects.filter(rubric=OuterRef("pk")))
    )


class RubricPermissionMixin:
    permission = VIEW_RUBRIC

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *WagtailAdminTemplateMixin.breadcrumbs_items,
            {"url": url("index"), "label": _("Beoordelingsmatrices")},
            {"url": "", "label": self.get_page_title()},
        ]


class RubricIndexView(RubricPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "beoordeling/assessment/rubric_index.html"
    page_title = gettext_lazy("Beoordelingsmatrices")
    header_icon = "table"

    def get_breadcrumbs_items(self):
        return [
            *WagtailAdminTemplateMixin.breadcrumbs_items,
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["schemes"] = Scheme.objects.prefetch_related(
            Prefetch(
                "rubrics",
                queryset=_with_usage(
                    Rubric.objects.order_by("-version")
                ).prefetch_related("criteria"),
            )
        )
        context["can_publish"] = self.request.user.has_perm(ADD_RUBRIC)
        return context


class RubricDetailView(RubricPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "beoordeling/assessment/rubric_detail.html"
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        self.rubric = get_object_or_404(
            _with_usage(Rubric.objects.select_related("scheme", "created_by")),
            pk=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("%(scheme)s, versie %(version)s") % {
            "scheme": self.rubric.scheme.name,
            "version": self.rubric.version,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        criteria = list(self.rubric.criteria.all())
        context.update(
            rubric=self.rubric,
            criteria=criteria,
            total_weight=sum(c.weight for c in criteria),
            can_publish=self.request.user.has_perm(ADD_RUBRIC),
        )
        return context


class RubricPublishView(RubricPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "beoordeling/assessment/rubric_form.html"
    header_icon = "table"
    permission = ADD_RUBRIC

    def dispatch(self, request, *args, **kwargs):
        self.scheme = get_object_or_404(Scheme, pk=kwargs["scheme_pk"])
        self.current = Rubric.objects.current_for(self.scheme)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Nieuwe versie: %(scheme)s") % {"scheme": self.scheme.name}

    def get(self, request, *args, **kwargs):
        form = forms.RubricVersionForm()
        formset = forms.CriterionFormSet(
            initial=forms.criteria_initial(self.current), prefix="criteria"
        )
        return self.render_to_response(
            self.get_context_data(form=form, formset=formset)
        )

    def post(self, request, *args, **kwargs):
        form = forms.RubricVersionForm(request.POST)
        formset = forms.CriterionFormSet(request.POST, prefix="criteria")
        if form.is_valid() and formset.is_valid():
            criteria = [
                row for row in formset.cleaned_data if row and not row.get("DELETE")
            ]
            try:
                rubric = services.rubric_publish(
                    scheme=self.scheme,
                    criteria=criteria,
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
            except services.AssessmentError as error:
                form.add_service_error(error)
            else:
                messages.success(
                    request,
                    _("Versie %(version)s van de beoordelingsmatrix is gepubliceerd.")
                    % {"version": rubric.version},
                )
                return redirect(url("detail", rubric.pk))
        return self.render_to_response(
            self.get_context_data(form=form, formset=formset)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            scheme=self.scheme, current=self.current, cancel_url=url("index")
        )
        return context
