"""End to end through the Wagtail admin with the test client: from check to beoordeeld."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from beoordeling.models import ConsensusNote, PreconditionReview
from subsidies import services as workflow_services
from subsidies.models import Application, SupplementRequest
from subsidies.workflow import Status
from tests.factories import assessment_case

pytestmark = pytest.mark.django_db

MOTIVATION = "Bewoners hebben dit zelf bedacht; dat bleek uit het gesprek."


def url(name, *args):
    return reverse(f"beoordelen:{name}", args=args)


def preconditions_post(response):
    """Confirm every proposal shown on the form; an open rule as met, with a reason."""
    form = response.context["form"]
    data = {}
    for proposal, _outcome, _motivation in form.rows():
        code = proposal.rule.code
        outcome = proposal.result.outcome.value
        data[f"outcome_{code}"] = "voldaan" if outcome == "onbekend" else outcome
        data[f"motivation_{code}"] = MOTIVATION if outcome == "onbekend" else ""
    return data


def score_post(values, action="submit"):
    data = {"action": action, "advice": "Positief advies."}
    for code, value in values.items():
        data[f"score_{code}"] = str(value)
        data[f"motivation_{code}"] = f"Motivering bij {code}: score {value}."
    return data


def test_check_aanvulling_accept_score_consensus_to_beoordeeld(
    client, django_capture_on_commit_callbacks
):
    """The whole daily flow of two assessors ends in beoordeeld with score and amount."""
    case = assessment_case(amount_cents=250_000)
    anouk, youssef = case.assessors
    application = case.application
    pk = application.pk
    due_at_submission = application.decision_due_at

    # The queue and the detail screen.
    client.force_login(anouk)
    queue = client.get(url("index"))
    assert queue.status_code == 200
    assert application.reference in queue.content.decode()
    detail = client.get(url("detail", pk))
    assert detail.status_code == 200
    assert "Nog niet getoetst" in detail.content.decode()

    # Check: the proposals are shown; something is missing, so ask for an aanvulling.
    check = client.get(url("preconditions", pk))
    assert check.status_code == 200
    assert "De activiteit begint na de aanvraag" in check.content.decode()
    due_on = timezone.localdate() + timedelta(days=14)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("supplement", pk),
            {"message": "Stuur een begroting met inkomsten.", "due_on": due_on},
        )
    assert response.status_code == 302
    assert Application.objects.get(pk=pk).status == Status.SUPPLEMENT_REQUESTED
    assert len(mail.outbox) == 1
    assert application.reference in mail.outbox[0].subject

    # The applicant answers three days later (the public form calls the transition).
    request = SupplementRequest.objects.get(application_id=pk)
    answered_at = request.requested_at + timedelta(days=3)
    workflow_services.fire(
        application=Application.objects.get(pk=pk),
        transition="supplement",
        actor=application.applicant_user,
        at=answered_at,
    )
    SupplementRequest.objects.filter(pk=request.pk).update(
        answered_at=answered_at, answer="De begroting zit in de bijlage."
    )

    # Accept on the randvoorwaarden.
    check = client.get(url("preconditions", pk))
    response = client.post(url("preconditions", pk), preconditions_post(check))
    assert response.status_code == 302, response.context["form"].errors
    assert Application.objects.get(pk=pk).status == Status.IN_ASSESSMENT
    assert PreconditionReview.objects.get(application_id=pk).met

    # Two assessors are assigned and declare they have no conflict of interest.
    for person in (anouk, youssef):
        response = client.post(url("assign", pk), {"assessor": person.pk})
        assert response.status_code == 302
    for person in (anouk, youssef):
        client.force_login(person)
        response = client.post(url("declare", pk), {"declaration": "geen_belang"})
        assert response.status_code == 302

    # Anouk scores first; Youssef does not see her scores before submitting his own.
    client.force_login(anouk)
    response = client.post(
        url("score", pk), score_post({"I1": 3, "I2": 4, "I3": 3, "I4": 2, "I5": 3})
    )
    assert response.status_code == 302
    client.force_login(youssef)
    detail = client.get(url("detail", pk)).content.decode()
    assert "Motivering bij I2: score 4." not in detail
    assert "pas als u uw eigen scores heeft ingediend" in detail
    response = client.post(
        url("score", pk), score_post({"I1": 3, "I2": 2, "I3": 3, "I4": 3, "I5": 3})
    )
    assert response.status_code == 302

    # Two points apart on I2: flagged, still in assessment.
    assert Application.objects.get(pk=pk).status == Status.IN_ASSESSMENT
    detail = client.get(url("detail", pk)).content.decode()
    assert "Motivering bij I2: score 4." in detail
    assert "Verschil van 2 punten of meer" in detail
    assert url("consensus", pk) in detail

    # Youssef proposes 3; Anouk agrees; the assessment completes by itself.
    response = client.post(
        url("consensus", pk),
        {
            "action": "propose",
            "criterion": "I2",
            "score": "3",
            "note": "Samen besproken: goed, niet sterk.",
        },
    )
    assert response.status_code == 302
    assert Application.objects.get(pk=pk).status == Status.IN_ASSESSMENT
    client.force_login(anouk)
    proposal = ConsensusNote.objects.get(application_id=pk)
    response = client.post(
        url("consensus", pk),
        {"action": "agree", "proposal": str(proposal.pk), "response": ""},
    )
    assert response.status_code == 302

    application = Application.objects.get(pk=pk)
    assert application.status == Status.ASSESSED
    # (30*6 + 25*6 + 20*6 + 15*5 + 10*6) / (4 * 100 * 2) * 100 = 73.125 -> 73.13
    assert application.impact_score == Decimal("73.13")
    # Band 60-75: 80 % of EUR 2,500.00 = EUR 2,000.00.
    assert application.proposed_cents == 200_000
    # The decision deadline moved by exactly the time spent on the aanvulling.
    assert application.decision_due_at == due_at_submission + timedelta(days=3)
    assert application.decision_due_at == application.complete_at + timedelta(
        weeks=application.round.scheme.decision_weeks, days=3
    )
    detail = client.get(url("detail", pk)).content.decode()
    assert "€ 2.000,00" in detail
    assert "73,13" in detail


def test_override_without_motivation_is_refused_on_the_admin_form(client):
    """The randvoorwaarden form shows the Dutch error and nothing changes."""
    case = assessment_case()
    pk = case.application.pk
    client.force_login(case.assessors[0])
    data = preconditions_post(client.get(url("preconditions", pk)))
    data["outcome_start_na_aanvraag"] = "niet_voldaan"
    data["motivation_start_na_aanvraag"] = ""
    response = client.post(url("preconditions", pk), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Schrijf op waarom u afwijkt" in content
    assert Application.objects.get(pk=pk).status == Status.SUBMITTED
    assert not PreconditionReview.objects.exists()


def test_reject_on_randvoorwaarden_through_the_admin(client):
    """An override to 'niet voldaan' with a motivation rejects the application."""
    case = assessment_case()
    pk = case.application.pk
    client.force_login(case.assessors[0])
    data = preconditions_post(client.get(url("preconditions", pk)))
    data["outcome_start_na_aanvraag"] = "niet_voldaan"
    data["motivation_start_na_aanvraag"] = "De activiteit was al begonnen."
    assert client.post(url("preconditions", pk), data).status_code == 302
    application = Application.objects.get(pk=pk)
    assert application.status == Status.REJECTED
    assert "al begonnen" in application.preconditions_motivation


def test_set_aside_through_the_admin_after_the_term(client):
    """After an expired hersteltermijn the detail screen offers buiten behandeling."""
    case = assessment_case()
    pk = case.application.pk
    client.force_login(case.assessors[0])
    client.post(
        url("supplement", pk),
        {
            "message": "Begroting ontbreekt.",
            "due_on": timezone.localdate() + timedelta(days=7),
        },
    )
    Application.objects.filter(pk=pk).update(
        supplement_due_at=timezone.now() - timedelta(hours=1)
    )
    detail = client.get(url("detail", pk)).content.decode()
    assert url("set_aside", pk) in detail
    response = client.post(url("set_aside", pk), {"reason": ""})
    assert response.status_code == 302
    assert Application.objects.get(pk=pk).status == Status.SET_ASIDE


def test_recusal_through_the_admin_blocks_scoring(client):
    """Declaring a conflict on the form: the score page and actions are closed."""
    case = assessment_case()
    pk = case.application.pk
    person = case.assessors[0]
    client.force_login(person)
    data = preconditions_post(client.get(url("preconditions", pk)))
    client.post(url("preconditions", pk), data)
    client.post(url("assign", pk), {"assessor": person.pk})
    response = client.post(url("declare", pk), {"declaration": "belang", "reason": ""})
    assert response.status_code == 200
    assert "Schrijf op welk belang u heeft." in response.content.decode()
    client.post(
        url("declare", pk),
        {"declaration": "belang", "reason": "Mijn zus is penningmeester."},
    )
    response = client.post(
        url("score", pk), score_post({"I1": 3, "I2": 3, "I3": 3, "I4": 3, "I5": 3})
    )
    assert response.status_code in (200, 302)
    assert not case.application.assessments.get(assessor=person).scores.exists()
    denied = client.get(url("assign", pk))
    # Wagtail answers a forbidden admin page with a redirect to the dashboard.
    assert denied.status_code == 302 and denied["Location"] == reverse(
        "wagtailadmin_home"
    )
