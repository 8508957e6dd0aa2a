"""Widgets that turn a cell of an import into a value, or a Dutch error."""

import re

from django.utils.translation import gettext as _
from import_export import widgets

from subsidies.models import Wijk

from ..exports.widgets import CENT, DecimalWidget, TextWidget

REFERENCE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/._-]{0,19}$")
CBS_CODE_RE = re.compile(r"^BU\d{8}$")


class RequiredTextWidget(TextWidget):
    def __init__(self, *, max_length):
        super().__init__()
        self.max_length = max_length

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row=row, **kwargs)
        if not text:
            raise ValueError(_("Dit veld is leeg."))
        if len(text) > self.max_length:
            raise ValueError(
                _("Dit is te lang: hoogstens %(max)s tekens.")
                % {"max": self.max_length}
            )
        return text


class ReferenceWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row=row, **kwargs)
        if not text:
            raise ValueError(_("Vul het kenmerk in."))
        if not REFERENCE_RE.match(text):
            raise ValueError(
                _(
                    "'%(value)s' is geen geldig kenmerk: letters, cijfers en - / . _, "
                    "zonder spaties, hoogstens 20 tekens."
                )
                % {"value": text}
            )
        return text


class WijkWidget(widgets.Widget):
    """A wijk by its code (``zuidwest``) or its name (``Zuidwest``)."""

    def __init__(self):
        super().__init__(coerce_to_string=False)
        self._wijken = None

    def _lookup(self):
        if self._wijken is None:
            self._wijken = {}
            for wijk in Wijk.objects.all():
                self._wijken[wijk.code.lower()] = wijk
                self._wijken[wijk.name.lower()] = wijk
        return self._wijken

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            raise ValueError(_("Vul de wijk in."))
        wijk = self._lookup().get(text.lower())
        if wijk is None:
            codes = ", ".join(sorted(Wijk.objects.values_list("code", flat=True)))
            raise ValueError(
                _("Onbekende wijk '%(value)s'. Bekende wijken: %(codes)s.")
                % {"value": text, "codes": codes}
            )
        return wijk


class ScoreWidget(DecimalWidget):
    def clean(self, value, row=None, **kwargs):
        score = super().clean(value, row=row, **kwargs)
        if score is not None and not (0 <= score <= 100):
            raise ValueError(_("Een impactscore ligt tussen 0 en 100."))
        if score is not None and score != score.quantize(CENT):
            raise ValueError(_("Een impactscore heeft hoogstens twee decimalen."))
        return score


class CbsCodeWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row=row, **kwargs).upper()
        if text and not CBS_CODE_RE.match(text):
            raise ValueError(
                _(
                    "'%(value)s' is geen CBS-buurtcode: BU gevolgd door 8 cijfers, "
                    "bijvoorbeeld BU03440000."
                )
                % {"value": text}
            )
        return text
