"""E-mails that staff or a scheduled job send follow the resident's language (issue 18).

A resident who switches the site to English (and saves, submits or switches while
logged in) gets the request for more information, the decision mail and the bezwaar
mails in English, although the assessor and the decision maker work on Dutch
screens. The letters (PDFs) stay Dutch. A Dutch resident keeps Dutch mails; staff
mails stay Dutch. Each test reads the queued ``OutgoingMail`` back.
"""

import base64
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from accounts import enrolment
from accounts.models import LoginIdentity
from accounts.roles import WIJKBUREAU
from beoordeling.decisions.services.letters import decision_issue
from beoordeling.dutch import format_date
from beoordeling.models import Decision
from portal.shared import language
from subsidies import changes, mail_language, reports, services
from subsidies.models import (
    Applicant,
    ApplicationAssistance,
    ChangeRequest,
    OutgoingMail,
)
from subsidies.workflow import Status
from tests.beoordeling.objections.factories import objection_lodged
from tests.factories import (
    AddressedApplicantFactory,
    ApplicationFactory,
    UserFactory,
    decision_maker,
)
from tests.services.oidc_provider import (
    DIGID_MIDDEN,
    TIMEOUT,
    portal_logout,
    portal_session,
    provider_login,
)
from tests.subsidies import test_assisted as assisted

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


# --- only a chosen language counts; the login brings the recorded one back -----------


@pytest.fixture
def wijkbureau(settings, staff):
    settings.STAFF_REQUIRE_2FA = False
    return staff


def stored_language(application):
    return Applicant.objects.get(pk=application.applicant_id).mail_language


def the_next_resident_starts_in_dutch(client):
    """A shared computer (a buurthuis): the language adopted at login left no cookie
    behind; after the logout the page is Dutch again, and the next resident who logs
    in and saves does not record the previous resident's English."""
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies
    assert client.post(reverse("accounts:logout")).status_code == 302
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="nl"' in page
    assert "U bent uitgelogd." in page
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies

    neighbour = ApplicationFactory(applicant=AddressedApplicantFactory())
    client.force_login(neighbour.applicant_user)
    page = client.get(reverse("subsidies:my_applications")).content.decode()
    assert '<html lang="nl"' in page
    save_impact_step(client, neighbour)
    assert stored_language(neighbour) == "nl"


def save_impact_step(client, application):
    """The resident changes a step and presses 'Opslaan en verder'."""
    response = client.post(
        reverse("subsidies:step", args=[application.reference, "impact"]),
        {
            "impact_plan": "Buren leren elkaar kennen, ook de nieuwe buren.",
            "expected_reach": "45",
            "volunteers": "6",
            "q_toegankelijk": "ja",
            "action": "next",
        },
    )
    assert response.status_code == 302, response.content[:2000]


def test_an_english_concept_handed_over_by_e_mail_stays_english(
    client, scheme, wijkbureau, choices, django_capture_on_commit_callbacks
):
    """The wijkbureau records English; the resident follows the English login link in
    a browser that never chose a language: the pages are English until the logout
    (kept in the session, no cookie), and saving a step and sending keep the e-mails
    English (the receipt too). The next resident on that computer gets Dutch."""
    client.force_login(wijkbureau)
    assistance = assisted.start(client, scheme, mail_language="en")
    application = assistance.application
    assisted.fill_every_step(client, application, choices)
    assisted.record_consent(client, application)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("met_hulp:handover", args=[application.reference]),
            {"action": "email"},
        )
    assert stored_language(application) == "en"
    (link,) = [
        found
        for message in mail.outbox
        if message.to == ["fatima@example.nl"]
        for found in re.findall(r"https?://\S+", message.body)
        if reverse("accounts:magic_link") in found
    ]

    client.logout()
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies
    parts = urlsplit(link)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    response = client.post(parts.path, query)
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert response["Location"] == reverse(
        "subsidies:resume", args=[application.reference]
    )
    page = client.get(response["Location"], follow=True).content.decode()
    assert '<html lang="en"' in page
    assert "You are logged in as fatima@example.nl." in page

    save_impact_step(client, application)
    assert stored_language(application) == "en"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("subsidies:step", args=[application.reference, "controle"]),
            {"truthful_declaration": "on", "action": "submit"},
        )
    assert response["Location"] == reverse(
        "subsidies:received", args=[application.reference]
    )
    assert stored_language(application) == "en"
    receipt = mail_about(application.reference)
    assert receipt.subject == (
        f"Acknowledgement of receipt of your application {application.reference}"
    )
    page = client.get(reverse("subsidies:my_applications")).content.decode()
    assert '<html lang="en"' in page

    the_next_resident_starts_in_dutch(client)
    assert stored_language(application) == "en"


def test_a_save_without_a_language_cookie_leaves_english_alone(client):
    """A browser that never chose a language shows Dutch by default; that is no
    choice, so the English recorded for the applicant stays."""
    application = ApplicationFactory(applicant=AddressedApplicantFactory())
    Applicant.objects.filter(pk=application.applicant_id).update(mail_language="en")
    client.force_login(application.applicant_user)
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies

    save_impact_step(client, application)

    assert stored_language(application) == "en"


def test_a_resident_who_chose_dutch_stores_dutch(client):
    """Dutch chosen with the switch (before logging in): the next save records it."""
    application = ApplicationFactory(applicant=AddressedApplicantFactory())
    Applicant.objects.filter(pk=application.applicant_id).update(mail_language="en")
    client.post(SETLANG, {"language": "nl", "next": "/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nl"
    client.force_login(application.applicant_user)
    assert stored_language(application) == "en"  # the switch while logged out

    save_impact_step(client, application)

    assert stored_language(application) == "nl"


def test_a_dutch_resident_logging_in_gets_no_language_cookie(client):
    application = ApplicationFactory(applicant=AddressedApplicantFactory())
    user = application.applicant_user
    assert stored_language(application) == "nl"
    client.force_login(user)
    page = client.get(reverse("subsidies:my_applications")).content.decode()
    assert '<html lang="nl"' in page
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies


def test_the_claim_with_the_code_opens_an_english_concept_in_english(
    client, scheme, wijkbureau
):
    """The DigiD route: the wijkbureau chose English; the resident claims with the
    printed code in a browser without a language cookie and continues in English."""
    client.force_login(wijkbureau)
    response = client.post(
        reverse("met_hulp:start"),
        {
            "scheme": scheme.pk,
            "resident_name": "Henk de Vries",
            "resident_email": "",
            "no_email": "on",
            "resident_phone": "06 12345678",
            "mail_language": "en",
        },
    )
    assert response.status_code == 302
    assistance = ApplicationAssistance.objects.get(resident_name="Henk de Vries")
    assisted.record_consent(client, assistance.application)
    html = client.post(
        reverse("met_hulp:handover", args=[assistance.application.reference]),
        {"action": "code"},
    ).content.decode()
    code = re.search(r'class="code">([A-Z0-9-]+)<', html).group(1)
    client.logout()

    resident = assisted._digid_resident()
    client.force_login(resident)
    response = client.post(reverse("overnemen:claim"), {"code": code})
    reference = assistance.application.reference
    assert response["Location"] == reverse("subsidies:resume", args=[reference])
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    page = client.get(response["Location"], follow=True).content.decode()
    assert '<html lang="en"' in page
    assert stored_language(assistance.application) == "en"

    the_next_resident_starts_in_dutch(client)
    assert stored_language(assistance.application) == "en"


# --- withdrawing and the answer to a change request -----------------------------------


def test_withdrawing_records_the_language_and_confirms_in_it(
    client, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(
        applicant=AddressedApplicantFactory(), submitted=True
    )
    client.force_login(application.applicant_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert stored_language(application) == "nl"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("subsidies:withdraw", args=[application.reference]),
            {"reason": "It is not going ahead."},
        )

    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    assert stored_language(application) == "en"
    assert mail_about(application.reference).subject == (
        f"You have withdrawn application {application.reference}"
    )


def test_the_answer_to_a_change_request_comes_in_the_applicants_language(client):
    """The recipient asks in English; the decision maker answers on a Dutch screen;
    the answer mail is English."""
    application = ApplicationFactory(
        applicant=AddressedApplicantFactory(), awarded=True
    )
    client.force_login(application.applicant_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        reverse("subsidies:change_request", args=[application.reference]),
        {"budget_change": "Less rent, more paint.", "reason": "The hall was cheaper."},
    )
    assert response.status_code == 302
    assert stored_language(application) == "en"
    change = ChangeRequest.objects.get(application=application)

    with translation.override("nl"):
        changes.change_request_answer(
            change_request=change,
            actor=decision_maker(),
            granted=False,
            answer="Wij houden de begroting zoals die is.",
        )

    mail = mail_about(application.reference)
    assert mail.subject == (
        f"Answer to your request for a change ({application.reference})"
    )
    assert "We do not agree to your change." in mail.body
    assert "Wij houden de begroting zoals die is." in mail.body
    assert "Wij gaan niet akkoord" not in mail.body


@pytest.mark.django_db(transaction=True)
def test_a_digid_login_opens_the_portal_in_the_residents_recorded_language(
    oidc, live_server
):
    """A resident whose applicant has English e-mails logs in with DigiD in a fresh
    browser (no language cookie): the page after the login is English, and so are the
    next ones, until the logout: the session keeps it, no cookie does."""
    first = requests.Session()
    provider_login(first, f"{live_server.url}/inloggen/digid/", DIGID_MIDDEN)
    user = LoginIdentity.objects.get(provider=LoginIdentity.Provider.DIGID).user
    applicant = AddressedApplicantFactory(mail_language="en")
    applicant.members.add(user)

    browser = requests.Session()
    page = provider_login(browser, f"{live_server.url}/inloggen/digid/", DIGID_MIDDEN)

    assert page.url == f"{live_server.url}/mijn-aanvragen/"
    assert '<html lang="en"' in page.text
    assert "You are logged in with DigiD." in page.text
    assert settings.LANGUAGE_COOKIE_NAME not in browser.cookies
    assert portal_session(browser)[language.SESSION_KEY] == "en"
    again = browser.get(f"{live_server.url}/mijn-aanvragen/", timeout=TIMEOUT)
    assert '<html lang="en"' in again.text
    assert Applicant.objects.get(pk=applicant.pk).mail_language == "en"

    assert portal_logout(browser, live_server.url).status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in browser.cookies
    assert language.SESSION_KEY not in portal_session(browser)
    after = browser.get(f"{live_server.url}/uitgelogd/", timeout=TIMEOUT)
    assert '<html lang="nl"' in after.text
