"""The application screens of the assessor in the Wagtail admin: thin, they call services.

Every view first loads the application through ``selectors.applications_visible_to``,
so an application outside the user's work answers 404. Views that change something
also need ``selectors.may_act`` (an assessor who did not recuse), else 403; the
services check the finer rules again and answer in Dutch.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from subsidies.models import Application, Document
from subsidies.services import WorkflowError, not_allowed_message
from subsidies.workflow import Status

from ..models import Assessment, ConsensusNote, ConsensusStatus
from . import facts, forms, selectors, services
from .queue import require_queue_access, url

# --- the application --------------------------------------------------------------


class ApplicationMixin:
    """Load ``self.application`` from what the user may see; 404 otherwise."""

    requires_may_act = False
    #: The workflow transitions this view fires (one of them). A POST is refused with
    #: the Dutch "not possible now" message unless django-fsm offers one of them.
    transitions = frozenset()
    #: Whether the view's own form records the facts the guard reads; then only the
    #: source and permission are checked (``selectors.steps_within_reach``).
    guard_recorded_by_form = False

    def load_application(self, user, pk):
        return (
            selectors.applications_visible_to(user)
            .select_related("round__scheme", "wijk", "applicant")
            .get(pk=pk)
        )

    def dispatch(self, request, *args, **kwargs):
        require_queue_access(request.user)
        try:
            self.application = self.load_application(request.user, kwargs["pk"])
        except Application.DoesNotExist as error:
            raise Http404 from error
        if self.requires_may_act and not selectors.may_act(
            request.user, self.application
        ):
            raise PermissionDenied
        if request.method == "POST" and not self.transition_offered(request.user):
            messages.error(
                request,
                not_allowed_message(self.application, min(self.transitions)),
            )
            return redirect(self.detail_url)
        return super().dispatch(request, *args, **kwargs)

    def transition_offered(self, user):
        """Does django-fsm offer ``user`` one of this view's transitions now?"""
        if not self.transitions:
            return True
        offered = (
            selectors.steps_within_reach(user, self.application)
            if self.guard_recorded_by_form
            else selectors.offered_transitions(user, self.application)
        )
        return bool(offered & self.transitions)

    @property
    def detail_url(self):
        return url("detail", self.application.pk)

    def get_breadcrumbs_items(self):
        return [
            *WagtailAdminTemplateMixin.breadcrumbs_items,
            {"url": url("index"), "label": _("Beoordelen")},
            {"url": self.detail_url, "label": self.application.reference},
            {"url": "", "label": self.get_page_title()},
        ]


@dataclass(frozen=True)
class Action:
    label: str
    url: str
    post: bool = False


class ApplicationDetailView(ApplicationMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "beoordeling/assessment/detail.html"
    header_icon = "doc-full"

    def load_application(self, user, pk):
        return selectors.application_for_detail(user, pk)

    def get_page_title(self):
        return f"{self.application.reference} {self.application.title}"

    def get_breadcrumbs_items(self):
        return [
            *WagtailAdminTemplateMixin.breadcrumbs_items,
            {"url": url("index"), "label": _("Beoordelen")},
            {"url": "", "label": self.application.reference},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        application = self.application
        state = selectors.assessment_state(application)
        rows, shown, visible = selectors.score_table(state, user, application)
        own = next((a for a in state.assessments if a.assessor_id == user.pk), None)
        may_act = selectors.may_act(user, application)
        status = application.status
        now = timezone.now()
        deadline = selectors.deadline_state(application, now=now)
        counting = [a for a in state.assessments if not a.conflict]
        context.update(
            application=application,
            scheme=application.round.scheme,
            answers=facts.answers_with_labels(application),
            deadline=deadline,
            review=selectors.latest_precondition_review(application),
            proposals=(
                facts.precondition_proposals(application)
                if status == Status.SUBMITTED
                else None
            ),
            state=state,
            score_rows=rows,
            shown_assessments=shown,
            scores_visible=visible,
            own=own,
            may_act=may_act,
            events=application.assessment_events.select_related("actor"),
            actions=self.actions(application, state, own, may_act, counting),
            summary=state.summary,
            can_see_recusal_reason=selectors.can_see_all(user)
            or bool(own and own.conflict),
        )
        return context

    def actions(self, application, state, own, may_act, counting):
        """The buttons this user has on this application now, in working order.

        The workflow buttons come from django-fsm (``selectors.offered_transitions``:
        source, guards and permission in one call; ``steps_within_reach`` for the
        steps whose form records the facts their guard reads; completing also needs
        the scores in, ``state.complete_possible``); this view adds only the
        recusal rule (in those selectors) and the team rule (404 before this).
        """
        user = self.request.user
        status = application.status
        pk = application.pk
        offered = selectors.offered_transitions(user, application)
        reach = selectors.steps_within_reach(user, application)
        open_seats = len(counting) < application.round.scheme.assessors_required
        candidates = [
            (
                bool(reach & PreconditionsView.transitions),
                Action(_("Randvoorwaarden toetsen"), url("preconditions", pk)),
            ),
            (
                "request_supplement" in offered,
                Action(_("Aanvulling vragen"), url("supplement", pk)),
            ),
            (
                "set_aside" in offered,
                Action(_("Buiten behandeling stellen"), url("set_aside", pk)),
            ),
            (
                may_act and status in selectors.OPEN_STATES and open_seats,
                Action(_("Beoordelaar toewijzen"), url("assign", pk)),
            ),
            (
                own is not None and own.declared_at is None and not own.is_submitted,
                Action(_("Belangen verklaren"), url("declare", pk)),
            ),
            (
                own is not None and own.declared_at is not None and not own.conflict,
                Action(_("Verklaring wijzigen"), url("declare_amend", pk)),
            ),
            (
                own is not None and own.may_score and status == Status.IN_ASSESSMENT,
                Action(_("Scoren"), url("score", pk)),
            ),
            (
                bool(state.open_disagreements)
                and (
                    (own is not None and own.is_submitted) or (may_act and own is None)
                ),
                Action(_("Consensus"), url("consensus", pk)),
            ),
            (
                "complete_assessment" in reach and state.complete_possible,
                Action(_("Beoordeling afronden"), url("complete", pk), post=True),
            ),
        ]
        return [action for shown, action in candidates if shown]


class ActionView(ApplicationMixin, WagtailAdminTemplateMixin, FormView):
    """A form on one application that calls one service."""

    template_name = "beoordeling/assessment/action_form.html"
    header_icon = "tasks"
    requires_may_act = True
    success_message = ""
    submit_label = gettext_lazy("Opslaan")
    intro = ""

    def get_success_url(self):
        return self.detail_url

    def perform(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.perform(form)
        except (services.AssessmentError, WorkflowError) as error:
            form.add_service_error(error)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            application=self.application,
            submit_label=self.submit_label,
            intro=self.intro,
            cancel_url=self.detail_url,
        )
        return context


class PreconditionsView(ActionView):
    page_title = gettext_lazy("Randvoorwaarden toetsen")
    template_name = "beoordeling/assessment/preconditions.html"
    submit_label = gettext_lazy("Uitkomst vastleggen")
    transitions = frozenset({"accept", "reject_preconditions"})
    guard_recorded_by_form = True

    @cached_property
    def proposals(self):
        return facts.precondition_proposals(self.application)

    def get_form(self, form_class=None):
        return forms.PreconditionsForm(
            **self.get_form_kwargs(), proposals=self.proposals
        )

    def perform(self, form):
        application = services.preconditions_record(
            application=self.application,
            actor=self.request.user,
            choices=form.choices(),
        )
        if application.status == Status.IN_ASSESSMENT:
            self.success_message = _(
                "Alle harde randvoorwaarden zijn voldaan. De aanvraag is in beoordeling."
            )
        else:
            self.success_message = _("De aanvraag is afgewezen op de randvoorwaarden.")


class SupplementRequestView(ActionView):
    page_title = gettext_lazy("Aanvulling vragen")
    transitions = frozenset({"request_supplement"})
    submit_label = gettext_lazy("Verzoek versturen")
    success_message = gettext_lazy(
        "Het verzoek om aanvulling is verstuurd. De beslistermijn staat stil."
    )
    intro = gettext_lazy(
        "De aanvrager krijgt een e-mail met wat er ontbreekt en de datum waarop de "
        "aanvulling binnen moet zijn (Awb 4:5). Tot die tijd staat de beslistermijn stil."
    )

    def get_form(self, form_class=None):
        return forms.SupplementRequestForm(
            **self.get_form_kwargs(), scheme=self.application.round.scheme
        )

    def perform(self, form):
        services.supplement_request(
            application=self.application,
            actor=self.request.user,
            message=form.cleaned_data["message"],
            due_on=form.cleaned_data["due_on"],
        )


class SetAsideView(ActionView):
    page_title = gettext_lazy("Buiten behandeling stellen")
    transitions = frozenset({"set_aside"})
    submit_label = gettext_lazy("Buiten behandeling stellen")
    success_message = gettext_lazy("De aanvraag is buiten behandeling gesteld.")
    intro = gettext_lazy(
        "De hersteltermijn is voorbij zonder aanvulling. Het besluit moet binnen 4 weken "
        "na het einde van de termijn worden verstuurd (Awb 4:5)."
    )
    form_class = forms.SetAsideForm

    def perform(self, form):
        services.application_set_aside(
            application=self.application,
            actor=self.request.user,
            reason=form.cleaned_data["reason"],
        )


class AssignView(ActionView):
    page_title = gettext_lazy("Beoordelaar toewijzen")
    submit_label = gettext_lazy("Toewijzen")
    success_message = gettext_lazy("De beoordelaar is toegewezen.")
    intro = gettext_lazy("★ = lid van een team dat deze wijk of regeling behandelt.")

    def get_form(self, form_class=None):
        return forms.AssignForm(
            **self.get_form_kwargs(),
            candidates=selectors.assessor_candidates(self.application),
        )

    def perform(self, form):
        services.assessor_assign(
            application=self.application,
            assessor=form.cleaned_data["assessor"],
            actor=self.request.user,
        )


class OwnAssessmentMixin:
    """The requesting user's own assessment of the application; 404 without one."""

    requires_may_act = False

    def get(self, request, *args, **kwargs):
        self.assessment  # noqa: B018  (404 before any form is shown)
        return super().get(request, *args, **kwargs)

    @cached_property
    def assessment(self):
        return get_object_or_404(
            Assessment.objects.select_related("rubric", "application__round__scheme"),
            application=self.application,
            assessor=self.request.user,
        )


class DeclarationView(OwnAssessmentMixin, ActionView):
    page_title = gettext_lazy("Belangen verklaren")
    submit_label = gettext_lazy("Verklaring vastleggen")
    form_class = forms.DeclarationForm
    intro = gettext_lazy(
        "Heeft u een persoonlijk of zakelijk belang bij deze aanvraag, bijvoorbeeld "
        "omdat u de aanvrager kent of in het bestuur zit? Trek u dan terug. Uw reden "
        "wordt vastgelegd."
    )

    def perform(self, form):
        assessment = services.assessment_declare(
            assessment=self.assessment,
            actor=self.request.user,
            conflict=form.conflict,
            reason=form.cleaned_data["reason"],
        )
        self.success_message = (
            _("U heeft zich teruggetrokken als beoordelaar van deze aanvraag.")
            if assessment.conflict
            else _("U heeft verklaard geen belang te hebben. U kunt nu scoren.")
        )


class DeclarationAmendView(OwnAssessmentMixin, ActionView):
    page_title = gettext_lazy("Verklaring wijzigen")
    submit_label = gettext_lazy("Belang melden en terugtrekken")
    form_class = forms.DeclarationAmendForm
    intro = gettext_lazy(
        "Blijkt later dat u toch een belang heeft bij deze aanvraag (Awb 2:4)? Meld "
        "het hier. U trekt zich vanaf nu terug: uw scores tellen niet meer mee en een "
        "andere beoordelaar kan uw plaats innemen. Uw eerdere verklaring blijft in "
        "het logboek staan."
    )

    def perform(self, form):
        services.assessment_declaration_amend(
            assessment=self.assessment,
            actor=self.request.user,
            reason=form.cleaned_data["reason"],
        )
        self.success_message = _(
            "Uw verklaring is gewijzigd. U bent geen beoordelaar meer van deze aanvraag."
        )


class ScoreView(OwnAssessmentMixin, ActionView):
    page_title = gettext_lazy("Scoren")
    template_name = "beoordeling/assessment/score.html"

    def get(self, request, *args, **kwargs):
        if (
            not self.assessment.may_score
            or self.application.status != Status.IN_ASSESSMENT
        ):
            messages.error(
                request,
                _(
                    "U kunt nu niet scoren: verklaar eerst uw belangen, of de aanvraag "
                    "is niet (meer) in beoordeling."
                ),
            )
            return redirect(self.detail_url)
        return super().get(request, *args, **kwargs)

    @cached_property
    def criteria(self):
        return list(self.assessment.rubric.criteria.all())

    def get_initial(self):
        initial = {"advice": self.assessment.advice}
        for score in self.assessment.scores.select_related("criterion"):
            initial[f"score_{score.criterion.code}"] = score.score
            initial[f"motivation_{score.criterion.code}"] = score.motivation
        return initial

    def get_form(self, form_class=None):
        return forms.ScoreForm(**self.get_form_kwargs(), criteria=self.criteria)

    def perform(self, form):
        submit = self.request.POST.get("action") == "submit"
        services.assessment_save(
            assessment=self.assessment,
            actor=self.request.user,
            scores=form.scores(),
            advice=form.cleaned_data["advice"],
            submit=submit,
        )
        self.success_message = (
            _("Uw scores zijn ingediend.") if submit else _("Uw concept is opgeslagen.")
        )
        if not submit:
            self.success_url = url("score", self.application.pk)

    def get_success_url(self):
        return getattr(self, "success_url", None) or self.detail_url

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["assessment"] = self.assessment
        context["rubric"] = self.assessment.rubric
        context["answers"] = facts.answers_with_labels(self.application)
        return context


class ConsensusView(ApplicationMixin, WagtailAdminTemplateMixin, TemplateView):
    """Consensus on criteria where the assessors were 2 or more points apart.

    One of the two proposes a score; the other agrees (it counts) or says why not;
    then a third assessor (not one of the two, not recused) decides. One page, one
    form per step; the step is the ``action`` of the button.
    """

    template_name = "beoordeling/assessment/consensus.html"
    header_icon = "tasks"
    requires_may_act = True
    page_title = gettext_lazy("Consensus")

    @cached_property
    def state(self):
        return selectors.assessment_state(self.application)

    @cached_property
    def notes(self):
        return list(
            ConsensusNote.objects.filter(application=self.application).select_related(
                "criterion", "recorded_by", "responded_by"
            )
        )

    def _open(self):
        return [n for n in self.notes if n.status == ConsensusStatus.PROPOSED]

    def _criteria(self, codes):
        return [c for c in self.state.criteria if c.code in codes]

    @cached_property
    def is_scorer(self):
        return any(
            a.assessor_id == self.request.user.pk and a.is_submitted
            for a in self.state.assessments
        )

    @cached_property
    def is_third(self):
        return not any(
            a.assessor_id == self.request.user.pk for a in self.state.assessments
        )

    def propose_codes(self):
        waiting = {n.criterion.code for n in self._open()}
        return [c for c in self.state.open_disagreements if c not in waiting]

    def decide_codes(self):
        disagreed = {
            n.criterion.code
            for n in self.notes
            if n.status == ConsensusStatus.DISAGREED
        }
        return [c for c in self.propose_codes() if c in disagreed]

    def answerable(self):
        if not self.is_scorer:
            return []
        return [n for n in self._open() if n.recorded_by_id != self.request.user.pk]

    def forms_for(self, action=None, data=None, proposal_pk=None):
        bound = data if action else None
        propose = forms.ConsensusForm(
            bound if action == "propose" else None,
            criteria=self._criteria(self.propose_codes()),
            auto_id="voorstel_%s",
        )
        decide = forms.ConsensusForm(
            bound if action == "decide" else None,
            criteria=self._criteria(self.decide_codes()),
            third=True,
            auto_id="derde_%s",
        )
        answers = [
            (
                note,
                forms.ConsensusAnswerForm(
                    bound
                    if action in ("agree", "disagree") and note.pk == proposal_pk
                    else None,
                    auto_id=f"antwoord{note.pk}_%s",
                ),
            )
            for note in self.answerable()
        ]
        return propose, decide, answers

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        propose, decide, answers = kwargs.get("forms") or self.forms_for()
        user = self.request.user
        context.update(
            application=self.application,
            cancel_url=self.detail_url,
            disagreements=self._criteria(self.state.open_disagreements),
            notes=self.notes,
            mine_waiting=[n for n in self._open() if n.recorded_by_id == user.pk],
            propose_form=propose if self.is_scorer and self.propose_codes() else None,
            decide_form=decide if self.is_third and self.decide_codes() else None,
            answers=answers,
            error=kwargs.get("error"),
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "propose")
        try:
            proposal_pk = int(request.POST.get("proposal", ""))
        except ValueError:
            proposal_pk = None
        form_set = self.forms_for(action, request.POST, proposal_pk)
        propose, decide, answers = form_set
        form = self._form_of(action, propose, decide, answers, proposal_pk)
        error = None
        try:
            message = self._perform(action, propose, decide, answers, proposal_pk)
        except services.AssessmentError as refused:
            message, error = None, refused
        except WorkflowError as refused:
            message, error = None, services.AssessmentError(str(refused))
        if message is not None:
            messages.success(request, message)
            return redirect(self.detail_url)
        context = self.get_context_data(forms=form_set)
        shown = [context["propose_form"], context["decide_form"]] + [
            f for _note, f in answers
        ]
        form_shown = form is not None and any(form is f for f in shown)
        if error is not None and form_shown and form.is_bound:
            form.add_service_error(error)
        elif error is not None:
            context["error"] = str(error)
        elif not form_shown:
            context["error"] = _("Dit kan nu niet: kies hieronder wat u wilt doen.")
        return self.render_to_response(context)

    @staticmethod
    def _form_of(action, propose, decide, answers, proposal_pk):
        if action == "propose":
            return propose
        if action == "decide":
            return decide
        if action in ("agree", "disagree"):
            return next((f for n, f in answers if n.pk == proposal_pk), None)
        return None

    def _perform(self, action, propose, decide, answers, proposal_pk):
        """Call the service of the step; None when the form was not valid."""
        user = self.request.user
        if action == "propose":
            if not propose.is_valid():
                return None
            services.consensus_propose(
                application=self.application,
                actor=user,
                criterion_code=propose.cleaned_data["criterion"],
                score=propose.cleaned_data["score"],
                note=propose.cleaned_data["note"],
            )
            return _("Uw voorstel is vastgelegd. De andere beoordelaar geeft antwoord.")
        if action == "decide":
            if not decide.is_valid():
                return None
            services.consensus_decide(
                application=self.application,
                actor=user,
                criterion_code=decide.cleaned_data["criterion"],
                score=decide.cleaned_data["score"],
                note=decide.cleaned_data["note"],
                no_conflict=decide.cleaned_data.get("no_conflict", False),
            )
            return _("De score is vastgelegd als besluit van een derde beoordelaar.")
        if action in ("agree", "disagree"):
            pair = next(((n, f) for n, f in answers if n.pk == proposal_pk), None)
            if pair is None:
                raise services.AssessmentError(
                    _("Dit voorstel bestaat niet (meer) of is niet aan u gericht.")
                )
            note, form = pair
            if not form.is_valid():
                return None
            services.consensus_answer(
                proposal=note,
                actor=user,
                agree=action == "agree",
                response=form.cleaned_data["response"],
            )
            return (
                _("De consensus is vastgelegd.")
                if action == "agree"
                else _("Uw antwoord is vastgelegd. Nu besluit een derde beoordelaar.")
            )
        raise services.AssessmentError(_("Kies wat u wilt doen."))


class CompleteView(ApplicationMixin, View):
    """Complete the assessment by hand (normally it completes by itself)."""

    requires_may_act = True
    transitions = frozenset({"complete_assessment"})
    guard_recorded_by_form = True

    def post(self, request, *args, **kwargs):
        try:
            done = services.assessment_complete(
                application=self.application, actor=request.user
            )
        except (services.AssessmentError, WorkflowError) as error:
            messages.error(request, str(error))
        else:
            if done:
                messages.success(request, _("De beoordeling is afgerond."))
            else:
                messages.error(
                    request,
                    _(
                        "De beoordeling kan nog niet worden afgerond: er zijn niet "
                        "genoeg ingediende scores of er is een open verschil."
                    ),
                )
        return redirect(self.detail_url)


class DocumentDownloadView(ApplicationMixin, View):
    """Serve a document from the private storage to who may see the application."""

    def get(self, request, *args, **kwargs):
        document = get_object_or_404(
            Document, application=self.application, pk=kwargs["document_pk"]
        )
        response = FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.original_name,
            content_type=document.content_type or "application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
