"""The clocks of a bezwaar (``beoordeling.objections.terms``): examples and properties.

The bezwaartermijn is six weeks from the day after sending (Awb 6:7, 6:8); a last
day on a Saturday, Sunday or feestdag moves to the next working day (Algemene
termijnenwet); a letter posted in time may arrive up to a week late (Awb 6:9).
"""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from beoordeling.objections import terms

SIX_WEEKS = timedelta(days=42)
sent_dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2250, 12, 31))


# --- examples ---------------------------------------------------------------------


def test_easter_falls_on_the_known_dates():
    """Goede Vrijdag, Pasen, Hemelvaart and Pinksteren follow from Easter Sunday."""
    assert terms.easter(2026) == date(2026, 4, 5)
    assert terms.easter(2027) == date(2027, 3, 28)
    assert terms.easter(2025) == date(2025, 4, 20)


def test_kings_day_on_a_sunday_moves_to_the_26th():
    """27 April 2025 is a Sunday: Koningsdag, and so the feestdag, is 26 April."""
    assert terms.kings_day(2025) == date(2025, 4, 26)
    assert date(2025, 4, 26) in terms.feestdagen(2025)
    assert date(2025, 4, 27) not in terms.feestdagen(2025)
    assert terms.kings_day(2026) == date(2026, 4, 27)


def test_the_feestdagen_of_2026():
    """Every feestdag of Atw art. 3 in 2026, with the days equal to them: the Friday
    after Nieuwjaarsdag (a Thursday), the Monday before 5 mei (a Tuesday) and the
    Friday after Hemelvaart; nothing else."""
    assert terms.feestdagen(2026) == {
        date(2026, 1, 1),
        date(2026, 1, 2),  # the Friday after Nieuwjaarsdag on a Thursday
        date(2026, 5, 4),  # the Monday before 5 mei on a Tuesday
        date(2026, 4, 3),  # Goede Vrijdag
        date(2026, 4, 6),  # tweede Paasdag
        date(2026, 4, 27),
        date(2026, 5, 5),
        date(2026, 5, 14),  # Hemelvaartsdag
        date(2026, 5, 15),  # the Friday after
        date(2026, 5, 25),  # tweede Pinksterdag
        date(2026, 12, 25),
        date(2026, 12, 26),
    }


def test_sent_on_a_thursday_the_term_ends_six_weeks_later_on_a_thursday():
    """Sent Thursday 19 November 2026: the last day is Thursday 31 December 2026."""
    end = terms.objection_term_end(date(2026, 11, 19))
    assert end == date(2026, 12, 31)
    assert end.weekday() == 3


def test_sent_on_monday_23_november_ends_monday_4_january():
    """The example of the letters and the module docstring."""
    assert terms.objection_term_end(date(2026, 11, 23)) == date(2027, 1, 4)


def test_a_term_ending_on_saturday_boxing_day_runs_to_monday():
    """Saturday 26 December 2026 (tweede Kerstdag), Sunday: the term ends Monday 28."""
    assert terms.atw_end(date(2026, 12, 26)) == date(2026, 12, 28)
    assert terms.objection_term_end(date(2026, 11, 14)) == date(2026, 12, 28)


def test_a_term_ending_on_ascension_day_or_the_friday_after_runs_to_monday():
    """Hemelvaartsdag Thursday 14 May 2026 and the Friday after are no working days."""
    assert terms.objection_term_end(date(2026, 4, 2)) == date(2026, 5, 18)
    assert terms.objection_term_end(date(2026, 4, 3)) == date(2026, 5, 18)
    assert terms.objection_term_end(date(2026, 4, 6)) == date(2026, 5, 18)


def test_posted_on_the_last_day_and_received_five_days_later_is_on_time():
    """Awb 6:9: posted in time, it may arrive up to a week after the last day."""
    sent = date(2026, 11, 19)  # the last day is 31 December 2026
    assert terms.lodged_in_time(
        date_sent=sent, received_on=date(2027, 1, 5), posted_on=date(2026, 12, 31)
    )


def test_posted_on_the_last_day_and_received_nine_days_later_is_late():
    """More than a week after the last day is late, even posted in time."""
    sent = date(2026, 11, 19)
    assert not terms.lodged_in_time(
        date_sent=sent, received_on=date(2027, 1, 9), posted_on=date(2026, 12, 31)
    )


def test_received_a_day_late_without_a_postmark_is_late():
    """Online, or a postmark that does not matter: only the day of receipt counts."""
    sent = date(2026, 11, 19)
    assert terms.lodged_in_time(date_sent=sent, received_on=date(2026, 12, 31))
    assert not terms.lodged_in_time(date_sent=sent, received_on=date(2027, 1, 1))
    assert not terms.lodged_in_time(
        date_sent=sent, received_on=date(2027, 1, 4), posted_on=date(2027, 1, 1)
    )


def test_the_decision_is_due_six_weeks_after_the_term_or_twelve_with_a_committee():
    """Awb 7:10: from the end of the bezwaartermijn; a committee (7:13) doubles it."""
    sent = date(2026, 11, 19)  # term ends Thursday 31 December 2026
    assert terms.decision_due(date_sent=sent, received_on=date(2026, 12, 1)) == date(
        2027, 2, 11
    )
    assert terms.decision_due(
        date_sent=sent, received_on=date(2026, 12, 1), committee=True
    ) == date(2027, 3, 25)


def test_a_late_bezwaar_is_decided_six_weeks_after_it_arrived():
    """Late: the term counts from the day it came in, not from the term's end."""
    sent = date(2026, 11, 19)
    assert terms.decision_due(date_sent=sent, received_on=date(2027, 1, 20)) == date(
        2027, 3, 3
    )


def test_the_deferral_adds_six_weeks_and_follows_the_atw():
    """Awb 7:10 lid 3: six weeks later; on a feestdag it runs to the next working day."""
    assert terms.extended_due(date(2027, 2, 11)) == date(2027, 3, 25)
    # 25 March 2027 + 6 weeks is Hemelvaartsdag, Thursday 6 May 2027: then Monday.
    assert terms.extended_due(date(2027, 3, 25)) == date(2027, 5, 10)


# --- properties -------------------------------------------------------------------


@given(sent_dates)
def test_the_last_day_is_never_a_weekend_or_feestdag(sent):
    end = terms.objection_term_end(sent)
    assert end.weekday() < 5
    assert end not in terms.feestdagen(end.year)


@given(sent_dates)
def test_the_last_day_is_never_before_six_weeks_and_at_most_a_few_days_after(sent):
    end = terms.objection_term_end(sent)
    assert sent + SIX_WEEKS <= end <= sent + SIX_WEEKS + timedelta(days=5)


@given(sent_dates)
def test_the_last_day_is_the_first_working_day_from_six_weeks_on(sent):
    """Every day skipped is no working day: the term is widened, never more."""
    end = terms.objection_term_end(sent)
    day = sent + SIX_WEEKS
    while day < end:
        assert not terms.is_working_day(day)
        day += timedelta(days=1)
    assert terms.atw_end(end) == end


@given(sent_dates, st.integers(min_value=0, max_value=80))
def test_received_by_the_last_day_is_on_time_and_after_it_late(sent, days):
    received = sent + timedelta(days=days)
    end = terms.objection_term_end(sent)
    assert terms.lodged_in_time(date_sent=sent, received_on=received) == (
        received <= end
    )


@given(sent_dates, st.integers(min_value=0, max_value=14))
def test_posted_on_the_last_day_counts_for_a_week(sent, delay):
    end = terms.objection_term_end(sent)
    on_time = terms.lodged_in_time(
        date_sent=sent, received_on=end + timedelta(days=delay), posted_on=end
    )
    assert on_time == (delay <= 7)


@given(sent_dates, st.integers(min_value=0, max_value=120), st.booleans())
def test_the_decision_is_due_on_a_working_day_after_the_term(sent, days, committee):
    received = sent + timedelta(days=days)
    due = terms.decision_due(date_sent=sent, received_on=received, committee=committee)
    weeks = 12 if committee else 6
    start = max(terms.objection_term_end(sent), received)
    assert terms.is_working_day(due)
    assert (
        start + timedelta(weeks=weeks) <= due <= start + timedelta(weeks=weeks, days=5)
    )
    assert terms.extended_due(due) >= due + timedelta(weeks=6)
    assert terms.is_working_day(terms.extended_due(due))


def test_a_bezwaar_posted_in_time_counts_from_the_end_of_the_term():
    """Posted on the last day and received in the week after (6:9): on time, so the
    six weeks of 7:10 count from the end of the bezwaartermijn, not from its arrival."""
    sent = date(2026, 11, 23)
    end = terms.objection_term_end(sent)
    posted_late_arrival = terms.decision_due(
        date_sent=sent, received_on=end + timedelta(days=5), posted_on=end
    )
    assert posted_late_arrival == terms.decision_due(date_sent=sent, received_on=end)
