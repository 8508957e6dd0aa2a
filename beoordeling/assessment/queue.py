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
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.paginator import WagtailPaginator
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


class CountedUpTo(WagtailPaginator):
    """A paginator that counts no further than it has to.

    An exact ``COUNT(*)`` reads every matching application, and at 100,000 that was
    most of the queue's time. This one counts at most ``reach`` rows past the start of
    the asked page (``SELECT COUNT(*) FROM (... LIMIT n)``). Beyond that the total is
    shown as a lower bound ("meer dan 1.000 aanvragen", "pagina 1 van meer dan 40"),
    and the page links end in "…". Every page can still be reached with Volgende, and
    each page counts ``reach`` rows further. Below the reach the count is exact, as
    before.
    """

    reach = 1000

    def __init__(self, *args, page_number=None, **kwargs):
        super().__init__(*args, **kwargs)
        try:
            number = min(max(int(page_number), 1), 10**9)
        except (TypeError, ValueError):
            number = 1
        # At least one row past the asked page, so that Volgende shows when it exists.
        self.limit = (number - 1) * self.per_page + max(self.reach, self.per_page)

    @cached_property
    def _counted(self):
        # Any rows will do for counting: no order, so nothing is sorted first.
        return self.object_list.order_by()[: self.limit + 1].count()

    @cached_property
    def count(self):
        return min(self._counted, self.limit)

    @property
    def capped(self):
        """More rows than were counted: the count is a lower bound."""
        return self._counted > self.limit

    def _get_page(self, object_list, number, paginator):
        # The page's 25 keys are sorted first, the rows with all their columns and
        # related objects are then read for those 25 only: sorting thousands of
        # matches with every column cost more than the search itself.
        keys = object_list.values("pk")
        return super()._get_page(
            self.object_list.filter(pk__in=keys), number, paginator
        )

    @cached_property
    def items_count_label(self):
        if not self.capped:
            return super().items_count_label
        return ngettext(
            "Meer dan %(count)s aanvraag", "Meer dan %(count)s aanvragen", self.count
        ) % {"count": intcomma(self.count)}

    def get_elided_page_range(self, page_number):
        pages = list(super().get_elided_page_range(page_number))
        if self.capped:
            pages.append(self.ELLIPSIS)  # and more pages after the last one counted
        return pages


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
    results_template_name = "beoordeling/assessment/queue_results.html"
    paginator_class = CountedUpTo

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

    def get_paginator(self, *args, **kwargs):
        page_number = self.request.GET.get(self.page_kwarg)
        return super().get_paginator(*args, page_number=page_number, **kwargs)

    def order_queryset(self, queryset):
        ordering = self.ordering or self.default_ordering
        descending = ordering.startswith("-")
        name = ordering.lstrip("-")
        field = F(name)
        # Empty deadlines and scores last, and a fixed tie-break for stable pages. A
        # column that is never empty is sorted plainly, so that its index serves the
        # order in both directions (on PostgreSQL "DESC NULLS LAST" is not the order
        # of an index scanned backwards).
        if "__" not in name and not Application._meta.get_field(name).null:
            expression = field.desc() if descending else field.asc()
        elif descending:
            expression = field.desc(nulls_last=True)
        else:
            expression = field.asc(nulls_last=True)
        return queryset.order_by(expression, "-pk" if descending else "pk")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["now"] = timezone.now()
        context["soon_days"] = selectors.DUE_SOON_DAYS
        return context
