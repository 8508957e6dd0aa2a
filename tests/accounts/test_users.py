"""Users log in with their e-mail address; roles are groups with fixed permissions."""

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group

from accounts.models import User
from accounts.roles import ROLE_PERMISSIONS

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
