"""The verantwoording form: five steps, each saved, resumable on any device.

The same law as the application form (``views.form``): every step saves what is
valid, the page comes back with everything as it was typed and the errors at the
fields; a save from a stale tab is refused with what is stored now. That law is
``step_pages.StepFlow``, shared with the form; ``ReportSteps`` says the steps are
stored on the report, saved through ``reports.report_step_saving`` (the form's version
check on the report's own row). The last step sends the report
(``submit_report``), or, when the gemeente asked a question, the answer with the
completed report (``supplement_report``). A sent report is read-only.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import reports, steps
from ..forms.report import (
    IncomeFormSet,
    ProofForm,
    ReportActivityForm,
    ReportPeopleForm,
    ReportSendForm,
    SpentFormSet,
    income_initial,
    spent_initial,
)
from ..models import Document
from ..money import euros_to_cents
from ..workflow import Status
from .common import own_application
from .step_pages import DocumentsPage, StepFlow, StepPage, typed_total


class ReportStepPage(StepPage):
    def __init__(self, request, application, report):
        super().__init__(request, application)
        self.report = report


class ActivityStep(ReportStepPage):
    template = "subsidies/report/activity.html"

    def bind(self, data=None, files=None):
        return {
            "form": ReportActivityForm(
                data, initial=ReportActivityForm.initial_from(self.report)
            )
        }

    def save(self, forms):
        self.save_valid_parts(forms)

    def save_valid_parts(self, forms):
        reports.report_update(
            report=self.report, user=self.user, fields=forms["form"].cleaned_data
        )


class PeopleStep(ActivityStep):
    template = "subsidies/report/people.html"

    def bind(self, data=None, files=None):
        return {
            "form": ReportPeopleForm(
                data, initial=ReportPeopleForm.initial_from(self.report)
            )
        }


class MoneyStep(ReportStepPage):
    template = "subsidies/report/money.html"
    saves_valid_parts = False

    def bind(self, data=None, files=None):
        lines = list(self.application.budget_lines.all())
        return {
            "lines": SpentFormSet(
                data,
                initial=spent_initial(self.application, self.report),
                prefix="spent",
                lines=lines,
            ),
            "income": IncomeFormSet(
                data, initial=income_initial(self.report), prefix="income"
            ),
        }

    def save(self, forms):
        reports.report_set_money(
            report=self.report,
            user=self.user,
            spent=forms["lines"].spent_by_line(),
            income=[
                {
                    "source": form.cleaned_data["source"],
                    "amount_cents": euros_to_cents(form.cleaned_data["amount"]),
                }
                for form in forms["income"].filled_forms
            ],
        )

    def context(self, forms):
        rows = [
            {"form": form, "line": form.line, "approved_cents": form.line.amount_cents}
            for form in forms["lines"].forms
        ]
        return {
            "rows": rows,
            "approved_total_cents": sum(row["approved_cents"] for row in rows),
            "spent_total_cents": _typed_total(forms["lines"], "spent"),
            "income_total_cents": _typed_total(forms["income"], "amount"),
            "awarded_cents": self.application.awarded_cents,
        }


def _typed_total(formset, name):
    """The sum of the amounts that could be read (stored, or typed on an error)."""
    if not formset.is_bound:
        return sum(
            euros_to_cents(row[name]) for row in formset.initial or [] if row.get(name)
        )
    return typed_total(formset, name)


class ProofStep(DocumentsPage, ReportStepPage):
    template = "subsidies/report/proof.html"
    form_class = ProofForm
    add = staticmethod(reports.report_document_add)
    remove = staticmethod(reports.report_document_remove)
    documents = staticmethod(reports.report_documents)
    kinds = (Document.Kind.REPORT,)
    url_name = "subsidies:report_step"
    slug = steps.REPORT_PROOF


REPORT_PAGES = {
    steps.REPORT_ACTIVITY: ActivityStep,
    steps.REPORT_PEOPLE: PeopleStep,
    steps.REPORT_MONEY: MoneyStep,
    steps.REPORT_PROOF: ProofStep,
}


class ReportSteps(StepFlow):
    """The verantwoording's steps, stored on the application's report."""

    sequence = steps.REPORT_STEPS
    pages = REPORT_PAGES
    url_name = "subsidies:report_step"

    def __init__(self, request, application, report):
        super().__init__(request, application)
        self.report = report

    def page(self, slug):
        return self.pages[slug](self.request, self.application, self.report)

    def step_saving(self, **check):
        return reports.report_step_saving(report=self.report, user=self.user, **check)

    def step_version(self, step, *, posted):
        return int((self.report.step_versions or {}).get(step, 0))

    def reload(self):
        self.report.refresh_from_db()

    def set_step(self, slug):
        reports.report_set_step(report=self.report, user=self.user, step=slug)

    def sections(self):
        self.report.refresh_from_db()
        return reports.report_copy(self.application, self.report)

    def steps_done(self):
        application, report = self.application, self.report
        done = set()
        if report.what_happened and report.course:
            done.add(steps.REPORT_ACTIVITY)
        if report.participants is not None:
            done.add(steps.REPORT_PEOPLE)
        if report.lines.exists() or not application.budget_lines.exists():
            done.add(steps.REPORT_MONEY)
        if reports.report_documents(application).exists():
            done.add(steps.REPORT_PROOF)
        return done

    def saved(self):
        messages.success(
            self.request,
            _(
                "Uw verantwoording is bewaard. U kunt later verder gaan waar u was, ook "
                "op een ander apparaat."
            ),
        )
        return redirect("subsidies:detail", reference=self.application.reference)

    def extra_context(self):
        return {
            "report": self.report,
            "is_report": True,
            "question": reports.open_question(self.application),
        }

    # --- the last step: check and send --------------------------------------------

    last_template = "subsidies/report/send.html"

    def send(self, form):
        reports.report_submit(
            application=self.application,
            user=self.user,
            truthful_declaration=form.cleaned_data["truthful_declaration"],
            answer=form.cleaned_data.get("answer", ""),
        )
        messages.success(
            self.request,
            _(
                "Bedankt. Wij hebben uw verantwoording ontvangen. U krijgt een "
                "bevestiging per e-mail."
            ),
        )
        return redirect("subsidies:detail", reference=self.application.reference)

    def refusal(self, error):
        if isinstance(error, reports.ReportIncomplete):
            return [{"href": href, "text": text} for href, text in error.problems]
        return super().refusal(error)

    def last_context(self):
        self.report.refresh_from_db()
        return {
            "sections": reports.report_copy(self.application, self.report),
            "problems": reports.report_problems(self.application, self.report),
        }


def _closed(request, reference):
    messages.info(
        request,
        _("Uw verantwoording is verstuurd. U kunt hem nu niet wijzigen."),
    )
    return redirect("subsidies:report", reference=reference)


@login_required
def report_resume(request, reference):
    application = own_application(request, reference)
    if not reports.report_open(application):
        return redirect("subsidies:report", reference=reference)
    report = reports.report_start(application=application, user=request.user)
    flow = ReportSteps(request, application, report)
    return redirect(
        flow.step_url(steps.resume_slug(report.current_step, steps.REPORT_STEPS))
    )


@login_required
def report_detail(request, reference):
    """The report as it was sent (or as far as it is filled in), read-only."""
    application = own_application(request, reference)
    report = reports.report_of(application)
    if report is None:
        if reports.report_open(application):
            return redirect("subsidies:report_resume", reference=reference)
        raise Http404
    return render(
        request,
        "subsidies/report/detail.html",
        {
            "application": application,
            "report": report,
            "sections": reports.report_copy(application, report),
            "is_open": reports.report_open(application),
            "questions": report.questions.all(),
        },
    )


@login_required
def report_step(request, reference, step):
    application = own_application(request, reference)
    current = steps.get(step, steps.REPORT_STEPS)
    if current is None:
        raise Http404
    if not reports.report_open(application):
        return _closed(request, reference)
    try:
        report = reports.report_start(application=application, user=request.user)
        flow = ReportSteps(request, application, report)
        if current.slug == steps.REPORT_SEND:
            return _send(flow, current)
        return flow.show(current)
    except reports.ReportLocked:
        return _closed(request, reference)


def _send(flow, current):
    asks_answer = flow.application.status == Status.REPORT_SUPPLEMENT_REQUESTED
    form = ReportSendForm(flow.request.POST or None, asks_answer=asks_answer)
    return flow.show_last(current, form)


@login_required
@require_POST
def report_document_delete(request, reference, pk):
    return ProofStep.remove_document(request, reference, pk)
