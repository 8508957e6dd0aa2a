"""The money committed against a round's ceiling is counted in one place
(``ApplicationQuerySet.committed_sums``/``committed_cents``), and every screen and check
that shows or guards it agrees to the cent on the same data: the public scheme page,
the ceiling guard (``Round.committed_cents``), the decision maker's round overview
(``beoordeling.decisions.selectors.round_budget``) and the budget dashboard."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.roles import ADMINISTRATOR
from beoordeling.decisions.selectors import round_budget
from beoordeling.overviews.dashboard import round_lines
from cms.demo import seed_pages
from subsidies import facts, services
from subsidies.demo import seed_reference_data, seed_rounds
from subsidies.models import Round, Wijk
from subsidies.money import format_euros
from subsidies.selectors import scheme_public_facts
from tests.factories import (
    ApplicationFactory,
    UserFactory,
    assessed_application,
    assessor,
    decided_application,
    decision_maker,
)

pytestmark = pytest.mark.django_db

AWARDED = (123_457, 99_999)  # status toegekend
RESERVED = 30_003  # beoordeeld, honoured by a fixed run, waiting for four eyes
COMMITTED = sum(AWARDED) + RESERVED  # 253_459 cents: € 2.534,59


@pytest.fixture
def round_with_money():
    """The seeded open Flexbudget round with money in every state that could count."""
    seed_reference_data()
    rounds = seed_rounds(timezone.now())
    seed_pages()
    round_ = rounds["flexbudget"]
    noord, oost = Wijk.objects.order_by("sort_order")[:2]

    staff = {"assessed_by": assessor(), "decided_by": decision_maker()}

    def awarded(wijk, cents, round_=round_):
        return decided_application(
            round=round_, wijk=wijk, amount_cents=200_000, awarded_cents=cents, **staff
        )

    def allocated(wijk, cents, *, honoured):
        made = assessed_application(
            round=round_,
            wijk=wijk,
            amount_cents=cents or 200_000,
            assessed_by=staff["assessed_by"],
        )
        return facts.record_allocation(
            made, honoured=honoured, awarded_cents=cents, rank=1 if honoured else None
        )

    awarded(noord, AWARDED[0])
    awarded(oost, AWARDED[1])
    allocated(oost, RESERVED, honoured=True)  # waiting for the second approval
    # Not committed: not honoured, rejected, withdrawn, and still in assessment.
    allocated(noord, 0, honoured=False)
    decided_application(
        round=round_, wijk=noord, status="afgewezen", amount_cents=200_000, **staff
    )
    withdrawn = ApplicationFactory(
        round=round_, wijk=oost, amount_cents=200_000, submitted=True
    )
    services.fire(
        application=withdrawn, transition="withdraw", actor=withdrawn.applicant_user
    )
    ApplicationFactory(
        round=round_, wijk=oost, amount_cents=200_000, in_assessment=True
    )
    # Another round's award never counts here.
    awarded(Wijk.objects.order_by("sort_order")[2], 50_000, rounds["initiatievenfonds"])
    return round_, noord, oost


def test_the_public_page_the_ceiling_guard_the_decisions_and_the_dashboard_agree(
    client, round_with_money
):
    """Four readers, one number: what is committed, per round and per wijk."""
    round_, noord, oost = round_with_money
    public = scheme_public_facts(round_.scheme)
    decisions = round_budget(round_)
    (dashboard,) = round_lines([round_])
    wijk_lines = {line.wijk_id: line for line in dashboard.wijken}

    assert public.open_round == round_
    assert round_.committed_cents() == COMMITTED
    assert public.budget.committed_cents == COMMITTED
    assert decisions.committed_cents == COMMITTED
    assert dashboard.committed_cents == COMMITTED
    assert decisions.awaiting_approval_cents == dashboard.reserved_cents == RESERVED
    assert decisions.committed_by_wijk == {
        noord.pk: AWARDED[0],
        oost.pk: AWARDED[1] + RESERVED,
    }
    for wijk in (noord, oost):
        assert (
            wijk_lines[wijk.pk].committed_cents == decisions.committed_by_wijk[wijk.pk]
        )

    # What each of them shows on its screen.
    remaining = round_.ceiling_cents - COMMITTED
    page = client.get("/flexbudget/").content.decode()
    assert "Nog beschikbaar" in page
    assert format_euros(remaining, with_cents=False, nbsp=True) in page

    client.force_login(decision_maker())
    decisions_page = client.get(reverse("besluiten:index")).content.decode()
    assert format_euros(COMMITTED, nbsp=True) in decisions_page

    client.force_login(UserFactory(role=ADMINISTRATOR))
    dashboard_page = client.get(
        reverse("overzichten:dashboard"), {"ronde": round_.pk}
    ).content.decode()
    assert format_euros(COMMITTED, nbsp=True) in dashboard_page
    assert format_euros(remaining, nbsp=True) in dashboard_page


def test_the_ceiling_guard_refuses_one_cent_below_what_is_committed(round_with_money):
    """The ceiling may come down to the committed money, not one cent lower; the
    message names that amount in euros, and the stored ceiling is unchanged."""
    round_, _noord, _oost = round_with_money
    before = round_.ceiling_cents
    round_.ceiling_cents = COMMITTED - 1
    with pytest.raises(ValidationError) as refused:
        round_.save()
    assert format_euros(COMMITTED) in str(refused.value.message_dict["ceiling_cents"])
    assert Round.objects.get(pk=round_.pk).ceiling_cents == before

    round_.ceiling_cents = COMMITTED
    round_.save()
    assert Round.objects.get(pk=round_.pk).ceiling_cents == COMMITTED
    round_.check_ceiling()  # exactly full is allowed
