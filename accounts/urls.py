"""Login for residents (a link by e-mail) and logout. Staff log in via /admin/."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.login_view, name="login"),
    path("inloggen/verstuurd/", views.link_sent, name="link_sent"),
    path("inloggen/link/", views.magic_link, name="magic_link"),
    path("uitloggen/", views.logout_view, name="logout"),
]
