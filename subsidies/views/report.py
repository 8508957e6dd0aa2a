"""The verantwoording form: five steps, each saved, resumable on any device.

The same law as the application form (``views.form``): every step saves what is
valid, the page comes back with everything as it was typed and the errors at the
fields; a save from a stale tab is refused with what is stored now. The step pages
are ``StepPage`` classes like the form's, saved through ``reports.report_step_saving``
(the form's version check on the report's own row). The last step sends the report
(``submit_report``), or, when the gemeente asked a question, the answer with the
completed report (``supplement_report``). A sent report is read-only.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import reports, selectors, services, steps
from ..forms import error_summary
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
from ..services import WorkflowError
from ..workflow import Status
from .common import own_application
from .form import (
    STAY_ACTIONS,
    VERSION_FIELD,
    StepPage,
    _post_fingerprint,
    _valid,
)


def report_step_url(application, slug):
    return reverse("subsidies:report_step", args=[application.reference, slug])


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
    total = 0
    for form in formset.forms:
        data = getattr(form, "cleaned_data", {})
        if data.get(name) is not None and not data.get("DELETE"):
            total += euros_to_cents(data[name])
    return total


class ProofStep(ReportStepPage):
    template = "subsidies/report/proof.html"
    saves_valid_parts = False
    versioned = False

    def bind(self, data=None, files=None):
        action = (data or {}).get("action")
        return {
            "form": ProofForm(
                data,
                files,
                require_file=action == "upload",
                usage=selectors.document_usage(self.application),
            )
        }

    def save(self, forms):
        form = forms["form"]
        if form.cleaned_data.get("file"):
            reports.report_document_add(
                application=self.application,
                user=self.user,
                uploaded_file=form.cleaned_data["file"],
                checked=form.checked,
            )
            messages.success(
                self.request,
                _("Het bestand %(name)s is toegevoegd.") % {"name": form.checked.name},
            )

    def context(self, forms):
        return {"documents": reports.report_documents(self.application)}


REPORT_PAGES = {
    steps.REPORT_ACTIVITY: ActivityStep,
    steps.REPORT_PEOPLE: PeopleStep,
    steps.REPORT_MONEY: MoneyStep,
    steps.REPORT_PROOF: ProofStep,
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
    return redirect(
        report_step_url(
            application, steps.resume_slug(report.current_step, steps.REPORT_STEPS)
        )
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
        if current.slug == steps.REPORT_SEND:
            return _send(request, application, report, current)
        return _report_step(request, application, report, current)
    except reports.ReportLocked:
        return _closed(request, reference)


def _report_step(request, application, report, current):
    step = current.slug
    page = REPORT_PAGES[step](request, application, report)
    conflict = None
    if request.method == "POST":
        forms = page.bind(request.POST, request.FILES)
        action = request.POST.get("action", "next")
        valid = _valid(forms)
        try:
            if valid or page.saves_valid_parts:
                with _saving(page, step, request):
                    if valid:
                        page.save(forms)
                    else:
                        page.save_valid_parts(forms)
        except services.StepSavedElsewhere as error:
            conflict = str(error)
            report.refresh_from_db()
        except services.StepAlreadySaved:
            if valid:
                return _after_save(request, application, report, current, action)
            report.refresh_from_db()
        else:
            if valid:
                return _after_save(request, application, report, current, action)
    else:
        forms = page.bind()
    reports.report_set_step(report=report, user=request.user, step=step)
    return render(
        request,
        page.template,
        {
            **_context(application, report, current, forms),
            "saves_valid_parts": page.saves_valid_parts,
            "step_version": (
                int((report.step_versions or {}).get(step, 0))
                if page.versioned
                else None
            ),
            "version_field": VERSION_FIELD,
            "conflict": conflict,
            "stored_now": _stored_now(application, report, step) if conflict else None,
            **page.context(forms),
        },
    )


class _NoCheck:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _saving(page, step, request):
    if not page.versioned:
        return _NoCheck()
    return reports.report_step_saving(
        report=page.report,
        user=page.user,
        step=step,
        version=request.POST.get(VERSION_FIELD),
        fingerprint=_post_fingerprint(request),
    )


def _stored_now(application, report, step):
    report.refresh_from_db()
    return next(
        (
            section
            for section in reports.report_copy(application, report)
            if section.step == step
        ),
        None,
    )


def _after_save(request, application, report, current, action):
    if action in STAY_ACTIONS:
        return redirect(report_step_url(application, current.slug))
    if action == "save":
        messages.success(
            request,
            _(
                "Uw verantwoording is bewaard. U kunt later verder gaan waar u was, ook "
                "op een ander apparaat."
            ),
        )
        return redirect("subsidies:detail", reference=application.reference)
    target = (
        steps.previous_step(current.slug, steps.REPORT_STEPS)
        if action == "previous"
        else steps.next_step(current.slug, steps.REPORT_STEPS)
    ) or current
    reports.report_set_step(report=report, user=request.user, step=target.slug)
    return redirect(report_step_url(application, target.slug))


def _steps_done(application, report):
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


def _context(application, report, current, forms, extra_errors=None):
    done = _steps_done(application, report)
    return {
        "application": application,
        "report": report,
        "step": current,
        "steps": [
            {
                "step": item,
                "is_current": item.slug == current.slug,
                "done": item.slug in done,
                "url": report_step_url(application, item.slug),
            }
            for item in steps.REPORT_STEPS
        ],
        "previous": steps.previous_step(current.slug, steps.REPORT_STEPS),
        "next": steps.next_step(current.slug, steps.REPORT_STEPS),
        "errors": error_summary(*forms.values()) + list(extra_errors or []),
        "is_report": True,
        "question": reports.open_question(application),
        **forms,
    }


def _send(request, application, report, current):
    asks_answer = application.status == Status.REPORT_SUPPLEMENT_REQUESTED
    form = ReportSendForm(request.POST or None, asks_answer=asks_answer)
    extra_errors = []
    if request.method == "POST" and form.is_valid():
        try:
            reports.report_submit(
                application=application,
                user=request.user,
                truthful_declaration=form.cleaned_data["truthful_declaration"],
                answer=form.cleaned_data.get("answer", ""),
            )
        except reports.ReportIncomplete as error:
            extra_errors = [
                {"href": href, "text": text} for href, text in error.problems
            ]
        except WorkflowError as error:
            extra_errors = [{"href": "#versturen", "text": str(error)}]
        else:
            messages.success(
                request,
                _(
                    "Bedankt. Wij hebben uw verantwoording ontvangen. U krijgt een "
                    "bevestiging per e-mail."
                ),
            )
            return redirect("subsidies:detail", reference=application.reference)
    reports.report_set_step(report=report, user=request.user, step=current.slug)
    report.refresh_from_db()
    return render(
        request,
        "subsidies/report/send.html",
        {
            **_context(application, report, current, {"form": form}, extra_errors),
            "sections": reports.report_copy(application, report),
            "problems": reports.report_problems(application, report),
        },
    )


@login_required
@require_POST
def report_document_delete(request, reference, pk):
    document = get_object_or_404(
        selectors.documents_for_user(request.user).filter(kind=Document.Kind.REPORT),
        application__reference=reference,
        pk=pk,
    )
    try:
        reports.report_document_remove(document=document, user=request.user)
    except WorkflowError as error:
        messages.error(request, str(error))
        return redirect("subsidies:detail", reference=reference)
    messages.success(
        request, _("Het bestand %(name)s is verwijderd.") % {"name": document}
    )
    return redirect(
        "subsidies:report_step", reference=reference, step=steps.REPORT_PROOF
    )
