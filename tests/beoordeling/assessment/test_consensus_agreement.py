"""Consensus is agreed by both assessors, or decided by a third (issue #12).

Finding: "One assessor alone records the consensus." Now one assessor proposes the
score for a criterion where they were 2 or more points apart; it counts only when the
other assessor agrees. When the other does not agree, a third assessor decides: not
one of the two, and not recused. Every step is in the application's history.
"""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from beoordeling.assessment import selectors
from beoordeling.assessment import services as services
from beoordeling.assessment.services import AssessmentError
from beoordeling.models import (
    Assessment,
    AssessmentEvent,
    ConsensusNote,
    ConsensusStatus,
)
from subsidies.models import Application
from subsidies.workflow import Status
from tests.beoordeling.assessment.test_assessment_services import (
    accept,
    assign_and_declare,
    submit,
)
from tests.factories import assessment_case, assessor

pytestmark = pytest.mark.django_db

NOTE = "Na overleg: goed, maar nog niet voorbeeldig."


@pytest.fixture
def apart():
    """Two assessors 2 points apart on I1; a third assessor in the same team."""
    case = assessment_case(assessors=3)
    accept(case)
    first, second = assign_and_declare(case, people=case.assessors[:2])
    submit(first, {"I1": 4, "I2": 3, "I3": 3, "I4": 3, "I5": 3})
    submit(second, {"I1": 2, "I2": 3, "I3": 3, "I4": 3, "I5": 3})
    application = Application.objects.get(pk=case.application.pk)
    assert selectors.assessment_state(application).open_disagreements == ("I1",)
    return case, first.assessor, second.assessor, case.assessors[2]


def _status(case):
    return Application.objects.get(pk=case.application.pk).status


def _propose(case, actor, score=3, note=NOTE):
    return services.consensus_propose(
        application=case.application,
        actor=actor,
        criterion_code="I1",
        score=score,
        note=note,
    )


def test_one_assessor_alone_no_longer_records_the_consensus(apart):
    case, first, second, _third = apart
    proposal = _propose(case, first)
    assert proposal.status == ConsensusStatus.PROPOSED
    # A proposal does not count: still an open disagreement, still in assessment.
    state = selectors.assessment_state(case.application)
    assert state.open_disagreements == ("I1",)
    assert _status(case) == Status.IN_ASSESSMENT
    # The proposer cannot agree with themselves, and a second proposal waits.
    with pytest.raises(AssessmentError):
        services.consensus_answer(
            proposal=proposal, actor=first, agree=True, response=""
        )
    with pytest.raises(AssessmentError):
        _propose(case, second, score=2)

    services.consensus_answer(proposal=proposal, actor=second, agree=True, response="")
    proposal.refresh_from_db()
    assert proposal.status == ConsensusStatus.AGREED
    assert proposal.recorded_by == first and proposal.responded_by == second
    application = Application.objects.get(pk=case.application.pk)
    assert application.status == Status.ASSESSED
    assert application.impact_score == Decimal("75.00")
    kinds = list(
        AssessmentEvent.objects.filter(application=application)
        .filter(kind__startswith="consensus")
        .values_list("kind", "actor")
    )
    assert kinds == [
        (AssessmentEvent.Kind.CONSENSUS_PROPOSED, first.pk),
        (AssessmentEvent.Kind.CONSENSUS, second.pk),
    ]


def test_when_they_disagree_a_third_assessor_decides(apart):
    case, first, second, third = apart
    proposal = _propose(case, first)
    with pytest.raises(AssessmentError) as error:
        services.consensus_answer(
            proposal=proposal, actor=second, agree=False, response=""
        )
    assert "response" in error.value.errors  # disagreeing needs a reason
    services.consensus_answer(
        proposal=proposal,
        actor=second,
        agree=False,
        response="Een 3 is te hoog: het bereik is niet onderbouwd.",
    )
    assert ConsensusNote.objects.get(pk=proposal.pk).status == ConsensusStatus.DISAGREED
    assert _status(case) == Status.IN_ASSESSMENT

    # Neither of the two can decide as "third".
    for person in (first, second):
        with pytest.raises(AssessmentError):
            services.consensus_decide(
                application=case.application,
                actor=person,
                criterion_code="I1",
                score=3,
                note=NOTE,
                no_conflict=True,
            )
    decided = services.consensus_decide(
        application=case.application,
        actor=third,
        criterion_code="I1",
        score=3,
        note="Ik heb beide motiveringen gelezen: een 3 past bij het impactplan.",
        no_conflict=True,
    )
    assert decided.status == ConsensusStatus.DECIDED and decided.recorded_by == third
    assert _status(case) == Status.ASSESSED
    event = AssessmentEvent.objects.get(
        application=case.application, kind=AssessmentEvent.Kind.CONSENSUS_THIRD
    )
    assert event.actor == third


def test_a_recused_assessor_cannot_be_the_third(apart):
    case, first, _second, third = apart
    # A third who declared a conflict of interest on this application (recused).
    Assessment.objects.create(
        application=case.application,
        assessor=third,
        rubric=case.rubric,
        assigned_at=timezone.now(),
        declared_at=timezone.now(),
        conflict=True,
        conflict_reason="Mijn buurvrouw.",
    )
    proposal = _propose(case, first)
    services.consensus_answer(
        proposal=proposal, actor=_second, agree=False, response="Te hoog."
    )
    with pytest.raises(AssessmentError):
        services.consensus_decide(
            application=case.application,
            actor=third,
            criterion_code="I1",
            score=3,
            note=NOTE,
            no_conflict=True,
        )
    assert _status(case) == Status.IN_ASSESSMENT


def test_a_third_cannot_decide_before_the_two_disagree(apart):
    case, first, _second, third = apart
    with pytest.raises(AssessmentError):
        services.consensus_decide(
            application=case.application,
            actor=third,
            criterion_code="I1",
            score=3,
            note=NOTE,
            no_conflict=True,
        )
    _propose(case, first)
    with pytest.raises(AssessmentError):
        services.consensus_decide(
            application=case.application,
            actor=third,
            criterion_code="I1",
            score=3,
            note=NOTE,
            no_conflict=True,
        )


def test_the_consensus_screen_proposes_then_the_other_agrees(client, apart):
    """Through the screens: the first proposes; the second sees the proposal with
    its note and agrees; the detail page's history shows both steps by name."""
    case, first, second, _third = apart
    pk = case.application.pk
    url = reverse("beoordelen:consensus", args=[pk])
    client.force_login(first)
    response = client.post(
        url, {"action": "propose", "criterion": "I1", "score": "3", "note": NOTE}
    )
    assert response.status_code == 302
    assert _status(case) == Status.IN_ASSESSMENT
    assert "wacht op" in client.get(url).content.decode()

    client.force_login(second)
    html = client.get(url).content.decode()
    assert NOTE in html and "Eens" in html and "Niet eens" in html
    proposal = ConsensusNote.objects.get(application_id=pk)
    response = client.post(
        url, {"action": "agree", "proposal": str(proposal.pk), "response": ""}
    )
    assert response.status_code == 302
    assert _status(case) == Status.ASSESSED
    detail = client.get(reverse("beoordelen:detail", args=[pk])).content.decode()
    assert "Consensus voorgesteld" in detail
    assert "Consensus afgesproken door beide beoordelaars" in detail
    assert first.email in detail and second.email in detail


def test_disagreeing_on_the_screen_needs_a_reason_and_keeps_it(client, apart):
    case, first, second, third = apart
    pk = case.application.pk
    url = reverse("beoordelen:consensus", args=[pk])
    proposal = _propose(case, first)
    client.force_login(second)
    response = client.post(
        url, {"action": "disagree", "proposal": str(proposal.pk), "response": " "}
    )
    assert response.status_code == 200
    assert "Schrijf op waarom" in response.content.decode()
    assert ConsensusNote.objects.get(pk=proposal.pk).status == ConsensusStatus.PROPOSED
    client.post(
        url,
        {"action": "disagree", "proposal": str(proposal.pk), "response": "Te hoog."},
    )
    client.force_login(third)
    html = client.get(url).content.decode()
    assert "Als derde beoordelaar besluiten" in html and "Te hoog." in html
    response = client.post(
        url,
        {
            "action": "decide",
            "criterion": "I1",
            "score": "3",
            "note": "",
            "no_conflict": "on",
        },
    )
    assert response.status_code == 200  # no note: an error, nothing decided
    assert _status(case) == Status.IN_ASSESSMENT
    response = client.post(
        url,
        {
            "action": "decide",
            "criterion": "I1",
            "score": "3",
            "note": "Beide motiveringen gelezen.",
            "no_conflict": "on",
        },
    )
    assert response.status_code == 302
    assert _status(case) == Status.ASSESSED


def test_the_third_is_from_the_team_and_declares_no_interest(apart):
    """An assessor outside the application's team cannot decide; a team member
    must declare having no interest first."""
    case, first, second, third = apart
    proposal = _propose(case, first)
    services.consensus_answer(
        proposal=proposal, actor=second, agree=False, response="Te hoog."
    )
    outsider = assessor()  # in no team of this wijk or scheme
    decide = {
        "application": case.application,
        "criterion_code": "I1",
        "score": 3,
        "note": NOTE,
    }
    with pytest.raises(AssessmentError):
        services.consensus_decide(actor=outsider, no_conflict=True, **decide)
    with pytest.raises(AssessmentError) as error:
        services.consensus_decide(actor=third, no_conflict=False, **decide)
    assert "no_conflict" in error.value.errors
    assert _status(case) == Status.IN_ASSESSMENT
    services.consensus_decide(actor=third, no_conflict=True, **decide)
    assert _status(case) == Status.ASSESSED


def test_a_recused_assessor_cannot_answer_and_nothing_is_agreed_outside_assessment(
    apart,
):
    """The services check what the screens check: an assessor who amended the
    declaration (recused) cannot answer a proposal, and once the application left
    assessment (withdrawn by the applicant) no proposal is made."""
    case, first, second, _third = apart
    proposal = _propose(case, first)
    declaration = Assessment.objects.get(application=case.application, assessor=second)
    services.assessment_declaration_amend(
        assessment=declaration, actor=second, reason="Mijn zus zit in het bestuur."
    )
    with pytest.raises(AssessmentError, match="belangenconflict"):
        services.consensus_answer(
            proposal=proposal, actor=second, agree=True, response=""
        )
    assert ConsensusNote.objects.get(pk=proposal.pk).status == ConsensusStatus.PROPOSED

    Application.objects.filter(pk=case.application.pk).update(status=Status.WITHDRAWN)
    with pytest.raises(AssessmentError, match="niet meer in beoordeling"):
        _propose(case, first, score=2)
