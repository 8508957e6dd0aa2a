"""The objector's pages under "Mijn aanvragen": bezwaar maken, volgen en intrekken.

Only the members of the applicant see an application's bezwaren (anyone else gets a
404, as on the status page). The pages parse the input, call the services of
``beoordeling.objections.services`` and redirect; the letters of a bezwaar (the
ontvangstbevestiging, the uitnodiging, the verdaging and the beslissing op bezwaar)
are downloaded from here, each only through the bezwaar it belongs to.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from beoordeling.models import Objection
from subsidies import selectors as subsidy_selectors
from subsidies.forms import error_summary
from subsidies.views.common import own_application
from subsidies.views.mine import _download

from . import selectors
from .forms_public import ObjectionForm, ObjectionWithdrawForm
from .services import ObjectionError
from .services.handling import objection_withdraw
from .services.lodging import objection_lodge
from .workflow import ObjectionState

#: Where a bezwaar stands, in the words of the objector's page.
STATE_TEXT = {
    ObjectionState.RECEIVED: gettext_lazy("Ontvangen"),
    ObjectionState.IN_HANDLING: gettext_lazy("In behandeling"),
    ObjectionState.HEARING_SCHEDULED: gettext_lazy(
        "In behandeling: u bent uitgenodigd voor een gesprek (hoorzitting)"
    ),
    ObjectionState.READY: gettext_lazy("In behandeling: wij nemen een beslissing"),
    ObjectionState.AWAITING_APPROVAL: gettext_lazy(
        "In behandeling: wij nemen een beslissing"
    ),
    ObjectionState.DECIDED: gettext_lazy("Wij hebben beslist"),
    ObjectionState.WITHDRAWN: gettext_lazy("Ingetrokken"),
}

#: The letters of a bezwaar, in the order they are sent: (field, title).
LETTERS = (
    ("acknowledgement", gettext_lazy("Ontvangstbevestiging")),
    ("hearing_invitation", gettext_lazy("Uitnodiging voor de hoorzitting")),
    ("extension_letter", gettext_lazy("Brief over het uitstel van de beslissing")),
)


def objection_letters(objection):
    """The objector's letters of ``objection``: ``[(title, Document)]``, oldest first."""
    letters = [
        (title, getattr(objection, field))
        for field, title in LETTERS
        if getattr(objection, f"{field}_id") is not None
    ]
    if objection.decision_on_objection_id is not None:
        letters.append(
            (_("Beslissing op bezwaar"), objection.decision_on_objection.document)
        )
    return letters


def _objections(application):
    return (
        Objection.objects.filter(application=application)
        .select_related(
            "decision",
            "acknowledgement",
            "hearing_invitation",
            "extension_letter",
            "decision_on_objection__document",
        )
        .order_by("-lodged_at", "-pk")
    )


def _own_objection(request, reference, objection):
    application = own_application(request, reference)
    return application, get_object_or_404(_objections(application), reference=objection)


@login_required
def objection_index(request, reference):
    application = own_application(request, reference)
    objections = list(_objections(application))
    for objection in objections:
        objection.state_text = STATE_TEXT[objection.state]
        objection.letters = objection_letters(objection)
    return render(
        request,
        "beoordeling/objections/public/index.html",
        {
            "application": application,
            "objectables": selectors.objectable_decisions(application),
            "objections": objections,
        },
    )


@login_required
def objection_new(request, reference):
    application = own_application(request, reference)
    objectables = selectors.objectable_decisions(application)
    if not objectables:
        messages.info(
            request,
            _(
                "Er is geen besluit waartegen u nu bezwaar kunt maken. Heeft u al "
                "bezwaar gemaakt? Dan ziet u het hieronder."
            ),
        )
        return redirect("bezwaar:index", reference=reference)
    chosen = request.GET.get("besluit", "")
    kenmerken = {item.decision.kenmerk for item in objectables}
    form = ObjectionForm(
        request.POST or None,
        request.FILES or None,
        objectables=objectables,
        usage=subsidy_selectors.document_usage(application),
        initial={
            "decision": chosen if chosen in kenmerken else "",
            "objector_name": request.user.get_full_name(),
        },
    )
    extra = []
    if request.method == "POST" and form.is_valid():
        try:
            objection = objection_lodge(
                decision=form.cleaned_data["decision"],
                objector_name=form.cleaned_data["objector_name"],
                reasons=form.full_reasons(),
                files=form.checked,
                user=request.user,
            )
        except ObjectionError as error:
            extra = [{"href": "#id_decision", "text": str(error)}]
        else:
            return redirect(
                "bezwaar:sent", reference=reference, objection=objection.reference
            )
    return render(
        request,
        "beoordeling/objections/public/form.html",
        {
            "application": application,
            "form": form,
            "errors": error_summary(form) + extra,
            "late": form.late,
            "had_files": bool(request.FILES),
        },
    )


@login_required
def objection_sent(request, reference, objection):
    application, objection = _own_objection(request, reference, objection)
    return render(
        request,
        "beoordeling/objections/public/sent.html",
        {"application": application, "objection": objection},
    )


@login_required
@require_http_methods(["GET", "POST"])
def objection_withdraw_view(request, reference, objection):
    application, objection = _own_objection(request, reference, objection)
    if not objection.is_open:
        messages.info(request, _("Dit bezwaar kunt u niet meer intrekken."))
        return redirect("bezwaar:index", reference=reference)
    form = ObjectionWithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            objection_withdraw(
                objection=objection,
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ObjectionError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("U heeft uw bezwaar %(reference)s ingetrokken.")
                % {"reference": objection.reference},
            )
        return redirect("bezwaar:index", reference=reference)
    return render(
        request,
        "beoordeling/objections/public/withdraw.html",
        {
            "application": application,
            "objection": objection,
            "form": form,
            "errors": error_summary(form),
        },
    )


@login_required
def objection_letter_download(request, reference, objection, pk):
    _application, objection = _own_objection(request, reference, objection)
    document = next(
        (doc for _title, doc in objection_letters(objection) if doc.pk == pk), None
    )
    if document is None:
        raise Http404
    return _download(document)
