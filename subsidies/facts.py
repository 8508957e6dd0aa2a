"""The facts on an application that the workflow's guards read, written in one place.

The assessment records whether the randvoorwaarden are met and the impact score with
the proposed amount; a fixed allocation records its outcome, rank and amount; four eyes
records the second approver or releases the allocation again. Other apps, the demo
and the test factories write these facts only through the functions below, never by
assigning or updating the fields themselves: ``tests/subsidies/test_facts.py`` reads
the source of every other module to hold that. The transitions on the model
(``award``, ``reject``, ...) then read them.

Each function writes only its own facts, as one UPDATE of the row (a stale copy in
memory cannot overwrite a transition made meanwhile), and sets the same values on the
object it was given, so the caller can fire the next transition on it.
"""

from .models import Application
from .workflow import AllocationOutcome

#: The fields only this module writes (the transitions on the model reset
#: ``awarded_cents`` to 0 on a rejection).
FACT_FIELDS = frozenset(
    {
        "preconditions_met",
        "preconditions_motivation",
        "impact_score",
        "proposed_cents",
        "allocation_outcome",
        "allocation_reason",
        "rank",
        "awarded_cents",
        "second_approver",
        "second_approver_id",
    }
)


def _write(application, **values):
    Application.objects.filter(pk=application.pk).update(**values)
    for name, value in values.items():
        setattr(application, name, value)
    return application


def record_preconditions(application, *, met, motivation=""):
    """The outcome of the randvoorwaarden: met (True) or not (False, with why)."""
    return _write(
        application, preconditions_met=met, preconditions_motivation=motivation
    )


def record_assessment(application, *, impact_score, proposed_cents):
    """The final impact score and the amount the assessment proposes, in cents."""
    return _write(application, impact_score=impact_score, proposed_cents=proposed_cents)


def record_allocation(application, *, honoured, awarded_cents, rank, reason=""):
    """What a fixed allocation decided: honoured with ``awarded_cents``, or not (0)."""
    return _write(
        application,
        allocation_outcome=(
            AllocationOutcome.HONOURED if honoured else AllocationOutcome.NOT_HONOURED
        ),
        awarded_cents=awarded_cents if honoured else 0,
        rank=rank,
        allocation_reason=reason,
    )


def release_allocation(application):
    """The allocation no longer decides the application (four eyes refused or
    withdrew it): its money returns to the round and it can be allocated again."""
    return _write(
        application,
        allocation_outcome="",
        awarded_cents=None,
        rank=None,
        allocation_reason="",
    )


def record_second_approval(application, *, approver):
    """The second decision maker who approved an award above the threshold."""
    return _write(application, second_approver=approver)
