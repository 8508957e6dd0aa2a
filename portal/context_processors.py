"""Template context every portal page needs."""

from django.conf import settings


def portal(request):
    return {"demo_banner": settings.DEMO_BANNER}
