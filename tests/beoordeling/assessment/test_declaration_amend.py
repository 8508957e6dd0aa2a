"""A declaration of "geen belang" can be amended when a conflict comes to light (Awb 2:4).

On the demo a declared "geen belang" could never be changed. Now the assessor amends it
with a reason: they recuse from then on (their scores stop counting, their seat is free),
and the log keeps both the first declaration and the amendment.
"""

import pytest
from django.urls import reverse

from beoordeling.assessment import selectors
from beoordeling.assessment import services as services
from beoordeling.assessment.services import AssessmentError
from beoordeling.models import AssessmentEvent
from tests.beoordeling.assessment.test_assessment_services import (
    IF_SCORES,
    accept,
    assign_and_declare,
    submit,
)
from tests.factories import assessment_case, assessor

pytestmark = pytest.mark.django_db


def test_an_amended_declaration_recuses_from_then_on_and_keeps_the_history():
    """After scoring, the assessor finds a conflict: the amendment needs a reason,
    the scores stop counting, a third assessor can take the seat, and both the first
    declaration and the amendment stay in the log."""
    case = assessment_case()
    accept(case)
    mine, _other = assign_and_declare(case)
    submit(mine, IF_SCORES)
    assert [a.pk for a in selectors.assessment_state(case.application).submitted] == [
        mine.pk
    ]
    with pytest.raises(AssessmentError, match="welk belang"):
        services.assessment_declaration_amend(
            assessment=mine, actor=mine.assessor, reason="  "
        )
    with pytest.raises(AssessmentError, match="zelf"):
        services.assessment_declaration_amend(
            assessment=mine, actor=case.assessors[1], reason="Zij kent hem."
        )
    amended = services.assessment_declaration_amend(
        assessment=mine,
        actor=mine.assessor,
        reason="De penningmeester blijkt mijn zwager te zijn.",
    )
    assert amended.conflict and amended.declared_at is not None
    assert amended.conflict_reason == "De penningmeester blijkt mijn zwager te zijn."
    assert selectors.assessment_state(case.application).submitted == []
    assert not selectors.may_act(mine.assessor, case.application)
    kinds = list(
        AssessmentEvent.objects.filter(actor=mine.assessor)
        .order_by("pk")
        .values_list("kind", "text")
    )
    assert AssessmentEvent.Kind.DECLARED in [kind for kind, _text in kinds]
    assert kinds[-1][0] == AssessmentEvent.Kind.RECUSED
    assert "zwager" in kinds[-1][1] and "Verklaring gewijzigd" in kinds[-1][1]
    third = assessor()
    case.team.members.add(third)
    services.assessor_assign(application=case.application, assessor=third, actor=third)
    with pytest.raises(AssessmentError, match="al teruggetrokken"):
        services.assessment_declaration_amend(
            assessment=amended, actor=mine.assessor, reason="Nog eens."
        )


def test_the_detail_screen_offers_the_amendment_and_the_form_records_it(client):
    """The assessor's own screen links to "Verklaring wijzigen"; an empty reason is
    a form error (not a 500), a reason recuses."""
    case = assessment_case()
    accept(case)
    mine, _other = assign_and_declare(case)
    client.force_login(mine.assessor)
    pk = case.application.pk
    amend = reverse("beoordelen:declare_amend", args=[pk])
    detail = client.get(reverse("beoordelen:detail", args=[pk])).content.decode()
    assert amend in detail
    refused = client.post(amend, {"reason": ""})
    assert refused.status_code == 200
    assert "reason" in refused.context["form"].errors
    done = client.post(amend, {"reason": "Ik zit in het bestuur."})
    assert done.status_code == 302
    mine.refresh_from_db()
    assert mine.conflict
    detail = client.get(reverse("beoordelen:detail", args=[pk])).content.decode()
    assert amend not in detail
