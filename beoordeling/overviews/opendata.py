"""Open data (Woo): the published overview of subsidies awarded to organisations.

Woo art. 3.3a lets a body publish, instead of every beschikking, an electronically
searchable overview of subsidies to others than natural persons with at least the
legal basis, the recipient, the activity, the amount and the date of the decision. This
module is that overview:

- Only awards count (status ``toegekend`` and what follows it: verantwoording,
  vastgesteld, afgesloten, subsidie ingetrokken: ``GRANTED_STATES``), and never one
  whose money goes to a person: an informal group without a penvoerder (``Applicant.is_natural_person``;
  ``natural_person_q`` is the same rule as a query, and a test holds them together).
  For a group with a penvoerder the recipient is the penvoerder organisation.
- The columns are a whitelist (``OpenDataResource``): no contact names, e-mail
  addresses, phone numbers, addresses or IBANs, and no scores or motivations. Next to
  the verleend amount stands the vastgesteld amount once the subsidy is fixed (empty
  before; 0 after an intrekking, which sets the fixed amount to nothing).
- Awards to natural persons appear only as totals per year, scheme and wijk
  (``open_data_totals``): a count and an amount, never a name or a title, and only
  when the cell holds at least ``MIN_PUBLISHED_COUNT`` awards. A smaller count would
  tell what one group got (a count of 1 *is* that group's amount); such a cell is
  suppressed, count and amount alike, as CBS does with small cells. The awards to
  organisations need no suppression: they are published one by one anyway.

The year is the calendar year (Europe/Amsterdam) of the decision. The date of the
decision is the dagtekening of the beschikking when one was sent, otherwise the date
the award was decided (history imported from an earlier system).
"""

from dataclasses import dataclass
from datetime import date
from itertools import islice

from django.db import connections
from django.db.models import Count, Prefetch, Q, Sum
from django.db.models.functions import ExtractYear, TruncDate
from django.utils import timezone

from subsidies.models import ApplicantKind, Application
from subsidies.workflow import GRANTED_STATES

from ..models import Decision, DecisionKind, ExportKind
from .exports.filters import ExportFilters
from .exports.resources import (
    VALUES_CHUNK,
    OverviewResource,
    computed,
    for_ids,
    money,
    number,
    text,
)
from .exports.widgets import IntegerWidget, LocalDateWidget

#: The smallest number of awards to bewonersgroepen whose count and total are shown.
MIN_PUBLISHED_COUNT = 5


def natural_person_q(prefix="applicant__"):
    """Applicants whose money goes to a person (``Applicant.is_natural_person``)."""
    return Q(
        **{
            f"{prefix}kind": ApplicantKind.INFORMAL_GROUP,
            f"{prefix}penvoerder_name": "",
        }
    )


def year_filters(*, year=None, scheme_id=None, wijk_id=None):
    """The open-data choices (year, scheme, wijk) as export filters."""
    return ExportFilters(
        scheme_id=scheme_id,
        wijk_id=wijk_id,
        date_from=date(year, 1, 1) if year else None,
        date_to=date(year, 12, 31) if year else None,
    )


def awards():
    """Every award: toegekend, and on to its verantwoording, vaststelling, closure or
    intrekking."""
    return Application.objects.filter(status__in=GRANTED_STATES)


class OpenDataResource(OverviewResource):
    kind = ExportKind.OPEN_DATA
    period_field = "decided_at"
    statuses = GRANTED_STATES

    year = computed("Jaar", IntegerWidget())
    scheme = text("round__scheme__name", "Regeling")
    legal_basis = text("round__scheme__legal_basis", "Wettelijke grondslag")
    recipient = computed("Ontvanger")
    recipient_role = computed("Rol ontvanger")
    recipient_kvk = computed("KvK-nummer ontvanger")
    activity = text("title", "Activiteit")
    wijk = text("wijk__name", "Wijk")
    amount = money("awarded_cents", "Verleend bedrag (euro)")
    fixed = money("fixed_cents", "Vastgesteld bedrag (euro)")
    decision_date = computed("Datum besluit", LocalDateWidget())
    reference = text("reference", "Kenmerk aanvraag")
    rank = number("rank", "Rangnummer")

    def base_queryset(self):
        return (
            awards()
            .exclude(natural_person_q())
            .select_related("applicant", "wijk", "round__scheme")
            .prefetch_related(
                Prefetch(
                    "decisions",
                    queryset=Decision.objects.filter(kind=DecisionKind.VERLENING).only(
                        "id", "application_id", "date_sent"
                    ),
                )
            )
            .order_by("decided_at", "reference")
        )

    def get_export_fields(self, selected_fields=None):
        # The rank says little outside the round; the overview leaves it out.
        return [
            field
            for field in super().get_export_fields(selected_fields)
            if field.column_name != "Rangnummer"
        ]

    def dehydrate_year(self, application):
        return LocalDateWidget().render(application.decided_at).year

    def dehydrate_recipient(self, application):
        applicant = application.applicant
        if applicant.kind == ApplicantKind.ORGANISATION:
            return applicant.name
        return applicant.penvoerder_name

    def dehydrate_recipient_role(self, application):
        if application.applicant.kind == ApplicantKind.ORGANISATION:
            return "aanvrager"
        return "penvoerder van een bewonersgroep"

    def dehydrate_recipient_kvk(self, application):
        applicant = application.applicant
        if applicant.kind == ApplicantKind.ORGANISATION:
            return applicant.kvk_number
        return applicant.penvoerder_kvk

    def dehydrate_decision_date(self, application):
        decisions = application.decisions.all()
        if decisions:
            return decisions[0].date_sent
        return LocalDateWidget().render(application.decided_at)

    # The file: the same columns from ``values`` (``OverviewResource.rows``).
    value_lookups_extra = (
        "decided_at",
        "applicant__kind",
        "applicant__name",
        "applicant__kvk_number",
        "applicant__penvoerder_name",
        "applicant__penvoerder_kvk",
    )

    def chunk_related(self, ids):
        # The dagtekening of the verlening: the newest, as the prefetch orders them.
        sent = {}
        for application_id, date_sent in (
            for_ids(Decision.objects.filter(kind=DecisionKind.VERLENING), ids)
            .order_by("application_id", "-date_sent", "-kenmerk")
            .values_list("application_id", "date_sent")
        ):
            sent.setdefault(application_id, date_sent)
        return sent

    def _local_date(self, moment):
        # One renderer per export: the time zone looked up once, not once per row.
        if not hasattr(self, "_local_date_renderer"):
            self._local_date_renderer = LocalDateWidget().renderer()
        return self._local_date_renderer(moment)

    def value_year(self, values, related):
        return self._local_date(values["decided_at"]).year

    def value_recipient(self, values, related):
        if values["applicant__kind"] == ApplicantKind.ORGANISATION:
            return values["applicant__name"]
        return values["applicant__penvoerder_name"]

    def value_recipient_role(self, values, related):
        if values["applicant__kind"] == ApplicantKind.ORGANISATION:
            return "aanvrager"
        return "penvoerder van een bewonersgroep"

    def value_recipient_kvk(self, values, related):
        if values["applicant__kind"] == ApplicantKind.ORGANISATION:
            return values["applicant__kvk_number"]
        return values["applicant__penvoerder_kvk"]

    def value_decision_date(self, values, related):
        sent = related.get(values["pk"])
        if sent is not None:
            return sent
        return self._local_date(values["decided_at"])

    # The file in one pass per row. ``OverviewResource.raw_rows`` calls a ``value_``
    # method per computed cell (the local date worked out twice a row); here one loop
    # over ``values_list`` tuples builds the same row: the plain columns as read (their
    # declared widgets render them afterwards, ``rows`` or ``cells.csv_formatters``),
    # the computed ones by the rules of the ``value_`` methods above. Only for the
    # declared columns in their declared order: a resource that changes them gets the
    # general path. test_export_values holds both to the bytes of the model-instance
    # rows, test_opendata_bytes to a fixed file.
    ROW_COLUMNS = (
        "year",
        "scheme",
        "legal_basis",
        "recipient",
        "recipient_role",
        "recipient_kvk",
        "activity",
        "wijk",
        "amount",
        "fixed",
        "decision_date",
        "reference",
    )

    def raw_rows(self, queryset, *, chunk_size=VALUES_CHUNK):
        if not self.declares(self.ROW_COLUMNS):
            yield from super().raw_rows(queryset, chunk_size=chunk_size)
            return
        # The day in Amsterdam of the moment of the award, as LocalDateWidget gives it:
        # PostgreSQL works it out (a date is cheaper to read than a moment); SQLite
        # would do it in a Python function per row, so there the widget does it.
        to_day = None
        if connections[queryset.db].vendor == "postgresql":
            zone = timezone.get_current_timezone()
            queryset = queryset.annotate(
                decided_on=TruncDate("decided_at", tzinfo=zone)
            )
            decided = "decided_on"
        else:
            to_day = LocalDateWidget().renderer()
            decided = "decided_at"
        organisation = ApplicantKind.ORGANISATION
        values = (
            queryset.prefetch_related(None)
            .values_list(
                "pk",
                decided,
                "round__scheme__name",
                "round__scheme__legal_basis",
                "applicant__kind",
                "applicant__name",
                "applicant__kvk_number",
                "applicant__penvoerder_name",
                "applicant__penvoerder_kvk",
                "title",
                "wijk__name",
                "awarded_cents",
                "fixed_cents",
                "reference",
            )
            .iterator(chunk_size=chunk_size)
        )
        while chunk := list(islice(values, chunk_size)):
            sent = self.chunk_related([row[0] for row in chunk])
            for (
                pk,
                decided_value,
                scheme_name,
                basis,
                kind,
                name,
                kvk,
                penvoerder_name,
                penvoerder_kvk,
                title,
                wijk_name,
                awarded_cents,
                fixed_cents,
                reference_text,
            ) in chunk:
                day = decided_value if to_day is None else to_day(decided_value)
                decision_day = sent.get(pk)
                if kind == organisation:
                    recipient = (name, "aanvrager", kvk)
                else:
                    recipient = (
                        penvoerder_name,
                        "penvoerder van een bewonersgroep",
                        penvoerder_kvk,
                    )
                yield [
                    day.year,
                    scheme_name,
                    basis,
                    *recipient,
                    title,
                    wijk_name,
                    awarded_cents,
                    fixed_cents,
                    day if decision_day is None else decision_day,
                    reference_text,
                ]


@dataclass(frozen=True)
class TotalRow:
    year: int
    scheme: str
    wijk: str
    organisations: int
    organisations_cents: int
    #: None when suppressed (fewer than ``MIN_PUBLISHED_COUNT``, but not none).
    groups: int | None
    groups_cents: int | None

    @property
    def groups_suppressed(self):
        return self.groups is None


def _published_groups(count, cents):
    """The count and total of awards to groups as published: both or neither."""
    if 0 < count < MIN_PUBLISHED_COUNT:
        return None, None
    return count, cents


def open_data_totals(filters):
    """Per year, scheme and wijk: awards to organisations and to bewonersgroepen.

    Awards to natural persons are counted here and nowhere named; a cell with fewer
    than ``MIN_PUBLISHED_COUNT`` of them is suppressed (``groups`` is None).
    """
    person = natural_person_q()
    rows = (
        awards()
        .filter(filters.q(period_field="decided_at"))
        .annotate(year=ExtractYear("decided_at"))
        .values("year", "round__scheme__name", "wijk__name", "wijk__sort_order")
        .annotate(
            organisations=Count("pk", filter=~person),
            organisations_cents=Sum("awarded_cents", filter=~person),
            groups=Count("pk", filter=person),
            groups_cents=Sum("awarded_cents", filter=person),
        )
        .order_by("-year", "round__scheme__name", "wijk__sort_order", "wijk__name")
    )
    return [
        TotalRow(
            year=row["year"],
            scheme=row["round__scheme__name"],
            wijk=row["wijk__name"] or "",
            organisations=row["organisations"],
            organisations_cents=row["organisations_cents"] or 0,
            **dict(
                zip(
                    ("groups", "groups_cents"),
                    _published_groups(row["groups"], row["groups_cents"] or 0),
                    strict=True,
                )
            ),
        )
        for row in rows
    ]


def legal_bases(queryset):
    """(scheme name, legal basis) of the schemes in ``queryset``, for the page."""
    return list(
        queryset.order_by()
        .values_list("round__scheme__name", "round__scheme__legal_basis")
        .distinct()
        .order_by("round__scheme__name")
    )


def open_data_years():
    """The years in which something was awarded, newest first."""
    return list(
        awards()
        .filter(decided_at__isnull=False)
        .annotate(year=ExtractYear("decided_at"))
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )
