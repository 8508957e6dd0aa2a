"""What happened to an application, in words for the applicant (no staff names)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from ..models import TransitionLog
from ..workflow import TRANSITIONS

#: The resident's line for each transition (``workflow.TRANSITIONS``).
PUBLIC_EVENTS = {name: text.resident_text for name, text in TRANSITIONS.items()}


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
