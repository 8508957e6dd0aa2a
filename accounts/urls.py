"""Login for residents (a link by e-mail) and logout. Staff log in via /admin/."""

from django.urls import path

from . import session_views, views
from .oidc import providers as oidc_providers
from .oidc import views as oidc_views

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.login_view, name="login"),
    path("inloggen/verstuurd/", views.link_sent, name="link_sent"),
    path("inloggen/link/", views.magic_link, name="magic_link"),
    path("uitloggen/", views.logout_view, name="logout"),
    path("uitgelogd/", oidc_views.logged_out, name="logged_out"),
    # A resident's quiet session: "Ingelogd blijven", and where the page goes at the end.
    path("sessie/verlengen/", session_views.keepalive, name="session_keepalive"),
    path("sessie/verlopen/", session_views.expired, name="session_expired"),
    # Wagtail's page-privacy password login, before ``wagtail.urls`` takes it: the
    # portal uses no page privacy, so it only sends on to the residents' login.
    path("_util/login/", views.page_privacy_login, name="page_privacy_login"),
    # DigiD, eHerkenning and staff sign-on (accounts.oidc): 404 unless configured.
]

for _provider in (
    oidc_providers.DIGID,
    oidc_providers.EHERKENNING,
    oidc_providers.STAFF,
):
    urlpatterns += [
        path(
            f"inloggen/{_provider}/",
            oidc_views.start_view(_provider),
            name=f"oidc_{_provider}_start",
        ),
        path(
            f"inloggen/{_provider}/callback/",
            oidc_views.callback_view(_provider),
            name=f"oidc_{_provider}_callback",
        ),
    ]
