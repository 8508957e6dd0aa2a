"""The workflow buttons on the detail screen come from django-fsm, over states × roles.

For each state and role the workflow buttons the screen shows are (1) exactly the
ones written in the table, so nobody notices a change, and (2) exactly what
django-fsm offers that user (``get_available_user_status_transitions``: source,
guards, permission), minus the recusal rule; the team rule answers 404 before any
button. Two steps record the facts their own guard reads (the randvoorwaarden form
writes ``preconditions_met``, completing writes the impact score): for those the
source and permission come from django-fsm and the guard is the step's own form
(completing also needs the scores in: ``assessment_state(...).complete_possible``).
A POST of a transition not offered is refused with the Dutch message and changes
nothing.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from beoordeling.assessment import selectors, services
from subsidies.models import Application
from subsidies.workflow import Status
from tests.beoordeling.assessment.test_assessment_services import (
    accept,
)
from tests.factories import assessment_case, decision_maker

pytestmark = pytest.mark.django_db

#: Workflow button -> the transitions it fires, and whether its form records the
#: facts the guard reads (then: source and permission only).
BUTTONS = {
    "Randvoorwaarden toetsen": ({"accept", "reject_preconditions"}, True),
    "Aanvulling vragen": ({"request_supplement"}, False),
    "Buiten behandeling stellen": ({"set_aside"}, False),
    "Beoordeling afronden": ({"complete_assessment"}, True),
}


def url(name, *args):
    return reverse(f"beoordelen:{name}", args=args)


def supplement_requested(case, *, expired):
    services.supplement_request(
        application=case.application,
        actor=case.assessors[0],
        message="Begroting ontbreekt.",
        due_on=timezone.localdate() + timedelta(days=7),
    )
    if expired:
        Application.objects.filter(pk=case.application.pk).update(
            supplement_due_at=timezone.now() - timedelta(hours=1)
        )


def in_assessment(case):
    accept(case)


def recuse(case):
    """The acting assessor (``assessors[1]``) declares a conflict of interest."""
    person = case.assessors[1]
    assessment = services.assessor_assign(
        application=case.application, assessor=person, actor=person
    )
    services.assessment_declare(
        assessment=assessment,
        actor=person,
        conflict=True,
        reason="Mijn buurman is penningmeester.",
    )


STATES = {
    "ingediend": lambda case: None,
    "aanvulling, termijn loopt": lambda case: supplement_requested(case, expired=False),
    "aanvulling, termijn verlopen": lambda case: supplement_requested(
        case, expired=True
    ),
    "in beoordeling": in_assessment,
}

#: (state, role) -> the workflow buttons that user sees; the status each state has.
TABLE = [
    ("ingediend", "beoordelaar", {"Randvoorwaarden toetsen", "Aanvulling vragen"}),
    ("ingediend", "beoordelaar met belang", set()),
    ("ingediend", "besluitvormer", set()),
    ("aanvulling, termijn loopt", "beoordelaar", set()),
    ("aanvulling, termijn loopt", "besluitvormer", set()),
    ("aanvulling, termijn verlopen", "beoordelaar", {"Buiten behandeling stellen"}),
    ("aanvulling, termijn verlopen", "beoordelaar met belang", set()),
    ("aanvulling, termijn verlopen", "besluitvormer", set()),
    ("in beoordeling", "beoordelaar", set()),
    ("in beoordeling", "besluitvormer", set()),
]


def user_for(case, role):
    if role == "besluitvormer":
        return decision_maker()
    if role == "beoordelaar met belang":
        recuse(case)
    return case.assessors[1]


def fsm_buttons(application, user, recused):
    """The workflow buttons django-fsm offers ``user``, minus the recusal rule."""
    if recused:
        return set()
    available = {
        t.name for t in application.get_available_user_status_transitions(user)
    }
    within_reach = {
        t.name
        for t in application.get_all_status_transitions()
        if t.source == application.status and t.has_perm(application, user)
    }
    if not selectors.assessment_state(application).complete_possible:
        # Completing records the impact score its guard reads, from the scores in.
        within_reach -= {"complete_assessment"}
    return {
        label
        for label, (names, form_records_guard) in BUTTONS.items()
        if names & (within_reach if form_records_guard else available)
    }


@pytest.mark.parametrize(("state", "role", "expected"), TABLE)
def test_buttons_are_what_django_fsm_offers_minus_recusal(
    client, state, role, expected
):
    case = assessment_case()
    STATES[state](case)
    user = user_for(case, role)
    client.force_login(user)
    response = client.get(url("detail", case.application.pk))
    assert response.status_code == 200
    shown = {a.label for a in response.context["actions"]} & set(BUTTONS)
    page = response.content.decode()
    for label in BUTTONS:
        assert (label in page) == (label in expected), label
    application = Application.objects.get(pk=case.application.pk)
    assert shown == expected
    assert shown == fsm_buttons(
        application, user, recused=role == "beoordelaar met belang"
    )
    # The "Beoordeling afronden" button also needs the scores in (not in this table).
    assert "Beoordeling afronden" not in shown


@pytest.mark.parametrize(
    ("state", "view", "action"),
    [
        ("ingediend", "set_aside", "buiten behandeling stellen"),
        ("aanvulling, termijn loopt", "set_aside", "buiten behandeling stellen"),
        ("in beoordeling", "supplement", "aanvulling vragen"),
        ("in beoordeling", "preconditions", "in behandeling nemen"),
        ("ingediend", "complete", "beoordeling afronden"),
    ],
)
def test_a_post_of_a_step_not_offered_is_refused_in_dutch(client, state, view, action):
    case = assessment_case()
    STATES[state](case)
    before = Application.objects.get(pk=case.application.pk)
    logged = before.transition_log.count()
    client.force_login(case.assessors[1])
    response = client.post(
        url(view, case.application.pk),
        {
            "reason": "Te laat.",
            "message": "Stuur de begroting.",
            "due_on": timezone.localdate() + timedelta(days=7),
        },
        follow=True,
    )
    page = response.content.decode()
    status = Status(before.status).label
    assert (
        f"U kunt deze aanvraag nu niet {action}: de status is &#x27;{status}&#x27;."
        in page
    )
    after = Application.objects.get(pk=case.application.pk)
    assert after.status == before.status
    assert after.supplement_due_at == before.supplement_due_at
    assert after.transition_log.count() == logged


def test_a_recused_assessor_posting_a_step_is_refused():
    """Recusal stays a 403 (the team and recusal rules are the view's own)."""
    from django.test import Client

    case = assessment_case()
    recuse(case)
    client = Client()
    client.force_login(case.assessors[1])
    response = client.post(
        url("supplement", case.application.pk),
        {
            "message": "Stuur de begroting.",
            "due_on": timezone.localdate() + timedelta(days=7),
        },
    )
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"] == reverse("wagtailadmin_home")
    assert Application.objects.get(pk=case.application.pk).status == Status.SUBMITTED
