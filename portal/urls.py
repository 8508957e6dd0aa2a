from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal import i18n
from portal.security import (
    AuditedPasswordResetConfirmView,
    RateLimitedLoginView,
    RateLimitedPasswordResetView,
    StaffLogoutView,
    rate_limited_login,
)

# Only superusers use the Django admin (subsidies/admin.py); staff work in the Wagtail
# admin, where every screen filters by team and role (docs/security.md).
admin.site.has_permission = lambda request: (
    request.user.is_active and request.user.is_superuser
)
# Its password login has the same limits as Wagtail's, on the same counters. Set on the
# site before ``admin.site.urls`` is read, so the URL keeps its name ``admin:login``.
admin.site.login = rate_limited_login(admin.site.login)

urlpatterns = [
    path("django-admin/", admin.site.urls),
    # Before Wagtail's own admin URLs: the rate-limited login, the logout that also ends
    # a staff sign-on, and the second factor.
    path("admin/login/", RateLimitedLoginView.as_view(), name="wagtailadmin_login"),
    # After a staff sign-on, logging out ends the provider's session too.
    path("admin/logout/", StaffLogoutView.as_view(), name="wagtailadmin_logout"),
    path("admin/tweede-stap/", include("portal.security_urls")),
    path(
        "admin/password_reset/",
        RateLimitedPasswordResetView.as_view(),
        name="wagtailadmin_password_reset",
    ),
    path(
        "admin/password_reset/confirm/<uidb64>/<token>/",
        AuditedPasswordResetConfirmView.as_view(),
        name="wagtailadmin_password_reset_confirm",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Django's set_language, which also records a logged-in resident's mail language.
    path("i18n/setlang/", i18n.set_language, name="set_language"),
    path("", include("accounts.urls")),
    path("", include("subsidies.urls")),
    path("", include("subsidies.urls_assisted")),
    path("", include("beoordeling.objections.urls_public")),
    path("open-data/", include("beoordeling.overviews.urls_public")),
]

if settings.DEBUG or getattr(settings, "SERVE_MEDIA", False):
    # The demo serves public media itself, also with DEBUG off (``static()`` would not).
    import re

    from django.urls import re_path
    from django.views.static import serve

    urlpatterns += [
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

urlpatterns += [path("", include(wagtail_urls))]

# The database unreachable: the Dutch 503 page with Retry-After; otherwise the 500 page.
handler500 = "portal.health.server_error"
