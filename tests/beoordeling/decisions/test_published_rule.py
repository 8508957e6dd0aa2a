"""Issue #12: the decision side follows the published verdeelregel, and the ceiling holds.

Each test names the finding it guards against (walked as staff on the seeded demo).
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from beoordeling.decisions.services import decisions as services
from beoordeling.decisions.services.letter_content import letter_content
from beoordeling.letters import legal_basis_items
from beoordeling.models import AllocationRun, DecisionError, DecisionKind, RunStatus
from subsidies.models import (
    AllocationRule,
    Application,
    ImmutableRuleError,
    RoundWijkLimit,
    TransitionLog,
)
from subsidies.rounds import RuleError, rule_in_force, rule_publish_deviation
from subsidies.workflow import Status
from tests.factories import (
    RoundFactory,
    WijkFactory,
    assessed_application,
    assessor,
    decision_maker,
    publish_rule,
    ranked_profiles,
    receipt_round,
)

pytestmark = pytest.mark.django_db

PLAFOND = "4:25, tweede lid"


@pytest.fixture
def city():
    wijken = {
        "binnenstad": WijkFactory(
            code="binnenstad", name="Binnenstad", fair_share_weight=Decimal("50")
        ),
        "oost": WijkFactory(code="oost", name="Oost", fair_share_weight=Decimal("50")),
    }
    round_ = RoundFactory(name="Flexbudget 2027", ceiling_cents=32_000_000, rule=False)
    RoundWijkLimit.objects.create(
        round=round_,
        wijk=wijken["binnenstad"],
        floor_cents=672_672,
        cap_cents=11_200_000,
    )
    publish_rule(round_)
    return {"round": round_, "wijken": wijken, "staff": assessor()}


def test_the_run_screen_shows_the_published_rule_not_the_fair_share(client, city):
    """Finding: 'Nieuwe verdeling berekenen' opened with the fair share of the whole
    ceiling (€ 160.000 here) instead of the published € 6.726,72 and € 112.000."""
    assessed_application(
        round=city["round"],
        wijk=city["wijken"]["oost"],
        proposed_cents=100_000,
    )
    client.force_login(decision_maker())
    html = client.get(
        reverse("besluiten:run_create", args=[city["round"].pk])
    ).content.decode()
    assert "versie 1" in html
    assert "6.726,72" in html and "112.000,00" in html
    assert "160.000,00" not in html


def test_typed_minima_and_maxima_are_not_an_input_of_a_run(client, city):
    """Finding: any minimum or maximum could be typed without a motivation (a
    Binnenstad maximum of € 3.000 rejected SF-2026-0008 with 97 % unspent). The run
    form takes a note only; typed limits are ignored and the run uses the rule."""
    binnenstad = city["wijken"]["binnenstad"]
    application = assessed_application(
        round=city["round"], wijk=binnenstad, proposed_cents=500_000
    )
    client.force_login(decision_maker())
    url = reverse("besluiten:run_create", args=[city["round"].pk])
    client.post(
        url,
        {
            "on_shortfall": "skip",
            "min_partial": "",
            f"floor_{binnenstad.pk}": "0",
            f"cap_{binnenstad.pk}": "3.000,00",
            "note": "proef",
        },
    )
    run = AllocationRun.objects.get()
    assert run.rule == rule_in_force(city["round"])
    result = run.results.get()
    assert result.application == application and result.awarded
    binnenstad_params = next(
        p for p in run.wijk_parameters if p["wijk_id"] == binnenstad.pk
    )
    assert binnenstad_params["cap_cents"] == 11_200_000


def test_a_deviation_needs_a_motivation_and_is_a_new_published_version(client, city):
    """Without a motivation nothing is published; with one, version 2 is published,
    is the only input of the next run and is shown on the run screen."""
    binnenstad = city["wijken"]["binnenstad"]
    client.force_login(decision_maker())
    url = reverse("besluiten:rule_deviation", args=[city["round"].pk])
    data = {
        "on_shortfall": "skip",
        "min_partial": "",
        f"floor_{binnenstad.pk}": "0",
        f"cap_{binnenstad.pk}": "3.000,00",
        f"floor_{city['wijken']['oost'].pk}": "0",
        f"cap_{city['wijken']['oost'].pk}": "",
        "motivation": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["deviation_form"].errors["motivation"]
    assert AllocationRule.objects.filter(round=city["round"]).count() == 1
    data["motivation"] = "De Binnenstad kreeg al geld uit een ander fonds."
    response = client.post(url, data)
    assert response.status_code == 302
    rule = rule_in_force(city["round"])
    assert rule.version == 2 and rule.motivation.startswith("De Binnenstad")
    assert rule.limits_by_wijk_id()[binnenstad.pk] == (0, 300_000)
    html = client.get(response["Location"]).content.decode()
    assert "versie 2" in html and "De Binnenstad kreeg al geld" in html


def test_no_deviation_after_the_closing_date(city):
    """A new version of the rule is refused once the round has closed."""
    round_ = city["round"]
    with pytest.raises(RuleError, match="gesloten"):
        rule_publish_deviation(
            round=round_,
            actor=decision_maker(),
            motivation="Te laat.",
            limits={},
            on_shortfall="skip",
            min_partial_cents=0,
            at=round_.closes_at + timedelta(minutes=1),
        )


def test_a_published_version_cannot_be_changed_or_deleted(city):
    """The record is frozen: no save, update or delete."""
    rule = rule_in_force(city["round"])
    rule.min_partial_cents = 1
    with pytest.raises(ImmutableRuleError):
        rule.save()
    with pytest.raises(ImmutableRuleError):
        AllocationRule.objects.filter(pk=rule.pk).update(min_partial_cents=1)
    with pytest.raises(ImmutableRuleError):
        rule.delete()


def test_the_round_draft_of_the_rule_is_frozen_once_published(city):
    """Finding: published_rule (and the other rule settings) were editable at any
    time. After publication the round's rule fields and wijk limits refuse changes."""
    round_ = city["round"]
    round_.published_rule = "Iets anders"
    round_.on_shortfall = "stop"
    with pytest.raises(ValidationError) as error:
        round_.full_clean()
    assert {"published_rule", "on_shortfall"} <= set(error.value.message_dict)
    limit = RoundWijkLimit(
        round=round_, wijk=city["wijken"]["oost"], floor_cents=0, cap_cents=100
    )
    with pytest.raises(ValidationError):
        limit.full_clean()


def test_the_scheme_page_shows_the_rule_record(city):
    """The scheme page takes its guarantees and text from the published version."""
    from subsidies.selectors import scheme_public_facts

    facts = scheme_public_facts(city["round"].scheme)
    assert facts.rule.version == 1
    [guarantee] = facts.wijk_guarantees
    assert (guarantee.wijk, guarantee.floor_cents, guarantee.cap_cents) == (
        "Binnenstad",
        672_672,
        11_200_000,
    )


def _letter(application):
    application.refresh_from_db()
    from beoordeling.decisions.services.letter_content import decision_kind_for

    kind = decision_kind_for(application)
    return kind, letter_content(
        application=application,
        kind=kind,
        kenmerk="D2027-000001",
        date_sent=timezone.localdate(),
    )


def test_a_cap_refusal_with_money_left_does_not_cite_the_ceiling(city):
    """Finding: the letter of a cap refusal cited Awb 4:25 lid 2 although 97 % of
    the ceiling was unspent. Now it rests on Awb 4:26 and quotes the rule version,
    its publication date and the motivation of the deviation."""
    decider = decision_maker()
    binnenstad = city["wijken"]["binnenstad"]
    rule_publish_deviation(
        round=city["round"],
        actor=decider,
        motivation="De Binnenstad kreeg al geld uit een ander fonds.",
        limits={binnenstad.pk: (0, 300_000)},
        on_shortfall="skip",
        min_partial_cents=0,
    )
    refused = assessed_application(
        round=city["round"], wijk=binnenstad, proposed_cents=500_000
    )
    run = services.allocation_run_create(round=city["round"], actor=decider)
    services.allocation_run_fix(run=run, actor=decider)
    kind, content = _letter(refused)
    assert kind == DecisionKind.AFWIJZING_CAP
    assert not content.ceiling_reached
    basis = " ".join(legal_basis_items(content))
    assert PLAFOND not in basis and "4:26" in basis
    motivation = " ".join(content.motivation)
    assert "versie 2, bekendgemaakt op" in motivation
    assert "De Binnenstad kreeg al geld uit een ander fonds." in motivation


def test_a_budget_refusal_at_the_ceiling_cites_awb_4_25(city):
    """When the money left under the ceiling is less than the amount, 4:25 lid 2."""
    decider = decision_maker()
    round_ = RoundFactory(ceiling_cents=300_000)
    oost = city["wijken"]["oost"]
    stronger, weaker = ranked_profiles(2)
    assessed_application(
        round=round_, wijk=oost, proposed_cents=250_000, profile=stronger
    )
    refused = assessed_application(
        round=round_, wijk=oost, proposed_cents=100_000, profile=weaker
    )
    run = services.allocation_run_create(round=round_, actor=decider)
    services.allocation_run_fix(run=run, actor=decider)
    kind, content = _letter(refused)
    assert kind == DecisionKind.AFWIJZING_BUDGET and content.ceiling_reached
    assert PLAFOND in " ".join(legal_basis_items(content))
    assert "versie 1, bekendgemaakt op" in " ".join(content.motivation)


def test_a_round_without_a_published_rule_is_not_allocated(city):
    """No published verdeelregel, no run."""
    round_ = RoundFactory(rule=False)
    assessed_application(
        round=round_, wijk=city["wijken"]["oost"], proposed_cents=100_000
    )
    with pytest.raises(DecisionError, match="niet bekendgemaakt"):
        services.allocation_run_create(round=round_, actor=decision_maker())


# --- order of receipt ---------------------------------------------------------------


@pytest.fixture
def receipt(city):
    round_ = receipt_round(ceiling_cents=5_000_000)
    now = timezone.now()
    oost = city["wijken"]["oost"]
    newer = assessed_application(round=round_, wijk=oost, proposed_cents=100_000)
    older = assessed_application(round=round_, wijk=oost, proposed_cents=100_000)
    Application.objects.filter(pk=newer.pk).update(complete_at=now - timedelta(days=1))
    Application.objects.filter(pk=older.pk).update(complete_at=now - timedelta(days=3))
    return {"round": round_, "newer": newer, "older": older}


def test_the_oldest_complete_application_is_decided_first(client, receipt):
    """Finding: IF-2026-0012 (complete 14 October) could be decided before
    IF-2026-0013 (complete 12 October). Now the newer one is refused with a Dutch
    message naming the older one, through the screen too."""
    decider = decision_maker()
    with pytest.raises(DecisionError, match=receipt["older"].reference):
        services.application_decide_by_receipt(
            application=receipt["newer"], actor=decider
        )
    client.force_login(decider)
    url = reverse(
        "besluiten:decide_by_receipt",
        args=[receipt["round"].pk, receipt["newer"].pk],
    )
    html = client.post(url, follow=True).content.decode()
    assert "eerst" in html and receipt["older"].reference in html
    assert Application.objects.get(pk=receipt["newer"].pk).status == Status.ASSESSED
    services.application_decide_by_receipt(application=receipt["older"], actor=decider)
    services.application_decide_by_receipt(application=receipt["newer"], actor=decider)
    statuses = set(
        Application.objects.filter(round=receipt["round"]).values_list(
            "status", flat=True
        )
    )
    assert statuses == {Status.AWARDED}


def test_a_motivated_exception_to_the_order_is_recorded(receipt):
    """With a motivation the newer one may go first; the run and the log keep why."""
    why = "Spoed: het activiteitenbegin is over drie dagen."
    run = services.application_decide_by_receipt(
        application=receipt["newer"], actor=decision_maker(), order_exception=why
    )
    assert run.order_exception == why
    log = TransitionLog.objects.filter(application=receipt["newer"]).latest("at")
    assert why in log.reason


# --- no 500 -------------------------------------------------------------------------


def test_a_second_click_on_fix_lands_on_the_fixed_run(client, city):
    """Finding: a double click on 'Verdeling vaststellen' answered 500. The second
    POST lands on the fixed run with a message, and nothing is decided twice."""
    decider = decision_maker()
    assessed_application(
        round=city["round"],
        wijk=city["wijken"]["oost"],
        proposed_cents=100_000,
    )
    run = services.allocation_run_create(round=city["round"], actor=decider)
    client.force_login(decider)
    url = reverse("besluiten:run", args=[run.pk])
    first = client.post(url, {"confirm": "on"})
    second = client.post(url, {"confirm": "on"})
    assert first.status_code == 302
    assert second.status_code == 302 and second["Location"] == url
    page = client.get(url)
    assert page.status_code == 200
    assert "is al vastgesteld" in page.content.decode()
    assert AllocationRun.objects.get(pk=run.pk).status == RunStatus.FIXED


@pytest.mark.parametrize(
    "field,value",
    [
        ("min_partial", "1" * 20),
        ("min_partial", "1e30"),
        ("floor", "99999999999999999999,99"),
        ("cap", "1" * 20),
        ("min_partial", "320.000,01"),
    ],
)
def test_every_amount_of_the_rule_form_is_bounded_with_a_dutch_error(
    client, city, field, value
):
    """Finding: a 20-digit 'Minimaal deelbedrag' answered 500. Every amount is at most
    the ceiling; above it the form says so in Dutch and nothing is published."""
    binnenstad = city["wijken"]["binnenstad"]
    data = {
        "on_shortfall": "partial",
        "min_partial": "",
        f"floor_{binnenstad.pk}": "0",
        f"cap_{binnenstad.pk}": "",
        f"floor_{city['wijken']['oost'].pk}": "0",
        f"cap_{city['wijken']['oost'].pk}": "",
        "motivation": "Proef",
    }
    key = field if field == "min_partial" else f"{field}_{binnenstad.pk}"
    data[key] = value
    client.force_login(decision_maker())
    response = client.post(
        reverse("besluiten:rule_deviation", args=[city["round"].pk]), data
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "Dit bedrag is te hoog. Controleer het bedrag: het mag hoogstens" in html
        or ("Vul een bedrag in euro&#x27;s in, met cijfers" in html)
    )
    assert AllocationRule.objects.filter(round=city["round"]).count() == 1
