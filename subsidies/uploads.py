"""What an applicant may upload, judged by the content of the file, never by its name.

Allowed: PDF, PNG, JPEG, the zip-based office formats DOCX, XLSX, ODT and ODS, and
plain text (UTF-8 without control characters). The type is read from the first bytes
("magic bytes") and, for zip containers, from the names inside the archive; an
executable renamed to ``begroting.pdf`` is refused because it does not start with
``%PDF-``. A file larger than ``settings.APPLICATION_DOCUMENT_MAX_BYTES`` is refused
before its content is read. Per application at most
``settings.APPLICATION_DOCUMENTS_MAX_COUNT`` documents, together at most
``settings.APPLICATION_DOCUMENTS_MAX_TOTAL_BYTES`` (``check_quota``); decision letters
do not count.

Active content is refused: a PDF with JavaScript, a launch action, rich media or form
submission (also when the name is written with ``#xx`` escapes or sits in a compressed
stream), and an office file with macros or ActiveX. An archive (the office formats are
zip files) whose entries inflate to more than ``settings.APPLICATION_DOCUMENT_MAX_INFLATED_BYTES``
together, or hold more than ``MAX_ZIP_ENTRIES`` entries, is refused
as a zip bomb: the entries are inflated and counted, their declared sizes are not
trusted.

The original file name is kept for the applicant's own overview only, after
``clean_filename`` has removed directories, control characters and other path
tricks; the stored name is the file's SHA-256 (see ``Document``).
"""

import hashlib
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
TEXT = "text/plain"

#: Content type -> the extension we give the file when it is downloaded.
EXTENSIONS = {
    PDF: ".pdf",
    PNG: ".png",
    JPEG: ".jpg",
    DOCX: ".docx",
    XLSX: ".xlsx",
    ODT: ".odt",
    ODS: ".ods",
    TEXT: ".txt",
}

ALLOWED_DESCRIPTION = _(
    "PDF, Word (docx), Excel (xlsx), OpenDocument, JPG, PNG of tekst"
)

_HEAD = 8192
_MARKUP_STARTS = ("<!doctype", "<html", "<svg", "<?xml", "<script", "<body", "<head")


class UploadRefused(ValueError):
    """The file may not be stored; the message is for the applicant, in Dutch."""


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    content_type: str
    size: int
    sha256: str


def _zip_type(fileobj):
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return DOCX
            if "xl/workbook.xml" in names:
                return XLSX
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 100:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                if mimetype in (ODT, ODS):
                    return mimetype
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
    return None


def _is_plain_text(head):
    if not head or b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut off at the end of the sample is fine.
        if error.start < len(head) - 4:
            return False
        text = head[: error.start].decode("utf-8")
    allowed = {"\n", "\r", "\t", "\f"}
    if not all(ch.isprintable() or ch in allowed for ch in text):
        return False
    # Markup is not "plain text": a browser could run it if it were ever shown inline.
    start = text.lstrip("\ufeff \t\r\n").lower()
    return not start.startswith(_MARKUP_STARTS)


def sniff_content_type(fileobj):
    """The content type read from the file's content, or None if it is not allowed."""
    fileobj.seek(0)
    head = fileobj.read(_HEAD)
    fileobj.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        kind = _zip_type(fileobj)
        fileobj.seek(0)
        return kind
    if _is_plain_text(head):
        return TEXT
    return None


def clean_filename(name, content_type=None):
    """A name safe to show and to offer as a download name: no path, no control chars."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        ch
        for ch in name
        if unicodedata.category(ch)[0] != "C" and ch not in '<>:"|?*/\\'
    )
    name = " ".join(name.split()).strip(" .")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    stem = stem.strip(" .")[:150] or "document"
    expected = EXTENSIONS.get(content_type)
    if (
        expected
        and f".{ext.lower()}" != expected
        and not (expected == ".jpg" and ext.lower() == "jpeg")
    ):
        # Show the type the content has, not the one the name claims.
        return f"{stem}.{ext[:10]}{expected}" if ext else f"{stem}{expected}"
    return f"{stem}.{ext[:10]}" if ext else stem


MAX_ZIP_ENTRIES = 5000
_PDF_ACTIVE_NAMES = (
    b"/javascript",
    b"/js",
    b"/launch",
    b"/richmedia",
    b"/submitform",
    b"/importdata",
)
_PDF_NAME = re.compile(rb"/[^\s/<>\[\]()%{}]+")
_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)
_PDF_INFLATE_LIMIT = 50 * 1024 * 1024
_OFFICE_ACTIVE_PARTS = ("vbaproject.bin", "/activex/", "vbadata.xml")


def _pdf_names(data):
    for match in _PDF_NAME.finditer(data):
        name = re.sub(
            rb"#([0-9a-fA-F]{2})", lambda m: bytes([int(m.group(1), 16)]), match[0]
        )
        yield name.lower()


def _pdf_has_active_content(data):
    """True when the PDF, or any of its compressed streams, names an action that can
    run something: JavaScript, launch, rich media, form submission or data import."""
    chunks = [data]
    budget = _PDF_INFLATE_LIMIT
    for match in _PDF_STREAM.finditer(data):
        try:
            inflated = zlib.decompressobj().decompress(match[1], budget)
        except zlib.error:
            continue
        budget -= len(inflated)
        chunks.append(inflated)
        if budget <= 0:
            return True  # a PDF that inflates this far is refused as well
    active = set(_PDF_ACTIVE_NAMES)
    return any(name in active for chunk in chunks for name in _pdf_names(chunk))


def _zip_problem(fileobj):
    """Why a zip-based office file is refused, or None: active content or a bomb."""
    limit = settings.APPLICATION_DOCUMENT_MAX_INFLATED_BYTES
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                return "bomb"
            names = [("/" + entry.filename).lower() for entry in entries]
            if any(part in name for name in names for part in _OFFICE_ACTIVE_PARTS):
                return "active"
            if sum(entry.file_size for entry in entries) > limit:
                return "bomb"
            inflated = 0
            for entry in entries:
                with archive.open(entry) as member:
                    while chunk := member.read(1024 * 1024):
                        inflated += len(chunk)
                        if inflated > limit:
                            return "bomb"
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError, zlib.error):
        return "bomb"
    finally:
        fileobj.seek(0)
    return None


def _refuse_active_content(uploaded_file, content_type):
    problem = None
    if content_type == PDF:
        uploaded_file.seek(0)
        data = uploaded_file.read()
        uploaded_file.seek(0)
        problem = "active" if _pdf_has_active_content(data) else None
    elif content_type in (DOCX, XLSX, ODT, ODS):
        problem = _zip_problem(uploaded_file)
    if problem == "active":
        raise UploadRefused(
            _(
                "Dit bestand bevat onderdelen die iets kunnen uitvoeren (zoals "
                "JavaScript of macro's). Die nemen wij niet aan. Sla het bestand op "
                "zonder die onderdelen, bijvoorbeeld door het opnieuw als PDF af te "
                "drukken, en probeer het opnieuw."
            )
        )
    if problem == "bomb":
        raise UploadRefused(
            _(
                "Dit bestand wordt veel groter als u het uitpakt, of het is kapot. "
                "Zo'n bestand nemen wij niet aan. Sla het opnieuw op of "
                "maak er een PDF van, en probeer het opnieuw."
            )
        )


def check_upload(uploaded_file):
    """Check size and content; return what to store, or raise ``UploadRefused``."""
    max_bytes = settings.APPLICATION_DOCUMENT_MAX_BYTES
    size = uploaded_file.size
    if size == 0:
        raise UploadRefused(_("Het bestand is leeg. Kies een ander bestand."))
    if size > max_bytes:
        raise UploadRefused(
            _(
                "Het bestand is te groot (%(size)s). Een bestand mag hoogstens %(max)s "
                "zijn. Maak het bestand kleiner of verdeel het over meer bestanden."
            )
            % {"size": format_size(size), "max": format_size(max_bytes)}
        )
    content_type = sniff_content_type(uploaded_file)
    if content_type is None:
        raise UploadRefused(
            _(
                "Dit soort bestand kunnen wij niet aannemen. Wij nemen alleen %(types)s "
                "aan. Wij kijken naar de inhoud van het bestand, niet naar de naam."
            )
            % {"types": ALLOWED_DESCRIPTION}
        )
    _refuse_active_content(uploaded_file, content_type)
    digest = hashlib.sha256()
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    return CheckedUpload(
        name=clean_filename(uploaded_file.name, content_type),
        content_type=content_type,
        size=size,
        sha256=digest.hexdigest(),
    )


def check_quota(*, used_count, used_bytes, sizes):
    """Raise ``UploadRefused`` when files of ``sizes`` bytes would take an application
    that holds ``used_count`` documents of ``used_bytes`` over its quota."""
    max_count = settings.APPLICATION_DOCUMENTS_MAX_COUNT
    max_bytes = settings.APPLICATION_DOCUMENTS_MAX_TOTAL_BYTES
    if used_count + len(sizes) > max_count:
        raise UploadRefused(
            _(
                "Bij een aanvraag passen hoogstens %(max)s bestanden en er zijn er al "
                "%(count)s. Verwijder eerst een bestand dat u niet meer nodig hebt, of "
                "voeg bestanden samen tot één PDF."
            )
            % {"max": max_count, "count": used_count}
        )
    if used_bytes + sum(sizes) > max_bytes:
        raise UploadRefused(
            _(
                "Alle bestanden bij een aanvraag samen mogen hoogstens %(max)s zijn. Er "
                "staat al %(used)s bij deze aanvraag; er kan nog %(left)s bij. Maak het "
                "bestand kleiner of verwijder een bestand dat u niet meer nodig hebt."
            )
            % {
                "max": format_size(max_bytes),
                "used": format_size(used_bytes),
                "left": format_size(max(0, max_bytes - used_bytes)),
            }
        )


def format_size(size):
    """12345678 -> '11,8 MB' (Dutch decimal comma)."""
    if size >= 1024 * 1024:
        value, unit = size / (1024 * 1024), "MB"
    elif size >= 1024:
        value, unit = size / 1024, "kB"
    else:
        return f"{size} bytes"
    return f"{value:.1f} {unit}".replace(".", ",")
