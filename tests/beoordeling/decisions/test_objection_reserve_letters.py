"""The round's reserve for bezwaren in the afwijzing letters and in the published rule.

A reserve (``Round.objection_reserve_cents``) is part of the ceiling that no run
spends. An afwijzing says it in a sentence of its own, next to what was left and what
is kept for other wijken's guaranteed minimum, and rests on the wijk guarantees
(RESERVED) only when those caused the refusal. The reserve is published with the
verdeelregel: the scheme page shows it, and it cannot change once a version is out.
"""

# ruff: noqa: F811 (fixtures imported from the neighbouring test modules)

import pytest
from django.core.exceptions import ValidationError

from beoordeling.decisions.services import decisions as services
from beoordeling.decisions.services.letter_content import decision_kind_for
from beoordeling.models import DecisionKind
from subsidies.models import Round, RoundWijkLimit
from subsidies.selectors import scheme_facts_changed
from tests.beoordeling.decisions.test_allocation_runs import (  # noqa: F401
    BY_STRENGTH,
    deciders,
    make,
    staff,
    wijken,
)
from tests.beoordeling.decisions.test_decision_letters import pdf_text
from tests.cms.test_pages import site  # noqa: F401
from tests.factories import RoundFactory, publish_rule
from tests.factories import receipt_round as round_in_order_of_receipt

pytestmark = pytest.mark.django_db

RESERVE_SENTENCE = "apart voor bezwaren"
GUARANTEE_INTRO = (
    "Het geld dat nog niet was verdeeld, houden wij vast voor wijken die hun "
    "minimum nog niet hebben gekregen."
)
CEILING_INTRO = "Het geld was op voordat uw aanvraag aan de beurt was."


def receipt_round_with(wijken, *, reserve_cents):
    """Order of receipt, ceiling € 10.000, Zuid guaranteed € 3.000, the reserve set
    before the verdeelregel is published."""
    round_ = round_in_order_of_receipt(
        ceiling_cents=1_000_000, objection_reserve_cents=reserve_cents, rule=False
    )
    RoundWijkLimit.objects.create(
        round=round_, wijk=wijken["zuid"], floor_cents=300_000, cap_cents=None
    )
    publish_rule(round_)
    return round_


def refused_by_receipt(round_, wijken, staff, decider, *, first, second):
    """Noord's first application is awarded, its second refused; the letter's text."""
    awarded = make(round_, wijken["noord"], first, BY_STRENGTH[7], staff)
    refused = make(round_, wijken["noord"], second, BY_STRENGTH[7], staff)
    services.application_decide_by_receipt(application=awarded, actor=decider)
    services.application_decide_by_receipt(application=refused, actor=decider)
    refused.refresh_from_db()
    assert decision_kind_for(refused) == DecisionKind.AFWIJZING_BUDGET
    decision, _ = services.decision_issue(application=refused, notify=False)
    return pdf_text(decision)


def test_a_refusal_by_the_guarantees_names_the_reserve_apart(wijken, staff, deciders):
    """Ceiling € 10.000, € 1.000 kept for bezwaren, € 3.000 for Zuid, € 5.000
    awarded: € 1.000 was left for a request of € 1.500. The letter says all four
    figures, the reserve in a sentence of its own, and rests on the verdeelregel
    (the guarantees caused it), not on the ceiling."""
    round_ = receipt_round_with(wijken, reserve_cents=100_000)
    text = refused_by_receipt(
        round_, wijken, staff, deciders[0], first=500_000, second=150_000
    )
    assert "Daarvan was al € 5.000,00 toegekend." in text
    assert (
        "Verder is € 3.000,00 gereserveerd voor wijken die hun gegarandeerde "
        "minimum nog niet hebben gekregen." in text
    )
    assert "Van het subsidieplafond houden wij € 1.000,00 apart voor bezwaren." in text
    assert (
        "Er was nog € 1.000,00 beschikbaar; voor uw aanvraag was € 1.500,00 nodig."
        in text
    )
    assert GUARANTEE_INTRO in text and CEILING_INTRO not in text
    assert "4:25" not in text
    assert "artikel 4:26 van de Awb en de bekendgemaakte verdeelregel" in text


def test_a_refusal_by_the_reserve_is_not_blamed_on_the_wijk_guarantees(
    wijken, staff, deciders
):
    """Finding: with a reserve the order-of-receipt letter counted the reserve for
    bezwaren as money 'gereserveerd voor wijken' (€ 4.000 instead of € 3.000) and
    said the ceiling was not reached. Now € 4.500 does not fit in the € 4.000 the
    ceiling leaves for applications: the ceiling is the reason (Awb 4:25), Zuid's
    € 3.000 and the € 1.000 for bezwaren are named apart."""
    round_ = receipt_round_with(wijken, reserve_cents=100_000)
    text = refused_by_receipt(
        round_, wijken, staff, deciders[0], first=500_000, second=450_000
    )
    assert "Verder is € 3.000,00 gereserveerd voor wijken" in text
    assert "€ 4.000,00 gereserveerd" not in text
    assert "Van het subsidieplafond houden wij € 1.000,00 apart voor bezwaren." in text
    assert "Er was nog € 1.000,00 beschikbaar" in text
    assert CEILING_INTRO in text and GUARANTEE_INTRO not in text
    assert "Het plafond zelf is nog niet bereikt." not in text
    assert "4:25, tweede lid" in text


def test_nothing_left_splits_the_guarantees_and_the_reserve(wijken, staff, deciders):
    """Ceiling € 10.000, € 3.000 for bezwaren, € 4.000 awarded, Zuid's € 3.000
    guaranteed: nothing was left for € 1.000. The letter names € 3.000 for Zuid and
    € 3.000 for bezwaren (not € 6.000 for the wijken), and the guarantees as the
    reason."""
    round_ = receipt_round_with(wijken, reserve_cents=300_000)
    text = refused_by_receipt(
        round_, wijken, staff, deciders[0], first=400_000, second=100_000
    )
    assert "Verder is € 3.000,00 gereserveerd voor wijken" in text
    assert "Van het subsidieplafond houden wij € 3.000,00 apart voor bezwaren." in text
    assert "Er was nog € 0,00 beschikbaar" in text
    assert GUARANTEE_INTRO in text and "4:25" not in text


def test_without_a_reserve_the_letter_says_nothing_of_bezwaren_money(
    wijken, staff, deciders
):
    """A round without a reserve keeps its letter as it was: the guarantees, what
    was left, no sentence on money for bezwaren."""
    round_ = receipt_round_with(wijken, reserve_cents=0)
    text = refused_by_receipt(
        round_, wijken, staff, deciders[0], first=500_000, second=300_000
    )
    assert (
        "Daarvan was al € 5.000,00 toegekend. Verder is € 3.000,00 gereserveerd voor "
        "wijken die hun gegarandeerde minimum nog niet hebben gekregen. Er was nog "
        "€ 2.000,00 beschikbaar; voor uw aanvraag was € 3.000,00 nodig." in text
    )
    assert RESERVE_SENTENCE not in text
    assert GUARANTEE_INTRO in text


def _round_run_refusal(wijken, staff, decider, *, reserve_cents, amount_cents):
    round_ = RoundFactory(
        ceiling_cents=1_000_000, objection_reserve_cents=reserve_cents
    )
    make(round_, wijken["noord"], 700_000, BY_STRENGTH[1], staff)
    refused = make(round_, wijken["oost"], amount_cents, BY_STRENGTH[7], staff)
    run = services.allocation_run_create(round=round_, actor=decider)
    services.allocation_run_fix(run=run, actor=decider)
    refused.refresh_from_db()
    assert decision_kind_for(refused) == DecisionKind.AFWIJZING_BUDGET
    decision, _ = services.decision_issue(application=refused, notify=False)
    return round_, pdf_text(decision)


def test_a_round_run_refusal_says_what_the_applications_could_still_get(
    wijken, staff, deciders
):
    """Ranking, ceiling € 10.000 of which € 2.000 kept for bezwaren: after € 7.000
    awarded, € 1.000 was left for applications, not € 3.000 'niet verdeeld'; the
    reserve has its own sentence and the ceiling is the reason."""
    round_, text = _round_run_refusal(
        wijken, staff, deciders[0], reserve_cents=200_000, amount_cents=200_000
    )
    assert (
        f"Het subsidieplafond van {round_.name} is € 10.000,00. Toen uw aanvraag aan "
        "de beurt was, was daarvan nog € 1.000,00 beschikbaar voor aanvragen; voor "
        "uw aanvraag was € 2.000,00 nodig." in text
    )
    assert "Van het subsidieplafond houden wij € 2.000,00 apart voor bezwaren." in text
    assert "niet verdeeld" not in text
    assert CEILING_INTRO in text and "4:25, tweede lid" in text


def test_a_round_run_refusal_without_a_reserve_stays_as_it_was(wijken, staff, deciders):
    """No reserve: 'nog € 3.000,00 niet verdeeld' as before, no bezwaren sentence."""
    _round, text = _round_run_refusal(
        wijken, staff, deciders[0], reserve_cents=0, amount_cents=400_000
    )
    assert (
        "Toen uw aanvraag aan de beurt was, was daarvan nog € 3.000,00 niet "
        "verdeeld; voor uw aanvraag was € 4.000,00 nodig." in text
    )
    assert RESERVE_SENTENCE not in text


# --- the reserve is published with the rule -------------------------------------------


def test_the_reserve_is_fixed_once_the_rule_is_published():
    """After the verdeelregel is published, changing the reserve is refused with a
    Dutch error beside the field, and the stored reserve stays as published."""
    round_ = RoundFactory(ceiling_cents=1_000_000, objection_reserve_cents=100_000)
    round_.objection_reserve_cents = 250_000
    assert set(round_.change_errors()) == {"objection_reserve_cents"}
    with pytest.raises(ValidationError) as error:
        round_.full_clean()
    assert error.value.message_dict["objection_reserve_cents"] == [
        "De verdeelregel is bekendgemaakt. De reserve voor bezwaren hoort daarbij "
        "en kan niet meer veranderen."
    ]
    with pytest.raises(ValidationError):
        round_.save()
    assert Round.objects.get(pk=round_.pk).objection_reserve_cents == 100_000


def test_the_reserve_may_change_before_the_rule_is_published():
    """A draft round (no published version) takes a new reserve, and publishing
    freezes that one."""
    round_ = RoundFactory(ceiling_cents=1_000_000, rule=False)
    round_.objection_reserve_cents = 150_000
    round_.full_clean()
    round_.save()
    publish_rule(round_)
    assert Round.objects.get(pk=round_.pk).objection_reserve_cents == 150_000
    round_.objection_reserve_cents = 0
    assert "objection_reserve_cents" in round_.change_errors()


def test_the_scheme_page_shows_the_reserve_next_to_the_ceiling(client, site):
    """The open duurzaam round keeps € 25.000 for bezwaren: its page says so under
    the ceiling; a scheme without a reserve says nothing about it."""
    Round.objects.filter(pk=site["duurzaam"].pk).update(
        objection_reserve_cents=2_500_000
    )
    scheme_facts_changed()
    html = client.get("/duurzaam/").content.decode()
    assert "Budget van deze ronde" in html
    assert "Daarvan houden wij €\xa025.000 apart voor bezwaren." in html
    other = client.get("/flexbudget/").content.decode()
    assert "Budget van deze ronde" in other
    assert "apart voor bezwaren" not in other
