from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal.security import RateLimitedLoginView, rate_limited_login

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
    # Before Wagtail's own admin URLs: the rate-limited login and the second factor.
    path("admin/login/", RateLimitedLoginView.as_view(), name="wagtailadmin_login"),
    path("admin/tweede-stap/", include("portal.security_urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("accounts.urls")),
    path("", include("subsidies.urls")),
    path("open-data/", include("beoordeling.urls_public")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
