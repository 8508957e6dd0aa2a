"""Views of the allocation and decision screens in the Wagtail admin (thin: parse, call, redirect).

Every view needs the permission to decide (``subsidies.decide_application``), except
reading a beschikking, which ``beoordeling.view_decision`` also allows.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.roles import DECIDE_APPLICATION, VIEW_DECISION
from subsidies.models import Application, Round
from subsidies.rounds import (
    RuleError,
    rule_in_force,
    rule_publish_deviation,
    rule_publish_first,
)
from subsidies.workflow import Status

from ..models import (
    AllocationResult,
    AllocationRun,
    Decision,
    DecisionError,
    LetterBatch,
    RunKind,
)
from . import selectors
from .forms import (
    FixRunForm,
    LetterBatchForm,
    RuleDeviationForm,
    RunCreateForm,
)
from .services import decisions as services

DECIDE = DECIDE_APPLICATION
TEMPLATES = "beoordeling/decisions/"


class DecisionMakerMixin:
    permissions = (DECIDE,)

    def dispatch(self, request, *args, **kwargs):
        if not any(request.user.has_perm(p) for p in self.permissions):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class Page(DecisionMakerMixin, WagtailAdminTemplateMixin, TemplateView):
    header_icon = "tasks"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("besluiten:index"), "label": _("Verdelen en besluiten")},
            *self.extra_breadcrumbs(),
            {"url": "", "label": self.get_page_title()},
        ]

    def extra_breadcrumbs(self):
        return []


def _round_crumb(round):
    return {"url": reverse("besluiten:round", args=[round.pk]), "label": round.name}


class IndexView(Page):
    template_name = TEMPLATES + "index.html"
    page_title = gettext_lazy("Verdelen en besluiten")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rounds"] = selectors.rounds_overview()
        context["awaiting"] = selectors.awaiting_approval().count()
        return context


class RoundMixin:
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.round = get_object_or_404(
            Round.objects.select_related("scheme"), pk=kwargs["round_id"]
        )


class RoundView(RoundMixin, Page):
    template_name = TEMPLATES + "round.html"

    def get_page_title(self):
        return self.round.name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        round = self.round
        pending = selectors.decided_without_letter(round)
        context.update(
            round=round,
            is_receipt=round.scheme.allocation_mode == "receipt",
            budget=selectors.round_budget(round),
            candidates=selectors.allocation_candidates(round),
            runs=selectors.round_runs_with_state(round),
            single=selectors.round_fixed_by_applications(round)[:50],
            awaiting=selectors.awaiting_approval(round=round),
            without_letter=len(pending),
            pending_letters=Application.objects.filter(pk__in=pending[:50]).order_by(
                "reference"
            ),
            decisions=selectors.round_decisions(round),
            batches=selectors.round_batches(round)[:5],
            letter_form=kwargs.get("letter_form") or LetterBatchForm(),
        )
        return context


class RunCreateView(RoundMixin, Page):
    """Compute a concept run with the published verdeelregel; the page shows the rule
    in force and, separately, the form to publish a motivated deviation."""

    template_name = TEMPLATES + "run_form.html"

    def get_page_title(self):
        return _("Nieuwe verdeling berekenen")

    def extra_breadcrumbs(self):
        return [_round_crumb(self.round)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rule = rule_in_force(self.round)
        defaults = selectors.wijk_parameter_defaults(self.round, rule)
        context.update(
            round=self.round,
            rule=rule,
            rule_rows=defaults,
            rules=self.round.rules.order_by("-version"),
            budget=selectors.round_budget(self.round),
            candidates=selectors.allocation_candidates(self.round).count(),
            form=kwargs.get("form") or RunCreateForm(),
            deviation_form=kwargs.get("deviation_form")
            or (
                RuleDeviationForm(round=self.round, rule=rule, defaults=defaults)
                if rule is not None
                else None
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = RunCreateForm(request.POST)
        if form.is_valid():
            try:
                run = services.allocation_run_create(
                    round=self.round,
                    actor=request.user,
                    note=form.cleaned_data["note"],
                )
            except DecisionError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    _("Verdeling %(number)s is berekend. Controleer de uitkomst.")
                    % {"number": run.number},
                )
                return redirect("besluiten:run", run.pk)
        return self.render_to_response(self.get_context_data(form=form))


class RulePublishView(RoundMixin, DecisionMakerMixin, View):
    """Publish version 1 of the round's verdeelregel from the round's settings."""

    def post(self, request, round_id):
        try:
            rule = rule_publish_first(round=self.round, actor=request.user)
        except RuleError as error:
            messages.error(request, str(error))
        else:
            _rule_published(request, rule)
        return redirect("besluiten:run_create", self.round.pk)


def _rule_published(request, rule):
    messages.success(
        request,
        _("Versie %(version)s van de verdeelregel is bekendgemaakt.")
        % {"version": rule.version},
    )


class RuleDeviationView(RunCreateView):
    """Publish a new, motivated version of the round's verdeelregel."""

    def post(self, request, *args, **kwargs):
        rule = rule_in_force(self.round)
        if rule is None:
            messages.error(
                request, _("Maak eerst de verdeelregel van deze ronde bekend.")
            )
            return redirect("besluiten:run_create", self.round.pk)
        defaults = selectors.wijk_parameter_defaults(self.round, rule)
        form = RuleDeviationForm(
            request.POST, round=self.round, rule=rule, defaults=defaults
        )
        if form.is_valid():
            try:
                new = rule_publish_deviation(
                    round=self.round,
                    actor=request.user,
                    motivation=form.cleaned_data["motivation"],
                    limits=form.wijk_limits(),
                    on_shortfall=form.cleaned_data["on_shortfall"],
                    min_partial_cents=form.cleaned_data["min_partial"] or 0,
                )
            except RuleError as error:
                messages.error(request, str(error))
            else:
                _rule_published(request, new)
                return redirect("besluiten:run_create", self.round.pk)
        return self.render_to_response(self.get_context_data(deviation_form=form))


class RunView(Page):
    template_name = TEMPLATES + "run.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.run = get_object_or_404(
            AllocationRun.objects.select_related(
                "round__scheme", "created_by", "fixed_by"
            ),
            pk=kwargs["run_id"],
        )

    def get_page_title(self):
        return _("Verdeling %(number)s") % {"number": self.run.number}

    def extra_breadcrumbs(self):
        return [_round_crumb(self.run.round)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            view=selectors.run_view(self.run),
            round=self.run.round,
            fix_form=kwargs.get("fix_form") or FixRunForm(),
            other_runs=selectors.round_runs(self.run.round).exclude(pk=self.run.pk),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = FixRunForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(fix_form=form))
        if self.run.is_fixed:
            return self._already_fixed(request)
        try:
            run = services.allocation_run_fix(run=self.run, actor=request.user)
        except services.RunAlreadyFixed:
            return self._already_fixed(request)
        except DecisionError as error:
            messages.error(request, str(error))
            return redirect("besluiten:run", self.run.pk)
        waiting = run.results.filter(needs_second_approval=True).count()
        messages.success(
            request,
            _(
                "Verdeling %(number)s is vastgesteld. De aanvragen zijn toegekend of "
                "afgewezen; %(waiting)s toekenning(en) wachten op een tweede besluitvormer."
            )
            % {"number": run.number, "waiting": waiting},
        )
        return redirect("besluiten:round", run.round_id)

    def _already_fixed(self, request):
        """A second click (or another decision maker) lands on the fixed run."""
        messages.info(
            request,
            _("Verdeling %(number)s is al vastgesteld.") % {"number": self.run.number},
        )
        return redirect("besluiten:run", self.run.pk)


class CompareView(RoundMixin, Page):
    template_name = TEMPLATES + "compare.html"
    page_title = gettext_lazy("Verdelingen vergelijken")

    def extra_breadcrumbs(self):
        return [_round_crumb(self.round)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ids = [int(i) for i in self.request.GET.getlist("run") if i.isdigit()]
        runs = list(
            AllocationRun.objects.filter(
                round=self.round, kind=RunKind.ROUND, pk__in=ids
            ).order_by("number")
        )
        context.update(
            round=self.round,
            comparison=selectors.runs_compare(runs) if len(runs) >= 2 else None,
        )
        return context


class ApprovalsView(Page):
    template_name = TEMPLATES + "approvals.html"
    page_title = gettext_lazy("Wacht op tweede goedkeuring (vier ogen)")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["results"] = selectors.awaiting_approval()
        return context


class ApproveView(Page):
    """GET: the approval screen with the application at hand (its key facts and a
    link to it), so the second decision maker confirms knowingly; POST: approve."""

    template_name = TEMPLATES + "approve_confirm.html"
    page_title = gettext_lazy("Tweede goedkeuring (vier ogen)")

    def extra_breadcrumbs(self):
        return [{"url": reverse("besluiten:approvals"), "label": _("Vier ogen")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        result = get_object_or_404(
            AllocationResult.objects.select_related(
                "run__round__scheme",
                "run__fixed_by",
                "wijk",
                "application__applicant",
            ),
            pk=self.kwargs["result_id"],
            is_fixed=True,
        )
        context.update(
            result=result,
            application=result.application,
            reason=selectors.reason_sentence(result.reason),
            own_run=result.run.fixed_by_id == self.request.user.pk,
            waiting=result.awaits_approval,
        )
        return context

    def post(self, request, result_id):
        result = get_object_or_404(
            AllocationResult.objects.select_related("run", "application"), pk=result_id
        )
        try:
            services.allocation_result_approve(result=result, approver=request.user)
        except DecisionError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Aanvraag %(reference)s is toegekend.")
                % {"reference": result.application.reference},
            )
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target,
            allowed_hosts={request.get_host()},
            require_https=request.is_secure(),
        ):
            target = reverse("besluiten:approvals")
        return HttpResponseRedirect(target)


class DecideByReceiptView(DecisionMakerMixin, View):
    def post(self, request, round_id, application_id):
        application = get_object_or_404(
            Application, pk=application_id, round_id=round_id
        )
        try:
            run = services.application_decide_by_receipt(
                application=application,
                actor=request.user,
                order_exception=request.POST.get("order_exception", "")[:2000],
            )
        except DecisionError as error:
            messages.error(request, str(error))
        else:
            result = run.results.get()
            messages.success(
                request,
                _("Aanvraag %(reference)s: %(outcome)s")
                % {
                    "reference": application.reference,
                    "outcome": selectors.reason_sentence(result.reason),
                },
            )
        return redirect("besluiten:round", round_id)


class LetterBatchStartView(DecisionMakerMixin, View):
    def post(self, request, round_id):
        round = get_object_or_404(Round, pk=round_id)
        form = LetterBatchForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect("besluiten:round", round.pk)
        try:
            batch = services.letter_batch_start(
                round=round,
                actor=request.user,
                date_sent=form.cleaned_data["date_sent"],
                notify=form.cleaned_data["notify"],
            )
        except DecisionError as error:
            messages.error(request, str(error))
            return redirect("besluiten:round", round.pk)
        return redirect("besluiten:batch", batch.pk)


class BatchView(Page):
    template_name = TEMPLATES + "batch.html"
    page_title = gettext_lazy("Beschikkingen maken")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.batch = get_object_or_404(
            LetterBatch.objects.select_related("round", "created_by"),
            pk=kwargs["batch_id"],
        )

    def extra_breadcrumbs(self):
        return [_round_crumb(self.batch.round)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        stalled = services.batch_is_stalled(self.batch)
        context.update(
            batch=self.batch,
            stalled=stalled,
            may_restart=stalled
            or self.batch.status == LetterBatch.Status.FAILED
            or (self.batch.status == LetterBatch.Status.DONE and self.batch.failed),
            refresh=not self.batch.is_finished and not stalled,
            decisions=self.batch.decisions.select_related("application")[:200],
        )
        return context

    def post(self, request, *args, **kwargs):
        try:
            services.letter_batch_restart(batch=self.batch, actor=request.user)
        except DecisionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("De brievenreeks is opnieuw gestart."))
        return redirect("besluiten:batch", self.batch.pk)


class IssueLetterView(DecisionMakerMixin, View):
    """Make the beschikking of one decided application (outside a batch)."""

    def post(self, request, application_id):
        application = get_object_or_404(
            Application.objects.exclude(status=Status.DRAFT), pk=application_id
        )
        try:
            decision, created = services.decision_issue(
                application=application, actor=request.user
            )
        except DecisionError as error:
            messages.error(request, str(error))
            return redirect("besluiten:round", application.round_id)
        if created:
            messages.success(
                request,
                _("Beschikking %(kenmerk)s is gemaakt.")
                % {"kenmerk": decision.kenmerk},
            )
        else:
            messages.warning(
                request,
                _(
                    "Voor deze aanvraag is al beschikking %(kenmerk)s verstuurd. Een "
                    "verstuurde beschikking wordt niet opnieuw gemaakt."
                )
                % {"kenmerk": decision.kenmerk},
            )
        return redirect("besluiten:decision", decision.pk)


class DecisionView(Page):
    template_name = TEMPLATES + "decision.html"
    permissions = (DECIDE, VIEW_DECISION)

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.decision = get_object_or_404(
            Decision.objects.select_related(
                "application__round", "application__applicant", "document", "batch"
            ),
            pk=kwargs["decision_id"],
        )

    def get_page_title(self):
        return _("Beschikking %(kenmerk)s") % {"kenmerk": self.decision.kenmerk}

    def extra_breadcrumbs(self):
        return [_round_crumb(self.decision.application.round)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            decision=self.decision,
            intact=services.decision_verify(decision=self.decision),
            mail=selectors.decision_mail(self.decision),
        )
        return context


class DecisionPdfView(DecisionMakerMixin, View):
    permissions = (DECIDE, VIEW_DECISION)

    def get(self, request, decision_id):
        decision = get_object_or_404(
            Decision.objects.select_related("document"), pk=decision_id
        )
        document = decision.document
        return FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.original_name,
            content_type="application/pdf",
        )
