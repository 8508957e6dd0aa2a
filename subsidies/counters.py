"""The one counter for kenmerken: the last number handed out per prefix and year.

Application references (``IF-2026-0042``, prefix = the scheme's) and decision kenmerken
(``D2026-000123``, prefix ``DECISION_PREFIX``) both count in ``ReferenceCounter``; each
caller only formats the number. A number is handed out under a row lock, so two
requests at once never get the same one, and the numbers of a year follow each other.
A run of numbers (``next_numbers``, ``take_numbers``: the letters of one chunk of a
batch) is reserved in one statement, with the same guarantees.
"""

from django.db import IntegrityError, transaction
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


def next_numbers(*, prefix, year, count):
    """Hand out the next ``count`` numbers of ``prefix`` in ``year`` at once, as a
    ``range``; safe under concurrency (the counter's row lock, then one update)."""
    with transaction.atomic():
        counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(
            prefix=prefix, year=year
        )
        ReferenceCounter.objects.filter(pk=counter.pk).update(
            last_number=F("last_number") + count
        )
    first = counter.last_number + 1
    return range(first, first + count)


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
    return take_numbers(prefix=prefix, year=year, first=number, count=1)


def take_numbers(*, prefix, year, first, count):
    """Reserve ``first`` .. ``first + count - 1`` if the counter still stands just
    below ``first`` (in the caller's transaction): one conditional update, which
    holds the row's lock to the commit. False when someone took a number meanwhile.
    The counter's first row of a year is created when ``first`` is 1."""
    taken = ReferenceCounter.objects.filter(
        prefix=prefix, year=year, last_number=first - 1
    ).update(last_number=first - 1 + count)
    if taken or first != 1:
        return bool(taken)
    try:
        with transaction.atomic():
            ReferenceCounter.objects.create(prefix=prefix, year=year, last_number=count)
    except IntegrityError:  # another request created the year's row first
        return False
    return True


def last_number(*, prefix, year):
    """The last number handed out (0 when none was)."""
    return peek_number(prefix=prefix, year=year) - 1
