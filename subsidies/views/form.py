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
has no such check. That law is ``step_pages.StepFlow``, shared with the
verantwoording; ``ApplicationSteps`` says it is stored on the application.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.oidc import session as oidc_session

from .. import reference_lists, selectors, services, steps
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
    other_funding_initial,
    partner_initial,
)
from ..money import euros_to_cents
from ..services import WorkflowError
from .common import own_application, step_url
from .step_pages import DocumentsPage, StepFlow, StepPage, typed_total


@login_required
def application_resume(request, reference):
    application = own_application(request, reference)
    if not application.is_editable_by_applicant:
        return redirect("subsidies:detail", reference=reference)
    return redirect(step_url(application, steps.resume_slug(application.current_step)))


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
        applicant = self.application.applicant
        initial = OrganisationForm.initial_from(applicant)
        return {
            "form": OrganisationForm(
                data,
                initial=initial,
                verified_kvk=self.verified_kvk,
                email_optional=applicant.contact_email_optional(),
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
            "typed_total_cents": (
                typed_total(forms["lines"]) if forms["lines"].is_bound else None
            ),
        }


class DocumentsStep(DocumentsPage):
    template = "subsidies/steps/documents.html"
    form_class = DocumentForm
    add = staticmethod(services.document_add)
    remove = staticmethod(services.document_remove)
    documents = staticmethod(selectors.applicant_documents)
    url_name = "subsidies:step"
    slug = steps.DOCUMENTS

    def added_fields(self, form):
        return {"kind": form.cleaned_data["kind"]}


STEP_PAGES = {
    steps.ORGANISATION: OrganisationStep,
    steps.INITIATIVE: InitiativeStep,
    steps.IMPACT: ImpactStep,
    steps.BUDGET: BudgetStep,
    steps.DOCUMENTS: DocumentsStep,
}


class ApplicationSteps(StepFlow):
    """The application form's steps, stored on the application (a concept)."""

    sequence = steps.STEPS
    pages = STEP_PAGES
    url_name = "subsidies:step"

    def step_saving(self, **check):
        return services.application_step_saving(
            application=self.application, user=self.user, **check
        )

    def step_version(self, step, *, posted):
        if posted:
            return services.application_step_version(
                application=self.application, step=step
            )
        # Read with the application in this request: the number that goes with
        # what the form shows.
        return int((self.application.step_versions or {}).get(step, 0))

    def reload(self):
        self.application = own_application(self.request, self.application.reference)

    def set_step(self, slug):
        services.application_set_step(
            application=self.application, user=self.user, step=slug
        )

    def visit(self, slug):
        if self.application.current_step != slug:
            # After "Volgende" the step was stored already: a page view writes nothing.
            self.set_step(slug)

    def sections(self):
        return selectors.submission_copy(self.application)

    def steps_done(self):
        return selectors.steps_done(self.application)

    def saved(self):
        messages.success(
            self.request,
            _(
                "Uw aanvraag %(reference)s is bewaard. U kunt later verder gaan waar u "
                "was, ook op een ander apparaat."
            )
            % {"reference": self.application.reference},
        )
        return redirect("subsidies:my_applications")

    # --- the last step: review and send -------------------------------------------

    last_template = "subsidies/steps/review.html"

    def send(self, form):
        application = self.application
        try:
            services.application_submit(
                application=application,
                user=self.user,
                truthful_declaration=True,
                accepts_electronic_decisions=form.cleaned_data.get(
                    "decisions_by_email", False
                ),
            )
        except services.SubmissionIncomplete:
            raise
        except WorkflowError:
            if not selectors.application_was_sent(application):
                raise
            # A double click: the other request submitted it, and that is success.
        return redirect("subsidies:received", reference=application.reference)

    def refusal(self, error):
        if isinstance(error, services.SubmissionIncomplete):
            return [
                {
                    "href": getattr(problem, "href", "") or "#nog-niet-compleet",
                    "text": problem,
                }
                for problem in error.problems
            ]
        return super().refusal(error)

    def last_context(self):
        application = self.application
        application.refresh_from_db()
        problems = selectors.step_problems(application)
        blocking = selectors.submission_problems(application, check_declaration=False)
        return {
            "sections": selectors.submission_copy(application),
            "problems": problems,
            "blocking": blocking,
            "other_problems": [
                problem
                for problem in blocking
                if not any(problem in found for found in problems.values())
            ],
        }


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
    that the form shows), so the page asks no query per use. A POST saves, so it
    loads the application as it was (no lists that a save would make stale)."""
    relations = ["target_groups", "themes"]
    if current.slug == steps.INITIATIVE:
        relations.append("buurten")
    application = get_object_or_404(
        selectors.applications_for_user(request.user).select_related("question_set"),
        reference=reference,
    )
    fields = InitiativeForm.base_fields
    return reference_lists.load_chosen(
        application, {name: fields[name] for name in relations}
    )


def _application_step(request, application, current):
    flow = ApplicationSteps(request, application)
    if current.slug == steps.REVIEW:
        return _review(flow, current)
    return flow.show(current)


def _review(flow, current):
    application = flow.application
    form = ReviewForm(
        flow.request.POST or None,
        initial={
            "truthful_declaration": application.truthful_declaration,
            "decisions_by_email": application.applicant.accepts_electronic_decisions,
        },
        by_email=bool(application.applicant.contact_email),
    )
    return flow.show_last(current, form)


@login_required
@require_POST
def document_delete(request, reference, pk):
    return DocumentsStep.remove_document(request, reference, pk)
