"""Aanvragen met hulp (issue 18): the wijkbureau fills in an application for a
resident, records the consent, hands it over (e-mail link or printed code for DigiD);
the resident continues and sends it; the staff member never assesses it; the
transition log names who did what."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import LoginIdentity, User
from accounts.roles import ASSESSOR, ASSIST_APPLICATION, DECISION_MAKER, WIJKBUREAU
from beoordeling.assessment import selectors as assessment_selectors
from beoordeling.assessment import services as assessment
from beoordeling.decisions.services import decisions
from beoordeling.models import AllocationRun, DecisionError
from subsidies import demo_assisted, services, services_assisted
from subsidies.models import (
    ApplicationAssistance,
    ConsentMethod,
    OutgoingMail,
    TransitionLog,
)
from subsidies.workflow import Status
from tests.factories import (
    TeamFactory,
    UserFactory,
    decision_maker,
    team_assessor,
)
from tests.factories import _assessed as assess_through_the_rubric
from tests.factories import _decide as decide_through_the_service

pytestmark = pytest.mark.django_db

FILLED_IN_BY = "ingevuld door Wendy Wijkhuis (wijkbureau) namens de aanvrager"


def _date(days):
    return (timezone.localdate() + timedelta(days=days)).strftime("%d-%m-%Y")


@pytest.fixture(autouse=True)
def no_second_factor(settings):
    settings.STAFF_REQUIRE_2FA = False


def step(application, slug):
    return reverse("met_hulp:step", args=[application.reference, slug])


def start(client, scheme, **fields):
    data = {
        "scheme": scheme.pk,
        "resident_name": "Fatima Bakkali",
        "resident_email": "fatima@example.nl",
        "resident_phone": "06 12345678",
        **fields,
    }
    response = client.post(reverse("met_hulp:start"), data)
    assistance = ApplicationAssistance.objects.get(resident_name=data["resident_name"])
    assert response["Location"] == step(assistance.application, "organisatie")
    return assistance


def fill_every_step(client, application, choices):
    """The five steps the staff member fills in, each with 'Opslaan en verder'."""
    answers = [
        (
            "organisatie",
            {
                "kind": "bewonersgroep",
                "name": "Bewoners Hoograven",
                "contact_name": "Fatima Bakkali",
                "contact_email": "fatima@example.nl",
                "contact_phone": "06 12345678",
                "street": "Hoofdstraat 2",
                "postcode": "3526 AB",
                "city": "Utrecht",
                "iban": "NL91ABNA0417164300",
                "account_holder": "F. Bakkali",
            },
        ),
        (
            "initiatief",
            {
                "title": "Buurtmaaltijd Hoograven",
                "summary": "Elke maand koken buren voor buren.",
                "wijk": choices["wijk"].pk,
                "buurten": [choices["buurt"].pk],
                "activity_start": _date(40),
                "activity_end": _date(120),
                "target_groups": [choices["group"].pk],
                "themes": [choices["theme"].pk],
                "partners-TOTAL_FORMS": "0",
                "partners-INITIAL_FORMS": "0",
            },
        ),
        (
            "impact",
            {
                "impact_plan": "Buren leren elkaar kennen.",
                "expected_reach": "40",
                "volunteers": "6",
                "q_toegankelijk": "ja",
            },
        ),
        (
            "begroting",
            {
                "lines-TOTAL_FORMS": "1",
                "lines-INITIAL_FORMS": "0",
                "lines-0-category": "materiaal",
                "lines-0-description": "Pannen en borden",
                "lines-0-amount": "450",
                "other-TOTAL_FORMS": "0",
                "other-INITIAL_FORMS": "0",
            },
        ),
    ]
    for slug, data in answers:
        response = client.post(step(application, slug), {**data, "action": "next"})
        assert response.status_code == 302, (slug, response.content[:2000])
    pdf = SimpleUploadedFile(
        "handtekeningen.pdf",
        b"%PDF-1.4\nhandtekeningen",
        content_type="application/pdf",
    )
    response = client.post(
        step(application, "bijlagen"),
        {"kind": "draagvlak", "file": pdf, "action": "upload"},
    )
    assert response["Location"] == step(application, "bijlagen")
    response = client.post(
        step(application, "bijlagen"), {"kind": "draagvlak", "action": "next"}
    )
    # After the last of the staff member's steps: the consent.
    assert response["Location"] == reverse(
        "met_hulp:consent", args=[application.reference]
    )


def record_consent(client, application, **fields):
    # The consent lies between the start of the application and now.
    given = timezone.localtime()
    data = {
        "method": ConsentMethod.IN_PERSON,
        "given_at": given.strftime("%Y-%m-%dT%H:%M"),
        "note": "Mevrouw kwam met haar buurman aan de balie.",
        "confirmed": "on",
        **fields,
    }
    return client.post(reverse("met_hulp:consent", args=[application.reference]), data)


def log_of(application):
    return list(
        TransitionLog.objects.filter(application=application)
        .order_by("at", "pk")
        .values_list("transition", "actor_label", "reason")
    )


def test_the_staff_member_fills_every_step_and_records_consent(
    client, scheme, staff, choices
):
    """Started at the wijkbureau, every step stored as the resident's own form stores
    it, the consent with how and when, and a log line per step naming the staff
    member; the resident's pages do not show the concept yet."""
    client.force_login(staff)
    assistance = start(client, scheme)
    application = assistance.application
    fill_every_step(client, application, choices)

    page = client.get(step(application, "begroting"))
    assert "U vult deze aanvraag in namens Fatima Bakkali" in page.content.decode()

    response = record_consent(client, application, confirmed="")
    assert "Bevestig dat de bewoner ermee instemt" in response.content.decode()
    assert not ApplicationAssistance.objects.get(pk=assistance.pk).has_consent
    response = record_consent(client, application)
    assert response["Location"] == reverse(
        "met_hulp:handover", args=[application.reference]
    )

    application.refresh_from_db()
    applicant = application.applicant
    assert (applicant.kind, applicant.name, applicant.iban) == (
        "bewonersgroep",
        "Bewoners Hoograven",
        "NL91ABNA0417164300",
    )
    assert application.title == "Buurtmaaltijd Hoograven"
    assert application.answers["toegankelijk"] is True
    assert list(
        application.budget_lines.values_list("description", "amount_cents")
    ) == [("Pannen en borden", 45000)]
    assert list(application.documents.values_list("original_name", "kind")) == [
        ("handtekeningen.pdf", "draagvlak")
    ]
    assert application.created_by == staff
    assert application.status == Status.DRAFT
    stored = ApplicationAssistance.objects.get(pk=assistance.pk)
    assert (stored.resident_email, stored.resident_phone, stored.route) == (
        "fatima@example.nl",
        "06 12345678",
        "email",
    )
    assert stored.consent_method == ConsentMethod.IN_PERSON
    assert stored.consent_note == "Mevrouw kwam met haar buurman aan de balie."
    assert timezone.now() - stored.consent_given_at < timedelta(minutes=22)

    log = log_of(application)
    assert [row[0] for row in log] == [
        "met_hulp_gestart",
        *["met_hulp_stap"] * 6,
        "met_hulp_toestemming",
    ]
    assert {row[1] for row in log} == {"Wendy Wijkhuis (wijkbureau)"}
    assert all(FILLED_IN_BY in row[2] or "Wendy Wijkhuis" in row[2] for row in log)
    assert f"Stap 'Begroting' {FILLED_IN_BY}." in [row[2] for row in log]
    assert "Aan de balie van het wijkbureau" in log[-1][2]

    # The resident's own pages refuse the staff member: the concept is not theirs.
    assert (
        client.get(
            reverse("subsidies:resume", args=[application.reference])
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("subsidies:detail", args=[application.reference])
        ).status_code
        == 404
    )


def test_no_hand_over_without_consent(client, scheme, staff):
    """The hand-over is refused until the consent is recorded; nothing changes."""
    client.force_login(staff)
    assistance = start(client, scheme)
    url = reverse("met_hulp:handover", args=[assistance.application.reference])
    for action in ("email", "code"):
        response = client.post(url, {"action": action})
        assert (
            "Leg eerst vast hoe de bewoner toestemming gaf" in response.content.decode()
        )
    stored = ApplicationAssistance.objects.get(pk=assistance.pk)
    assert stored.handed_over_at is None and stored.handover_code_hash is None
    assert assistance.application.applicant.members.get() == staff


def test_hand_over_by_e_mail_then_the_resident_sends_it_and_the_staff_member_may_not_assess(
    client, scheme, staff, choices, django_capture_on_commit_callbacks
):
    """The e-mail route: the resident's account gets the concept and a login link that
    opens it; the staff member can no longer edit it; the resident sends it; the
    staff member, also an assessor, is refused as its assessor; the log says who."""
    client.force_login(staff)
    assistance = start(client, scheme)
    application = assistance.application
    fill_every_step(client, application, choices)
    record_consent(client, application)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("met_hulp:handover", args=[application.reference]),
            {"action": "email"},
        )
    assert response["Location"] == reverse("met_hulp:index")

    resident = User.objects.get(email="fatima@example.nl")
    assert list(application.applicant.members.all()) == [resident]
    note = OutgoingMail.objects.get(reference=application.reference)
    assert note.to == ["fatima@example.nl"]
    assert "Het wijkbureau (Wendy Wijkhuis) heeft samen met u aanvraag" in note.body
    magic = reverse("accounts:magic_link")
    (link,) = [
        found
        for message in mail.outbox
        if message.to == ["fatima@example.nl"]
        for found in re.findall(r"https?://\S+", message.body)
        if magic in found
    ]

    # The staff member can no longer change it.
    response = client.get(step(application, "begroting"))
    assert response["Location"] == reverse("met_hulp:index")
    response = client.post(
        reverse("subsidies:step", args=[application.reference, "begroting"]),
        {"action": "next"},
    )
    assert response.status_code == 404

    # The resident opens the link, logs in and lands on the concept.
    client.logout()
    parts = urlsplit(link)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    response = client.post(parts.path, query)
    assert response["Location"] == reverse(
        "subsidies:resume", args=[application.reference]
    )
    response = client.get(response["Location"])
    # At "Controleren en versturen": the resident checks it all and sends it.
    assert response["Location"] == reverse(
        "subsidies:step", args=[application.reference, "controle"]
    )
    assert (
        "Buurtmaaltijd Hoograven" in client.get(response["Location"]).content.decode()
    )
    response = client.post(
        reverse("subsidies:step", args=[application.reference, "controle"]),
        {"truthful_declaration": "on", "action": "submit"},
    )
    assert response["Location"] == reverse(
        "subsidies:received", args=[application.reference]
    )
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED

    log = TransitionLog.objects.filter(application=application).order_by("at", "pk")
    who = [(row.transition, row.actor) for row in log]
    assert who[0] == ("met_hulp_gestart", staff)
    assert ("met_hulp_overgedragen", staff) in who
    assert who[-1] == ("submit", resident)
    handover = log.get(transition="met_hulp_overgedragen")
    assert "inloglink per e-mail, door Wendy Wijkhuis (wijkbureau)" in handover.reason

    # Never assessed by who filled it in: not as assessor, not assigned.
    staff.groups.add(Group.objects.get(name=ASSESSOR))
    staff = User.objects.get(pk=staff.pk)
    TeamFactory(members=[staff], wijken=[application.wijk])
    colleague = team_assessor(application)
    with pytest.raises(assessment.AssessmentError) as refused:
        assessment.assessor_assign(
            application=application, assessor=staff, actor=colleague
        )
    assert "Wendy Wijkhuis heeft deze aanvraag aan het wijkbureau" in str(refused.value)
    with pytest.raises(assessment.AssessmentError):
        assessment.supplement_request(
            application=application,
            actor=staff,
            message="Stuur de lijst mee.",
            due_on=timezone.localdate() + timedelta(days=14),
        )
    assert not application.assessments.exists()
    # No screen offers them a step, and the assessor list leaves them out.
    assert not assessment_selectors.may_act(staff, application)
    assert assessment_selectors.offered_transitions(staff, application) == frozenset()
    assert staff not in assessment_selectors.assessor_candidates(application)

    # Two other assessors of the team take it through the rubric to the end.
    application = assess_through_the_rubric(application)
    assert application.status == Status.ASSESSED
    assessors = {a.assessor for a in application.assessments.all()}
    assert len(assessors) == 2 and staff not in assessors
    with pytest.raises(assessment.AssessmentError, match="wijkbureau"):
        assessment.assessment_complete(application=application, actor=staff)

    # Nor does who filled it in decide on it, as a decision maker.
    staff.groups.add(Group.objects.get(name=DECISION_MAKER))
    staff = User.objects.get(pk=staff.pk)
    if application.round.scheme.allocation_mode == "receipt":
        with pytest.raises(DecisionError, match="wijkbureau"):
            decisions.application_decide_by_receipt(
                application=application, actor=staff
            )
    else:
        run = decisions.allocation_run_create(round=application.round, actor=staff)
        with pytest.raises(DecisionError, match="wijkbureau"):
            decisions.allocation_run_fix(run=run, actor=staff)
        AllocationRun.objects.filter(pk=run.pk).delete()
    other = decision_maker()
    application = decide_through_the_service(application, other)
    assert application.status in (Status.AWARDED, Status.REJECTED)
    log = TransitionLog.objects.filter(application=application).order_by("at", "pk")
    actors = [(row.transition, row.actor) for row in log]
    assert actors[0] == ("met_hulp_gestart", staff)
    assert ("submit", resident) in actors
    assert actors[-1][1] == other
    assert all(
        actor != staff for _t, actor in actors[actors.index(("submit", resident)) :]
    )


def _digid_resident(**kwargs):
    user = User.objects.create_identified_user(**kwargs)
    LoginIdentity.objects.create(
        user=user,
        provider=LoginIdentity.Provider.DIGID,
        subject_hash=f"{user.pk:064d}",
    )
    return user


def _code_handover(client, scheme, staff, name="Henk de Vries"):
    client.force_login(staff)
    assistance = start(
        client, scheme, resident_name=name, resident_email="", no_email="on"
    )
    record_consent(client, assistance.application, method=ConsentMethod.PHONE)
    response = client.post(
        reverse("met_hulp:handover", args=[assistance.application.reference]),
        {"action": "code"},
    )
    html = response.content.decode()
    code = re.search(r'class="code">([A-Z0-9-]+)<', html).group(1)
    client.logout()
    return ApplicationAssistance.objects.get(pk=assistance.pk), code, html


def test_hand_over_by_code_for_digid(client, scheme, staff):
    """The DigiD route: the printed sheet shows the code once (only its hash is
    stored); a resident logged in with DigiD types it and the concept is theirs; a
    wrong code gets a clear Dutch error; a used code works no more."""
    assistance, code, sheet = _code_handover(client, scheme, staff)
    assert "/aanvraag-overnemen/" in sheet and "Log in met DigiD." in sheet
    assert assistance.route == "digid" and assistance.handed_over_at is not None
    assert assistance.handover_code_hash and code not in assistance.handover_code_hash
    assert code.replace("-", "") not in str(
        ApplicationAssistance.objects.filter(pk=assistance.pk).values().get()
    )
    assert not assistance.application.applicant.members.exists()

    resident = _digid_resident()
    client.force_login(resident)
    url = reverse("overnemen:claim")
    response = client.post(url, {"code": "AAAA-BBBB-CCCC"})
    assert "Deze code klopt niet." in response.content.decode()
    assert not assistance.application.applicant.members.exists()

    response = client.post(url, {"code": code.lower().replace("-", " ")})
    reference = assistance.application.reference
    assert response["Location"] == reverse("subsidies:resume", args=[reference])
    assert list(assistance.application.applicant.members.all()) == [resident]
    claimed = ApplicationAssistance.objects.get(pk=assistance.pk)
    assert claimed.claimed_by == resident and claimed.handover_code_used_at
    row = TransitionLog.objects.get(
        application=assistance.application, transition="met_hulp_overgenomen"
    )
    assert row.actor == resident
    handed = TransitionLog.objects.get(
        application=assistance.application, transition="met_hulp_overgedragen"
    )
    assert handed.actor == staff and "overdrachtscode voor DigiD" in handed.reason
    consent = TransitionLog.objects.get(
        application=assistance.application, transition="met_hulp_toestemming"
    )
    assert "Aan de telefoon" in consent.reason
    assert (
        client.get(reverse("subsidies:my_applications"))
        .content.decode()
        .count(reference)
    )

    other = _digid_resident()
    client.force_login(other)
    response = client.post(url, {"code": code})
    assert "Iemand gebruikte deze code al." in response.content.decode()
    assert list(assistance.application.applicant.members.all()) == [resident]


def test_an_expired_code_and_too_many_tries_are_refused(client, scheme, staff):
    """A code past its date is refused with its own message; after five tries in a
    quarter the limiter stops even a right code; an e-mail account cannot claim."""
    assistance, code, _sheet = _code_handover(client, scheme, staff)
    ApplicationAssistance.objects.filter(pk=assistance.pk).update(
        handover_code_expires_at=timezone.now() - timedelta(minutes=1)
    )
    resident = _digid_resident()
    client.force_login(resident)
    url = reverse("overnemen:claim")
    response = client.post(url, {"code": code})
    assert "Deze code is te oud en werkt niet meer." in response.content.decode()

    second, code2, _sheet = _code_handover(client, scheme, staff, name="Kees Jansen")
    client.force_login(resident)
    for _attempt in range(services_assisted.CLAIM_LIMIT_PER_USER - 1):
        client.post(url, {"code": "XXXX-XXXX-XXXX"})
    response = client.post(url, {"code": code2})
    assert "U probeerde te vaak een code." in response.content.decode()
    assert not second.application.applicant.members.exists()

    by_email = UserFactory(role="Aanvrager")
    client.force_login(by_email)
    response = client.post(url, {"code": code2})
    assert "Log in met DigiD" in response.content.decode()
    assert not second.application.applicant.members.exists()


def test_who_may_reach_the_wijkbureau_screens(client, scheme, staff):
    """Only the staff member who started a concept works on it: a colleague of the
    wijkbureau gets a 404, an assessor is sent back to the dashboard, a resident is
    refused, the anonymous go to the staff login."""
    client.force_login(staff)
    assistance = start(client, scheme)
    reference = assistance.application.reference
    urls = [
        step(assistance.application, "organisatie"),
        reverse("met_hulp:consent", args=[reference]),
        reverse("met_hulp:handover", args=[reference]),
    ]
    colleague = UserFactory(role=WIJKBUREAU)
    client.force_login(colleague)
    assert client.get(reverse("met_hulp:index")).status_code == 200
    assert reference not in client.get(reverse("met_hulp:index")).content.decode()
    for url in urls:
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("met_hulp:handover", args=[reference]), {"action": "code"}
    )
    assert response.status_code == 404

    client.force_login(UserFactory(role=ASSESSOR))
    for url in [reverse("met_hulp:index"), reverse("met_hulp:start"), *urls]:
        response = client.get(url)
        assert response["Location"] == reverse("wagtailadmin_home"), url

    client.force_login(UserFactory(role="Aanvrager"))
    assert client.get(urls[0]).status_code == 403
    client.logout()
    assert client.get(urls[0])["Location"].startswith(reverse("wagtailadmin_login"))
    stored = ApplicationAssistance.objects.get(pk=assistance.pk)
    assert stored.handed_over_at is None and stored.consent_method == ""


def test_the_demo_seeds_a_wijkbureau_user_and_one_assisted_concept_once(scheme):
    """``seed_assisted``: the Wijkbureau login and one concept for a resident without
    e-mail, filled in and with the consent recorded, ready to hand over with a code;
    a second run adds nothing."""
    user = demo_assisted.seed_assisted()
    assert demo_assisted.seed_assisted() == user
    (assistance,) = ApplicationAssistance.objects.all()
    assert assistance.assisted_by == user
    assert User.objects.get(pk=user.pk).has_perm(ASSIST_APPLICATION)
    assert user.check_password(demo_assisted.WIJKBUREAU_LOGIN[3])
    assert assistance.has_consent and assistance.handed_over_at is None
    assert (assistance.route, assistance.resident_name) == ("digid", "Gerda Smit")
    application = assistance.application
    assert application.title == "Koffieochtend in de flat"
    assert application.requested_cents == 60000
    assert list(application.applicant.members.all()) == [user]
    assert list(
        TransitionLog.objects.filter(application=application)
        .order_by("at", "pk")
        .values_list("transition", "actor_label")
    ) == [
        ("met_hulp_gestart", "Wendy Wijkhuis (wijkbureau)"),
        ("met_hulp_toestemming", "Wendy Wijkhuis (wijkbureau)"),
    ]


def test_my_applications_links_to_the_claim_page(client):
    """ "Mijn aanvragen" shows the link to take over an application from the
    wijkbureau with the printed code."""
    resident = UserFactory()
    client.force_login(resident)
    page = client.get(reverse("subsidies:my_applications")).content.decode()
    assert 'href="/aanvraag-overnemen/"' in page
    assert "Aanvraag van het wijkbureau overnemen" in page


def test_a_lost_or_expired_code_is_replaced_by_a_new_one(client, scheme, staff):
    """The staff member who handed over with a code makes a new one from the list
    (Overgedragen, "Nieuwe code maken"): the old code stops working, the new one
    works for another 30 days, the log says who made it; a claimed concept gets no
    new code, a colleague gets a 404."""
    assistance, old_code, _sheet = _code_handover(client, scheme, staff)
    ApplicationAssistance.objects.filter(pk=assistance.pk).update(
        handover_code_expires_at=timezone.now() - timedelta(days=1)
    )
    reference = assistance.application.reference
    url = reverse("met_hulp:reissue_code", args=[reference])
    client.force_login(staff)
    listing = client.get(reverse("met_hulp:index")).content.decode()
    assert url in listing and "Nieuwe code maken" in listing

    colleague = UserFactory(role=WIJKBUREAU)
    client.force_login(colleague)
    assert client.post(url).status_code == 404

    client.force_login(staff)
    response = client.post(url)
    assert "no-store" in response["Cache-Control"]
    new_code = re.search(
        r'class="code">([A-Z0-9-]+)<', response.content.decode()
    ).group(1)
    assert new_code != old_code
    renewed = ApplicationAssistance.objects.get(pk=assistance.pk)
    assert renewed.handover_code_expires_at > timezone.now() + timedelta(days=29)
    row = TransitionLog.objects.get(
        application=assistance.application, transition="met_hulp_nieuwe_code"
    )
    assert row.actor == staff and "Nieuwe overdrachtscode" in row.reason

    resident = _digid_resident()
    client.force_login(resident)
    claim = reverse("overnemen:claim")
    assert (
        "Deze code klopt niet."
        in client.post(claim, {"code": old_code}).content.decode()
    )
    assert client.post(claim, {"code": new_code})["Location"] == reverse(
        "subsidies:resume", args=[reference]
    )

    client.force_login(staff)
    response = client.post(url, follow=True)
    assert "al overgenomen" in response.content.decode()
    assert ApplicationAssistance.objects.get(pk=assistance.pk).claimed_by == resident


def test_a_code_made_before_a_key_rotation_still_works(client, scheme, staff, settings):
    """A code printed before the SECRET_KEY changed works with the old key among
    SECRET_KEY_FALLBACKS."""
    assistance, code, _sheet = _code_handover(client, scheme, staff)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "een-nieuwe-sleutel-" + "x" * 40
    resident = _digid_resident()
    client.force_login(resident)
    response = client.post(reverse("overnemen:claim"), {"code": code})
    assert response["Location"] == reverse(
        "subsidies:resume", args=[assistance.application.reference]
    )
    assert list(assistance.application.applicant.members.all()) == [resident]


def test_a_code_for_an_application_that_is_no_concept_is_refused(client, scheme, staff):
    """A code of a concept withdrawn meanwhile does not take it over."""
    assistance, code, _sheet = _code_handover(client, scheme, staff)
    type(assistance.application).objects.filter(pk=assistance.application_id).update(
        status=Status.WITHDRAWN
    )
    resident = _digid_resident()
    client.force_login(resident)
    response = client.post(reverse("overnemen:claim"), {"code": code})
    assert "geen concept meer" in response.content.decode()
    assert not assistance.application.applicant.members.exists()


def test_consent_may_come_before_the_start_but_not_long_before(client, scheme, staff):
    """Consent given by phone the day before is recorded as it was; one of more than
    90 days before the start is refused, and nothing is stored."""
    client.force_login(staff)
    assistance = start(client, scheme)
    started = timezone.localtime(assistance.started_at)
    too_old = started - timedelta(days=91)
    response = record_consent(
        client, assistance.application, given_at=too_old.strftime("%Y-%m-%dT%H:%M")
    )
    assert "Deze toestemming is te oud" in response.content.decode()
    assert not ApplicationAssistance.objects.get(pk=assistance.pk).has_consent
    day_before = (started - timedelta(days=1)).replace(second=0, microsecond=0)
    record_consent(
        client, assistance.application, given_at=day_before.strftime("%Y-%m-%dT%H:%M")
    )
    stored = ApplicationAssistance.objects.get(pk=assistance.pk)
    assert stored.has_consent
    assert stored.consent_given_at == day_before


def test_the_staff_member_removes_a_file_on_their_page_and_the_log_says_so(
    client, scheme, staff
):
    """Removing a file of the concept: back to the staff member's step (also when it
    fails), the file gone, a log line naming the staff member; the resident's pages
    of that concept are 404 for the staff member before the hand-over."""
    client.force_login(staff)
    assistance = start(client, scheme)
    application = assistance.application
    pdf = SimpleUploadedFile(
        "lijst.pdf", b"%PDF-1.4\nlijst", content_type="application/pdf"
    )
    client.post(
        step(application, "bijlagen"),
        {"kind": "draagvlak", "file": pdf, "action": "upload"},
    )
    document = application.documents.get()
    assert (
        client.get(
            reverse("subsidies:detail", args=[application.reference])
        ).status_code
        == 404
    )
    url = reverse("met_hulp:document_delete", args=[application.reference, document.pk])
    response = client.post(url)
    assert response["Location"] == step(application, "bijlagen")
    assert not application.documents.exists()
    row = TransitionLog.objects.get(
        application=application, transition="met_hulp_bestand_verwijderd"
    )
    assert (
        row.actor == staff and "lijst.pdf" in row.reason and FILLED_IN_BY in row.reason
    )
    assert client.post(url).status_code == 404


def test_a_staff_members_own_application_never_copies_the_residents_details(
    client, scheme, staff, choices
):
    """While they fill in a resident's concept, the staff member is a member of the
    resident's applicant; an application they start on the public site for themselves
    still starts empty, never with the resident's name, address or IBAN."""
    client.force_login(staff)
    assistance = start(client, scheme)
    fill_every_step(client, assistance.application, choices)
    resident = assistance.application.applicant
    resident.refresh_from_db()
    assert resident.iban and resident.street
    own = services.application_start(scheme=scheme, user=staff)
    mine = own.applicant
    assert mine.pk != resident.pk
    assert (mine.name, mine.iban, mine.street) == ("", "", "")
    assert mine.contact_email == staff.email


def test_a_step_saved_with_a_mistake_is_in_the_log_too(client, scheme, staff):
    """The valid parts of a step with a mistake are stored, and the log names the
    staff member for that save as for any other."""
    client.force_login(staff)
    assistance = start(client, scheme)
    application = assistance.application
    before = [row for row in log_of(application) if row[0] == "met_hulp_stap"]
    response = client.post(
        step(application, "impact"),
        {
            "impact_plan": "Buren leren elkaar kennen.",
            "expected_reach": "veel",
            "action": "next",
        },
    )
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.impact_plan == "Buren leren elkaar kennen."
    after = [row for row in log_of(application) if row[0] == "met_hulp_stap"]
    assert len(after) == len(before) + 1
    assert "wijkbureau" in after[-1][1]
