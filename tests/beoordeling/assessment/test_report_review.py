"""The assessor's review of a verantwoording: the list and the review screen show what
the resident stored, a question pauses the vaststelling clock, the proposal is the
accepted costs per approved budget line (never above the verlening) with a 4:46 ground
and motivation when lower, and it is recorded for the ``fix`` transition; another team
gets 404, a recused assessor 403. And the steekproef: the same seed draws the same
sample, at least one, with the seed stored and shown."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from beoordeling.assessment import reports
from beoordeling.assessment.services import AssessmentError
from beoordeling.models import Assessment, ReportReview, SampleDraw
from subsidies import facts
from subsidies import reports as subsidy_reports
from subsidies.models import Application, BudgetLine, OutgoingMail
from subsidies.workflow import Settlement, Status
from tests.factories import (
    ApplicationFactory,
    RoundFactory,
    SchemeFactory,
    TeamFactory,
    WijkFactory,
    assessor,
    rubric_for,
)
from tests.subsidies.test_report_form import _money, _post, fill_in
from tests.subsidies.test_report_form import url as report_url

pytestmark = pytest.mark.django_db


def _submitted(client, spent=None):
    application = ApplicationFactory(awarded=True)
    line = application.budget_lines.get()
    BudgetLine.objects.filter(pk=line.pk).update(amount_cents=200_000)
    BudgetLine.objects.create(
        application=application,
        category=BudgetLine.Category.RENT,
        description="Huur buurthuis",
        amount_cents=50_000,
    )
    client.force_login(application.applicant_user)
    fill_in(client, application)  # spent 1.850,50 and 500
    if spent:
        _post(client, application, "geld", _money(application, spent))
    client.post(report_url(application, "versturen"), {"truthful_declaration": "on"})
    client.logout()
    stored = Application.objects.get(pk=application.pk)
    assert stored.status == Status.REPORT_SUBMITTED
    return stored


@pytest.fixture
def submitted_report(client):
    return _submitted(client)


@pytest.fixture
def team_assessor(submitted_report):
    person = assessor()
    TeamFactory(members=[person], schemes=[submitted_report.round.scheme])
    return person


def _lines(application):
    return {line.description: line.pk for line in application.budget_lines.all()}


def review_url(name, application):
    return reverse(f"verantwoordingen:{name}", args=[application.pk])


def test_a_lower_line_lowers_the_proposal_with_ground_and_motivation(
    submitted_report, team_assessor
):
    lines = _lines(submitted_report)
    review = reports.review_propose(
        application=submitted_report,
        actor=team_assessor,
        accepted={
            lines["Kookgerei en boodschappen"]: 180_000,
            lines["Huur buurthuis"]: 50_000,
        },
        ground="niet_verricht",
        motivation="Twee kookavonden gingen niet door.",
    )
    assert review.proposal_cents == 230_000 and not review.in_full
    stored = Application.objects.get(pk=submitted_report.pk)
    assert stored.fixed_cents == 230_000
    assert "Awb 4:46 lid 2 onder a" in stored.fixing_motivation
    assert "Twee kookavonden gingen niet door." in stored.fixing_motivation
    assert (
        "Kookgerei en boodschappen: begroot € 2.000,00"
        in stored.fixing_motivation.replace("\xa0", " ")
    )
    assert "Huur buurthuis" not in stored.fixing_motivation  # not lowered
    rows = {
        line.description: (line.approved_cents, line.spent_cents, line.accepted_cents)
        for line in ReportReview.objects.get().lines.all()
    }
    assert rows == {
        "Kookgerei en boodschappen": (200_000, 185_050, 180_000),
        "Huur buurthuis": (50_000, 50_000, 50_000),
    }


def test_in_full_needs_no_ground_and_never_exceeds_the_award(client):
    application = _submitted(client, spent=["2.100", "500"])
    person = assessor()
    TeamFactory(members=[person], schemes=[application.round.scheme])
    lines = _lines(application)
    review = reports.review_propose(
        application=application,
        actor=person,
        accepted={
            lines["Kookgerei en boodschappen"]: 210_000,
            lines["Huur buurthuis"]: 50_000,
        },
    )
    # 2.100 + 500 = 2.600 accepted, the award is 2.500: in full, no ground.
    assert review.in_full and review.proposal_cents == 250_000 and not review.ground
    stored = Application.objects.get(pk=application.pk)
    assert stored.fixed_cents == 250_000
    assert "verleende bedrag" in stored.fixing_motivation


def test_lower_without_a_ground_or_above_spent_is_refused_and_stores_nothing(
    submitted_report, team_assessor
):
    lines = _lines(submitted_report)
    with pytest.raises(AssessmentError):
        reports.review_propose(
            application=submitted_report,
            actor=team_assessor,
            accepted={
                lines["Kookgerei en boodschappen"]: 100_000,
                lines["Huur buurthuis"]: 50_000,
            },
            motivation="Minder gedaan.",
        )
    with pytest.raises(AssessmentError) as error:
        reports.review_propose(
            application=submitted_report,
            actor=team_assessor,
            accepted={
                lines["Kookgerei en boodschappen"]: 190_000,
                lines["Huur buurthuis"]: 50_000,
            },
            ground="onnodige_kosten",
            motivation="x",
        )
    assert lines["Kookgerei en boodschappen"] in error.value.errors
    assert not ReportReview.objects.exists()
    assert Application.objects.get(pk=submitted_report.pk).fixed_cents is None


def test_the_staff_screen_shows_what_was_stored_and_records_the_proposal(
    client, submitted_report, team_assessor
):
    client.force_login(team_assessor)
    index = client.get(reverse("verantwoordingen:index")).content.decode()
    assert submitted_report.reference in index
    page = client.get(review_url("review", submitted_report)).content.decode()
    text = page.replace("\xa0", " ")
    assert "Elke woensdag koken met de buurt." in text
    assert "€ 1.850,50" in text and "€ 2.000,00" in text and "Fonds Buurt" in text
    assert "foto.png" in text
    lines = _lines(submitted_report)
    response = client.post(
        review_url("review", submitted_report),
        {
            f"accepted_{lines['Kookgerei en boodschappen']}": "1.800",
            f"accepted_{lines['Huur buurthuis']}": "500",
            "ground": "verplichtingen",
            "motivation": "De bonnen ontbreken voor een deel.",
        },
    )
    assert response.status_code == 302
    assert Application.objects.get(pk=submitted_report.pk).fixed_cents == 230_000
    again = client.get(review_url("review", submitted_report)).content.decode()
    assert "De bonnen ontbreken voor een deel." in again


def test_a_question_pauses_the_clock_until_the_answer(
    client, submitted_report, team_assessor
):
    client.force_login(team_assessor)
    due = timezone.localdate() + timedelta(days=10)
    response = client.post(
        review_url("question", submitted_report),
        {"message": "Stuur de bon van de huur.", "due_on": due.isoformat()},
    )
    assert response.status_code == 302
    stored = Application.objects.get(pk=submitted_report.pk)
    assert stored.status == Status.REPORT_SUPPLEMENT_REQUESTED
    mail = OutgoingMail.objects.filter(reference=stored.reference).latest("pk")
    assert "Stuur de bon van de huur." in mail.body
    index = client.get(reverse("verantwoordingen:index")).content.decode()
    assert "Termijn staat stil" in index


def test_other_team_404_and_recused_403(client, submitted_report, team_assessor):
    stranger = assessor()
    client.force_login(stranger)
    for name in ("review", "question"):
        assert client.get(review_url(name, submitted_report)).status_code == 404
    assert (
        submitted_report.reference
        not in client.get(reverse("verantwoordingen:index")).content.decode()
    )
    Assessment.objects.create(
        application=submitted_report,
        assessor=team_assessor,
        rubric=rubric_for(submitted_report.round.scheme),
        assigned_at=timezone.now(),
        declared_at=timezone.now(),
        conflict=True,
    )
    client.force_login(team_assessor)
    response = client.post(review_url("question", submitted_report), {"message": "x"})
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"] == reverse("wagtailadmin_home")
    assert (
        Application.objects.get(pk=submitted_report.pk).status
        == Status.REPORT_SUBMITTED
    )


# --- the steekproef ---------------------------------------------------------------------


def test_the_same_seed_picks_the_same_sample():
    ids = list(range(1, 41))
    first = reports.pick(ids, percentage=10, seed="abc123")
    assert first == reports.pick(list(reversed(ids)), percentage=10, seed="abc123")
    assert len(first) == 4
    assert (
        reports.pick(ids[:3], percentage=10, seed="x")
        and len(reports.pick(ids[:3], percentage=10, seed="x")) == 1
    )
    assert reports.pick([], percentage=10, seed="x") == []


def _ex_officio_awards(count):
    scheme = SchemeFactory(
        slug="ambtshalve",
        name="Ambtshalve",
        reference_prefix="AH",
        settlement_route="ambtshalve",
    )
    round_ = RoundFactory(scheme=scheme)
    awards = []
    for _ in range(count):
        application = ApplicationFactory(awarded=True, round=round_)
        assert application.settlement == Settlement.EX_OFFICIO
        facts.record_amendment(
            application, activity_end=timezone.localdate() - timedelta(days=3)
        )
        awards.append(application)
    return awards


def _scheme_assessor(awards):
    """An assessor whose team covers the scheme of ``awards``."""
    person = assessor()
    TeamFactory(members=[person], schemes=[awards[0].round.scheme])
    return person


def test_an_assessor_draws_only_among_the_awards_of_their_teams():
    """The steekproef asks reports of the grants the assessor may handle, not of
    another team's (the team rule of the assessment screens)."""
    awards = _ex_officio_awards(2)
    outsider = assessor()
    TeamFactory(members=[outsider], wijken=[WijkFactory(code="elders", name="Elders")])
    assert not reports.sample_population(actor=outsider).exists()
    with pytest.raises(AssessmentError):
        reports.sample_draw(actor=outsider, seed="x")
    assert not Application.objects.filter(
        pk__in=[a.pk for a in awards], report_due_on__isnull=False
    ).exists()
    assert reports.sample_population(actor=_scheme_assessor(awards)).count() == 2


def test_a_draw_asks_a_report_of_the_chosen_with_the_seed_stored(client):
    awards = _ex_officio_awards(3)
    person = _scheme_assessor(awards)
    draw = reports.sample_draw(actor=person, seed="vast-zaad", percentage=10)
    assert draw.seed == "vast-zaad" and draw.percentage == 10
    chosen = list(draw.selected.all())
    assert len(chosen) == 1 and draw.population.count() == 3
    assert [a.pk for a in chosen] == reports.pick(
        [a.pk for a in awards], percentage=10, seed="vast-zaad"
    )
    stored = Application.objects.get(pk=chosen[0].pk)
    assert stored.report_due_on is not None
    assert subsidy_reports.report_open(stored)
    assert OutgoingMail.objects.filter(
        reference=stored.reference, subject__icontains="verantwoording"
    ).exists()
    # The others are not asked, and a second draw has no population left.
    others = Application.objects.filter(pk__in=[a.pk for a in awards]).exclude(
        pk=stored.pk
    )
    assert all(a.report_due_on is None for a in others)
    with pytest.raises(AssessmentError):
        reports.sample_draw(actor=person, seed="ander")
    # The screen shows the seed.
    client.force_login(person)
    page = client.get(reverse("verantwoordingen:sample")).content.decode()
    assert "vast-zaad" in page and stored.reference in page
    assert SampleDraw.objects.count() == 1
