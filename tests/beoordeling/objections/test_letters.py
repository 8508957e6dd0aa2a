"""The letters of a bezwaar: what each one says, read back from its PDF, what it refuses,
and what the services store and mail."""

import dataclasses
import hashlib
import io
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from beoordeling.decisions.selectors import round_budget
from beoordeling.decisions.services.letters import decision_issue
from beoordeling.letters import LetterType, MissingLetterPart, format_date
from beoordeling.models import Decision, DecisionKind, Objection
from beoordeling.objections import letters, terms, workflow
from beoordeling.objections.services import ObjectionError
from beoordeling.objections.services.deciding import (
    objection_decide,
    objection_record_decision,
)
from beoordeling.objections.services.letters import (
    acknowledgement_issue,
    decision_on_objection_issue,
    extension_issue,
    invitation_issue,
)
from subsidies import counters
from subsidies.counters import DECISION_PREFIX
from subsidies.models import Document, OutgoingMail, Round
from tests.beoordeling.objections.factories import objection_ready
from tests.factories import (
    AddressedApplicantFactory,
    ApplicationFactory,
    RoundFactory,
    WijkFactory,
    assessor,
    decided_application,
    decision_maker,
)

SENT = date(2027, 1, 11)  # a Monday
CONTESTED = date(2026, 11, 23)
TERM_END = date(2027, 1, 4)
DUE = date(2027, 2, 17)


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def base(**overrides):
    values = {
        "sender": "Maatschappelijke Ontwikkeling – Initiatievenfonds",
        "contact_name": "Sanne de Wit",
        "contact_phone": "14 030",
        "contact_email": "bezwaar@utrecht.example",
        "addressee_name": "Stichting Buurtcafé De Ontmoeting",
        "addressee_address": ("t.a.v. mevrouw R. Özdemir", "Zamenhofdreef 12"),
        "date_sent": SENT,
        "kenmerk": "BZ2026-000001",
        "objection_reference": "BZ2026-000001",
        "application_reference": "IF-2026-0042",
        "application_title": "Ideeën-café Overvecht",
        "received_on": date(2026, 12, 30),
        "contested_kenmerk": "D2026-000123",
        "contested_date": CONTESTED,
        "contested_type": LetterType.AFWIJZING_IMPACT,
        "signatory_function": "de teamleider Bezwaar en Beroep",
    }
    values.update(overrides)
    return values


def acknowledgement(**overrides):
    values = {"term_end": TERM_END, "is_late": False, "decision_due_on": DUE}
    values.update(overrides)
    return letters.Acknowledgement(**base(**values))


def invitation(**overrides):
    values = {
        "hearing_at": datetime(2027, 1, 21, 19, 30),
        "hearing_place": "Stadskantoor, Stadsplateau 1, Utrecht",
    }
    values.update(overrides)
    return letters.HearingInvitation(**base(**values))


def extension(**overrides):
    values = {
        "original_due_on": DUE,
        "new_due_on": terms.extended_due(DUE),
        "reason": "Wij wachten op het advies van de wijkcommissie.",
    }
    values.update(overrides)
    return letters.Extension(**base(**values))


GRANT = {
    "scheme_name": "Initiatievenfonds",
    "legal_basis": "Nadere regel Initiatievenfonds Utrecht 2026, artikel 5",
    "requested_cents": 300_000,
    "activity_description": "Elke maand een ideeën-café voor buurtbewoners.",
    "activity_start": date(2027, 3, 1),
    "activity_end": date(2027, 12, 31),
    "obligations": ("U bent uiterlijk op 31 december 2027 klaar met de activiteiten.",),
    "accountability": "U stuurt na afloop een kort verslag met foto's.",
    "advance_percent": 80,
    "application_received_on": date(2026, 10, 2),
    "application_complete_on": date(2026, 10, 9),
}


def beslissing(outcome=letters.Outcome.UNFOUNDED, **overrides):
    values = {
        "kenmerk": "D2027-000007",
        "reasons": "Wij kregen te weinig punten voor bereik.",
        "outcome": outcome,
        "motivation": "Wij hebben de beoordeling opnieuw bekeken.",
        "hearing_on": date(2027, 1, 7),
        "hearing_report": "Mevrouw Özdemir legde uit dat veel buren meedoen.",
    }
    if outcome is letters.Outcome.WELL_FOUNDED:
        values["remedy_cents"] = 245_000
        values.update(GRANT)
    values.update(overrides)
    return letters.ObjectionDecision(**base(**values))


def text(content):
    return pdf_text(letters.render(content))


# --- the three letters -------------------------------------------------------------------


def test_acknowledgement_names_the_term_end_and_what_happens_next():
    """The objector reads their reference, the contested decision, that the bezwaar
    was on time until the term end, and the day we decide by; no bezwaar clause."""
    page = text(acknowledgement())
    assert "Ontvangstbevestiging van uw bezwaar BZ2026-000001" in page
    assert "ons besluit van 23 november 2026 (kenmerk D2026-000123)" in page
    assert "ontvangen op 30 december 2026" in page
    assert "Die termijn liep tot en met 4 januari 2027. Uw bezwaar is op tijd." in page
    assert "Wij beslissen uiterlijk op 17 februari 2027" in page
    assert "hoorzitting" in page
    assert "Sanne de Wit, telefoon 14 030" in page
    assert "Bent u het niet eens met dit besluit?" not in page
    assert "na het einde van die termijn" not in page


def test_a_late_acknowledgement_says_so_and_that_they_may_write_why():
    """A bezwaar that came in after the term is registered, and the letter says in
    plain words that it was late and that the objector may write why (Awb 6:11)."""
    page = text(acknowledgement(received_on=date(2027, 1, 8), is_late=True))
    assert "Die termijn liep tot en met 4 januari 2027." in page
    assert "Uw bezwaarschrift kwam binnen na het einde van die termijn." in page
    assert "Schrijf ons dan binnen 2 weken waarom" in page
    assert "verschoonbaar" in page and "6:11" in page
    assert "Uw bezwaar is op tijd" not in page


def test_invitation_names_day_time_place_and_the_objectors_rights():
    """The invitation says when and where, that the hearing is led by someone not
    involved (7:5), that they may bring someone, from which day the documents lie open
    (a week before, 7:4) and what to do when they cannot come."""
    page = text(invitation())
    assert "donderdag 21 januari 2027 om 19.30 uur" in page
    assert "Stadskantoor, Stadsplateau 1, Utrecht" in page
    assert "niet betrokken was bij het besluit" in page and "7:5" in page
    assert "U mag iemand meenemen" in page
    assert "liggen vanaf 14 januari 2027 tot de hoorzitting" in page
    assert "7:4" in page
    assert "Kunt u niet komen?" in page
    assert "Bent u het niet eens met dit besluit?" not in page


def test_invitation_refuses_a_hearing_less_than_a_week_after_the_letter():
    """The documents must lie open a week before the hearing (Awb 7:4), so a hearing
    sooner than that cannot be invited for."""
    with pytest.raises(ValueError, match="7:4"):
        letters.render(invitation(hearing_at=datetime(2027, 1, 15, 10, 0)))


def test_extension_names_both_last_days_and_the_reason():
    """The verdagingsbrief says the old and the new last day and why (7:10 lid 3)."""
    page = text(extension())
    assert "Wij moesten uiterlijk op 17 februari 2027 op uw bezwaar beslissen" in page
    assert "tot uiterlijk 31 maart 2027" in page
    assert "Wij wachten op het advies van de wijkcommissie." in page
    assert "7:10, derde lid" in page


@pytest.mark.parametrize(
    "new_due", [DUE, DUE - timedelta(days=1), terms.extended_due(DUE) + timedelta(1)]
)
def test_extension_refuses_a_new_day_not_later_or_more_than_six_weeks(new_due):
    """A deferral moves the last day on, by at most six weeks."""
    with pytest.raises(ValueError, match="De brief klopt niet"):
        letters.render(extension(new_due_on=new_due))


# --- the beslissing op bezwaar -----------------------------------------------------------


def test_beslissing_has_the_beroep_clause_and_no_bezwaar_clause():
    """Against a beslissing op bezwaar only beroep is open: the letter names the
    rechtbank Midden-Nederland, its address, the concrete last day, griffierecht and
    the voorlopige voorziening, and never tells the reader to make bezwaar."""
    page = text(beslissing())
    assert "rechtbank Midden-Nederland, sector bestuursrecht" in page
    assert "Postbus 16005, 3500 DA Utrecht" in page
    assert "www.rechtspraak.nl" in page
    last_day = format_date(letters.beroep_deadline(SENT))
    assert f"Dien uw beroepschrift dus uiterlijk op {last_day} in." in page
    assert last_day == "22 februari 2027"
    assert "griffierecht" in page
    assert "voorlopige voorziening" in page
    assert "bezwaar maken" not in page.lower()
    assert "Bent u het niet eens met dit besluit?" not in page
    assert "Bent u het niet eens met deze beslissing?" in page
    assert "Burgemeester en wethouders van Utrecht, namens dezen," in page
    assert "de teamleider Bezwaar en Beroep" in page


def test_the_beroep_last_day_moves_past_the_christmas_days():
    """Sent on Friday 13 November 2026, six weeks end on Christmas Day; the Algemene
    termijnenwet moves the last day to Monday 28 December 2026."""
    page = text(
        beslissing(
            date_sent=date(2026, 11, 13),
            contested_date=date(2026, 9, 1),
            received_on=date(2026, 10, 1),
        )
    )
    assert "uiterlijk op 28 december 2026 in" in page


def test_beslissing_says_what_the_bezwaar_is_about_and_how_we_heard_it():
    """The contested decision, the day of receipt, the grounds in short, and the
    hearing with what was said there."""
    page = text(beslissing())
    assert "Beslissing op uw bezwaar BZ2026-000001" in page
    assert "ons besluit van 23 november 2026 (kenmerk D2026-000123)" in page
    assert "ontvangen op 30 december 2026" in page
    assert "Wij kregen te weinig punten voor bereik." in page
    assert "Op 7 januari 2027 hebben wij u gehoord op een hoorzitting" in page
    assert "veel buren meedoen" in page
    assert "Wij hebben de beoordeling opnieuw bekeken." in page


def test_beslissing_without_a_hearing_names_the_ground_of_7_3():
    """Not heard: the letter names the ground of Awb 7:3 and its motivation."""
    page = text(
        beslissing(
            hearing_on=None,
            hearing_report="",
            waiver=letters.Waiver.OBJECTOR_DECLINED,
            waiver_motivation="U liet ons op 5 januari weten niet te willen komen.",
        )
    )
    assert "Wij hebben u niet gehoord, omdat u heeft laten weten" in page
    assert "artikel 7:3, onder c, van de Awb" in page
    assert "niet te willen komen" in page


def test_a_late_bezwaar_not_excusable_is_niet_ontvankelijk_with_why():
    """Late and not excusable: niet-ontvankelijk, with the term, the day it came in
    and why the lateness is not excused (Awb 6:11)."""
    page = text(
        beslissing(
            letters.Outcome.NOT_ADMISSIBLE,
            received_on=date(2027, 1, 8),
            is_late=True,
            term_end=TERM_END,
            excusable=False,
            excusability_motivation="U gaf geen reden voor de vertraging.",
        )
    )
    assert "Wij verklaren uw bezwaar niet-ontvankelijk." in page
    assert "De termijn voor bezwaar liep tot en met 4 januari 2027" in page
    assert "Wij ontvingen uw bezwaarschrift op 8 januari 2027. Dat is te laat." in page
    assert "niet verschoonbaar" in page
    assert "U gaf geen reden voor de vertraging." in page


def test_ongegrond_keeps_the_decision():
    """Unfounded: the contested decision stays as it was."""
    page = text(beslissing(letters.Outcome.UNFOUNDED))
    assert "Wij verklaren uw bezwaar ongegrond. Ons besluit blijft zoals het was." in (
        page
    )
    assert "Wij herroepen" not in page


def test_gegrond_on_an_afwijzing_grants_with_every_part_of_a_verlening():
    """Well-founded against a refusal: the refusal is revoked and a verlening of the
    new amount takes its place, with activities, period, obligations, how the amount
    becomes final and the payment (Awb 7:11)."""
    page = text(beslissing(letters.Outcome.WELL_FOUNDED))
    assert "Wij verklaren uw bezwaar gegrond." in page
    assert "Wij herroepen ons besluit van 23 november 2026 (kenmerk D2026-000123)." in (
        page
    )
    assert "In plaats daarvan verlenen wij u een subsidie van € 2.450,00" in page
    assert "Elke maand een ideeën-café" in page
    assert "van 1 maart 2027 tot en met 31 december 2027" in page
    for heading in (
        "Uw verplichtingen",
        "Verantwoording en vaststelling",
        "Betaling",
        "Intrekking en terugvordering",
    ):
        assert heading in page
    assert "U bent uiterlijk op 31 december 2027 klaar" in page
    assert "U krijgt een voorschot van € 1.960,00" in page


@pytest.mark.parametrize(
    ("contested", "remedy", "dictum"),
    [
        (
            LetterType.BUITEN_BEHANDELING,
            None,
            "Wij nemen uw aanvraag alsnog in behandeling.",
        ),
        (LetterType.VERLENING, 300_000, "het bedrag van uw subsidie wordt € 3.000,00"),
        (LetterType.WIJZIGING, 200_000, "het bedrag van uw subsidie wordt € 2.000,00"),
        (
            LetterType.VASTSTELLING,
            180_000,
            "stellen wij de subsidie vast op € 1.800,00",
        ),
        (LetterType.INTREKKING, 245_000, "De subsidie is dus niet langer ingetrokken."),
        (LetterType.TERUGVORDERING, 50_000, "vorderen wij € 500,00 terug"),
        (LetterType.TERUGVORDERING, 0, "Wij vorderen niets terug."),
    ],
)
def test_gegrond_puts_the_new_decision_in_place_of_each_kind(contested, remedy, dictum):
    """Each kind of contested decision gets its own new decision; every one revokes
    the old decision by date and kenmerk."""
    page = text(
        beslissing(
            letters.Outcome.WELL_FOUNDED,
            contested_type=contested,
            remedy_cents=remedy,
        )
    )
    assert dictum in page
    assert "Wij herroepen ons besluit van 23 november 2026 (kenmerk D2026-000123)." in (
        page
    )
    if contested is LetterType.BUITEN_BEHANDELING:
        assert "U krijgt een nieuw besluit op uw aanvraag." in page
    assert "Uw verplichtingen" not in page  # no new verlening


def test_the_same_content_gives_the_same_bytes():
    """A stored beslissing can be checked again by its SHA-256."""
    content = beslissing(letters.Outcome.WELL_FOUNDED)
    assert letters.render(content) == letters.render(content)


# --- refusal with an empty mandatory part ------------------------------------------------

BASE_PARTS = [
    ("sender", ""),
    ("contact_name", " "),
    ("contact_phone", ""),
    ("addressee_name", ""),
    ("addressee_address", ()),
    ("date_sent", None),
    ("kenmerk", ""),
    ("objection_reference", ""),
    ("application_reference", ""),
    ("application_title", ""),
    ("received_on", None),
    ("contested_kenmerk", ""),
    ("contested_date", None),
    ("signatory_function", ""),
]
LETTERS = {
    "ontvangstbevestiging": (
        acknowledgement,
        [("term_end", None), ("decision_due_on", None)],
    ),
    "uitnodiging": (invitation, [("hearing_at", None), ("hearing_place", "")]),
    "verdaging": (
        extension,
        [("original_due_on", None), ("new_due_on", None), ("reason", "  ")],
    ),
    "beslissing": (
        beslissing,
        [("reasons", ""), ("outcome", None), ("motivation", "")],
    ),
}
CASES = [
    pytest.param(make, field, empty, id=f"{name}-{field}")
    for name, (make, own) in LETTERS.items()
    for field, empty in BASE_PARTS + own
]


@pytest.mark.parametrize(("make", "field", "empty"), CASES)
def test_each_letter_refuses_an_empty_mandatory_part(make, field, empty):
    """With a mandatory part empty, no letter is made; the error names the part in
    Dutch, as the beschikkingen do."""
    content = make(**{field: empty})
    with pytest.raises(MissingLetterPart) as refused:
        letters.render(content)
    assert refused.value.fields == (field,) or field in refused.value.fields
    assert letters.ObjectionMissingPart((field,)).parts[0] in str(refused.value)
    assert str(refused.value).startswith("De brief kan niet worden gemaakt.")


GRANT_PARTS = [
    ("scheme_name", ""),
    ("legal_basis", ""),
    ("activity_description", ""),
    ("activity_start", None),
    ("activity_end", None),
    ("obligations", ()),
    ("accountability", ""),
    ("remedy_cents", None),
]


@pytest.mark.parametrize(
    ("field", "empty"), GRANT_PARTS, ids=[f for f, _e in GRANT_PARTS]
)
def test_a_grant_in_place_of_a_refusal_refuses_an_empty_part_of_the_verlening(
    field, empty
):
    """A verlening made on bezwaar needs what every verlening needs (ABRvS Weert:
    an obligation not in the verlening cannot be enforced later)."""
    with pytest.raises(MissingLetterPart) as refused:
        letters.render(beslissing(letters.Outcome.WELL_FOUNDED, **{field: empty}))
    assert field in refused.value.fields


@pytest.mark.parametrize(
    ("overrides", "part"),
    [
        ({"hearing_on": None, "hearing_report": ""}, "hearing"),
        ({"hearing_report": " "}, "hearing"),
        ({"is_late": True, "term_end": TERM_END, "excusable": None}, "excusable"),
        (
            {
                "is_late": True,
                "term_end": TERM_END,
                "excusable": False,
                "outcome": letters.Outcome.NOT_ADMISSIBLE,
            },
            "excusability_motivation",
        ),
    ],
    ids=["no-hearing-no-waiver", "hearing-without-report", "late-unjudged", "late-why"],
)
def test_beslissing_refuses_without_the_hearing_or_the_judgement_of_lateness(
    overrides, part
):
    """Heard or a 7:3 ground; a late bezwaar judged and, if not excused, why."""
    with pytest.raises(MissingLetterPart) as refused:
        letters.render(beslissing(**overrides))
    assert part in refused.value.fields


def test_gegrond_on_a_verlening_refuses_without_the_new_amount():
    with pytest.raises(MissingLetterPart) as refused:
        letters.render(
            beslissing(
                letters.Outcome.WELL_FOUNDED,
                contested_type=LetterType.VERLENING,
                remedy_cents=None,
            )
        )
    assert refused.value.fields == ("remedy_cents",)


# --- the services: stored, linked, mailed ------------------------------------------------


def stored_pdf(document):
    with document.file.open("rb") as handle:
        return handle.read()


@pytest.fixture
def decided():
    """``decided(status=..., electronic=...)``: an application with its beschikking."""

    def make(status="toegekend", electronic=False):
        decider = decision_maker()
        applicant = AddressedApplicantFactory(accepts_electronic_decisions=electronic)
        lifecycle = {"toegekend": "awarded", "afgewezen": "rejected"}[status]
        application = ApplicationFactory(
            round=RoundFactory(),
            applicant=applicant,
            decided_by=decider,
            **{lifecycle: True},
        )
        decision, _created = decision_issue(
            application=application,
            actor=decider,
            date_sent=timezone.localdate(),
            notify=False,
        )
        return decision

    return make


@pytest.fixture
def objection_for(decided):
    def make(decision=None, **fields):
        decision = decision or decided()
        received = timezone.localdate()
        term_end = terms.objection_term_end(decision.date_sent)
        values = {
            "reference": f"BZ2026-{Objection.objects.count() + 1:06d}",
            "application": decision.application,
            "decision": decision,
            "channel": "online",
            "objector_name": decision.application.applicant.name,
            "reasons": "Het bedrag is te laag voor de huur van de zaal.",
            "received_on": received,
            "lodged_at": timezone.now(),
            "term_end": term_end,
            "is_late": received > term_end,
            "decision_due_on": terms.decision_due(
                date_sent=decision.date_sent, received_on=received
            ),
        }
        values.update(fields)
        return Objection.objects.create(**values)

    return make


def mails_about(reference):
    return list(OutgoingMail.objects.filter(reference=reference))


@pytest.mark.django_db
@pytest.mark.parametrize("electronic", [False, True])
def test_acknowledgement_is_stored_linked_and_mailed(
    decided, objection_for, electronic
):
    """The ontvangstbevestiging is a letter on the application, the bezwaar points at
    it, its PDF names the term end, and the applicant gets an e-mail with the PDF
    only when they accepted electronic decisions."""
    objection = objection_for(decided(electronic=electronic))
    document = acknowledgement_issue(objection=objection)

    stored = Objection.objects.get(pk=objection.pk)
    assert stored.acknowledgement == document == objection.acknowledgement
    assert document.kind == Document.Kind.LETTER
    pdf = stored_pdf(document)
    assert hashlib.sha256(pdf).hexdigest() == document.sha256
    page = pdf_text(pdf)
    assert objection.reference in page
    assert f"Die termijn liep tot en met {format_date(objection.term_end)}" in page
    assert format_date(objection.decision_due_on) in page
    assert objection.decision.kenmerk in page
    [mail] = mails_about(objection.reference)
    assert mail.to == objection.application.applicant.mail_recipients()
    assert objection.reference in mail.subject
    assert format_date(objection.decision_due_on) in mail.body
    assert bool(mail.attachments) is electronic
    assert ("ook per post" in mail.body) is not electronic


@pytest.mark.django_db
def test_a_bezwaar_is_acknowledged_once(decided, objection_for):
    """Asked twice, the same letter comes back; no second letter or mail."""
    objection = objection_for()
    first = acknowledgement_issue(objection=objection)
    again = acknowledgement_issue(objection=Objection.objects.get(pk=objection.pk))
    assert again == first
    assert Document.objects.filter(kind=Document.Kind.LETTER).count() == 1
    assert len(mails_about(objection.reference)) == 1


@pytest.mark.django_db
def test_invitation_is_stored_with_the_hearing(decided, objection_for):
    """The invitation names the hearing's local day, time and place."""
    hearing = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=10), datetime.min.time())
        + timedelta(hours=19, minutes=30)
    )
    objection = objection_for(hearing_at=hearing, hearing_place="Wijkbureau Noord")
    document = invitation_issue(objection=objection)
    assert Objection.objects.get(pk=objection.pk).hearing_invitation == document
    page = pdf_text(stored_pdf(document))
    assert letters.format_time(timezone.localtime(hearing).replace(tzinfo=None)) in page
    assert "om 19.30 uur" in page and "Wijkbureau Noord" in page
    [mail] = mails_about(objection.reference)
    assert "Wijkbureau Noord" in mail.body


@pytest.mark.django_db
def test_invitation_without_a_place_is_refused_in_dutch(decided, objection_for):
    objection = objection_for(
        hearing_at=timezone.now() + timedelta(days=10), hearing_place=""
    )
    with pytest.raises(ObjectionError, match="plaats van de hoorzitting"):
        invitation_issue(objection=objection)
    assert Objection.objects.get(pk=objection.pk).hearing_invitation is None
    assert not Document.objects.filter(kind=Document.Kind.LETTER).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("extended", [False, True])
def test_extension_names_the_original_and_new_day(decided, objection_for, extended):
    """Before or after the extend step fired, the letter says both last days."""
    objection = objection_for(extension_reason="Wij vragen advies aan de commissie.")
    original = objection.decision_due_on
    new = terms.extended_due(original)
    if extended:
        Objection.objects.filter(pk=objection.pk).update(
            extended_on=timezone.localdate(), decision_due_on=new
        )
        objection.refresh_from_db()
    document = extension_issue(objection=objection)
    assert Objection.objects.get(pk=objection.pk).extension_letter == document
    page = pdf_text(stored_pdf(document))
    assert f"Wij moesten uiterlijk op {format_date(original)}" in page
    assert f"tot uiterlijk {format_date(new)}" in page
    assert "Wij vragen advies aan de commissie." in page
    [mail] = mails_about(objection.reference)
    assert format_date(new) in mail.body and format_date(original) in mail.body


def decided_fields(**fields):
    values = {
        "hearing_waiver": "7:3c",
        "hearing_waiver_motivation": "U wilde niet gehoord worden.",
        "motivation": "Wij hebben uw bezwaar opnieuw bekeken.",
    }
    values.update(fields)
    return values


@pytest.mark.django_db
def test_beslissing_is_a_decision_whose_pdf_agrees_with_the_row(decided, objection_for):
    """Ongegrond: a Decision of kind beslissing op bezwaar with a kenmerk of the
    decision counter, the beroep day as deadline, the contested decision it follows,
    its PDF (SHA-256) saying all that; the bezwaar points at it and a mail is queued."""
    contested = decided()
    objection = objection_for(contested, **decided_fields(outcome="ongegrond"))
    decision = decision_on_objection_issue(objection=objection)

    stored = Decision.objects.get(pk=decision.pk)
    assert stored.kind == DecisionKind.BESLISSING_OP_BEZWAAR
    today = timezone.localdate()
    assert stored.kenmerk == (
        f"D{today.year}-{counters.last_number(prefix=DECISION_PREFIX, year=today.year):06d}"
    )
    assert stored.follows == contested
    assert stored.amount_cents == 0
    assert stored.date_sent == today
    assert stored.bezwaar_deadline == letters.beroep_deadline(today)
    assert stored.document.kind == Document.Kind.DECISION_LETTER
    pdf = stored_pdf(stored.document)
    assert hashlib.sha256(pdf).hexdigest() == stored.sha256 == stored.document.sha256
    page = pdf_text(pdf)
    assert stored.kenmerk in page and contested.kenmerk in page
    assert format_date(stored.bezwaar_deadline) in page
    assert "rechtbank Midden-Nederland" in page
    assert "bezwaar maken" not in page.lower()
    assert "Ons besluit blijft zoals het was." in page
    assert Objection.objects.get(pk=objection.pk).decision_on_objection == stored
    [mail] = mails_about(stored.kenmerk)
    assert objection.reference in mail.subject
    assert format_date(stored.bezwaar_deadline) in mail.body
    assert stored.notified_at is not None


@pytest.mark.django_db
def test_beslissing_gegrond_on_a_refusal_grants_the_remedy(decided, objection_for):
    """Gegrond against an afwijzing: the PDF grants the remedy with the verlening's
    parts; the decision records the amount; with consent the PDF goes along."""
    contested = decided(status="afgewezen", electronic=True)
    objection = objection_for(
        contested, **decided_fields(outcome="gegrond", remedy_cents=200_000)
    )
    decision = decision_on_objection_issue(objection=objection)
    assert decision.amount_cents == 200_000
    page = pdf_text(stored_pdf(decision.document))
    assert f"Wij herroepen ons besluit van {format_date(contested.date_sent)}" in page
    assert "In plaats daarvan verlenen wij u een subsidie van € 2.000,00" in page
    assert "Uw verplichtingen" in page and "Betaling" in page
    [mail] = mails_about(decision.kenmerk)
    assert mail.attachments[0]["name"] == decision.document.original_name


@pytest.mark.django_db
def test_beslissing_with_an_empty_part_is_refused_and_takes_no_kenmerk(
    decided, objection_for
):
    """No motivation: a Dutch error naming it; no decision, no document, no number."""
    objection = objection_for(**decided_fields(outcome="ongegrond", motivation=""))
    year = timezone.localdate().year
    before = counters.last_number(prefix=DECISION_PREFIX, year=year)
    decisions = Decision.objects.count()
    with pytest.raises(ObjectionError, match="motivering"):
        decision_on_objection_issue(objection=objection)
    assert counters.last_number(prefix=DECISION_PREFIX, year=year) == before
    assert Decision.objects.count() == decisions
    assert Objection.objects.get(pk=objection.pk).decision_on_objection is None
    assert not mails_about(objection.reference)


@pytest.mark.django_db
def test_no_bezwaar_letters_against_a_beslissing_op_bezwaar(decided, objection_for):
    """Against a beslissing op bezwaar only beroep is open: its letters are refused."""
    first = objection_for(**decided_fields(outcome="ongegrond"))
    beslist = decision_on_objection_issue(objection=first)
    second = objection_for(beslist)
    with pytest.raises(ObjectionError, match="geen bezwaar"):
        acknowledgement_issue(objection=second)


def test_replace_keeps_content_frozen():
    """The content is a frozen dataclass: a service changes it only by replacing."""
    content = acknowledgement()
    with pytest.raises(dataclasses.FrozenInstanceError):
        content.kenmerk = "x"  # type: ignore[misc]


def _stored_files(storage, path=""):
    """Every file name in ``storage`` under ``path``."""
    directories, files = storage.listdir(path)
    names = {f"{path}/{name}" if path else name for name in files}
    for directory in directories:
        names |= _stored_files(storage, f"{path}/{directory}" if path else directory)
    return names


@pytest.mark.django_db
def test_a_beslissing_refused_by_the_ceiling_leaves_no_letter_in_storage():
    """The beslissing op bezwaar is written before the round's ceiling is checked;
    when the ceiling refuses it, the transaction rolls back and its PDF is removed from
    storage too: no file without its document. A beslissing that goes through keeps
    its PDF."""
    objection = objection_ready(status="afgewezen")
    round_ = objection.application.round
    decided_application(
        round=round_,
        wijk=WijkFactory(code="zuid", name="Zuid"),
        awarded_cents=300_000,
        assessed_by=assessor(),
    )
    Round.objects.filter(pk=round_.pk).update(
        ceiling_cents=round_budget(round_).committed_cents
    )
    objection_record_decision(
        objection=objection,
        outcome=workflow.Outcome.WELL_FOUNDED,
        motivation="De score voor bereik was te laag.",
        remedy_cents=100_000,
        actor=objection.handler,
    )
    storage = Document._meta.get_field("file").storage
    before = _stored_files(storage)
    documents = Document.objects.count()

    with pytest.raises(ObjectionError, match="subsidieplafond"):
        objection_decide(objection=objection, actor=objection.handler)

    assert _stored_files(storage) == before
    assert Document.objects.count() == documents
    assert Objection.objects.get(pk=objection.pk).decision_on_objection is None

    objection_record_decision(
        objection=objection,
        outcome=workflow.Outcome.UNFOUNDED,
        motivation="De score is volgens de matrix gegeven.",
        actor=objection.handler,
    )
    objection_decide(objection=objection, actor=objection.handler)
    letter = Objection.objects.get(pk=objection.pk).decision_on_objection.document
    assert _stored_files(storage) == before | {letter.file.name}
    with letter.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == letter.sha256
