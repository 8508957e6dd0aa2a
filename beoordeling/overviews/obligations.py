"""Open obligations after the award, per scheme, round and wijk (the budget dashboard).

What is still to be done for the awards of a round, counted from the database:

- *voorschotten open*: voorschot instructions of the payments ledger that are not
  paid and not lapsed (``PaymentInstruction`` kind ``voorschot``, status ``open``),
  with their sum; *te laat* when their ``due_on`` has passed.
- *verantwoordingen verwacht*: awards still ``toegekend`` that were asked for a report
  (``report_due_on`` set) and have not sent it; *te laat* when ``report_due_on`` has
  passed. A report that came in is the gemeente's turn: it counts under vaststellingen.
- *vaststellingen te doen*: a report came in (``verantwoording_ingediend``; waiting for
  an aanvulling the clock stands still, so that one is not counted), or an award to be
  fixed ex officio (``ambtshalve``, no report asked) whose activities have ended;
  *over de termijn* when ``fixing_due_on`` has passed.
- *terug te vorderen*: terugvordering instructions that are still open, with their sum.

"Passed" means before today (Europe/Amsterdam): the due day itself is still in time.
Every figure is a ``Count`` or ``Sum`` with a filter in one grouped query per table;
a test computes the same numbers from the ORM one by one.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils import timezone

from beoordeling.models import PaymentInstruction, PaymentKind, PaymentStatus
from subsidies.models import Application, Wijk
from subsidies.workflow import Settlement, Status

#: The figures of one line, in the order of the table's columns.
FIGURES = (
    "advances",
    "advances_cents",
    "advances_late",
    "reports",
    "reports_late",
    "fixings",
    "fixings_late",
    "reclaims",
    "reclaims_cents",
)


def report_expected_q(prefix=""):
    return Q(
        **{f"{prefix}status": Status.AWARDED, f"{prefix}report_due_on__isnull": False}
    )


def fixing_to_do_q(today, prefix=""):
    ex_officio = Q(
        **{
            f"{prefix}status": Status.AWARDED,
            f"{prefix}settlement": Settlement.EX_OFFICIO,
            f"{prefix}report_due_on__isnull": True,
            f"{prefix}activity_end__lt": today,
        }
    )
    return Q(**{f"{prefix}status": Status.REPORT_SUBMITTED}) | ex_officio


def application_figures(today):
    """Aggregates over applications, for ``annotate`` after ``values``."""
    reports, fixings = report_expected_q(), fixing_to_do_q(today)
    return {
        "reports": Count("pk", filter=reports),
        "reports_late": Count("pk", filter=reports & Q(report_due_on__lt=today)),
        "fixings": Count("pk", filter=fixings),
        "fixings_late": Count("pk", filter=fixings & Q(fixing_due_on__lt=today)),
    }


def payment_figures(today):
    """Aggregates over payment instructions, for ``annotate`` after ``values``."""
    advance = Q(kind=PaymentKind.ADVANCE, status=PaymentStatus.OPEN)
    reclaim = Q(kind=PaymentKind.RECLAIM, status=PaymentStatus.OPEN)
    return {
        "advances": Count("pk", filter=advance),
        "advances_cents": Sum("amount_cents", filter=advance, default=0),
        "advances_late": Count("pk", filter=advance & Q(due_on__lt=today)),
        "reclaims": Count("pk", filter=reclaim),
        "reclaims_cents": Sum("amount_cents", filter=reclaim, default=0),
    }


@dataclass(frozen=True)
class Figures:
    advances: int = 0
    advances_cents: int = 0
    advances_late: int = 0
    reports: int = 0
    reports_late: int = 0
    fixings: int = 0
    fixings_late: int = 0
    reclaims: int = 0
    reclaims_cents: int = 0

    def __add__(self, other):
        return Figures(
            **{name: getattr(self, name) + getattr(other, name) for name in FIGURES}
        )

    @property
    def any(self):
        return any(getattr(self, name) for name in FIGURES)


@dataclass(frozen=True)
class WijkObligations:
    wijk_id: int | None
    name: str
    figures: Figures


@dataclass(frozen=True)
class RoundObligations:
    round: object
    figures: Figures
    wijken: tuple = field(default_factory=tuple)


@dataclass(frozen=True)
class SchemeObligations:
    scheme_name: str
    rounds: tuple

    @property
    def figures(self):
        return sum((line.figures for line in self.rounds), Figures())


def _grouped(queryset, prefix, aggregates):
    rows = (
        queryset.values(f"{prefix}round_id", f"{prefix}wijk_id")
        .annotate(**aggregates)
        .order_by()
    )
    return {
        (row[f"{prefix}round_id"], row[f"{prefix}wijk_id"]): {
            key: row[key] or 0 for key in aggregates
        }
        for row in rows
    }


def figures_per_round_and_wijk(round_ids, *, wijk_id=None, today=None):
    """``{(round id, wijk id): Figures}`` for the awards of these rounds."""
    today = today or timezone.localdate()
    applications = Application.objects.filter(round_id__in=round_ids)
    instructions = PaymentInstruction.objects.filter(
        application__round_id__in=round_ids
    )
    if wijk_id:
        applications = applications.filter(wijk_id=wijk_id)
        instructions = instructions.filter(application__wijk_id=wijk_id)
    by_application = _grouped(applications, "", application_figures(today))
    by_payment = _grouped(instructions, "application__", payment_figures(today))
    return {
        key: Figures(**by_application.get(key, {}), **by_payment.get(key, {}))
        for key in {*by_application, *by_payment}
    }


def obligations(rounds, *, wijk_id=None, today=None):
    """A ``SchemeObligations`` per scheme of ``rounds`` (in their order), each with
    its rounds and, per round, the wijken that have something open."""
    figures = figures_per_round_and_wijk(
        [r.pk for r in rounds], wijk_id=wijk_id, today=today
    )
    names = dict(Wijk.objects.values_list("pk", "name"))
    order = {
        pk: index
        for index, pk in enumerate(
            Wijk.objects.order_by("sort_order", "name").values_list("pk", flat=True)
        )
    }
    schemes = {}
    for round_ in rounds:
        per_wijk = sorted(
            (
                (wijk, line)
                for (round_id, wijk), line in figures.items()
                if round_id == round_.pk and line.any
            ),
            key=lambda item: (item[0] is None, order.get(item[0], 0)),
        )
        line = RoundObligations(
            round=round_,
            figures=sum((line for _wijk, line in per_wijk), Figures()),
            wijken=tuple(
                WijkObligations(
                    wijk_id=wijk,
                    name=names.get(wijk, "Zonder wijk") if wijk else "Zonder wijk",
                    figures=line,
                )
                for wijk, line in per_wijk
            ),
        )
        schemes.setdefault(round_.scheme.name, []).append(line)
    return [
        SchemeObligations(scheme_name=name, rounds=tuple(lines))
        for name, lines in schemes.items()
    ]
