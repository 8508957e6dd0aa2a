"""The one counter for kenmerken: the last number handed out per prefix and year.

Application references (``IF-2026-0042``, prefix = the scheme's) and decision kenmerken
(``D2026-000123``, prefix ``DECISION_PREFIX``) both count in ``ReferenceCounter``; each
caller only formats the number. A number is handed out under a row lock, so two
requests at once never get the same one, and the numbers of a year follow each other.
"""

from django.db import transaction
from django.db.models import F

from .models import ReferenceCounter

#: The counter of the decision kenmerken. Not a possible scheme prefix: a scheme's is
#: letters, as typed in the admin; the tilde keeps the two apart.
DECISION_PREFIX = "~D"


def next_number(*, prefix, year):
    """Hand out the next number of ``prefix`` in ``year``; safe under concurrency."""
    with transaction.atomic():
        counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(
            prefix=prefix, year=year
        )
        ReferenceCounter.objects.filter(pk=counter.pk).update(
            last_number=F("last_number") + 1
        )
        counter.refresh_from_db()
    return counter.last_number


def peek_number(*, prefix, year):
    """The number the next call of ``next_number`` will hand out, read without a lock."""
    last = (
        ReferenceCounter.objects.filter(prefix=prefix, year=year)
        .values_list("last_number", flat=True)
        .first()
    )
    return (last or 0) + 1


def take_number(*, prefix, year, number):
    """Raise the counter to ``number`` if it still stands just below it (in the
    caller's transaction); False when someone took that number meanwhile."""
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(
        prefix=prefix, year=year
    )
    return bool(
        ReferenceCounter.objects.filter(pk=counter.pk, last_number=number - 1).update(
            last_number=number
        )
    )


def last_number(*, prefix, year):
    """The last number handed out (0 when none was)."""
    return peek_number(prefix=prefix, year=year) - 1
