"""Views of the overview screens in the Wagtail admin (registered in ``admin``).

Views parse input, call a form and a selector or service, and answer. Everyone here
needs ``subsidies.export_overview`` (the Beheerder role); imports need
``beoordeling.import_data``. A user without it gets a plain 403, not Wagtail's
redirect to the dashboard, so a refused export is unmistakable.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.roles import EXPORT_OVERVIEW, IMPORT_DATA

from ..models import ExportJob, ExportKind, ExportLog, HistoryLink, ImportRecord
from . import dashboard
from .exports import services
from .exports.display import display_row
from .exports.filters import ExportFilters
from .exports.jobs import (
    ExportJobRestartRefused,
    export_job_restart,
    export_job_start,
)
from .exports.resources import RESOURCES
from .forms import (
    DashboardFilterForm,
    ExportRequestForm,
    HistoryLinkForm,
    ImportUploadForm,
    OverviewFilterForm,
)
from .imports import import_check, import_confirm
from .imports.linking import LinkRefused, history_link, import_made_applicants
from .imports.services import ImportNotAllowed
from .objections import objection_dashboard

EXPORT_PERMISSION = EXPORT_OVERVIEW
IMPORT_PERMISSION = IMPORT_DATA
URL_NAMESPACE = "overzichten"
PAGE_SIZE = 50

#: The lists an administrator can look at and export, with the date of their period.
LISTS = {
    ExportKind.AWARDS: (
        gettext_lazy("Besluiten en toekenningen"),
        gettext_lazy("Besloten"),
    ),
    ExportKind.APPLICATIONS: (gettext_lazy("Aanvragen"), gettext_lazy("Ingediend")),
    ExportKind.SCORES: (
        gettext_lazy("Scores per criterium"),
        gettext_lazy("Ingediend"),
    ),
    ExportKind.FIXINGS: (gettext_lazy("Vaststellingen"), gettext_lazy("Vastgesteld")),
    ExportKind.PAYMENTS: (gettext_lazy("Betalingen"), gettext_lazy("Uiterlijk op")),
    ExportKind.OBJECTIONS: (
        gettext_lazy("Overzicht bezwaren"),
        gettext_lazy("Ontvangen"),
    ),
}
#: The lists whose page shows the sums of the requested and awarded amounts.
SUMMED_LISTS = (ExportKind.AWARDS, ExportKind.APPLICATIONS, ExportKind.FIXINGS)


def url(name, *args):
    return reverse(f"{URL_NAMESPACE}:{name}", args=args)


class OverviewPermissionMixin:
    permission = EXPORT_PERMISSION

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            return TemplateResponse(
                request,
                "beoordeling/exports/forbidden.html",
                {"page_title": _("Geen toegang")},
                status=403,
            )
        return super().dispatch(request, *args, **kwargs)


class AdminPage(OverviewPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    header_icon = "table"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": "", "label": self.get_page_title()},
        ]


def _kind(kind):
    try:
        kind = ExportKind(kind)
    except ValueError as error:
        raise Http404 from error
    if kind not in LISTS:
        raise Http404
    return kind


class OverviewListView(AdminPage):
    """A list with filters; its export buttons export exactly what is listed."""

    template_name = "beoordeling/exports/list.html"

    def get_page_title(self):
        return LISTS[_kind(self.kwargs["kind"])][0]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kind = _kind(self.kwargs["kind"])
        resource = RESOURCES[kind]()
        form = OverviewFilterForm(
            self.request.GET or None,
            statuses=resource.statuses,
            period_label=LISTS[kind][1],
        )
        filters = form.filters() if form.is_bound and form.is_valid() else None
        if form.is_bound and filters is None:
            queryset = resource.base_queryset().none()
        else:
            queryset = resource.queryset(filters or ExportFilters())
        page = Paginator(queryset, PAGE_SIZE).get_page(self.request.GET.get("p"))
        total = page.paginator.count
        kinds = resource.column_kinds()
        context.update(
            {
                "kind": kind,
                "form": form,
                "headers": resource.headers(),
                "rows": [
                    display_row(resource.row(instance), kinds)
                    for instance in page.object_list
                ],
                "page": page,
                "total": total,
                "threshold": services.export_background_threshold(),
                "filter_query": urlencode(
                    [(k, v) for k, v in self.request.GET.items() if k != "p"]
                ),
                "export_url": url("export", kind.value),
                "lists": [(k.value, label) for k, (label, _p) in LISTS.items()],
            }
        )
        if kind in SUMMED_LISTS:
            context["sums"] = queryset.order_by().aggregate(
                requested=Sum("requested_cents"), awarded=Sum("awarded_cents")
            )
        return context


class ExportView(OverviewPermissionMixin, View):
    """Export a list with its filters: at once, or in the background when large."""

    http_method_names = ["post"]

    def post(self, request, kind):
        kind = _kind(kind)
        resource = RESOURCES[kind]()
        form = ExportRequestForm(request.POST, statuses=resource.statuses)
        if not form.is_valid():
            messages.error(request, _("De filters van de export kloppen niet."))
            return redirect(url("list", kind.value))
        filters = form.filters()
        fmt, excel_nl = form.format_and_variant()
        total = services.export_count(kind=kind, filters=filters)
        if total > services.export_background_threshold() and not excel_nl:
            job = export_job_start(
                kind=kind, fmt=fmt, filters=filters, user=request.user, total=total
            )
            messages.success(
                request,
                _(
                    "De export van %(count)s regels wordt op de achtergrond gemaakt. "
                    "Op deze pagina ziet u de voortgang en straks de downloadlink."
                )
                % {"count": total},
            )
            return redirect(url("job", job.pk))
        export = services.export_now(
            kind=kind, fmt=fmt, filters=filters, user=request.user, excel_nl=excel_nl
        )
        response = HttpResponse(export.content, content_type=export.content_type)
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        response["X-Export-Rows"] = str(export.row_count)
        return response


class ExportJobListView(AdminPage):
    template_name = "beoordeling/exports/jobs.html"
    page_title = gettext_lazy("Exports en exportlogboek")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        jobs = ExportJob.objects.select_related("created_by")
        if not user.is_superuser:
            jobs = jobs.filter(created_by=user)
        log = ExportLog.objects.select_related("user")
        context["jobs"] = jobs[:20]
        context["log"] = Paginator(log, PAGE_SIZE).get_page(self.request.GET.get("p"))
        return context


def _job_for(user, pk):
    jobs = ExportJob.objects.select_related("created_by")
    if not user.is_superuser:
        jobs = jobs.filter(created_by=user)
    return get_object_or_404(jobs, pk=pk)


class ExportJobView(AdminPage):
    template_name = "beoordeling/exports/job.html"
    page_title = gettext_lazy("Export op de achtergrond")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = _job_for(self.request.user, self.kwargs["pk"])
        context["job"] = job
        context["may_download"] = job.may_download(self.request.user)
        context["may_restart"] = job.may_restart(self.request.user)
        return context

    def post(self, request, pk):
        """Start a failed or stalled export again (``export_job_restart``)."""
        job = _job_for(request.user, pk)
        try:
            export_job_restart(job=job, actor=request.user)
        except ExportJobRestartRefused as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("De export is opnieuw gestart."))
        return redirect(url("job", job.pk))


class ExportJobDownloadView(OverviewPermissionMixin, View):
    def get(self, request, pk):
        job = _job_for(request.user, pk)
        if not job.may_download(request.user):
            raise Http404
        return FileResponse(
            job.file.open("rb"), as_attachment=True, filename=job.filename
        )


class BudgetDashboardView(AdminPage):
    #: The budget (``dashboard.html``) with the open obligations after the award and
    #: the bezwaren below.
    template_name = "beoordeling/exports/dashboard_objections.html"
    page_title = gettext_lazy("Begroting per regeling, ronde en wijk")
    header_icon = "table"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = DashboardFilterForm(self.request.GET or None)
        choices = {}
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            choices = {
                "scheme_id": data["regeling"].pk if data.get("regeling") else None,
                "round_id": data["ronde"].pk if data.get("ronde") else None,
                "wijk_id": data["wijk"].pk if data.get("wijk") else None,
                "year": data.get("jaar"),
            }
        context["form"] = form
        valid = not form.is_bound or form.is_valid()
        context["schemes"] = dashboard.budget_dashboard(**choices) if valid else []
        context["obligations"] = (
            dashboard.obligations_dashboard(**choices) if valid else []
        )
        context["today"] = timezone.localdate()
        context["objections"] = (
            objection_dashboard(**choices, today=context["today"]) if valid else None
        )
        context["awards_url"] = url("list", ExportKind.AWARDS.value)
        return context


class ImportUploadView(AdminPage):
    permission = IMPORT_PERMISSION
    template_name = "beoordeling/exports/import.html"
    page_title = gettext_lazy("Importeren")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ImportUploadForm())
        context["records"] = ImportRecord.objects.select_related(
            "uploaded_by", "imported_by"
        )[:20]
        return context

    def post(self, request):
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload = form.cleaned_data["bestand"]
        record = import_check(
            kind=form.cleaned_data["soort"],
            content=upload.read(),
            filename=upload.name,
            user=request.user,
        )
        return redirect(url("import_record", record.pk))


class ImportRecordView(AdminPage):
    permission = IMPORT_PERMISSION
    template_name = "beoordeling/exports/import_record.html"
    page_title = gettext_lazy("Controle van de import")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["record"] = get_object_or_404(
            ImportRecord.objects.select_related("uploaded_by", "imported_by"),
            pk=self.kwargs["pk"],
        )
        return context

    def post(self, request, pk):
        record = get_object_or_404(ImportRecord, pk=pk)
        try:
            record = import_confirm(record=record, user=request.user)
        except ImportNotAllowed as error:
            messages.error(request, str(error))
            return redirect(url("import_record", pk))
        if record.is_imported:
            messages.success(request, _("Het bestand is ingelezen."))
        else:
            messages.error(
                request,
                _("Bij het inlezen bleken er fouten te zijn; er is niets ingelezen."),
            )
        return redirect(url("import_record", pk))


class HistoryLinkView(AdminPage):
    """Link an imported applicant's history to a portal applicant (audited), and the
    list of every link made, with who, when and why."""

    permission = IMPORT_PERMISSION
    template_name = "beoordeling/exports/history_link.html"
    page_title = gettext_lazy("Historie koppelen")

    def _form(self, data=None):
        applicants = import_made_applicants().order_by("name", "pk")
        return HistoryLinkForm(data, applicants=applicants)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self._form())
        context["links"] = HistoryLink.objects.select_related(
            "imported_applicant", "linked_by"
        )[:100]
        return context

    def post(self, request):
        form = self._form(request.POST)
        if form.is_valid():
            try:
                link = history_link(
                    imported_applicant=form.cleaned_data["aanvrager"],
                    portal_reference=form.cleaned_data["kenmerk"],
                    motivation=form.cleaned_data["motivering"],
                    by=request.user,
                )
            except LinkRefused as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _(
                        "De historie van %(name)s is gekoppeld aan aanvraag "
                        "%(reference)s. De koppeling staat in het logboek."
                    )
                    % {
                        "name": link.imported_applicant.name,
                        "reference": link.portal_reference,
                    },
                )
                return redirect(url("history_link"))
        return self.render_to_response(self.get_context_data(form=form))
