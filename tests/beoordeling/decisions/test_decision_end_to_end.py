"""End to end through the admin: two runs, a changed floor, fixing, letters, e-mails."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from beoordeling.assessment.demo import WEAK_PROFILE
from beoordeling.letters import format_date, format_euro
from beoordeling.models import AllocationRun, Decision, LetterBatch, RunStatus
from subsidies.models import Applicant, Application, Document
from subsidies.workflow import Status
from tests.factories import (
    AddressedApplicantFactory,
    RoundFactory,
    WijkFactory,
    assessed_application,
    assessor,
    decision_maker,
    ranked_profiles,
)

pytestmark = pytest.mark.django_db


def test_a_round_from_concept_runs_to_letters_in_the_mailbox(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    """Compute, change a floor, compute again, compare, fix, make letters, mail them."""
    wijken = {
        "overvecht": WijkFactory(
            code="overvecht", name="Overvecht", fair_share_weight=Decimal("40")
        ),
        "oost": WijkFactory(code="oost", name="Oost", fair_share_weight=Decimal("30")),
        "west": WijkFactory(code="west", name="West", fair_share_weight=Decimal("30")),
    }
    round_ = RoundFactory(name="Najaar 2027", ceiling_cents=1_000_000)
    staff = assessor()
    # Strongest first: the rubric computes descending impact scores; the last one is
    # too weak for any band and proposes nothing.
    strongest = ranked_profiles(5)
    plan = [
        ("oost", 400_000, strongest[0]),
        ("oost", 300_000, strongest[1]),
        ("west", 300_000, strongest[2]),
        ("west", 200_000, strongest[3]),
        ("overvecht", 250_000, strongest[4]),
        ("overvecht", 0, WEAK_PROFILE),
    ]
    applications = [
        assessed_application(
            round=round_,
            wijk=wijken[code],
            proposed_cents=proposed,
            profile=profile,
            amount_cents=proposed or 250_000,
            assessed_by=staff,
            applicant=AddressedApplicantFactory(),
        )
        for code, proposed, profile in plan
    ]
    consenting = applications[4]
    Applicant.objects.filter(pk=consenting.applicant_id).update(
        accepts_electronic_decisions=True
    )
    client.force_login(decision_maker(first_name="Marieke", last_name="Jansen"))

    create = reverse("besluiten:run_create", args=[round_.pk])

    def deviation(overvecht_floor):
        data = {
            "on_shortfall": "skip",
            "min_partial": "",
            "motivation": "Overvecht is een aandachtswijk en krijgt een garantie.",
        }
        for code, wijk in wijken.items():
            data[f"floor_{wijk.pk}"] = overvecht_floor if code == "overvecht" else "0"
            data[f"cap_{wijk.pk}"] = ""
        return data

    # 1. A concept run with the published rule (no floors): Overvecht gets nothing
    # and is flagged.
    first = client.post(create, {"note": ""})
    assert first.status_code == 302
    html = client.get(first["Location"]).content.decode()
    assert "Overvecht ▼" in html and "ondervertegenwoordigd" in html

    # 2. A new, motivated version of the rule with a floor for Overvecht. It has no
    # effect on the applications submitted before it was published (Awb 4:27 lid 2):
    # the next run applies version 1 to them again, and the runs agree.
    published = client.post(
        reverse("besluiten:rule_deviation", args=[round_.pk]), deviation("2.500,00")
    )
    assert published.status_code == 302
    second = client.post(create, {"note": ""})
    run_1, run_2 = AllocationRun.objects.order_by("number")
    assert (run_1.rule.version, run_2.rule.version) == (1, 1)
    assert run_1.results.get(application=applications[4]).reason == "budget"
    assert run_2.results.get(application=applications[4]).reason == "budget"
    compare = reverse("besluiten:compare", args=[round_.pk])
    html = client.get(f"{compare}?run={run_1.pk}&run={run_2.pk}").content.decode()
    assert "Toegekend: wijkgarantie" not in html

    # 3. Fix the second run: the applications are decided, within the ceiling.
    response = client.post(second["Location"], {"confirm": "on"}, follow=True)
    assert "is vastgesteld" in response.content.decode()
    run_2.refresh_from_db()
    assert run_2.status == RunStatus.FIXED
    statuses = dict(
        Application.objects.filter(round=round_).values_list("pk", "status")
    )
    assert statuses[applications[4].pk] == Status.REJECTED
    assert statuses[applications[5].pk] == Status.REJECTED
    awarded = sum(
        a.awarded_cents or 0
        for a in Application.objects.filter(round=round_, status=Status.AWARDED)
    )
    assert awarded == run_2.total_cents <= round_.ceiling_cents

    # 4. Letters in the background, then the progress page says done.
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("besluiten:batch_start", args=[round_.pk]),
            {"date_sent": today.isoformat(), "notify": "on"},
        )
    batch = LetterBatch.objects.get()
    html = client.get(response["Location"]).content.decode()
    assert "6 van 6 verwerkt" in html and batch.status == "klaar"

    # 5. Every applicant has a letter with its amount, kenmerk and bezwaar date.
    for application in applications:
        decision = Decision.objects.get(application=application)
        with decision.document.file.open("rb") as handle:
            reader = PdfReader(io.BytesIO(handle.read()))
        text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
        assert decision.kenmerk in text
        assert f"uiterlijk op {format_date(decision.bezwaar_deadline)}" in text
        application.refresh_from_db()
        if application.status == Status.AWARDED:
            assert format_euro(application.awarded_cents) in text
        assert (
            Document.objects.filter(
                application=application, kind=Document.Kind.DECISION_LETTER
            ).count()
            == 1
        )

    # 6. Everyone got an e-mail; only the consenting applicant got the PDF.
    assert len(mailoutbox) == 6
    attached = [m for m in mailoutbox if m.attachments]
    assert [m.to for m in attached] == [consenting.applicant.mail_recipients()]
    assert all("Mijn aanvragen" in m.body for m in mailoutbox)

    # 7. The applicant downloads the letter from "mijn aanvragen".
    member = consenting.applicant.members.first()
    client.force_login(member)
    download = client.get(reverse("subsidies:letter", args=[consenting.reference]))
    assert download.status_code == 200
    body = b"".join(download.streaming_content)
    assert body.startswith(b"%PDF")
