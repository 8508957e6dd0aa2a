"""Four eyes can say no: refuse, or send back to the first decision maker, each with a
reason, on a screen that shows the application and the fixed run first.

Finding (issue #12): "Four eyes can only say yes: no refusal or sending back with a
reason, no link to the application, no confirmation."

- Refusing undoes the reservation: the money returns to the round (through the
  ceiling guard), the application is undecided again and can be in a new run.
- Sending back keeps the money reserved and puts the award before the decision maker
  who fixed the run, who offers it again with an answer or withdraws it.
- Each step is recorded (who, when, why) and shows in the application's history.
- The second decision maker may not be the one who fixed the run.
"""

import pytest
from django.urls import reverse

from beoordeling.decisions.selectors import allocation_candidates, round_budget
from beoordeling.decisions.services import decisions
from beoordeling.models import (
    AllocationResult,
    AssessmentEvent,
    DecisionError,
    ReviewState,
)
from subsidies.models import Application, Round
from subsidies.workflow import Status
from tests.factories import (
    RoundFactory,
    WijkFactory,
    assessed_application,
    assessor,
    decision_maker,
)

pytestmark = pytest.mark.django_db

REASON = "De begroting telt de huur van de zaal twee keer."


def _fixed_run_with_four_eyes(first):
    wijk = WijkFactory(code="noord", name="Noord")
    round_ = RoundFactory(ceiling_cents=1_000_000, four_eyes_threshold_cents=100_000)
    application = assessed_application(
        round=round_,
        wijk=wijk,
        proposed_cents=300_000,
        assessed_by=assessor(),
    )
    run = decisions.allocation_run_create(round=round_, actor=first)
    decisions.allocation_run_fix(run=run, actor=first)
    return application, run.results.get(application=application)


@pytest.fixture
def case():
    first, second = decision_maker(), decision_maker()
    application, result = _fixed_run_with_four_eyes(first)
    assert result.awaits_approval
    assert round_budget(application.round).committed_cents == 300_000
    return first, second, application, result


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _history(client, application):
    html = _page(client, reverse("beoordelen:detail", args=[application.pk]))
    return html.replace("\xa0", " ")


def test_refusing_shows_the_application_needs_a_reason_and_returns_the_money(
    client, case
):
    first, second, application, result = case
    client.force_login(second)
    approve = _page(client, reverse("besluiten:approve", args=[result.pk]))
    refuse = reverse("besluiten:refuse", args=[result.pk])
    assert f'href="{refuse}"' in approve

    # The confirmation screen: the application, its link, the fixed run, what happens.
    html = _page(client, refuse)
    assert application.title in html and application.applicant.name in html
    assert reverse("beoordelen:detail", args=[application.pk]) in html
    assert reverse("besluiten:run", args=[result.run_id]) in html
    assert "3.000,00" in html and "Noord" in html
    assert "terug naar de ronde" in html
    assert "Ja, weigeren" in html
    assert AllocationResult.objects.get(pk=result.pk).awaits_approval  # GET: nothing

    # No reason: a Dutch error, nothing changes.
    response = client.post(refuse, {"reason": "   ", "action": "refuse"})
    assert response.status_code == 200
    assert "Schrijf op waarom" in response.content.decode()
    assert AllocationResult.objects.get(pk=result.pk).awaits_approval

    response = client.post(refuse, {"reason": REASON, "action": "refuse"})
    assert response.status_code == 302
    stored = AllocationResult.objects.get(pk=result.pk)
    assert stored.review_state == ReviewState.REFUSED
    assert stored.reviewed_by == second and stored.review_reason == REASON
    assert stored.reviewed_at is not None
    assert stored.approved_by is None and not stored.awaits_approval

    application.refresh_from_db()
    assert application.status == Status.ASSESSED
    assert application.allocation_outcome == ""
    assert not application.awarded_cents
    # The money is back in the round, and the application can be allotted again.
    round_ = Round.objects.get(pk=application.round_id)
    assert round_budget(round_).committed_cents == 0
    assert round_.committed_cents() == 0
    assert list(allocation_candidates(round_)) == [application]

    listing = _page(client, reverse("besluiten:approvals"))
    assert application.title not in listing
    history = _history(client, application)
    assert "Vier ogen: toekenning geweigerd" in history
    assert REASON in history
    event = AssessmentEvent.objects.get(
        application=application, kind=AssessmentEvent.Kind.FOUR_EYES_REFUSED
    )
    assert event.actor == second and REASON in event.text

    # A new run decides it again (the refused result no longer counts as its decision).
    run = decisions.allocation_run_create(round=round_, actor=first)
    decisions.allocation_run_fix(run=run, actor=first)
    assert run.results.get().application == application
    assert AllocationResult.objects.get(run=run).awaits_approval
    assert round_budget(round_).committed_cents == 300_000


def test_the_first_decision_maker_can_neither_refuse_nor_send_back(client, case):
    first, _second, application, result = case
    client.force_login(first)
    for name in ("besluiten:refuse", "besluiten:send_back"):
        url = reverse(name, args=[result.pk])
        html = _page(client, url)
        assert "zelf vastgesteld" in html
        client.post(url, {"reason": REASON, "action": name.split(":")[1]})
        assert AllocationResult.objects.get(pk=result.pk).awaits_approval
    with pytest.raises(DecisionError):
        decisions.allocation_result_refuse(result=result, reviewer=first, reason=REASON)
    application.refresh_from_db()
    assert application.allocation_outcome == "gehonoreerd"


def test_sending_back_keeps_the_money_and_returns_it_to_the_first(client, case):
    """Sent back with a reason: the money stays reserved, the award leaves the queue
    of the four eyes and waits for the first decision maker, who answers and offers it
    again; then another decision maker approves it."""
    first, second, application, result = case
    client.force_login(second)
    send_back = reverse("besluiten:send_back", args=[result.pk])
    html = _page(client, send_back)
    assert "Ja, terugsturen" in html and application.title in html
    response = client.post(send_back, {"reason": "", "action": "send_back"})
    assert "Schrijf op waarom" in response.content.decode()
    client.post(send_back, {"reason": REASON, "action": "send_back"})

    stored = AllocationResult.objects.get(pk=result.pk)
    assert stored.review_state == ReviewState.SENT_BACK
    assert stored.reviewed_by == second and stored.review_reason == REASON
    assert round_budget(application.round).committed_cents == 300_000
    assert Application.objects.get(pk=application.pk).status == Status.ASSESSED
    # Not in the queue of the four eyes any more; the second cannot revise it.
    approvals = _page(client, reverse("besluiten:approvals"))
    assert reverse("besluiten:approve", args=[result.pk]) not in approvals
    revise = reverse("besluiten:revise", args=[result.pk])
    assert "Alleen wie de verdeling vaststelde" in _page(client, revise)

    # The first decision maker sees it, with the reason, and offers it again.
    client.force_login(first)
    approvals = _page(client, reverse("besluiten:approvals"))
    assert f'href="{revise}"' in approvals and REASON in approvals
    round_page = _page(client, reverse("besluiten:round", args=[application.round_id]))
    assert REASON in round_page
    html = _page(client, revise)
    assert REASON in html and "Opnieuw voorleggen" in html
    response = client.post(revise, {"reason": "", "action": "resubmit"})
    assert "Schrijf op" in response.content.decode()
    answer = "De huur staat één keer in de begroting; regel 4 is de borg."
    client.post(revise, {"reason": answer, "action": "resubmit"})
    stored = AllocationResult.objects.get(pk=result.pk)
    assert stored.awaits_approval and stored.review_reason == answer

    history = _history(client, application)
    assert "Vier ogen: teruggestuurd naar de eerste besluitvormer" in history
    assert "Vier ogen: opnieuw voorgelegd" in history
    assert REASON in history and answer in history

    client.force_login(second)
    assert answer in _page(client, reverse("besluiten:approve", args=[result.pk]))
    client.post(reverse("besluiten:approve", args=[result.pk]))
    application.refresh_from_db()
    assert application.status == Status.AWARDED
    assert application.second_approver == second


def test_the_first_decision_maker_may_withdraw_what_was_sent_back(client, case):
    first, second, application, result = case
    decisions.allocation_result_send_back(result=result, reviewer=second, reason=REASON)
    client.force_login(first)
    revise = reverse("besluiten:revise", args=[result.pk])
    client.post(
        revise, {"reason": "Klopt, ik trek het voorstel in.", "action": "withdraw"}
    )
    stored = AllocationResult.objects.get(pk=result.pk)
    assert stored.review_state == ReviewState.WITHDRAWN
    assert round_budget(application.round).committed_cents == 0
    assert list(allocation_candidates(application.round)) == [application]
    assert "Vier ogen: voorstel ingetrokken" in _history(client, application)


def test_a_judged_award_cannot_be_judged_again(case):
    """After a refusal no one approves or sends it back; approved, no one refuses."""
    _first, second, application, result = case
    third = decision_maker()
    decisions.allocation_result_refuse(result=result, reviewer=second, reason=REASON)
    with pytest.raises(DecisionError):
        decisions.allocation_result_approve(result=result, approver=third)
    with pytest.raises(DecisionError):
        decisions.allocation_result_send_back(
            result=result, reviewer=third, reason=REASON
        )
    application.refresh_from_db()
    assert application.status == Status.ASSESSED and not application.allocation_outcome


def test_the_run_and_the_budget_say_that_an_award_was_sent_back(client, case):
    """After sending back, the fixed run's row says so, by whom and why (not "waits
    for a second decision maker"), and the budget says the reserved money is for
    awards without a second approval, waiting or sent back."""
    first, second, application, result = case
    decisions.allocation_result_send_back(result=result, reviewer=second, reason=REASON)

    client.force_login(first)
    run_page = _page(client, reverse("besluiten:run", args=[result.run_id]))
    row = run_page[run_page.index(application.title) :]
    row = row[: row.index("</tr>")]
    assert "Teruggestuurd naar de eerste besluitvormer" in row
    assert REASON in row
    assert "Wacht op een tweede besluitvormer" not in row
    round_page = _page(client, reverse("besluiten:round", args=[application.round_id]))
    assert (
        "€ 3.000,00 gereserveerd voor toekenningen zonder tweede goedkeuring: ze "
        "wachten op een tweede besluitvormer of zijn teruggestuurd"
    ) in " ".join(round_page.replace("\xa0", " ").split())


def test_another_decision_maker_may_withdraw_when_the_first_has_left(client, case):
    """The first decision maker left the gemeente after the award was sent back: a
    third decision maker finds it, may withdraw it (not offer it again), and the
    money returns to the round; the one who sent it back may not withdraw it."""
    first, second, application, result = case
    decisions.allocation_result_send_back(result=result, reviewer=second, reason=REASON)
    first.is_active = False
    first.save(update_fields=["is_active"])
    revise = reverse("besluiten:revise", args=[result.pk])

    client.force_login(second)
    response = client.post(revise, {"reason": "Ik trek het in.", "action": "withdraw"})
    assert "maar niet wie haar terugstuurde" in response.content.decode()
    assert AllocationResult.objects.get(pk=result.pk).is_sent_back

    third = decision_maker()
    client.force_login(third)
    approvals = _page(client, reverse("besluiten:approvals"))
    assert f'href="{revise}"' in approvals and "Intrekken…" in approvals
    html = _page(client, revise)
    assert "Voorstel intrekken" in html and "Opnieuw voorleggen" not in html
    offered = client.post(revise, {"reason": "Opnieuw.", "action": "resubmit"})
    assert "Kies wat u wilt doen met een van de knoppen." in offered.content.decode()
    assert AllocationResult.objects.get(pk=result.pk).is_sent_back
    client.post(revise, {"reason": "Collega is uit dienst.", "action": "withdraw"})
    stored = AllocationResult.objects.get(pk=result.pk)
    assert stored.review_state == ReviewState.WITHDRAWN
    assert stored.reviewed_by == third
    assert round_budget(application.round).committed_cents == 0
    assert list(allocation_candidates(application.round)) == [application]
