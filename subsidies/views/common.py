"""Helpers every applicant page uses: find one's own application, link to a step.

An application filled in at the wijkbureau (``subsidies.services_assisted``) is not
the resident's own until it is handed over: before that its only member is the
assisting staff member, who works on it in the admin (``assisted_application``), not
through the resident's pages.
"""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from .. import selectors, services_assisted
from ..models import Application

#: Not (yet) the resident's: filled in at the wijkbureau and not handed over.
AT_THE_WIJKBUREAU = Q(assistance__isnull=False, assistance__handed_over_at__isnull=True)


def step_url(application, slug):
    return reverse("subsidies:step", args=[application.reference, slug])


def own_application(request, reference):
    """The user's own application with this reference; anyone else's is a 404."""
    return get_object_or_404(
        selectors.applications_for_user(request.user).exclude(AT_THE_WIJKBUREAU),
        reference=reference,
    )


def assisted_application(request, reference):
    """The concept the wijkbureau staff member is filling in for a resident: only the
    staff member who started it, while it is a concept that was not handed over; for
    anyone else (a colleague too) a 404."""
    application = services_assisted.assisted_application_for(request.user, reference)
    if application is None:
        raise Http404
    return (
        Application.objects.with_related()
        .select_related("question_set")
        .get(pk=application.pk)
    )
