"""The assessor's screens for the verantwoording in the Wagtail admin, and the steekproef.

- ``/admin/verantwoordingen/``: the sent reports the user may see (the assessment's
  team rule), with the vaststelling date and an overdue warning.
- ``<pk>/``: the report beside the approved budget lines, the questions asked, the
  latest proposal, and the proposal form (per line the accepted amount, a ground and a
  motivation when lower). ``<pk>/vraag/``: ask the recipient for more.
- ``steekproef/``: the draws so far (seed, percentage, population, chosen) and a new
  draw.

Loading goes through ``reports.reports_visible_to`` (another team's report is a 404);
acting needs ``selectors.may_act`` (an assessor without a recusal, else 403); the
services check both again and answer in Dutch.
"""

from datetime import timedelta

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from subsidies import reports as subsidy_reports
from subsidies.forms.fields import EuroCentsField
from subsidies.models import Application
from subsidies.money import format_euros
from subsidies.services import WorkflowError
from subsidies.workflow import Status

from ..models import ReductionGround, SampleDraw
from . import reports, selectors
from .queue import require_queue_access
from .services import AssessmentError

URL_NAMESPACE = "verantwoordingen"


def url(name, *args):
    return reverse(f"{URL_NAMESPACE}:{name}", args=args)


class ReportListView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "beoordeling/assessment/reports/index.html"
    page_title = gettext_lazy("Verantwoordingen")
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        require_queue_access(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        rows = [
            (application, reports.due_state(application, today=today))
            for application in reports.reports_visible_to(self.request.user)
        ]
        context.update(
            rows=rows,
            overdue=sum(1 for _a, state in rows if state.key == "te_laat"),
            sample_url=url("sample"),
        )
        return context


class ProposalForm(forms.Form):
    ground = forms.ChoiceField(
        label=gettext_lazy("Grond voor een lager bedrag"),
        choices=[
            ("", gettext_lazy("Geen: volledig vaststellen")),
            *ReductionGround.choices,
        ],
        required=False,
    )
    motivation = forms.CharField(
        label=gettext_lazy("Motivering"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
        help_text=gettext_lazy("Verplicht als het bedrag lager is dan de verlening."),
    )

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        for line, approved, spent in self.rows:
            self.fields[f"accepted_{line.pk}"] = EuroCentsField(
                label=_("Geaccepteerd: %(line)s") % {"line": line.description},
                initial=spent if spent is not None else approved,
                error_messages={"required": _("Vul het geaccepteerde bedrag in.")},
            )

    def accepted(self):
        return {
            line.pk: self.cleaned_data[f"accepted_{line.pk}"]
            for line, _approved, _spent in self.rows
        }

    def line_fields(self):
        return [
            (line, approved, spent, self[f"accepted_{line.pk}"])
            for line, approved, spent in self.rows
        ]

    def add_service_error(self, error):
        for key, message in error.errors.items():
            name = key if key in self.fields else f"accepted_{key}"
            if name in self.fields:
                self.add_error(name, message)
        if not error.errors:
            self.add_error(None, str(error))


class ReportMixin:
    #: Does every method (not only a POST) need an assessor without a recusal?
    requires_may_act = False

    def dispatch(self, request, *args, **kwargs):
        require_queue_access(request.user)
        try:
            self.application = reports.reports_visible_to(request.user).get(
                pk=kwargs["pk"]
            )
        except Application.DoesNotExist as error:
            raise Http404 from error
        self.may_act = selectors.may_act(request.user, self.application)
        if (request.method == "POST" or self.requires_may_act) and not self.may_act:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *WagtailAdminTemplateMixin.breadcrumbs_items,
            {"url": url("index"), "label": _("Verantwoordingen")},
            {"url": "", "label": self.application.reference},
        ]


class ReportReviewView(ReportMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "beoordeling/assessment/reports/review.html"
    header_icon = "doc-full"

    def get_page_title(self):
        return _("Verantwoording %(reference)s") % {
            "reference": self.application.reference
        }

    @cached_property
    def report(self):
        return subsidy_reports.report_of(self.application)

    @cached_property
    def rows(self):
        return subsidy_reports.money_rows(self.application, self.report)

    def get_form(self, form_class=None):
        return ProposalForm(**self.get_form_kwargs(), rows=self.rows)

    def form_valid(self, form):
        try:
            review = reports.review_propose(
                application=self.application,
                actor=self.request.user,
                accepted=form.accepted(),
                ground=form.cleaned_data["ground"],
                motivation=form.cleaned_data["motivation"],
            )
        except AssessmentError as error:
            form.add_service_error(error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Voorstel vastgelegd: vaststellen op %(amount)s.")
            % {"amount": format_euros(review.proposal_cents)},
        )
        return redirect(url("review", self.application.pk))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.application
        context.update(
            application=application,
            report=self.report,
            sections=subsidy_reports.report_copy(application, self.report),
            documents=subsidy_reports.report_documents(application),
            questions=self.report.questions.all() if self.report else [],
            review=reports.latest_review(application),
            due=reports.due_state(application),
            may_act=self.may_act,
            can_propose=self.may_act and application.status == Status.REPORT_SUBMITTED,
            question_url=url("question", application.pk),
            spent_total=sum(spent or 0 for _l, _a, spent in self.rows),
            approved_total=sum(approved for _l, approved, _s in self.rows),
        )
        return context


class QuestionForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Wat wilt u weten?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
    )
    due_on = forms.DateField(
        label=gettext_lazy("Antwoord uiterlijk op"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy(
            "Tot de ontvanger antwoordt, staat de termijn voor de vaststelling stil."
        ),
    )

    def add_service_error(self, error):
        self.add_error(None, str(error))


class ReportQuestionView(ReportMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "beoordeling/assessment/action_form.html"
    page_title = gettext_lazy("Meer informatie vragen")
    header_icon = "help"
    form_class = QuestionForm
    requires_may_act = True

    def get_initial(self):
        return {"due_on": timezone.localdate() + timedelta(weeks=2)}

    def form_valid(self, form):
        try:
            reports.report_question(
                application=self.application,
                actor=self.request.user,
                message=form.cleaned_data["message"],
                due_on=form.cleaned_data["due_on"],
            )
        except (AssessmentError, WorkflowError) as error:
            form.add_service_error(error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("De vraag is verstuurd. De termijn voor de vaststelling staat stil."),
        )
        return redirect(url("review", self.application.pk))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            application=self.application,
            submit_label=_("Vraag versturen"),
            intro=_(
                "De ontvanger krijgt een e-mail en ziet de vraag in 'Mijn aanvragen'."
            ),
            cancel_url=url("review", self.application.pk),
        )
        return context


class SampleForm(forms.Form):
    percentage = forms.IntegerField(
        label=gettext_lazy("Percentage"), min_value=1, max_value=100
    )
    seed = forms.CharField(
        label=gettext_lazy("Seed (leeg: een nieuwe willekeurige)"),
        required=False,
        max_length=64,
        help_text=gettext_lazy(
            "Met dezelfde seed en dezelfde populatie kiest de steekproef dezelfde "
            "subsidies."
        ),
    )


class SampleView(WagtailAdminTemplateMixin, FormView):
    template_name = "beoordeling/assessment/reports/sample.html"
    page_title = gettext_lazy("Steekproef ambtshalve vaststelling")
    header_icon = "list-ul"
    form_class = SampleForm

    def dispatch(self, request, *args, **kwargs):
        require_queue_access(request.user)
        if request.method == "POST" and not selectors.is_assessor(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"percentage": reports.sample_percentage()}

    def form_valid(self, form):
        try:
            draw = reports.sample_draw(
                actor=self.request.user,
                seed=form.cleaned_data["seed"],
                percentage=form.cleaned_data["percentage"],
            )
        except (AssessmentError, WorkflowError) as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Steekproef getrokken met seed %(seed)s: %(count)s gekozen.")
            % {"seed": draw.seed, "count": draw.selected.count()},
        )
        return redirect(url("sample"))

    def get_breadcrumbs_items(self):
        return [
            *WagtailAdminTemplateMixin.breadcrumbs_items,
            {"url": url("index"), "label": _("Verantwoordingen")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            draws=SampleDraw.objects.prefetch_related(
                "selected", "population"
            ).select_related("drawn_by")[:20],
            population=reports.sample_population(actor=self.request.user).count(),
            may_draw=selectors.is_assessor(self.request.user),
        )
        return context
