"""The screens after the award: the decision maker fixes, changes and withdraws a grant
in the admin (four eyes where the round asks it); the resident asks a wijziging from
the status page and downloads every beschikking; wrong users are refused every POST."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from beoordeling.models import AfterAwardProposal, DecisionKind
from subsidies.models import Application, ChangeRequest, OutgoingMail
from subsidies.workflow import Status
from tests.beoordeling.decisions.test_decision_letters import pdf_text
from tests.factories import assessor, decision_maker

pytestmark = pytest.mark.django_db


def _stored(application):
    return Application.objects.get(pk=application.pk)


def _html(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_decision_maker_fixes_with_a_lower_amount_and_a_motivation(
    client, grant, decider
):
    application = grant(400_000, route="ambtshalve", ended=True)
    client.force_login(decider)
    url = reverse("besluiten:fix", args=[application.pk])
    assert "4.000,00" in _html(client.get(url))
    today = timezone.localdate().isoformat()
    page = _html(
        client.post(url, {"fixed": "3.000,00", "motivation": "", "date_sent": today})
    )
    assert "Schrijf op waarom het bedrag lager is dan de verlening." in page
    assert 'value="3.000,00"' in page  # nothing typed is lost
    assert _stored(application).status == Status.AWARDED

    response = client.post(
        url,
        {
            "fixed": "3.000,00",
            "motivation": "Eén van de vier avonden ging niet door.",
            "date_sent": today,
        },
    )
    assert response.status_code == 302
    stored = _stored(application)
    assert (stored.status, stored.fixed_cents) == (Status.FIXED, 300_000)
    decision = stored.decisions.get(kind=DecisionKind.VASTSTELLING)
    assert "Eén van de vier avonden ging niet door." in pdf_text(decision)
    grant_page = _html(client.get(reverse("besluiten:grant", args=[application.pk])))
    assert decision.kenmerk in grant_page and "Vaststelling" in grant_page
    # The staff's view of the application lists the letter among its documents.
    staff_page = _html(client.get(reverse("beoordelen:detail", args=[application.pk])))
    assert f"vaststelling-{decision.kenmerk}.pdf" in staff_page


def test_four_eyes_on_the_screen(client, grant, decider):
    application = grant(400_000, threshold=100_000)
    client.force_login(decider)
    response = client.post(
        reverse("besluiten:revoke", args=[application.pk]),
        {
            "ground": "4:48-1-a",
            "motivation": "Het feest ging niet door.",
            "date_sent": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    proposal = AfterAwardProposal.objects.get()
    assert proposal.state == AfterAwardProposal.State.WAITING
    page = _html(client.get(reverse("besluiten:proposal", args=[proposal.pk])))
    assert "U heeft dit besluit zelf voorgesteld" in page

    client.force_login(decision_maker())
    assert application.reference in _html(client.get(reverse("besluiten:proposals")))
    client.post(
        reverse("besluiten:proposal", args=[proposal.pk]), {"action": "approve"}
    )
    assert _stored(application).status == Status.REVOKED
    assert application.decisions.filter(kind=DecisionKind.INTREKKING).exists()


def test_the_wijzigingsverzoek_round_trip(client, grant, decider):
    """The resident asks a later end from the status page; the decision maker grants
    it with a wijzigingsbesluit; the resident sees the answer and both letters."""
    application = grant(300_000)
    resident = application.applicant.members.first()
    client.force_login(resident)
    detail = reverse("subsidies:detail", args=[application.reference])
    ask = reverse("subsidies:change_request", args=[application.reference])
    assert f'href="{ask}"' in _html(client.get(detail))

    page = _html(client.post(ask, {"reason": "", "activities_change": ""}))
    assert "Schrijf waarom u dit wilt wijzigen." in page
    new_end = application.activity_end + timedelta(days=45)
    response = client.post(
        ask,
        {
            "new_activity_end": new_end.strftime("%d-%m-%Y"),
            "reason": "De zaal is pas later vrij.",
        },
    )
    assert response.status_code == 302
    change = ChangeRequest.objects.get()
    assert (change.new_activity_end, change.reason) == (
        new_end,
        "De zaal is pas later vrij.",
    )
    page = _html(client.get(detail))
    assert "Wij hebben nog niet geantwoord." in page
    assert f'href="{ask}"' not in page  # one open request at a time

    client.force_login(decider)
    review = _html(client.get(reverse("besluiten:change_request", args=[change.pk])))
    amend = reverse("besluiten:amend", args=[application.pk])
    assert f"{amend}?verzoek={change.pk}" in review
    assert new_end.isoformat() in _html(client.get(f"{amend}?verzoek={change.pk}"))
    response = client.post(
        amend,
        {
            "verzoek": change.pk,
            "new_activity_end": new_end.isoformat(),
            "ground": "",
            "motivation": "De nieuwe datum past binnen de regeling.",
            "date_sent": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    stored = _stored(application)
    assert stored.activity_end == new_end and stored.status == Status.AWARDED
    change.refresh_from_db()
    assert change.state == ChangeRequest.State.GRANTED
    wijziging = stored.decisions.get(kind=DecisionKind.WIJZIGING)
    text = pdf_text(wijziging)
    assert "Wij wijzigen de subsidie, omdat u daarom vroeg." in text
    assert "vroeg u ons om de subsidie te wijzigen" in text

    client.force_login(resident)
    page = _html(client.get(detail))
    assert "Wij gaan akkoord." in page
    assert "Onze besluiten" in page and "Wijziging van de subsidie" in page
    for letter in stored.documents.filter(kind="beschikking"):
        url = reverse(
            "subsidies:letter_document", args=[application.reference, letter.pk]
        )
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_change_without_new_rights_gets_a_plain_answer(client, grant, decider):
    application = grant(300_000)
    resident = application.applicant.members.first()
    client.force_login(resident)
    client.post(
        reverse("subsidies:change_request", args=[application.reference]),
        {
            "budget_change": "Minder huur, meer verf.",
            "reason": "De zaal was goedkoper.",
        },
    )
    change = ChangeRequest.objects.get()
    client.force_login(decider)
    url = reverse("besluiten:change_request", args=[change.pk])
    page = _html(client.post(url, {"action": "grant", "answer": ""}))
    assert "Schrijf het antwoord." in page
    client.post(url, {"action": "grant", "answer": "Dat is goed; bewaar de bonnen."})
    change.refresh_from_db()
    assert change.state == ChangeRequest.State.GRANTED
    assert change.answer == "Dat is goed; bewaar de bonnen."
    assert application.decisions.count() == 1  # no new beschikking
    mail = OutgoingMail.objects.filter(reference=application.reference).last()
    assert "Wij gaan akkoord met uw wijziging." in mail.body


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("besluiten:fix", {"fixed": "1,00", "date_sent": "2099-01-01"}),
        ("besluiten:amend", {"new_awarded": "1,00", "ground": "4:48-1-a"}),
        ("besluiten:revoke", {"ground": "4:48-1-a", "motivation": "x"}),
    ],
)
def test_only_a_decision_maker_posts_the_steps(client, grant, name, data):
    application = grant(300_000)
    url = reverse(name, args=[application.pk])
    for user in (assessor(), application.applicant.members.first()):
        client.force_login(user)
        response = client.post(url, data)
        assert response.status_code in (302, 403)
        assert "/admin/besluiten/" not in response.get("Location", "")
    assert _stored(application).status == Status.AWARDED
    assert application.decisions.count() == 1


def test_wrong_users_do_not_answer_or_approve(client, grant, decider):
    application = grant(300_000)
    change = ChangeRequest.objects.create(
        application=application,
        budget_change="Meer verf.",
        reason="Waarom niet.",
        requested_by=application.applicant.members.first(),
        requested_at=timezone.now(),
    )
    for user in (assessor(), application.applicant.members.first()):
        client.force_login(user)
        client.post(
            reverse("besluiten:change_request", args=[change.pk]),
            {"action": "grant", "answer": "Ja."},
        )
    change.refresh_from_db()
    assert change.is_open


def test_another_resident_gets_not_found(client, grant):
    application = grant(300_000)
    other = grant(300_000)
    client.force_login(other.applicant.members.first())
    letter = application.documents.get(kind="beschikking")
    for url in (
        reverse("subsidies:change_request", args=[application.reference]),
        reverse("subsidies:letter_document", args=[application.reference, letter.pk]),
        reverse("subsidies:letter_document", args=[other.reference, letter.pk]),
    ):
        assert client.get(url).status_code == 404
