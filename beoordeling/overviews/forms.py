"""Forms of the overview screens: list filters, the export request, the dashboard
filters, the import upload and the public open-data filters.

Each filter form turns its cleaned data into ``ExportFilters``, so a list on screen,
its export and the log describe the same selection.
"""

from pathlib import PurePath

from django import forms
from django.utils.translation import gettext_lazy as _

from subsidies.forms.fields import ChoiceFromListField
from subsidies.models import Round, Scheme, Wijk

from ..models import ExportFormat, ImportKind
from .exports.filters import ExportFilters

MAX_IMPORT_BYTES = 5 * 1024 * 1024
IMPORT_SUFFIXES = (".xlsx", ".csv")
UTRECHT_SELECT = "utrecht-select utrecht-select--html-select"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class OverviewFilterForm(forms.Form):
    regeling = ChoiceFromListField(
        Scheme.objects.order_by("name"),
        required=False,
        label=_("Regeling"),
        empty_label=_("Alle regelingen"),
    )
    ronde = ChoiceFromListField(
        Round.objects.select_related("scheme").order_by("scheme__name", "-opens_at"),
        required=False,
        label=_("Ronde"),
        empty_label=_("Alle rondes"),
    )
    wijk = ChoiceFromListField(
        Wijk.objects.order_by("sort_order", "name"),
        required=False,
        label=_("Wijk"),
        empty_label=_("Alle wijken"),
    )
    status = forms.ChoiceField(required=False, label=_("Status"))
    van = forms.DateField(required=False, label=_("Van"), widget=DateInput())
    tot = forms.DateField(required=False, label=_("Tot en met"), widget=DateInput())

    def __init__(self, *args, statuses=(), period_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Alle statussen"))] + [
            (status.value, status.label) for status in statuses
        ]
        if period_label:
            self.fields["van"].label = _("%(period)s vanaf") % {"period": period_label}
            self.fields["tot"].label = _("%(period)s tot en met") % {
                "period": period_label
            }

    def clean(self):
        cleaned = super().clean()
        scheme, round_ = cleaned.get("regeling"), cleaned.get("ronde")
        if scheme and round_ and round_.scheme_id != scheme.pk:
            self.add_error("ronde", _("Deze ronde hoort niet bij de gekozen regeling."))
        start, end = cleaned.get("van"), cleaned.get("tot")
        if start and end and start > end:
            self.add_error("tot", _("De einddatum ligt voor de begindatum."))
        return cleaned

    def filters(self):
        data = self.cleaned_data
        return ExportFilters(
            scheme_id=data["regeling"].pk if data.get("regeling") else None,
            round_id=data["ronde"].pk if data.get("ronde") else None,
            wijk_id=data["wijk"].pk if data.get("wijk") else None,
            status=data.get("status") or "",
            date_from=data.get("van"),
            date_to=data.get("tot"),
        )


#: CSV for Dutch Excel: ``;``, a byte order mark and a decimal comma.
CSV_EXCEL_NL = "csv-excel"


class ExportRequestForm(OverviewFilterForm):
    formaat = forms.ChoiceField(
        choices=[
            *ExportFormat.choices,
            (CSV_EXCEL_NL, _("CSV voor Nederlandse Excel (puntkomma)")),
        ],
        label=_("Formaat"),
    )

    def format_and_variant(self):
        """``(ExportFormat value, excel_nl)`` for the chosen format."""
        chosen = self.cleaned_data["formaat"]
        if chosen == CSV_EXCEL_NL:
            return ExportFormat.CSV.value, True
        return chosen, False


class DashboardFilterForm(forms.Form):
    regeling = OverviewFilterForm.base_fields["regeling"]
    ronde = OverviewFilterForm.base_fields["ronde"]
    wijk = OverviewFilterForm.base_fields["wijk"]
    jaar = forms.IntegerField(
        required=False, min_value=2000, max_value=2100, label=_("Jaar (opening ronde)")
    )


class ImportUploadForm(forms.Form):
    soort = forms.ChoiceField(choices=ImportKind.choices, label=_("Wat importeert u?"))
    bestand = forms.FileField(
        label=_("Bestand"),
        help_text=_("Een Excel-bestand (.xlsx) of CSV-bestand (.csv), hoogstens 5 MB."),
    )

    def clean_bestand(self):
        upload = self.cleaned_data["bestand"]
        if PurePath(upload.name).suffix.lower() not in IMPORT_SUFFIXES:
            raise forms.ValidationError(
                _("Kies een Excel-bestand (.xlsx) of een CSV-bestand (.csv).")
            )
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("Dit bestand is groter dan 5 MB."))
        return upload


class ImportedApplicantChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        kvk = obj.kvk_number or _("geen KvK-nummer")
        return f"{obj.name} ({kvk})"


class HistoryLinkForm(forms.Form):
    """A Beheerder links an imported applicant's history to a portal applicant."""

    aanvrager = ImportedApplicantChoice(
        queryset=None,
        label=_("Aanvrager uit de import"),
        empty_label=_("Kies een aanvrager"),
        error_messages={"required": _("Kies de aanvrager uit de import.")},
    )
    kenmerk = forms.CharField(
        max_length=20,
        label=_("Kenmerk van een aanvraag in het portaal"),
        help_text=_(
            "Een aanvraag van de organisatie in het portaal, bijvoorbeeld "
            "IF-2026-0042. Wie die aanvraag mag zien, ziet daarna ook de historie."
        ),
        error_messages={"required": _("Vul het kenmerk in.")},
    )
    motivering = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        label=_("Motivering"),
        help_text=_(
            "Waarom is dit dezelfde organisatie, en hoe heeft u dat nagegaan? Dit komt "
            "in het logboek en is te zien voor de beoordelaars."
        ),
        error_messages={"required": _("Schrijf op waarom u koppelt.")},
    )

    def __init__(self, *args, applicants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aanvrager"].queryset = applicants


class OpenDataFilterForm(forms.Form):
    """The public filters: year, scheme (by slug) and wijk (by code)."""

    jaar = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        label=_("Jaar"),
        widget=forms.Select(attrs={"class": UTRECHT_SELECT}),
    )
    regeling = forms.ChoiceField(
        required=False,
        label=_("Regeling"),
        widget=forms.Select(attrs={"class": UTRECHT_SELECT}),
    )
    wijk = forms.ChoiceField(
        required=False,
        label=_("Wijk"),
        widget=forms.Select(attrs={"class": UTRECHT_SELECT}),
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jaar"].choices = [("", _("Alle jaren"))] + [
            (str(year), str(year)) for year in years
        ]
        self.schemes = {s.slug: s for s in Scheme.objects.order_by("name")}
        self.fields["regeling"].choices = [("", _("Alle regelingen"))] + [
            (slug, scheme.name) for slug, scheme in self.schemes.items()
        ]
        self.wijken = {w.code: w for w in Wijk.objects.order_by("sort_order", "name")}
        self.fields["wijk"].choices = [("", _("Alle wijken"))] + [
            (code, wijk.name) for code, wijk in self.wijken.items()
        ]

    def choices(self):
        """(year, scheme id, wijk id) of a valid form; nothing chosen is ``None``."""
        data = self.cleaned_data
        scheme = self.schemes.get(data.get("regeling") or "")
        wijk = self.wijken.get(data.get("wijk") or "")
        return (
            data.get("jaar"),
            scheme.pk if scheme else None,
            wijk.pk if wijk else None,
        )
