"""The public forms: Utrecht markup, no browser validation, clear Dutch errors."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from subsidies.forms import (
    BudgetFormSet,
    ImpactForm,
    InitiativeForm,
    OrganisationForm,
    QuickCheckForm,
    error_summary,
)
from subsidies.models import Buurt, QuestionSet, TargetGroup, Theme
from tests.factories import SchemeFactory, WijkFactory

pytestmark = pytest.mark.django_db

VALID_ORGANISATION = {
    "kind": "organisatie",
    "name": "Stichting Buurtkracht",
    "kvk_number": "4123 4567",
    "contact_name": "Sanne Visser",
    "contact_email": "sanne@example.nl",
    "street": "Oudegracht 1",
    "postcode": "3511ab",
    "city": "Utrecht",
    "iban": "nl91 abna 0417 1643 00",
    "account_holder": "Stichting Buurtkracht",
}


def _date(days):
    return (timezone.localdate() + timedelta(days=days)).strftime("%d-%m-%Y")


def test_fields_carry_utrecht_classes_and_no_browser_validation():
    """Controls get utrecht-* classes and aria-required, never the required attribute."""
    html = str(OrganisationForm())
    assert 'class="utrecht-textbox utrecht-textbox--html-input' in html
    assert "utrecht-form-field utrecht-form-field--text" in html
    assert 'class="utrecht-form-label"' in html
    assert "utrecht-radio-button utrecht-radio-button--html-input" in html
    assert 'role="radiogroup"' in html
    assert 'aria-required="true"' in html
    assert not re.search(r"\srequired(\s|>|=)", html)
    assert "(niet verplicht)" in html


def test_an_invalid_field_points_to_its_description_and_error():
    """aria-invalid and aria-describedby link the control to its help text and error."""
    form = OrganisationForm({**VALID_ORGANISATION, "iban": "NL00 ABNA 0000 0000 00"})
    assert not form.is_valid()
    html = str(form["iban"].as_field_group())
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_iban-description id_iban-error"' in html
    assert 'id="id_iban-error"' in html
    assert "utrecht-form-field-error-message" in html
    assert "utrecht-textbox--invalid" in html
    assert "Dit IBAN klopt niet" in html


def test_the_error_summary_links_to_each_field():
    """Every error appears in the summary, linked to the control (or first option)."""
    form = OrganisationForm({"kvk_number": "123"})
    assert not form.is_valid()
    summary = error_summary(form)
    hrefs = [item["href"] for item in summary]
    assert "#id_kind_0" in hrefs
    assert "#id_name" in hrefs
    assert "#id_kvk_number" in hrefs
    assert all(str(item["text"]) for item in summary)


def test_a_correct_organisation_is_normalised():
    """KvK and IBAN lose their spaces, the postcode gets its Dutch form."""
    form = OrganisationForm(VALID_ORGANISATION)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["kvk_number"] == "41234567"
    assert form.cleaned_data["iban"] == "NL91ABNA0417164300"
    assert form.cleaned_data["postcode"] == "3511 AB"


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"iban": "NL91 ABNA 0417 1643 01"}, "iban", "Dit IBAN klopt niet"),
        ({"kvk_number": ""}, "kvk_number", "KvK-nummer van uw stichting"),
        ({"kvk_number": "1234"}, "kvk_number", "8 cijfers"),
        ({"kind": "bewonersgroep"}, "kvk_number", "geen KvK-nummer"),
        (
            {"kind": "bewonersgroep", "kvk_number": "", "penvoerder_name": "Buurthuis"},
            "penvoerder_kvk",
            "KvK-nummer van de penvoerder",
        ),
        ({"postcode": "1234"}, "postcode", "3511 AB"),
        ({"contact_email": "geen-adres"}, "contact_email", "naam@voorbeeld.nl"),
        ({"rsin": "123456789"}, "rsin", "elfproef"),
    ],
)
def test_organisation_errors_say_what_to_do(change, field, words):
    """Wrong IBAN, KvK, postcode or e-mail each get their own Dutch message."""
    form = OrganisationForm({**VALID_ORGANISATION, **change})
    assert not form.is_valid()
    assert words in " ".join(form.errors[field])


def test_the_quick_check_names_the_unanswered_question():
    """An unanswered question is named in its error, so the summary is useful."""
    form = QuickCheckForm({})
    assert not form.is_valid()
    assert "Is uw activiteit al begonnen?" in form.errors["started"][0]


@pytest.fixture
def choices():
    wijk = WijkFactory(code="zuid", name="Zuid")
    other = WijkFactory(code="west", name="West")
    return {
        "wijk": wijk,
        "buurt": Buurt.objects.create(wijk=wijk, name="Hoograven"),
        "elsewhere": Buurt.objects.create(wijk=other, name="Lombok"),
        "group": TargetGroup.objects.create(slug="ouderen", name="Ouderen"),
        "theme": Theme.objects.create(slug="ontmoeting", name="Ontmoeting"),
    }


def _initiative(choices, **change):
    data = {
        "title": "Buurtmaaltijd",
        "summary": "Samen koken en eten.",
        "wijk": choices["wijk"].pk,
        "buurten": [choices["buurt"].pk],
        "activity_start": _date(30),
        "activity_end": _date(90),
        "target_groups": [choices["group"].pk],
        "themes": [choices["theme"].pk],
    }
    data.update(change)
    return InitiativeForm(data)


def test_a_complete_initiative_is_valid(choices):
    """Dates typed as dd-mm-jjjj and buurten inside the wijk are accepted."""
    form = _initiative(choices)
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"activity_start": _date(0)}, "activity_start", "na vandaag"),
        ({"activity_start": _date(-10)}, "activity_start", "al begonnen"),
        ({"activity_end": _date(10)}, "activity_end", "voor de eerste dag"),
        ({"activity_start": "31-02-2027"}, "activity_start", "bestaande datum"),
        ({"title": "x" * 201}, "title", "hoogstens 200 tekens"),
        ({"wijk": "1 OR 1=1"}, "wijk", "Kies een wijk uit de lijst"),
        ({"themes": []}, "themes", "minstens één thema"),
    ],
)
def test_initiative_errors_say_what_to_do(choices, change, field, words):
    """Past or impossible dates, too long texts and foreign choices are refused."""
    form = _initiative(choices, **change)
    assert not form.is_valid()
    assert words in " ".join(form.errors[field])


def test_a_buurt_outside_the_chosen_wijk_is_refused(choices):
    """Buurten must lie in the wijk of the activity."""
    form = _initiative(choices, buurten=[choices["elsewhere"].pk])
    assert not form.is_valid()
    assert "Lombok" in form.errors["buurten"][0]


def _budget(lines, maximum=2_000_000):
    data = {"lines-TOTAL_FORMS": str(len(lines)), "lines-INITIAL_FORMS": "0"}
    for index, (category, description, amount) in enumerate(lines):
        data[f"lines-{index}-category"] = category
        data[f"lines-{index}-description"] = description
        data[f"lines-{index}-amount"] = amount
    return BudgetFormSet(data, prefix="lines", max_total_cents=maximum)


def test_the_requested_amount_is_the_sum_of_the_lines():
    """Lines in Dutch and English notation add up to exact cents."""
    formset = _budget(
        [("materiaal", "Pannen", "1.234,56"), ("huur", "Zaal", "100.5"), ("", "", "")]
    )
    assert formset.is_valid(), formset.errors
    assert formset.total_cents() == 133506


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("-50", "negatief"),
        ("0", "hoger is dan 0"),
        ("99999999999", "te hoog"),
        ("twintig euro", "met cijfers"),
        ("12,345", "met cijfers"),
    ],
)
def test_bad_amounts_get_a_clear_message(amount, words):
    """Negative, zero, absurd and non-numeric amounts are refused in Dutch."""
    formset = _budget([("materiaal", "Pannen", amount)])
    assert not formset.is_valid()
    assert words in " ".join(formset.forms[0].errors["amount"])


def test_a_total_above_the_scheme_maximum_is_refused():
    """The total is checked against the maximum of the scheme, with both amounts."""
    formset = _budget([("materiaal", "Pannen", "15000"), ("huur", "Zaal", "6000")])
    assert not formset.is_valid()
    message = formset.non_form_errors()[0]
    assert "€ 21.000,00" in message and "€ 20.000,00" in message


def test_a_budget_needs_at_least_one_line():
    """An empty budget says what is missing."""
    formset = _budget([("", "", "")])
    assert not formset.is_valid()
    assert "minstens één kostenpost" in formset.non_form_errors()[0]


def test_the_error_summary_names_the_budget_row():
    """A row error in the summary says which row it is."""
    formset = _budget([("materiaal", "Pannen", "10"), ("huur", "Zaal", "abc")])
    assert not formset.is_valid()
    texts = [str(item["text"]) for item in error_summary(formset)]
    assert any(text.startswith("Kostenpost 2:") for text in texts)


def test_scheme_questions_become_fields_with_their_version():
    """The application's QuestionSet decides the extra questions of the impact step."""
    scheme = SchemeFactory()
    question_set = QuestionSet.objects.create(
        scheme=scheme,
        version=3,
        questions=[
            {
                "key": "toegankelijk",
                "label": "Toegankelijk?",
                "kind": "yesno",
                "required": True,
            },
            {
                "key": "jaren",
                "label": "Hoeveel jaar?",
                "kind": "number",
                "required": False,
            },
            {
                "key": "doelen",
                "label": "Welke doelen?",
                "kind": "multichoice",
                "required": True,
                "choices": [["a", "Doel A"], ["b", "Doel B"]],
            },
        ],
    )
    base = {"impact_plan": "Meer contact.", "expected_reach": "30", "volunteers": "4"}
    form = ImpactForm(base, question_set=question_set)
    assert not form.is_valid()
    assert "Toegankelijk?" in form.errors["q_toegankelijk"][0]
    assert "q_jaren" not in form.errors
    form = ImpactForm(
        {**base, "q_toegankelijk": "ja", "q_doelen": ["a"]}, question_set=question_set
    )
    assert form.is_valid(), form.errors
    assert form.answers() == {"toegankelijk": True, "jaren": None, "doelen": ["a"]}


@pytest.mark.django_db
def test_an_absurd_choice_key_is_a_form_error_not_a_crash():
    """A posted wijk or theme key past the database's range gets the field's Dutch message."""
    from subsidies.forms.fields import ChoiceFromListField, ChoicesFromListField
    from subsidies.models import Theme, Wijk

    wijk = ChoiceFromListField(queryset=Wijk.objects.all())
    themes = ChoicesFromListField(queryset=Theme.objects.all())
    huge = str(2**63)
    with pytest.raises(ValidationError):
        wijk.clean(huge)
    with pytest.raises(ValidationError):
        themes.clean(["1", huge])
    with pytest.raises(ValidationError):
        wijk.clean("-5")
