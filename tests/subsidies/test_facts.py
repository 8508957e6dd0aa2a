"""The facts on an application are written only through ``subsidies.facts``.

The guards of the workflow read ``preconditions_met``, ``impact_score``,
``proposed_cents``, ``allocation_outcome``, ``awarded_cents``, ... . These tests read
the source of every module of the project (the tests included) and fail on a
module that writes one of those fields itself: an assignment to the attribute, a
``setattr`` with its name, or an ``update``/``create`` call that names it (or passes
``**values`` to an update of ``Application``). Only ``subsidies/facts.py``, the
transitions in ``subsidies/models/applications.py`` and the history import may; the
tests are read too.
"""

import ast
from decimal import Decimal
from pathlib import Path

import pytest

from subsidies import facts, services
from subsidies.facts import FACT_FIELDS
from subsidies.models import Application
from subsidies.workflow import AllocationOutcome, Status
from tests.factories import ApplicationFactory, assessor, decision_maker

ROOT = Path(__file__).resolve().parents[2]
#: ``bench/`` is left out: the benchmarks bulk-create synthetic rows, not cases.
#: ``tests`` is in: a test reaches a state through the factories' lifecycle traits or
#: ``subsidies.facts``, as the screens do, so it never tests a state no screen makes.
PACKAGES = ("accounts", "beoordeling", "cms", "portal", "subsidies", "scripts", "tests")
#: The modules that may write the facts, and why.
ALLOWED = {
    "subsidies/facts.py": "the recording API itself",
    "subsidies/models/applications.py": "the transitions (a rejection sets 0)",
    # The history import builds records of decisions taken before the portal, row by
    # row through django-import-export; they never go through the workflow.
    "beoordeling/overviews/imports/resources.py": "imported history",
}
#: ``application_update`` stores a concept's form fields with ``update(**fields)``;
#: it refuses every field outside ``APPLICATION_FIELDS``, which holds no fact.
SPLAT_ALLOWED = {"subsidies/services.py"}
WRITE_CALLS = {"update", "create", "get_or_create", "update_or_create", "bulk_update"}


def _root_name(node):
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _strings(node):
    return {
        n.value
        for n in ast.walk(node)
        if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }


def fact_writes(source, path="<source>"):
    """Each place in ``source`` that writes a fact, as ``path:line: what``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for part in ast.walk(target):
                    if isinstance(part, ast.Attribute) and part.attr in FACT_FIELDS:
                        found.append(f"{path}:{node.lineno}: {ast.unparse(part)} =")
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        named = {k.arg for k in node.keywords if k.arg} & FACT_FIELDS
        if isinstance(func, ast.Attribute) and func.attr in WRITE_CALLS:
            for keyword in node.keywords:
                if keyword.arg == "defaults":
                    named |= _strings(keyword.value) & FACT_FIELDS
            if func.attr == "bulk_update":
                named |= _strings(node) & FACT_FIELDS
            # Another model with a field of the same name (AssessmentSummary keeps
            # its own impact_score) is no write to the application.
            if named and _root_name(func) not in {"AssessmentSummary"}:
                found.append(f"{path}:{node.lineno}: .{func.attr}({sorted(named)})")
            splat = any(k.arg is None for k in node.keywords)
            if splat and func.attr == "update" and _root_name(func) == "Application":
                found.append(f"{path}:{node.lineno}: Application ….update(**…)")
        elif isinstance(func, ast.Name) and func.id == "setattr":
            if _strings(node) & FACT_FIELDS:
                found.append(f"{path}:{node.lineno}: setattr")
        elif isinstance(func, ast.Name) and func.id == "Application" and named:
            found.append(f"{path}:{node.lineno}: Application({sorted(named)})")
        for keyword in node.keywords:
            if keyword.arg == "update_fields" and _strings(keyword.value) & FACT_FIELDS:
                found.append(f"{path}:{node.lineno}: save(update_fields=…)")
    return found


def project_modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path.relative_to(ROOT).as_posix()


def test_no_module_but_the_recording_api_writes_the_facts():
    found = []
    for path in project_modules():
        if path not in ALLOWED:
            found += [
                finding
                for finding in fact_writes((ROOT / path).read_text(), path)
                if not (path in SPLAT_ALLOWED and finding.endswith("update(**…)"))
            ]
    assert found == [], "Write these through subsidies.facts:\n" + "\n".join(found)


@pytest.mark.django_db
def test_the_form_steps_cannot_store_a_fact():
    assert FACT_FIELDS.isdisjoint(services.APPLICATION_FIELDS)
    application = ApplicationFactory()
    with pytest.raises(ValueError, match="Not an application field"):
        services.application_update(
            application=application,
            user=application.applicant_user,
            fields={"awarded_cents": 1},
        )
    assert Application.objects.get(pk=application.pk).awarded_cents is None


@pytest.mark.parametrize(
    "source",
    [
        "Application.objects.filter(pk=1).update(impact_score=80)",
        "application.awarded_cents = 0",
        "a.b.allocation_outcome = 'x'",
        "setattr(application, 'preconditions_met', True)",
        "Application.objects.filter(pk=1).update(**values)",
        "round.applications.update(awarded_cents=None)",
        "Application.objects.update_or_create(pk=1, defaults={'rank': 2})",
        "Application(preconditions_met=True)",
        "application.save(update_fields=['proposed_cents'])",
        "Application.objects.bulk_update(rows, ['awarded_cents'])",
    ],
)
def test_the_check_sees_each_way_of_writing(source):
    """The check bites: each of these is reported."""
    assert fact_writes(source)


def test_the_check_leaves_reading_and_other_models_alone():
    source = (
        "x = application.awarded_cents\n"
        "Application.objects.filter(awarded_cents__gt=0)\n"
        "AssessmentSummary.objects.filter(pk=1).update(impact_score=80)\n"
        "facts.record_assessment(application, impact_score=80, proposed_cents=1)\n"
    )
    assert fact_writes(source) == []


@pytest.mark.django_db
def test_the_recorded_facts_drive_the_workflow_to_an_award():
    """Recorded through the API, each fact is on the row and the next transition
    fires: accepted, assessed, awarded with the recorded amount."""
    application = ApplicationFactory(submitted=True)
    staff, decider = assessor(), decision_maker()
    facts.record_preconditions(application, met=True)
    services.fire(application=application, transition="accept", actor=staff)
    facts.record_assessment(
        application, impact_score=Decimal("72.50"), proposed_cents=200_000
    )
    services.fire(
        application=application, transition="complete_assessment", actor=staff
    )
    facts.record_allocation(application, honoured=True, awarded_cents=200_000, rank=1)
    services.fire(application=application, transition="award", actor=decider)
    stored = Application.objects.get(pk=application.pk)
    assert stored.status == Status.AWARDED
    assert stored.preconditions_met is True
    assert stored.impact_score == Decimal("72.50")
    assert stored.proposed_cents == 200_000
    assert stored.allocation_outcome == AllocationOutcome.HONOURED
    assert (stored.awarded_cents, stored.rank) == (200_000, 1)


@pytest.mark.django_db
def test_a_released_allocation_no_longer_decides():
    application = ApplicationFactory(submitted=True)
    facts.record_allocation(application, honoured=True, awarded_cents=5_000, rank=3)
    facts.release_allocation(application)
    stored = Application.objects.get(pk=application.pk)
    assert stored.allocation_outcome == ""
    assert (stored.awarded_cents, stored.rank) == (None, None)
    assert application.allocation_outcome == ""  # the object given is updated too


@pytest.mark.django_db
def test_not_honoured_records_nothing_awarded():
    application = ApplicationFactory(submitted=True)
    facts.record_allocation(
        application, honoured=False, awarded_cents=5_000, rank=9, reason="Op."
    )
    stored = Application.objects.get(pk=application.pk)
    assert stored.allocation_outcome == AllocationOutcome.NOT_HONOURED
    assert (stored.awarded_cents, stored.allocation_reason) == (0, "Op.")
