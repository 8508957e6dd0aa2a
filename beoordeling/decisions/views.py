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
from subsidies.changes import change_request_answer
from subsidies.models import Application, ChangeRequest, Round
from subsidies.money import format_euros
from subsidies.rounds import (
    RuleError,
    rule_in_force,
    rule_publish_deviation,
    rule_publish_first,
)
from subsidies.services import WorkflowError
from subsidies.workflow import GRANTED_STATES, Status

from ..models import (
    AfterAwardAction,
    AfterAwardProposal,
    AllocationResult,
    AllocationRun,
    Decision,
    DecisionError,
    LetterBatch,
    RunKind,
)
from . import selectors
from .forms import (
    AmendForm,
    ChangeAnswerForm,
    FixForm,
    FixRunForm,
    LetterBatchForm,
    ReviewReasonForm,
    RevokeForm,
    RuleDeviationForm,
    RunCreateForm,
)
from .services import after_award
from .services import decisions as services

DECIDE = DECIDE_APPLICATION
TEMPLATES = "beoordeling/decisions/"
#: The longest motivation of a departure from the order of receipt that is kept.
ORDER_EXCEPTION_MAX_LENGTH = 2000


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
            candidates=_in_receipt_order(round),
            runs=selectors.round_runs_with_state(round),
            single=selectors.round_fixed_by_applications(round)[:50],
            awaiting=selectors.awaiting_approval(round=round),
            sent_back=selectors.sent_back(round=round),
            without_letter=len(pending),
            pending_letters=Application.objects.filter(pk__in=pending[:50]).order_by(
                "reference"
            ),
            decisions=selectors.round_decisions(round),
            batches=selectors.round_batches(round)[:5],
            letter_form=kwargs.get("letter_form") or LetterBatchForm(),
            grants=Application.objects.filter(
                round=round, status__in=GRANTED_STATES
            ).order_by("reference")[:200],
            due_for_fixing=len(after_award.due_for_fixing(round)),
            fixing_form=LetterBatchForm(prefix=None),
        )
        return context


def _in_receipt_order(round):
    """The round's candidates in the order of receipt: the one that is next first
    (the rule's order: the day each became complete, then its lottery or moment)."""
    candidates = list(selectors.allocation_candidates(round))
    rule = rule_in_force(round)

    def key(application):
        if rule is not None and (application.complete_at or application.submitted_at):
            return services.receipt_order_key(application, rule)
        moment = application.complete_at or application.submitted_at
        return (
            moment.date() if moment else None,
            "",
            str(moment),
            application.reference,
        )

    return sorted(candidates, key=key)


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
        # Awb 4:27 lid 2: the next run applies the version its applications were
        # submitted under, which can be older than the version in force.
        run_rule, group = selectors.allocation_group(self.round)
        waiting = selectors.allocation_candidates(self.round).count()
        context.update(
            round=self.round,
            rule=rule,
            run_rule=run_rule,
            rule_rows=(
                defaults
                if run_rule == rule
                else selectors.wijk_parameter_defaults(self.round, run_rule)
            ),
            rules=self.round.rules.order_by("-version"),
            budget=selectors.round_budget(self.round),
            candidates=len(group),
            later_candidates=waiting - len(group),
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
        ids = [
            int(i)
            for i in self.request.GET.getlist("run")[:20]
            if i.isascii() and i.isdecimal() and len(i) <= 9
        ]
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
        context["sent_back"] = selectors.sent_back(to=self.request.user)
        context["sent_back_others"] = selectors.sent_back().exclude(
            run__fixed_by=self.request.user
        )
        return context


# --- four eyes: approve, refuse, send back, and the first decision maker's answer


class ResultMixin:
    """The fixed result the screen is about, with the application and its run."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.result = get_object_or_404(
            AllocationResult.objects.select_related(
                "run__round__scheme",
                "run__fixed_by",
                "reviewed_by",
                "wijk",
                "application__applicant",
            ),
            pk=kwargs["result_id"],
            is_fixed=True,
        )

    def extra_breadcrumbs(self):
        return [{"url": reverse("besluiten:approvals"), "label": _("Vier ogen")}]

    def result_context(self):
        result = self.result
        return {
            "result": result,
            "application": result.application,
            "reason": selectors.reason_sentence(result.reason),
            "history": selectors.four_eyes_history(result),
            "own_run": result.run.fixed_by_id == self.request.user.pk,
            "waiting": result.awaits_approval,
        }


class ApproveView(ResultMixin, Page):
    """GET: the approval screen with the application at hand (its key facts and a
    link to it) and the way to refuse or send back; POST: approve."""

    template_name = TEMPLATES + "approve_confirm.html"
    page_title = gettext_lazy("Tweede goedkeuring (vier ogen)")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.result_context())
        return context

    def post(self, request, result_id):
        result = self.result
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


class ReviewView(ResultMixin, Page):
    """GET: what refusing, sending back (second decision maker) or answering a
    sending back (first decision maker) will do, with the application and the run;
    POST: do it, with the reason (required)."""

    template_name = TEMPLATES + "review_confirm.html"
    action = ""

    def refusal(self):
        """Why this user cannot take this step now ("" when they can)."""
        result = self.result
        if self.action == "revise":
            return services.sent_back_refusal(
                result, self.request.user, withdrawing=not self.is_first()
            )
        if not result.awaits_approval:
            return _("Deze toekenning wacht niet (meer) op een tweede oordeel.")
        if result.run.fixed_by_id == self.request.user.pk:
            return _(
                "U heeft deze verdeling zelf vastgesteld. Een andere besluitvormer "
                "moet de toekenning beoordelen (vier ogen)."
            )
        return ""

    def is_first(self):
        return self.result.run.fixed_by_id == self.request.user.pk

    def texts(self):
        result = self.result
        values = {
            "reference": result.application.reference,
            "amount": format_euros(result.amount_cents),
            "first": result.run.fixed_by,
        }
        if self.action == "refuse":
            return {
                "title": _("Toekenning weigeren (vier ogen)"),
                "what": _(
                    "Als u weigert, wordt %(reference)s niet toegekend op grond van "
                    "deze verdeling. Het gereserveerde bedrag van %(amount)s gaat "
                    "terug naar de ronde, en de aanvraag komt weer bij de te verdelen "
                    "aanvragen. Uw reden komt in de geschiedenis van de aanvraag."
                )
                % values,
                "label": _("Waarom weigert u de toekenning?"),
                "buttons": [("refuse", _("Ja, weigeren"))],
            }
        if self.action == "send_back":
            return {
                "title": _("Toekenning terugsturen (vier ogen)"),
                "what": _(
                    "Als u terugstuurt, gaat de toekenning van %(amount)s aan "
                    "%(reference)s terug naar %(first)s, die de verdeling vaststelde. "
                    "Het bedrag blijft gereserveerd tot die haar met een antwoord "
                    "opnieuw voorlegt of het voorstel intrekt. Uw reden komt in de "
                    "geschiedenis van de aanvraag."
                )
                % values,
                "label": _("Wat moet er anders of beter?"),
                "buttons": [("send_back", _("Ja, terugsturen"))],
            }
        if not self.is_first():
            return {
                "title": _("Teruggestuurde toekenning intrekken"),
                "what": _(
                    "Deze toekenning van %(amount)s aan %(reference)s is teruggestuurd "
                    "naar %(first)s, die de verdeling vaststelde. Kan die niet meer "
                    "antwoorden, dan kunt u het voorstel intrekken: het geld gaat "
                    "terug naar de ronde en de aanvraag komt weer bij de te verdelen "
                    "aanvragen. Uw reden komt in de geschiedenis van de aanvraag."
                )
                % values,
                "label": _("Waarom trekt u het voorstel in?"),
                "buttons": [("withdraw", _("Voorstel intrekken"))],
            }
        return {
            "title": _("Teruggestuurde toekenning"),
            "what": _(
                "Een tweede besluitvormer stuurde de toekenning van %(amount)s aan "
                "%(reference)s naar u terug (de reden staat hieronder). Leg haar "
                "opnieuw voor met uw antwoord, of trek het voorstel in: dan gaat het "
                "geld terug naar de ronde en komt de aanvraag weer bij de te verdelen "
                "aanvragen."
            )
            % values,
            "label": _("Uw antwoord of uw reden"),
            "buttons": [
                ("resubmit", _("Opnieuw voorleggen")),
                ("withdraw", _("Voorstel intrekken")),
            ],
        }

    def get_page_title(self):
        return self.texts()["title"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        texts = self.texts()
        form = kwargs.get("form") or ReviewReasonForm(label=texts["label"])
        context.update(
            self.result_context(),
            form=form,
            what_happens=texts["what"],
            buttons=[{"value": v, "label": label} for v, label in texts["buttons"]],
            refusal=self.refusal(),
            back_url=reverse("besluiten:approvals"),
            back_label=_("Terug, niets doen"),
        )
        return context

    def post(self, request, *args, **kwargs):
        texts = self.texts()
        form = ReviewReasonForm(request.POST, label=texts["label"])
        if self.refusal() or not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        step = request.POST.get("action", "")
        allowed = [value for value, _label in texts["buttons"]]
        if step not in allowed:
            # Only a screen with one button may be posted without naming it.
            if step or len(allowed) > 1:
                form.add_error(None, _("Kies wat u wilt doen met een van de knoppen."))
                return self.render_to_response(self.get_context_data(form=form))
            step = allowed[0]
        reason = form.cleaned_data["reason"]
        try:
            if step == "refuse":
                services.allocation_result_refuse(
                    result=self.result, reviewer=request.user, reason=reason
                )
                done = _(
                    "De toekenning aan %(reference)s is geweigerd. Het geld is terug in de ronde."
                )
            elif step == "send_back":
                services.allocation_result_send_back(
                    result=self.result, reviewer=request.user, reason=reason
                )
                done = _("De toekenning aan %(reference)s is teruggestuurd.")
            elif step == "resubmit":
                services.allocation_result_resubmit(
                    result=self.result, actor=request.user, reason=reason
                )
                done = _("De toekenning aan %(reference)s is opnieuw voorgelegd.")
            else:
                services.allocation_result_withdraw(
                    result=self.result, actor=request.user, reason=reason
                )
                done = _(
                    "Het voorstel voor %(reference)s is ingetrokken. Het geld is terug in de ronde."
                )
        except services.ReasonMissing as error:
            form.add_error("reason", str(error))
            return self.render_to_response(self.get_context_data(form=form))
        except DecisionError as error:
            form.add_error(None, str(error))
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(
            request, done % {"reference": self.result.application.reference}
        )
        return redirect("besluiten:approvals")


class DecideByReceiptView(RoundMixin, Page):
    """GET: what deciding this application by order of receipt will do (and, when
    older complete applications wait, which, with the motivation it needs); POST:
    decide. A refusal is shown on the same screen with what was typed."""

    template_name = TEMPLATES + "receipt_confirm.html"
    page_title = gettext_lazy("Besluiten op volgorde van binnenkomst")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.application = get_object_or_404(
            Application.objects.select_related("wijk", "applicant", "round"),
            pk=kwargs["application_id"],
            round_id=kwargs["round_id"],
        )

    def extra_breadcrumbs(self):
        return [_round_crumb(self.round)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rule = rule_in_force(self.round)
        older = []
        if rule is not None and self.application.complete_at is not None:
            older = services.older_waiting(self.application, rule)
        context.update(
            round=self.round,
            application=self.application,
            budget=selectors.round_budget(self.round),
            rule=rule,
            older=older[:10],
            order_exception=kwargs.get("order_exception", ""),
            error=kwargs.get("error", ""),
        )
        return context

    def post(self, request, round_id, application_id):
        typed = request.POST.get("order_exception", "")
        if "\x00" in typed or len(typed) > ORDER_EXCEPTION_MAX_LENGTH:
            return self.render_to_response(
                self.get_context_data(
                    order_exception=typed.replace("\x00", "")[
                        :ORDER_EXCEPTION_MAX_LENGTH
                    ],
                    error=_(
                        "De motivering mag hoogstens %(max)s tekens hebben, zonder "
                        "nul-tekens."
                    )
                    % {"max": ORDER_EXCEPTION_MAX_LENGTH},
                )
            )
        try:
            run = services.application_decide_by_receipt(
                application=self.application,
                actor=request.user,
                order_exception=typed,
            )
        except DecisionError as error:
            return self.render_to_response(
                self.get_context_data(order_exception=typed, error=str(error))
            )
        result = run.results.get()
        messages.success(
            request,
            _("Aanvraag %(reference)s: %(outcome)s")
            % {
                "reference": self.application.reference,
                "outcome": selectors.reason_sentence(result.reason),
            },
        )
        return redirect("besluiten:round", round_id)


class LetterBatchStartView(DecisionMakerMixin, View):
    """Start a batch of the round's letters in the background: the beschikkingen of
    the decided applications, or (``kind`` vaststellingen) the grants due for fixing
    at the full amount."""

    kind = LetterBatch.Kind.DECISIONS

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
                kind=self.kind,
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


# --- after the award: vaststelling, wijziging, intrekking, wijzigingsverzoek ----------


class GrantMixin:
    """The grant (an application after its award) the screen is about."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.application = get_object_or_404(
            Application.objects.select_related("round__scheme", "applicant"),
            pk=kwargs["application_id"],
            status__in=GRANTED_STATES,
        )

    def extra_breadcrumbs(self):
        return [
            _round_crumb(self.application.round),
            {
                "url": reverse("besluiten:grant", args=[self.application.pk]),
                "label": self.application.reference,
            },
        ]


class GrantView(GrantMixin, Page):
    """The grant after its award: its facts, its beschikkingen, what waits, and the
    steps the decision maker can take now."""

    template_name = TEMPLATES + "grant.html"

    def get_page_title(self):
        return _("Subsidie %(reference)s") % {"reference": self.application.reference}

    def extra_breadcrumbs(self):
        return [_round_crumb(self.application.round)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.application
        status = application.status
        context.update(
            application=application,
            decisions=application.decisions.order_by("created_at", "pk"),
            waiting=after_award.waiting_proposal(application),
            proposals=application.after_award_proposals.select_related(
                "proposed_by", "reviewed_by", "decision"
            ),
            change_requests=application.change_requests.all(),
            may_fix=status in after_award.SOURCES[AfterAwardAction.FIX],
            may_amend=status in after_award.SOURCES[AfterAwardAction.AMEND],
            may_revoke=status in after_award.SOURCES[AfterAwardAction.REVOKE],
        )
        return context


class AfterAwardFormView(GrantMixin, Page):
    """GET: the form of one step; POST: propose it (done at once, or waiting for a
    second decision maker above the round's threshold)."""

    template_name = TEMPLATES + "after_award_form.html"
    action = None
    form_class = None
    intro = ""

    def form_kwargs(self):
        return {"application": self.application}

    def get_form(self):
        data = self.request.POST if self.request.method == "POST" else None
        return self.form_class(data, **self.form_kwargs())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            application=self.application,
            form=kwargs.get("form") or self.get_form(),
            intro=self.intro,
            four_eyes=after_award.needs_four_eyes(self.application, self.action),
            back_url=reverse("besluiten:grant", args=[self.application.pk]),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_valid():
            try:
                proposal = self.propose(form.cleaned_data)
            except DecisionError as error:
                form.add_error(None, str(error))
            else:
                if proposal.decision_id:
                    messages.success(
                        request,
                        _("Beschikking %(kenmerk)s is gemaakt en verstuurd.")
                        % {"kenmerk": proposal.decision.kenmerk},
                    )
                else:
                    messages.success(
                        request,
                        _(
                            "Het besluit wacht op een tweede besluitvormer (vier "
                            "ogen). Daarna maken wij de brief."
                        ),
                    )
                return redirect("besluiten:grant", self.application.pk)
        return self.render_to_response(self.get_context_data(form=form))


class FixView(AfterAwardFormView):
    action = AfterAwardAction.FIX
    form_class = FixForm
    page_title = gettext_lazy("Subsidie vaststellen")
    intro = gettext_lazy(
        "U stelt het definitieve bedrag vast. Het voorstel uit de beoordeling van de "
        "verantwoording staat al ingevuld; zonder verantwoording (ambtshalve) het "
        "verleende bedrag. De aanvrager krijgt de vaststellingsbrief."
    )

    def propose(self, data):
        return after_award.propose_fix(
            application=self.application,
            actor=self.request.user,
            fixed_cents=data["fixed"],
            motivation=data["motivation"],
            date_sent=data["date_sent"],
        )


class AmendView(AfterAwardFormView):
    action = AfterAwardAction.AMEND
    form_class = AmendForm
    page_title = gettext_lazy("Subsidie wijzigen")
    intro = gettext_lazy(
        "Een wijzigingsbesluit verlaagt het bedrag of verschuift de laatste dag van de "
        "activiteiten. De aanvrager krijgt de brief."
    )

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.change_request = None
        pk = request.GET.get("verzoek") or request.POST.get("verzoek")
        if pk and str(pk).isdigit():
            self.change_request = get_object_or_404(
                self.application.change_requests, pk=int(pk), state="open"
            )

    def form_kwargs(self):
        return {**super().form_kwargs(), "change_request": self.change_request}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["change_request"] = self.change_request
        return context

    def propose(self, data):
        return after_award.propose_amend(
            application=self.application,
            actor=self.request.user,
            new_awarded_cents=data["new_awarded"],
            new_activity_end=data["new_activity_end"],
            ground=data["ground"],
            effective_on=data.get("effective_on"),
            motivation=data["motivation"],
            change_request=self.change_request,
            date_sent=data["date_sent"],
        )


class RevokeView(AfterAwardFormView):
    action = AfterAwardAction.REVOKE
    form_class = RevokeForm
    page_title = gettext_lazy("Subsidie intrekken")
    intro = gettext_lazy(
        "Na een intrekking krijgt de aanvrager geen subsidie; wat al is betaald, "
        "vorderen wij terug. Na de vaststelling kan dit tot vijf jaar daarna."
    )

    def form_kwargs(self):
        return {
            **super().form_kwargs(),
            "fixed": self.application.status == Status.FIXED,
        }

    def propose(self, data):
        return after_award.propose_revoke(
            application=self.application,
            actor=self.request.user,
            ground=data["ground"],
            effective_on=data.get("effective_on"),
            motivation=data["motivation"],
            date_sent=data["date_sent"],
        )


class ProposalsView(Page):
    template_name = TEMPLATES + "proposals.html"
    page_title = gettext_lazy("Besluiten na de toekenning: wacht op vier ogen")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["proposals"] = AfterAwardProposal.objects.filter(
            state=AfterAwardProposal.State.WAITING
        ).select_related("application", "proposed_by")
        return context


class ProposalView(Page):
    """GET: what the first decision maker proposed; POST: approve or refuse it."""

    template_name = TEMPLATES + "proposal.html"
    page_title = gettext_lazy("Tweede besluitvormer (vier ogen)")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.proposal = get_object_or_404(
            AfterAwardProposal.objects.select_related(
                "application__round", "proposed_by", "decision"
            ),
            pk=kwargs["proposal_id"],
        )

    def extra_breadcrumbs(self):
        return [
            {
                "url": reverse("besluiten:proposals"),
                "label": _("Vier ogen na de toekenning"),
            }
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            proposal=self.proposal,
            application=self.proposal.application,
            own=self.proposal.proposed_by_id == self.request.user.pk,
            form=kwargs.get("form")
            or ReviewReasonForm(label=_("Reden (alleen bij weigeren)")),
        )
        return context

    def post(self, request, *args, **kwargs):
        proposal = self.proposal
        action = request.POST.get("action")
        form = ReviewReasonForm(request.POST, label=_("Reden (alleen bij weigeren)"))
        try:
            if action == "approve":
                proposal = after_award.proposal_approve(
                    proposal=proposal, reviewer=request.user
                )
                messages.success(
                    request,
                    _("Goedgekeurd. Beschikking %(kenmerk)s is gemaakt.")
                    % {"kenmerk": proposal.decision.kenmerk},
                )
            elif action == "refuse":
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(form=form))
                after_award.proposal_refuse(
                    proposal=proposal,
                    reviewer=request.user,
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, _("Het besluit is geweigerd."))
            else:
                messages.error(request, _("Kies goedkeuren of weigeren."))
                return redirect("besluiten:proposal", proposal.pk)
        except DecisionError as error:
            messages.error(request, str(error))
            return redirect("besluiten:proposal", proposal.pk)
        return redirect("besluiten:grant", proposal.application_id)


class ChangeRequestView(Page):
    """A recipient's wijzigingsverzoek: refuse it, or grant it; a grant that moves the
    last day goes on to the wijzigingsbesluit."""

    template_name = TEMPLATES + "change_request.html"
    page_title = gettext_lazy("Verzoek om wijziging")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.change_request = get_object_or_404(
            ChangeRequest.objects.select_related("application__round"),
            pk=kwargs["change_request_id"],
        )

    def extra_breadcrumbs(self):
        application = self.change_request.application
        return [
            _round_crumb(application.round),
            {
                "url": reverse("besluiten:grant", args=[application.pk]),
                "label": application.reference,
            },
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        change = self.change_request
        context.update(
            change=change,
            application=change.application,
            changes_rights=change.changes_rights(),
            form=kwargs.get("form") or ChangeAnswerForm(),
        )
        return context

    def post(self, request, *args, **kwargs):
        change = self.change_request
        action = request.POST.get("action")
        if action not in ("grant", "refuse"):
            messages.error(request, _("Kies akkoord of niet akkoord."))
            return redirect("besluiten:change_request", change.pk)
        form = ChangeAnswerForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            change_request_answer(
                change_request=change,
                actor=request.user,
                granted=action == "grant",
                answer=form.cleaned_data["answer"],
            )
        except WorkflowError as error:
            form.add_error(None, str(error))
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, _("Het antwoord is verstuurd."))
        return redirect("besluiten:grant", change.application_id)
