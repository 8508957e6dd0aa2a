"""Nothing a resident saved is lost.

The round-trip law: for every step of every scheme, in every state the seed and the
factories produce, posting back exactly what the page renders (with any of its buttons)
changes nothing that is stored. The steps come from the form's own registry, so a new
step or field is covered without a new test. Then the sequences a resident really
walks (save, add, save, back, save unchanged, remove one), with the stored rows read
back after each action and compared with the review step, the receipt e-mail and the
assessor's screen.
"""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from subsidies import services, steps
from subsidies.demo import seed_demo, seed_reference_data, seed_rounds
from subsidies.models import (
    ApplicantKind,
    Application,
    BudgetLine,
    Buurt,
    OtherFunding,
    Partner,
    Round,
)
from subsidies.money import format_euros
from subsidies.views.form import STEP_PAGES
from subsidies.workflow import Status
from tests.drafts import answer_for, changes, fill_everything, stored
from tests.factories import TeamFactory, UserFactory, assessor
from tests.html_forms import form_data, submit_buttons, with_values

pytestmark = pytest.mark.django_db


def step_url(application, slug):
    return reverse("subsidies:step", args=[application.reference, slug])


def assert_round_trip(client, application):
    """Post every step back, with every button, exactly as rendered: nothing changes."""
    before = stored(application)
    for slug in STEP_PAGES:
        url = step_url(application, slug)
        page = client.get(url)
        assert page.status_code == 200, (slug, page.status_code)
        for button in submit_buttons(page.content.decode()):
            html = client.get(url).content.decode()
            response = client.post(url, form_data(html, button))
            assert response.status_code in (200, 302), (slug, button)
            after = stored(application)
            assert after == before, (
                f"posting back step {slug!r} with {button!r} changed what was stored: "
                f"{changes(before, after)}"
            )


@pytest.fixture
def schemes():
    seed_reference_data()
    seed_rounds(timezone.now())
    return list(Round.objects.filter(closes_at__gt=timezone.now()))


def start(client, open_round, email):
    user = UserFactory(role="Aanvrager", email=email)
    client.force_login(user)
    client.post(reverse("subsidies:start", args=[open_round.scheme.slug]))
    return Application.objects.get(created_by=user)


@pytest.mark.parametrize(
    "state", ["just started", "everything filled", "a group with a penvoerder"]
)
def test_posting_back_any_step_as_rendered_changes_nothing(client, schemes, state):
    """For each of the three schemes and every step and button of the form, posting
    back what the page shows keeps every stored row, amount, answer and file."""
    assert {r.scheme.slug for r in schemes} == {
        "initiatievenfonds",
        "duurzaam",
        "flexbudget",
    }
    for number, open_round in enumerate(schemes):
        application = start(client, open_round, f"bewoner{number}@example.nl")
        if state != "just started":
            application.wijk = Buurt.objects.first().wijk
            application.save()
            fill_everything(
                application,
                kind=ApplicantKind.INFORMAL_GROUP
                if state == "a group with a penvoerder"
                else ApplicantKind.ORGANISATION,
            )
            assert len(stored(application)["budget_lines"]) == 3
        assert_round_trip(client, application)


def test_posting_back_the_seeded_drafts_changes_nothing(client):
    """The demo's concept applications (all three schemes) survive every step posted
    back as rendered, by the resident who owns them."""
    seed_demo()
    drafts = Application.objects.filter(status=Status.DRAFT)
    assert {d.round.scheme.slug for d in drafts} == {
        "initiatievenfonds",
        "duurzaam",
        "flexbudget",
    }
    for draft in drafts:
        client.force_login(draft.applicant.members.first())
        assert stored(draft)["budget_lines"], draft.reference
        assert_round_trip(client, draft)


# --- the sequences a resident walks --------------------------------------------------


def post_step(client, application, slug, button, **changes):
    url = step_url(application, slug)
    data = form_data(client.get(url).content.decode(), button)
    return client.post(url, with_values(data, **changes))


def budget_rows():
    return [
        (line.category, line.description, line.amount_cents)
        for line in BudgetLine.objects.order_by("pk")
    ]


SCHEMES = ["initiatievenfonds", "duurzaam", "flexbudget"]


@pytest.fixture(params=SCHEMES)
def resident_draft(request, client, schemes):
    open_round = next(r for r in schemes if r.scheme.slug == request.param)
    application = start(client, open_round, "bewoner@example.nl")
    application.wijk = Buurt.objects.first().wijk
    application.save()
    return application


def test_save_add_save_back_save_unchanged_remove_keeps_every_budget_line(
    client, resident_draft, django_capture_on_commit_callbacks
):
    """The walk that lost cost lines: two lines, 'add more', a third, 'next', back,
    save without changes, remove one; after every action the database holds exactly
    the lines on the page, and the total is their sum everywhere."""
    application = resident_draft
    slug = steps.BUDGET
    response = post_step(
        client,
        application,
        slug,
        "add_line",
        **{
            "lines-0-category": "materiaal",
            "lines-0-description": "Verf en kwasten",
            "lines-0-amount": "149,99",
            "lines-1-category": "huur",
            "lines-1-description": "Huur zaal",
            "lines-1-amount": "1.234,56",
        },
    )
    assert response.status_code == 302
    assert budget_rows() == [
        ("materiaal", "Verf en kwasten", 14_999),
        ("huur", "Huur zaal", 123_456),
    ]
    page = client.get(step_url(application, slug)).content.decode()
    assert page.count('value="Verf en kwasten"') == 1
    assert 'name="lines-2-description"' in page  # room for more lines

    response = post_step(
        client,
        application,
        slug,
        "next",
        **{
            "lines-2-category": "communicatie",
            "lines-2-description": "Flyers",
            "lines-2-amount": "1234",
        },
    )
    assert response["Location"] == step_url(application, steps.DOCUMENTS)
    three = [
        ("materiaal", "Verf en kwasten", 14_999),
        ("huur", "Huur zaal", 123_456),
        ("communicatie", "Flyers", 123_400),
    ]
    assert budget_rows() == three
    application.refresh_from_db()
    assert application.requested_cents == 261_855

    # Back to the step, and save it without changing anything.
    response = post_step(client, application, slug, "next")
    assert response.status_code == 302, "an unchanged step must save, not complain"
    assert budget_rows() == three

    # Remove the second line.
    response = post_step(client, application, slug, "next", **{"lines-1-DELETE": "on"})
    assert response.status_code == 302
    assert budget_rows() == [three[0], three[2]]
    application.refresh_from_db()
    assert application.requested_cents == 14_999 + 123_400
    assert_totals_agree(client, application, django_capture_on_commit_callbacks)


def test_emptying_a_saved_line_removes_it_instead_of_complaining(
    client, resident_draft
):
    """A line cleared by hand counts as removed; the others stay."""
    post_step(
        client,
        resident_draft,
        steps.BUDGET,
        "next",
        **{
            "lines-0-category": "materiaal",
            "lines-0-description": "Verf",
            "lines-0-amount": "10",
            "lines-1-category": "huur",
            "lines-1-description": "Zaal",
            "lines-1-amount": "20",
        },
    )
    response = post_step(
        client,
        resident_draft,
        steps.BUDGET,
        "next",
        **{"lines-0-category": "", "lines-0-description": "", "lines-0-amount": ""},
    )
    assert response.status_code == 302
    assert budget_rows() == [("huur", "Zaal", 2000)]


def test_other_funding_and_partners_survive_an_error_round_trip(client, resident_draft):
    """Saved partners and other income are kept when the step comes back with an
    error elsewhere and is then saved again unchanged."""
    application = resident_draft
    post_step(
        client,
        application,
        steps.BUDGET,
        "add_other",
        **{
            "lines-0-category": "materiaal",
            "lines-0-description": "Verf",
            "lines-0-amount": "10",
            "other-0-source": "Fonds Schoon",
            "other-0-state": "toegezegd",
            "other-0-amount": "5,50",
        },
    )
    post_step(
        client,
        application,
        steps.BUDGET,
        "next",
        **{
            "other-1-source": "Eigen bijdrage",
            "other-1-state": "eigen_bijdrage",
            "other-1-amount": "7",
        },
    )
    funding = [
        ("Fonds Schoon", "toegezegd", 550),
        ("Eigen bijdrage", "eigen_bijdrage", 700),
    ]
    assert list(OtherFunding.objects.values_list("source", "state", "amount_cents"))
    assert (
        list(
            OtherFunding.objects.order_by("pk").values_list(
                "source", "state", "amount_cents"
            )
        )
        == funding
    )
    # An error in a line: nothing is stored, the page shows all rows as typed.
    response = post_step(
        client, application, steps.BUDGET, "next", **{"lines-0-amount": "tien"}
    )
    assert response.status_code == 200
    assert 'value="Fonds Schoon"' in response.content.decode()
    # Corrected and sent again, with the other rows as the error page showed them.
    html = response.content.decode()
    data = with_values(form_data(html, "next"), **{"lines-0-amount": "10"})
    assert client.post(step_url(application, steps.BUDGET), data).status_code == 302
    assert (
        list(
            OtherFunding.objects.order_by("pk").values_list(
                "source", "state", "amount_cents"
            )
        )
        == funding
    )

    # Partners: two saved, then an error elsewhere on step 2, then saved unchanged.
    post_step(
        client,
        application,
        steps.INITIATIVE,
        "add_partner",
        **{"partners-0-name": "Buurthuis De Boog", "partners-0-role": "Ruimte"},
    )
    post_step(
        client,
        application,
        steps.INITIATIVE,
        "save",
        **{"partners-1-name": "De bakker", "partners-1-letter_of_support": "on"},
    )
    partners = [
        ("Buurthuis De Boog", "anders", "Ruimte", False),
        ("De bakker", "anders", "", True),
    ]

    def stored_partners():
        return list(
            Partner.objects.order_by("pk").values_list(
                "name", "kind", "role", "letter_of_support"
            )
        )

    assert stored_partners() == partners
    response = post_step(
        client, application, steps.INITIATIVE, "next", activity_start="31-02-2027"
    )
    assert response.status_code == 200
    assert stored_partners() == partners
    data = form_data(response.content.decode(), "save")
    data = with_values(data, activity_start="")
    client.post(step_url(application, steps.INITIATIVE), data)
    assert stored_partners() == partners
    post_step(client, application, steps.INITIATIVE, "save")
    assert stored_partners() == partners


def assert_totals_agree(client, application, capture_on_commit):
    """The review step, the receipt e-mail and the assessor's screen show the amount
    stored, and every stored line."""
    application.refresh_from_db()
    lines = list(application.budget_lines.order_by("pk"))
    total = format_euros(application.requested_cents)
    assert application.requested_cents == sum(line.amount_cents for line in lines)

    def squash(html):
        return re.sub(r"\s+", " ", html.replace("&nbsp;", " ").replace("\xa0", " "))

    review = squash(client.get(step_url(application, steps.REVIEW)).content.decode())
    assert total in review
    for line in lines:
        assert line.description in review
        assert format_euros(line.amount_cents) in review

    fill_required_for_submission(application)
    mail.outbox.clear()
    with capture_on_commit(execute=True):
        response = post_step(
            client, application, steps.REVIEW, "submit", truthful_declaration="on"
        )
    assert response.status_code == 302, response.content.decode()
    body = squash(mail.outbox[-1].body)
    assert total in body
    for line in lines:
        assert format_euros(line.amount_cents) in body

    staff = assessor()
    TeamFactory(members=[staff], wijken=[application.wijk])
    client.force_login(staff)
    screen = squash(
        client.get(reverse("beoordelen:detail", args=[application.pk])).content.decode()
    )
    assert total in screen
    for line in lines:
        assert line.description in screen
        assert format_euros(line.amount_cents) in screen


def fill_required_for_submission(application):
    """The rest of a complete application, stored directly: only the budget matters."""
    lines = [
        {
            "category": line.category,
            "description": line.description,
            "amount_cents": line.amount_cents,
        }
        for line in application.budget_lines.order_by("pk")
    ]
    fill_everything(application)
    application.budget_lines.all().delete()
    application.answers = {}
    application.save()
    services.application_set_budget(
        application=application,
        user=application.created_by,
        lines=lines,
        other_funding=[],
    )
    for question in application.question_set.questions:
        application.answers[question["key"]] = answer_for(question)
    application.title = "Verf voor de speeltuin"
    application.summary = "We schilderen samen de speeltuin."
    application.activity_start = timezone.localdate() + timezone.timedelta(days=60)
    application.activity_end = timezone.localdate() + timezone.timedelta(days=90)
    application.save()
