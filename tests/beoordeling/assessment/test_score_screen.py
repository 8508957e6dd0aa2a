"""The scoring form shows the application beside it.

On the demo, scoring happened on a page that did not show the application: the
assessor had to switch between two screens. The score page now holds the same
"De aanvraag" block as the detail screen (summary, impact plan, budget, answers,
documents), next to the form.
"""

import pytest
from django.urls import reverse

from tests.beoordeling.assessment.test_assessment_services import (
    accept,
    assign_and_declare,
)
from tests.factories import assessment_case

pytestmark = pytest.mark.django_db


def test_the_score_page_shows_the_application_beside_the_form(client):
    """Title, summary, budget and the scheme's questions are on the scoring page."""
    case = assessment_case()
    accept(case)
    mine, _other = assign_and_declare(case)
    application = case.application
    client.force_login(mine.assessor)
    page = client.get(reverse("beoordelen:score", args=[application.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="score-layout"' in html
    aside = html[html.index("score-layout__application") :]
    assert "De aanvraag" in aside
    assert application.summary.split()[0] in aside
    assert "Begroting" in aside and "Totaal gevraagd" in aside
    assert "Vragen van de regeling" in aside
    assert 'name="score_I1"' in html
