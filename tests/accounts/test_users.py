"""Users log in with their e-mail address; roles are groups with fixed permissions."""

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group, Permission

from accounts.models import User
from accounts.roles import APPLICANT, ROLE_PERMISSIONS, STAFF_ROLES
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_email_is_the_login_and_case_does_not_matter():
    """A user logs in with their e-mail address, in any case."""
    User.objects.create_user("Sanne@Example.NL", "een-lang-wachtwoord")
    assert (
        authenticate(username="sanne@example.nl", password="een-lang-wachtwoord")
        is not None
    )
    assert (
        authenticate(username="SANNE@example.nl", password="een-lang-wachtwoord")
        is not None
    )


def test_applicants_have_no_password_by_default():
    """A resident gets no usable password: they log in with a link."""
    assert not User.objects.create_user("bewoner@example.nl").has_usable_password()


def test_role_groups_carry_exactly_their_permissions():
    """Each role group exists after migrate with the permissions of the role table."""
    for role, codes in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        have = {
            f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()
        }
        assert have == set(codes), role


def test_every_staff_group_makes_a_user_staff_without_the_is_staff_flag():
    """Staff is whoever can enter the Wagtail admin, as Wagtail decides it: by group."""
    for role in STAFF_ROLES:
        user = UserFactory(role=role)
        User.objects.filter(pk=user.pk).update(is_staff=False)
        assert User.objects.get(pk=user.pk).is_municipal_staff, role


def test_residents_are_not_staff_and_flags_still_count():
    """An Aanvrager is not staff; is_staff or is_superuser alone makes staff."""
    assert not UserFactory(role=APPLICANT).is_municipal_staff
    assert not User.objects.create_user("bewoner@example.nl").is_municipal_staff
    assert User.objects.create_user("staf@example.nl", is_staff=True).is_municipal_staff
    assert User.objects.create_superuser("root@example.nl", "x").is_municipal_staff


def test_a_user_permission_to_enter_the_admin_makes_staff_too():
    """Not only groups: a direct wagtailadmin.access_admin permission counts."""
    user = User.objects.create_user("direct@example.nl")
    user.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )
    assert User.objects.get(pk=user.pk).is_municipal_staff
