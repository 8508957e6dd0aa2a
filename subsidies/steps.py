"""The steps of the application form, in order.

Each step has a Dutch slug that appears in the URL and in ``Application.current_step``
(where the applicant was, so leaving and coming back resumes there) and a title that
appears in the step list above the form and in the page title.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    number: int


ORGANISATION = "organisatie"
INITIATIVE = "initiatief"
IMPACT = "impact"
BUDGET = "begroting"
DOCUMENTS = "bijlagen"
REVIEW = "controle"

STEPS = tuple(
    Step(slug, title, number)
    for number, (slug, title) in enumerate(
        (
            (ORGANISATION, _("Over de aanvrager")),
            (INITIATIVE, _("Uw initiatief")),
            (IMPACT, _("Wat levert het op?")),
            (BUDGET, _("Begroting")),
            (DOCUMENTS, _("Bijlagen")),
            (REVIEW, _("Controleren en versturen")),
        ),
        start=1,
    )
)
SLUGS = tuple(step.slug for step in STEPS)


def get(slug):
    """The step with this slug, or None."""
    return next((step for step in STEPS if step.slug == slug), None)


def next_step(slug):
    index = SLUGS.index(slug)
    return STEPS[index + 1] if index + 1 < len(STEPS) else None


def previous_step(slug):
    index = SLUGS.index(slug)
    return STEPS[index - 1] if index > 0 else None


def resume_slug(current):
    """Where to pick up: the stored step, or the first one."""
    return current if current in SLUGS else STEPS[0].slug
