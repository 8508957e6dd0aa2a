"""Check an uploaded file (dry run), confirm it (one transaction), keep the record.

``import_check`` stores the upload in the ``private`` storage as an ``ImportRecord`` and
runs the import as a dry run; ``import_confirm`` reads the very same stored file again
(its SHA-256 must still match) and imports it for real, or, when any row fails, writes
nothing and records the errors. Services take keyword arguments, never a request.
"""

import hashlib
import uuid
from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export.results import RowResult

from beoordeling.models import ImportKind, ImportRecord
from subsidies.models import CeilingExceeded

from .reading import ImportFileError, read_sheet
from .resources import RESOURCES

PREVIEW_ROWS = 500


@dataclass(frozen=True)
class RowError:
    line: int | None
    column: str
    message: str

    def as_json(self):
        return {"regel": self.line, "kolom": self.column, "fout": self.message}


@dataclass
class ImportOutcome:
    rows: int = 0
    summary: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    preview: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


ACTIONS = {
    RowResult.IMPORT_TYPE_NEW: "nieuw",
    RowResult.IMPORT_TYPE_UPDATE: "gewijzigd",
    RowResult.IMPORT_TYPE_SKIP: "ongewijzigd",
}


def _errors(result, sheet):
    errors = []
    for error in result.base_errors:
        message = (
            str(error.error)
            if isinstance(error.error, ImportFileError | CeilingExceeded)
            else _("Onverwachte fout: %(error)s") % {"error": error.error}
        )
        errors.append(RowError(line=None, column="", message=message))
    for invalid in result.invalid_rows:
        line = sheet.line(invalid.number)
        for column, messages in invalid.field_specific_errors.items():
            for message in messages:
                errors.append(RowError(line=line, column=column, message=message))
        for message in invalid.non_field_specific_errors:
            errors.append(RowError(line=line, column="", message=message))
    for number, row_errors in result.row_errors():
        for error in row_errors:
            errors.append(
                RowError(
                    line=sheet.line(number),
                    column="",
                    message=_("Onverwachte fout: %(error)s") % {"error": error.error},
                )
            )
    return sorted(errors, key=lambda e: (e.line or 0, e.column))


def _euros(cents):
    euros, rest = divmod(int(cents), 100)
    return f"{euros}.{rest:02d}"


def _preview_row(kind, row_result, line):
    instance = row_result.instance
    action = ACTIONS.get(row_result.import_type, "fout")
    if instance is None:
        return {"regel": line, "actie": action}
    if kind == ImportKind.HISTORY:
        return {
            "regel": line,
            "actie": action,
            "kenmerk": instance.reference,
            "initiatief": instance.title,
            "aanvrager": instance.applicant.name,
            "nieuwe_aanvrager": getattr(instance, "import_new_applicant", False),
            "regeling": instance.round.scheme.name,
            "ronde": instance.round.name,
            "wijk": instance.wijk.name,
            "status": instance.status,
            "gevraagd": _euros(instance.requested_cents),
            "toegekend": _euros(instance.awarded_cents or 0),
            "besluitdatum": timezone.localdate(instance.decided_at).isoformat(),
        }
    return {
        "regel": line,
        "actie": action,
        "wijk": instance.wijk.name,
        "buurt": instance.name,
        "cbs_code": instance.code,
    }


def import_run(*, kind, content, filename, user, dry_run):
    """Run an import of ``content``; with ``dry_run`` nothing stays in the database.

    Without ``dry_run`` the rows are written in one transaction, and only when every
    row is valid.
    """
    kind = ImportKind(kind)
    try:
        sheet = read_sheet(content=content, filename=filename)
    except ImportFileError as error:
        return ImportOutcome(
            errors=[RowError(line=None, column="", message=str(error))]
        )
    resource = RESOURCES[kind](user=user, source_name=filename, sheet=sheet)
    try:
        resource.check_columns(sheet.dataset.headers)
    except ImportFileError as error:
        return ImportOutcome(
            rows=len(sheet.dataset),
            errors=[RowError(line=1, column="", message=str(error))],
        )
    result = resource.import_data(
        sheet.dataset,
        dry_run=dry_run,
        use_transactions=True,
        rollback_on_validation_errors=True,
        raise_errors=False,
    )
    errors = _errors(result, sheet)
    counts = {"nieuw": 0, "gewijzigd": 0, "ongewijzigd": 0}
    preview = []
    new_applicants = set()
    for row_result in result.rows:
        action = ACTIONS.get(row_result.import_type)
        if action is None:
            continue
        counts[action] += 1
        instance = row_result.instance
        if getattr(instance, "import_new_applicant", False):
            new_applicants.add(instance.applicant.name.lower())
        if len(preview) < PREVIEW_ROWS:
            line = sheet.line(getattr(row_result, "number", None))
            preview.append(_preview_row(kind, row_result, line))
    counts["fouten"] = len(errors)
    if kind == ImportKind.HISTORY:
        counts["nieuwe aanvragers"] = len(new_applicants)
    return ImportOutcome(
        rows=len(sheet.dataset), summary=counts, errors=errors, preview=preview
    )


def _apply(record, outcome, *, at):
    record.row_count = outcome.rows
    record.summary = outcome.summary
    record.errors = [error.as_json() for error in outcome.errors]
    record.preview = outcome.preview
    record.checked_at = at


def import_check(*, kind, content, filename, user):
    """Keep the uploaded file and run the import as a dry run. Returns the record."""
    kind = ImportKind(kind)
    now = timezone.now()
    suffix = PurePath(filename).suffix.lower()
    outcome = import_run(
        kind=kind, content=content, filename=filename, user=user, dry_run=True
    )
    record = ImportRecord(
        kind=kind,
        original_name=PurePath(filename).name[:200],
        format=suffix.lstrip(".")[:8],
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        uploaded_by=user,
        uploaded_at=now,
        checked_at=now,
        status=(
            ImportRecord.Status.CHECKED if outcome.ok else ImportRecord.Status.INVALID
        ),
    )
    _apply(record, outcome, at=now)
    record.file.save(f"{uuid.uuid4().hex}{suffix}", ContentFile(content), save=False)
    record.save()
    return record


class ImportNotAllowed(Exception):
    """The record cannot be imported (now); the message is for the user, in Dutch."""


def import_confirm(*, record, user):
    """Import the stored file of ``record`` for real, all rows or none.

    The same file is read again and every row checked again, because the database may
    have changed since the dry run. Returns the record with its new status.
    """
    with transaction.atomic():
        record = ImportRecord.objects.select_for_update().get(pk=record.pk)
        if not record.may_confirm:
            raise ImportNotAllowed(
                _("Dit bestand is al ingelezen of had fouten; upload het opnieuw.")
            )
        with record.file.open("rb") as stored:
            content = stored.read()
        if hashlib.sha256(content).hexdigest() != record.sha256:
            raise ImportNotAllowed(
                _(
                    "Het bewaarde bestand is veranderd sinds de controle; upload het opnieuw."
                )
            )
        now = timezone.now()
        outcome = import_run(
            kind=record.kind,
            content=content,
            filename=record.original_name,
            user=user,
            dry_run=False,
        )
        _apply(record, outcome, at=now)
        if outcome.ok:
            record.status = ImportRecord.Status.IMPORTED
            record.imported_by = user
            record.imported_at = now
        else:
            record.status = ImportRecord.Status.INVALID
        record.save()
    return record
