"""The clocks of a bezwaar: when it is on time, and when the decision on it is due.

Pure: dates in, dates out; no Django, no project models (import-linter holds it).

- **Bezwaartermijn** (Awb 6:7, 6:8): six weeks, starting the day after the decision
  was sent; sent on Monday 23 November 2026, the last day is Monday 4 January 2027.
- **Algemene termijnenwet** (Atw art. 1): a term that ends on a Saturday, Sunday or
  algemeen erkende feestdag runs on to the next day that is none of those. The
  feestdagen are those of Atw art. 3: Nieuwjaarsdag, Goede Vrijdag (lid 2), tweede
  Paasdag, Koningsdag (27 April, or 26 April when the 27th is a Sunday), 5 mei,
  Hemelvaartsdag, tweede Pinksterdag and both Kerstdagen; and the days the Crown
  declares equal to them every three years (lid 3), which always follow one pattern:
  the Friday after Hemelvaartsdag, the Monday before a feestdag on a Tuesday and the
  Friday after one on a Thursday (for Nieuwjaarsdag, Koningsdag, 5 mei and the
  Kerstdagen). Counting a bridge day can only widen a term, never shorten it.
- **By post** (Awb 6:9 lid 2): a bezwaarschrift posted before the end of the term is
  on time when it arrives no later than a week after that end.
- **Too late** (Awb 6:11): a late bezwaar is not refused on its lateness alone when
  the lateness is excusable; that is a judgement for the handler, so this module only
  says it is late.
- **Beslistermijn** (Awb 7:10): six weeks, or twelve with an advisory committee
  (7:13), from the day after the bezwaartermijn ended; once deferred by at most six
  weeks, by letter (lid 3). A bezwaar posted in time that arrives in the week after
  (6:9) is on time and counts from the end of the term. For a late bezwaar the term
  counts from the day after it arrived: counted from the end of the bezwaartermijn, it could be over before the
  bezwaar came in (``docs/decisions.md``, "Bezwaar").
"""

from __future__ import annotations

from datetime import date, timedelta

OBJECTION_TERM = timedelta(weeks=6)
POSTAL_GRACE = timedelta(weeks=1)
DECISION_WEEKS = 6
DECISION_WEEKS_WITH_COMMITTEE = 12
EXTENSION = timedelta(weeks=6)

_WEEKEND = (5, 6)


def easter(year: int) -> date:
    """Easter Sunday (the Gregorian computus of Meeus, Jones and Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


def kings_day(year: int) -> date:
    day = date(year, 4, 27)
    return day - timedelta(days=1) if day.weekday() == 6 else day


def feestdagen(year: int) -> frozenset[date]:
    """The algemeen erkende feestdagen of ``year`` and the days equal to them."""
    sunday = easter(year)
    ascension = sunday + timedelta(days=39)
    fixed = {
        date(year, 1, 1),
        kings_day(year),
        date(year, 5, 5),
        date(year, 12, 25),
        date(year, 12, 26),
    }
    days = {
        *fixed,
        sunday - timedelta(days=2),  # Goede Vrijdag (art. 3 lid 2)
        sunday + timedelta(days=1),  # tweede Paasdag
        ascension,
        ascension + timedelta(days=1),  # the Friday after (art. 3 lid 3)
        sunday + timedelta(days=50),  # tweede Pinksterdag
    }
    for day in fixed:
        if day.weekday() == 1:  # a Tuesday: the Monday before
            days.add(day - timedelta(days=1))
        elif day.weekday() == 3:  # a Thursday: the Friday after
            days.add(day + timedelta(days=1))
    return frozenset(days)


def is_working_day(day: date) -> bool:
    """Not a Saturday, Sunday or feestdag in the sense of the Atw."""
    return day.weekday() not in _WEEKEND and day not in feestdagen(day.year)


def atw_end(day: date) -> date:
    """Atw art. 1: the last day of a term, moved on to the next working day."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def objection_term_end(date_sent: date) -> date:
    """The last day to lodge a bezwaar against a decision sent on ``date_sent``."""
    return atw_end(date_sent + OBJECTION_TERM)


def lodged_in_time(
    *, date_sent: date, received_on: date, posted_on: date | None = None
) -> bool:
    """On time: received by the last day, or posted by then and received within a
    week after it (Awb 6:9)."""
    end = objection_term_end(date_sent)
    if received_on <= end:
        return True
    return (
        posted_on is not None
        and posted_on <= end
        and received_on <= (end + POSTAL_GRACE)
    )


def decision_due(
    *,
    date_sent: date,
    received_on: date,
    posted_on: date | None = None,
    committee: bool = False,
) -> date:
    """The last day for the beslissing op bezwaar (Awb 7:10 lid 1), before deferral.

    A bezwaar on time (also one posted in time that arrived in the week after,
    Awb 6:9) counts from the end of the bezwaartermijn; a late one from its arrival.
    """
    end = objection_term_end(date_sent)
    in_time = lodged_in_time(
        date_sent=date_sent, received_on=received_on, posted_on=posted_on
    )
    start = end if in_time else max(end, received_on)
    weeks = DECISION_WEEKS_WITH_COMMITTEE if committee else DECISION_WEEKS
    return atw_end(start + timedelta(weeks=weeks))


def extended_due(due: date) -> date:
    """The deferred last day (Awb 7:10 lid 3): six weeks after the end of the term as
    the Atw set it, itself moved past a weekend or feestdag."""
    return atw_end(due + EXTENSION)
