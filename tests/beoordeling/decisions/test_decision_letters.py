"""Beschikkingen made from the database: every letter type read back from its PDF."""

import hashlib
import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from pypdf import PdfReader

from beoordeling.assessment.demo import WEAK_PROFILE
from beoordeling.decisions.services import decisions as services
from beoordeling.decisions.services.letter_content import (
    decision_kind_for,
    letter_content,
)
from beoordeling.letters import format_date
from beoordeling.models import (
    Decision,
    DecisionError,
    DecisionKind,
    ImmutableDecisionError,
)
from subsidies import counters, facts
from subsidies import services as subsidy_services
from subsidies.models import (
    Applicant,
    Application,
    Document,
    OutgoingMail,
    SupplementRequest,
)
from subsidies.rounds import rule_publish_deviation
from tests.factories import (
    AddressedApplicantFactory,
    ApplicationFactory,
    RoundFactory,
    SchemeFactory,
    WijkFactory,
    assessed_application,
    assessor,
    decision_maker,
    impact_for,
    ranked_profiles,
)

pytestmark = pytest.mark.django_db

HEADINGS = [
    "Wat u heeft aangevraagd",
    "Ons besluit",
    "Waarom wij zo besluiten",
    "Bent u het niet eens met dit besluit?",
]
GRANT_HEADINGS = [
    "Uw verplichtingen",
    "Verantwoording en vaststelling",
    "Betaling",
    "Intrekking en terugvordering",
]


def pdf_text(decision):
    with decision.document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def scenario():
    """One round decided every way: award, cap, budget, impact; plus two early ends."""
    wijken = {
        code: WijkFactory(code=code, name=code.capitalize(), sort_order=i)
        for i, code in enumerate(["noord", "oost", "zuid"])
    }
    # One impact band: from a score of 50 the scheme pays 80 % of the request, so
    # the verlening (EUR 6,250 asked) is proposed EUR 5,000 and refused the rest.
    scheme = SchemeFactory(impact_bands=[{"min_score": 50, "percent": 80}])
    round_ = RoundFactory(scheme=scheme, ceiling_cents=1_000_000)
    staff = assessor()
    decider = decision_maker(first_name="Marieke", last_name="Jansen")
    # Strongest first (the rubric computes descending scores); the last one weak.
    profiles = dict(
        zip(
            ("verlening", "zuid_award", "cap", "budget"),
            ranked_profiles(5)[1:],
            strict=True,
        ),
        impact=WEAK_PROFILE,
    )

    def make(name, code, proposed, requested):
        return assessed_application(
            round=round_,
            wijk=wijken[code],
            proposed_cents=proposed,
            profile=profiles[name],
            amount_cents=requested,
            assessed_by=staff,
        )

    apps = {
        "verlening": make("verlening", "noord", 500_000, 625_000),
        "zuid_award": make("zuid_award", "zuid", 200_000, 250_000),
        "cap": make("cap", "zuid", 150_000, 187_500),
        "budget": make("budget", "oost", 400_000, 500_000),
        "impact": make("impact", "oost", 0, 300_000),
    }
    limits = {w.pk: (0, None) for w in wijken.values()}
    limits[wijken["zuid"].pk] = (0, 300_000)
    rule_publish_deviation(
        round=round_,
        actor=decider,
        motivation="Zuid krijgt ten hoogste € 3.000 in deze test.",
        limits=limits,
        on_shortfall="skip",
        min_partial_cents=0,
        # Before the applications came in: a later version would not apply to them
        # (Awb 4:27 lid 2).
        at=round_.opens_at,
    )
    run = services.allocation_run_create(round=round_, actor=decider)
    services.allocation_run_fix(run=run, actor=decider)

    failed = ApplicationFactory(
        round=round_,
        wijk=wijken["noord"],
        applicant=AddressedApplicantFactory(),
        submitted=True,
    )
    facts.record_preconditions(
        failed,
        met=False,
        motivation="De activiteit is al begonnen voordat de aanvraag binnen was.",
    )
    subsidy_services.fire(
        application=failed, transition="reject_preconditions", actor=staff
    )
    apps["randvoorwaarden"] = failed

    incomplete = ApplicationFactory(
        round=round_,
        wijk=wijken["oost"],
        applicant=AddressedApplicantFactory(),
        submitted=True,
    )
    asked = timezone.now() - timedelta(days=20)
    due = timezone.now() - timedelta(days=6)
    subsidy_services.fire(
        application=incomplete,
        transition="request_supplement",
        actor=staff,
        at=asked,
        due_at=due,
    )
    SupplementRequest.objects.create(
        application=incomplete,
        requested_by=staff,
        message="Stuur een begroting mee.",
        requested_at=asked,
        due_at=due,
    )
    subsidy_services.fire(application=incomplete, transition="set_aside", actor=staff)
    apps["buiten_behandeling"] = incomplete
    scores = {name: impact_for(scheme, profile) for name, profile in profiles.items()}
    return {
        "round": round_,
        "apps": apps,
        "decider": decider,
        "wijken": wijken,
        "scores": scores,
    }


def dutch_score(score):
    """A score as a letter prints it: two decimals at most, a decimal comma."""
    return f"{score:.2f}".rstrip("0").rstrip(".").replace(".", ",")


EXPECTED = {
    "verlening": (DecisionKind.VERLENING, 500_000),
    "cap": (DecisionKind.AFWIJZING_CAP, 0),
    "budget": (DecisionKind.AFWIJZING_BUDGET, 0),
    "impact": (DecisionKind.AFWIJZING_IMPACT, 0),
    "randvoorwaarden": (DecisionKind.AFWIJZING_RANDVOORWAARDEN, 0),
    "buiten_behandeling": (DecisionKind.BUITEN_BEHANDELING, 0),
}

MOTIVATION = {
    "verlening": [
        "Wij verlenen u een subsidie van ten hoogste € 5.000,00",
        "De impactscore van uw aanvraag is {score} van de 100.",
        "Uw aanvraag staat op plaats 1 van de 4 aanvragen.",
        "Voor het overige bedrag van € 1.250,00 wijzen wij uw aanvraag af.",
        "klaar met de activiteiten.",
        "Voer de activiteit uit zoals beschreven.",
        "NL91 **** **** 4300",
    ],
    "cap": [
        "Wij wijzen uw aanvraag af.",
        "Voor wijk Zuid geldt in deze ronde een maximum van € 3.000,00.",
        "al € 2.000,00 toegekend",
        "€ 1.500,00 zou de wijk boven dat maximum komen",
    ],
    "budget": [
        "Wij wijzen uw aanvraag af.",
        "Het subsidieplafond van",
        "is € 10.000,00",
        "nog € 3.000,00 niet verdeeld; voor uw aanvraag was € 4.000,00 nodig.",
        "er niet genoeg geld meer over was",
    ],
    "impact": [
        "Wij wijzen uw aanvraag af.",
        "De impactscore van uw aanvraag is {score} van de 100.",
        "een score van minstens 50 nodig",
        "is daarom € 0,00",
    ],
    "randvoorwaarden": [
        "Wij wijzen uw aanvraag af.",
        "De activiteit is al begonnen voordat de aanvraag binnen was.",
    ],
    "buiten_behandeling": [
        "Wij nemen uw aanvraag niet in behandeling.",
        "Stuur een begroting mee.",
        "niet (op tijd) ontvangen",
    ],
}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_every_letter_type_from_the_database_has_every_mandatory_block(scenario, name):
    """The PDF holds headings, kenmerk, dates, bezwaar clause, amounts and motivation."""
    application = scenario["apps"][name]
    today = timezone.localdate()
    decision, created = services.decision_issue(
        application=application, actor=scenario["decider"], notify=False
    )
    kind, amount = EXPECTED[name]
    assert created and decision.kind == kind and decision.amount_cents == amount
    assert re.fullmatch(r"D\d{4}-\d{6}", decision.kenmerk)
    assert decision.bezwaar_deadline == today + timedelta(weeks=6)
    text = pdf_text(decision)
    for heading in HEADINGS:
        assert heading in text
    for heading in GRANT_HEADINGS:
        assert (heading in text) is (kind == DecisionKind.VERLENING)
    applicant = application.applicant
    for part in (
        "Gemeente Utrecht",
        "Telefoon: 14 030",
        applicant.name,
        "Zamenhofdreef 12",
        "3562 JW Utrecht",
        f"Datum {format_date(today)}",
        f"Ons kenmerk {decision.kenmerk}",
        application.reference,
        f"Onderwerp: Besluit op uw aanvraag subsidie '{application.title}'",
        f"uiterlijk op {format_date(decision.bezwaar_deadline)}",
        "Burgemeester en wethouders van Utrecht, Postbus 16200, 3500 CE",
        "Bezwaar maken per e-mail kan niet",
        "namens dezen",
        "Algemene wet bestuursrecht",
    ):
        assert part in text, part
    if name in ("verlening", "cap", "budget", "impact"):
        assert "Contactpersoon: Marieke Jansen" in text
    if kind != DecisionKind.BUITEN_BEHANDELING:
        requested = application.requested_cents
        euros, cents = divmod(requested, 100)
        assert f"€ {euros:,}".replace(",", ".") + f",{cents:02d}" in text
    score = scenario["scores"].get(name)
    for phrase in MOTIVATION[name]:
        if score is not None:
            phrase = phrase.replace("{score}", dutch_score(score))
        assert phrase in text, phrase


def test_the_letter_is_stored_as_a_document_with_its_sha256(scenario):
    """The PDF is a private Document of kind beschikking; the Decision keeps its hash."""
    application = scenario["apps"]["verlening"]
    decision, _ = services.decision_issue(application=application, notify=False)
    document = decision.document
    assert document.application_id == application.pk
    assert document.kind == Document.Kind.DECISION_LETTER
    assert document.content_type == "application/pdf"
    assert document.original_name == f"beschikking-{decision.kenmerk}.pdf"
    with document.file.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == decision.sha256 == document.sha256
    assert document.size == len(data)
    assert services.decision_verify(decision=decision)


def test_a_tampered_letter_file_is_detected(scenario):
    """Verification compares the stored file with the SHA-256 recorded at sending."""
    decision, _ = services.decision_issue(
        application=scenario["apps"]["budget"], notify=False
    )
    storage = decision.document.file.storage
    name = decision.document.file.name
    storage.delete(name)
    storage.save(name, ContentFile(b"%PDF-1.4 vervalst"))
    assert not services.decision_verify(decision=decision)


def test_kenmerken_are_unique_and_consecutive_per_year(scenario):
    """Each decision takes the next number of the year's counter."""
    decisions = [
        services.decision_issue(application=app, notify=False)[0]
        for app in scenario["apps"].values()
        if app.pk != scenario["apps"]["zuid_award"].pk
    ]
    numbers = [int(d.kenmerk.split("-")[1]) for d in decisions]
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    assert len({d.kenmerk for d in decisions}) == len(decisions)
    year = timezone.localdate().year
    assert all(d.kenmerk.startswith(f"D{year}-") for d in decisions)


def test_a_decision_is_never_made_twice(scenario):
    """Asking again returns the existing decision; no second PDF is stored."""
    application = scenario["apps"]["verlening"]
    first, created = services.decision_issue(application=application, notify=False)
    second, created_again = services.decision_issue(
        application=application, notify=False
    )
    assert created and not created_again and first.pk == second.pk
    assert (
        Document.objects.filter(
            application=application, kind=Document.Kind.DECISION_LETTER
        ).count()
        == 1
    )


def test_a_sent_decision_cannot_be_changed_or_deleted(scenario):
    """Only the moment of the e-mail is filled in afterwards."""
    decision, _ = services.decision_issue(
        application=scenario["apps"]["cap"], notify=False
    )
    decision.amount_cents = 1
    with pytest.raises(ImmutableDecisionError):
        decision.save()
    with pytest.raises(ImmutableDecisionError):
        decision.delete()
    with pytest.raises(ImmutableDecisionError):
        Decision.objects.filter(pk=decision.pk).update(sha256="0" * 64)
    with pytest.raises(ImmutableDecisionError):
        Decision.objects.filter(pk=decision.pk).delete()
    decision.refresh_from_db()
    decision.notified_at = timezone.now()
    decision.save(update_fields=["notified_at"])


def test_a_missing_address_refuses_the_letter_with_a_dutch_message(scenario):
    """MissingLetterPart becomes a clear refusal; nothing is stored, no number is used."""
    application = scenario["apps"]["budget"]
    Applicant.objects.filter(pk=application.applicant_id).update(street="")
    year = timezone.localdate().year
    before_number = counters.last_number(prefix=counters.DECISION_PREFIX, year=year)
    with pytest.raises(DecisionError) as error:
        services.decision_issue(application=application, notify=False)
    message = str(error.value)
    assert application.reference in message
    assert "verplichte onderdelen zijn leeg" in message
    assert "adres geadresseerde" in message
    assert not Decision.objects.filter(application=application).exists()
    assert not Document.objects.filter(
        application=application, kind=Document.Kind.DECISION_LETTER
    ).exists()
    after = counters.last_number(prefix=counters.DECISION_PREFIX, year=year)
    assert after == before_number
    assert not OutgoingMail.objects.filter(
        to=[application.applicant.contact_email]
    ).exists()


def test_an_undecided_application_has_no_letter(scenario):
    """A letter needs a decision first."""
    application = assessed_application(
        round=scenario["round"],
        wijk=scenario["wijken"]["noord"],
        amount_cents=100_000,
    )
    with pytest.raises(DecisionError, match="nog niet besloten"):
        services.decision_issue(application=application, notify=False)


def test_an_award_waiting_for_four_eyes_has_no_letter_yet(scenario):
    """Until the second decision maker approves, there is nothing to send."""
    round_ = RoundFactory(ceiling_cents=1_000_000, four_eyes_threshold_cents=100_000)
    application = assessed_application(
        round=round_,
        wijk=scenario["wijken"]["noord"],
        amount_cents=200_000,
    )
    decider = scenario["decider"]
    run = services.allocation_run_create(
        round=round_,
        actor=decider,
    )
    services.allocation_run_fix(run=run, actor=decider)
    with pytest.raises(DecisionError):
        services.decision_issue(application=application, notify=False)


def test_the_letter_kind_follows_the_decision(scenario):
    """Status and the fixed result's reason pick the letter type."""
    kinds = {
        name: decision_kind_for(Application.objects.get(pk=app.pk))
        for name, app in scenario["apps"].items()
    }
    assert kinds["zuid_award"] == DecisionKind.VERLENING
    for name, (kind, _amount) in EXPECTED.items():
        assert kinds[name] == kind


def test_letter_content_uses_the_scheme_texts_and_masks_the_iban(scenario):
    """Obligations, accountability and payment come from the scheme; the IBAN is masked."""
    application = Application.objects.select_related(
        "round__scheme", "applicant", "wijk"
    ).get(pk=scenario["apps"]["verlening"].pk)
    content = letter_content(
        application=application,
        kind=DecisionKind.VERLENING,
        kenmerk="D2026-000001",
        date_sent=timezone.localdate(),
    )
    assert content.accountability == application.round.scheme.letter_accountability
    assert "NL91 **** **** 4300" in content.payment
    assert "NL91ABNA0417164300" not in content.payment
    assert content.awarded_cents == 500_000
    assert content.activity_end == application.activity_end
    assert any("uiterlijk op" in line for line in content.obligations)


def test_the_applicant_is_emailed_after_commit_with_the_pdf_only_with_consent(
    scenario, mailoutbox, django_capture_on_commit_callbacks
):
    """No consent: a notice only; consent (art. 2:8 Awb): the PDF is attached."""
    without = scenario["apps"]["budget"]
    with_consent = scenario["apps"]["verlening"]
    Applicant.objects.filter(pk=with_consent.applicant_id).update(
        accepts_electronic_decisions=True
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.decision_issue(application=without)
    assert mailoutbox == [] and len(callbacks) == 1
    callbacks[0]()
    with django_capture_on_commit_callbacks(execute=True):
        services.decision_issue(application=with_consent)
    assert len(mailoutbox) == 2
    plain, attached = mailoutbox
    assert plain.to == without.applicant.mail_recipients()
    assert without.applicant.contact_email not in plain.to
    assert plain.attachments == []
    assert "Mijn aanvragen" in plain.body and "/mijn-aanvragen/" in plain.body
    assert "per post" in plain.body
    assert without.reference in plain.subject
    name, content, mimetype = attached.attachments[0]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")
    decision = Decision.objects.get(application=with_consent)
    assert name == f"beschikking-{decision.kenmerk}.pdf"
    assert decision.sent_electronically and decision.notified_at is not None
    assert not Decision.objects.get(application=without).sent_electronically
    mail = OutgoingMail.objects.get(reference=decision.kenmerk)
    assert mail.state == OutgoingMail.State.SENT


def test_the_consent_flag_defaults_to_no(scenario):
    """Filling in an e-mail address is not consent to electronic decisions."""
    assert Applicant._meta.get_field("accepts_electronic_decisions").default is False
    assert not AddressedApplicantFactory().accepts_electronic_decisions


def test_scores_print_with_a_decimal_comma(scenario):
    """The score the rubric computed, 97,5 here, is printed the Dutch way."""
    application = scenario["apps"]["verlening"]
    assert (
        application.impact_score == Decimal("97.50") == scenario["scores"]["verlening"]
    )
    decision, _ = services.decision_issue(application=application, notify=False)
    assert "97,5 van de 100" in pdf_text(decision)
