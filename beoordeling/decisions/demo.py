"""Demo allocation runs, decisions and letters on the seeded applications.

Runs after the subsidies seed and the assessment seed; idempotent (a round that has
runs is left alone, an application with a letter keeps it). Everything goes through
the real services, so runs, transitions and letters are what the product makes:

- the open round of the duurzaam scheme (ranking): one run with the round's published
  verdeelregel (version 1, the only input of a run), fixed by the first demo
  decision maker. The round's four-eyes threshold is set to € 4.000, so a larger
  award waits for the second demo decision maker (who can approve it in the demo);
- the open round of the initiatievenfonds (order of receipt): the assessed
  applications decided one by one in the rule's order of receipt, as long as no
  older complete application is still waiting, and never the two most recent, which
  stay assessed;
- the open round of the flexbudget keeps its assessed applications, ready to allocate;
- a beschikking for every decided application of the open rounds (awards, the
  rejections for insufficient impact or randvoorwaarden, the buiten behandeling
  stellingen), made synchronously and without e-mails.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from subsidies.models import Round
from subsidies.rounds import rule_in_force

from ..models import AllocationRun, RunKind
from .selectors import allocation_candidates, decided_without_letter
from .services.allocation_runs import older_waiting, receipt_order_key
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
KEEP_UNDECIDED = 2


def _open_round(slug, now):
    return (
        Round.objects.open(now)
        .filter(scheme__slug=slug)
        .select_related("scheme")
        .first()
    )


def _seed_ranking_round(round, decider, *, now):
    if AllocationRun.objects.filter(round=round, kind=RunKind.ROUND).exists():
        return
    if not allocation_candidates(round).exists():
        return
    Round.objects.filter(pk=round.pk).update(four_eyes_threshold_cents=FOUR_EYES_CENTS)
    round.refresh_from_db()
    at = now - timedelta(days=1)
    run = allocation_run_create(
        round=round,
        actor=decider,
        note="Verdeling volgens de bekendgemaakte verdeelregel",
        at=at,
    )
    allocation_run_fix(run=run, actor=decider, at=at + timedelta(hours=1))


def _seed_receipt_round(round, decider, *, now):
    rule = rule_in_force(round, now)
    if rule is None:
        return
    candidates = sorted(
        allocation_candidates(round), key=lambda a: receipt_order_key(a, rule)
    )
    at = now - timedelta(hours=6)
    for offset, application in enumerate(candidates[:-KEEP_UNDECIDED]):
        if older_waiting(application, rule):
            break  # an older complete application is still being assessed
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
