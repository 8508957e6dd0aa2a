"""The form steps drawn fast look exactly as drawn by the templates (issue 19).

``portal.shared.fast_fields`` writes the Utrecht field template and Django's widget
templates in Python; ``UtrechtFormRenderer.fast = False`` renders every template
instead. These tests draw the same forms and pages both ways and require the same
characters: every step page of a filled concept, every field of every public form
(empty, filled, with hostile text and with errors), and a step that comes back with
its errors. The templates stay the reference: a change to one of them fails here
until ``fast_fields`` writes the same.
"""

import inspect
import re
from datetime import timedelta

import pytest
from django.test.signals import template_rendered
from django.urls import reverse
from django.utils import timezone

from accounts import forms as account_forms
from portal.shared.forms import UtrechtFormMixin, UtrechtFormRenderer
from subsidies import steps
from subsidies.forms import (
    BudgetFormSet,
    OtherFundingFormSet,
    PartnerFormSet,
    assisted,
    budget,
    change,
    check,
    files,
    impact,
    initiative,
    organisation,
    report,
    submission,
)
from subsidies.models import Buurt, QuestionSet, TargetGroup, Theme
from tests.drafts import fill_everything
from tests.factories import ApplicationFactory, RoundFactory, SchemeFactory, WijkFactory

pytestmark = pytest.mark.django_db

HOSTILE = "<b>\"Buurt\" & 'co'</b> %s %% {{ x }}"
QUESTIONS = [
    {"key": "ja_nee", "label": "Toegankelijk <voor> iedereen?", "kind": "yesno"},
    {"key": "aantal", "label": "Hoeveel?", "kind": "number", "required": True},
    {
        "key": "keuze",
        "label": "Welke?",
        "kind": "choice",
        "choices": [["a", "A & B"], ["b", "<C>"]],
        "help": "Kies er één.",
    },
    {
        "key": "meer",
        "label": "Welke meer?",
        "kind": "multichoice",
        "choices": [["x", "X"], ["y", "Y"], ["z", "Z"]],
        "required": True,
    },
    {"key": "uitleg", "label": "Uitleg", "kind": "textarea"},
    {"key": "kort", "label": "Kort", "kind": "text", "required": True},
]


def _both(monkeypatch, draw):
    """What ``draw()`` gives fast and through the templates."""
    monkeypatch.setattr(UtrechtFormRenderer, "fast", True)
    fast = draw()
    monkeypatch.setattr(UtrechtFormRenderer, "fast", False)
    slow = draw()
    monkeypatch.setattr(UtrechtFormRenderer, "fast", True)
    return fast, slow


def _page(response):
    """The page's HTML without its CSRF tokens (new on every request) and the
    seconds its session has left (a clock)."""
    assert response.status_code == 200
    html = re.sub(
        r'name="csrfmiddlewaretoken" value="[^"]+"',
        'name="csrfmiddlewaretoken" value=""',
        response.content.decode(),
    )
    return re.sub(r'data-seconds-left="\d+"', 'data-seconds-left=""', html)


@pytest.fixture
def draft():
    """A concept with every part filled, buurten of two wijken to choose from and a
    question set of every kind, its answers stored."""
    scheme = SchemeFactory()
    QuestionSet.objects.create(scheme=scheme, version=3, questions=QUESTIONS)
    RoundFactory(scheme=scheme)
    wijk = WijkFactory(code="zuid", name="Zuid")
    other = WijkFactory(code="west", name="West & Lombok")
    for name in ("Hoograven", "Tolsteeg", "Rotsoord"):
        Buurt.objects.create(wijk=wijk, name=name)
    Buurt.objects.create(wijk=other, name="Lombok <Oost>")
    for slug, name in (("ouderen", "Ouderen"), ("jongeren", "Jongeren & kinderen")):
        TargetGroup.objects.create(slug=slug, name=name)
    for slug, name in (
        ("ontmoeting", "Ontmoeting"),
        ("groen", "Groen"),
        ("sport", "Sport"),
    ):
        Theme.objects.create(slug=slug, name=name)
    application = ApplicationFactory(
        round=scheme.rounds.first(), wijk=wijk, title=f"Buurtmaaltijd {HOSTILE}"
    )
    return fill_everything(application)


@pytest.fixture
def resident(client, draft):
    client.force_login(draft.created_by)
    return client


def test_every_step_page_is_drawn_the_same_fast_as_by_the_templates(
    resident, draft, monkeypatch
):
    """Each step of a filled concept shows the same page, character for character,
    drawn fast or through the templates; it shows what the resident saved."""
    for step in steps.SLUGS:
        url = reverse("subsidies:step", args=[draft.reference, step])
        fast, slow = _both(monkeypatch, lambda url=url: _page(resident.get(url)))
        assert fast == slow, step
    page = _page(
        resident.get(reverse("subsidies:step", args=[draft.reference, "initiatief"]))
    )
    assert (
        'value="Buurtmaaltijd &lt;b&gt;&quot;Buurt&quot; &amp; &#x27;co&#x27;' in page
    )
    for buurt in draft.buurten.all():
        assert re.search(rf'value="{buurt.pk}" id="id_buurten_\d+"[^>]* checked>', page)
    assert 'value="Buurthuis De Boog"' in page
    impact_page = _page(
        resident.get(reverse("subsidies:step", args=[draft.reference, "impact"]))
    )
    assert (
        "Twee regels\nmet een witregel\n\nen nog één: €, é, ü.</textarea>"
        in impact_page
    )


def test_the_fast_page_draws_no_field_or_widget_template(resident, draft, monkeypatch):
    """Fast, the initiative step renders its page templates only; through the
    templates it renders the field template once per field and a widget template
    per checkbox (so the comparison above compares two different ways)."""
    url = reverse("subsidies:step", args=[draft.reference, "initiatief"])
    drawn = []

    def seen(sender, template, **kwargs):
        drawn.append(template.name)

    template_rendered.connect(seen)
    try:
        fast, slow = _both(
            monkeypatch, lambda: (drawn.clear(), resident.get(url), list(drawn))[2]
        )
    finally:
        template_rendered.disconnect(seen)
    assert not [name for name in fast if name.startswith(("forms/", "django/forms/"))]
    assert "forms/utrecht/field.html" in slow
    assert slow.count("django/forms/widgets/checkbox_option.html") >= 4 + 2 + 3


def test_a_step_with_errors_comes_back_the_same_fast_as_by_the_templates(
    resident, draft, monkeypatch
):
    """A posted initiative step with mistakes comes back with the same page either
    way: the typed text, the errors at the fields and the summary above."""
    url = reverse("subsidies:step", args=[draft.reference, "initiatief"])
    data = {
        "title": "",
        "summary": HOSTILE,
        "wijk": "999999",
        "buurten": ["x"],
        "activity_start": "31-02-2027",
        "activity_end": (timezone.localdate() + timedelta(days=9)).strftime("%d-%m-%Y"),
        "target_groups": [],
        "themes": [],
        "partners-TOTAL_FORMS": "1",
        "partners-INITIAL_FORMS": "0",
        "partners-0-name": HOSTILE,
        "partners-0-kind": "onbekend",
        "action": "next",
    }
    # No version field: each post saves what it can as a fresh page; the version each
    # page carries (how often the step was saved) is the one thing that differs.
    fast, slow = _both(
        monkeypatch,
        lambda: re.sub(
            r'name="stap_versie" value="\d+"', "", _page(resident.post(url, data))
        ),
    )
    assert fast == slow
    assert "utrecht-form-field--invalid" in fast
    # The error at the title (and in the summary), the typed text shown again.
    assert fast.count("Vul de titel van uw initiatief in.") == 2
    assert "&lt;b&gt;&quot;Buurt&quot; &amp; &#x27;co&#x27;&lt;/b&gt;" in fast


def _public_forms():
    """Every public form class (each uses the Utrecht renderer)."""
    modules = (
        account_forms,
        assisted,
        budget,
        change,
        check,
        files,
        impact,
        initiative,
        organisation,
        report,
        submission,
    )
    assert modules

    def walk(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    return sorted(set(walk(UtrechtFormMixin)), key=lambda cls: cls.__qualname__)


def _kwargs(cls, draft):
    """What a form class needs besides its data."""
    if cls is impact.ImpactForm:
        return {"question_set": draft.question_set}
    if cls is change.ChangeRequestForm:
        return {"application": draft}
    if cls is organisation.OrganisationForm:
        return {"verified_kvk": ""}
    return {}


def _hostile_data(form):
    """Text with markup in every field; a list for a field of several choices."""
    data = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if getattr(field.widget, "allow_multiple_selected", False):
            data[key] = [HOSTILE, "1"]
        else:
            data[key] = HOSTILE
    return data


def _drawings(form):
    """Everything a template draws of a form: the whole form, each field's group,
    its control alone, and each option with and without its label."""
    out = [str(form)]
    for field in form:
        out.append(field.as_field_group())
        out.append(str(field))
        if field.utrecht_kind in ("checkbox_group", "radio_group", "select"):
            for option in field.subwidgets:
                out.append(str(option))
                out.append(option.tag())
    return out


def test_every_field_of_every_public_form_is_drawn_the_same(draft, monkeypatch):
    """Every field of every public form, empty, filled with stored values, posted with
    markup and quotes, and posted empty (the errors): the same characters fast as
    through the templates."""
    classes = _public_forms()
    assert {
        impact.ImpactForm,
        initiative.InitiativeForm,
        account_forms.LoginLinkForm,
    } <= set(classes)
    compared, drawn = 0, set()
    for cls in classes:
        kwargs = _kwargs(cls, draft)
        if _needs_more(cls, kwargs):
            # A form of another part (bezwaar, ...) that needs its own objects.
            continue
        drawn.add(cls)
        states = [cls(**kwargs), cls(data={}, **kwargs)]
        states.append(cls(data=_hostile_data(states[0]), **kwargs))
        if cls is initiative.InitiativeForm:
            states.append(cls(initial=cls.initial_from(draft)))
        if cls is impact.ImpactForm:
            states.append(cls(initial=cls.initial_from(draft), **kwargs))
        for form in states:
            fast, slow = _both(monkeypatch, lambda form=form: _drawings(form))
            assert fast == slow, cls.__name__
            compared += len(fast)
    assert {
        organisation.OrganisationForm,
        initiative.InitiativeForm,
        initiative.PartnerForm,
        impact.ImpactForm,
        budget.BudgetLineForm,
        budget.OtherFundingForm,
        submission.DocumentForm,
        submission.ReviewForm,
        report.ReportActivityForm,
        account_forms.LoginLinkForm,
    } <= drawn
    assert compared > 300


def _needs_more(cls, kwargs):
    """Does the form's constructor ask for an argument this test does not give?"""
    parameters = inspect.signature(cls.__init__).parameters.values()
    return any(
        parameter.kind is parameter.KEYWORD_ONLY
        and parameter.default is parameter.empty
        and parameter.name not in kwargs
        for parameter in parameters
    )


def test_the_step_formsets_are_drawn_the_same(draft, monkeypatch):
    """The partner, budget and other-income rows with their management forms, as
    stored and as posted with errors: the same fast as through the templates."""
    for formset_class, prefix, initial in (
        (PartnerFormSet, "partners", initiative.partner_initial(draft)),
        (BudgetFormSet, "lines", budget.budget_initial(draft)),
        (OtherFundingFormSet, "other", budget.other_funding_initial(draft)),
    ):
        stored = formset_class(initial=initial, prefix=prefix)
        posted = formset_class(
            {
                f"{prefix}-TOTAL_FORMS": "2",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-0-amount": "-3,999",
                f"{prefix}-0-name": HOSTILE,
                f"{prefix}-1-description": HOSTILE,
            },
            prefix=prefix,
        )
        for formset in (stored, posted):
            fast, slow = _both(
                monkeypatch,
                lambda formset=formset: (
                    [str(formset.management_form)]
                    + [html for form in formset for html in _drawings(form)]
                ),
            )
            assert fast == slow, prefix
