"""The hostile-input property of ``tests/portal/test_hostile_input.py`` for the staff
forms it did not cover yet (issue #12): randvoorwaarden, assigning an assessor,
consensus (propose, answer, decide as a third) and publishing a rubric version.

Whatever an assessor or administrator types (overlong text, 20-digit and other
absurd numbers, NUL bytes, choices that were never offered, forged formset counts):
a form error or a redirect, never a 500; a refused form is shown again with what was
typed; whatever was stored is within bounds.
"""

import html
import re

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from beoordeling.assessment import services
from beoordeling.models import (
    Assessment,
    ConsensusNote,
    PreconditionRule,
    Rubric,
    RubricCriterion,
)
from subsidies.models import Application
from tests.beoordeling.assessment.test_assessment_services import (
    accept,
    assign_and_declare,
    submit,
)
from tests.factories import assessment_case, assessor
from tests.portal.test_hostile_input import HOSTILE, NASTY, hostile, post, posts

pytestmark = pytest.mark.django_db

#: Text that, when it is in a refused form, must be on the page again as typed.
PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 .,]{2,80}")
TWENTY_DIGITS = "9" * 20
assert "\x00" in NASTY and TWENTY_DIGITS in "".join(NASTY)


def assert_kept(response, body, names):
    """A refused form shows the plain texts that were typed in ``names`` again."""
    if response.status_code != 200:
        return
    page = html.unescape(response.content.decode())
    for name in names:
        value = body.get(name)
        if isinstance(value, str) and PLAIN.fullmatch(value) and value.strip() == value:
            assert value in page, f"{name}={value!r} was not kept"


@pytest.fixture
def staff_world(django_user_model):
    checking = assessment_case()
    assigning = assessment_case(assessors=3)
    accept(assigning)
    apart = assessment_case(assessors=3)
    accept(apart)
    first, second = assign_and_declare(apart, people=apart.assessors[:2])
    submit(first, {"I1": 4, "I2": 4, "I3": 4, "I4": 3, "I5": 3})
    submit(second, {"I1": 2, "I2": 2, "I3": 2, "I4": 3, "I5": 3})
    # I1: a proposal waits for the second; I3: they disagreed, a third may decide;
    # I2: nothing proposed yet.
    one, two = apart.assessors[:2]
    apart.proposal = services.consensus_propose(
        application=apart.application,
        actor=one,
        criterion_code="I1",
        score=3,
        note="Voorstel.",
    )
    disagreed = services.consensus_propose(
        application=apart.application,
        actor=one,
        criterion_code="I3",
        score=3,
        note="Voorstel.",
    )
    services.consensus_answer(
        proposal=disagreed, actor=two, agree=False, response="Te hoog."
    )
    administrator = django_user_model.objects.create_superuser(
        email="beheer-hostile@example.org", password="x"
    )
    return {
        "checking": checking,
        "assigning": assigning,
        "apart": apart,
        "administrator": administrator,
    }


# --- randvoorwaarden ------------------------------------------------------------------


def _precondition_posts(codes):
    valid = st.fixed_dictionaries(
        {
            **{
                f"outcome_{code}": st.sampled_from(["voldaan", "niet_voldaan"])
                for code in codes
            },
            **{
                f"motivation_{code}": st.just("Gezien in de statuten.")
                for code in codes
            },
        }
    )
    return posts(valid)


@HOSTILE
@given(data=st.data())
def test_the_preconditions_form_never_fails(client, staff_world, data):
    case = staff_world["checking"]
    codes = list(
        PreconditionRule.objects.filter(scheme=case.scheme).values_list(
            "code", flat=True
        )
    )
    body = data.draw(_precondition_posts(codes))
    with transaction.atomic():
        client.force_login(case.assessors[0])
        url = reverse("beoordelen:preconditions", args=[case.application.pk])
        response = post(client, url, body)
        assert_kept(response, body, [f"motivation_{c}" for c in codes])
        application = Application.objects.get(pk=case.application.pk)
        assert "\x00" not in application.preconditions_motivation
        transaction.set_rollback(True)


# --- assigning an assessor ------------------------------------------------------------


@HOSTILE
@given(
    data=st.data(),
    assessor_value=st.one_of(
        st.sampled_from(["candidate", "stranger", "-1", "0", TWENTY_DIGITS, "1e3"]),
        hostile,
    ),
)
def test_assigning_an_assessor_never_fails(client, staff_world, data, assessor_value):
    case = staff_world["assigning"]
    stranger = assessor()  # not in any team: never offered
    values = {
        "candidate": str(case.assessors[1].pk),
        "stranger": str(stranger.pk),
    }
    body = {"assessor": values.get(assessor_value, assessor_value)}
    with transaction.atomic():
        client.force_login(case.assessors[0])
        url = reverse("beoordelen:assign", args=[case.application.pk])
        post(client, url, body)
        assigned = set(
            Assessment.objects.filter(application=case.application).values_list(
                "assessor_id", flat=True
            )
        )
        assert stranger.pk not in assigned or assessor_value == "stranger"
        assert len(assigned) <= case.scheme.assessors_required
        transaction.set_rollback(True)


# --- consensus ------------------------------------------------------------------------


#: Stands for the id of the waiting proposal (the world is made after the strategies).
PROPOSAL = "the-waiting-proposal"


def _consensus_posts():
    valid = st.fixed_dictionaries(
        {
            "action": st.sampled_from(["propose", "agree", "disagree", "decide"]),
            "criterion": st.sampled_from(["I1", "I2", "I3"]),
            "proposal": st.just(PROPOSAL),
            "score": st.sampled_from(["0", "2", "3", "4"]),
            "note": st.just("Samen besproken."),
            "response": st.just("Te hoog."),
            "no_conflict": st.just("on"),
        }
    )
    return posts(valid)


@HOSTILE
@given(body=_consensus_posts(), who=st.sampled_from([0, 1, 2]))
def test_the_consensus_form_never_fails(client, staff_world, body, who):
    case = staff_world["apart"]
    body = {
        name: str(case.proposal.pk) if value == PROPOSAL else value
        for name, value in body.items()
    }
    with transaction.atomic():
        client.force_login(case.assessors[who])
        url = reverse("beoordelen:consensus", args=[case.application.pk])
        response = post(client, url, body)
        action = body.get("action")
        typed = {"propose": ["note"], "decide": ["note"], "disagree": ["response"]}
        page = response.content.decode()
        answered = body.get("proposal") == str(case.proposal.pk)
        if f'value="{action}"' in page and (action != "disagree" or answered):
            assert_kept(response, body, typed.get(action, []))  # shown again, kept
        for note in ConsensusNote.objects.filter(application=case.application):
            assert 0 <= note.score <= 4
            assert "\x00" not in note.note + note.response
        transaction.set_rollback(True)


# --- a rubric version -----------------------------------------------------------------


def _rubric_posts():
    row = {
        "code": st.sampled_from(["I1", "I2", "NIEUW"]),
        "name": st.just("Bereik in de buurt"),
        "anchor": st.just(""),
        "weight": st.sampled_from(["1", "25", "1000"]),
        "knockout": st.sampled_from(["", "on"]),
    }
    valid = st.builds(
        lambda first, second, note: {
            "note": note,
            "criteria-TOTAL_FORMS": "2",
            "criteria-INITIAL_FORMS": "0",
            "criteria-MIN_NUM_FORMS": "1",
            "criteria-MAX_NUM_FORMS": "1000",
            **{f"criteria-0-{k}": v for k, v in first.items()},
            **{f"criteria-1-{k}": v for k, v in second.items()},
        },
        st.fixed_dictionaries(row),
        st.fixed_dictionaries(row),
        st.just("Gewichten bijgesteld."),
    )
    return posts(valid, extra=("criteria-0-DELETE", "criteria-2-code"))


@HOSTILE
@given(body=_rubric_posts())
def test_publishing_a_rubric_version_never_fails(client, staff_world, body):
    case = staff_world["checking"]
    before = Rubric.objects.filter(scheme=case.scheme).count()
    with transaction.atomic():
        client.force_login(staff_world["administrator"])
        url = reverse("beoordelingsmatrices:publish", args=[case.scheme.pk])
        response = post(client, url, body)
        typed = ["note"]
        if body.get("criteria-TOTAL_FORMS") == "2":  # rows a browser would send
            typed += ["criteria-0-name", "criteria-1-name"]
        assert_kept(response, body, typed)
        rubrics = Rubric.objects.filter(scheme=case.scheme)
        assert rubrics.count() in (before, before + 1)
        for criterion in RubricCriterion.objects.filter(rubric__scheme=case.scheme):
            assert 1 <= criterion.weight <= 1000
            assert "\x00" not in criterion.name + criterion.code + criterion.anchor
        transaction.set_rollback(True)
