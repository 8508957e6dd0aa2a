"""Before the form: the quick check and the start page of a scheme."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from accounts.oidc import session as oidc_session

from .. import eligibility, selectors, services, steps
from ..forms import QuickCheckForm, error_summary
from ..models import Scheme
from ..services import WorkflowError
from .common import step_url


def quick_check(request):
    """A few ja/nee questions that say which scheme fits, or why none does."""
    schemes = {scheme.slug: scheme for scheme in Scheme.objects.filter(active=True)}
    chosen = request.GET.get("regeling", "")
    form = QuickCheckForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = eligibility.check(form.answers())
    return render(
        request,
        "subsidies/quick_check.html",
        {
            "form": form,
            "result": result,
            "verdicts": [
                (schemes.get(v.scheme), v)
                for v in result.verdicts
                if v.scheme in schemes
            ]
            if result
            else [],
            "chosen": schemes.get(chosen),
            "errors": error_summary(form),
        },
    )


def scheme_start(request, slug):
    """The start page of one scheme: what you need; the button that starts the form."""
    scheme = get_object_or_404(Scheme, slug=slug, active=True)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        try:
            application = services.application_start(
                scheme=scheme,
                user=request.user,
                verified_kvk=oidc_session.verified_kvk(request),
            )
        except WorkflowError as error:
            messages.error(request, str(error))
            return redirect(request.path)
        return redirect(step_url(application, steps.STEPS[0].slug))
    facts = selectors.scheme_public_facts(scheme)
    drafts = (
        selectors.drafts_for_user(request.user, scheme)
        if request.user.is_authenticated
        else []
    )
    return render(
        request,
        "subsidies/scheme_start.html",
        {"scheme": scheme, "facts": facts, "drafts": drafts, "steps": steps.STEPS},
    )
