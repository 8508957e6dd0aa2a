"""django-import-export resources for the overviews, with Dutch column headers.

- ``AwardOverviewResource``: every decided application (toegekend, afgewezen, buiten
  behandeling) with its amounts, score, rank and the beschikking (soort, kenmerk,
  verzenddatum, uiterste datum bezwaar; empty when no letter was made, as for history
  imported from an earlier system).
- ``ApplicationResource``: every submitted application (concepts are the applicant's
  own and are left out) with its dates, amounts and allocation outcome.
- ``ScoreResource``: one row per criterion per submitted assessment (recused
  assessors never count).
- ``FixingResource``: every award after its verlening, with the vastgesteld amount,
  the difference, what was paid and paid back, and the deadlines of the settlement.
- ``beoordeling.overviews.exports.payments.PaymentResource``: every instruction of the
  payments ledger with its kind, amount, status, paid date and batch.

Each resource knows its queryset, the date its period filter applies to and the
kind of each column (money, date, decimal, integer, text), which the XLSX writer turns
into number formats. The status column holds the stored Dutch word (``toegekend``),
as the design prescribes for exports. Contact names, e-mail addresses, phone numbers,
addresses and IBANs are in none of them.
"""

from itertools import islice

from django.db.models import Prefetch
from import_export import fields, resources

from beoordeling.models import Decision, DecisionKind, ExportKind, Score
from subsidies.models import Application, Buurt
from subsidies.workflow import DECIDED_STATES, GRANTED_STATES, SUBMITTED_STATES

from .widgets import (
    DecimalWidget,
    IntegerWidget,
    LocalDateWidget,
    MoneyWidget,
    TextWidget,
)

#: What the overviews read of an application and its relations (``QuerySet.only``).
APPLICATION_COLUMNS = (
    "reference",
    "title",
    "status",
    "requested_cents",
    "awarded_cents",
    "impact_score",
    "rank",
    "decided_at",
    "applicant__name",
    "wijk__name",
    "round__name",
    "round__opens_at",
    "round__scheme__name",
)

#: Rows read per query (and per query of the related rows) when writing a file.
VALUES_CHUNK = 2000

COLUMN_KINDS = (
    (MoneyWidget, "money"),
    (LocalDateWidget, "date"),
    (DecimalWidget, "decimal"),
    (IntegerWidget, "integer"),
)


def text(attribute, header):
    return fields.Field(attribute=attribute, column_name=header, widget=TextWidget())


def money(attribute, header):
    return fields.Field(attribute=attribute, column_name=header, widget=MoneyWidget())


def day(attribute, header):
    return fields.Field(
        attribute=attribute, column_name=header, widget=LocalDateWidget()
    )


def number(attribute, header, widget=None):
    return fields.Field(
        attribute=attribute, column_name=header, widget=widget or IntegerWidget()
    )


def computed(header, widget=None):
    """A column filled by a ``dehydrate_<name>`` method."""
    return fields.Field(column_name=header, widget=widget or TextWidget())


class OverviewResource(resources.Resource):
    """What every overview resource has: a queryset, filters and column kinds."""

    kind = None
    #: The date the period filter applies to, as a lookup from the queryset's model.
    period_field = None
    #: How the queryset's model reaches the application (``""`` for applications).
    application_prefix = ""
    #: True when ``period_field`` is a date, not a moment.
    period_is_date = False
    statuses = SUBMITTED_STATES

    def base_queryset(self):
        raise NotImplementedError

    def queryset(self, filters):
        q = filters.q(
            prefix=self.application_prefix,
            period_field=self.period_field,
            period_is_date=self.period_is_date,
        )
        return self.base_queryset().filter(q)

    def export_fields(self):
        if not hasattr(self, "_export_fields"):
            self._export_fields = self.get_export_fields()
        return self._export_fields

    def headers(self):
        return [str(field.column_name) for field in self.export_fields()]

    def column_kinds(self):
        kinds = []
        for field in self.export_fields():
            kind = "text"
            for widget_class, name in COLUMN_KINDS:
                if isinstance(field.widget, widget_class):
                    kind = name
                    break
            kinds.append(kind)
        return kinds

    def exporters(self):
        """Per column the callable that gives its value: ``export_field`` resolved once.

        ``Resource.export_field`` looks up the field's name and its ``dehydrate_``
        method for every cell; for 10,000 rows of 17 columns that lookup costs more
        than the values. The result is the same.
        """
        if not hasattr(self, "_exporters"):
            names = {id(field): name for name, field in self.fields.items()}
            exporters = []
            for field in self.export_fields():
                method = field.get_dehydrate_method(names[id(field)])
                exporters.append(getattr(self, method, None) or field.export)
            self._exporters = exporters
        return self._exporters

    def row(self, instance):
        """The row of one model instance (a page of the list on screen)."""
        return [export(instance) for export in self.exporters()]

    def instance_rows(self, queryset, *, chunk_size=1000):
        """The rows built from model instances, one by one: what ``rows`` gives, the
        slow way (kept for the test that holds the two to the same bytes)."""
        for instance in queryset.iterator(chunk_size=chunk_size):
            yield self.row(instance)

    # --- the file: values instead of model instances ----------------------------------
    # A file of 100,000 rows does not need 100,000 model instances with their related
    # objects. ``raw_rows`` reads ``values_list`` tuples in chunks (a server-side
    # cursor on PostgreSQL); a computed column has a ``value_<name>(values, related)``
    # beside its ``dehydrate_<name>`` that reads the same facts from the values (a dict
    # by lookup) and from ``chunk_related``: what the chunk's rows need of many-valued
    # relations, one query each. The plain columns leave ``raw_rows`` as read and are
    # rendered by their widgets afterwards: ``rows`` for every format, or, for CSV,
    # straight to text by ``cells.csv_formatters``.

    #: Lookups the ``value_<name>`` methods read besides the plain columns.
    value_lookups_extra = ()

    def _field_names(self):
        return {id(field): name for name, field in self.fields.items()}

    def declares(self, columns):
        """Whether the exported columns are exactly ``columns``, in that order: what
        a resource's own one-pass ``raw_rows`` is written for."""
        names = self._field_names()
        return tuple(names[id(field)] for field in self.export_fields()) == columns

    def value_lookups(self):
        lookups = ["pk"]
        names = self._field_names()
        for field in self.export_fields():
            if not hasattr(self, f"value_{names[id(field)]}") and field.attribute:
                lookups.append(field.attribute)
        return list(dict.fromkeys([*lookups, *self.value_lookups_extra]))

    def value_methods(self):
        """Per column its ``value_<name>`` method, or ``None`` for a plain column."""
        if not hasattr(self, "_value_methods"):
            names = self._field_names()
            methods = []
            for field in self.export_fields():
                name = names[id(field)]
                method = getattr(self, f"value_{name}", None)
                if method is None and hasattr(self, field.get_dehydrate_method(name)):
                    raise TypeError(f"{type(self).__name__}.value_{name} is missing")
                methods.append(method)
            self._value_methods = methods
        return self._value_methods

    def column_widgets(self):
        """Per column the widget that renders its value in ``raw_rows``; ``None`` for
        a computed column, whose value is rendered already."""
        return [
            None if method is not None else field.widget
            for field, method in zip(
                self.export_fields(), self.value_methods(), strict=True
            )
        ]

    def chunk_related(self, ids):
        """What the computed columns of these rows read of other tables."""
        return None

    def raw_rows(self, queryset, *, chunk_size=VALUES_CHUNK):
        """The rows of ``queryset`` one by one, in chunks, never all in memory; a
        plain column as read from the database, before its widget."""
        lookups = self.value_lookups()
        columns = [
            (None if method is not None else lookups.index(field.attribute), method)
            for field, method in zip(
                self.export_fields(), self.value_methods(), strict=True
            )
        ]
        computed = any(method is not None for _index, method in columns)
        values = (
            queryset.prefetch_related(None)
            .values_list(*lookups)
            .iterator(chunk_size=chunk_size)
        )
        while chunk := list(islice(values, chunk_size)):
            related = self.chunk_related([row[0] for row in chunk])
            for row in chunk:
                # The ``value_`` methods read the row by lookup; only they need a dict.
                named = dict(zip(lookups, row, strict=True)) if computed else None
                yield [
                    row[index] if method is None else method(named, related)
                    for index, method in columns
                ]

    def renderers(self):
        """Per column what turns its value in ``raw_rows`` into the value of ``rows``."""
        renderers = []
        for widget in self.column_widgets():
            if widget is None:
                renderers.append(_as_it_is)
            else:
                # A widget may offer a ``renderer`` for many values (``LocalDateWidget``).
                renderer = getattr(widget, "renderer", None)
                renderers.append(renderer() if renderer is not None else widget.render)
        return renderers

    def rendered(self, raw_rows):
        """``raw_rows`` with every value rendered by its column's widget."""
        renderers = self.renderers()
        for row in raw_rows:
            yield [render(value) for render, value in zip(renderers, row, strict=True)]

    def rows(self, queryset, *, chunk_size=VALUES_CHUNK):
        """The rows of ``queryset`` as the widgets render them, in chunks."""
        return self.rendered(self.raw_rows(queryset, chunk_size=chunk_size))


def _as_it_is(value):
    return value


def for_ids(queryset, ids, column="application_id"):
    """``queryset`` narrowed to rows whose ``column`` is one of ``ids`` (integers from
    the database). The same as ``filter(application_id__in=ids)``, without Django
    preparing every id on its own: for a chunk of 2,000 rows that took longer than
    the query."""
    if not ids:
        return queryset.none()
    table = queryset.model._meta.db_table
    numbers = ",".join(str(int(pk)) for pk in ids)
    return queryset.extra(where=[f'"{table}"."{column}" IN ({numbers})'])


def buurten_by_application(ids):
    """``{application id: "Buurt A, Buurt B"}``, by name, as the prefetch orders."""
    names = {}
    through = Application.buurten.through
    for application_id, name in (
        for_ids(through.objects.all(), ids)
        .order_by("application_id", "buurt__name", "buurt_id")
        .values_list("application_id", "buurt__name")
    ):
        names.setdefault(application_id, []).append(name)
    return {key: ", ".join(value) for key, value in names.items()}


def _buurten_prefetch(prefix=""):
    return Prefetch(
        f"{prefix}buurten",
        queryset=Buurt.objects.order_by("name", "pk").only("id", "name"),
    )


class AwardOverviewResource(OverviewResource):
    kind = ExportKind.AWARDS
    period_field = "decided_at"
    statuses = DECIDED_STATES

    reference = text("reference", "Kenmerk aanvraag")
    title = text("title", "Initiatief")
    applicant = text("applicant__name", "Aanvrager")
    wijk = text("wijk__name", "Wijk")
    buurten = computed("Buurten")
    scheme = text("round__scheme__name", "Regeling")
    round = text("round__name", "Ronde")
    status = text("status", "Status")
    requested = money("requested_cents", "Gevraagd bedrag (euro)")
    awarded = money("awarded_cents", "Toegekend bedrag (euro)")
    impact_score = number("impact_score", "Impactscore", DecimalWidget())
    rank = number("rank", "Rangnummer")
    decided = day("decided_at", "Besluitdatum")
    decision_kind = computed("Soort beschikking")
    decision_kenmerk = computed("Kenmerk beschikking")
    decision_sent = computed("Verzenddatum beschikking", LocalDateWidget())
    bezwaar_deadline = computed("Uiterste datum bezwaar", LocalDateWidget())

    def base_queryset(self):
        return (
            Application.objects.filter(status__in=DECIDED_STATES)
            .select_related("applicant", "wijk", "round__scheme")
            .only(*APPLICATION_COLUMNS)
            .prefetch_related(
                _buurten_prefetch(),
                Prefetch(
                    "decisions",
                    queryset=Decision.objects.order_by("-date_sent", "-pk").only(
                        "id",
                        "application_id",
                        "kind",
                        "kenmerk",
                        "date_sent",
                        "bezwaar_deadline",
                    ),
                ),
            )
            .order_by("round__scheme__name", "round__opens_at", "reference")
        )

    @staticmethod
    def _decision(application):
        # Four columns read the same prefetched decision; look it up once per row.
        if not hasattr(application, "_export_decision"):
            decisions = application.decisions.all()
            application._export_decision = decisions[0] if decisions else None
        return application._export_decision

    def dehydrate_buurten(self, application):
        return ", ".join(buurt.name for buurt in application.buurten.all())

    def dehydrate_decision_kind(self, application):
        decision = self._decision(application)
        return decision.get_kind_display() if decision else ""

    def dehydrate_decision_kenmerk(self, application):
        decision = self._decision(application)
        return decision.kenmerk if decision else ""

    def dehydrate_decision_sent(self, application):
        decision = self._decision(application)
        return decision.date_sent if decision else None

    def dehydrate_bezwaar_deadline(self, application):
        decision = self._decision(application)
        return decision.bezwaar_deadline if decision else None

    def chunk_related(self, ids):
        decisions = {}
        for application_id, *decision in (
            for_ids(Decision.objects.all(), ids)
            .order_by("application_id", "-date_sent", "-pk")
            .values_list(
                "application_id", "kind", "kenmerk", "date_sent", "bezwaar_deadline"
            )
        ):
            decisions.setdefault(application_id, decision)
        return {"buurten": buurten_by_application(ids), "decisions": decisions}

    def value_buurten(self, values, related):
        return related["buurten"].get(values["pk"], "")

    def value_decision_kind(self, values, related):
        decision = related["decisions"].get(values["pk"])
        return _decision_kind_label(decision[0]) if decision else ""

    def value_decision_kenmerk(self, values, related):
        decision = related["decisions"].get(values["pk"])
        return decision[1] if decision else ""

    def value_decision_sent(self, values, related):
        decision = related["decisions"].get(values["pk"])
        return decision[2] if decision else None

    def value_bezwaar_deadline(self, values, related):
        decision = related["decisions"].get(values["pk"])
        return decision[3] if decision else None

    # The file in one pass per row, as ``OpenDataResource.raw_rows``: the general path
    # builds a dict per row and calls a ``value_`` method per computed cell (five a
    # row, four of them looking up the same beschikking); this loop over
    # ``values_list`` tuples gives the same row by the same rules. Only for the
    # declared columns in their declared order: a resource that changes them gets the
    # general path. test_export_values holds both to the model-instance rows.
    ROW_COLUMNS = (
        "reference",
        "title",
        "applicant",
        "wijk",
        "buurten",
        "scheme",
        "round",
        "status",
        "requested",
        "awarded",
        "impact_score",
        "rank",
        "decided",
        "decision_kind",
        "decision_kenmerk",
        "decision_sent",
        "bezwaar_deadline",
    )

    def raw_rows(self, queryset, *, chunk_size=VALUES_CHUNK):
        if not self.declares(self.ROW_COLUMNS):
            yield from super().raw_rows(queryset, chunk_size=chunk_size)
            return
        values = (
            queryset.prefetch_related(None)
            # The plain columns in their declared order (ROW_COLUMNS vouches for it),
            # after the key: "buurten" and the four decision columns are computed.
            .values_list(*self.value_lookups())
            .iterator(chunk_size=chunk_size)
        )
        # ``_decision_kind_label`` for the kinds there are, once per file.
        labels = {kind: str(label) for kind, label in DecisionKind.choices}
        while chunk := list(islice(values, chunk_size)):
            related = self.chunk_related([row[0] for row in chunk])
            buurten, decisions = related["buurten"], related["decisions"]
            for row in chunk:
                pk = row[0]
                decision = decisions.get(pk)
                if decision:
                    kind, kenmerk, sent, deadline = decision
                    decision = (labels.get(kind, kind), kenmerk, sent, deadline)
                else:
                    decision = ("", "", None, None)
                yield [*row[1:5], buurten.get(pk, ""), *row[5:], *decision]


def _decision_kind_label(kind):
    """As ``Decision.get_kind_display``: the label, or the stored word if unknown."""
    labels = dict(DecisionKind.choices)
    return str(labels[kind]) if kind in labels else kind


class ApplicationResource(OverviewResource):
    kind = ExportKind.APPLICATIONS
    period_field = "submitted_at"

    reference = text("reference", "Kenmerk aanvraag")
    title = text("title", "Initiatief")
    applicant = text("applicant__name", "Aanvrager")
    applicant_kind = text("applicant__kind", "Soort aanvrager")
    kvk = text("applicant__kvk_number", "KvK-nummer")
    wijk = text("wijk__name", "Wijk")
    buurten = computed("Buurten")
    scheme = text("round__scheme__name", "Regeling")
    round = text("round__name", "Ronde")
    status = text("status", "Status")
    submitted = day("submitted_at", "Ingediend op")
    complete = day("complete_at", "Compleet op")
    due = day("decision_due_at", "Uiterste beslisdatum")
    decided = day("decided_at", "Besluitdatum")
    requested = money("requested_cents", "Gevraagd bedrag (euro)")
    proposed = money("proposed_cents", "Voorgesteld bedrag (euro)")
    awarded = money("awarded_cents", "Toegekend bedrag (euro)")
    impact_score = number("impact_score", "Impactscore", DecimalWidget())
    rank = number("rank", "Rangnummer")
    outcome = text("allocation_outcome", "Uitkomst verdeling")

    def base_queryset(self):
        return (
            Application.objects.filter(status__in=SUBMITTED_STATES)
            .select_related("applicant", "wijk", "round__scheme")
            .only(
                *APPLICATION_COLUMNS,
                "submitted_at",
                "complete_at",
                "decision_due_at",
                "proposed_cents",
                "allocation_outcome",
                "applicant__kind",
                "applicant__kvk_number",
            )
            .prefetch_related(_buurten_prefetch())
            .order_by("round__scheme__name", "round__opens_at", "reference")
        )

    def dehydrate_buurten(self, application):
        return ", ".join(buurt.name for buurt in application.buurten.all())

    def chunk_related(self, ids):
        return {"buurten": buurten_by_application(ids)}

    def value_buurten(self, values, related):
        return related["buurten"].get(values["pk"], "")


class ScoreResource(OverviewResource):
    kind = ExportKind.SCORES
    period_field = "assessment__application__submitted_at"
    application_prefix = "assessment__application__"

    reference = text("assessment__application__reference", "Kenmerk aanvraag")
    title = text("assessment__application__title", "Initiatief")
    scheme = text("assessment__application__round__scheme__name", "Regeling")
    round = text("assessment__application__round__name", "Ronde")
    wijk = text("assessment__application__wijk__name", "Wijk")
    status = text("assessment__application__status", "Status")
    assessor = computed("Beoordelaar")
    rubric_version = number("criterion__rubric__version", "Versie matrix")
    criterion_code = text("criterion__code", "Criterium (code)")
    criterion = text("criterion__name", "Criterium")
    weight = number("criterion__weight", "Gewicht")
    knockout = computed("Knock-out")
    score = number("score", "Score")
    motivation = text("motivation", "Motivering")
    submitted = day("assessment__submitted_at", "Scores ingediend op")

    def base_queryset(self):
        return (
            Score.objects.filter(
                assessment__submitted_at__isnull=False, assessment__conflict=False
            )
            .select_related(
                "assessment__application__round__scheme",
                "assessment__application__wijk",
                "assessment__assessor",
                "criterion__rubric",
            )
            .order_by(
                "assessment__application__reference",
                "assessment__assessor__email",
                "criterion__sort_order",
                "criterion_id",
            )
        )

    def dehydrate_assessor(self, score):
        return str(score.assessment.assessor)

    def dehydrate_knockout(self, score):
        return "ja" if score.criterion.knockout else "nee"

    value_lookups_extra = (
        "assessment__assessor__first_name",
        "assessment__assessor__last_name",
        "assessment__assessor__email",
        "criterion__knockout",
    )

    def value_assessor(self, values, related):
        # ``str(user)``: the full name, else the e-mail address.
        full_name = (
            f"{values['assessment__assessor__first_name']} "
            f"{values['assessment__assessor__last_name']}"
        ).strip()
        return full_name or values["assessment__assessor__email"]

    def value_knockout(self, values, related):
        return "ja" if values["criterion__knockout"] else "nee"


class FixingResource(OverviewResource):
    """Every award after its verlening: what was granted, what is (or will be) fixed,
    the money paid and paid back, and the dates of the settlement.

    *Verschil* is verleend minus vastgesteld, empty until the vaststelling; a
    subsidie ingetrokken counts as vastgesteld at 0 (``Application.revoke``). The period
    filter applies to the date of the vaststelling."""

    kind = ExportKind.FIXINGS
    period_field = "fixed_at"
    statuses = GRANTED_STATES

    reference = text("reference", "Kenmerk aanvraag")
    title = text("title", "Initiatief")
    applicant = text("applicant__name", "Aanvrager")
    wijk = text("wijk__name", "Wijk")
    scheme = text("round__scheme__name", "Regeling")
    round = text("round__name", "Ronde")
    status = text("status", "Status")
    settlement = text("settlement", "Route vaststelling")
    awarded = money("awarded_cents", "Verleend bedrag (euro)")
    fixed = money("fixed_cents", "Vastgesteld bedrag (euro)")
    difference = computed("Verschil (euro)", MoneyWidget())
    paid = money("paid_cents", "Betaald (euro)")
    repaid = money("repaid_cents", "Terugbetaald (euro)")
    decided = day("decided_at", "Datum verlening")
    activity_end = day("activity_end", "Einde activiteiten")
    report_due = day("report_due_on", "Verantwoording uiterlijk")
    report_received = day("report_submitted_at", "Verantwoording ontvangen op")
    fixing_due = day("fixing_due_on", "Vaststelling uiterlijk")
    fixed_at = day("fixed_at", "Vastgesteld op")
    reclaim_limit = day("reclaim_limit_on", "Terugvorderen kan tot en met")

    def base_queryset(self):
        return (
            Application.objects.filter(status__in=GRANTED_STATES)
            .select_related("applicant", "wijk", "round__scheme")
            .order_by("round__scheme__name", "round__opens_at", "reference")
        )

    @staticmethod
    def _difference(awarded_cents, fixed_cents):
        if fixed_cents is None:
            return None
        return MoneyWidget().render((awarded_cents or 0) - fixed_cents)

    def dehydrate_difference(self, application):
        return self._difference(application.awarded_cents, application.fixed_cents)

    value_lookups_extra = ("awarded_cents", "fixed_cents")

    def value_difference(self, values, related):
        return self._difference(values["awarded_cents"], values["fixed_cents"])


RESOURCES = {
    ExportKind.AWARDS: AwardOverviewResource,
    ExportKind.APPLICATIONS: ApplicationResource,
    ExportKind.SCORES: ScoreResource,
    ExportKind.FIXINGS: FixingResource,
}

# The payments ledger's overview lives beside the ledger's models; it registers here.
from .payments import PaymentResource  # noqa: E402

RESOURCES[ExportKind.PAYMENTS] = PaymentResource

# So does the overview of the bezwaren (``beoordeling.overviews.exports.objections``).
from .objections import ObjectionResource  # noqa: E402

RESOURCES[ExportKind.OBJECTIONS] = ObjectionResource
