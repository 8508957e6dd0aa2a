"""Awb 4:27 lid 2: a later version of the verdeelregel has no effect on an application
submitted before that version was published. Each application is decided by the version
in force when it was submitted; its run records that version and its letter quotes it."""

# ruff: noqa: F811 (fixtures imported from the neighbouring test modules)

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from beoordeling.decisions import selectors
from beoordeling.decisions.services import decisions as services
from beoordeling.letters import format_date
from beoordeling.models import AllocationResult
from subsidies.models import Application, RoundWijkLimit
from subsidies.models.rules import rule_for_submission
from subsidies.rounds import rule_in_force, rule_publish_deviation
from subsidies.workflow import Status
from tests.beoordeling.decisions.test_allocation_runs import (  # noqa: F401
    BY_STRENGTH,
    deciders,
    make,
    staff,
    wijken,
)
from tests.beoordeling.decisions.test_decision_letters import pdf_text
from tests.factories import RoundFactory, SchemeFactory, publish_rule

pytestmark = pytest.mark.django_db

MOTIVATION = "Oost kreeg dit jaar al geld uit een ander fonds."


def submitted(application, at):
    Application.objects.filter(pk=application.pk).update(submitted_at=at)
    application.refresh_from_db()
    return application


def deviate(round_, actor, wijk, cap, at):
    return rule_publish_deviation(
        round=round_,
        actor=actor,
        motivation=MOTIVATION,
        limits={wijk.pk: (0, cap)},
        on_shortfall="skip",
        min_partial_cents=0,
        at=at,
    )


@pytest.fixture
def receipt_round(wijken):
    scheme = SchemeFactory(
        slug="doorlopend",
        name="Doorlopend fonds",
        reference_prefix="DF",
        allocation_mode="receipt",
    )
    round_ = RoundFactory(scheme=scheme, ceiling_cents=1_000_000, rule=False)
    RoundWijkLimit.objects.create(
        round=round_, wijk=wijken["oost"], floor_cents=0, cap_cents=250_000
    )
    publish_rule(round_)
    return round_


def test_the_version_of_an_application_is_the_one_in_force_when_it_was_submitted(
    receipt_round,
    wijken,
    staff,
    deciders,
):
    now = timezone.now()
    v1 = rule_in_force(receipt_round)
    v2 = deviate(
        receipt_round, deciders[0], wijken["oost"], 50_000, now - timedelta(hours=2)
    )
    rules = [v1, v2]
    assert rule_for_submission(rules, now - timedelta(hours=3)) == v1
    assert rule_for_submission(rules, v2.published_at) == v2
    assert rule_for_submission(rules, now) == v2
    assert rule_for_submission(rules, v1.published_at - timedelta(days=1)) == v1
    assert rule_for_submission([], now) is None


def test_order_of_receipt_decides_each_application_by_its_own_version(
    receipt_round,
    wijken,
    staff,
    deciders,
):
    """Oost's cap is lowered from € 2.500 to € 500 by version 2. An application
    submitted before version 2 keeps the cap of version 1 (it is awarded € 2.000);
    one submitted after it gets version 2's cap (it is refused). Before, version 2
    applied to both."""
    now = timezone.now()
    v1 = rule_in_force(receipt_round)
    early = submitted(
        make(receipt_round, wijken["oost"], 200_000, BY_STRENGTH[7], staff),
        now - timedelta(hours=3),
    )
    v2 = deviate(
        receipt_round, deciders[0], wijken["oost"], 50_000, now - timedelta(hours=2)
    )
    late = submitted(
        make(receipt_round, wijken["oost"], 40_000, BY_STRENGTH[7], staff),
        now - timedelta(hours=1),
    )
    Application.objects.filter(pk=late.pk).update(
        complete_at=now - timedelta(minutes=50)
    )
    Application.objects.filter(pk=early.pk).update(
        complete_at=now - timedelta(minutes=170)
    )

    run = services.application_decide_by_receipt(application=early, actor=deciders[0])
    assert run.rule == v1  # the version that applied is recorded on its run
    early.refresh_from_db()
    assert early.status == Status.AWARDED and early.awarded_cents == 200_000

    run = services.application_decide_by_receipt(application=late, actor=deciders[0])
    assert run.rule == v2
    late.refresh_from_db()
    assert late.status == Status.REJECTED
    assert AllocationResult.objects.get(application=late, is_fixed=True).reason == "cap"

    # Each letter quotes the version that applied to that application.
    decision, _ = services.decision_issue(application=early, notify=False)
    text = pdf_text(decision)
    v1_date = format_date(timezone.localdate(v1.published_at))
    assert f"versie 1, bekendgemaakt op {v1_date}" in text
    assert "versie 2" not in text and MOTIVATION not in text

    decision, _ = services.decision_issue(application=late, notify=False)
    text = pdf_text(decision)
    v2_date = format_date(timezone.localdate(v2.published_at))
    assert f"versie 2, bekendgemaakt op {v2_date}" in text
    assert MOTIVATION in text


def test_a_round_run_decides_the_applications_of_the_older_version_first(
    wijken,
    staff,
    deciders,
):
    """A ranking round: version 2 caps Oost at € 500 after one Oost application came
    in. The next run decides only the applications of version 1 (the old cap), and
    records version 1; the run after it decides the later ones under version 2."""
    now = timezone.now()
    round_ = RoundFactory(ceiling_cents=1_000_000, on_shortfall="skip")
    v1 = rule_in_force(round_)
    early = submitted(
        make(round_, wijken["oost"], 200_000, BY_STRENGTH[5], staff),
        now - timedelta(hours=3),
    )
    v2 = deviate(round_, deciders[0], wijken["oost"], 50_000, now - timedelta(hours=2))
    late = submitted(
        make(round_, wijken["oost"], 100_000, BY_STRENGTH[1], staff),
        now - timedelta(hours=1),
    )

    rule, group = selectors.allocation_group(round_)
    assert rule == v1 and [a.pk for a in group] == [early.pk]
    run = services.allocation_run_create(round=round_, actor=deciders[0])
    assert run.rule == v1
    assert [r.application_id for r in run.results.all()] == [early.pk]
    services.allocation_run_fix(run=run, actor=deciders[0])
    early.refresh_from_db()
    assert early.status == Status.AWARDED  # under version 2 it would exceed the cap

    run = services.allocation_run_create(round=round_, actor=deciders[0])
    assert run.rule == v2
    assert [r.application_id for r in run.results.all()] == [late.pk]
    services.allocation_run_fix(run=run, actor=deciders[0])
    late.refresh_from_db()
    assert late.status == Status.REJECTED
    assert AllocationResult.objects.get(application=late, is_fixed=True).reason == "cap"


def test_the_run_screen_shows_the_version_the_next_run_applies(
    client, wijken, staff, deciders
):
    """Version 2 was published after an Oost application came in: the screen for a new
    run shows version 1 with its Oost maximum (that is what the run will apply), says
    that version 2 applies only to later applications, and that one of those waits for
    the next run."""
    now = timezone.now()
    round_ = RoundFactory(ceiling_cents=1_000_000, on_shortfall="skip")
    submitted(
        make(round_, wijken["oost"], 200_000, BY_STRENGTH[5], staff),
        now - timedelta(hours=3),
    )
    deviate(round_, deciders[0], wijken["oost"], 50_000, now - timedelta(hours=2))
    submitted(
        make(round_, wijken["oost"], 100_000, BY_STRENGTH[1], staff),
        now - timedelta(hours=1),
    )

    client.force_login(deciders[0])
    html = client.get(
        reverse("besluiten:run_create", args=[round_.pk])
    ).content.decode()

    assert "De bekendgemaakte verdeelregel (versie 1," in html
    assert "Deze verdeling gebruikt versie 1" in html
    assert "Versie 2 geldt alleen voor aanvragen die daarna zijn ingediend." in html
    assert "1 aanvraag van een latere versie komt in een volgende verdeling." in html
    assert "1 beoordeelde aanvraag doet mee." in html
    assert "€ 500,00" not in html.split("Afwijken van de verdeelregel")[0]
