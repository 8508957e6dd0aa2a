"""django-import-export resources for historical applications and for buurten.

Each row error is keyed by the column it is about; ``HistoryResource`` never updates an
existing application (history is only added) and logs every application it creates.
"""

import re

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources

from beoordeling.models import ImportKind
from subsidies.models import (
    Applicant,
    ApplicantKind,
    Application,
    Buurt,
    ReferenceCounter,
    Round,
    Scheme,
    TransitionLog,
)
from subsidies.models.applicants import validate_kvk
from subsidies.money import format_euros
from subsidies.rounds import ceiling_guard
from subsidies.workflow import Status

from ..exports.widgets import LocalMomentWidget, MoneyWidget, TextWidget
from .reading import ImportFileError
from .widgets import (
    CbsCodeWidget,
    ReferenceWidget,
    RequiredTextWidget,
    ScoreWidget,
    WijkWidget,
)

IMPORT_TRANSITION = "import"
IMPORT_STATUSES = (Status.AWARDED, Status.REJECTED)
COUNTED_REFERENCE_RE = re.compile(r"^([A-Z]{1,4})-(\d{4})-(\d{1,6})$")

# The column headers: the same words as the award overview, so its export reads back.
REFERENCE = "Kenmerk aanvraag"
SCHEME = "Regeling"
ROUND = "Ronde"
APPLICANT = "Aanvrager"
KVK = "KvK-nummer"
TITLE = "Initiatief"
WIJK = "Wijk"
BUURTEN = "Buurten"
REQUESTED = "Gevraagd bedrag (euro)"
AWARDED = "Toegekend bedrag (euro)"
STATUS = "Status"
DECIDED = "Besluitdatum"
SCORE = "Impactscore"
HISTORY_REQUIRED = (REFERENCE, SCHEME, ROUND, APPLICANT, TITLE, WIJK, REQUESTED)
HISTORY_REQUIRED += (STATUS, DECIDED)
HISTORY_OPTIONAL = (KVK, BUURTEN, AWARDED, SCORE)

WIJK_CODE = "Wijkcode"
BUURT = "Buurt"
CBS_CODE = "CBS-code"
BUURTEN_REQUIRED = (WIJK_CODE, BUURT)
BUURTEN_OPTIONAL = (CBS_CODE,)


class CheckedResource(resources.ModelResource):
    """Row errors keyed by column, required columns checked, row numbers of the file."""

    required_columns = ()
    optional_columns = ()

    def __init__(self, *, user=None, source_name="", sheet=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.source_name = source_name
        self.sheet = sheet

    def column_of(self, attribute):
        for resource_field in self.fields.values():
            if resource_field.attribute == attribute:
                return str(resource_field.column_name)
        return attribute

    def check_columns(self, headers):
        """Raise ``ImportFileError`` when a required column is missing."""
        missing = [c for c in self.required_columns if c not in headers]
        if missing:
            raise ImportFileError(
                _("Deze kolommen ontbreken: %(columns)s. Verwacht: %(expected)s.")
                % {
                    "columns": ", ".join(missing),
                    "expected": ", ".join(
                        self.required_columns + self.optional_columns
                    ),
                }
            )

    def before_import(self, dataset, **kwargs):
        self.check_columns(dataset.headers)

    def after_import_row(self, row, row_result, **kwargs):
        # Keep the row number, so the preview can name the spreadsheet row.
        row_result.number = kwargs.get("row_number")

    def column_errors(self, instance, row, **kwargs):
        """Run the field imports and return ``{column: [messages]}``."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            for attribute, messages in error.message_dict.items():
                errors.setdefault(self.column_of(attribute), []).extend(messages)
        return errors


class HistoryResource(CheckedResource):
    required_columns = HISTORY_REQUIRED
    optional_columns = HISTORY_OPTIONAL

    reference = fields.Field(
        attribute="reference", column_name=REFERENCE, widget=ReferenceWidget()
    )
    title = fields.Field(
        attribute="title", column_name=TITLE, widget=RequiredTextWidget(max_length=200)
    )
    wijk = fields.Field(attribute="wijk", column_name=WIJK, widget=WijkWidget())
    requested_cents = fields.Field(
        attribute="requested_cents",
        column_name=REQUESTED,
        widget=MoneyWidget(required=True),
    )
    awarded_cents = fields.Field(
        attribute="awarded_cents", column_name=AWARDED, widget=MoneyWidget()
    )
    decided_at = fields.Field(
        attribute="decided_at",
        column_name=DECIDED,
        widget=LocalMomentWidget(required=True),
    )
    impact_score = fields.Field(
        attribute="impact_score", column_name=SCORE, widget=ScoreWidget()
    )

    class Meta:
        model = Application
        fields = (
            "reference",
            "title",
            "wijk",
            "requested_cents",
            "awarded_cents",
            "decided_at",
            "impact_score",
        )
        import_id_fields = ("reference",)
        use_transactions = True
        skip_diff = True
        store_instance = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seen_references = {}
        self.rounds = {}
        self.imported_references = []
        #: Per round id: the awards of the rows so far, to keep within the ceiling.
        self.round_awards = {}

    def get_instance(self, instance_loader, row):
        # History is only ever added: an existing reference is an error, never an update.
        return None

    def init_instance(self, row=None):
        # The protected status can be set once, when the object is made; an unknown
        # status makes a concept that is never saved (the row is reported).
        status = str((row or {}).get(STATUS) or "").strip().lower()
        return Application(status=status if status in IMPORT_STATUSES else Status.DRAFT)

    def import_instance(self, instance, row, **kwargs):
        line = self.sheet.line(kwargs.get("row_number")) if self.sheet else None
        errors = self.column_errors(instance, row, **kwargs)

        def add(column, message):
            errors.setdefault(column, []).append(message)

        status = str(row.get(STATUS) or "").strip().lower()
        if status not in IMPORT_STATUSES:
            add(
                STATUS,
                _("'%(value)s' kan niet: de status is 'toegekend' of 'afgewezen'.")
                % {"value": row.get(STATUS) or ""},
            )
        if REFERENCE not in errors:
            earlier = self.seen_references.get(instance.reference.upper())
            if earlier is not None:
                add(
                    REFERENCE,
                    _("Kenmerk %(value)s staat ook op regel %(line)s.")
                    % {"value": instance.reference, "line": earlier},
                )
            elif Application.objects.filter(
                reference__iexact=instance.reference
            ).exists():
                add(
                    REFERENCE,
                    _("Er bestaat al een aanvraag met kenmerk %(value)s.")
                    % {"value": instance.reference},
                )
            self.seen_references.setdefault(instance.reference.upper(), line)
        self._check_round(instance, row, add)
        self._check_amounts(instance, status, errors, add)
        if DECIDED not in errors and instance.decided_at > timezone.now():
            add(DECIDED, _("De besluitdatum ligt in de toekomst."))
        self._check_applicant(instance, row, add)
        if WIJK not in errors:
            self._check_buurten(instance, row, add)
        if errors:
            raise ValidationError(errors)

    def _check_round(self, instance, row, add):
        scheme_text = str(row.get(SCHEME) or "").strip()
        round_text = str(row.get(ROUND) or "").strip()
        if not scheme_text:
            add(SCHEME, _("Vul de regeling in."))
            return
        key = (scheme_text.lower(), round_text.lower())
        if key not in self.rounds:
            scheme = Scheme.objects.filter(name__iexact=scheme_text).first() or (
                Scheme.objects.filter(slug__iexact=scheme_text).first()
            )
            round_ = None
            if scheme is not None and round_text:
                round_ = Round.objects.filter(scheme=scheme, name__iexact=round_text)
                round_ = round_.first()
            self.rounds[key] = (scheme, round_)
        scheme, round_ = self.rounds[key]
        if scheme is None:
            add(SCHEME, _("Onbekende regeling '%(value)s'.") % {"value": scheme_text})
        elif not round_text:
            add(ROUND, _("Vul de ronde in."))
        elif round_ is None:
            add(
                ROUND,
                _(
                    "De regeling %(scheme)s heeft geen ronde '%(value)s'. Maak de ronde "
                    "eerst aan onder Instellingen regelingen > Rondes."
                )
                % {"scheme": scheme.name, "value": round_text},
            )
        elif round_.closes_at > timezone.now():
            # History belongs to rounds that have closed; an award in a round that is
            # open (or still to open) must go through assessment, the verdeelregel,
            # four eyes and a letter.
            add(
                ROUND,
                _(
                    "De ronde %(value)s is nog niet gesloten. Alleen toekenningen uit "
                    "gesloten rondes kunnen worden ingelezen; in een open ronde besluit "
                    "u via Verdelen en besluiten."
                )
                % {"value": round_.name},
            )
        else:
            instance.round = round_

    def _check_amounts(self, instance, status, errors, add):
        if REQUESTED in errors or AWARDED in errors:
            return
        awarded = instance.awarded_cents
        if status == Status.AWARDED:
            if not awarded:
                add(AWARDED, _("Een toegekende aanvraag heeft een toegekend bedrag."))
            elif awarded > instance.requested_cents:
                add(
                    AWARDED,
                    _("Het toegekende bedrag is hoger dan het gevraagde bedrag."),
                )
            elif instance.round_id is not None:
                self._check_award_limits(instance, awarded, add)
        elif status == Status.REJECTED:
            if awarded:
                add(AWARDED, _("Een afgewezen aanvraag heeft geen toegekend bedrag."))
            instance.awarded_cents = 0

    def _check_award_limits(self, instance, awarded, add):
        """The scheme's maximum per application, and the round's ceiling with the
        money already committed (the earlier rows of this file are saved already)."""
        round_ = instance.round
        maximum = round_.scheme.max_amount_cents
        if awarded > maximum:
            add(
                AWARDED,
                _(
                    "Het toegekende bedrag is hoger dan het maximum van de regeling (%(max)s)."
                )
                % {"max": format_euros(maximum)},
            )
            return
        if round_.committed_cents() + awarded > round_.ceiling_cents:
            add(
                AWARDED,
                _(
                    "Met dit bedrag komt ronde %(round)s boven haar subsidieplafond "
                    "van %(ceiling)s."
                )
                % {"round": round_.name, "ceiling": format_euros(round_.ceiling_cents)},
            )
            return
        self.round_awards[round_.pk] = self.round_awards.get(round_.pk, 0) + awarded

    def _check_applicant(self, instance, row, add):
        name = TextWidget().clean(row.get(APPLICANT))
        kvk = TextWidget().clean(row.get(KVK)).replace(" ", "")
        if not name:
            add(APPLICANT, _("Vul de naam van de aanvrager in."))
            return
        if len(name) > 200:
            add(
                APPLICANT, _("Dit is te lang: hoogstens %(max)s tekens.") % {"max": 200}
            )
            return
        # History joins a portal applicant only when an eHerkenning login verified
        # its KvK number (``kvk_verified``): the organisation proved it is that
        # number, and its members (every colleague who logs in with eHerkenning)
        # see the history. Otherwise it joins only applicants the import made (no
        # portal members, or members only through a Beheerder's audited link,
        # ``linking``): a KvK number or a name a resident typed proves nothing, and
        # joining would show them the imported applications and put their text in
        # the open data.
        imported = Applicant.objects.filter(
            Q(members__isnull=True) | Q(history_links__isnull=False)
        ).distinct()
        if kvk:
            try:
                validate_kvk(kvk)
            except ValidationError as error:
                add(KVK, " ".join(error.messages))
                return
            applicant = (
                Applicant.objects.filter(kvk_number=kvk, kvk_verified=True)
                .order_by("pk")
                .first()
            ) or imported.filter(kvk_number=kvk).order_by("pk").first()
        else:
            applicant = (
                imported.filter(name__iexact=name, kvk_number="").order_by("pk").first()
            )
        instance.import_new_applicant = applicant is None
        if applicant is None:
            applicant = Applicant(
                kind=ApplicantKind.ORGANISATION
                if kvk
                else ApplicantKind.INFORMAL_GROUP,
                name=name,
                kvk_number=kvk,
                contact_name="",
                contact_email="",
            )
        instance.applicant = applicant

    def _check_buurten(self, instance, row, add):
        text = TextWidget().clean(row.get(BUURTEN))
        instance.import_buurten = []
        if not text:
            return
        separator = ";" if ";" in text else ","
        names = [name.strip() for name in text.split(separator) if name.strip()]
        known = {b.name.lower(): b for b in Buurt.objects.filter(wijk=instance.wijk)}
        for name in names:
            buurt = known.get(name.lower())
            if buurt is None:
                add(
                    BUURTEN,
                    _("De wijk %(wijk)s heeft geen buurt '%(value)s'.")
                    % {"wijk": instance.wijk.name, "value": name},
                )
            else:
                instance.import_buurten.append(buurt)

    def before_save_instance(self, instance, row, **kwargs):
        if instance.applicant.pk is None:
            instance.applicant.save()
            instance.applicant = instance.applicant

    def after_save_instance(self, instance, row, **kwargs):
        if instance.import_buurten:
            instance.buurten.set(instance.import_buurten)
        line = self.sheet.line(kwargs.get("row_number")) if self.sheet else None
        TransitionLog.objects.create(
            application=instance,
            reference=instance.reference,
            transition=IMPORT_TRANSITION,
            source=instance.status,
            target=instance.status,
            actor=self.user,
            actor_label=self.user.email if self.user is not None else "Import",
            at=timezone.now(),
            reason=_(
                "Overgenomen uit het vorige systeem: bestand %(file)s, regel %(line)s; "
                "daar besloten op %(date)s."
            )
            % {
                "file": self.source_name,
                "line": line,
                "date": timezone.localdate(instance.decided_at).isoformat(),
            },
        )
        self.imported_references.append(instance.reference)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        # The ceiling guard, under each round's lock, over what was really written.
        for round_id in self.round_awards:
            with ceiling_guard(round_id):
                pass
        reference_counters_advance(references=self.imported_references)


def reference_counters_advance(*, references):
    """Move each prefix-and-year counter past the highest imported number."""
    highest = {}
    for reference in references:
        match = COUNTED_REFERENCE_RE.match(reference)
        if match:
            key = (match.group(1), int(match.group(2)))
            highest[key] = max(highest.get(key, 0), int(match.group(3)))
    for (prefix, year), number in highest.items():
        counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(
            prefix=prefix, year=year
        )
        if counter.last_number < number:
            ReferenceCounter.objects.filter(pk=counter.pk).update(last_number=number)


class BuurtResource(CheckedResource):
    required_columns = BUURTEN_REQUIRED
    optional_columns = BUURTEN_OPTIONAL

    wijk = fields.Field(attribute="wijk", column_name=WIJK_CODE, widget=WijkWidget())
    name = fields.Field(
        attribute="name", column_name=BUURT, widget=RequiredTextWidget(max_length=96)
    )
    code = fields.Field(attribute="code", column_name=CBS_CODE, widget=CbsCodeWidget())

    class Meta:
        model = Buurt
        fields = ("wijk", "name", "code")
        import_id_fields = ("wijk", "name")
        use_transactions = True
        skip_unchanged = True
        report_skipped = True
        skip_html_diff = True
        store_instance = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seen_names = {}
        self.seen_codes = {}

    def get_instance(self, instance_loader, row):
        try:
            wijk = WijkWidget().clean(row.get(WIJK_CODE))
            name = RequiredTextWidget(max_length=96).clean(row.get(BUURT))
        except ValueError:
            return None  # import_instance reports it
        return Buurt.objects.filter(wijk=wijk, name__iexact=name).first()

    def import_instance(self, instance, row, **kwargs):
        line = self.sheet.line(kwargs.get("row_number")) if self.sheet else None
        errors = self.column_errors(instance, row, **kwargs)
        if not errors:
            key = (instance.wijk_id, instance.name.lower())
            if key in self.seen_names:
                errors.setdefault(BUURT, []).append(
                    _("Buurt %(name)s in deze wijk staat ook op regel %(line)s.")
                    % {"name": instance.name, "line": self.seen_names[key]}
                )
            self.seen_names.setdefault(key, line)
        if CBS_CODE not in errors and instance.code:
            if instance.code in self.seen_codes:
                errors.setdefault(CBS_CODE, []).append(
                    _("CBS-code %(code)s staat ook op regel %(line)s.")
                    % {"code": instance.code, "line": self.seen_codes[instance.code]}
                )
            else:
                other = Buurt.objects.filter(code=instance.code)
                if instance.pk is not None:
                    other = other.exclude(pk=instance.pk)
                other = other.select_related("wijk").first()
                if other is not None:
                    errors.setdefault(CBS_CODE, []).append(
                        _("CBS-code %(code)s hoort al bij buurt %(buurt)s.")
                        % {"code": instance.code, "buurt": str(other)}
                    )
            self.seen_codes.setdefault(instance.code, line)
        if errors:
            raise ValidationError(errors)


RESOURCES = {ImportKind.HISTORY: HistoryResource, ImportKind.BUURTEN: BuurtResource}
