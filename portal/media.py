"""Wagtail's public media (the CMS's images and documents) in the bucket, private too.

Under the production settings the default storage, which Wagtail uses for its images,
their renditions and its documents, is the same bucket as the application documents,
under a prefix of its own (``DJANGO_S3_PUBLIC_PREFIX``, ``public``) and with the same
private ACL: nothing in the bucket is readable without credentials, and there is no
bucket policy that could one day open the private prefix by mistake. The portal
serves what is meant to be public, and only that:

- image renditions (``images/…``, the sizes the pages and the admin ask for):
  ``PublicMediaStorage.url`` gives ``/media/<name>`` on the portal and
  ``RenditionMiddleware`` streams the object, cacheable by a proxy in front;
- the uploaded originals (``original_images/…``) are not served: only renditions;
- documents through Wagtail's own serve view (``WAGTAILDOCS_SERVE_METHOD =
  "serve_view"``), which applies the collection's privacy.

The cost is that these bytes pass through an app server; they are small and a proxy
or CDN may cache them (``Cache-Control: public``).
"""

import mimetypes
from posixpath import normpath

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.encoding import filepath_to_uri
from django.views.decorators.http import require_safe
from storages.backends.s3 import S3Storage

RENDITIONS = "images/"
CACHE_SECONDS = 24 * 60 * 60


class PublicMediaStorage(S3Storage):
    """S3 storage whose URLs point at the portal, which streams renditions."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        return settings.MEDIA_URL + filepath_to_uri(name)


class RenditionMiddleware:
    """Answers every request under MEDIA_URL itself: a rendition, or the 404 page.

    A middleware, as WhiteNoise is for the static files: before the session and the
    user are looked up, so a rendition costs no database query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(settings.MEDIA_URL):
            return serve_rendition(
                request, request.path_info.removeprefix(settings.MEDIA_URL)
            )
        return self.get_response(request)


@require_safe
def serve_rendition(request, path):
    """Stream an image rendition from the default storage; nothing else."""
    if normpath(path) != path or not path.startswith(RENDITIONS):
        raise Http404
    if not default_storage.exists(path):
        raise Http404
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    if not content_type.startswith("image/"):
        raise Http404
    response = FileResponse(default_storage.open(path, "rb"), content_type=content_type)
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response
