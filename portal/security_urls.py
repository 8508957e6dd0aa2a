from django.urls import path

from . import two_factor

app_name = "security"

urlpatterns = [
    path("", two_factor.two_factor, name="two_factor"),
    path("instellen/", two_factor.enrol, name="enrol"),
    path("bevestigen/", two_factor.confirm, name="confirm"),
    path("opnieuw/", two_factor.reenrol, name="reenrol"),
]
