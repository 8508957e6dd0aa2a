"""One table per transition beside ``STATE_TABLE`` (``workflow.TRANSITIONS``): staff
label, the resident's words and who fires it. Every transition of the state machine
and every state has exactly one entry, and the table in the workflow's docstring says
the same as the code."""

import re

import pytest

from subsidies import services, workflow
from subsidies.models import Application
from subsidies.selectors.timeline import PUBLIC_EVENTS
from subsidies.workflow import PUBLIC_LABELS, STATE_TABLE, TRANSITIONS, Status

PERMISSION_OF = {
    "applicant": workflow.is_applicant,
    "assessor": workflow.is_assessor,
    "decision maker": workflow.is_decision_maker,
    "financial administrator": workflow.is_financial_administrator,
    "objection handler": workflow.is_objection_decider,
}
STATE_WORDS = {status.value: status for status in Status}


def fsm_transitions():
    field = Application._meta.get_field("status")
    return list(field.get_all_transitions(Application))


def test_every_fsm_transition_has_exactly_one_entry():
    names = [t.name for t in fsm_transitions()]
    assert set(names) == set(TRANSITIONS) == {name for _s, name, _t in STATE_TABLE}
    for name, text in TRANSITIONS.items():
        assert str(text.staff_label).strip(), name
        assert str(text.resident_text).strip(), name


def test_every_state_has_exactly_one_public_label():
    assert set(PUBLIC_LABELS) == set(Status)
    assert len(PUBLIC_LABELS) == len(Status)


def test_who_fires_a_transition_is_the_permission_django_fsm_checks():
    """The table's 'who' is the role whose permission guards the ``@transition``."""
    for transition in fsm_transitions():
        fired_by = TRANSITIONS[transition.name].fired_by
        assert transition.permission is PERMISSION_OF[fired_by], transition.name


def test_the_staff_and_the_resident_read_the_table_words():
    """The staff's action names and the resident's status page come from the table."""
    for name, text in TRANSITIONS.items():
        assert services.TRANSITION_LABELS[name] == text.staff_label
        assert PUBLIC_EVENTS[name] == text.resident_text
    assert str(TRANSITIONS["request_supplement"].staff_label) == "aanvulling vragen"


def _docstring_table():
    """(source, name, target, who) from the state table in the module docstring."""
    doc = workflow.__doc__
    block = doc.split("::", 1)[1].split("\n\n", 2)[1]
    rows = set()
    pattern = re.compile(
        r"^    (?P<name>[a-z_]+)\s+(?P<sources>[a-z_, \n]+?)\s*->\s*"
        r"(?P<target>[a-z_]+)\s+(?P<who>[a-z ]+?)\s*$",
        re.MULTILINE,
    )
    # Join a row whose sources run over two lines (withdraw).
    joined = re.sub(r",\n\s+", ", ", block)
    for match in pattern.finditer(joined):
        for source in match["sources"].split(","):
            rows.add(
                (
                    STATE_WORDS[source.strip()],
                    match["name"],
                    STATE_WORDS[match["target"]],
                    match["who"].strip(),
                )
            )
    return rows


def test_the_docstring_state_table_is_the_code():
    """Each documented row (source, transition, target, who) is in ``STATE_TABLE`` and
    ``TRANSITIONS``, and nothing in the code is missing from the documentation."""
    documented = _docstring_table()
    in_code = {
        (source, name, target, TRANSITIONS[name].fired_by)
        for source, name, target in STATE_TABLE
    }
    assert documented == in_code


@pytest.mark.parametrize("name", sorted(TRANSITIONS))
def test_each_transition_is_documented_once(name):
    doc_names = re.findall(r"^    ([a-z_]+)\s+\S", workflow.__doc__, re.MULTILINE)
    assert doc_names.count(name) == 1
