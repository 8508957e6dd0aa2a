"""The shared pieces sit below every app: ``portal.shared`` (form renderer, error
summary, rate limiter, euros) imports no app, and ``accounts`` no longer climbs up into
``subsidies`` or ``portal`` for them."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "subsidies", "beoordeling", "cms")


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_the_shared_module_imports_no_app_and_nothing_above_it_in_portal():
    files = sorted((ROOT / "portal" / "shared").rglob("*.py"))
    assert files, "portal/shared/ is missing"
    for path in files:
        for name in _imports(path):
            top = name.split(".")[0]
            assert top not in APPS, f"{path.name} imports {name}"
            if top == "portal":
                assert name.startswith("portal.shared"), f"{path.name} imports {name}"


def test_accounts_takes_the_renderer_and_the_rate_limiter_from_the_shared_module():
    for path in sorted((ROOT / "accounts").rglob("*.py")):
        for name in _imports(path):
            assert not name.startswith("subsidies.forms"), f"{path} imports {name}"
            assert name != "portal.ratelimit", f"{path} imports {name}"
    from accounts import forms as account_forms
    from portal.shared.forms import UtrechtFormMixin

    assert any(
        issubclass(cls, UtrechtFormMixin)
        for cls in vars(account_forms).values()
        if isinstance(cls, type)
    )


def test_the_import_linter_contracts_for_the_shared_layer_hold():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports_command; "
            "sys.argv = ['lint-imports', '--contract', 'shared-bottom', "
            "'--contract', 'accounts-below-subsidies']; lint_imports_command()",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout
