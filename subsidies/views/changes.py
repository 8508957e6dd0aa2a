"""The recipient asks to change a toegekend grant (``subsidies.changes``), and
downloads each beschikking of the application."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import changes
from ..forms import error_summary
from ..forms.change import ChangeRequestForm
from ..selectors.access import decision_letters_for
from ..services import WorkflowError
from ..workflow import GRANTED_STATES
from .common import own_application
from .mine import _download


@login_required
def change_request(request, reference):
    application = own_application(request, reference)
    if not changes.may_ask_change(application):
        if application.status in GRANTED_STATES:
            text = _(
                "Na het insturen van de verantwoording of na de vaststelling kunt u "
                "geen wijziging meer vragen. Neem contact op met het wijkbureau."
            )
        else:
            text = _("Een wijziging vragen kan alleen bij een toegekende subsidie.")
        messages.info(request, text)
        return redirect("subsidies:detail", reference=reference)
    if changes.open_change_request(application) is not None:
        messages.info(
            request, _("U heeft al een wijziging gevraagd. Wacht op ons antwoord.")
        )
        return redirect("subsidies:detail", reference=reference)
    form = ChangeRequestForm(request.POST or None, application=application)
    extra = []
    if request.method == "POST" and form.is_valid():
        try:
            changes.change_request_submit(
                application=application, user=request.user, **form.cleaned_data
            )
        except WorkflowError as error:
            extra = [{"href": "#id_reason", "text": str(error)}]
        else:
            messages.success(
                request,
                _(
                    "Wij hebben uw vraag om een wijziging ontvangen. U krijgt bericht "
                    "als wij hebben besloten."
                ),
            )
            return redirect("subsidies:detail", reference=reference)
    return render(
        request,
        "subsidies/change_request.html",
        {
            "application": application,
            "form": form,
            "errors": error_summary(form) + extra,
        },
    )


@login_required
def letter_document_download(request, reference, pk):
    application = own_application(request, reference)
    letter = next((d for d in decision_letters_for(application) if d.pk == pk), None)
    if letter is None:
        raise Http404
    return _download(letter)
