"""The queue shows exactly the applications the visibility rule allows.

``selectors.queue`` writes the rule of ``applications_visible_to`` in the order that
serves a long queue (team wijken and regelingen first, the user's own assessments as
a correlated EXISTS). Whatever the order, the rows must be the same: an assessor sees
what is assigned to them, what lies in their team's wijken and what belongs to their
team's regelingen, nothing else; the queue page lists those and no other.
"""

import pytest
from django.urls import reverse

from beoordeling.assessment.selectors import applications_visible_to, queue
from subsidies.models import Application
from subsidies.workflow import Status
from tests.factories import (
    ApplicantFactory,
    RoundFactory,
    SchemeFactory,
    TeamFactory,
    WijkFactory,
    assessor,
    decision_maker,
    rubric_for,
)

from .test_queue import assign_all, bulk_applications

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    """Four kinds of application for one assessor: assigned to her only, in her
    team's wijk, in her team's regeling, and none of these; plus a concept."""
    own_scheme = SchemeFactory()
    other_scheme = SchemeFactory(
        slug="buurtbudget", name="Buurtbudget", reference_prefix="BB"
    )
    rubric = rubric_for(own_scheme)
    own_round = RoundFactory(scheme=own_scheme)
    other_round = RoundFactory(scheme=other_scheme)
    team_wijk, other_wijk = WijkFactory(), WijkFactory()
    applicant = ApplicantFactory()
    me, stranger = assessor(), assessor()
    TeamFactory(members=[me], wijken=[team_wijk], schemes=[own_scheme])
    TeamFactory(members=[stranger], wijken=[])

    def make(start, round_, wijk, **fields):
        return bulk_applications(
            3, round_=round_, wijk=wijk, applicant=applicant, start=start, **fields
        )

    groups = {
        "assigned": make(0, other_round, other_wijk),
        "team wijk": make(10, other_round, team_wijk),
        "team scheme": make(20, own_round, other_wijk),
        "no wijk, team scheme": make(30, own_round, None),
        "elsewhere": make(40, other_round, other_wijk),
        "no wijk, elsewhere": make(50, other_round, None),
        "concept in team wijk": make(60, other_round, team_wijk, status=Status.DRAFT),
    }
    assign_all(groups["assigned"], [me], rubric)
    assign_all(groups["elsewhere"][:1], [stranger], rubric)
    return {"me": me, "stranger": stranger, "groups": groups}


def _references(applications):
    return {a.reference for a in applications}


def test_the_queue_holds_the_visibility_rule_for_each_kind_of_user(city):
    """For an assessor with a team, one without wijken, a decision maker and a user
    without a role, the queue's rows are the rule's rows."""
    groups = city["groups"]
    nobody = decision_maker()
    nobody.groups.clear()
    for user in (city["me"], city["stranger"], decision_maker(), nobody):
        assert set(queue(user).values_list("pk", flat=True)) == set(
            applications_visible_to(user).values_list("pk", flat=True)
        )
    expected = set()
    for name in ("assigned", "team wijk", "team scheme", "no wijk, team scheme"):
        expected |= _references(groups[name])
    assert _references(queue(city["me"])) == expected
    assert _references(queue(city["stranger"])) == _references(groups["elsewhere"][:1])
    assert not queue(nobody).exists()
    everything = Application.objects.exclude(status=Status.DRAFT)
    assert queue(decision_maker()).count() == everything.count() == 18


def test_the_queue_page_lists_only_the_visible_applications(client, city):
    """The page the assessor opens (with decided ones included) shows the references
    of her applications and none of the others."""
    client.force_login(city["me"])
    page = client.get(reverse("beoordelen:index") + "?closed=true").content.decode()
    groups = city["groups"]
    for name, applications in groups.items():
        for reference in _references(applications):
            shown = reference in page
            assert shown == (
                name not in ("elsewhere", "no wijk, elsewhere", "concept in team wijk")
            ), (
                name,
                reference,
            )
