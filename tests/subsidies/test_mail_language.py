"""E-mails that staff or a scheduled job send follow the resident's language (issue 18).

A resident who switches the site to English (and saves, submits or switches while
logged in) gets the request for more information, the decision mail and the bezwaar
mails in English, although the assessor and the decision maker work on Dutch
screens. The letters (PDFs) stay Dutch. A Dutch resident keeps Dutch mails; staff
mails stay Dutch. Each test reads the queued ``OutgoingMail`` back.
"""

import base64
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from accounts import enrolment
from accounts.roles import WIJKBUREAU
from beoordeling.decisions.services.letters import decision_issue
from beoordeling.dutch import format_date
from beoordeling.models import Decision
from subsidies import mail_language, reports, services
from subsidies.models import Applicant, OutgoingMail
from tests.beoordeling.objections.factories import objection_lodged
from tests.factories import (
    AddressedApplicantFactory,
    ApplicationFactory,
    UserFactory,
    decision_maker,
)

pytestmark = pytest.mark.django_db

SETLANG = "/i18n/setlang/"


def english(day):
    """``7 December 2026``: how Django writes ``j F Y`` in English."""
    return f"{day.day} {day:%B} {day.year}"


def resident_of(applicant):
    user = UserFactory(role="Aanvrager")
    applicant.members.add(user)
    return user


def switch(client, user, language):
    """The resident presses the language switch in the header while logged in."""
    client.force_login(user)
    response = client.post(SETLANG, {"language": language, "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == language


def decided(applicant):
    """Awarded through the real services; the beschikking made and announced."""
    decider = decision_maker()
    application = ApplicationFactory(
        applicant=applicant, decided_by=decider, awarded=True
    )
    decision, _created = decision_issue(application=application, actor=decider)
    return application, decision


def mail_about(reference):
    return OutgoingMail.objects.filter(reference=reference).order_by("pk").last()


# --- recording the language ----------------------------------------------------------


def test_the_switch_while_logged_in_sets_the_mail_language_of_every_applicant(client):
    first, second = AddressedApplicantFactory(), AddressedApplicantFactory()
    user = resident_of(first)
    second.members.add(user)
    other = AddressedApplicantFactory()

    switch(client, user, "en")

    assert set(
        Applicant.objects.filter(pk__in=[first.pk, second.pk]).values_list(
            "mail_language", flat=True
        )
    ) == {"en"}
    assert Applicant.objects.get(pk=other.pk).mail_language == "nl"

    switch(client, user, "nl")
    assert Applicant.objects.get(pk=first.pk).mail_language == "nl"


@pytest.mark.parametrize("role", ["Beoordelaar", WIJKBUREAU])
def test_a_switch_without_login_or_by_staff_changes_no_applicant(client, role):
    """Also the wijkbureau: while it fills in a concept it is the applicant's only
    member, and its own language switch must not undo the resident's choice."""
    applicant = AddressedApplicantFactory()
    staff = UserFactory(role=role)
    assert staff.is_municipal_staff
    applicant.members.add(staff)

    response = client.post(SETLANG, {"language": "en", "next": "/"})
    assert response.status_code == 302
    switch(client, staff, "en")

    assert Applicant.objects.get(pk=applicant.pk).mail_language == "nl"


def test_saving_a_step_in_english_records_it_once_and_costs_nothing_after(client):
    application = ApplicationFactory(applicant=AddressedApplicantFactory())
    user = application.applicant_user

    def save_step(language):
        fresh = (
            type(application).objects.select_related("applicant").get(pk=application.pk)
        )
        version = services.application_step_version(application=fresh, step="project")
        saving = services.application_step_saving(
            application=fresh, user=user, step="project", version=version
        )
        with (
            translation.override(language),
            CaptureQueriesContext(connection) as ctx,
            saving,
        ):
            pass
        return [
            q["sql"]
            for q in ctx.captured_queries
            if q["sql"].startswith("UPDATE") and "subsidies_applicant" in q["sql"]
        ]

    assert len(save_step("en")) == 1
    assert Applicant.objects.get(pk=application.applicant_id).mail_language == "en"
    # Unchanged: no query at all for the language (the step is performance-sensitive).
    assert save_step("en") == []
    assert len(save_step("nl")) == 1
    assert Applicant.objects.get(pk=application.applicant_id).mail_language == "nl"


def test_remember_takes_the_active_language_and_keeps_an_unknown_one_dutch():
    applicant = AddressedApplicantFactory()
    with translation.override("en"):
        mail_language.remember(applicant)
    assert Applicant.objects.get(pk=applicant.pk).mail_language == "en"
    mail_language.remember(applicant, "xx")
    assert Applicant.objects.get(pk=applicant.pk).mail_language == "nl"


# --- the mails staff send -------------------------------------------------------------


def test_an_english_resident_gets_the_request_for_more_information_in_english(
    client,
):
    applicant = AddressedApplicantFactory()
    switch(client, resident_of(applicant), "en")

    # The assessor asks on a Dutch screen.
    with translation.override("nl"):
        application = ApplicationFactory(
            applicant=applicant,
            supplement_requested=True,
            supplement_message="Stuur de lijst met handtekeningen mee.",
        )

    mail = mail_about(application.reference)
    due = timezone.localdate() + timedelta(days=14)
    assert mail.subject == (
        f"We need more information for your application {application.reference}"
    )
    assert f"Dear {applicant.contact_name}," in mail.body
    assert "We need more information from you before we can decide" in mail.body
    assert "This is missing:\nStuur de lijst met handtekeningen mee." in mail.body
    assert f"Send the extra information by {english(due)} at the latest." in mail.body
    assert (
        f"Contact the wijkbureau (district office) and mention the reference "
        f"{application.reference}." in mail.body
    )
    assert "Kind regards," in mail.body
    assert "Wij hebben" not in mail.body and "Beste" not in mail.body


def test_a_dutch_resident_still_gets_the_request_in_dutch():
    with translation.override("en"):  # whatever the assessor's browser says
        application = ApplicationFactory(
            applicant=AddressedApplicantFactory(), supplement_requested=True
        )
    mail = mail_about(application.reference)
    due = timezone.localdate() + timedelta(days=14)
    assert mail.subject == (
        f"Wij hebben meer informatie nodig voor uw aanvraag {application.reference}"
    )
    assert f"Stuur de aanvulling uiterlijk op {format_date(due)}." in mail.body
    assert "Met vriendelijke groet," in mail.body


def test_an_english_resident_gets_the_decision_mail_in_english_with_the_dutch_pdf(
    client,
):
    applicant = AddressedApplicantFactory(accepts_electronic_decisions=True)
    switch(client, resident_of(applicant), "en")

    with translation.override("nl"):
        application, decision = decided(applicant)

    mail = mail_about(decision.kenmerk)
    assert mail.subject == f"Decision on your application {application.reference}"
    assert (
        f"We have made a decision on your application {application.reference} "
        f"('{application.title}'). The decision has the reference "
        f"{decision.kenmerk}." in mail.body
    )
    assert "The decision itself is in Dutch, the language of our file." in mail.body
    assert "That is why we also attach the decision (PDF)." in mail.body
    assert (
        f"You can do this until and including {english(decision.bezwaar_deadline)}"
        in mail.body
    )
    assert "Besluit" not in mail.body
    # The beschikking itself stays Dutch.
    (attachment,) = mail.attachments
    assert attachment["name"] == f"beschikking-{decision.kenmerk}.pdf"
    assert base64.b64decode(attachment["content"]).startswith(b"%PDF")
    assert Decision.objects.get(pk=decision.pk).document.original_name.startswith(
        "beschikking-"
    )


def test_switching_back_to_dutch_makes_the_next_mail_dutch(client):
    applicant = AddressedApplicantFactory()
    user = resident_of(applicant)
    switch(client, user, "en")
    switch(client, user, "nl")

    application, decision = decided(applicant)

    mail = mail_about(decision.kenmerk)
    assert mail.subject == f"Besluit op uw aanvraag {application.reference}"
    assert (
        f"Het besluit heeft kenmerk {decision.kenmerk}." in mail.body
        and f"Dat kan tot en met {format_date(decision.bezwaar_deadline)}" in mail.body
    )
    assert "Het besluit zelf is in het Nederlands" not in mail.body


def test_the_bezwaar_mails_follow_the_language_too(client):
    applicant = AddressedApplicantFactory()
    switch(client, resident_of(applicant), "en")
    application, decision = decided(applicant)

    with translation.override("nl"):
        objection = objection_lodged(decision=decision)

    mail = mail_about(objection.reference)
    assert mail.subject == (
        f"Confirmation of receipt of your objection {objection.reference}"
    )
    assert (
        f"We received your objection to decision {decision.kenmerk} on "
        f"{english(timezone.localdate())}." in mail.body
    )
    assert "You will also receive the letter by post." in mail.body
    assert "The letter itself is in Dutch, the language of our file." in mail.body


def test_the_verantwoording_reminder_of_the_scheduler_follows_the_language(client):
    applicant = AddressedApplicantFactory()
    switch(client, resident_of(applicant), "en")
    application = ApplicationFactory(applicant=applicant, awarded=True)
    due = application.report_due_on

    # The scheduled job runs without a request: Dutch is active.
    with translation.override("nl"):
        assert reports.send_report_reminders(today=due - timedelta(days=14)) == 1

    mail = mail_about(application.reference)
    assert mail.subject == f"Reminder: report for {application.reference}"
    assert english(due) in mail.body
    assert "Kind regards," in mail.body


def test_staff_mails_stay_dutch(client):
    staff = UserFactory(role="Beoordelaar")
    switch(client, staff, "en")
    beheerder = UserFactory(role="Beheerder")

    enrolment.invite(user=staff, by=beheerder, reason="new account")

    mail = OutgoingMail.objects.filter(to=[staff.email]).last()
    assert mail.subject == "Stel uw tweede stap in voor het Initiatiefloket"
