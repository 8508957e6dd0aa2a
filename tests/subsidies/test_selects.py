"""Every select a resident or visitor meets is the gemeente Utrecht select.

The class ``utrecht-select utrecht-select--html-select`` is what gives the select its
arrow (the component hides the browser's and draws one); a select without it looks
like a text box. The browser check of the arrow itself is in tests/e2e/test_reflow.py.
"""

import re

import pytest
from django.urls import reverse

from subsidies import steps
from subsidies.forms import BudgetFormSet
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

UTRECHT_SELECT = "utrecht-select utrecht-select--html-select"
SELECT = re.compile(r"<select\b[^>]*>")


def _selects(html):
    return SELECT.findall(html)


def _class(tag):
    match = re.search(r'\bclass="([^"]*)"', tag)
    return match.group(1) if match else ""


@pytest.mark.parametrize(
    "step", [steps.INITIATIVE, steps.BUDGET, steps.DOCUMENTS], ids=str
)
def test_the_selects_of_the_form_steps_are_utrecht_selects(client, step):
    """Step 2 (wijk), step 4 (soort kosten) and step 5 (soort document)."""
    application = ApplicationFactory()
    client.force_login(application.applicant_user)
    url = reverse("subsidies:step", args=[application.reference, step])
    html = client.get(url).content.decode()
    selects = _selects(html)
    assert selects, f"no select on step {step}"
    for tag in selects:
        assert UTRECHT_SELECT in _class(tag), tag


def test_the_selects_of_the_open_data_page_are_utrecht_selects(client):
    selects = _selects(client.get(reverse("opendata:index")).content.decode())
    assert selects
    for tag in selects:
        assert UTRECHT_SELECT in _class(tag), tag


def test_an_unanswered_select_is_marked_invalid():
    """A budget line without a kind of cost: the select says so, to eyes and to AT."""
    formset = BudgetFormSet(
        data={
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-0-description": "Boodschappen",
            "lines-0-amount": "100",
        },
        prefix="lines",
    )
    assert not formset.is_valid()
    (tag,) = _selects(str(formset.forms[0]["category"]))
    assert f"{UTRECHT_SELECT} utrecht-select--invalid" in _class(tag)
    assert 'aria-invalid="true"' in tag
