"""The public open-data (Woo) pages: no login, no personal data.

``OpenDataView`` shows the awards to organisations with filters for year, scheme and
wijk, and the totals per wijk in which awards to bewonersgroepen are only counted.
``OpenDataDownloadView`` gives the same selection as CSV or JSON. What is published is
decided in ``beoordeling.overviews.opendata``; these views only read it. Downloads of public data
are not written to the export log (see ``docs/decisions.md``).
"""

import io

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from ..models import ExportKind
from . import opendata
from .exports.display import display_row
from .exports.services import export_write
from .exports.writers import CONTENT_TYPES
from .forms import OpenDataFilterForm

PAGE_SIZE = 100
#: The columns on screen; the downloads hold every column of ``OpenDataResource``.
SCREEN_COLUMNS = (
    "Jaar",
    "Regeling",
    "Ontvanger",
    "KvK-nummer ontvanger",
    "Activiteit",
    "Wijk",
    "Verleend bedrag (euro)",
    "Vastgesteld bedrag (euro)",
    "Datum besluit",
)
#: URL format -> (export format, CSV for Dutch Excel).
DOWNLOAD_FORMATS = {
    "csv": ("csv", False),
    "excel.csv": ("csv", True),
    "json": ("json", False),
}


def _form(request):
    return OpenDataFilterForm(request.GET or None, years=opendata.open_data_years())


def _filters(form):
    """The filters of a valid (or empty) form; ``None`` when the form is invalid."""
    if not form.is_bound:
        return opendata.year_filters()
    if not form.is_valid():
        return None
    year, scheme_id, wijk_id = form.choices()
    return opendata.year_filters(year=year, scheme_id=scheme_id, wijk_id=wijk_id)


class OpenDataView(TemplateView):
    template_name = "beoordeling/opendata/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = _form(self.request)
        filters = _filters(form)
        resource = opendata.OpenDataResource()
        if filters is None:
            queryset, totals = resource.base_queryset().none(), []
        else:
            queryset = resource.queryset(filters)
            totals = opendata.open_data_totals(filters)
        page = Paginator(queryset, PAGE_SIZE).get_page(self.request.GET.get("pagina"))
        headers, kinds = resource.headers(), resource.column_kinds()
        shown = [i for i, header in enumerate(headers) if header in SCREEN_COLUMNS]
        query = urlencode(
            [(k, v) for k, v in self.request.GET.items() if k != "pagina" and v]
        )
        context.update(
            {
                "form": form,
                "headers": [headers[i] for i in shown],
                "rows": [
                    [cells[i] for i in shown]
                    for cells in (
                        display_row(resource.row(a), kinds) for a in page.object_list
                    )
                ],
                "legal_bases": opendata.legal_bases(queryset),
                "page": page,
                "totals": totals,
                "min_published_count": opendata.MIN_PUBLISHED_COUNT,
                "query": query,
            }
        )
        return context


class OpenDataDownloadView(View):
    def get(self, request, fmt):
        if fmt not in DOWNLOAD_FORMATS:
            raise Http404
        form = _form(request)
        filters = _filters(form)
        if filters is None:
            return HttpResponseBadRequest(_("Deze filters kloppen niet."))
        export_fmt, excel_nl = DOWNLOAD_FORMATS[fmt]
        buffer = io.BytesIO()
        export_write(
            kind=ExportKind.OPEN_DATA,
            fmt=export_fmt,
            filters=filters,
            out=buffer,
            excel_nl=excel_nl,
        )
        response = HttpResponse(
            buffer.getvalue(), content_type=CONTENT_TYPES[export_fmt]
        )
        year = filters.date_from.year if filters.date_from else "alle-jaren"
        response["Content-Disposition"] = (
            f'attachment; filename="subsidies-gemeente-utrecht-{year}.{fmt}"'
        )
        response["Access-Control-Allow-Origin"] = "*"
        return response
