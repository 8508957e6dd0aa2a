"""Wagtail admin for staff accounts: the second factor's invitations (Beheerder).

- A staff account made in Wagtail's user screen gets an invitation to set up the
  second factor at its own address (``accounts.enrolment``).
- ``/admin/tweede-stap-medewerkers/`` lists the staff and the state of their second
  factor; a Beheerder (``accounts.add_twofactorinvitation``) sends a new invitation,
  which removes the old factor (a reset, in the audit log).
"""

from django.contrib.auth import get_user_model
from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from portal import two_factor
from portal.shared.admin_screens import PermissionMenuItem

from . import enrolment

app_name = "tweede_stap_beheer"

urlpatterns = [path("", two_factor.staff_list, name="list")]


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return [
        path(
            "tweede-stap-medewerkers/",
            include((urlpatterns, app_name), namespace=app_name),
        )
    ]


@hooks.register("register_settings_menu_item")
def register_two_factor_menu():
    return PermissionMenuItem(
        _("Tweede stap medewerkers"),
        reverse_lazy(f"{app_name}:list"),
        name="tweede-stap-medewerkers",
        icon_name="lock",
        order=610,
        permission=two_factor.INVITE_PERMISSION,
    )


@hooks.register("after_create_user")
def invite_new_staff(request, user):
    user = get_user_model().objects.get(pk=user.pk)  # groups as saved
    if user.is_municipal_staff:
        enrolment.invite(user=user, by=request.user, reason="new account")
