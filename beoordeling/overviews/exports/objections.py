"""The "Overzicht bezwaren": one row per bezwaar, with the filters of every overview.

Per bezwaar: its reference and state, the application's scheme, round, wijk and
reference, the contested beschikking (soort, kenmerk), when it came in, whether too
late and whether that was excusable, the handler, the ground, the hearing (held,
planned or waived, and the Awb 7:3 ground of a waiver), whether the decision was
deferred, the date to decide by and the date decided, the outcome, the new amount
(remedy), what it cost the round and whether it was decided within the term.

The outcome, hearing and within-term columns follow the rules of
``beoordeling.overviews.objections`` (the dashboard), so the file's rows add up to
the dashboard's figures. Stored words are exported as they are (``gegrond``,
``verdeelregel``, ``7:3b``), as the status of an application is in every export.
The filters (regeling, ronde, wijk, status of the application) reach the bezwaar's
application; the period is the day the bezwaar was received. No name of the objector,
no reasons, no contact details: those stay in the bezwaar's file.
"""

from beoordeling.models import ExportKind, Objection

from ..objections import hearing_key, outcome_key, round_cost, within_term
from .resources import (
    OverviewResource,
    _decision_kind_label,
    computed,
    day,
    money,
    text,
)
from .widgets import LocalDateWidget, MoneyWidget


def _yes_no(value):
    if value is None:
        return ""
    return "ja" if value else "nee"


def _user_label(first_name, last_name, email):
    """``str(user)``: the full name, else the e-mail address (as the scores export)."""
    if email is None:
        return ""
    return f"{first_name} {last_name}".strip() or email


class ObjectionResource(OverviewResource):
    kind = ExportKind.OBJECTIONS
    period_field = "received_on"
    period_is_date = True
    application_prefix = "application__"

    reference = text("reference", "Kenmerk bezwaar")
    state = text("state", "Stand")
    scheme = text("application__round__scheme__name", "Regeling")
    round = text("application__round__name", "Ronde")
    wijk = text("application__wijk__name", "Wijk")
    application = text("application__reference", "Kenmerk aanvraag")
    decision_kind = computed("Soort bestreden besluit")
    decision_kenmerk = text("decision__kenmerk", "Kenmerk bestreden besluit")
    received_on = day("received_on", "Ontvangen op")
    late = computed("Te laat")
    excusable = computed("Verschoonbaar")
    handler = computed("Behandelaar")
    ground = text("ground", "Onderwerp")
    hearing = computed("Hoorzitting")
    hearing_waiver = text("hearing_waiver", "Grond afzien van horen")
    extended = computed("Verdaagd")
    decision_due_on = day("decision_due_on", "Beslissen uiterlijk op")
    decided_on = day("decided_at", "Beslist op")
    outcome = computed("Beslissing")
    remedy = money("remedy_cents", "Nieuw bedrag (euro)")
    cost = computed("Kosten voor de ronde (euro)", MoneyWidget())
    within_term = computed("Binnen de termijn")

    def base_queryset(self):
        return Objection.objects.select_related(
            "application__round__scheme",
            "application__wijk",
            "decision",
            "handler",
        ).order_by("application__round__scheme__name", "received_on", "reference")

    # --- from an instance (the list on screen) -----------------------------------------

    def dehydrate_decision_kind(self, objection):
        return _decision_kind_label(objection.decision.kind)

    def dehydrate_late(self, objection):
        return _yes_no(objection.is_late)

    def dehydrate_excusable(self, objection):
        return _yes_no(objection.excusable)

    def dehydrate_handler(self, objection):
        handler = objection.handler
        if handler is None:
            return ""
        return _user_label(handler.first_name, handler.last_name, handler.email)

    def dehydrate_hearing(self, objection):
        return hearing_key(
            objection.hearing_at, objection.hearing_report, objection.hearing_waiver
        )

    def dehydrate_extended(self, objection):
        return _yes_no(objection.extended_on is not None)

    def dehydrate_outcome(self, objection):
        return outcome_key(objection.state, objection.outcome)

    def dehydrate_cost(self, objection):
        return MoneyWidget().render(
            round_cost(objection.state, objection.outcome, objection.cost_cents)
        )

    def dehydrate_within_term(self, objection):
        decided = LocalDateWidget().render(objection.decided_at)
        return _yes_no(within_term(decided, objection.decision_due_on))

    # --- from values (the file) --------------------------------------------------------

    value_lookups_extra = (
        "decision__kind",
        "is_late",
        "excusable",
        "handler__first_name",
        "handler__last_name",
        "handler__email",
        "hearing_at",
        "hearing_report",
        "hearing_waiver",
        "extended_on",
        "state",
        "outcome",
        "cost_cents",
        "decided_at",
        "decision_due_on",
    )

    def chunk_related(self, ids):
        return {"date": LocalDateWidget().renderer()}

    def value_decision_kind(self, values, related):
        return _decision_kind_label(values["decision__kind"])

    def value_late(self, values, related):
        return _yes_no(values["is_late"])

    def value_excusable(self, values, related):
        return _yes_no(values["excusable"])

    def value_handler(self, values, related):
        return _user_label(
            values["handler__first_name"],
            values["handler__last_name"],
            values["handler__email"],
        )

    def value_hearing(self, values, related):
        return hearing_key(
            values["hearing_at"], values["hearing_report"], values["hearing_waiver"]
        )

    def value_extended(self, values, related):
        return _yes_no(values["extended_on"] is not None)

    def value_outcome(self, values, related):
        return outcome_key(values["state"], values["outcome"])

    def value_cost(self, values, related):
        return MoneyWidget().render(
            round_cost(values["state"], values["outcome"], values["cost_cents"])
        )

    def value_within_term(self, values, related):
        decided = related["date"](values["decided_at"])
        return _yes_no(within_term(decided, values["decision_due_on"]))
