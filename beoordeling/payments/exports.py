"""A payment batch as CSV or XLSX for the financial system (django-import-export).

``BatchResource`` has one row per transfer, with Dutch headers; money leaves as
``Decimal`` euros with two decimals, dates as dates. The files are written by the
overviews' writers (``beoordeling.overviews.exports.writers``), so a name that starts
with ``=`` never becomes a formula (CSV injection) and the XLSX has real number and
date cells. The full IBAN is in it: the financial system pays with it.
"""

from __future__ import annotations

import io

from import_export import fields, resources

from beoordeling.overviews.exports.widgets import (
    LocalDateWidget,
    MoneyWidget,
    TextWidget,
)
from beoordeling.overviews.exports.writers import write_csv, write_xlsx

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _text(attribute, header):
    return fields.Field(attribute=attribute, column_name=header, widget=TextWidget())


class BatchResource(resources.Resource):
    batch = fields.Field(column_name="Batch", widget=TextWidget())
    execution_date = fields.Field(
        column_name="Uitvoeringsdatum", widget=LocalDateWidget()
    )
    end_to_end_id = _text("instruction__end_to_end_id", "Betalingskenmerk")
    kind = fields.Field(column_name="Soort", widget=TextWidget())
    reference = _text("instruction__application__reference", "Kenmerk aanvraag")
    title = _text("instruction__application__title", "Initiatief")
    applicant = _text("instruction__application__applicant__name", "Aanvrager")
    account_holder = _text("account_holder", "Tenaamstelling rekening")
    iban = _text("iban", "IBAN")
    amount = fields.Field(
        attribute="amount_cents", column_name="Bedrag (euro)", widget=MoneyWidget()
    )
    due_on = fields.Field(
        attribute="instruction__due_on",
        column_name="Uiterlijk op",
        widget=LocalDateWidget(),
    )
    vop = fields.Field(column_name="Naamcontrole", widget=TextWidget())

    def dehydrate_batch(self, item):
        return item.batch.reference

    def dehydrate_execution_date(self, item):
        return item.batch.execution_date

    def dehydrate_kind(self, item):
        return item.instruction.kind

    def dehydrate_vop(self, item):
        return item.get_vop_outcome_display()

    def headers(self):
        return [str(f.column_name) for f in self.get_export_fields()]

    def kinds(self):
        kinds = []
        for field in self.get_export_fields():
            if isinstance(field.widget, MoneyWidget):
                kinds.append("money")
            elif isinstance(field.widget, LocalDateWidget):
                kinds.append("date")
            else:
                kinds.append("text")
        return kinds

    def rows(self, items):
        export_fields = self.get_export_fields()
        for item in items:
            yield [self.export_field(field, item) for field in export_fields]


def batch_file(batch, items, file_format) -> bytes:
    """The CSV (RFC 4180) or XLSX of ``items`` of ``batch``."""
    if file_format not in FORMATS:
        raise ValueError(file_format)
    resource = BatchResource()
    out = io.BytesIO()
    writer = write_csv if file_format == "csv" else write_xlsx
    writer(
        out,
        resource.headers(),
        resource.kinds(),
        resource.rows(items),
        sheet_title=batch.reference,
    )
    return out.getvalue()
