"""A letter batch made in chunks (``letter_batch_run``): per chunk one write
transaction, the chunk's kenmerken reserved in one counter statement, the progress
recorded once per chunk through the background-job base; the letters, kenmerken,
mails and payments are what letters made one by one get."""

import hashlib
import threading
from io import BytesIO

import pytest
from django.db import connection
from django.utils import timezone
from pypdf import PdfReader

from beoordeling.decisions.services import decisions as services
from beoordeling.decisions.services import letters as letter_services
from beoordeling.decisions.services.letter_content import letter_content
from beoordeling.letters import render_letter
from beoordeling.models import Decision, DecisionError, LetterBatch, PaymentInstruction
from beoordeling.payments.services.planning import plan_payments
from subsidies import counters
from subsidies.models import (
    Applicant,
    Application,
    OutgoingMail,
    Scheme,
    TransitionLog,
)
from tests.factories import fixed_round

pytestmark = pytest.mark.django_db


class WorkerKilled(BaseException):
    """Stands in for the worker process being killed halfway."""


def _batch(round_, decider, *, notify=False):
    return services.letter_batch_start(
        round=round_, actor=decider, notify=notify, enqueue=False
    )


def _kenmerken(batch):
    """The kenmerken of the batch's decisions, in the order of its applications."""
    by_application = dict(
        Decision.objects.filter(batch=batch).values_list("application_id", "kenmerk")
    )
    return [by_application.get(pk) for pk in batch.application_ids]


def _stored_pdf(decision):
    with decision.document.file.open("rb") as handle:
        return handle.read()


def test_kenmerken_follow_each_other_without_gaps_across_chunks():
    """Five letters in chunks of two get D<year>-000001 .. 000005 in the batch's
    order, the counter stands at 5, and each stored PDF is byte for byte the letter
    its application gets when it is rendered on its own with that kenmerk."""
    round_, _applications, decider = fixed_round(count=5)
    batch = _batch(round_, decider)
    counts = letter_services.letter_batch_run(batch_id=batch.pk, chunk_size=2)
    assert counts == {"total": 5, "done": 5, "skipped": 0, "failed": 0}
    year = batch.date_sent.year
    assert _kenmerken(batch) == [f"D{year}-{n:06d}" for n in range(1, 6)]
    assert counters.last_number(prefix=counters.DECISION_PREFIX, year=year) == 5
    for decision in Decision.objects.filter(batch=batch).select_related("document"):
        application = Application.objects.select_related(
            "round__scheme", "applicant", "wijk"
        ).get(pk=decision.application_id)
        alone = render_letter(
            letter_content(
                application=application,
                kind=decision.kind,
                kenmerk=decision.kenmerk,
                date_sent=decision.date_sent,
                result=decision.allocation_result,
            )
        )
        stored = _stored_pdf(decision)
        assert stored == alone
        assert decision.sha256 == hashlib.sha256(stored).hexdigest()
        assert decision.document.sha256 == decision.sha256
        assert decision.document.original_name == f"beschikking-{decision.kenmerk}.pdf"


def test_a_chunk_stores_mails_and_payments_as_letters_made_one_by_one(mailoutbox):
    """With e-mail on, every applicant's mail is queued with its decision's kenmerk
    and marked as sent on the decision; each verlening has its voorschot planned;
    the transitions' log is untouched by making letters (the scheme pays a
    voorschot of 80 %)."""
    round_, _applications, decider = fixed_round(count=5)
    Scheme.objects.filter(pk=round_.scheme_id).update(advance_percent=80)
    logs_before = TransitionLog.objects.count()
    batch = _batch(round_, decider, notify=True)
    letter_services.letter_batch_run(batch_id=batch.pk, chunk_size=3)
    decisions = list(Decision.objects.filter(batch=batch).order_by("kenmerk"))
    assert len(decisions) == 5
    assert all(d.notified_at is not None for d in decisions)
    queued = sorted(OutgoingMail.objects.values_list("reference", flat=True))
    assert queued == [d.kenmerk for d in decisions]
    granted = [d for d in decisions if d.kind == "verlening"]
    assert len(granted) == 3
    for decision in granted:
        planned = PaymentInstruction.objects.filter(
            application_id=decision.application_id
        )
        assert planned.exists()
        # The ledger agrees with the facts: planning again changes nothing.
        assert plan_payments(Application(pk=decision.application_id)) == []
    refused = [d.application_id for d in decisions if d.kind != "verlening"]
    assert not PaymentInstruction.objects.filter(application_id__in=refused).exists()
    assert TransitionLog.objects.count() == logs_before


def test_a_letter_that_cannot_be_made_mid_chunk_leaves_the_others_and_is_retried():
    """The third of five letters has no address: the other four are made in the one
    chunk with kenmerken 1 to 4 (the refused letter takes no number); after the
    address is fixed a restart makes it with kenmerk 5."""
    round_, applications, decider = fixed_round(count=5)
    broken = applications[2]
    Applicant.objects.filter(pk=broken.applicant_id).update(street="")
    batch = _batch(round_, decider)
    counts = letter_services.letter_batch_run(batch_id=batch.pk, chunk_size=5)
    assert counts == {"total": 5, "done": 4, "skipped": 0, "failed": 1}
    batch.refresh_from_db()
    assert batch.status == LetterBatch.Status.DONE
    assert batch.errors[0]["reference"] == broken.reference
    assert "adres geadresseerde" in batch.errors[0]["message"]
    year = batch.date_sent.year
    kenmerken = _kenmerken(batch)
    assert kenmerken[2] is None
    assert sorted(k for k in kenmerken if k) == [
        f"D{year}-{n:06d}" for n in (1, 2, 3, 4)
    ]

    Applicant.objects.filter(pk=broken.applicant_id).update(street="Vinkenburgstraat 2")
    services.letter_batch_restart(batch=batch, actor=decider)
    counts = letter_services.letter_batch_run(batch_id=batch.pk, chunk_size=5)
    assert counts == {"total": 5, "done": 5, "skipped": 0, "failed": 0}
    assert _kenmerken(batch)[2] == f"D{year}-000005"
    batch.refresh_from_db()
    assert batch.errors == [] and batch.attempts == 2


def test_a_letter_failing_while_its_chunk_is_stored_loses_none_of_the_others(
    monkeypatch,
):
    """When storing one letter fails (here its payments refuse), the chunk is rolled
    back and made again one by one: the other letters are made, the failing one is
    counted with its reason, and the kenmerken have no gap."""
    round_, applications, decider = fixed_round(count=5)
    one, chunk = letter_services.payments_follow, letter_services.plan_payments_many
    failing = applications[1].pk

    def refusing(application):
        if application.pk == failing:
            raise DecisionError("Het betaalplan kon niet worden gemaakt.")
        return one(application)

    def refusing_in_the_chunk(ids):
        if failing in ids:
            raise DecisionError("Het betaalplan kon niet worden gemaakt.")
        return chunk(ids)

    # A chunk plans its payments together; made again one by one, each letter alone.
    monkeypatch.setattr(letter_services, "payments_follow", refusing)
    monkeypatch.setattr(letter_services, "plan_payments_many", refusing_in_the_chunk)
    batch = _batch(round_, decider)
    counts = letter_services.letter_batch_run(batch_id=batch.pk, chunk_size=5)
    assert counts == {"total": 5, "done": 4, "skipped": 0, "failed": 1}
    batch.refresh_from_db()
    assert batch.errors == [
        {
            "reference": applications[1].reference,
            "message": "Het betaalplan kon niet worden gemaakt.",
        }
    ]
    year = batch.date_sent.year
    made = sorted(Decision.objects.values_list("kenmerk", flat=True))
    assert made == [f"D{year}-{n:06d}" for n in (1, 2, 3, 4)]
    assert counters.last_number(prefix=counters.DECISION_PREFIX, year=year) == 4
    assert not Decision.objects.filter(application_id=failing).exists()


def test_a_kenmerk_taken_while_the_chunk_rendered_is_made_again_without_a_gap(
    monkeypatch,
):
    """Another letter takes the next kenmerk while the chunk renders: the chunk is
    made again letter by letter after it, each PDF showing its own kenmerk."""
    round_, _applications, decider = fixed_round(count=3)
    original = letter_services.render_letter
    rendered = []

    def racing(content):
        rendered.append(content.kenmerk)
        if len(rendered) == 1:
            letter_services.next_kenmerk(year=content.date_sent.year)
        return original(content)

    monkeypatch.setattr(letter_services, "render_letter", racing)
    batch = _batch(round_, decider)
    counts = letter_services.letter_batch_run(batch_id=batch.pk, chunk_size=3)
    assert counts["done"] == 3 and counts["failed"] == 0
    year = batch.date_sent.year
    assert _kenmerken(batch) == [f"D{year}-{n:06d}" for n in (2, 3, 4)]
    for decision in Decision.objects.filter(batch=batch):
        assert letter_services.decision_verify(decision=decision)
        assert decision.kenmerk in _text(_stored_pdf(decision))


def test_a_decision_issued_by_hand_while_the_chunk_rendered_keeps_every_kenmerk(
    monkeypatch,
):
    """While the chunk renders its letters with kenmerken 1 to 3 (read, not yet
    reserved), a decision maker issues the letter of its second application by hand:
    that letter takes kenmerk 1. The chunk's write finds the counter moved on and
    stores none of what it printed; it is made again letter by letter with 2 and 3,
    each PDF showing its own kenmerk: no kenmerk twice, no gap."""
    round_, applications, decider = fixed_round(count=3)
    original = letter_services.render_letter
    printed, by_hand = [], []

    def racing(content):
        printed.append(content.kenmerk)
        if len(printed) == 1:
            decision, created = letter_services.decision_issue(
                application=applications[1], actor=decider, notify=False
            )
            by_hand.append(decision)
        return original(content)

    monkeypatch.setattr(letter_services, "render_letter", racing)
    batch = _batch(round_, decider)
    counts = letter_services.letter_batch_run(batch_id=batch.pk, chunk_size=3)
    year = batch.date_sent.year
    assert by_hand[0].kenmerk == f"D{year}-000001" and by_hand[0].batch_id is None
    assert counts == {"total": 3, "done": 2, "skipped": 1, "failed": 0}
    numbers = iter((2, 3))
    assert _kenmerken(batch) == [
        None if pk == applications[1].pk else f"D{year}-{next(numbers):06d}"
        for pk in batch.application_ids
    ]
    made = sorted(Decision.objects.values_list("kenmerk", flat=True))
    assert made == [f"D{year}-{n:06d}" for n in (1, 2, 3)]
    assert counters.last_number(prefix=counters.DECISION_PREFIX, year=year) == 3
    for decision in Decision.objects.all():
        assert letter_services.decision_verify(decision=decision)
        assert decision.kenmerk in _text(_stored_pdf(decision))


@pytest.mark.postgres
def test_a_kenmerk_asked_while_the_chunk_writes_follows_the_chunk(
    on_postgres, monkeypatch
):
    """The chunk reserves its kenmerken in its write transaction: a decision on a
    bezwaar (``next_kenmerk``, another path) asked for while the chunk is storing
    its three letters waits for the chunk and gets kenmerk 4, never one the chunk
    printed."""
    round_, _applications, decider = fixed_round(count=3)
    year = timezone.localdate().year
    original = letter_services.payments_follow_chunk
    other = {}

    def ask(ready):
        try:
            ready.set()
            other["kenmerk"] = letter_services.next_kenmerk(year=year)
        finally:
            connection.close()

    def storing(applications):
        ready = threading.Event()
        thread = threading.Thread(target=ask, args=(ready,))
        thread.start()
        ready.wait(timeout=10)
        thread.join(timeout=1.5)
        other["waited"] = thread.is_alive()  # blocked by the chunk's reservation
        other["thread"] = thread
        return original(applications)

    monkeypatch.setattr(letter_services, "payments_follow_chunk", storing)
    batch = _batch(round_, decider)
    counts = letter_services.letter_batch_run(batch_id=batch.pk, chunk_size=3)
    other["thread"].join(timeout=30)
    assert counts == {"total": 3, "done": 3, "skipped": 0, "failed": 0}
    assert other["waited"]
    assert _kenmerken(batch) == [f"D{year}-{n:06d}" for n in (1, 2, 3)]
    assert other["kenmerk"] == f"D{year}-000004"
    assert counters.last_number(prefix=counters.DECISION_PREFIX, year=year) == 4


def _text(pdf):
    return "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def test_progress_is_recorded_once_per_chunk(monkeypatch):
    """With chunks of two, the letters of a chunk see the count of the chunks before
    it (0, 0, 2, 2, 4), and the finished batch counts all five."""
    round_, _applications, decider = fixed_round(count=5)
    batch = _batch(round_, decider)
    original = letter_services.render_letter
    seen = []

    def watching(content):
        seen.append(LetterBatch.objects.get(pk=batch.pk).done)
        return original(content)

    monkeypatch.setattr(letter_services, "render_letter", watching)
    letter_services.letter_batch_run(batch_id=batch.pk, chunk_size=2)
    assert seen == [0, 0, 2, 2, 4]
    batch.refresh_from_db()
    assert (batch.done, batch.skipped, batch.failed) == (5, 0, 0)
    assert batch.status == LetterBatch.Status.DONE and batch.percent == 100
    assert batch.attempts == 1 and batch.finished_at is not None


def test_a_worker_killed_in_the_second_chunk_keeps_the_first(monkeypatch):
    """The worker dies while rendering the second chunk: the first chunk's letters
    stay made and counted, the batch is marked broken off, and a restart makes only
    the rest, with the kenmerken following on."""
    round_, _applications, decider = fixed_round(count=5)
    batch = _batch(round_, decider)
    original = letter_services.render_letter
    calls = []

    def dying(content):
        calls.append(content.kenmerk)
        if len(calls) == 3:
            raise WorkerKilled
        return original(content)

    monkeypatch.setattr(letter_services, "render_letter", dying)
    with pytest.raises(WorkerKilled):
        letter_services.letter_batch_run(batch_id=batch.pk, chunk_size=2)
    monkeypatch.setattr(letter_services, "render_letter", original)
    batch.refresh_from_db()
    assert batch.status == LetterBatch.Status.FAILED and batch.done == 2
    assert Decision.objects.count() == 2
    services.letter_batch_restart(batch=batch, actor=decider)
    counts = letter_services.letter_batch_run(batch_id=batch.pk, chunk_size=2)
    assert counts == {"total": 5, "done": 5, "skipped": 0, "failed": 0}
    year = batch.date_sent.year
    assert _kenmerken(batch) == [f"D{year}-{n:06d}" for n in range(1, 6)]


def test_the_task_makes_the_letters_in_chunks_of_the_default_size(monkeypatch):
    """The background task passes no chunk size: ``CHUNK_SIZE`` decides."""
    monkeypatch.setattr(letter_services, "CHUNK_SIZE", 2)
    round_, _applications, decider = fixed_round(count=3)
    batch = _batch(round_, decider)
    original = letter_services.render_letter
    seen = []

    def watching(content):
        seen.append(LetterBatch.objects.get(pk=batch.pk).done)
        return original(content)

    monkeypatch.setattr(letter_services, "render_letter", watching)
    letter_services.letter_batch_run(batch_id=batch.pk)
    assert seen == [0, 0, 2]


def test_a_run_of_numbers_is_handed_out_and_taken_in_one_go():
    """``next_numbers`` hands out a run of numbers after the last one;
    ``take_numbers`` takes a run only while the counter stands just below it."""
    prefix = counters.DECISION_PREFIX
    assert counters.next_numbers(prefix=prefix, year=2033, count=3) == range(1, 4)
    assert counters.next_numbers(prefix=prefix, year=2033, count=2) == range(4, 6)
    assert not counters.take_numbers(prefix=prefix, year=2033, first=5, count=2)
    assert counters.take_numbers(prefix=prefix, year=2033, first=6, count=4)
    assert counters.last_number(prefix=prefix, year=2033) == 9
    assert counters.take_numbers(prefix=prefix, year=2034, first=1, count=50)
    assert not counters.take_numbers(prefix=prefix, year=2034, first=1, count=1)
    assert counters.peek_number(prefix=prefix, year=2034) == 51
