"""Uploads with active content or a zip bomb are refused with a clear Dutch message;
ordinary PDFs and office files still pass."""

import io
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from reportlab.pdfgen import canvas

from subsidies import uploads
from subsidies.uploads import UploadRefused, check_upload


def _pdf(extra=b""):
    return (
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R " + extra + b" >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n"
        b"<< /Root 1 0 R >>\n%%EOF\n"
    )


def _compressed_object_stream(body):
    data = zlib.compress(body)
    return (
        b"%PDF-1.7\n3 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode "
        b"/Length "
        + str(len(data)).encode()
        + b" >>\nstream\n"
        + data
        + b"\nendstream\nendobj\n%%EOF\n"
    )


ACTIVE_PDFS = {
    "open-action-javascript": _pdf(
        b"/OpenAction << /S /JavaScript /JS (app.alert('hallo')) >>"
    ),
    "escaped-name": _pdf(b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>"),
    "launch": _pdf(b"/OpenAction << /S /Launch /F (cmd.exe) >>"),
    "in-a-compressed-stream": _compressed_object_stream(
        b"1 0 << /S /JavaScript /JS (app.alert(1)) >>"
    ),
}


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize("content", ACTIVE_PDFS.values(), ids=ACTIVE_PDFS.keys())
def test_a_pdf_with_active_content_is_refused(content):
    with pytest.raises(UploadRefused) as refused:
        check_upload(upload("begroting.pdf", content))
    assert "JavaScript" in str(refused.value)


def test_an_ordinary_pdf_with_a_view_open_action_is_accepted():
    """An /OpenAction that only sets the first view is no active content."""
    assert check_upload(upload("a.pdf", _pdf(b"/OpenAction [3 0 R /FitH null]")))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, "Begroting buurtfeest")
    page.save()
    assert check_upload(upload("b.pdf", buffer.getvalue())).content_type == uploads.PDF


def _docx(extra=()):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for name, data in extra:
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_docx_zip_bomb_is_refused(settings):
    """An entry that inflates beyond the limit is refused, small as the file is."""
    settings.APPLICATION_DOCUMENT_MAX_INFLATED_BYTES = 5 * 1024 * 1024
    bomb = _docx([("word/media/nullen.bin", b"\0" * (20 * 1024 * 1024))])
    assert len(bomb) < 100_000
    with pytest.raises(UploadRefused) as refused:
        check_upload(upload("plan.docx", bomb))
    assert "veel groter als u het uitpakt" in str(refused.value)


def test_a_zip_bomb_that_lies_about_its_sizes_is_refused(settings):
    """Declared sizes are not trusted: the entries are inflated and counted."""
    settings.APPLICATION_DOCUMENT_MAX_INFLATED_BYTES = 5 * 1024 * 1024
    bomb = bytearray(_docx([("word/media/nullen.bin", b"\0" * (20 * 1024 * 1024))]))
    real = (20 * 1024 * 1024).to_bytes(4, "little")
    position = bomb.find(real)
    while position != -1:  # local header and central directory: claim 1 KB
        bomb[position : position + 4] = (1024).to_bytes(4, "little")
        position = bomb.find(real)
    with pytest.raises(UploadRefused):
        check_upload(upload("plan.docx", bytes(bomb)))


def test_an_office_file_with_macros_is_refused():
    with pytest.raises(UploadRefused) as refused:
        check_upload(upload("plan.docx", _docx([("word/vbaProject.bin", b"\1" * 64)])))
    assert "macro" in str(refused.value)


def test_an_ordinary_docx_is_accepted():
    assert check_upload(upload("plan.docx", _docx())).content_type == uploads.DOCX
