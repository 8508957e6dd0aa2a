"""One Dutch money rule for residents and staff: ``subsidies.money`` parses and formats,
``subsidies.forms.fields.EuroField`` (and its cents form ``EuroCentsField``) is the one
euro field. The resident's budget line and the decision maker's verdeelregel accept and
refuse the same texts with the same Dutch messages."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from beoordeling.decisions.forms import RuleDeviationForm
from subsidies.forms.budget import BudgetLineForm
from subsidies.money import euros_to_cents, format_euros, format_input, parse_euros


@given(st.integers(min_value=0, max_value=10**14))
def test_formatting_then_parsing_returns_the_same_cents(cents):
    assert euros_to_cents(parse_euros(format_input(cents))) == cents
    assert euros_to_cents(parse_euros(format_euros(cents))) == cents
    whole = cents - cents % 100
    assert euros_to_cents(parse_euros(format_euros(whole, with_cents=False))) == whole


def _resident():
    return BudgetLineForm.base_fields["amount"]


def _staff():
    return RuleDeviationForm.base_fields["min_partial"]


def _outcome(field, typed):
    """What the person sees: the amount in cents, or the Dutch message."""
    try:
        cleaned = field.clean(typed)
    except ValidationError as error:
        return ("fout", [str(message) for message in error.messages])
    cents = cleaned if isinstance(cleaned, int) else euros_to_cents(cleaned)
    return ("bedrag", cents)


ACCEPTED = {
    "1.234": 123400,
    "1,234.56": 123456,
    "1.234,56": 123456,
    "1234,5": 123450,
    "1234.56": 123456,
    "€ 800": 80000,
    "1\u00a0250": 125000,
    "12.345,67": 1234567,
}
REFUSED = ["1,234", "12,345", "1e30", "veel", "1.2.3", "1234,567", "-5", "12,3,4"]


@pytest.mark.parametrize(("typed", "cents"), ACCEPTED.items())
def test_resident_and_staff_accept_the_same_amounts(typed, cents):
    assert _outcome(_resident(), typed) == ("bedrag", cents)
    assert _outcome(_staff(), typed) == ("bedrag", cents)


@pytest.mark.parametrize("typed", REFUSED)
def test_resident_and_staff_refuse_the_same_texts_in_the_same_dutch(typed):
    resident, staff = _outcome(_resident(), typed), _outcome(_staff(), typed)
    assert resident[0] == "fout", typed
    assert staff == resident
    assert any(
        word in resident[1][0] for word in ("Vul een bedrag", "negatief", "komma")
    )


def test_the_messages_say_what_to_type():
    assert _outcome(_staff(), "veel")[1] == [
        "Vul een bedrag in euro's in, met cijfers. Bijvoorbeeld 1250 of 1.250,50."
    ]
    assert _outcome(_staff(), "12,345")[1] == _outcome(_resident(), "12,345")[1]
    assert _outcome(_staff(), "-5")[1] == ["Een bedrag kan niet negatief zijn."]


def test_there_is_one_euro_field_and_one_parser():
    """No second euro field on the decision side; the export's amounts use the parser."""
    import beoordeling.decisions.forms as decision_forms

    assert not hasattr(decision_forms, "EuroField")
    assert type(_staff()).__mro__[1] is type(_resident())


def test_every_screen_shows_an_amount_the_same_way():
    """Resident and staff screens, the export table and the admin list all show
    € 1.234,56 with a non-breaking space after the €: it never wraps and a screen
    reader reads one amount. Every tag library's ``euro`` is the same filter."""
    from django.template import Context, Template, engines

    from beoordeling.overviews.exports.display import display_value
    from subsidies.templatetags import portal_tags

    expected = "€\u00a01.234,56"
    libraries = engines["django"].engine.template_libraries
    with_euro = sorted(
        name
        for name, library in libraries.items()
        if any(filter_name.startswith("euro") for filter_name in library.filters)
    )
    assert with_euro == [
        "assessment_tags",
        "decision_tags",
        "export_tags",
        "portal_tags",
    ]
    for name in with_euro:
        library = libraries[name]
        assert library.filters["euro"] is portal_tags.euro, name
        assert set(library.filters) & {"euro_nbsp"} == set(), name
        rendered = Template(
            "{% load " + name + " %}{{ amount|euro }}|{{ nothing|euro }}"
        ).render(Context({"amount": 123456, "nothing": None}))
        assert rendered == expected + "|", name

    assert portal_tags.euro_whole(200_000_000) == "€\u00a02.000.000"
    assert display_value(Decimal("1234.56"), "money") == expected
    assert format_euros(123456, nbsp=True) == expected
    # Plain text (e-mail, a message in a sentence) keeps an ordinary space.
    assert format_euros(123456) == "€ 1.234,56"
