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

from beoordeling.letters import Ground
from subsidies.models import Application, Report, Round
from subsidies.reports import (
    report_question_ask,
    report_set_money,
    report_start,
    report_submit,
    report_update,
)
from subsidies.rounds import rule_in_force
from subsidies.workflow import REPORT_STATES, Settlement, Status

from ..models import AfterAwardProposal, AllocationRun, RunKind
from .selectors import allocation_candidates, decided_without_letter
from .services.after_award import proposal_approve, propose_revoke
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


# --- after the award ---------------------------------------------------------------------
# The demo year goes on past the award, through the same services as the screens: of the
# grants awarded with a verantwoording (in reference order), the first sends its report
# (to review), the second sends it and gets a question about it (the vaststelling clock
# pauses), the third is withdrawn by the gemeente with its beschikking (intrekking), and
# the others stay toegekend with their voorschot. The directly fixed grants are left to
# the payments demo (one paid and closed, one in a batch to approve).

ASSESSOR = "beoordelaar@initiatiefloket.example"
REPORT_TEXT = (
    "We hebben vier buurtavonden gehouden in het wijkcentrum. Buren kookten samen en "
    "aten samen. Er kwamen meer mensen dan we dachten."
)


def _member(application):
    return application.applicant.members.order_by("pk").first()


def _send_report(application, *, at):
    user = _member(application)
    report = report_start(application=application, user=user)
    report_update(
        report=report,
        user=user,
        fields={
            "what_happened": REPORT_TEXT,
            "course": Report.Course.AS_PLANNED,
            "participants": 64,
            "volunteers": 7,
        },
    )
    lines = list(application.budget_lines.order_by("pk"))
    # The last cost line came out lower than planned: the review has something to do.
    spent = {line.pk: line.amount_cents for line in lines}
    if lines:
        spent[lines[-1].pk] = lines[-1].amount_cents * 3 // 4
    report_set_money(report=report, user=user, spent=spent, income=[])
    return report_submit(
        application=application, user=user, truthful_declaration=True, at=at
    )


def seed_after_award(*, now):
    User = get_user_model()
    deciders = [User.objects.filter(email=email).first() for email in DECIDERS]
    assessor = User.objects.filter(email=ASSESSOR).first()
    if None in deciders or assessor is None:
        return
    done = Application.objects.filter(
        status__in=(*REPORT_STATES, Status.REVOKED)
    ).exists()
    if done:
        return
    granted = list(
        Application.objects.filter(status=Status.AWARDED, settlement=Settlement.REPORT)
        .select_related("round__scheme", "applicant")
        .order_by("reference")
    )
    at = now - timedelta(hours=1)
    if len(granted) >= 1:
        _send_report(granted[0], at=at)
    if len(granted) >= 2:
        asked = _send_report(granted[1], at=at)
        report_question_ask(
            application=asked,
            actor=assessor,
            message=(
                "Wilt u de bonnen van de boodschappen meesturen? Op de foto's zien "
                "wij er maar twee."
            ),
            due_on=(now + timedelta(days=14)).date(),
            at=at + timedelta(minutes=30),
        )
    if len(granted) >= 3:
        proposal = propose_revoke(
            application=granted[2],
            actor=deciders[0],
            ground=Ground.NOT_DONE.value,
            motivation=(
                "De organisatie heeft ons laten weten dat de activiteiten niet "
                "doorgaan: de zaal is niet meer beschikbaar."
            ),
            at=now,  # dated no earlier than the verlening letter of today
        )
        if proposal.state == AfterAwardProposal.State.WAITING:
            proposal_approve(proposal=proposal, reviewer=deciders[1], at=now)
