"""The facts on an application that the workflow's guards read, written in one place.

The assessment records whether the randvoorwaarden are met and the impact score with
the proposed amount; a fixed allocation records its outcome, rank and amount; four eyes
records the second approver or releases the allocation again. After the award, the
decision records the settlement and its deadlines, a steekproef asks a report, the
review of the verantwoording records the amount to fix, and the payments ledger its
totals paid and repaid. Other apps, the demo
and the test factories write these facts only through the functions below, never by
assigning or updating the fields themselves: ``tests/subsidies/test_facts.py`` reads
the source of every other module to hold that. The transitions on the model
(``award``, ``reject``, ...) then read them.

Each function writes only its own facts, as one UPDATE of the row (a stale copy in
memory cannot overwrite a transition made meanwhile), and sets the same values on the
object it was given, so the caller can fire the next transition on it.
"""

from .models import Application
from .signals import drop_scheme_facts
from .workflow import AllocationOutcome, Settlement, settlement_terms

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
        "settlement",
        "report_due_on",
        "fixing_due_on",
        "fixed_cents",
        "fixing_motivation",
        "paid_cents",
        "repaid_cents",
    }
)


#: Facts the public scheme page counts (the money committed): writing one drops its
#: cached figures, as saving an application does (``subsidies.signals``).
PUBLIC_FIGURE_FACTS = frozenset({"allocation_outcome", "awarded_cents"})


def _write(application, **values):
    Application.objects.filter(pk=application.pk).update(**values)
    if PUBLIC_FIGURE_FACTS & values.keys():
        drop_scheme_facts()
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


def record_settlement_terms(application, *, settlement):
    """How the award becomes final, with the deadlines that follow from the end of the
    activities (``workflow.settlement_terms``). Recorded when it is awarded."""
    settlement = Settlement(settlement)
    report_due, fixing_due = settlement_terms(settlement, application.activity_end)
    return _write(
        application,
        settlement=settlement,
        report_due_on=report_due,
        fixing_due_on=fixing_due,
    )


def require_report(application, *, due_on):
    """Ask a report of an award that would be fixed ex officio (the steekproef)."""
    return _write(application, report_due_on=due_on)


def record_fixed_amount(application, *, fixed_cents, motivation=""):
    """The amount the vaststelling will fix, in cents, with why it is lower (if so)."""
    if fixed_cents < 0 or fixed_cents > (application.awarded_cents or 0):
        raise ValueError(
            "het vast te stellen bedrag ligt niet tussen 0 en de verlening"
        )
    return _write(application, fixed_cents=fixed_cents, fixing_motivation=motivation)


def record_amendment(application, *, awarded_cents=None, activity_end=None):
    """A wijzigingsbesluit: a lower award and/or new end of the activities; the
    deadlines that follow from the settlement move with the end date."""
    values = {}
    if awarded_cents is not None:
        if awarded_cents > (application.awarded_cents or 0) or awarded_cents < 0:
            raise ValueError("een wijziging verlaagt de verlening, nooit hoger")
        values["awarded_cents"] = awarded_cents
    if activity_end is not None:
        values["activity_end"] = activity_end
        if application.settlement:
            report_due, fixing_due = settlement_terms(
                application.settlement, activity_end
            )
            values["fixing_due_on"] = fixing_due
            if report_due is not None:
                values["report_due_on"] = report_due
    return _write(application, **values)


def record_money(application, *, paid_cents, repaid_cents):
    """The totals the payments ledger counts: paid out, and paid back, in cents."""
    if paid_cents < 0 or repaid_cents < 0:
        raise ValueError("betaald en terugbetaald zijn nooit negatief")
    return _write(application, paid_cents=paid_cents, repaid_cents=repaid_cents)


def record_objection_award(application, *, awarded_cents):
    """The amount a beslissing op bezwaar grants in place of the contested decision
    (Awb 7:11): an award after an afwijzing, a revised verlening or a restored one.
    Recorded under the round's ceiling guard, before the ``*_on_objection``
    transition that reads it."""
    if awarded_cents <= 0:
        raise ValueError("een toekenning op bezwaar is hoger dan 0")
    return _write(application, awarded_cents=awarded_cents)
