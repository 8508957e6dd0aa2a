"""Helpers every applicant page uses: find one's own application, link to a step."""

from django.shortcuts import get_object_or_404
from django.urls import reverse

from .. import selectors


def step_url(application, slug):
    return reverse("subsidies:step", args=[application.reference, slug])


def own_application(request, reference):
    """The user's own application with this reference; anyone else's is a 404."""
    return get_object_or_404(
        selectors.applications_for_user(request.user), reference=reference
    )
