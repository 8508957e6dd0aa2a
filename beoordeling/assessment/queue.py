"""The assessor's queue in the Wagtail admin: filters, search, sorting, deadlines.

The rows are ``selectors.queue(user)``: only what the user may see, with the scheme,
wijk, applicant and assessors loaded in a fixed number of queries whatever the number
of applications (one page of 25 is rendered). Filters: task (to check, waiting for an
aanvulling, to score, ready for a decision), scheme, round, wijk, status, assessor and
deadline (overdue, due within 7 days, paused, hersteltermijn expired); search on
reference, title and applicant; every column with a sort key is sortable, empty values
last. Overdue and nearly due rows are marked in the deadline column.
"""

import django_filters
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView

from accounts.roles import ASSESSOR, VIEW_APPLICATION
from subsidies.models import Application, Round, Scheme, Wijk
from subsidies.workflow import CLOSED_STATES, Status

from ..dutch import format_euro
from ..models import Assessment
from . import selectors

URL_NAMESPACE = "beoordelen"
VIEW_PERMISSION = VIEW_APPLICATION


def url(name, *args):
    return reverse(f"{URL_NAMESPACE}:{name}", args=args)


def require_queue_access(user):
    if not user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied


# --- the queue --------------------------------------------------------------------


def _task_choices():
    return [(task.value, task.label) for task in selectors.Task]


def _deadline_choices():
    return [
        (state.value, state.label)
        for state in selectors.Deadline
        if state is not selectors.Deadline.NONE
    ]


def _status_choices():
    return [(value, label) for value, label in Status.choices if value != Status.DRAFT]


class QueueFilterSet(WagtailFilterSet):
    task = django_filters.ChoiceFilter(
        label=gettext_lazy("Taak"), choices=_task_choices, method="filter_task"
    )
    scheme = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Regeling"),
        field_name="round__scheme",
        queryset=Scheme.objects.all(),
    )
    round = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Ronde"),
        queryset=Round.objects.select_related("scheme"),
    )
    wijk = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Wijk"), queryset=Wijk.objects.all()
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=_status_choices
    )
    assessor = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Beoordelaar"),
        queryset=get_user_model().objects.filter(groups__name=ASSESSOR),
        method="filter_assessor",
    )
    deadline = django_filters.ChoiceFilter(
        label=gettext_lazy("Termijn"),
        choices=_deadline_choices,
        method="filter_deadline",
    )

    closed = django_filters.BooleanFilter(
        label=gettext_lazy("Ook afgehandelde aanvragen"),
        method="filter_closed",
        widget=django_filters.widgets.BooleanWidget,
    )

    class Meta:
        model = Application
        fields = []

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("status") and not self.form.cleaned_data.get(
            "closed"
        ):
            # The work first: decided, withdrawn and set-aside applications only on request.
            queryset = queryset.exclude(status__in=CLOSED_STATES)
        return queryset

    def filter_closed(self, queryset, name, value):
        return queryset

    def filter_task(self, queryset, name, value):
        return queryset.filter(status=selectors.Task(value).status)

    def filter_assessor(self, queryset, name, value):
        assigned = Assessment.objects.filter(assessor=value).values("application_id")
        return queryset.filter(pk__in=assigned)

    def filter_deadline(self, queryset, name, value):
        return queryset.filter(
            selectors.deadline_q(selectors.Deadline(value), now=timezone.now())
        )


class DeadlineColumn(Column):
    cell_template_name = "beoordeling/assessment/cells/deadline.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        state = selectors.deadline_state(
            instance, now=parent_context.get("now") or timezone.now()
        )
        context["state"] = state
        context["due"] = (
            instance.supplement_due_at
            if instance.status == Status.SUPPLEMENT_REQUESTED
            else instance.decision_due_at
        )
        return context


def _assessor_names(application):
    names = []
    for assessment in application.assessments.all():
        name = assessment.assessor.get_full_name() or assessment.assessor.email
        if assessment.conflict:
            name = _("%(name)s (teruggetrokken)") % {"name": name}
        elif assessment.submitted_at:
            name = _("%(name)s ✓") % {"name": name}
        names.append(name)
    return ", ".join(names)


class QueueView(IndexView):
    """The assessor's queue: filters, search, sortable columns, 25 per page."""

    model = Application
    page_title = gettext_lazy("Beoordelen")
    header_icon = "tasks"
    paginate_by = 25
    any_permission_required = None
    filterset_class = QueueFilterSet
    search_fields = ["reference", "title", "applicant__name"]
    search_backend_name = None
    default_ordering = "decision_due_at"
    verbose_name = gettext_lazy("aanvraag")
    verbose_name_plural = gettext_lazy("aanvragen")
    template_name = "beoordeling/assessment/queue.html"

    def dispatch(self, request, *args, **kwargs):
        require_queue_access(request.user)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "reference",
                label=_("Kenmerk"),
                sort_key="reference",
                classname="title w-whitespace-nowrap",
                get_url=lambda application: url("detail", application.pk),
            ),
            Column("title", label=_("Titel"), sort_key="title"),
            Column(
                "scheme",
                label=_("Regeling"),
                accessor="round.scheme.name",
                sort_key="round__scheme__name",
            ),
            Column(
                "wijk",
                label=_("Wijk"),
                accessor=lambda a: a.wijk.name if a.wijk_id else "",
                sort_key="wijk__sort_order",
            ),
            Column(
                "status",
                label=_("Status"),
                accessor="get_status_display",
                sort_key="status",
            ),
            Column("assessors", label=_("Beoordelaars"), accessor=_assessor_names),
            DeadlineColumn(
                "decision_due_at",
                classname="w-whitespace-nowrap",
                label=_("Uiterste beslisdatum"),
                sort_key="decision_due_at",
            ),
            Column(
                "requested_cents",
                label=_("Gevraagd"),
                accessor=lambda a: format_euro(a.requested_cents),
                sort_key="requested_cents",
            ),
            Column(
                "impact_score",
                label=_("Impactscore"),
                accessor=lambda a: (
                    ""
                    if a.impact_score is None
                    else str(a.impact_score).replace(".", ",")
                ),
                sort_key="impact_score",
            ),
        ]

    def get_base_queryset(self):
        return selectors.queue(self.request.user)

    def order_queryset(self, queryset):
        ordering = self.ordering or self.default_ordering
        descending = ordering.startswith("-")
        field = F(ordering.lstrip("-"))
        # Empty deadlines and scores last, and a fixed tie-break for stable pages.
        expression = (
            field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)
        )
        return queryset.order_by(expression, "pk")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["now"] = timezone.now()
        context["soon_days"] = selectors.DUE_SOON_DAYS
        return context
