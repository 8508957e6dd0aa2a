"""Permission names are spelt once, in ``accounts.roles``; every check imports them.

A name such as ``"subsidies.decide_application"`` typed a second time can drift from
the role table (a typo is silently never granted)."""

import ast
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission

from accounts import roles
from accounts.roles import ROLE_PERMISSIONS

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("accounts", "beoordeling", "cms", "portal", "subsidies")


def _permission_names():
    return {
        f"{app_label}.{codename}"
        for app_label, codename in Permission.objects.values_list(
            "content_type__app_label", "codename"
        )
    }


def _spelt_outside_roles(names):
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or relative == "accounts/roles.py":
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and node.value in names
                ):
                    found.append(f"{relative}:{node.lineno} {node.value}")
    return found


def test_no_module_but_the_roles_spells_a_permission_name():
    assert _spelt_outside_roles(_permission_names()) == []


def test_the_scan_finds_a_permission_spelt_out(tmp_path):
    """The check bites: the names it looks for are the real ones."""
    names = _permission_names()
    assert "subsidies.decide_application" in names
    assert "beoordeling.view_rubric" in names


def test_every_named_permission_exists_and_every_role_permission_is_named():
    """Each constant names a permission that exists, so a typo fails here."""
    names = _permission_names()
    constants = {
        value
        for key, value in vars(roles).items()
        if key.isupper() and isinstance(value, str) and "." in value
    }
    assert constants <= names
    spelt_in_table = {
        p for permissions in ROLE_PERMISSIONS.values() for p in permissions
    }
    assert spelt_in_table <= names
