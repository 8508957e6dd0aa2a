"""The steps of the application form, in order, and those of the verantwoording.

Each step has a Dutch slug that appears in the URL and in ``Application.current_step``
(where the applicant was, so leaving and coming back resumes there) and a title that
appears in the step list above the form and in the page title. The verantwoording
(``REPORT_STEPS``) works the same way, with ``Report.current_step``.
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


REPORT_ACTIVITY = "wat-er-gebeurde"
REPORT_PEOPLE = "deelnemers"
REPORT_MONEY = "geld"
REPORT_PROOF = "bewijs"
REPORT_SEND = "versturen"

REPORT_STEPS = tuple(
    Step(slug, title, number)
    for number, (slug, title) in enumerate(
        (
            (REPORT_ACTIVITY, _("Wat is er gebeurd?")),
            (REPORT_PEOPLE, _("Wie deden er mee?")),
            (REPORT_MONEY, _("Uitgaven en inkomsten")),
            (REPORT_PROOF, _("Foto's en bewijs")),
            (REPORT_SEND, _("Controleren en versturen")),
        ),
        start=1,
    )
)
REPORT_SLUGS = tuple(step.slug for step in REPORT_STEPS)


def get(slug, sequence=STEPS):
    """The step with this slug, or None."""
    return next((step for step in sequence if step.slug == slug), None)


def next_step(slug, sequence=STEPS):
    slugs = [step.slug for step in sequence]
    index = slugs.index(slug)
    return sequence[index + 1] if index + 1 < len(sequence) else None


def previous_step(slug, sequence=STEPS):
    slugs = [step.slug for step in sequence]
    index = slugs.index(slug)
    return sequence[index - 1] if index > 0 else None


def resume_slug(current, sequence=STEPS):
    """Where to pick up: the stored step, or the first one."""
    slugs = [step.slug for step in sequence]
    return current if current in slugs else sequence[0].slug
