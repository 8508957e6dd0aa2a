"""Confirming a contact address other than the login address (``subsidies.
contact_address``): the page behind the link, and "send the link again"."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import contact_address, steps
from ..forms.contact import ConfirmationLinkForm
from .common import own_application


@login_required
def contact_confirm(request):
    """GET shows a button; only the POST confirms (mail scanners only GET links).

    The link is for a member of the applicant: anyone else logged in is refused,
    and someone not logged in is sent to the login first (and back here)."""
    data = request.POST if request.method == "POST" else request.GET
    form = ConfirmationLinkForm(data)
    if not form.is_valid():
        return _refused(
            request,
            _("Deze link klopt niet. Kijk of u de hele link heeft gebruikt."),
        )
    if request.method != "POST":
        response = render(request, "subsidies/contact_confirm.html", {"form": form})
        # The URL holds the token: the button's POST sends only the origin as Referer.
        response["Referrer-Policy"] = "origin"
        return response
    try:
        applicant = contact_address.confirm(
            token=form.cleaned_data["t"], user=request.user
        )
    except contact_address.ConfirmationRefused as error:
        return _refused(request, str(error))
    messages.success(
        request,
        _(
            "Het e-mailadres %(email)s is bevestigd. Berichten over uw aanvraag gaan "
            "nu naar dit adres."
        )
        % {"email": applicant.contact_email},
    )
    return redirect("subsidies:my_applications")


def _refused(request, message):
    return render(
        request, "subsidies/contact_refused.html", {"message": message}, status=400
    )


@login_required
@require_POST
def contact_resend(request, reference):
    """Send the confirmation link again, for the user's own application only."""
    application = own_application(request, reference)
    applicant = application.applicant
    back = request.POST.get("terug") == "stap"
    if not applicant.contact_email_needs_confirmation():
        messages.info(
            request, _("Dit e-mailadres hoeft niet (meer) bevestigd te worden.")
        )
    elif contact_address.send_confirmation(
        applicant=applicant, user=request.user, application=application
    ):
        messages.success(
            request,
            _(
                "Wij hebben opnieuw een link gestuurd naar %(email)s. "
                "Oudere links werken niet meer."
            )
            % {"email": applicant.contact_email},
        )
    else:
        messages.error(
            request,
            _(
                "U heeft de link te vaak laten sturen. Wacht %(minutes)s minuten en "
                "probeer het dan opnieuw."
            )
            % {"minutes": max(1, settings.CONTACT_CONFIRMATION_WINDOW // 60)},
        )
    if back and application.is_editable_by_applicant:
        return redirect("subsidies:step", reference=reference, step=steps.ORGANISATION)
    return redirect("subsidies:detail", reference=reference)
