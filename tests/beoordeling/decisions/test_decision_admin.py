"""The allocation and decision screens in the Wagtail admin, through the test client."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import ADMINISTRATOR
from beoordeling.decisions.services import decisions as services
from beoordeling.models import AllocationRun, Decision, LetterBatch, RunStatus
from subsidies.models import Applicant, Application
from subsidies.rounds import rule_publish_deviation
from subsidies.workflow import Status
from tests.factories import (
    RoundFactory,
    SchemeFactory,
    UserFactory,
    WijkFactory,
    assessed_application,
    assessor,
    decision_maker,
    ranked_profiles,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    wijken = [
        WijkFactory(code="noord", name="Noord", fair_share_weight=Decimal("60")),
        WijkFactory(code="zuid", name="Zuid", fair_share_weight=Decimal("40")),
    ]
    round_ = RoundFactory(name="Voorjaar 2027", ceiling_cents=1_000_000)
    staff = assessor()
    profiles = ranked_profiles(4)  # impact scores descending
    applications = [
        assessed_application(
            round=round_,
            wijk=wijken[0],
            proposed_cents=400_000,
            profile=profile,
            assessed_by=staff,
        )
        for profile in profiles[:3]
    ]
    applications.append(
        assessed_application(
            round=round_,
            wijk=wijken[1],
            proposed_cents=150_000,
            profile=profiles[3],
            assessed_by=staff,
        )
    )
    return {
        "round": round_,
        "wijken": wijken,
        "applications": applications,
        "deciders": (decision_maker(), decision_maker()),
        "staff": staff,
    }


def denied(response):
    """Wagtail turns PermissionDenied into a redirect to the admin home with a message."""
    return response.status_code == 403 or (
        response.status_code == 302
        and response["Location"] == reverse("wagtailadmin_home")
    )


def run_form_data(setup, floors=None, caps=None):
    data = {"on_shortfall": "skip", "min_partial": "", "note": "proef"}
    for wijk in setup["wijken"]:
        data[f"floor_{wijk.pk}"] = (floors or {}).get(wijk.code, "0")
        data[f"cap_{wijk.pk}"] = (caps or {}).get(wijk.code, "")
    return data


def test_a_decision_maker_sees_the_rounds_and_the_menu_item(client, setup):
    """The index lists each round with its ceiling in Dutch notation."""
    client.force_login(setup["deciders"][0])
    response = client.get(reverse("besluiten:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "Voorjaar 2027" in html and "€\u00a010.000,00" in html
    )  # never wrapped after the €
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Verdelen en besluiten" in home


@pytest.mark.parametrize(
    "name,args",
    [
        ("besluiten:index", []),
        ("besluiten:approvals", []),
    ],
)
def test_an_assessor_may_not_open_the_decision_screens(client, setup, name, args):
    """Deciding is for decision makers only."""
    client.force_login(setup["staff"])
    assert denied(client.get(reverse(name, args=args)))
    round_page = reverse("besluiten:round", args=[setup["round"].pk])
    assert denied(client.get(round_page))


def test_an_assessor_cannot_post_a_run_or_a_fix(client, setup):
    """Also the write endpoints refuse an assessor."""
    client.force_login(setup["staff"])
    url = reverse("besluiten:run_create", args=[setup["round"].pk])
    assert denied(client.post(url, run_form_data(setup)))
    assert not AllocationRun.objects.exists()


def test_the_run_form_shows_the_published_rule(client, setup):
    """The run screen shows the rule in force (no fair-share floors to edit); a round
    whose rule names a floor shows that floor."""
    client.force_login(setup["deciders"][0])
    url = reverse("besluiten:run_create", args=[setup["round"].pk])
    html = client.get(url).content.decode()
    assert "versie 1" in html
    assert 'value="6000,00"' not in html and 'value="4000,00"' not in html
    rule_publish_deviation(
        round=setup["round"],
        actor=setup["deciders"][0],
        motivation="Zuid krijgt een garantie.",
        limits={setup["wijken"][1].pk: (123_400, None)},
        on_shortfall="skip",
        min_partial_cents=0,
    )
    html = client.get(url).content.decode()
    # The applications were submitted under version 1, so the next run applies it
    # (Awb 4:27 lid 2); version 2 is named as the one for later applications, and a
    # further deviation starts from it.
    assert "De bekendgemaakte verdeelregel (versie 1," in html
    assert "Versie 2 geldt alleen voor aanvragen die daarna zijn ingediend." in html
    deviation = html[html.index("Afwijken van de verdeelregel") :]
    assert "1234,00" in deviation or "1.234,00" in deviation


def test_computing_shows_the_result_with_reasons_and_the_wijk_chart(client, setup):
    """A concept run is shown in rank order, with Dutch reasons, a chart and its table."""
    client.force_login(setup["deciders"][0])
    url = reverse("besluiten:run_create", args=[setup["round"].pk])
    response = client.post(url, run_form_data(setup))
    run = AllocationRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("besluiten:run", args=[run.pk])
    html = client.get(response["Location"]).content.decode()
    assert '<svg role="img"' in html and "<title" in html and "<desc" in html
    assert "Per wijk: toegekend tegenover het eerlijke aandeel" in html
    assert "ondervertegenwoordigd" in html  # Zuid gets nothing in this run
    assert "Niet toegekend: er was niet genoeg geld meer over" in html
    assert "Toegekend: de aanvraag was aan de beurt" in html
    assert "€\u00a08.000,00" in html
    assert "Verdeling vaststellen" in html


def test_bad_amounts_are_refused_in_dutch(client, setup):
    """A cap below the floor and text that is no amount give field errors on the form
    of a new rule version; nothing is published."""
    client.force_login(setup["deciders"][0])
    url = reverse("besluiten:rule_deviation", args=[setup["round"].pk])
    data = run_form_data(
        setup, floors={"noord": "5.000,00", "zuid": "veel"}, caps={"noord": "100"}
    )
    data["motivation"] = "Proef"
    html = client.post(url, data).content.decode()
    assert "Het maximum is lager dan het gegarandeerde minimum." in html
    assert "Vul een bedrag in euro" in html
    assert setup["round"].rules.count() == 1


def test_two_runs_with_different_rule_versions_can_be_compared(client, setup):
    """The compare page shows both runs side by side and marks the differences."""
    client.force_login(setup["deciders"][0])
    url = reverse("besluiten:run_create", args=[setup["round"].pk])
    client.post(url, {"note": "versie 1"})
    # Version 2, published at the round's opening: before the applications came in,
    # so it applies to them (a version published after them would not: Awb 4:27
    # lid 2, see test_rule_per_application.py).
    rule_publish_deviation(
        round=setup["round"],
        actor=setup["deciders"][0],
        motivation="Zuid krijgt een garantie.",
        limits={setup["wijken"][1].pk: (150_000, None)},
        on_shortfall="skip",
        min_partial_cents=0,
        at=setup["round"].opens_at,
    )
    client.post(url, {"note": "versie 2"})
    first, second = AllocationRun.objects.order_by("number")
    assert (first.rule.version, second.rule.version) == (1, 2)
    compare = reverse("besluiten:compare", args=[setup["round"].pk])
    html = client.get(f"{compare}?run={first.pk}&run={second.pk}").content.decode()
    assert "Verdeling 1" in html and "Verdeling 2" in html
    assert "Toegekend: wijkgarantie" in html
    assert ">ja<" in html


def test_fixing_needs_the_confirmation_and_then_decides(client, setup):
    """Without the checkbox nothing happens; with it every application is decided."""
    decider = setup["deciders"][0]
    client.force_login(decider)
    run = services.allocation_run_create(
        round=setup["round"],
        actor=decider,
    )
    url = reverse("besluiten:run", args=[run.pk])
    html = client.post(url, {}).content.decode()
    assert "Dit veld is verplicht" in html or "verplicht" in html
    assert AllocationRun.objects.get(pk=run.pk).status == RunStatus.CONCEPT
    response = client.post(url, {"confirm": "on"}, follow=True)
    assert "is vastgesteld" in response.content.decode()
    statuses = {a.status for a in Application.objects.all()}
    assert statuses == {Status.AWARDED, Status.REJECTED}


def test_four_eyes_approval_through_the_admin(client, setup):
    """The fixer sees who must approve; another decision maker approves."""
    first, second = setup["deciders"]
    round_ = setup["round"]
    round_.four_eyes_threshold_cents = 300_000
    round_.save()
    run = services.allocation_run_create(
        round=round_,
        actor=first,
    )
    services.allocation_run_fix(run=run, actor=first)
    client.force_login(first)
    html = client.get(reverse("besluiten:approvals")).content.decode()
    assert "Een andere besluitvormer moet goedkeuren." in html
    waiting = run.results.filter(needs_second_approval=True)
    assert waiting.count() == 2
    result = waiting.first()
    response = client.post(reverse("besluiten:approve", args=[result.pk]), follow=True)
    assert "zelf vastgesteld" in response.content.decode()
    client.force_login(second)
    client.post(reverse("besluiten:approve", args=[result.pk]))
    application = Application.objects.get(pk=result.application_id)
    assert application.status == Status.AWARDED
    assert application.second_approver == second


def test_order_of_receipt_has_a_decide_button_per_application(client, setup):
    """A continuous-intake round decides application by application."""
    scheme = SchemeFactory(
        slug="doorlopend",
        name="Doorlopend",
        reference_prefix="DL",
        allocation_mode="receipt",
    )
    round_ = RoundFactory(scheme=scheme, ceiling_cents=500_000)
    application = assessed_application(
        round=round_, wijk=setup["wijken"][0], proposed_cents=200_000
    )
    client.force_login(setup["deciders"][0])
    html = client.get(reverse("besluiten:round", args=[round_.pk])).content.decode()
    decide = reverse("besluiten:decide_by_receipt", args=[round_.pk, application.pk])
    assert decide in html
    response = client.post(decide, follow=True)
    assert "Toegekend" in response.content.decode()
    assert Application.objects.get(pk=application.pk).status == Status.AWARDED


def fixed(setup):
    decider = setup["deciders"][0]
    run = services.allocation_run_create(
        round=setup["round"],
        actor=decider,
    )
    services.allocation_run_fix(run=run, actor=decider)
    return decider


def test_letters_are_started_from_the_round_and_the_progress_page_refreshes(
    client, setup, django_capture_on_commit_callbacks
):
    """While waiting the page refreshes itself; when done it shows the counts."""
    client.force_login(fixed(setup))
    url = reverse("besluiten:batch_start", args=[setup["round"].pk])
    data = {"date_sent": timezone.localdate().isoformat(), "notify": "on"}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url, data)
    batch = LetterBatch.objects.get()
    assert response["Location"] == reverse("besluiten:batch", args=[batch.pk])
    html = client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' in html and "<progress" in html
    assert "0 van 4 verwerkt" in html
    for callback in callbacks:
        callback()
    html = client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' not in html
    assert "4 van 4 verwerkt" in html and "Gemaakt: 4" in html
    assert Decision.objects.count() == 4


def test_a_past_date_sent_is_refused(client, setup):
    """The dagtekening cannot lie in the past."""
    client.force_login(fixed(setup))
    url = reverse("besluiten:batch_start", args=[setup["round"].pk])
    response = client.post(url, {"date_sent": "2020-01-01"}, follow=True)
    assert "verleden" in response.content.decode()
    assert not LetterBatch.objects.exists()


def test_a_missing_letter_part_shows_a_clear_dutch_message(client, setup):
    """Generation refuses and the admin says which mandatory part is empty."""
    decider = fixed(setup)
    client.force_login(decider)
    application = setup["applications"][0]
    Applicant.objects.filter(pk=application.applicant_id).update(postcode="")
    url = reverse("besluiten:issue_letter", args=[application.pk])
    html = client.post(url, follow=True).content.decode()
    assert "Deze verplichte onderdelen zijn leeg: adres geadresseerde." in html
    assert not Decision.objects.exists()


def test_a_decision_can_be_viewed_and_downloaded_but_not_made_again(client, setup):
    """The detail page checks the hash; a second request keeps the first letter."""
    decider = fixed(setup)
    client.force_login(decider)
    application = setup["applications"][0]
    url = reverse("besluiten:issue_letter", args=[application.pk])
    response = client.post(url, follow=True)
    decision = Decision.objects.get()
    html = response.content.decode()
    assert decision.kenmerk in html and "ongewijzigd" in html
    assert "Wachtend" in html  # the notice waits in the outbox until after commit
    again = client.post(url, follow=True).content.decode()
    assert "niet opnieuw gemaakt" in again and Decision.objects.count() == 1
    pdf = client.get(reverse("besluiten:decision_pdf", args=[decision.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_an_administrator_may_read_a_decision_but_not_decide(client, setup):
    """view_decision opens the beschikking; the allocation screens stay closed."""
    decider = fixed(setup)
    decision, _ = services.decision_issue(
        application=setup["applications"][0], actor=decider, notify=False
    )
    client.force_login(UserFactory(role=ADMINISTRATOR))
    assert (
        client.get(reverse("besluiten:decision", args=[decision.pk])).status_code == 200
    )
    assert denied(client.get(reverse("besluiten:index")))


def test_comparing_odd_run_numbers_is_a_page_not_a_500(client, setup):
    """A superscript digit passes str.isdigit() but not int(); a 25-digit id
    overflows the database's integer: both are ignored, the page answers."""
    client.force_login(setup["deciders"][0])
    compare = reverse("besluiten:compare", args=[setup["round"].pk])
    for odd in ("²", "9" * 25, "-1", "1e3"):
        response = client.get(compare, {"run": [odd, "1"]})
        assert response.status_code == 200, odd
        assert "Verdelingen vergelijken" in response.content.decode()
