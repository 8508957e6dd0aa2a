"""The payments ledger follows each beschikking in its own transaction: the verlening
(a direct one is paid whole), the vaststelling (the rest), the intrekking (what is
still open lapses); marking the last payment closes the grant."""

import pytest
from django.utils import timezone

from beoordeling.decisions.services import after_award
from beoordeling.models import PaymentInstruction
from beoordeling.payments.services.statements import mark_paid_by_hand
from subsidies import facts, services
from subsidies.models import Application
from subsidies.workflow import Status
from tests.factories import financial_administrator

pytestmark = pytest.mark.django_db


def _ledger(application):
    return list(
        PaymentInstruction.objects.filter(application=application)
        .order_by("pk")
        .values_list("kind", "status", "amount_cents")
    )


def test_a_direct_verlening_is_due_whole_when_its_letter_is_made(grant):
    application = grant(300_000, route="direct")
    assert application.status == Status.FIXED
    assert _ledger(application) == [("betaling", "open", 300_000)]


def test_a_vaststelling_plans_the_rest_and_paying_it_closes_the_grant(grant, decider):
    application = grant(400_000)
    assert _ledger(application) == []  # no voorschot in this scheme
    application = services.fire(
        application=application, transition="submit_report", actor=None
    )
    facts.record_fixed_amount(
        application, fixed_cents=350_000, motivation="Een activiteit ging niet door."
    )
    after_award.propose_fix(application=application, actor=decider)
    assert _ledger(application) == [("betaling", "open", 350_000)]
    mark_paid_by_hand(
        instruction=PaymentInstruction.objects.get(application=application),
        actor=financial_administrator(),
        paid_on=timezone.localdate(),
        note="Betaald via de crediteurenadministratie.",
    )
    stored = Application.objects.get(pk=application.pk)
    assert (stored.status, stored.paid_cents, stored.fixed_cents) == (
        Status.CLOSED,
        350_000,
        350_000,
    )


def test_an_intrekking_lapses_the_payment_still_open(grant, decider):
    application = grant(300_000, route="direct")
    after_award.propose_revoke(
        application=application,
        actor=decider,
        ground="4:49-1-a",
        motivation="Na de vaststelling bleek dat de activiteit niet doorging.",
    )
    stored = Application.objects.get(pk=application.pk)
    assert stored.status == Status.REVOKED
    assert _ledger(application) == [("betaling", "vervallen", 300_000)]
    assert (stored.paid_cents, stored.repaid_cents) == (0, 0)
