"""Aanvragen met hulp: the wijkbureau fills in an application for a resident.

Staff side (Wagtail admin, ``/admin/aanvragen-met-hulp/``, role Wijkbureau with
``subsidies.assist_application``; registered in ``subsidies.wagtail_hooks``): the
list of one's own concepts, the start (scheme, the resident's name, e-mail or "no
e-mail: DigiD", phone), the same steps as the resident (the resident's step pages and
forms, ``views.form``, in thin subclasses that say where the staff member's steps
live), the consent, and the hand-over (login link by e-mail, or a printed code).

Resident side (``assisted_claim``): after logging in with DigiD, the resident types the
printed code and the concept appears under Mijn aanvragen.

The staff member does not send the application: the resident checks and sends it
after the hand-over, with their own declaration that it is true (docs/decisions.md).
"""

from contextlib import contextmanager

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from portal.shared import ratelimit

from .. import mail_language, selectors, services, services_assisted, steps
from ..forms import error_summary
from ..forms.assisted import (
    AssistedStartForm,
    ChangeEmailForm,
    ClaimForm,
    ConsentForm,
)
from ..models import ApplicationAssistance, HandoverRoute
from ..services import WorkflowError
from ..workflow import Status
from .common import assisted_application
from .form import STEP_PAGES, ApplicationSteps, DocumentsStep

NAMESPACE = "met_hulp"
TEMPLATES = "subsidies/assisted/"
#: The steps the staff member fills in: all but the last ("Controleren en versturen"),
#: which is the resident's.
ASSISTED_STEPS = steps.STEPS[:-1]


def _require_permission(request):
    if not services_assisted.may_assist(request.user):
        raise PermissionDenied


def _handed_over_or_404(request, reference):
    """The staff member's own concept that left the wijkbureau: back to the list with a
    message. Anyone else's application: a 404."""
    if ApplicationAssistance.objects.filter(
        assisted_by=request.user, application__reference=reference
    ).exists():
        messages.info(
            request,
            _(
                "Aanvraag %(reference)s is al bij de bewoner. U kunt hem niet meer wijzigen."
            )
            % {"reference": reference},
        )
        return redirect(f"{NAMESPACE}:index")
    raise Http404


def _staff_application(request, reference):
    """The concept the staff member may work on, or a response that says why not."""
    _require_permission(request)
    application = services_assisted.assisted_application_for(request.user, reference)
    if application is None:
        return None, _handed_over_or_404(request, reference)
    return assisted_application(request, reference), None


# --- the Wagtail admin screens ----------------------------------------------------------


class AssistedPage(WagtailAdminTemplateMixin, TemplateView):
    """A screen of "Aanvragen met hulp": the permission is checked before anything
    is looked up, so a user without it learns nothing."""

    header_icon = "user"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        _require_permission(request)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(f"{NAMESPACE}:index"), "label": _("Aanvragen met hulp")},
            {"url": "", "label": self.get_page_title()},
        ]


class IndexView(AssistedPage):
    template_name = TEMPLATES + "index.html"
    page_title = gettext_lazy("Aanvragen met hulp")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        mine = ApplicationAssistance.objects.filter(
            assisted_by=self.request.user
        ).select_related("application__round__scheme", "application__applicant")
        handed_over = [row for row in mine if row.handed_over_at is not None][:50]
        for row in handed_over:
            # "E-mailadres aanpassen" only while the resident has not started on it.
            row.may_change_email = (
                row.route == HandoverRoute.EMAIL
                and row.application.status == Status.DRAFT
                and not services_assisted.resident_took_over(row)
            )
        context.update(
            open=[row for row in mine if row.handed_over_at is None],
            handed_over=handed_over,
        )
        return context


class StartView(AssistedPage):
    template_name = TEMPLATES + "start.html"
    page_title = gettext_lazy("Aanvraag met hulp beginnen")

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = form or AssistedStartForm()
        return context

    def post(self, request, *args, **kwargs):
        form = AssistedStartForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                assistance = services_assisted.assisted_start(
                    scheme=data["scheme"],
                    staff=request.user,
                    resident_name=data["resident_name"],
                    resident_email="" if data["no_email"] else data["resident_email"],
                    resident_phone=data["resident_phone"],
                    mail_language=data["mail_language"],
                )
            except WorkflowError as error:
                form.add_error(None, str(error))
            else:
                return redirect(
                    f"{NAMESPACE}:step",
                    reference=assistance.application.reference,
                    step=ASSISTED_STEPS[0].slug,
                )
        return self.render_to_response(self.get_context_data(form=form))


class AssistanceView(AssistedPage):
    """A screen about one concept the staff member is filling in."""

    def dispatch(self, request, *args, **kwargs):
        application, refusal = _staff_application(request, kwargs["reference"])
        if refusal is not None:
            return refusal
        self.application = application
        self.assistance = application.assistance
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(application=self.application, assistance=self.assistance)
        return context


class ConsentView(AssistanceView):
    template_name = TEMPLATES + "consent.html"
    page_title = gettext_lazy("Toestemming van de bewoner")

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        assistance = self.assistance
        context["form"] = form or ConsentForm(
            initial={
                "method": assistance.consent_method or None,
                "given_at": timezone.localtime(
                    assistance.consent_given_at or timezone.now()
                ).replace(second=0, microsecond=0),
                "note": assistance.consent_note,
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        form = ConsentForm(request.POST, started_at=self.assistance.started_at)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services_assisted.assisted_consent(
                    assistance=self.assistance,
                    staff=request.user,
                    method=data["method"],
                    given_at=data["given_at"],
                    note=data["note"],
                    confirmed=data["confirmed"],
                )
            except WorkflowError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Wij hebben de toestemming vastgelegd."))
                return redirect(
                    f"{NAMESPACE}:handover", reference=self.application.reference
                )
        return self.render_to_response(self.get_context_data(form=form))


class CodeJustMadeView(AssistedPage):
    """A second "Code voor DigiD afdrukken" or "Nieuwe code maken" moments after the
    first (a double click): no new code, since the sheet already open would stop
    working. Only the code's hash is stored, so it cannot be shown again; the staff
    member uses that sheet, or makes a new code on purpose."""

    template_name = TEMPLATES + "code_just_made.html"
    page_title = gettext_lazy("U heeft de code al gemaakt")
    assistance = None
    message = ""

    def post(self, request, *args, **kwargs):
        return self.get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            assistance=self.assistance,
            application=self.assistance.application,
            message=self.message,
        )
        return context


def _code_just_made(request, assistance, message=""):
    response = CodeJustMadeView.as_view(
        assistance=assistance,
        message=message
        or _(
            "U heeft de code al gemaakt. Gebruik het blad dat al open staat. Of "
            "maak bewust een nieuwe code. Dan werkt de code op het eerste blad niet "
            "meer."
        ),
    )(request)
    response["Cache-Control"] = "no-store"
    return response


def _recent_code(request, reference):
    """The staff member's concept whose code they made a moment ago, or None."""
    assistance = (
        ApplicationAssistance.objects.filter(
            assisted_by=request.user, application__reference=reference
        )
        .select_related("application")
        .first()
    )
    if assistance is not None and services_assisted.code_just_made(
        assistance, request.user
    ):
        return assistance
    return None


class HandoverView(AssistanceView):
    template_name = TEMPLATES + "handover.html"
    page_title = gettext_lazy("Overdragen aan de bewoner")

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST" and request.POST.get("action") == "code":
            # The second click arrives after the first handed the concept over.
            recent = _recent_code(request, kwargs["reference"])
            if recent is not None:
                return _code_just_made(request, recent)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, error=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            error=error,
            steps_done=selectors.steps_done(self.application),
            steps=ASSISTED_STEPS,
            claim_url=services_assisted.claim_url(),
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        try:
            if action == "email":
                services_assisted.assisted_handover_email(
                    assistance=self.assistance, staff=request.user
                )
                messages.success(
                    request,
                    _(
                        "U heeft aanvraag %(reference)s overgedragen. %(name)s krijgt "
                        "een e-mail met een inloglink."
                    )
                    % {
                        "reference": self.application.reference,
                        "name": self.assistance.resident_name,
                    },
                )
                return redirect(f"{NAMESPACE}:index")
            if action == "code":
                try:
                    assistance, code = services_assisted.assisted_handover_code(
                        assistance=self.assistance, staff=request.user
                    )
                except services_assisted.CodeJustMade as error:
                    self.assistance.refresh_from_db()
                    return _code_just_made(request, self.assistance, str(error))
                return _code_sheet(request, assistance, code)
        except WorkflowError as error:
            return self.render_to_response(self.get_context_data(error=str(error)))
        return self.render_to_response(
            self.get_context_data(error=_("Kies hoe u de aanvraag overdraagt."))
        )


@require_POST
def assisted_reissue_code(request, reference):
    """A new printed code for a concept handed over with a code that was lost or
    expired (the button "Nieuwe code maken" under Overgedragen): shown once, to
    print; the old code stops working. Anything else: back to the list with why."""
    _require_permission(request)
    assistance = (
        ApplicationAssistance.objects.filter(
            assisted_by=request.user, application__reference=reference
        )
        .select_related("application")
        .first()
    )
    if assistance is None:
        raise Http404
    try:
        assistance, code = services_assisted.assisted_reissue_code(
            assistance=assistance,
            staff=request.user,
            deliberate=request.POST.get("deliberate") == "1",
        )
    except services_assisted.CodeJustMade as error:
        return _code_just_made(request, assistance, str(error))
    except WorkflowError as error:
        messages.error(request, str(error))
        return redirect(f"{NAMESPACE}:index")
    return _code_sheet(request, assistance, code)


def _code_sheet(request, assistance, code):
    """The sheet with the code for the resident to take home, in the language chosen
    for the resident's e-mails. Shown once, to print: only the code's hash is stored,
    so the page is never cached."""
    with translation.override(mail_language.language_of(assistance.application)):
        response = render(
            request,
            TEMPLATES + "handover_sheet.html",
            {
                "application": assistance.application,
                "assistance": assistance,
                "code": code,
                "claim_url": services_assisted.claim_url(),
                "site_url": settings.PUBLIC_SITE_URL,
            },
        )
    response["Cache-Control"] = "no-store"
    return response


class ChangeEmailView(AssistedPage):
    """ "E-mailadres aanpassen en opnieuw versturen": the staff member typed a wrong
    address for the login link. The concept goes to the right address with a new
    link; the old link stops working; what was filled in stays."""

    template_name = TEMPLATES + "change_email.html"
    page_title = gettext_lazy("E-mailadres aanpassen en opnieuw versturen")

    def dispatch(self, request, *args, **kwargs):
        self.assistance = (
            ApplicationAssistance.objects.filter(
                assisted_by=request.user, application__reference=kwargs["reference"]
            )
            .select_related("application__applicant", "application__round__scheme")
            .first()
        )
        if self.assistance is None:
            raise Http404
        application = self.assistance.application
        if not (
            self.assistance.is_handed_over
            and self.assistance.route == HandoverRoute.EMAIL
            and application.status == Status.DRAFT
        ):
            messages.info(
                request,
                _(
                    "U kunt dit e-mailadres niet aanpassen. Dat kan alleen na een "
                    "overdracht met een inloglink, zolang de bewoner de aanvraag niet "
                    "verstuurde."
                ),
            )
            return redirect(f"{NAMESPACE}:index")
        if services_assisted.resident_took_over(self.assistance):
            messages.info(request, services_assisted.took_over_message())
            return redirect(f"{NAMESPACE}:index")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            assistance=self.assistance,
            application=self.assistance.application,
            form=form
            or ChangeEmailForm(
                initial={
                    "resident_email": self.assistance.resident_email,
                    "mail_language": self.assistance.application.applicant.mail_language,
                }
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = ChangeEmailForm(request.POST)
        if form.is_valid():
            try:
                assistance = services_assisted.assisted_change_email(
                    assistance=self.assistance,
                    staff=request.user,
                    email=form.cleaned_data["resident_email"],
                    mail_language=form.cleaned_data["mail_language"],
                )
            except WorkflowError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _(
                        "Wij hebben de e-mail en een nieuwe inloglink naar %(email)s "
                        "gestuurd. De link naar het oude adres werkt niet meer."
                    )
                    % {"email": assistance.resident_email},
                )
                return redirect(f"{NAMESPACE}:index")
        return self.render_to_response(self.get_context_data(form=form))


# --- the steps: the resident's pages, where the staff member's steps live ---------------


def _assisted_template(page_class):
    """The resident's step template, in the wijkbureau's frame."""
    return TEMPLATES + "steps/" + page_class.template.rsplit("/", 1)[-1]


class AssistedDocumentsStep(DocumentsStep):
    template = TEMPLATES + "steps/documents.html"
    url_name = f"{NAMESPACE}:step"

    @classmethod
    def remove_document(cls, request, reference, pk):
        """The "Verwijderen" button on the staff member's page: a file of the concept
        they fill in (looked up on that concept, not through the resident's
        selectors); on failure and success back to the staff page, and the removal
        in the transition log."""
        application = assisted_application(request, reference)
        documents = application.documents.all()
        if cls.kinds is not None:
            documents = documents.filter(kind__in=cls.kinds)
        document = documents.filter(pk=pk).first()
        if document is None:
            raise Http404
        back = redirect(cls.url_name, reference=reference, step=cls.slug)
        name = str(document)
        try:
            cls.remove(document=document, user=request.user)
        except WorkflowError as error:
            messages.error(request, str(error))
            return back
        services_assisted.assisted_document_removed(
            application=application, staff=request.user, name=name
        )
        messages.success(
            request, _("Het bestand %(name)s is verwijderd.") % {"name": name}
        )
        return back


ASSISTED_PAGES = {
    slug: (
        AssistedDocumentsStep
        if page is DocumentsStep
        else type(page.__name__, (page,), {"template": _assisted_template(page)})
    )
    for slug, page in STEP_PAGES.items()
}


class AssistedSteps(ApplicationSteps):
    """The application's steps as the wijkbureau fills them in: the same pages and
    services, under the admin's URLs, without the last step (the resident sends)."""

    sequence = ASSISTED_STEPS
    pages = ASSISTED_PAGES
    url_name = f"{NAMESPACE}:step"

    def reload(self):
        self.application = assisted_application(
            self.request, self.application.reference
        )

    def extra_context(self):
        return {"assistance": self.application.assistance, "assisted": True}

    def saved(self):
        messages.success(
            self.request,
            _("Aanvraag %(reference)s is bewaard. U kunt later verder gaan.")
            % {"reference": self.application.reference},
        )
        return redirect(f"{NAMESPACE}:index")

    @contextmanager
    def _saving(self, page, step):
        """Every save the staff member makes is a log line, also one that stores only
        the valid parts of a step with a mistake in it."""
        # The save keeps the resident's mail language: ``mail_language.remember``
        # ignores a save by staff.
        with super()._saving(page, step):
            yield
        services_assisted.assisted_step_saved(
            application=self.application, staff=self.user, step=step
        )

    def after_save(self, current, action):
        if action == "next" and steps.next_step(current.slug, self.sequence) is None:
            return redirect(
                f"{NAMESPACE}:consent", reference=self.application.reference
            )
        return super().after_save(current, action)


def assisted_step(request, reference, step):
    """One step of the application, filled in by the staff member for the resident."""
    current = steps.get(step, ASSISTED_STEPS)
    _require_permission(request)
    if current is None:
        raise Http404
    application, refusal = _staff_application(request, reference)
    if refusal is not None:
        return refusal
    try:
        return AssistedSteps(request, application).show(current)
    except services.ApplicationLocked:
        return _handed_over_or_404(request, reference)


@require_POST
def assisted_document_delete(request, reference, document_pk):
    _application, refusal = _staff_application(request, reference)
    if refusal is not None:
        return refusal
    return AssistedDocumentsStep.remove_document(request, reference, document_pk)


# --- the resident: take over with the printed code --------------------------------------


@login_required
def assisted_claim(request):
    """The resident, logged in with DigiD, types the code from the wijkbureau."""
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assistance = services_assisted.assisted_claim(
                code=form.cleaned_data["code"],
                user=request.user,
                ip=ratelimit.client_ip(request),
            )
        except services_assisted.ClaimRefused as error:
            form.add_error("code", str(error))
        else:
            # No language chosen in this browser yet: the one the wijkbureau recorded.
            mail_language.adopt(request, assistance.application.applicant)
            messages.success(
                request,
                _(
                    "De aanvraag %(reference)s van het wijkbureau staat nu bij uw "
                    "aanvragen. Controleer alles en verstuur hem."
                )
                % {"reference": assistance.application.reference},
            )
            return redirect(
                "subsidies:resume", reference=assistance.application.reference
            )
    return render(
        request,
        TEMPLATES + "claim.html",
        {
            "form": form,
            "errors": error_summary(form),
            "has_digid": services_assisted.has_digid(request.user),
        },
    )
