"""Beschikkingen filled from the scheme's structured facts, read back from the PDF: one
dictum per route, one legal-basis block with the nadere regel's title and date, the
voorschot in euros and dates, the addressee, and a refusal for reserved money."""

# ruff: noqa: F811 (fixtures imported from the neighbouring test modules)

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from beoordeling.decisions.services import decisions as services
from beoordeling.letters import PAYMENT_TERM, format_date
from subsidies.demo_content import SCHEMES
from subsidies.models import Applicant, Application, Scheme
from tests.beoordeling.decisions.test_allocation_runs import (  # noqa: F401
    BY_STRENGTH,
    deciders,
    make,
    receipt_round,
    staff,
    wijken,
)
from tests.beoordeling.decisions.test_decision_letters import (  # noqa: F401
    pdf_text,
    scenario,
)

pytestmark = pytest.mark.django_db

LETTER_FACTS = (
    "legal_basis",
    "settlement_route",
    "direct_settlement_max_cents",
    "letter_accountability",
    "letter_accountability_direct",
    "advance_percent",
    "advance_part_months",
    "letter_obligations",
    "letter_payment",
)
TITLE = "Nadere regel subsidie Initiatievenfonds gemeente Utrecht"


def demo_facts(slug, **changes):
    """The letter facts of a seeded demo scheme."""
    spec = next(s for s in SCHEMES if s["slug"] == slug)
    return {
        name: spec.get(name, Scheme._meta.get_field(name).get_default())
        for name in LETTER_FACTS
    } | changes


def count(needle, text):
    return len(re.findall(re.escape(needle), text, re.IGNORECASE))


def issue(application, **scheme_facts):
    Scheme.objects.filter(pk=application.round.scheme_id).update(**scheme_facts)
    application.refresh_from_db()
    decision, _ = services.decision_issue(application=application, notify=False)
    return decision, pdf_text(decision)


def test_the_initiatievenfonds_fixes_an_award_of_at_most_5000_directly(scenario):
    """The old letter said 'Wij verlenen' and then 'Is de subsidie niet hoger dan
    € 5.000? Dan stellen wij de subsidie direct vast': both routes at once."""
    application = scenario["apps"]["verlening"]  # € 5.000 of € 6.250
    decision, text = issue(
        application,
        **demo_facts(
            "initiatievenfonds",
            regulation_title=TITLE,
            regulation_date=date(2026, 3, 3),
        ),
    )
    assert (
        f"Wij verlenen u een subsidie van € 5.000,00 voor '{application.title}' en "
        "stellen die meteen vast." in text
    )
    assert (
        "Met dit besluit stellen wij de subsidie ook meteen vast op dit bedrag" in text
    )
    assert "Wij hebben de subsidie met dit besluit al vastgesteld." in text
    assert "U hoeft alleen aan te tonen dat de activiteit is doorgegaan" in text
    sent = decision.date_sent
    assert (
        "Wij betalen u het hele bedrag van € 5.000,00 uiterlijk op "
        f"{format_date(sent + PAYMENT_TERM)}." in text
    )
    # Nothing later contradicts the dictum.
    for wrong in (
        "subsidie van ten hoogste",
        "Stuur binnen 13 weken",
        "niet hoger dan",
        "voorschot",
    ):
        assert count(wrong, text) == 0, wrong
    # One legal-basis block, the nadere regel with its full title and date.
    assert count("Wij baseren dit besluit op:", text) == 1
    assert count(f"{TITLE} van 3 maart 2026", text) == 1
    assert count("nadere regel", text) == 1
    assert count("titel 4.2", text) == 1
    assert count("(ASV)", text) == 1
    # The addressee: the applicant's name on the letter.
    assert application.applicant.name in text


def test_an_award_above_the_limit_is_granted_and_fixed_later_with_its_voorschot(
    scenario,
):
    application = scenario["apps"]["verlening"]
    start = timezone.localdate() + timedelta(days=40)
    Application.objects.filter(pk=application.pk).update(
        activity_start=start, activity_end=start + timedelta(days=20)
    )
    decision, text = issue(
        application,
        **demo_facts("initiatievenfonds", direct_settlement_max_cents=499_999),
    )
    end = format_date(start + timedelta(days=20))
    assert (
        f"Wij verlenen u een subsidie van ten hoogste € 5.000,00 voor '{application.title}'."
        in text
    )
    assert "Het definitieve bedrag stellen wij na afloop vast" in text
    assert (
        "Stuur binnen 13 weken na het einde van de activiteiten een kort verslag"
        in text
    )
    assert (
        "U krijgt een voorschot van € 5.000,00 (100% van de subsidie), in één keer: "
        f"• € 5.000,00 uiterlijk op {format_date(start)}, voor de activiteiten van "
        f"{format_date(start)} tot en met {end}." in text
    )
    assert "Bij de vaststelling verrekenen wij het voorschot." in text
    assert count("meteen vast", text) == 0
    assert count("direct", text) == 0
    # No title is known for the demo schemes: the letter names no nadere regel.
    assert count("nadere regel", text) == 0


def test_the_duurzaam_voorschot_is_80_percent_in_quarterly_parts_of_the_period(
    scenario,
):
    """The old letter said 'in vier gelijke delen per kwartaal' for a six-month
    activity, without an amount or a date."""
    application = scenario["apps"]["verlening"]
    start = date(timezone.localdate().year + 1, 3, 1)
    Application.objects.filter(pk=application.pk).update(
        activity_start=start, activity_end=date(start.year, 8, 31)
    )
    _decision, text = issue(application, **demo_facts("duurzaam"))
    year = start.year
    assert "Wij verlenen u een subsidie van ten hoogste € 5.000,00" in text
    assert (
        "U krijgt een voorschot van € 4.000,00 (80% van de subsidie), in 2 delen:"
        in text
    )
    assert (
        f"€ 2.000,00 uiterlijk op 1 maart {year}, voor de activiteiten van 1 maart "
        f"{year} tot en met 31 mei {year};" in text
    )
    assert (
        f"€ 2.000,00 uiterlijk op 1 juni {year}, voor de activiteiten van 1 juni "
        f"{year} tot en met 31 augustus {year}." in text
    )
    assert "De rest, ten hoogste € 1.000,00, betalen wij na de vaststelling." in text
    assert count("vier gelijke", text) == 0
    assert count("kwartaal", text) == 0
    assert "Na afloop vraagt u de vaststelling van de subsidie aan" in text


def test_the_flexbudget_fixes_every_award_directly(scenario):
    application = scenario["apps"]["verlening"]
    _decision, text = issue(application, **demo_facts("flexbudget"))
    assert "en stellen die meteen vast." in text
    assert "Na afloop vertelt u in een gesprek met de sociaal makelaar" in text
    assert count("Wij stellen de subsidie direct vast", text) == 0
    assert count("subsidie van ten hoogste", text) == 0


def test_the_iban_line_stays_when_the_scheme_has_no_payment_text(scenario):
    application = scenario["apps"]["verlening"]
    Applicant.objects.filter(pk=application.applicant_id).update(
        iban="NL91ABNA0417164300", account_holder="Stichting De Buurt"
    )
    _decision, text = issue(application, **demo_facts("flexbudget"))
    assert "Wij maken het geld over naar rekening NL91 **** **** 4300" in text
    assert "ten name van Stichting De Buurt" in text


def test_a_refusal_for_money_kept_for_other_wijken_says_so(
    receipt_round,
    wijken,
    staff,
    deciders,
):
    """Order of receipt: € 3.000 of the ceiling is kept for Zuid's guaranteed minimum;
    the ceiling is not reached, so the letter does not say the money ran out."""
    first = make(receipt_round, wijken["noord"], 500_000, BY_STRENGTH[7], staff)
    second = make(receipt_round, wijken["noord"], 300_000, BY_STRENGTH[7], staff)
    services.application_decide_by_receipt(application=first, actor=deciders[0])
    services.application_decide_by_receipt(application=second, actor=deciders[0])
    second.refresh_from_db()
    decision, _ = services.decision_issue(application=second, notify=False)
    text = pdf_text(decision)
    assert "Wij wijzen uw aanvraag af." in text
    assert (
        "Het geld dat nog niet was verdeeld, houden wij vast voor wijken die hun "
        "minimum nog niet hebben gekregen." in text
    )
    assert "Het plafond zelf is nog niet bereikt." in text
    assert "Verder is € 3.000,00 gereserveerd voor wijken" in text
    assert count("Het geld was op", text) == 0
    assert count("4:25", text) == 0
    assert "artikel 4:26 van de Awb en de bekendgemaakte verdeelregel" in text
