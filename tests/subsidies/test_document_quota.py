"""An application holds at most APPLICATION_DOCUMENTS_MAX_COUNT documents, together at
most APPLICATION_DOCUMENTS_MAX_TOTAL_BYTES; a request body above
MAX_REQUEST_BODY_BYTES is refused before it is read. Each with a Dutch message."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from subsidies.models import Application, Document
from subsidies.uploads import UploadRefused, check_quota
from tests.factories import RoundFactory, SchemeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_quota_counts_documents_and_bytes(settings):
    settings.APPLICATION_DOCUMENTS_MAX_COUNT = 3
    settings.APPLICATION_DOCUMENTS_MAX_TOTAL_BYTES = 1000
    check_quota(used_count=2, used_bytes=900, sizes=[100])
    with pytest.raises(UploadRefused, match="hoogstens 3 bestanden"):
        check_quota(used_count=3, used_bytes=0, sizes=[1])
    with pytest.raises(UploadRefused, match="samen mogen hoogstens"):
        check_quota(used_count=0, used_bytes=900, sizes=[101])


@pytest.fixture
def draft(client):
    scheme = SchemeFactory()
    RoundFactory(scheme=scheme)
    resident = UserFactory(role="Aanvrager", email="bewoner@example.nl")
    client.force_login(resident)
    client.post(reverse("subsidies:start", args=[scheme.slug]))
    return Application.objects.get(created_by=resident)


def _upload(client, draft, content, name="lijst.pdf"):
    url = reverse("subsidies:step", args=[draft.reference, "bijlagen"])
    pdf = SimpleUploadedFile(name, content)
    return client.post(url, {"kind": "draagvlak", "file": pdf, "action": "upload"})


def test_an_upload_over_the_quota_is_refused_and_nothing_is_stored(
    client, draft, settings
):
    """The third document of an application with a quota of two is refused, with
    the Dutch reason on the step; the two stay, no third is stored."""
    settings.APPLICATION_DOCUMENTS_MAX_COUNT = 2
    for n in range(2):
        response = _upload(client, draft, b"%PDF-1.4\n" + bytes([n]) * 10)
        assert response.status_code == 302
    response = _upload(client, draft, b"%PDF-1.4\nderde")
    assert response.status_code == 200
    assert "Bij een aanvraag passen hoogstens 2 bestanden" in response.content.decode()
    assert Document.objects.filter(application=draft).count() == 2


def test_an_upload_over_the_total_size_is_refused(client, draft, settings):
    settings.APPLICATION_DOCUMENTS_MAX_TOTAL_BYTES = 100
    assert _upload(client, draft, b"%PDF-1.4\n" + b"x" * 60).status_code == 302
    response = _upload(client, draft, b"%PDF-1.4\n" + b"y" * 60)
    assert response.status_code == 200
    assert "Alle bestanden bij een aanvraag samen mogen hoogstens" in (
        response.content.decode()
    )
    assert Document.objects.filter(application=draft).count() == 1


def test_a_request_body_over_the_limit_is_refused_before_it_is_read(
    client, draft, settings
):
    """413 with the Dutch page; nothing stored."""
    settings.MAX_REQUEST_BODY_BYTES = 1000
    response = _upload(client, draft, b"%PDF-1.4\n" + b"z" * 2000)
    assert response.status_code == 413
    assert "U verstuurde te veel tegelijk" in response.content.decode()
    assert not Document.objects.exists()
