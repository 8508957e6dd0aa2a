"""The staff login form of the Wagtail admin, fully in Dutch.

Wagtail's ``LoginForm`` declares its password field without a label, so Django made
one from the field name: "Password", untranslated, on a Dutch page. The labels here
use Django's own translated messages.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm


class StaffLoginForm(LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")
        self.fields["password"].widget.attrs["placeholder"] = _("Password")
