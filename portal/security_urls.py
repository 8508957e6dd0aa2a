from django.urls import path

from . import two_factor

app_name = "security"

urlpatterns = [path("", two_factor.two_factor, name="two_factor")]
