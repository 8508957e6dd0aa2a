"""Benchmark: a payment batch of 1,000 items to a SEPA file (pain.001.001.03).

Sets up a throw-away test database (the test settings), N awarded applications with
one open betaling each, composes one batch of all N through the service (the
Verification of Payee per item, the four-eyes rows), lets a second financial
administrator approve it, and times the export through the service (``batch_sepa``:
reading the items, building the file with sepaxml and validating it against the XSD).
Next to it, sepaxml alone building and validating the same N transfers from a list in
memory: the ratio shows what the database and the service cost. Prints figures; never
asserts.

    .venv/bin/python bench/bench_payments.py --n 1000

``make bench`` runs it with the others and writes ``docs/performance.md``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    import django

    django.setup()


def _ledger_of(n):
    """N fixed applications (bench data, written directly) with one betaling each,
    and two users who may manage payments."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from beoordeling.models import PaymentInstruction, PaymentKind
    from beoordeling.payments.ledger import Kind, end_to_end_id
    from subsidies.models import (
        Applicant,
        ApplicantKind,
        Application,
        Round,
        Scheme,
        Wijk,
    )
    from subsidies.workflow import Status

    now = timezone.now()
    today = timezone.localdate(now)
    wijk = Wijk.objects.create(code="noord", name="Noord")
    scheme = Scheme.objects.create(
        slug="bench",
        name="Benchmarkfonds",
        reference_prefix="BN",
        purpose="Meten.",
        for_whom="Bewoners.",
        legal_basis="Nadere regel Benchmarkfonds Utrecht, artikel 5",
        max_amount_cents=2_000_000,
    )
    round_ = Round.objects.create(
        scheme=scheme,
        name="Benchmarkronde",
        opens_at=now - timedelta(days=60),
        closes_at=now + timedelta(days=30),
        ceiling_cents=10**12,
    )
    applicants = Applicant.objects.bulk_create(
        Applicant(
            kind=ApplicantKind.ORGANISATION,
            name=f"Stichting Bench {i}",
            kvk_number=f"{40_000_000 + i}",
            contact_name=f"Contact {i}",
            contact_email=f"bench{i}@example.nl",
            iban="NL91ABNA0417164300",
            account_holder=f"Stichting Bench {i}",
        )
        for i in range(100)
    )
    applications = Application.objects.bulk_create(
        Application(
            reference=f"BN-2026-{i:05d}",
            round=round_,
            applicant=applicants[i % len(applicants)],
            title=f"Buurtactiviteit {i}",
            summary="Buren koken samen en eten samen.",
            activity_start=today,
            activity_end=today + timedelta(days=120),
            wijk=wijk,
            impact_plan="Tellen en vertellen.",
            requested_cents=250_000 + i,
            truthful_declaration=True,
            status=Status.FIXED,
            submitted_at=now - timedelta(days=30),
            complete_at=now - timedelta(days=30),
        )
        for i in range(n)
    )
    PaymentInstruction.objects.bulk_create(
        PaymentInstruction(
            application=application,
            kind=PaymentKind.PAYMENT,
            sequence=1,
            end_to_end_id=end_to_end_id(application.reference, Kind.PAYMENT, 1),
            amount_cents=250_000 + i,
            due_on=today,
        )
        for i, application in enumerate(applications)
    )
    users = get_user_model().objects
    composer = users.create_superuser("samensteller@example.nl", "bench-wachtwoord")
    approver = users.create_superuser("goedkeurder@example.nl", "bench-wachtwoord")
    return composer, approver


def run(n: int = 1000) -> list[dict]:
    """Time composing, and the SEPA file through the service and sepaxml alone."""
    _django()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment
    from django.utils import timezone

    from beoordeling.models import PaymentInstruction
    from beoordeling.payments import sepa
    from beoordeling.payments.services import batches

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        composer, approver = _ledger_of(n)
        ids = list(PaymentInstruction.objects.values_list("pk", flat=True))
        started = time.perf_counter()
        batch = batches.batch_compose(
            actor=composer,
            instruction_ids=ids,
            execution_date=timezone.localdate() + timedelta(days=1),
        )
        compose_seconds = time.perf_counter() - started
        batches.batch_approve(batch=batch, actor=approver)
        # Import xmlschema and warm the caches once, so neither side pays for that.
        sepa.pain001(
            batches.debtor(),
            batches.transfers(batch)[:1],
            execution_date=batch.execution_date,
        )
        started = time.perf_counter()
        data = batches.batch_sepa(batch=batch, actor=composer)
        service_seconds = time.perf_counter() - started
        transfers = batches.transfers(batch)
        debtor = batches.debtor()
        execution_date = batch.execution_date
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()

    started = time.perf_counter()
    raw = sepa.pain001(debtor, transfers, execution_date=execution_date)
    raw_seconds = time.perf_counter() - started
    started = time.perf_counter()
    sepa.pain001(debtor, transfers, execution_date=execution_date, validate=False)
    unvalidated_seconds = time.perf_counter() - started
    return [
        {
            "benchmark": "compose a batch (VoP per item, database)",
            "items": n,
            "seconds": round(compose_seconds, 2),
            "per_second": round(n / compose_seconds, 1),
        },
        {
            "benchmark": "pain.001 via the service (database, XSD check)",
            "items": n,
            "kilobytes": round(len(data) / 1024),
            "seconds": round(service_seconds, 2),
            "per_second": round(n / service_seconds, 1),
            "ratio_to_sepaxml": round(service_seconds / raw_seconds, 2),
        },
        {
            "benchmark": "sepaxml alone, same transfers (XSD check)",
            "items": n,
            "kilobytes": round(len(raw) / 1024),
            "seconds": round(raw_seconds, 2),
            "per_second": round(n / raw_seconds, 1),
        },
        {
            "benchmark": "sepaxml alone, without the XSD check",
            "items": n,
            "seconds": round(unvalidated_seconds, 2),
            "per_second": round(n / unvalidated_seconds, 1),
        },
    ]


NOTES = """\
- Composing checks each item's account holder against the applicant (Verification of
  Payee, difflib), locks the instructions and writes one row per item.
- Via the service: the items are read from the database, then sepaxml builds the file
  and validates it against the pain.001.001.03 XSD it ships (xmlschema). The ratio is
  service time / sepaxml-alone time for the same transfers, both with the XSD check;
  the last row shows how much of either is the XSD check.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="items in the batch")
    args = parser.parse_args()
    for row in run(args.n):
        print(
            f"{row['benchmark']:<50}{row['items']:>7}{row['seconds']:>9.2f} s"
            f"{row['per_second']:>10.1f}/s  {row.get('ratio_to_sepaxml', '')}"
        )


if __name__ == "__main__":
    main()
