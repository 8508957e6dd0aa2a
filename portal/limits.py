"""The largest request body the portal reads.

One document is at most ``APPLICATION_DOCUMENT_MAX_BYTES``, an application holds at
most ``APPLICATION_DOCUMENTS_MAX_TOTAL_BYTES`` (``subsidies.uploads``); a request whose
``Content-Length`` is above ``MAX_REQUEST_BODY_BYTES`` is refused before it is read,
with a Dutch page (413). The proxy in front refuses the same size first
(docs/deployment.md); this is the limit when it does not.
"""

from django.conf import settings
from django.http import HttpResponse
from django.template import loader


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BODY_BYTES:
            response = HttpResponse(
                loader.get_template("413.html").render(), status=413
            )
            response["Connection"] = "close"
            return response
        return self.get_response(request)
