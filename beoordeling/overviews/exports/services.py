"""Use cases of exports: write a file, log it, run a background job.

Every export that produces a file writes one ``ExportLog`` row: who (or which
command), which overview, the filters (as ids and as words), the format, when and how
many rows. A small export is written at once (``export_now``); one above
``export_background_threshold()`` rows runs as an ``ExportJob`` in the background
(``beoordeling.overviews.exports.jobs``), whose task calls ``export_job_run``; a job that
failed or stalled (its worker killed) is started again with ``export_job_restart``
and then finishes with one file and one log row. The command ``export_overview`` uses
``export_to_file``.

Services take keyword arguments and never a request; who may export is checked by the
views (``subsidies.export_overview``).
"""

import io
import logging
import tempfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from beoordeling.models import (
    ExportChannel,
    ExportFormat,
    ExportJob,
    ExportKind,
    ExportLog,
)

from ..opendata import OpenDataResource
from .cells import csv_formatters
from .filters import ExportFilters
from .resources import RESOURCES
from .writers import CONTENT_TYPES, WRITERS

logger = logging.getLogger(__name__)

DEFAULT_BACKGROUND_THRESHOLD = 5_000

SHEET_TITLES = {
    ExportKind.AWARDS: "Besluiten",
    ExportKind.APPLICATIONS: "Aanvragen",
    ExportKind.SCORES: "Scores",
    ExportKind.OPEN_DATA: "Subsidies",
    ExportKind.FIXINGS: "Vaststellingen",
    ExportKind.PAYMENTS: "Betalingen",
    ExportKind.OBJECTIONS: "Bezwaren",
}


def export_background_threshold():
    """Exports above this many rows run in the background (``EXPORT_BACKGROUND_THRESHOLD``)."""
    return int(
        getattr(settings, "EXPORT_BACKGROUND_THRESHOLD", DEFAULT_BACKGROUND_THRESHOLD)
    )


def resource_for(kind):
    """A fresh django-import-export resource for an export kind."""
    kind = ExportKind(kind)
    if kind == ExportKind.OPEN_DATA:
        return OpenDataResource()
    return RESOURCES[kind]()


def export_queryset(*, kind, filters):
    return resource_for(kind).queryset(filters)


def export_count(*, kind, filters):
    return export_queryset(kind=kind, filters=filters).count()


def export_filename(*, kind, fmt, at=None):
    at = timezone.localtime(at or timezone.now())
    return f"{ExportKind(kind).value}-{at:%Y%m%d-%H%M}.{ExportFormat(fmt).value}"


def export_write(*, kind, fmt, filters, out, on_progress=None, excel_nl=False):
    """Write the overview ``kind`` with ``filters`` as ``fmt`` to the binary ``out``;
    ``excel_nl`` makes a CSV for Dutch Excel (``;``, BOM, decimal comma).

    Returns the number of rows. Logs nothing: the callers below do.
    """
    resource = resource_for(kind)
    fmt = ExportFormat(fmt)
    queryset = resource.queryset(filters)
    options = {}
    if fmt == ExportFormat.CSV:
        # Rows as read, each value written straight to its text by a formatter made
        # once per column from the column's widget (``cells``): per value the widget
        # and then ``csv_value`` cost more than the query.
        options["excel_nl"] = excel_nl
        options["formatters"] = csv_formatters(
            resource.column_widgets(), decimal_comma=excel_nl
        )
        rows = resource.raw_rows(queryset)
    else:
        rows = resource.rows(queryset)
    return WRITERS[fmt.value](
        out,
        resource.headers(),
        resource.column_kinds(),
        rows,
        sheet_title=SHEET_TITLES[ExportKind(kind)],
        on_progress=on_progress,
        **options,
    )


def export_log_write(
    *,
    kind,
    fmt,
    filters,
    row_count,
    channel,
    user=None,
    actor_label="",
    filename="",
    job=None,
    at=None,
):
    return ExportLog.objects.create(
        kind=ExportKind(kind),
        format=ExportFormat(fmt),
        filters=filters.to_json(),
        filters_text=filters.describe(),
        row_count=row_count,
        channel=channel,
        user=user,
        actor_label=actor_label or (user.email if user is not None else ""),
        filename=filename,
        job=job,
        created_at=at or timezone.now(),
    )


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    filename: str
    content_type: str
    row_count: int
    log: ExportLog


def export_now(*, kind, fmt, filters, user, excel_nl=False):
    """Write a (small) export in memory and log it; for a download at once."""
    buffer = io.BytesIO()
    rows = export_write(
        kind=kind, fmt=fmt, filters=filters, out=buffer, excel_nl=excel_nl
    )
    filename = export_filename(kind=kind, fmt=fmt)
    log = export_log_write(
        kind=kind,
        fmt=fmt,
        filters=filters,
        row_count=rows,
        channel=ExportChannel.ADMIN,
        user=user,
        filename=filename,
    )
    return ExportFile(
        content=buffer.getvalue(),
        filename=filename,
        content_type=CONTENT_TYPES[ExportFormat(fmt).value],
        row_count=rows,
        log=log,
    )


def export_to_file(*, kind, fmt, filters, path, actor_label, user=None):
    """Write an export to ``path`` (the command) and log it. Returns the log row."""
    with open(path, "wb") as out:
        rows = export_write(kind=kind, fmt=fmt, filters=filters, out=out)
    return export_log_write(
        kind=kind,
        fmt=fmt,
        filters=filters,
        row_count=rows,
        channel=ExportChannel.COMMAND,
        user=user,
        actor_label=actor_label,
        filename=str(path),
    )


def export_job_create(*, kind, fmt, filters, user, total):
    return ExportJob.objects.create(
        kind=ExportKind(kind),
        format=ExportFormat(fmt),
        filters=filters.to_json(),
        filters_text=filters.describe(),
        total=total,
        created_by=user,
        created_at=timezone.now(),
    )


def _export_job_claim(job_id):
    """Take a waiting job for this run; ``None`` when another run has it or it is over.

    Only a waiting job is taken: a running one belongs to a live worker, or, once it
    stalled, waits for ``export_job_restart`` to put it back to waiting.
    """
    now = timezone.now()
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().get(pk=job_id)
        if job.status != ExportJob.Status.WAITING:
            return None
        filters = ExportFilters.from_json(job.filters)
        job.begin_run(
            now=now,
            error="",
            total=export_count(kind=job.kind, filters=filters),
            done=0,
        )
    return ExportJob.objects.select_related("created_by").get(pk=job_id)


def export_job_run(*, job_id):
    """The background task: write the file, store it privately, log it, report progress.

    Progress is written outside any transaction, so the admin page sees it while the
    task runs. A job that is running or finished is left alone (a task delivered
    twice). Each run writes the whole file afresh into a temporary file; the stored
    file, the status and the one log row are written together, and only by the latest
    run of the job (``attempts``), so a worker that was taken for dead and comes back
    stores nothing. A file left in the storage by a run killed during that last step is
    replaced, so a finished job has one complete file.
    """
    job = _export_job_claim(job_id)
    if job is None:
        job = ExportJob.objects.get(pk=job_id)
        return {"job": job.pk, "status": job.status}
    attempt = job.attempts
    filters = ExportFilters.from_json(job.filters)

    def progress(done):
        job.record_progress(attempt=attempt, done=done)

    try:
        with tempfile.TemporaryFile() as spool:
            rows = export_write(
                kind=job.kind,
                fmt=job.format,
                filters=filters,
                out=spool,
                on_progress=progress,
            )
            spool.seek(0)
            filename = export_filename(kind=job.kind, fmt=job.format, at=job.created_at)
            with transaction.atomic():
                job = ExportJob.objects.select_for_update().get(pk=job.pk)
                if job.status != ExportJob.Status.RUNNING or job.attempts != attempt:
                    logger.warning("Export job %s was taken over; run dropped", job.pk)
                    return {"job": job.pk, "status": job.status}
                _store(job, f"{job.pk}-{filename}", spool)
                now = timezone.now()
                job.finish(
                    now=now,
                    file=job.file.name,
                    filename=filename,
                    done=rows,
                    total=rows,
                    progress_at=now,
                )
                export_log_write(
                    kind=job.kind,
                    fmt=job.format,
                    filters=filters,
                    row_count=rows,
                    channel=ExportChannel.BACKGROUND,
                    user=job.created_by,
                    filename=filename,
                    job=job,
                    at=now,
                )
    except Exception as error:
        logger.exception("Export job %s failed", job.pk)
        job.fail(
            attempt=attempt,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        return {"job": job.pk, "status": ExportJob.Status.FAILED}
    return {"job": job.pk, "status": ExportJob.Status.DONE, "rows": rows}


def _store(job, filename, content):
    """Save the file under its fixed name, replacing what a killed run left there."""
    field = job.file.field
    name = field.generate_filename(job, filename)
    if field.storage.exists(name):
        field.storage.delete(name)
    job.file.save(filename, File(content), save=False)
