"""What a concept chose from the reference lists, as the step pages load and draw it
(issue 19): the buurten, doelgroepen and thema's in one query from the link tables,
with the objects of this process's lists, and the checkboxes drawn once per list and
only checked or unchecked per request. Every page shows exactly what is stored."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from subsidies import reference_lists
from subsidies.forms import InitiativeForm
from subsidies.models import Application, Buurt, TargetGroup, Theme
from tests.drafts import fill_everything
from tests.factories import ApplicationFactory, WijkFactory

pytestmark = pytest.mark.django_db

RELATIONS = ("buurten", "target_groups", "themes")


@pytest.fixture
def draft():
    wijk = WijkFactory(code="zuid", name="Zuid")
    for name in ("Tolsteeg", "Hoograven", "Rotsoord"):
        Buurt.objects.create(wijk=wijk, name=name)
    for order, name in enumerate(("Ouderen", "Jongeren", "Gezinnen")):
        TargetGroup.objects.create(slug=name.lower(), name=name, sort_order=order)
    for order, name in enumerate(("Ontmoeting", "Groen", "Sport", "Cultuur")):
        Theme.objects.create(slug=name.lower(), name=name, sort_order=order)
    return fill_everything(ApplicationFactory(wijk=wijk))


def _load(application):
    fields = InitiativeForm.base_fields
    return reference_lists.load_chosen(
        application, {name: fields[name] for name in RELATIONS}
    )


def _stored(application, name):
    """What a plain prefetch (the database, in the model's order) gives."""
    fresh = Application.objects.prefetch_related(name).get(pk=application.pk)
    return list(getattr(fresh, name).all())


def test_one_query_loads_the_three_lists_as_a_prefetch_would(
    draft, django_assert_num_queries
):
    _load(Application.objects.get(pk=draft.pk))  # the lists are read once per process
    application = Application.objects.get(pk=draft.pk)
    with django_assert_num_queries(1):
        _load(application)
    with django_assert_num_queries(0):
        loaded = {name: list(getattr(application, name).all()) for name in RELATIONS}
        assert application.target_groups.exists()
    for name in RELATIONS:
        assert loaded[name] == _stored(draft, name), name
        assert loaded[name], name
    assert [b.name for b in loaded["buurten"]] == sorted(
        b.name for b in loaded["buurten"]
    )


def test_an_item_made_inactive_after_it_was_chosen_still_loads(draft):
    """The doelgroepen list shows active groups only; a chosen group that was made
    inactive since is not in it and comes from the database, so nothing is lost."""
    chosen = _stored(draft, "target_groups")
    TargetGroup.objects.filter(pk=chosen[0].pk).update(active=False)
    application = _load(Application.objects.get(pk=draft.pk))
    assert list(application.target_groups.all()) == chosen
    assert chosen[0] not in reference_lists.reference_objects(
        "doelgroepen", InitiativeForm.base_fields["target_groups"].queryset.all()
    )


def _checked(page, name):
    """The values of the checked boxes of ``name`` on the page."""
    return set(
        re.findall(
            rf'name="{name}" value="(\d+)" id="id_{name}_\d+"[^>]* checked>', page
        )
    )


def _initiative_page(client, draft):
    url = reverse("subsidies:step", args=[draft.reference, "initiatief"])
    return client.get(url).content.decode()


def test_the_checked_boxes_follow_what_is_stored_from_request_to_request(client, draft):
    client.force_login(draft.created_by)
    page = _initiative_page(client, draft)
    for name in RELATIONS:
        assert _checked(page, name) == {str(o.pk) for o in _stored(draft, name)}
    # Stored elsewhere (another tab) between two visits: the next page shows it.
    draft.themes.set(Theme.objects.filter(name__in=["Sport", "Cultuur"]))
    draft.buurten.clear()
    page = _initiative_page(client, draft)
    assert _checked(page, "themes") == {
        str(pk)
        for pk in Theme.objects.filter(name__in=["Sport", "Cultuur"]).values_list(
            "pk", flat=True
        )
    }
    assert _checked(page, "buurten") == set()
    assert page.count('name="buurten"') == 3


def test_a_new_buurt_shows_on_the_next_page(client, draft):
    client.force_login(draft.created_by)
    _initiative_page(client, draft)
    Buurt.objects.create(wijk=draft.wijk, name="Bokkenbuurt")  # reference_changed
    page = _initiative_page(client, draft)
    assert ">Bokkenbuurt (Zuid)</label>" in page
    assert page.count('name="buurten"') == 4


def test_errors_and_the_language_are_drawn_apart(client, draft):
    """A step with an error marks every option invalid; the next page without the
    error does not; English draws its own copy."""
    client.force_login(draft.created_by)
    url = reverse("subsidies:step", args=[draft.reference, "initiatief"])
    form = _initiative_page(client, draft)
    assert 'name="themes" value' in form and "utrecht-checkbox--invalid" not in form
    posted = client.post(url, {"title": "", "themes": [], "action": "next"})
    page = posted.content.decode()
    assert re.search(r'name="themes" value="\d+"[^>]*aria-invalid="true"', page)
    assert "utrecht-checkbox--invalid" not in _initiative_page(client, draft)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _initiative_page(client, draft)
    assert 'lang="en"' in english
    assert _checked(english, "target_groups") == {
        str(o.pk) for o in _stored(draft, "target_groups")
    }


def test_the_initiative_step_asks_the_same_queries_however_much_was_chosen(
    client, draft, django_assert_num_queries
):
    """Session, user, two permission lookups, the application, the three lists,
    the partners and whether documents exist: eight, with one or with all chosen."""
    client.force_login(draft.created_by)
    _initiative_page(client, draft)
    with django_assert_num_queries(8):
        _initiative_page(client, draft)
    draft.buurten.set(Buurt.objects.all())
    draft.themes.set(Theme.objects.all())
    _initiative_page(client, draft)
    with django_assert_num_queries(8):
        _initiative_page(client, draft)


def test_two_forms_with_the_same_list_each_get_their_own_drawing(draft):
    """Two forms may show the same reference list under the same field name with
    their own attributes or labels; each is drawn as its own slow path draws it."""
    from django import forms

    from portal.shared.forms import UtrechtFormRenderer
    from subsidies.forms.base import UtrechtForm
    from subsidies.forms.fields import ChoicesFromListField

    def themes_field(**widget_attrs):
        return ChoicesFromListField(
            label="Thema's",
            queryset=Theme.objects.filter(active=True),
            cached_as="themas",
            widget=forms.CheckboxSelectMultiple(attrs=widget_attrs),
        )

    class Plain(UtrechtForm):
        themes = themes_field()

    class Marked(UtrechtForm):
        themes = themes_field(**{"data-marked": "ja"})

    class Named(UtrechtForm):
        themes = themes_field()
        themes.label_from_instance = lambda theme: f"Thema {theme.name}"

    chosen = {"themes": [Theme.objects.get(name="Groen").pk]}
    for form_class in (Plain, Marked, Named, Plain):
        fast = str(form_class(initial=chosen)["themes"].as_field_group())
        UtrechtFormRenderer.fast = False
        try:
            slow = str(form_class(initial=chosen)["themes"].as_field_group())
        finally:
            UtrechtFormRenderer.fast = True
        assert fast == slow, form_class.__name__
        checked = re.findall(r'<input[^>]* value="(\d+)"[^>]* checked>', fast)
        assert checked == [str(chosen["themes"][0])], form_class.__name__
    assert 'data-marked="ja"' in str(Marked()["themes"].as_field_group())
    assert ">Thema Groen</label>" in str(Named()["themes"].as_field_group())
    assert ">Thema Groen</label>" not in str(Plain()["themes"].as_field_group())
