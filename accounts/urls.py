"""Login for residents (a link by e-mail) and logout. Staff log in via /admin/."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.login_view, name="login"),
    path("inloggen/verstuurd/", views.link_sent, name="link_sent"),
    path("inloggen/link/", views.magic_link, name="magic_link"),
    path("uitloggen/", views.logout_view, name="logout"),
    # Wagtail's page-privacy password login, before ``wagtail.urls`` takes it: the
    # portal uses no page privacy, so it only sends on to the residents' login.
    path("_util/login/", views.page_privacy_login, name="page_privacy_login"),
]
