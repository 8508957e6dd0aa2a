"""Two tabs saving the same step (issue 14): the tab that saves second, from a page
shown before the first tab's save, is told so in Dutch, sees what is stored now, and
keeps what it typed in the form; saving again from that page is a deliberate choice
and stores it. Every step page carries how often the step was saved, in a hidden
field that a page posted back as shown sends unchanged (tests/subsidies/
test_saved_rows.py holds the round-trip law)."""

import threading
import time

import pytest
from django.db import connection
from django.urls import reverse

from subsidies import services, steps
from subsidies.models import Application, BudgetLine, Partner
from subsidies.views.step_pages import VERSION_FIELD
from tests.factories import ApplicationFactory
from tests.html_forms import form_data, with_values

pytestmark = pytest.mark.django_db

CONFLICT = "U heeft deze stap intussen in een ander venster opgeslagen."


def _url(application, slug):
    return reverse("subsidies:step", args=[application.reference, slug])


def _lines(application):
    return list(
        BudgetLine.objects.filter(application=application)
        .order_by("pk")
        .values_list("description", "amount_cents")
    )


def _budget(html, description, amount, button="next"):
    return with_values(
        form_data(html, button),
        **{
            "lines-0-category": "materiaal",
            "lines-0-description": description,
            "lines-0-amount": amount,
        },
    )


@pytest.fixture
def draft(client):
    application = ApplicationFactory()
    client.force_login(application.applicant_user)
    return application


def test_the_second_tab_on_the_budget_is_told_and_loses_nothing(client, draft):
    """Tab A and tab B open the budget; A saves EUR 150, then B saves EUR 900 from
    its older page: B gets the Dutch message, the stored EUR 150 under 'Nu bewaard',
    and its own EUR 900 still in the form. Nothing of B is stored until B saves
    again from that page; then B's line is stored, alone."""
    url = _url(draft, steps.BUDGET)
    tab_a = client.get(url).content.decode()
    tab_b = client.get(url).content.decode()
    assert f'name="{VERSION_FIELD}" value="0"' in tab_a

    assert client.post(url, _budget(tab_a, "Verf tabblad A", "150")).status_code == 302
    assert _lines(draft) == [("Verf tabblad A", 15_000)]

    answer = client.post(url, _budget(tab_b, "Zaalhuur tabblad B", "900"))
    assert answer.status_code == 200
    html = answer.content.decode()
    assert CONFLICT in html
    assert "Nu bewaard" in html
    stored_part = html[html.index('id="nu-bewaard"') : html.index("</dl>")]
    assert "Verf tabblad A" in stored_part and "150,00" in stored_part
    assert 'value="Zaalhuur tabblad B"' in html  # what B typed is still in the form
    assert _lines(draft) == [("Verf tabblad A", 15_000)]
    assert f'name="{VERSION_FIELD}" value="1"' in html

    # B looked, and saves its own lines on purpose.
    again = client.post(url, form_data(html, "next"))
    assert again.status_code == 302
    assert _lines(draft) == [("Zaalhuur tabblad B", 90_000)]
    draft.refresh_from_db()
    assert draft.requested_cents == 90_000
    review = client.get(_url(draft, steps.REVIEW)).content.decode()
    assert "Zaalhuur tabblad B" in review and "Verf tabblad A" not in review


def test_the_second_tab_on_the_partners_is_told_and_keeps_what_it_typed(client, draft):
    """The same on the initiative step with its partners: the older tab's partner is
    not stored over the newer one, and the title it typed is not stored either."""
    url = _url(draft, steps.INITIATIVE)
    tab_a = client.get(url).content.decode()
    tab_b = client.get(url).content.decode()
    client.post(
        url, with_values(form_data(tab_a, "next"), **{"partners-0-name": "Buurthuis"})
    )
    assert list(Partner.objects.values_list("name", flat=True)) == ["Buurthuis"]
    title_before = Application.objects.get(pk=draft.pk).title

    answer = client.post(
        url,
        with_values(
            form_data(tab_b, "next"),
            title="Titel uit tabblad B",
            **{"partners-0-name": "Basisschool"},
        ),
    )
    html = answer.content.decode()
    assert answer.status_code == 200
    assert CONFLICT in html
    assert list(Partner.objects.values_list("name", flat=True)) == ["Buurthuis"]
    assert Application.objects.get(pk=draft.pk).title == title_before
    assert 'value="Basisschool"' in html
    assert 'value="Titel uit tabblad B"' in html


def test_a_stale_version_stores_nothing_under_the_lock(draft):
    """The service: a save from a page with an old number raises StepSavedElsewhere
    and rolls back what the step stored inside it; the number stays."""
    user = draft.applicant_user
    with services.application_step_saving(
        application=draft, user=user, step=steps.BUDGET, version="0"
    ):
        pass
    assert services.application_step_version(application=draft, step=steps.BUDGET) == 1
    with (
        pytest.raises(services.StepSavedElsewhere) as refused,
        services.application_step_saving(
            application=draft, user=user, step=steps.BUDGET, version="0"
        ),
    ):
        BudgetLine.objects.filter(application=draft).delete()
    assert CONFLICT in str(refused.value)
    assert BudgetLine.objects.filter(application=draft).count() == 1
    assert services.application_step_version(application=draft, step=steps.BUDGET) == 1
    # Another step has its own number: saving it is not refused.
    with services.application_step_saving(
        application=draft, user=user, step=steps.IMPACT, version="0"
    ):
        pass


def test_every_step_page_that_replaces_data_carries_its_version(client, draft):
    """The four steps that replace what they store carry the hidden number; the
    documents step (single files added and removed) and the last step do not."""
    for slug in (steps.ORGANISATION, steps.INITIATIVE, steps.IMPACT, steps.BUDGET):
        html = client.get(_url(draft, slug)).content.decode()
        assert f'name="{VERSION_FIELD}"' in html, slug
    for slug in (steps.DOCUMENTS, steps.REVIEW):
        html = client.get(_url(draft, slug)).content.decode()
        assert f'name="{VERSION_FIELD}"' not in html, slug


@pytest.mark.postgres
def test_two_tabs_saving_at_the_same_moment_one_is_told(on_postgres):
    """Two saves of the budget from pages shown with the same number, at the same
    moment: the lock lets one store its line; the other is told, and stores nothing."""
    application = ApplicationFactory()
    user = application.applicant_user
    barrier = threading.Barrier(2)
    outcomes = []

    def save(description):
        try:
            barrier.wait(timeout=10)
            fresh = Application.objects.get(pk=application.pk)
            with services.application_step_saving(
                application=fresh, user=user, step=steps.BUDGET, version="0"
            ):
                services.application_set_budget(
                    application=fresh,
                    user=user,
                    lines=[
                        {
                            "category": BudgetLine.Category.MATERIALS,
                            "description": description,
                            "amount_cents": 1_500_000,
                        }
                    ],
                    other_funding=[],
                )
                time.sleep(0.3)  # a slow request holds its transaction open
            outcomes.append(("saved", description))
        except services.StepSavedElsewhere:
            outcomes.append(("told", description))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(name,)) for name in ("Tab A", "Tab B")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(kind for kind, _name in outcomes) == ["saved", "told"]
    (saved,) = [name for kind, name in outcomes if kind == "saved"]
    assert _lines(application) == [(saved, 1_500_000)]
    assert (
        services.application_step_version(application=application, step=steps.BUDGET)
        == 1
    )


def test_a_double_click_saves_once_and_goes_on_without_a_conflict(client, draft):
    """A double click on 'Volgende' sends the same page twice: the first post saves,
    the second finds its own save and goes on to the next step as the first did, with
    no message about another window and one set of lines stored. A different post
    from the same old page is still told (the first test)."""
    url = _url(draft, steps.BUDGET)
    page = client.get(url).content.decode()
    data = _budget(page, "Verf dubbelklik", "150")

    first = client.post(url, data)
    second = client.post(url, data)

    assert first.status_code == 302
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert _lines(draft) == [("Verf dubbelklik", 15_000)]
    draft.refresh_from_db()
    assert draft.step_versions[steps.BUDGET] == 1

    other = client.post(url, _budget(page, "Zaalhuur", "900"))
    assert CONFLICT in other.content.decode()
    assert _lines(draft) == [("Verf dubbelklik", 15_000)]
