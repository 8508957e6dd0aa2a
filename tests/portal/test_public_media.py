"""Wagtail's public media under the production settings: images, renditions and
documents in the private bucket under ``public/``, renditions streamed by the portal
at /media/images/ by a middleware (portal/media.py), originals and anything else
not served.

The first test runs a short script with ``portal.settings.production`` against moto
(no database needed: it stores through the default storage and calls the URL the
storage gives, as Wagtail does with a rendition). The Wagtail screens themselves, an
image uploaded, its rendition made and served by the other app server, are walked in
the smoke stage (``test_the_cms_images_and_documents_live_in_the_private_bucket``).
"""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import RequestFactory

from portal.media import serve_rendition
from tests.services.object_store import object_store
from tests.services.production import production_environment

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import io, sys
    import django
    from django.conf import settings
    django.setup()
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.test import Client
    from PIL import Image

    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"
    picture = io.BytesIO()
    Image.new("RGB", (40, 20), (0, 112, 60)).save(picture, format="PNG")
    name = default_storage.save("images/buurt.width-40.png", ContentFile(picture.getvalue()))
    original = default_storage.save("original_images/buurt.png", ContentFile(b"orig"))
    url = default_storage.url(name)
    client = Client(HTTP_HOST="127.0.0.1")
    served = client.get(url, secure=True)
    # (The 404 page needs the built static files; ask the middleware itself.)
    from django.http import Http404
    from django.test import RequestFactory
    from portal.media import RenditionMiddleware
    try:
        RenditionMiddleware(None)(RequestFactory().get(default_storage.url(original)))
        refused = 200
    except Http404:
        refused = 404
    assert "portal.media.RenditionMiddleware" in settings.MIDDLEWARE
    sys.stdout.write(f"URL {url}\\n")
    sys.stdout.write(f"KEY {default_storage._normalize_name(name)}\\n")
    sys.stdout.write(f"STATUS {served.status_code} {refused}\\n")
    sys.stdout.write(f"TYPE {served['Content-Type']}\\n")
    sys.stdout.write(f"CACHE {served['Cache-Control']}\\n")
    sys.stdout.write(f"SAME {b''.join(served.streaming_content) == picture.getvalue()}\\n")
    """
)


def test_a_rendition_is_stored_in_the_bucket_and_served_by_the_portal():
    """Production's default storage writes to the bucket under public/, private; the
    URL it gives is /media/images/… on the portal, which streams the same bytes with a
    public cache header; an original is refused."""
    with object_store() as store:
        env = production_environment(**store.environment())
        result = subprocess.run(
            [sys.executable, "-c", SCRIPT],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        lines = dict(line.split(" ", 1) for line in result.stdout.splitlines())
        assert lines["URL"] == "/media/images/buurt.width-40.png"
        assert lines["KEY"] == "public/images/buurt.width-40.png"
        assert lines["STATUS"] == "200 404"
        assert lines["TYPE"] == "image/png"
        assert lines["CACHE"] == "public, max-age=86400"
        assert lines["SAME"] == "True"
        client = store.client()
        stored = client.get_object(Bucket=store.bucket, Key=lines["KEY"])
        assert stored["Body"].read().startswith(b"\x89PNG")
        acl = client.get_object_acl(Bucket=store.bucket, Key=lines["KEY"])
        assert not [
            grant
            for grant in acl["Grants"]
            if "AllUsers" in grant["Grantee"].get("URI", "")
        ]


@pytest.fixture
def media():
    names = [
        default_storage.save("images/plein.fill-80x80.png", ContentFile(b"\x89PNG")),
        default_storage.save("original_images/plein.png", ContentFile(b"\x89PNG")),
        default_storage.save("images/pagina.html", ContentFile(b"<script>")),
    ]
    yield names
    for name in names:
        default_storage.delete(name)


@pytest.mark.parametrize(
    "path",
    [
        "original_images/plein.png",
        "images/../original_images/plein.png",
        "images/./plein.fill-80x80.png",
        "images/pagina.html",
        "images/bestaat-niet.png",
        "documents/spelregels.txt",
    ],
)
def test_only_renditions_are_served(media, path):
    """Originals, documents, paths that climb out and files that are no image: 404."""
    from django.http import Http404

    request = RequestFactory().get(f"/media/{path}")
    with pytest.raises(Http404):
        serve_rendition(request, path)


def test_a_rendition_is_served_with_its_type_and_a_public_cache_header(media):
    response = serve_rendition(
        RequestFactory().get("/media/images/plein.fill-80x80.png"),
        "images/plein.fill-80x80.png",
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=86400"
    assert b"".join(response.streaming_content) == b"\x89PNG"


def test_renditions_are_read_only(media):
    response = serve_rendition(
        RequestFactory().post("/media/images/plein.fill-80x80.png"),
        "images/plein.fill-80x80.png",
    )
    assert response.status_code == 405


def test_the_middleware_answers_under_media_and_passes_everything_else(media):
    """/media/images/… is the rendition, /media/… anything else is 404, and every
    other path goes on to the views untouched."""
    from django.http import Http404, HttpResponse

    from portal.media import RenditionMiddleware

    middleware = RenditionMiddleware(lambda request: HttpResponse("verder"))
    factory = RequestFactory()
    served = middleware(factory.get("/media/images/plein.fill-80x80.png"))
    assert b"".join(served.streaming_content) == b"\x89PNG"
    with pytest.raises(Http404):
        middleware(factory.get("/media/original_images/plein.png"))
    assert middleware(factory.get("/mediatheek/")).content == b"verder"
    assert middleware(factory.get("/aanvragen/")).content == b"verder"
