"""After the form: "Mijn aanvragen", the status page, a copy of what was sent (as a
page, a PDF and a text file), an aanvulling, withdrawing, and downloads (documents and,
once there is one, the letter).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .. import reports, selectors, services, steps
from ..changes import may_ask_change, open_change_request
from ..copy_pdf import render_copy_pdf
from ..forms import SupplementForm, WithdrawForm, error_summary
from ..models import Document
from ..selectors.access import decision_letters_for
from ..selectors.submission import submission_receipt
from ..services import WorkflowError
from ..workflow import CLOSED_STATES, Status
from .common import own_application


@login_required
def my_applications(request):
    applications = list(selectors.applications_for_user(request.user))
    for application in applications:
        application.obligation = reports.obligation(application)
    return render(
        request,
        "subsidies/my_applications.html",
        {"applications": applications, "steps": {s.slug: s for s in steps.STEPS}},
    )


@login_required
def application_received(request, reference):
    application = own_application(request, reference)
    if application.status == Status.DRAFT:
        return redirect("subsidies:resume", reference=reference)
    return render(request, "subsidies/received.html", {"application": application})


@login_required
def application_detail(request, reference):
    application = own_application(request, reference)
    return render(
        request,
        "subsidies/application_detail.html",
        {
            "application": application,
            "timeline": selectors.public_timeline(application),
            "requests": application.supplement_requests.order_by("requested_at"),
            "open_request": selectors.open_supplement_request(application),
            "documents": selectors.applicant_documents(application),
            "letter": selectors.decision_letter_for(application),
            "letters": decision_letters_for(application),
            "change_requests": application.change_requests.order_by("requested_at"),
            "can_ask_change": may_ask_change(application)
            and open_change_request(application) is None,
            "can_withdraw": _can_withdraw(application),
            "steps": {s.slug: s for s in steps.STEPS},
            "obligation": reports.obligation(application),
            "question": reports.open_question(application),
            "report": reports.report_of(application),
        },
    )


@login_required
def application_copy(request, reference):
    """What was sent, as it was sent (Wmebv: the applicant keeps a copy)."""
    application = own_application(request, reference)
    receipt = submission_receipt(application)
    return render(
        request,
        "subsidies/application_copy.html",
        {
            "application": application,
            "receipt": receipt,
            "sections": receipt.sections,
            # A concept withdrawn before sending was never sent: no copy either.
            "sent": application.submitted_at is not None,
        },
    )


#: The copy to keep is in the language of submission, Dutch for now, whatever the
#: language of the page it is downloaded from (docs/decisions.md, issue 18).
COPY_LANGUAGE = "nl"


def _sent_application(request, reference):
    """The user's own application once sent; a concept (also one withdrawn before it
    was sent) has no copy to keep (404)."""
    application = own_application(request, reference)
    if application.submitted_at is None:
        raise Http404
    return application


def _attachment(content, *, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def application_copy_pdf(request, reference):
    """The copy to keep as a PDF (``subsidies.copy_pdf``), named after the kenmerk."""
    application = _sent_application(request, reference)
    with translation.override(COPY_LANGUAGE):
        content = render_copy_pdf(application, submission_receipt(application))
    return _attachment(
        content,
        content_type="application/pdf",
        filename=f"aanvraag-{application.reference}.pdf",
    )


@require_GET
@login_required
def application_copy_text(request, reference):
    """The same copy as plain text: the accessible alternative to the PDF."""
    application = _sent_application(request, reference)
    with translation.override(COPY_LANGUAGE):
        text = render_to_string(
            "subsidies/application_copy.txt",
            {"receipt": submission_receipt(application)},
        )
    return _attachment(
        text,
        content_type="text/plain; charset=utf-8",
        filename=f"aanvraag-{application.reference}.txt",
    )


def _can_withdraw(application):
    return application.status not in CLOSED_STATES


@login_required
def application_withdraw(request, reference):
    application = own_application(request, reference)
    if not _can_withdraw(application):
        messages.info(request, _("Deze aanvraag kunt u niet meer intrekken."))
        return redirect("subsidies:detail", reference=reference)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(
                application=application,
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("U heeft aanvraag %(reference)s ingetrokken.")
                % {"reference": reference},
            )
        return redirect("subsidies:detail", reference=reference)
    return render(
        request,
        "subsidies/withdraw.html",
        {"application": application, "form": form, "errors": error_summary(form)},
    )


@login_required
def application_supplement(request, reference):
    application = own_application(request, reference)
    supplement_request = selectors.open_supplement_request(application)
    if application.status != Status.SUPPLEMENT_REQUESTED or supplement_request is None:
        messages.info(request, _("Er staat voor deze aanvraag geen vraag open."))
        return redirect("subsidies:detail", reference=reference)
    form = SupplementForm(
        request.POST or None,
        request.FILES or None,
        usage=selectors.document_usage(application),
    )
    extra = []
    if request.method == "POST" and form.is_valid():
        try:
            services.supplement_submit(
                application=application,
                user=request.user,
                answer=form.cleaned_data["answer"],
                files=form.checked,
            )
        except WorkflowError as error:
            extra = [{"href": "#id_answer", "text": str(error)}]
        else:
            messages.success(
                request,
                _(
                    "Bedankt. Wij hebben uw aanvulling ontvangen en gaan verder met uw "
                    "aanvraag."
                ),
            )
            return redirect("subsidies:detail", reference=reference)
    return render(
        request,
        "subsidies/supplement.html",
        {
            "application": application,
            "supplement_request": supplement_request,
            "form": form,
            "errors": error_summary(form) + extra,
        },
    )


def _download(document, filename=None):
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=filename or document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def document_download(request, reference, pk):
    document = get_object_or_404(
        selectors.documents_for_user(request.user).exclude(
            kind=Document.Kind.DECISION_LETTER
        ),
        application__reference=reference,
        pk=pk,
    )
    return _download(document)


@login_required
def letter_download(request, reference):
    application = own_application(request, reference)
    letter = selectors.decision_letter_for(application)
    if letter is None:
        raise Http404
    return _download(letter, filename=f"besluit-{application.reference}.pdf")
