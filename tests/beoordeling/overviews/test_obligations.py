"""Open obligations after the award on the budget dashboard: every figure read back
against the database (the data set is ``conftest.after_award``)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import ADMINISTRATOR, ASSESSOR
from beoordeling.models import PaymentKind, PaymentStatus
from beoordeling.overviews.obligations import FIGURES, obligations
from subsidies.models import Application
from subsidies.workflow import Settlement, Status
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def expected_figures(round_, wijk=None, today=None):
    """The same figures, one application and one instruction at a time."""
    today = today or timezone.localdate()
    figures = dict.fromkeys(FIGURES, 0)
    applications = Application.objects.filter(round=round_)
    if wijk is not None:
        applications = applications.filter(wijk=wijk)
    for app in applications:
        if app.status == Status.AWARDED and app.report_due_on is not None:
            figures["reports"] += 1
            figures["reports_late"] += app.report_due_on < today
        to_fix = app.status == Status.REPORT_SUBMITTED or (
            app.status == Status.AWARDED
            and app.settlement == Settlement.EX_OFFICIO
            and app.report_due_on is None
            and app.activity_end is not None
            and app.activity_end < today
        )
        if to_fix:
            figures["fixings"] += 1
            figures["fixings_late"] += bool(
                app.fixing_due_on and app.fixing_due_on < today
            )
        for row in app.payment_instructions.all():
            if row.status != PaymentStatus.OPEN:
                continue
            if row.kind == PaymentKind.ADVANCE:
                figures["advances"] += 1
                figures["advances_cents"] += row.amount_cents
                figures["advances_late"] += row.due_on < today
            elif row.kind == PaymentKind.RECLAIM:
                figures["reclaims"] += 1
                figures["reclaims_cents"] += row.amount_cents
    return figures


def as_dict(figures):
    return {name: getattr(figures, name) for name in FIGURES}


def test_the_open_obligations_agree_with_the_database(after_award):
    round_ = after_award["round"]
    (scheme,) = obligations([round_])
    (line,) = scheme.rounds
    expected = expected_figures(round_)
    assert as_dict(line.figures) == expected
    # Something of every kind, late and in time, so the comparison says something.
    assert expected == {
        "advances": 2,
        "advances_cents": 968_000,
        "advances_late": 1,
        "reports": 2,
        "reports_late": 1,
        "fixings": 2,
        "fixings_late": 1,
        "reclaims": 1,
        "reclaims_cents": 149_999,
    }
    wijken = {w.name: as_dict(w.figures) for w in line.wijken}
    assert wijken == {
        "Zuid": expected_figures(round_, after_award["zuid"]),
        "Oost": expected_figures(round_, after_award["oost"]),
    }
    assert as_dict(scheme.figures) == expected


def test_a_wijk_filter_counts_only_that_wijk(after_award):
    round_, oost = after_award["round"], after_award["oost"]
    (scheme,) = obligations([round_], wijk_id=oost.pk)
    assert as_dict(scheme.rounds[0].figures) == expected_figures(round_, oost)
    assert [w.name for w in scheme.rounds[0].wijken] == ["Oost"]


def test_the_dashboard_page_shows_the_open_obligations(client, after_award):
    round_ = after_award["round"]
    client.force_login(UserFactory(role=ADMINISTRATOR))
    response = client.get(reverse("overzichten:dashboard"), {"ronde": round_.pk})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Open verplichtingen na de toekenning" in body
    section = body.split('id="verplichtingen"')[1]
    round_row = section.split(f">{round_.name}</th>")[1].split("</tr>")[0]
    assert 'data-figure="advances_late"><strong>1</strong>' in round_row
    assert 'data-figure="reports">2<' in round_row
    assert "€\u00a09.680,00" in round_row  # the open advances
    assert "€\u00a01.499,99" in round_row  # to reclaim


def test_an_assessor_does_not_see_the_dashboard(client, after_award):
    client.force_login(UserFactory(role=ASSESSOR))
    response = client.get(reverse("overzichten:dashboard"))
    assert response.status_code == 403
    assert "Open verplichtingen" not in response.content.decode()
