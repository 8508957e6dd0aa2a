"""Uploads are judged by their content (magic bytes), not by their name."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from subsidies import uploads
from subsidies.uploads import UploadRefused, check_upload, clean_filename


def _zip(names, mimetype=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if mimetype:
            archive.writestr("mimetype", mimetype)
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 50


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"%PDF-1.7\n...", uploads.PDF),
        (PNG, uploads.PNG),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", uploads.JPEG),
        (_zip(["word/document.xml", "[Content_Types].xml"]), uploads.DOCX),
        (_zip(["xl/workbook.xml"]), uploads.XLSX),
        (_zip(["content.xml"], mimetype=uploads.ODT), uploads.ODT),
        ("Handtekeningen: Jan, Fatima, Piet — één lijst.\n".encode(), uploads.TEXT),
    ],
)
def test_allowed_types_are_recognised_by_their_content(content, expected):
    """PDF, PNG, JPEG, DOCX/XLSX/ODT and plain text are read from their first bytes."""
    assert uploads.sniff_content_type(io.BytesIO(content)) == expected


@pytest.mark.parametrize(
    "content",
    [
        EXE,
        _zip(["payload.js"]),
        b"\x7fELF\x02\x01\x01" + b"\x00" * 20,
        b"<html><script>alert(1)</script></html>",
        b"<svg onload=alert(1)>",
        b"PK\x03\x04 broken zip",
    ],
)
def test_other_content_is_refused(content):
    """Executables, plain zips, broken zips and markup are not accepted."""
    assert uploads.sniff_content_type(io.BytesIO(content)) is None


def test_an_executable_renamed_to_pdf_is_refused_with_a_dutch_message():
    """The name says PDF, the content says executable: refused, in plain Dutch."""
    upload = SimpleUploadedFile("begroting.pdf", EXE, content_type="application/pdf")
    with pytest.raises(UploadRefused) as error:
        check_upload(upload)
    assert "inhoud van het bestand" in str(error.value)


def test_a_file_over_the_limit_is_refused_before_reading(settings):
    """Above APPLICATION_DOCUMENT_MAX_BYTES the file is refused, with both sizes."""
    settings.APPLICATION_DOCUMENT_MAX_BYTES = 1024
    upload = SimpleUploadedFile("groot.pdf", b"%PDF-" + b"0" * 2048)
    with pytest.raises(UploadRefused) as error:
        check_upload(upload)
    assert "te groot" in str(error.value) and "1,0 kB" in str(error.value)


def test_an_empty_file_is_refused():
    """An empty file is refused with a clear message."""
    with pytest.raises(UploadRefused, match="leeg"):
        check_upload(SimpleUploadedFile("leeg.pdf", b""))


def test_a_checked_upload_carries_type_size_hash_and_a_clean_name():
    """check_upload returns the sniffed type, the size and the SHA-256."""
    checked = check_upload(SimpleUploadedFile("../../etc/passwd.pdf", b"%PDF-1.4 x"))
    assert checked.content_type == uploads.PDF
    assert checked.size == 10
    assert len(checked.sha256) == 64
    assert checked.name == "passwd.pdf"


@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        ("../../etc/passwd", None, "passwd"),
        ("C:\\Users\\jan\\begroting.pdf", uploads.PDF, "begroting.pdf"),
        ("..\\..\\boot.ini", uploads.TEXT, "boot.ini.txt"),
        ("....pdf", uploads.PDF, "pdf.pdf"),
        ("..", uploads.PDF, "document.pdf"),
        ("foto\x00.png.exe", uploads.PNG, "foto.png.exe.png"),
        ("rapport<script>.pdf", uploads.PDF, "rapportscript.pdf"),
        ("  lijst   handtekeningen .docx", uploads.DOCX, "lijst handtekeningen.docx"),
        ("scan.JPEG", uploads.JPEG, "scan.JPEG"),
        ("", uploads.PDF, "document.pdf"),
    ],
)
def test_file_names_lose_paths_and_tricks(name, content_type, expected):
    """Directories, control characters and reserved characters are removed; the
    extension follows the content."""
    assert clean_filename(name, content_type) == expected
