"""Views of the handlers' bezwaar screens in the Wagtail admin (thin: parse, call, redirect).

Every view needs ``beoordeling.view_objection`` (Bezwaarbehandelaar, Besluitvormer);
the permission is checked before any bezwaar is looked up, so anyone else learns
nothing. Registering and the handling steps also need
``beoordeling.handle_objection``; approving and sending back a proposed decision need
``subsidies.decide_application``. The steps offered on a bezwaar come from django-fsm
(``steps_for``); the services check every rule again and refuse in Dutch, and a
refused step shows the detail page again with the form as it was typed.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.roles import DECIDE_APPLICATION, HANDLE_OBJECTION, VIEW_OBJECTION

from ..models import DecisionError, Objection
from . import forms, selectors
from .services import ObjectionError, deciding, handling, lodging
from .workflow import OPEN_STATES, TRANSITIONS, ObjectionState, Outcome, is_handler

TEMPLATES = "beoordeling/objections/admin/"
URL_NAMESPACE = "bezwaren"


def url(name, *args):
    return reverse(f"{URL_NAMESPACE}:{name}", args=args)


class ObjectionAccessMixin:
    """``VIEW_OBJECTION`` and the view's own permissions, checked in ``setup``, before
    any object is looked up."""

    permissions = ()

    def setup(self, request, *args, **kwargs):
        user = request.user
        if not user.has_perm(VIEW_OBJECTION) or not all(
            user.has_perm(permission) for permission in self.permissions
        ):
            raise PermissionDenied
        super().setup(request, *args, **kwargs)


class Page(ObjectionAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    header_icon = "warning"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": url("index"), "label": _("Bezwaren")},
            {"url": "", "label": self.get_page_title()},
        ]


# --- the queue ------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    objection: Objection
    deadline: str


class QueueView(Page):
    template_name = TEMPLATES + "queue.html"
    page_title = gettext_lazy("Bezwaren")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = forms.QueueFilterForm(self.request.GET or None)
        state, mine = None, False
        if form.is_bound and form.is_valid():
            state = form.cleaned_data["stand"] or None
            mine = form.cleaned_data["mijn"]
        else:
            form = forms.QueueFilterForm()
        today = timezone.localdate()
        queue = selectors.objection_queue(self.request.user, state=state, mine=mine)
        context.update(
            filter_form=form,
            rows=[
                QueueRow(
                    objection=objection,
                    deadline=deadline_flag(objection, today),
                )
                for objection in queue[:500]
            ],
            may_register=self.request.user.has_perm(HANDLE_OBJECTION),
            soon_days=selectors.DUE_SOON_DAYS,
        )
        return context


def deadline_flag(objection, today):
    """'overdue', 'due_soon' or '' for an open bezwaar; a closed one has no clock."""
    if objection.state not in OPEN_STATES:
        return ""
    state = selectors.objection_deadline_state(objection, today)
    return state if state in ("overdue", "due_soon") else ""


# --- registering a bezwaarschrift from paper -------------------------------------------


class RegisterView(Page):
    template_name = TEMPLATES + "register.html"
    page_title = gettext_lazy("Bezwaarschrift registreren")
    permissions = (HANDLE_OBJECTION,)

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = form or forms.RegisterForm(
            initial={"received_on": timezone.localdate()}
        )
        return context

    def post(self, request, *args, **kwargs):
        form = forms.RegisterForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                objection = lodging.objection_register(
                    decision=form.decision,
                    objector_name=data["objector_name"],
                    reasons=data["reasons"],
                    received_on=data["received_on"],
                    posted_on=data["posted_on"],
                    files=data["attachments"],
                    actor=request.user,
                )
            except ObjectionError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _(
                        "Bezwaar %(reference)s is geregistreerd. De indiener krijgt "
                        "een ontvangstbevestiging."
                    )
                    % {"reference": objection.reference},
                )
                if objection.is_late:
                    messages.warning(
                        request,
                        _(
                            "Dit bezwaar kwam na de bezwaartermijn binnen. Beoordeel "
                            "of dat verschoonbaar is."
                        ),
                    )
                return redirect(url("detail", objection.pk))
        return self.render_to_response(self.get_context_data(form=form))


# --- one bezwaar: the facts, the letters, the log and the steps ------------------------


@dataclass
class Step:
    name: str
    label: str
    form: object
    submit: str
    intro: str = ""

    @property
    def url(self):
        return url(self.name, self.objection_pk)

    objection_pk: int = 0


def steps_for(objection, user):
    """The steps ``user`` can take on ``objection`` now, as django-fsm says.

    ``within_reach``: the transitions from this state that the user may fire, guards
    aside, for the steps whose own form records what their guard reads (the handler,
    the hearing, the waiver, the approver). ``offered``: source, guards and permission
    in one call, for the steps whose guard reads what is stored (lateness, the one
    deferral, the complete decision). Classifying and recording the decision are not
    transitions; their services say who may.
    """
    within_reach = {
        t.name
        for t in objection.get_all_state_transitions()
        if t.source in (objection.state, "*") and t.has_perm(objection, user)
    }
    offered = {t.name for t in objection.get_available_user_state_transitions(user)}
    handler = is_handler(objection, user)
    ready = objection.state == ObjectionState.READY
    shown = {
        "assign": "assign" in within_reach,
        "classify": handler and objection.state in OPEN_STATES,
        "judge_lateness": "judge_lateness" in offered,
        "schedule_hearing": "schedule_hearing" in within_reach,
        "record_hearing": "record_hearing" in within_reach,
        "waive_hearing": "waive_hearing" in within_reach,
        "extend": "extend" in offered,
        "record_decision": handler and ready,
        "decide": bool({"decide", "propose"} & within_reach),
        "approve": "approve" in within_reach,
        "send_back": "send_back" in within_reach,
        "withdraw": "withdraw" in within_reach,
    }
    return [name for name, show in shown.items() if show], "propose" in offered


def _initial(objection, name):
    if name == "classify":
        return {"ground": objection.ground, "committee": objection.committee}
    if name == "record_decision":
        return {
            "outcome": objection.outcome,
            "motivation": objection.motivation,
            "remedy": objection.remedy_cents,
        }
    if name == "assign" and objection.handler_id:
        return {"handler": objection.handler_id}
    return None


class ObjectionMixin:
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.objection = get_object_or_404(
            Objection.objects.select_related(
                "application__round__scheme",
                "application__applicant",
                "decision__document",
                "handler",
                "lodged_by",
                "proposed_by",
                "approved_by",
                "acknowledgement",
                "hearing_invitation",
                "extension_letter",
                "decision_on_objection__document",
            ),
            pk=kwargs["objection_id"],
        )


class DetailView(ObjectionMixin, Page):
    template_name = TEMPLATES + "detail.html"

    def get_page_title(self):
        return _("Bezwaar %(reference)s") % {"reference": self.objection.reference}

    def steps(self, bound=None):
        names, proposes = steps_for(self.objection, self.request.user)
        steps = []
        for name in names:
            spec = ACTIONS[name]
            if bound is not None and bound[0] == name:
                form = bound[1]
            else:
                form = spec.form_class(
                    prefix=name, initial=_initial(self.objection, name)
                )
            submit = spec.submit
            if name == "decide" and proposes:
                submit = _("Voorleggen aan een besluitvormer (vier ogen)")
            steps.append(
                Step(
                    name=name,
                    label=spec.label,
                    form=form,
                    submit=submit,
                    intro=spec.intro,
                    objection_pk=self.objection.pk,
                )
            )
        return steps

    def get_context_data(self, bound=None, **kwargs):
        context = super().get_context_data(**kwargs)
        objection = self.objection
        today = timezone.localdate()
        cost = None
        if (
            objection.outcome == Outcome.WELL_FOUNDED
            and objection.state
            in (ObjectionState.READY, ObjectionState.AWAITING_APPROVAL)
            and objection.remedy_cents is not None
        ):
            cost = deciding.objection_cost(objection)
        steps = self.steps(bound)
        context.update(
            objection=objection,
            application=objection.application,
            decision=objection.decision,
            deadline=deadline_flag(objection, today),
            soon_days=selectors.DUE_SOON_DAYS,
            attachments=selectors.objection_attachments(objection),
            letters=letters_of(objection),
            log=[
                (
                    row,
                    TRANSITIONS[row.transition][0]
                    if row.transition in TRANSITIONS
                    else handling.LOG_WORDS.get(row.transition, row.transition),
                )
                for row in objection.log.all()
            ],
            steps=steps,
            cost=cost,
            is_handler=is_handler(objection, self.request.user),
            awaiting_own=(
                objection.state == ObjectionState.AWAITING_APPROVAL
                and objection.handler_id == self.request.user.pk
            ),
        )
        return context


LETTER_FIELDS = (
    ("acknowledgement", gettext_lazy("Ontvangstbevestiging")),
    ("hearing_invitation", gettext_lazy("Uitnodiging voor de hoorzitting")),
    ("extension_letter", gettext_lazy("Brief over de verdaging")),
)


def letters_of(objection):
    """The letters of the bezwaar (not the beslissing op bezwaar): [(title, Document)]."""
    return [
        (title, getattr(objection, field))
        for field, title in LETTER_FIELDS
        if getattr(objection, f"{field}_id") is not None
    ]


# --- the steps ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionSpec:
    label: str
    form_class: type
    submit: str
    permissions: tuple = (HANDLE_OBJECTION,)
    intro: str = ""


ACTIONS = {
    "assign": ActionSpec(
        gettext_lazy("Behandelaar toewijzen"),
        forms.AssignForm,
        gettext_lazy("Toewijzen"),
    ),
    "classify": ActionSpec(
        gettext_lazy("Bezwaar indelen"),
        forms.ClassifyForm,
        gettext_lazy("Indeling opslaan"),
    ),
    "judge_lateness": ActionSpec(
        gettext_lazy("Termijnoverschrijding beoordelen"),
        forms.LatenessForm,
        gettext_lazy("Oordeel vastleggen"),
        intro=gettext_lazy(
            "Dit bezwaar kwam te laat binnen. Is dat niet verschoonbaar, dan is het "
            "bezwaar niet-ontvankelijk."
        ),
    ),
    "schedule_hearing": ActionSpec(
        gettext_lazy("Hoorzitting plannen"),
        forms.HearingForm,
        gettext_lazy("Plannen en uitnodiging sturen"),
        intro=gettext_lazy("De indiener krijgt een uitnodiging met datum en plaats."),
    ),
    "record_hearing": ActionSpec(
        gettext_lazy("Verslag van de hoorzitting"),
        forms.HearingReportForm,
        gettext_lazy("Verslag vastleggen"),
    ),
    "waive_hearing": ActionSpec(
        gettext_lazy("Afzien van horen"),
        forms.WaiverForm,
        gettext_lazy("Afzien van horen"),
    ),
    "extend": ActionSpec(
        gettext_lazy("Beslissing verdagen (6 weken)"),
        forms.ExtendForm,
        gettext_lazy("Verdagen en brief sturen"),
    ),
    "record_decision": ActionSpec(
        gettext_lazy("Beslissing vastleggen"),
        forms.DecisionForm,
        gettext_lazy("Beslissing opslaan"),
        intro=gettext_lazy(
            "Dit is nog een concept. De indiener krijgt de beslissing pas na "
            "'Beslissen'."
        ),
    ),
    "decide": ActionSpec(
        gettext_lazy("Beslissen op bezwaar"),
        forms.ConfirmForm,
        gettext_lazy("Beslissen en brief sturen"),
        intro=gettext_lazy(
            "De beslissing op bezwaar gaat naar de indiener. Dat kan niet ongedaan "
            "worden gemaakt."
        ),
    ),
    "approve": ActionSpec(
        gettext_lazy("Beslissing goedkeuren (vier ogen)"),
        forms.ConfirmForm,
        gettext_lazy("Goedkeuren en brief sturen"),
        permissions=(DECIDE_APPLICATION,),
    ),
    "send_back": ActionSpec(
        gettext_lazy("Beslissing terugsturen"),
        forms.SendBackForm,
        gettext_lazy("Terugsturen naar de behandelaar"),
        permissions=(DECIDE_APPLICATION,),
    ),
    "withdraw": ActionSpec(
        gettext_lazy("Intrekking registreren"),
        forms.WithdrawForm,
        gettext_lazy("Intrekking registreren"),
        intro=gettext_lazy(
            "De indiener trok het bezwaar in, per brief of telefonisch."
        ),
    ),
}


def _perform(name, objection, data, user):
    """Call the service of step ``name``; returns the success message."""
    if name == "assign":
        handling.objection_assign(
            objection=objection, handler=data["handler"], actor=user
        )
        return _("De behandelaar is toegewezen.")
    if name == "classify":
        handling.objection_classify(
            objection=objection,
            ground=data["ground"],
            committee=data["committee"],
            actor=user,
        )
        return _("De indeling is opgeslagen.")
    if name == "judge_lateness":
        handling.objection_judge_lateness(
            objection=objection,
            excusable=data["excusable"],
            motivation=data["motivation"],
            actor=user,
        )
        return _("Het oordeel over de termijnoverschrijding is vastgelegd.")
    if name == "schedule_hearing":
        handling.objection_schedule_hearing(
            objection=objection,
            hearing_at=data["hearing_at"],
            place=data["place"],
            actor=user,
        )
        return _("De hoorzitting is gepland. De indiener krijgt een uitnodiging.")
    if name == "record_hearing":
        handling.objection_record_hearing(
            objection=objection, report=data["report"], actor=user
        )
        return _("Het verslag van de hoorzitting is vastgelegd.")
    if name == "waive_hearing":
        handling.objection_waive_hearing(
            objection=objection,
            waiver=data["waiver"],
            motivation=data["motivation"],
            actor=user,
        )
        return _("Vastgelegd: er is geen hoorzitting.")
    if name == "extend":
        handling.objection_extend(
            objection=objection, reason=data["reason"], actor=user
        )
        return _("De beslissing is verdaagd. De indiener krijgt een brief.")
    if name == "record_decision":
        deciding.objection_record_decision(
            objection=objection,
            outcome=data["outcome"],
            motivation=data["motivation"],
            remedy_cents=data["remedy"],
            actor=user,
        )
        return _("De beslissing is opgeslagen (concept).")
    if name == "decide":
        decided = deciding.objection_decide(objection=objection, actor=user)
        if decided.state == ObjectionState.AWAITING_APPROVAL:
            return _(
                "De beslissing wacht op een tweede besluitvormer (vier ogen). Daarna "
                "gaat de brief naar de indiener."
            )
        return _("Er is beslist op het bezwaar. De indiener krijgt de brief.")
    if name == "approve":
        deciding.objection_approve(objection=objection, actor=user)
        return _("De beslissing is goedgekeurd. De indiener krijgt de brief.")
    if name == "send_back":
        deciding.objection_send_back(
            objection=objection, actor=user, reason=data["reason"]
        )
        return _("De beslissing is teruggestuurd naar de behandelaar.")
    if name == "withdraw":
        handling.objection_withdraw(
            objection=objection, user=user, reason=data["reason"]
        )
        return _("De intrekking is geregistreerd.")
    raise Http404


class ActionView(DetailView):
    """POST only: one step on the bezwaar. Refused (a form error or the service's
    Dutch message): the detail page again, with the form as it was typed."""

    http_method_names = ["post", "options"]
    action = None

    @cached_property
    def spec(self):
        return ACTIONS[self.action]

    def setup(self, request, *args, **kwargs):
        self.permissions = ACTIONS[self.action].permissions
        super().setup(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        form = self.spec.form_class(request.POST, prefix=self.action)
        if form.is_valid():
            try:
                message = _perform(
                    self.action, self.objection, form.cleaned_data, request.user
                )
            except (ObjectionError, DecisionError) as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, message)
                return redirect(url("detail", self.objection.pk))
        names, _proposes = steps_for(self.objection, request.user)
        if self.action not in names:
            for error in form.non_field_errors() or [
                _("Deze stap kan nu niet op dit bezwaar.")
            ]:
                messages.error(request, error)
            return redirect(url("detail", self.objection.pk))
        return self.render_to_response(self.get_context_data(bound=(self.action, form)))


class DocumentView(ObjectionMixin, ObjectionAccessMixin, View):
    """A letter or attachment of this bezwaar, from the private storage."""

    def get(self, request, *args, **kwargs):
        objection = self.objection
        allowed = {document.pk: document for _t, document in letters_of(objection)}
        allowed.update(
            {
                document.pk: document
                for document in selectors.objection_attachments(objection)
            }
        )
        document = allowed.get(kwargs["document_id"])
        if document is None:
            raise Http404
        response = FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.original_name,
            content_type=document.content_type or "application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
