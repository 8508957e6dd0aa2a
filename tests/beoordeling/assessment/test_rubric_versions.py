"""Rubrics are versioned: a change is a new version, and given scores never change."""

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from accounts.roles import ADMINISTRATOR
from beoordeling.assessment import services as services
from beoordeling.models import ImmutableRecordError, Rubric, RubricCriterion, Score
from tests.beoordeling.assessment.test_assessment_services import (
    IF_SCORES,
    accept,
    assign_and_declare,
    submit,
)
from tests.factories import SchemeFactory, UserFactory, assessment_case, rubric_for

pytestmark = pytest.mark.django_db

CHANGED = [
    {"code": "I1", "name": "Maatschappelijke doelen", "weight": 40, "knockout": False},
    {"code": "I2", "name": "Bewoners aan zet", "weight": 40, "knockout": True},
    {"code": "I6", "name": "Duurzaamheid", "weight": 20, "knockout": False},
]


def test_publishing_makes_the_next_version_and_keeps_the_old_one():
    """Version 2 exists beside version 1, which is unchanged."""
    scheme = SchemeFactory()
    first = rubric_for(scheme)
    before = list(first.criteria.values_list("code", "weight"))
    second = services.rubric_publish(scheme=scheme, criteria=CHANGED, note="Nieuw")
    assert (first.version, second.version) == (1, 2)
    assert Rubric.objects.current_for(scheme) == second
    assert list(first.criteria.values_list("code", "weight")) == before
    assert [c.code for c in second.criteria.all()] == ["I1", "I2", "I6"]


def test_published_rows_cannot_be_edited():
    """Saving a published rubric or criterion again raises."""
    rubric = rubric_for(SchemeFactory())
    criterion = rubric.criteria.first()
    criterion.weight = 99
    with pytest.raises(ImmutableRecordError):
        criterion.save()
    rubric.note = "Stiekem aangepast"
    with pytest.raises(ImmutableRecordError):
        rubric.save()
    assert RubricCriterion.objects.get(pk=criterion.pk).weight != 99


def test_a_new_version_never_changes_given_scores():
    """Scores given on version 1 keep their criteria, weights and impact score."""
    case = assessment_case()
    accept(case)
    first, second = assign_and_declare(case)
    submit(first, IF_SCORES)
    submit(second, IF_SCORES)
    case.application.refresh_from_db()
    score_before = case.application.impact_score
    services.rubric_publish(scheme=case.scheme, criteria=CHANGED, note="Nieuw")
    scores = Score.objects.filter(assessment__application=case.application)
    assert {s.criterion.rubric_id for s in scores} == {case.rubric.pk}
    from beoordeling.assessment import selectors

    state = selectors.assessment_state(case.application)
    assert state.rubric == case.rubric
    assert state.final.impact_score == score_before
    with pytest.raises(ProtectedError):
        case.rubric.criteria.first().delete()


def test_an_invalid_rubric_is_refused_in_dutch():
    """Duplicate codes or a weight of 0 are the administrator's error, in Dutch."""
    scheme = SchemeFactory()
    with pytest.raises(services.AssessmentError, match="meer dan één keer"):
        services.rubric_publish(
            scheme=scheme,
            criteria=[
                {"code": "A", "name": "Een", "weight": 1},
                {"code": "A", "name": "Twee", "weight": 1},
            ],
        )
    with pytest.raises(services.AssessmentError, match="gewicht"):
        services.rubric_publish(
            scheme=scheme, criteria=[{"code": "A", "name": "Een", "weight": 0}]
        )
    assert not Rubric.objects.filter(scheme=scheme).exists()


def formset_data(rows, note="Gewicht I1 verhoogd"):
    data = {
        "note": note,
        "criteria-TOTAL_FORMS": str(len(rows)),
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "1",
        "criteria-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            if key == "knockout":
                if value:
                    data[f"criteria-{index}-knockout"] = "on"
            else:
                data[f"criteria-{index}-{key}"] = str(value)
    return data


def test_administrator_publishes_a_version_in_the_admin(client):
    """The Beheerder edits a copy of the current criteria and publishes version 2."""
    scheme = SchemeFactory()
    rubric_for(scheme)
    client.force_login(UserFactory(role=ADMINISTRATOR))
    publish = reverse("beoordelingsmatrices:publish", args=[scheme.pk])
    form = client.get(publish)
    assert form.status_code == 200
    assert "Bewoners aan zet" in form.content.decode()
    response = client.post(publish, formset_data(CHANGED))
    assert response.status_code == 302
    current = Rubric.objects.current_for(scheme)
    assert current.version == 2 and current.note == "Gewicht I1 verhoogd"
    index = client.get(reverse("beoordelingsmatrices:index")).content.decode()
    assert "versie 2" in index and "versie 1" in index


def test_the_admin_shows_rubric_errors(client):
    """A duplicate code comes back on the form as a Dutch message."""
    scheme = SchemeFactory()
    client.force_login(UserFactory(role=ADMINISTRATOR))
    publish = reverse("beoordelingsmatrices:publish", args=[scheme.pk])
    rows = [
        {"code": "A", "name": "Een", "weight": 1},
        {"code": "A", "name": "Twee", "weight": 1},
    ]
    response = client.post(publish, formset_data(rows))
    assert response.status_code == 200
    assert "meer dan één keer" in response.content.decode()
    assert not Rubric.objects.filter(scheme=scheme).exists()


def test_publishing_the_form_as_shown_keeps_every_criterion(client):
    """The publish form is filled from the current version; sent back unchanged (with
    only a note), version 2 has the same criteria, weights and knock-outs."""
    from tests.html_forms import form_data, with_values

    scheme = SchemeFactory()
    first = rubric_for(scheme)
    client.force_login(UserFactory(role=ADMINISTRATOR))
    publish = reverse("beoordelingsmatrices:publish", args=[scheme.pk])
    data = form_data(client.get(publish).content.decode())
    response = client.post(publish, with_values(data, note="Alleen opnieuw bekeken"))
    assert response.status_code == 302
    second = Rubric.objects.current_for(scheme)
    assert second.version == 2

    def rows(rubric):
        return list(
            rubric.criteria.order_by("pk").values_list(
                "code", "name", "anchor", "weight", "knockout"
            )
        )

    assert rows(second) == rows(first)
