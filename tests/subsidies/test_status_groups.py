"""Every group of statuses is defined once, in ``subsidies.workflow``, and agrees with
the state machine; no other module spells out its own group."""

import ast
from pathlib import Path

from subsidies import workflow
from subsidies.workflow import (
    BEFORE_FIXING_STATES,
    CLOCK_RUNNING_STATES,
    CLOSED_STATES,
    DECIDED_STATES,
    FINAL_STATES,
    GRANTED_STATES,
    IN_PROCESS_STATES,
    OBJECTION_TRANSITIONS,
    OPEN_STATES,
    REPORT_STATES,
    STATE_TABLE,
    SUBMITTED_STATES,
    Status,
)

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("accounts", "beoordeling", "cms", "portal", "subsidies")

#: Groups that are not a stage of the workflow, with the reason they stay put.
ALLOWED = {
    # The outcomes a file of historical decisions may carry: a rule of the import
    # format (a set-aside or withdrawn history is not imported), not of the workflow.
    ("beoordeling/overviews/imports/resources.py", "IMPORT_STATUSES"),
}


def _is_status_member(node):
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Status"
    )


def _is_status_group(node):
    """A literal collection of two or more ``Status.X``, or a comprehension over
    ``Status`` (``tuple(s for s in Status if ...)``)."""
    if isinstance(node, ast.Call) and node.args:
        return _is_status_group(node.args[0])
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        members = [e for e in node.elts if _is_status_member(e)]
        return len(members) >= 2 and len(members) == len(node.elts)
    if isinstance(node, (ast.GeneratorExp, ast.ListComp, ast.SetComp)):
        return any(
            isinstance(gen.iter, ast.Name) and gen.iter.id == "Status"
            for gen in node.generators
        )
    return False


def _status_groups_outside_workflow():
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or relative == "subsidies/workflow.py":
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Assign) and _is_status_group(node.value):
                    for target in node.targets:
                        name = getattr(target, "id", getattr(target, "attr", "?"))
                        if (relative, name) not in ALLOWED:
                            found.append(f"{relative}:{node.lineno} {name}")
    return found


def test_no_module_but_the_workflow_defines_a_group_of_statuses():
    """A group such as 'open' or 'decided' written out anywhere else is a second copy
    that can drift; import it from ``subsidies.workflow`` instead."""
    assert _status_groups_outside_workflow() == []


def test_the_scan_finds_a_group_written_out():
    """The check bites: a module that writes a group out is found."""
    sample = ast.parse(
        "DONE = (Status.AWARDED, Status.REJECTED)\n"
        "ALL = tuple(s for s in Status if s != Status.DRAFT)\n"
        "ONE = (Status.AWARDED,)\n"
    )
    assigned = [n for n in sample.body if _is_status_group(n.value)]
    assert [n.targets[0].id for n in assigned] == ["DONE", "ALL"]


def test_the_groups_agree_with_the_state_machine():
    """Final states have no way out; closed are those and the granted ones (the
    application itself is done); decided is closed by a decision of the gemeente;
    in process is submitted and not closed; the clock stops during an aanvulling."""
    sources = {
        source
        for source, transition, _target in STATE_TABLE
        if transition not in OBJECTION_TRANSITIONS
    }
    every = set(Status)
    assert set(SUBMITTED_STATES) == every - {Status.DRAFT}
    assert list(SUBMITTED_STATES) == [s for s in Status if s != Status.DRAFT]
    assert every - sources == FINAL_STATES
    assert FINAL_STATES | set(GRANTED_STATES) == CLOSED_STATES
    assert set(GRANTED_STATES) - sources == {Status.REVOKED}
    assert set(REPORT_STATES) < set(BEFORE_FIXING_STATES) < set(GRANTED_STATES)
    assert set(DECIDED_STATES) == CLOSED_STATES - {Status.WITHDRAWN}
    assert set(IN_PROCESS_STATES) == set(SUBMITTED_STATES) - CLOSED_STATES
    assert set(OPEN_STATES) == set(IN_PROCESS_STATES) - {Status.ASSESSED}
    assert (
        set(IN_PROCESS_STATES) - {Status.SUPPLEMENT_REQUESTED} == CLOCK_RUNNING_STATES
    )
    for group in (DECIDED_STATES, IN_PROCESS_STATES, OPEN_STATES, SUBMITTED_STATES):
        assert len(group) == len(set(group)), group


def test_the_screens_use_the_workflow_groups():
    """The assessment screens, the decisions and the exports read the same objects."""
    from beoordeling.assessment import selectors as assessment_selectors
    from beoordeling.decisions import selectors as decision_selectors
    from beoordeling.overviews.exports.resources import (
        RESOURCES,
        AwardOverviewResource,
    )

    assert assessment_selectors.OPEN_STATES is workflow.OPEN_STATES
    assert decision_selectors.DECIDED_STATES is workflow.DECIDED_STATES
    assert AwardOverviewResource.statuses is workflow.DECIDED_STATES
    assert any(r.statuses is workflow.SUBMITTED_STATES for r in RESOURCES.values())
