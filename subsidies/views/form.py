"""The application form: six steps, each saved, resumable on any device.

Every step saves: what is valid is stored even when the step has errors, and the page
comes back with everything as it was typed, the errors at the fields and in a summary
above the form. A submitted application is no longer editable: its step pages
redirect to its status page. The last step submits through the workflow.

Two tabs on one step: each step page carries, in a hidden field, how often the step
had been saved when it was shown (``services.application_step_saving``). A tab that
saves after the other tab saved the same step is told so in Dutch, sees what is
stored now ("Nu bewaard"), and keeps what it typed in the form, to save again on
purpose. The documents step adds and removes single files and replaces nothing, so it
has no such check.
"""

import hashlib
from contextlib import contextmanager

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.oidc import session as oidc_session

from .. import selectors, services, steps
from ..forms import (
    BudgetFormSet,
    DocumentForm,
    ImpactForm,
    InitiativeForm,
    OrganisationForm,
    OtherFundingFormSet,
    PartnerFormSet,
    ReviewForm,
    budget_initial,
    error_summary,
    other_funding_initial,
    partner_initial,
)
from ..money import euros_to_cents
from ..services import WorkflowError
from .common import own_application, step_url


@login_required
def application_resume(request, reference):
    application = own_application(request, reference)
    if not application.is_editable_by_applicant:
        return redirect("subsidies:detail", reference=reference)
    return redirect(step_url(application, steps.resume_slug(application.current_step)))


class StepPage:
    """One step of the form: which forms it has, how they fill, how they are stored."""

    template = ""
    #: Does the step store its correct fields when other fields have errors?
    saves_valid_parts = True
    #: Does a save replace what the step stored (and so need the version check)?
    versioned = True

    def __init__(self, request, application):
        self.request = request
        self.application = application
        self.user = request.user

    def bind(self, data=None, files=None):  # pragma: no cover - abstract
        raise NotImplementedError

    def save(self, forms):  # pragma: no cover - abstract
        raise NotImplementedError

    def save_valid_parts(self, forms):
        """Store what was typed correctly on a step that still has errors."""

    def context(self, forms):
        return {}


class OrganisationStep(StepPage):
    template = "subsidies/steps/organisation.html"

    @property
    def verified_kvk(self):
        """The KvK number the form shows read-only: the applicant's, once an
        eHerkenning login verified it, else the one this session's login verified."""
        applicant = self.application.applicant
        if applicant.kvk_verified:
            return applicant.kvk_number
        return oidc_session.verified_kvk(self.request)

    def bind(self, data=None, files=None):
        initial = OrganisationForm.initial_from(self.application.applicant)
        return {
            "form": OrganisationForm(
                data, initial=initial, verified_kvk=self.verified_kvk
            )
        }

    def save(self, forms):
        self.save_valid_parts(forms)

    def save_valid_parts(self, forms):
        services.applicant_update(
            application=self.application,
            user=self.user,
            fields=forms["form"].cleaned_data,
            verified_kvk=oidc_session.verified_kvk(self.request),
        )


class InitiativeStep(StepPage):
    template = "subsidies/steps/initiative.html"
    relations = ("buurten", "target_groups", "themes")

    def bind(self, data=None, files=None):
        return {
            "form": InitiativeForm(
                data, initial=InitiativeForm.initial_from(self.application)
            ),
            "partners": PartnerFormSet(
                data, initial=partner_initial(self.application), prefix="partners"
            ),
        }

    def save(self, forms):
        self.save_valid_parts(forms)

    def save_valid_parts(self, forms):
        cleaned = dict(forms["form"].cleaned_data)
        if not {"wijk", "buurten"} <= set(cleaned):
            # The buurten belong to the wijk: the two are stored together or not at
            # all, so a new wijk never keeps buurten of the old one.
            cleaned.pop("wijk", None)
            cleaned.pop("buurten", None)
        services.application_update(
            application=self.application,
            user=self.user,
            fields={k: v for k, v in cleaned.items() if k not in self.relations},
            relations={k: v for k, v in cleaned.items() if k in self.relations},
        )
        if forms["partners"].is_valid():
            services.application_set_partners(
                application=self.application,
                user=self.user,
                partners=[form.cleaned_data for form in forms["partners"].filled_forms],
            )


class ImpactStep(StepPage):
    template = "subsidies/steps/impact.html"

    def bind(self, data=None, files=None):
        return {
            "form": ImpactForm(
                data,
                initial=ImpactForm.initial_from(self.application),
                question_set=self.application.question_set,
            )
        }

    def save(self, forms):
        self.save_valid_parts(forms)

    def save_valid_parts(self, forms):
        form = forms["form"]
        services.application_update(
            application=self.application,
            user=self.user,
            fields={
                k: v
                for k, v in form.cleaned_data.items()
                if k in ImpactForm.base_fields
            },
            answers=form.answers(),
        )


class BudgetStep(StepPage):
    template = "subsidies/steps/budget.html"
    saves_valid_parts = False

    def bind(self, data=None, files=None):
        maximum = self.application.round.scheme.max_amount_cents
        return {
            "lines": BudgetFormSet(
                data,
                initial=budget_initial(self.application),
                prefix="lines",
                max_total_cents=maximum,
            ),
            "other": OtherFundingFormSet(
                data, initial=other_funding_initial(self.application), prefix="other"
            ),
        }

    def save(self, forms):
        services.application_set_budget(
            application=self.application,
            user=self.user,
            lines=[
                {
                    "category": form.cleaned_data["category"],
                    "description": form.cleaned_data["description"],
                    "amount_cents": euros_to_cents(form.cleaned_data["amount"]),
                }
                for form in forms["lines"].filled_forms
            ],
            other_funding=[
                {
                    "source": form.cleaned_data["source"],
                    "state": form.cleaned_data["state"],
                    "amount_cents": euros_to_cents(form.cleaned_data["amount"]),
                }
                for form in forms["other"].filled_forms
            ],
        )

    def context(self, forms):
        return {
            "maximum_cents": self.application.round.scheme.max_amount_cents,
            "typed_total_cents": _typed_total(forms["lines"]),
        }


def _typed_total(formset):
    """The sum of the amounts that could be read, for the running total."""
    if not formset.is_bound:
        return None
    total = 0
    for form in formset.forms:
        amount = getattr(form, "cleaned_data", {}).get("amount")
        deleted = getattr(form, "cleaned_data", {}).get("DELETE")
        if amount is not None and not deleted:
            total += euros_to_cents(amount)
    return total


class DocumentsStep(StepPage):
    template = "subsidies/steps/documents.html"
    saves_valid_parts = False
    versioned = False

    def bind(self, data=None, files=None):
        action = (data or {}).get("action")
        return {
            "form": DocumentForm(
                data,
                files,
                require_file=action == "upload",
                usage=selectors.document_usage(self.application),
            )
        }

    def save(self, forms):
        form = forms["form"]
        if form.cleaned_data.get("file"):
            services.document_add(
                application=self.application,
                user=self.user,
                uploaded_file=form.cleaned_data["file"],
                checked=form.checked,
                kind=form.cleaned_data["kind"],
            )
            messages.success(
                self.request,
                _("Het bestand %(name)s is toegevoegd.") % {"name": form.checked.name},
            )

    def context(self, forms):
        return {"documents": selectors.applicant_documents(self.application)}


STEP_PAGES = {
    steps.ORGANISATION: OrganisationStep,
    steps.INITIATIVE: InitiativeStep,
    steps.IMPACT: ImpactStep,
    steps.BUDGET: BudgetStep,
    steps.DOCUMENTS: DocumentsStep,
}

#: Buttons that keep the applicant on the same step after saving.
STAY_ACTIONS = {"add_partner", "add_line", "add_other", "upload"}
#: The hidden field with the number of saves of the step the page was shown with.
VERSION_FIELD = "stap_versie"


def _valid(forms):
    # Validate every form (no short cut), so every error shows at once.
    results = [form.is_valid() for form in forms.values()]
    return all(results)


def _already_sent(request, reference):
    messages.info(
        request,
        _("Deze aanvraag is al verstuurd. U kunt hem niet meer wijzigen."),
    )
    return redirect("subsidies:detail", reference=reference)


@login_required
def application_step(request, reference, step):
    current = steps.get(step)
    if current is None:
        raise Http404
    application = (
        own_application(request, reference)
        if request.method == "POST"
        else _application_to_show(request, reference, current)
    )
    if not application.is_editable_by_applicant:
        return _already_sent(request, reference)
    try:
        return _application_step(request, application, current)
    except services.ApplicationLocked:
        # Submitted in another tab or request while this one was on its way.
        return _already_sent(request, reference)


def _application_to_show(request, reference, current):
    """A GET: the application with what the page reads loaded up front (the question
    set; the relations that the list of steps checks and, on the initiative step,
    that the form shows), so each is one query, not one per use. A POST saves, so it
    loads the application as it was (no lists that a save would make stale)."""
    relations = ["target_groups", "themes"]
    if current.slug == steps.INITIATIVE:
        relations.append("buurten")
    return get_object_or_404(
        selectors.applications_for_user(request.user)
        .select_related("question_set")
        .prefetch_related(*relations),
        reference=reference,
    )


def _application_step(request, application, current):
    step = current.slug
    if current.slug == steps.REVIEW:
        return _review(request, application, current)
    page = STEP_PAGES[current.slug](request, application)
    conflict = None
    if request.method == "POST":
        forms = page.bind(request.POST, request.FILES)
        action = request.POST.get("action", "next")
        valid = _valid(forms)
        try:
            if valid:
                with _saving(page, step, request):
                    page.save(forms)
            elif page.saves_valid_parts:
                with _saving(page, step, request):
                    page.save_valid_parts(forms)
        except services.StepSavedElsewhere as error:
            conflict = str(error)
            application = own_application(request, application.reference)
        except services.StepAlreadySaved:
            # The same form arrived twice (a double click): the first one saved it.
            if valid:
                return _after_save(request, application, current, action)
            application = own_application(request, application.reference)
        else:
            if valid:
                return _after_save(request, application, current, action)
        step_version = services.application_step_version(
            application=application, step=step
        )
    else:
        forms = page.bind()
        # Read with the application in this request: the number that goes with
        # what the form shows.
        step_version = int((application.step_versions or {}).get(step, 0))
    if application.current_step != step:
        # After "Volgende" the step was stored already: a page view writes nothing.
        services.application_set_step(
            application=application, user=request.user, step=step
        )
    return render(
        request,
        page.template,
        {
            **_step_context(application, current, forms),
            "saves_valid_parts": page.saves_valid_parts,
            "step_version": step_version if page.versioned else None,
            "version_field": VERSION_FIELD,
            "conflict": conflict,
            "stored_now": _stored_now(application, step) if conflict else None,
            **page.context(forms),
        },
    )


@contextmanager
def _saving(page, step, request):
    """The version check around a step's save; none for the documents step."""
    if not page.versioned:
        yield
        return
    with services.application_step_saving(
        application=page.application,
        user=page.user,
        step=step,
        version=request.POST.get(VERSION_FIELD),
        fingerprint=_post_fingerprint(request),
    ):
        yield


def _post_fingerprint(request):
    """What was posted, without the CSRF token: the same twice means a double click."""
    digest = hashlib.sha256()
    for key in sorted(request.POST):
        if key == "csrfmiddlewaretoken":
            continue
        for value in request.POST.getlist(key):
            digest.update(f"{key}\0{value}\0".encode())
    return digest.hexdigest()


def _stored_now(application, step):
    """What is stored for ``step`` now, as on the last step: (label, value) rows."""
    return next(
        (
            section
            for section in selectors.submission_copy(application)
            if section.step == step
        ),
        None,
    )


def _after_save(request, application, current, action):
    if action in STAY_ACTIONS:
        return redirect(step_url(application, current.slug))
    if action == "save":
        messages.success(
            request,
            _(
                "Uw aanvraag %(reference)s is bewaard. U kunt later verder gaan waar u "
                "was, ook op een ander apparaat."
            )
            % {"reference": application.reference},
        )
        return redirect("subsidies:my_applications")
    target = (
        steps.previous_step(current.slug)
        if action == "previous"
        else steps.next_step(current.slug)
    )
    target = target or current
    services.application_set_step(
        application=application, user=request.user, step=target.slug
    )
    return redirect(step_url(application, target.slug))


def _step_context(application, current, forms, extra_errors=None):
    done = selectors.steps_done(application)
    errors = error_summary(*forms.values()) + list(extra_errors or [])
    return {
        "application": application,
        "step": current,
        "steps": [
            {
                "step": item,
                "is_current": item.slug == current.slug,
                "done": item.slug in done,
            }
            for item in steps.STEPS
        ],
        "previous": steps.previous_step(current.slug),
        "next": steps.next_step(current.slug),
        "errors": errors,
        **forms,
    }


def _review(request, application, current):
    form = ReviewForm(
        request.POST or None,
        initial={
            "truthful_declaration": application.truthful_declaration,
            "decisions_by_email": application.applicant.accepts_electronic_decisions,
        },
    )
    extra_errors = []
    if request.method == "POST" and form.is_valid():
        try:
            services.application_submit(
                application=application,
                user=request.user,
                truthful_declaration=True,
                accepts_electronic_decisions=form.cleaned_data["decisions_by_email"],
            )
        except services.SubmissionIncomplete as error:
            extra_errors = [
                {
                    "href": getattr(problem, "href", "") or "#nog-niet-compleet",
                    "text": problem,
                }
                for problem in error.problems
            ]
        except WorkflowError as error:
            if selectors.application_was_sent(application):
                # A double click: the other request submitted it, and that is success.
                return redirect("subsidies:received", reference=application.reference)
            extra_errors = [{"href": "#versturen", "text": str(error)}]
        else:
            return redirect("subsidies:received", reference=application.reference)
    services.application_set_step(
        application=application, user=request.user, step=current.slug
    )
    application.refresh_from_db()
    problems = selectors.step_problems(application)
    blocking = selectors.submission_problems(application, check_declaration=False)
    return render(
        request,
        "subsidies/steps/review.html",
        {
            **_step_context(application, current, {"form": form}, extra_errors),
            "sections": selectors.submission_copy(application),
            "problems": problems,
            "blocking": blocking,
            "other_problems": [
                problem
                for problem in blocking
                if not any(problem in found for found in problems.values())
            ],
        },
    )


@login_required
@require_POST
def document_delete(request, reference, pk):
    document = get_object_or_404(
        selectors.documents_for_user(request.user),
        application__reference=reference,
        pk=pk,
    )
    try:
        services.document_remove(document=document, user=request.user)
    except WorkflowError as error:
        messages.error(request, str(error))
        return redirect("subsidies:detail", reference=reference)
    messages.success(
        request, _("Het bestand %(name)s is verwijderd.") % {"name": document}
    )
    return redirect("subsidies:step", reference=reference, step=steps.DOCUMENTS)
