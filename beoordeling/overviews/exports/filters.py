"""The filters of an overview: regeling, ronde, wijk, status and a period.

The same filters narrow the list on screen, the file, a background job and a command,
so what an administrator sees is what the file holds. They travel as JSON (ids, the
status value and ISO dates) and are described in Dutch words for the export log, as
they read at the moment of the export.

The period applies to the date that matters for the overview: the decision date for
the award overview and open data, the date of submission for applications and scores,
the vaststelling for the vaststellingen, the due date for payments (``period_field`` of
each resource).
"""

from dataclasses import asdict, dataclass
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _

from subsidies.models import Round, Scheme, Wijk
from subsidies.workflow import Status


@dataclass(frozen=True)
class ExportFilters:
    scheme_id: int | None = None
    round_id: int | None = None
    wijk_id: int | None = None
    status: str = ""
    date_from: date | None = None
    date_to: date | None = None

    @classmethod
    def from_json(cls, data):
        data = data or {}

        def day(key):
            value = data.get(key)
            return date.fromisoformat(value) if value else None

        def number(key):
            value = data.get(key)
            return int(value) if value not in (None, "") else None

        return cls(
            scheme_id=number("scheme_id"),
            round_id=number("round_id"),
            wijk_id=number("wijk_id"),
            status=data.get("status") or "",
            date_from=day("date_from"),
            date_to=day("date_to"),
        )

    def to_json(self):
        data = {}
        for key, value in asdict(self).items():
            if value in (None, ""):
                continue
            data[key] = value.isoformat() if isinstance(value, date) else value
        return data

    def q(self, *, prefix="", period_field, period_is_date=False):
        """The filters as a ``Q`` on applications, reached through ``prefix``; the
        period on ``period_field``, a moment (its local date) or a date."""
        period = period_field if period_is_date else f"{period_field}__date"
        q = Q()
        if self.scheme_id:
            q &= Q(**{f"{prefix}round__scheme_id": self.scheme_id})
        if self.round_id:
            q &= Q(**{f"{prefix}round_id": self.round_id})
        if self.wijk_id:
            q &= Q(**{f"{prefix}wijk_id": self.wijk_id})
        if self.status:
            q &= Q(**{f"{prefix}status": self.status})
        if self.date_from:
            q &= Q(**{f"{period}__gte": self.date_from})
        if self.date_to:
            q &= Q(**{f"{period}__lte": self.date_to})
        return q

    def describe(self):
        """The filters in Dutch, as they read now (names can change later)."""
        parts = []
        if self.scheme_id:
            scheme = Scheme.objects.filter(pk=self.scheme_id).first()
            parts.append(
                _("regeling: %(name)s")
                % {"name": scheme.name if scheme else self.scheme_id}
            )
        if self.round_id:
            round_ = Round.objects.select_related("scheme").filter(pk=self.round_id)
            round_ = round_.first()
            parts.append(
                _("ronde: %(name)s")
                % {"name": str(round_) if round_ else self.round_id}
            )
        if self.wijk_id:
            wijk = Wijk.objects.filter(pk=self.wijk_id).first()
            parts.append(
                _("wijk: %(name)s") % {"name": wijk.name if wijk else self.wijk_id}
            )
        if self.status:
            label = Status(self.status).label if self.status in Status.values else ""
            parts.append(_("status: %(status)s") % {"status": label or self.status})
        if self.date_from:
            parts.append(_("vanaf %(date)s") % {"date": self.date_from.isoformat()})
        if self.date_to:
            parts.append(_("tot en met %(date)s") % {"date": self.date_to.isoformat()})
        return "; ".join(parts) if parts else _("geen filters (alles)")
