"""The payments ledger as an overview: every payment instruction, with the filters.

One row per ``PaymentInstruction`` (voorschot, betaling, terugvordering) with its
amount, status, due and paid date, how it was marked paid, and the batch it went out
in (the live one, else the last). The kind and the status are the stored Dutch words
(``voorschot``, ``betaald``), as the status of an application is in every export. The
filters (regeling, ronde, wijk, status of the application) reach the instruction's
application; the period is the instruction's due date. No IBAN or account holder:
those are in the batch file for the financial system, not in an overview.
"""

from beoordeling.models import ExportKind, PaymentBatchItem, PaymentInstruction
from subsidies.workflow import GRANTED_STATES

from .resources import OverviewResource, computed, day, for_ids, money, text
from .widgets import LocalDateWidget


class PaymentResource(OverviewResource):
    kind = ExportKind.PAYMENTS
    period_field = "due_on"
    period_is_date = True
    application_prefix = "application__"
    statuses = GRANTED_STATES

    end_to_end_id = text("end_to_end_id", "Betalingskenmerk")
    payment_kind = text("kind", "Soort")
    reference = text("application__reference", "Kenmerk aanvraag")
    title = text("application__title", "Initiatief")
    applicant = text("application__applicant__name", "Aanvrager")
    wijk = text("application__wijk__name", "Wijk")
    scheme = text("application__round__scheme__name", "Regeling")
    round = text("application__round__name", "Ronde")
    amount = money("amount_cents", "Bedrag (euro)")
    due_on = day("due_on", "Uiterlijk op")
    payment_status = text("status", "Status betaling")
    paid_on = day("paid_on", "Betaald op")
    source = text("source", "Geregistreerd via")
    batch = computed("Betaalbatch")
    execution_date = computed("Uitvoeringsdatum batch", LocalDateWidget())

    def base_queryset(self):
        return (
            PaymentInstruction.objects.select_related(
                "application__applicant",
                "application__wijk",
                "application__round__scheme",
            )
            .prefetch_related("batch_items__batch")
            .order_by("due_on", "end_to_end_id")
        )

    @staticmethod
    def _batch_of(items):
        """(reference, execution date) of the live batch item, else the newest one;
        ``items`` are (live, batch id, execution date) newest first."""
        live = [item for item in items if item[0]]
        chosen = (live or items or [None])[0]
        if chosen is None:
            return "", None
        return f"BB-{chosen[1]:05d}", chosen[2]

    def _batch_items(self, instruction):
        if not hasattr(instruction, "_export_batch"):
            items = sorted(instruction.batch_items.all(), key=lambda item: -item.pk)
            instruction._export_batch = self._batch_of(
                [(i.live, i.batch_id, i.batch.execution_date) for i in items]
            )
        return instruction._export_batch

    def dehydrate_batch(self, instruction):
        return self._batch_items(instruction)[0]

    def dehydrate_execution_date(self, instruction):
        return self._batch_items(instruction)[1]

    def chunk_related(self, ids):
        items = {}
        for instruction_id, live, batch_id, execution_date in (
            for_ids(PaymentBatchItem.objects.all(), ids, "instruction_id")
            .order_by("instruction_id", "-pk")
            .values_list("instruction_id", "live", "batch_id", "batch__execution_date")
        ):
            items.setdefault(instruction_id, []).append(
                (live, batch_id, execution_date)
            )
        return {key: self._batch_of(value) for key, value in items.items()}

    def value_batch(self, values, related):
        return related.get(values["pk"], ("", None))[0]

    def value_execution_date(self, values, related):
        return related.get(values["pk"], ("", None))[1]
