"""What the export tests share: a sent beschikking to put a kenmerk and a dagtekening
in the files, a file written by a writer from given rows, and a file's comparable
parts (an XLSX without the moment it was written)."""

import io
import zipfile
from datetime import date

from django.core.files.base import ContentFile
from django.utils import timezone

from beoordeling.models import Decision, DecisionKind
from beoordeling.overviews.exports.services import SHEET_TITLES
from beoordeling.overviews.exports.writers import WRITERS
from subsidies.models import Document


def decision_letter(application, kenmerk, sent, kind=DecisionKind.VERLENING):
    """A sent beschikking of ``kind`` with its PDF, dated ``sent``, for the awarded
    amount; the last day for bezwaar is 13 April 2026."""
    document = Document.objects.create(
        application=application,
        kind=Document.Kind.DECISION_LETTER,
        file=ContentFile(b"%PDF-1.4 test", name="brief.pdf"),
        original_name="brief.pdf",
        content_type="application/pdf",
        size=13,
        sha256="a" * 64,
    )
    return Decision.objects.create(
        application=application,
        kind=kind,
        kenmerk=kenmerk,
        date_sent=sent,
        bezwaar_deadline=date(2026, 4, 13),
        amount_cents=application.awarded_cents,
        sha256="a" * 64,
        document=document,
        created_at=timezone.now(),
    )


def written(resource, kind, rows, fmt, **options):
    """The file of overview ``kind`` that the ``fmt`` writer makes of ``rows``."""
    out = io.BytesIO()
    WRITERS[fmt](
        out,
        resource.headers(),
        resource.column_kinds(),
        rows,
        sheet_title=SHEET_TITLES[kind],
        **options,
    )
    return out.getvalue()


def file_parts(content, fmt):
    """A file as it can be compared: an XLSX is a zip whose document properties carry
    the moment of writing, so its other parts."""
    if fmt != "xlsx":
        return content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {
            name: archive.read(name)
            for name in archive.namelist()
            if name != "docProps/core.xml"
        }
