"""What happened to an application, in words for the applicant (no staff names)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import TransitionLog

PUBLIC_EVENTS = {
    "submit": gettext_lazy("U heeft de aanvraag verstuurd. Wij hebben hem ontvangen."),
    "request_supplement": gettext_lazy(
        "Wij hebben u gevraagd om meer informatie. Tot u antwoordt, staat de "
        "beslistermijn stil."
    ),
    "supplement": gettext_lazy("U heeft de gevraagde informatie gestuurd."),
    "set_aside": gettext_lazy(
        "Wij hebben de aanvraag niet in behandeling genomen, omdat de informatie niet "
        "op tijd binnen was."
    ),
    "accept": gettext_lazy(
        "De aanvraag voldoet aan de voorwaarden. Wij beoordelen nu wat het initiatief "
        "oplevert."
    ),
    "reject_preconditions": gettext_lazy(
        "De aanvraag voldoet niet aan de voorwaarden. U krijgt een besluit."
    ),
    "complete_assessment": gettext_lazy(
        "De beoordeling is klaar. Het besluit volgt na de verdeling van het budget."
    ),
    "award": gettext_lazy("De subsidie is toegekend. U krijgt een besluit."),
    "reject": gettext_lazy("De aanvraag is afgewezen. U krijgt een besluit."),
    "withdraw": gettext_lazy("U heeft de aanvraag ingetrokken."),
}


@dataclass(frozen=True)
class TimelineEntry:
    at: object
    text: str
    by_applicant: bool


def public_timeline(application):
    entries = [
        TimelineEntry(
            at=application.created_at,
            text=_("U bent begonnen met de aanvraag."),
            by_applicant=True,
        )
    ]
    rows = TransitionLog.objects.filter(application=application).order_by("at", "pk")
    for row in rows:
        text = PUBLIC_EVENTS.get(row.transition)
        if text is None:
            continue
        entries.append(
            TimelineEntry(
                at=row.at,
                text=str(text),
                by_applicant=row.transition in ("submit", "supplement", "withdraw"),
            )
        )
    return entries
