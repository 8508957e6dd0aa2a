"""The deadline rush in short: 20 residents and 2 assessors against gunicorn and
PostgreSQL on loopback (``bench/load/harness.py``), bounded to a minute of load.

The full size (200 residents, 5 assessors) runs in ``make bench``. This test checks
correctness, never a timing: no server errors, every resident's submit succeeded,
and the database holds exactly the successful submissions, each once. Needs
PostgreSQL (skipped on SQLite) and takes about a minute, most of it migrating.
"""

import sys

import pytest
from django.urls import reverse

from bench.load import harness
from subsidies import services
from subsidies.models import TargetGroup, Theme, TransitionLog
from tests.factories import AddressedApplicantFactory, ApplicationFactory

#: The two requests of a double-clicked submit: both must get a page, the losing one
#: the same receipt page as the winner.
DOUBLE_CLICK = "indienen (dubbelklik)"
DOUBLE_CLICKS = 2  # every tenth of the 20 residents


@pytest.mark.postgres
def test_a_short_deadline_rush_stores_exactly_the_successful_submissions(on_postgres):
    """A short rush: no server error, and the database holds each success once."""
    result = harness.run_load(
        residents=20,
        assessors=2,
        seconds=60,
        think=0.5,
        arrivals=5,
        workers=2,
        baseline=False,
    )
    check, summary = result.check, harness.summary(result)
    assert "gevent" not in sys.modules
    assert check.ok, (summary, check)
    assert check.successes == check.submitted_in_db == 20, summary
    assert result.rush.page(DOUBLE_CLICK).requests == 2 * DOUBLE_CLICKS
    assert result.rush.page("beoordelen: wachtrij") is not None, summary
    assert not result.rush.failures, summary


def _complete_concept():
    application = ApplicationFactory(
        applicant=AddressedApplicantFactory(), expected_reach=30, volunteers=4
    )
    application.target_groups.set([TargetGroup.objects.create(slug="a", name="A")])
    application.themes.set([Theme.objects.create(slug="b", name="B")])
    return application


@pytest.mark.django_db
def test_the_submit_that_loses_a_double_click_race_shows_the_receipt(
    client, monkeypatch
):
    """The losing click of a double-clicked submit lands on the receipt page, the
    application is submitted once."""
    application = _complete_concept()
    client.force_login(application.applicant_user)
    real_submit = services.application_submit

    def the_other_click_wins_first(**kwargs):
        real_submit(**kwargs)  # the first click, in another request
        return real_submit(**kwargs)

    monkeypatch.setattr(services, "application_submit", the_other_click_wins_first)
    response = client.post(
        reverse("subsidies:step", args=[application.reference, "controle"]),
        {"truthful_declaration": "on"},
    )
    assert response.status_code == 302
    assert response.url == reverse("subsidies:received", args=[application.reference])
    submits = TransitionLog.objects.filter(application=application, transition="submit")
    assert submits.count() == 1


@pytest.mark.django_db
def test_saving_a_step_while_another_tab_submits_goes_to_the_status_page(
    client, monkeypatch
):
    """A step saved in one tab after another tab submitted answers with the status
    page and its message, never an error page; the submission stands."""
    application = _complete_concept()
    client.force_login(application.applicant_user)
    real_save = services.application_set_step

    def the_other_tab_submits_first(**kwargs):
        services.application_submit(
            application=application,
            user=application.applicant_user,
            truthful_declaration=True,
            accepts_electronic_decisions=False,
        )
        return real_save(**kwargs)

    monkeypatch.setattr(services, "application_set_step", the_other_tab_submits_first)
    response = client.get(
        reverse("subsidies:step", args=[application.reference, "begroting"])
    )
    assert response.status_code == 302
    assert response.url == reverse("subsidies:detail", args=[application.reference])
    page = client.get(response.url)
    assert "al verstuurd" in page.content.decode()
    application.refresh_from_db()
    assert application.status == "ingediend"
