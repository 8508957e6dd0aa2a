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


def test_accounts_imports_nothing_of_subsidies_and_queues_through_the_shared_outbox():
    """No exception left in the contract: accounts queues its mail through
    ``portal.shared.outbox``, which subsidies provides at start-up."""
    for path in sorted((ROOT / "accounts").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for name in _imports(path):
            assert name.split(".")[0] != "subsidies", f"{path} imports {name}"
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert "accounts.enrolment -> subsidies.mail" not in pyproject


def test_mail_queued_through_the_shared_outbox_is_in_the_portal_outbox(db):
    """The invitation e-mail of ``accounts`` lands in the one outbox, masked and
    waiting for delivery after the commit, as every other mail."""
    from portal.shared import outbox
    from subsidies.models import OutgoingMail

    mail = outbox.queue_mail(
        to=["beheer@example.nl"],
        subject="Stel uw tweede stap in",
        body="Uw rekening NL91ABNA0417164300 staat niet in deze mail.",
    )
    stored = OutgoingMail.objects.get(pk=mail.pk)
    assert stored.to == ["beheer@example.nl"]
    assert stored.subject == "Stel uw tweede stap in"
    assert "NL91ABNA0417164300" not in stored.body
    assert stored.state == OutgoingMail.State.PENDING
