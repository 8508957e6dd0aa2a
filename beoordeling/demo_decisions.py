"""Demo allocation runs, decisions and letters on the seeded applications.

Runs after the subsidies seed and the assessment seed; idempotent (a round that has
runs is left alone, an application with a letter keeps it). Everything goes through
the real services, so runs, transitions and letters are what the product makes:

- the open round of the duurzaam scheme (ranking): two concept runs, one with floors at
  the wijken's fair share of the ceiling, one with the round's own floors and a
  maximum of € 4.000 per wijk, to compare; the first is fixed by the first demo
  decision maker. The round's four-eyes threshold is set to € 4.000, so a larger
  award waits for the second demo decision maker (who can approve it in the demo);
- the open round of the initiatievenfonds (order of receipt): every assessed
  application decided one by one in the order it became complete, except the two
  most recent, which stay assessed;
- the open round of the flexbudget keeps its assessed applications, ready to allocate;
- a beschikking for every decided application of the open rounds (awards, the
  rejections for insufficient impact or randvoorwaarden, the buiten behandeling
  stellingen), made synchronously and without e-mails.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from subsidies.models import Round

from .decision_selectors import (
    allocation_candidates,
    decided_without_letter,
    wijk_parameter_defaults,
)
from .models import AllocationRun, RunKind
from .services.decisions import (
    allocation_run_create,
    allocation_run_fix,
    application_decide_by_receipt,
    letter_batch_run,
    letter_batch_start,
)

DECIDERS = (
    "besluitvormer@initiatiefloket.example",
    "besluitvormer2@initiatiefloket.example",
)
RANKING_SCHEME = "duurzaam"
RECEIPT_SCHEME = "initiatievenfonds"
FOUR_EYES_CENTS = 400_000
DEMO_CAP_CENTS = 400_000
KEEP_UNDECIDED = 2


def _open_round(slug, now):
    return (
        Round.objects.open(now)
        .filter(scheme__slug=slug)
        .select_related("scheme")
        .first()
    )


def _limits(round, basis, cap=None):
    return {
        default.wijk.pk: (
            default.floor_cents,
            cap if cap is not None else default.cap_cents,
        )
        for default in wijk_parameter_defaults(round, basis=basis)
    }


def _seed_ranking_round(round, decider, *, now):
    if AllocationRun.objects.filter(round=round, kind=RunKind.ROUND).exists():
        return
    if not allocation_candidates(round).exists():
        return
    Round.objects.filter(pk=round.pk).update(four_eyes_threshold_cents=FOUR_EYES_CENTS)
    round.refresh_from_db()
    at = now - timedelta(days=1)
    fair = allocation_run_create(
        round=round,
        actor=decider,
        wijk_limits=_limits(round, "eerlijk"),
        on_shortfall=round.on_shortfall,
        min_partial_cents=round.min_partial_cents,
        note="Minima op het eerlijke aandeel van elke wijk",
        at=at,
    )
    allocation_run_create(
        round=round,
        actor=decider,
        wijk_limits=_limits(round, "ronde", cap=DEMO_CAP_CENTS),
        on_shortfall=round.on_shortfall,
        min_partial_cents=round.min_partial_cents,
        note="Minima van de ronde, maximum € 4.000 per wijk",
        at=at + timedelta(minutes=20),
    )
    allocation_run_fix(run=fair, actor=decider, at=at + timedelta(hours=1))


def _seed_receipt_round(round, decider, *, now):
    candidates = sorted(
        allocation_candidates(round), key=lambda a: (a.complete_at, a.pk)
    )
    at = now - timedelta(hours=6)
    for offset, application in enumerate(candidates[:-KEEP_UNDECIDED]):
        application_decide_by_receipt(
            application=application,
            actor=decider,
            at=at + timedelta(minutes=offset),
        )


def _seed_letters(round, decider, *, now):
    if not decided_without_letter(round):
        return
    batch = letter_batch_start(round=round, actor=decider, notify=False, enqueue=False)
    letter_batch_run(batch_id=batch.pk)


def seed_decisions(*, now):
    User = get_user_model()
    deciders = [User.objects.filter(email=email).first() for email in DECIDERS]
    if None in deciders:
        return
    first = deciders[0]
    ranking = _open_round(RANKING_SCHEME, now)
    receipt = _open_round(RECEIPT_SCHEME, now)
    with transaction.atomic():
        if ranking is not None:
            _seed_ranking_round(ranking, first, now=now)
        if receipt is not None:
            _seed_receipt_round(receipt, first, now=now)
    for round in Round.objects.all():
        _seed_letters(round, first, now=now)
