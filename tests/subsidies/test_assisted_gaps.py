"""Aanvragen met hulp, the gaps of issue 18: a resident without e-mail (letters by
post), a hand-over address corrected and sent again, a double click on "Code voor
DigiD afdrukken", and the language of the resident's e-mails. Each test reads back
what was stored and what the user sees."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import magic_links
from accounts.models import LoginIdentity, User
from accounts.roles import WIJKBUREAU
from subsidies import selectors, services, services_assisted
from subsidies.mail import NO_RECIPIENT, deliver
from subsidies.models import (
    Applicant,
    ApplicationAssistance,
    ConsentMethod,
    OutgoingMail,
    TransitionLog,
)
from subsidies.workflow import Status
from tests.factories import (
    UserFactory,
    decision_maker,
)
from tests.factories import _assessed as assess_through_the_rubric
from tests.factories import _decide as decide_through_the_service
from tests.subsidies.test_assisted import (
    fill_every_step,
    record_consent,
    start,
    step,
)
from tests.subsidies.test_copy_pdf import pdf_text

pytestmark = pytest.mark.django_db

NO_EMAIL_SHOWN = "Geen e-mailadres. Brieven komen per post."


@pytest.fixture(autouse=True)
def no_second_factor(settings):
    settings.STAFF_REQUIRE_2FA = False


def _digid_resident():
    user = User.objects.create_identified_user()
    LoginIdentity.objects.create(
        user=user,
        provider=LoginIdentity.Provider.DIGID,
        subject_hash=f"{user.pk:064d}",
    )
    return user


def _sheet_code(response):
    return re.search(r'class="code">([A-Z0-9-]+)<', response.content.decode()).group(1)


ORGANISATION_WITHOUT_EMAIL = {
    "kind": "bewonersgroep",
    "name": "Bewoners Hoograven",
    "contact_name": "Henk de Vries",
    "contact_email": "",
    "contact_phone": "06 12345678",
    "street": "Hoofdstraat 2",
    "postcode": "3526 AB",
    "city": "Utrecht",
    "iban": "NL91ABNA0417164300",
    "account_holder": "H. de Vries",
}


def _fill_without_email(client, application, choices):
    """Every step as the existing helper fills it, then step 1 again without e-mail."""
    fill_every_step(client, application, choices)
    response = client.post(
        step(application, "organisatie"),
        {**ORGANISATION_WITHOUT_EMAIL, "action": "save"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]


# --- 1. a resident without e-mail ----------------------------------------------------


def test_a_resident_without_e_mail_gets_letters_by_post_from_step_one_to_the_decision(
    client, scheme, staff, choices
):
    """Handed over by DigiD code: step 1 takes no e-mail but wants the address and
    says letters come by post; the resident cannot choose decisions by e-mail; the
    review, the copy, the staff screen say 'geen e-mailadres'; the receipt and the
    decision go nowhere by e-mail and nothing breaks."""
    client.force_login(staff)
    assistance = start(
        client, scheme, resident_name="Henk de Vries", resident_email="", no_email="on"
    )
    application = assistance.application
    page = client.get(step(application, "organisatie")).content.decode()
    assert "Geen e-mailadres? Laat dit veld dan leeg." in page
    assert "Wij sturen brieven dan per post naar het adres hieronder." in page

    # Without e-mail the postal address is still required.
    response = client.post(
        step(application, "organisatie"),
        {**ORGANISATION_WITHOUT_EMAIL, "street": "", "postcode": "", "action": "next"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Vul de straat en het huisnummer in. Daar sturen wij post naartoe." in html
    assert "Vul de postcode in, bijvoorbeeld 3511 AB." in html
    assert "Vul het e-mailadres van de contactpersoon in." not in html

    _fill_without_email(client, application, choices)
    applicant = Applicant.objects.get(pk=application.applicant_id)
    assert (applicant.contact_email, applicant.street, applicant.postcode) == (
        "",
        "Hoofdstraat 2",
        "3526 AB",
    )
    assert applicant.is_complete()
    page = client.get(step(application, "organisatie")).content.decode()
    assert (
        "U heeft geen e-mailadres ingevuld. Wij sturen brieven over de aanvraag" in page
    )

    record_consent(client, application, method=ConsentMethod.PHONE)
    code = _sheet_code(
        client.post(
            reverse("met_hulp:handover", args=[application.reference]),
            {"action": "code"},
        )
    )
    resident = _digid_resident()
    client.force_login(resident)
    client.post(reverse("overnemen:claim"), {"code": code})

    review_url = reverse("subsidies:step", args=[application.reference, "controle"])
    review = client.get(review_url).content.decode()
    assert NO_EMAIL_SHOWN in review
    assert "Dit moet u nog aanvullen" not in review

    # Without an address the choice "besluit per e-mail" is not offered: the page
    # says the decision comes by post. A post that ticks it anyway stores post.
    assert 'name="decisions_by_email"' not in review
    assert "Het besluit krijgt u daarom per post." in review
    # (Step 1 first held an address, which got a confirmation link: not counted.)
    last_before = OutgoingMail.objects.order_by("-pk").values_list("pk", flat=True)[0]
    response = client.post(
        review_url,
        {"truthful_declaration": "on", "decisions_by_email": "on", "action": "submit"},
    )
    assert response["Location"] == reverse(
        "subsidies:received", args=[application.reference]
    )
    assert not Applicant.objects.get(pk=applicant.pk).accepts_electronic_decisions
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    receipt = OutgoingMail.objects.filter(reference=application.reference).last()
    assert receipt.to == []

    # The copy (text and PDF) and the staff screen.
    copy_rows = [
        value
        for section in selectors.submission_copy(application)
        for _label, value in section.rows
    ]
    assert NO_EMAIL_SHOWN in copy_rows
    text = client.get(reverse("subsidies:copy_text", args=[application.reference]))
    assert NO_EMAIL_SHOWN in text.content.decode()
    pdf = client.get(reverse("subsidies:copy_pdf", args=[application.reference]))
    assert NO_EMAIL_SHOWN in pdf_text(pdf.content)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    detail = client.get(reverse("beoordelen:detail", args=[application.pk]))
    assert "geen e-mailadres; brieven per post" in detail.content.decode()

    # Assessed and decided: the decision is made, and no e-mail goes anywhere.
    application = assess_through_the_rubric(application)
    application = decide_through_the_service(application, decision_maker())
    assert application.status in (Status.AWARDED, Status.REJECTED)
    sent = OutgoingMail.objects.filter(
        reference=application.reference, pk__gt=last_before
    )
    assert sent.count() >= 1
    assert [(row.subject, row.to) for row in sent if row.to] == []
    for row in sent:
        deliver(row)
        row.refresh_from_db()
        assert row.sent_at is None and row.last_error == NO_RECIPIENT


def test_a_login_link_resident_still_needs_a_contact_e_mail(client, scheme):
    """A resident who logged in by e-mail link starts with their login address in
    step 1; emptying it is refused (they have an address, so e-mail it is)."""
    resident = UserFactory(role="Aanvrager", email="anna@example.nl")
    client.force_login(resident)
    application = services.application_start(scheme=scheme, user=resident)
    page = client.get(
        reverse("subsidies:step", args=[application.reference, "organisatie"])
    ).content.decode()
    assert 'value="anna@example.nl"' in page
    assert "Geen e-mailadres? Laat dit veld dan leeg." not in page
    response = client.post(
        reverse("subsidies:step", args=[application.reference, "organisatie"]),
        {**ORGANISATION_WITHOUT_EMAIL, "action": "next"},
    )
    assert response.status_code == 200
    assert "Vul het e-mailadres van de contactpersoon in." in response.content.decode()
    applicant = Applicant.objects.get(pk=application.applicant_id)
    assert applicant.contact_email == "anna@example.nl"
    assert not applicant.contact_email_optional()


def test_a_digid_resident_may_leave_the_e_mail_empty(client, scheme):
    """A resident known only by DigiD applies without e-mail: stored empty, the
    address required, and the application counts as complete."""
    resident = _digid_resident()
    client.force_login(resident)
    application = services.application_start(scheme=scheme, user=resident)
    url = reverse("subsidies:step", args=[application.reference, "organisatie"])
    response = client.post(
        url, {**ORGANISATION_WITHOUT_EMAIL, "postcode": "", "action": "next"}
    )
    assert "Vul de postcode in" in response.content.decode()
    response = client.post(url, {**ORGANISATION_WITHOUT_EMAIL, "action": "next"})
    assert response.status_code == 302
    applicant = Applicant.objects.get(pk=application.applicant_id)
    assert applicant.contact_email == "" and applicant.postcode == "3526 AB"
    assert applicant.contact_email_optional() and applicant.is_complete()
    application.refresh_from_db()
    problems = selectors.step_problems(application)["organisatie"]
    assert problems == []
    # Without the address it is not complete.
    Applicant.objects.filter(pk=applicant.pk).update(street="")
    applicant.refresh_from_db()
    assert not applicant.is_complete()


# --- 2. the hand-over e-mail address corrected -------------------------------------


def _links_to(address):
    magic = reverse("accounts:magic_link")
    return [
        found
        for message in mail.outbox
        if message.to == [address]
        for found in re.findall(r"https?://\S+", message.body)
        if magic in found
    ]


def test_a_wrong_hand_over_address_is_corrected_and_sent_again(
    client, scheme, staff, choices, django_capture_on_commit_callbacks
):
    """The staff member typed a wrong address: "E-mailadres aanpassen en opnieuw
    versturen" sends the note and a new link to the right one; the old link no longer
    opens the concept; the resident's data stays; the log names who changed it."""
    client.force_login(staff)
    assistance = start(client, scheme, resident_email="fatma@exampel.nl")
    application = assistance.application
    fill_every_step(client, application, choices)
    record_consent(client, application)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("met_hulp:handover", args=[application.reference]),
            {"action": "email"},
        )
    (old_link,) = _links_to("fatma@exampel.nl")
    wrong = User.objects.get(email="fatma@exampel.nl")

    index = client.get(reverse("met_hulp:index")).content.decode()
    url = reverse("met_hulp:change_email", args=[application.reference])
    assert url in index and "E-mailadres aanpassen en opnieuw versturen" in index
    page = client.get(url).content.decode()
    assert 'value="fatma@exampel.nl"' in page

    response = client.post(url, {"resident_email": "fatima", "mail_language": "nl"})
    assert "Vul een geldig e-mailadres in." in response.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"resident_email": "Fatima@Example.nl", "mail_language": "nl"}
        )
    assert response["Location"] == reverse("met_hulp:index")
    index = client.get(reverse("met_hulp:index")).content.decode()
    assert (
        "Wij hebben de e-mail en een nieuwe inloglink naar fatima@example.nl" in index
    )

    stored = ApplicationAssistance.objects.get(pk=assistance.pk)
    right = User.objects.get(email="fatima@example.nl")
    assert stored.resident_email == "fatima@example.nl"
    applicant = Applicant.objects.get(pk=application.applicant_id)
    assert list(applicant.members.all()) == [right]
    assert applicant.contact_email == "fatima@example.nl"
    application.refresh_from_db()
    assert application.title == "Buurtmaaltijd Hoograven"
    assert application.budget_lines.count() == 1 and application.documents.count() == 1
    note = OutgoingMail.objects.filter(reference=application.reference).last()
    assert note.to == ["fatima@example.nl"]
    assert "heeft samen met u aanvraag" in note.body
    (new_link,) = _links_to("fatima@example.nl")
    assert _links_to("fatma@exampel.nl") == []

    row = TransitionLog.objects.get(
        application=application, transition="met_hulp_email_aangepast"
    )
    assert row.actor == staff and row.actor_label == "Wendy Wijkhuis (wijkbureau)"
    assert "van fatma@exampel.nl naar fatima@example.nl" in row.reason
    assert "door Wendy Wijkhuis (wijkbureau)" in row.reason

    # The old link works no more; the new one opens the concept.
    client.logout()
    old_token = parse_qs(urlsplit(old_link).query)["t"][0]
    assert magic_links.user_for_token(old_token) == (None, None)
    assert application.applicant.has_member(wrong) is False
    parts = urlsplit(new_link)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    response = client.post(parts.path, query)
    assert response["Location"] == reverse(
        "subsidies:resume", args=[application.reference]
    )


def test_the_address_cannot_be_changed_for_a_code_hand_over_or_a_sent_application(
    client, scheme, staff
):
    """Only a concept handed over by login link: otherwise back to the list, with
    why, and nothing changes."""
    client.force_login(staff)
    assistance = start(client, scheme)
    url = reverse("met_hulp:change_email", args=[assistance.application.reference])
    response = client.post(
        url, {"resident_email": "x@example.nl", "mail_language": "nl"}
    )
    assert response["Location"] == reverse("met_hulp:index")
    assert (
        "Dat kan alleen na een overdracht met een inloglink"
        in client.get(reverse("met_hulp:index")).content.decode()
    )
    assert (
        ApplicationAssistance.objects.get(pk=assistance.pk).resident_email
        == "fatima@example.nl"
    )
    colleague = UserFactory(role=WIJKBUREAU)
    client.force_login(colleague)
    assert client.get(url).status_code == 404


# --- 3. a double click on "Code voor DigiD afdrukken" ---------------------------------


def test_a_double_click_keeps_the_first_code(client, scheme, staff):
    """The second click moments after the first makes no new code: the page says so
    and offers "Nieuwe code maken"; the code on the first sheet still works."""
    client.force_login(staff)
    assistance = start(client, scheme, resident_email="", no_email="on")
    application = assistance.application
    record_consent(client, application)
    url = reverse("met_hulp:handover", args=[application.reference])
    first = client.post(url, {"action": "code"})
    code = _sheet_code(first)
    stored_hash = ApplicationAssistance.objects.get(pk=assistance.pk).handover_code_hash

    second = client.post(url, {"action": "code"})
    html = second.content.decode()
    assert second.status_code == 200 and "no-store" in second["Cache-Control"]
    assert "U heeft de code al gemaakt. Gebruik het blad dat al open staat." in html
    assert "Nieuwe code maken" in html
    assert 'class="code"' not in html
    assert (
        ApplicationAssistance.objects.get(pk=assistance.pk).handover_code_hash
        == stored_hash
    )
    # The same for a double click on "Nieuwe code maken" in the list.
    again = client.post(reverse("met_hulp:reissue_code", args=[application.reference]))
    assert "U heeft de code al gemaakt." in again.content.decode()
    # And when both requests were under way at once (the service itself).
    with pytest.raises(services_assisted.CodeJustMade):
        services_assisted.assisted_handover_code(assistance=assistance, staff=staff)
    assert (
        ApplicationAssistance.objects.get(pk=assistance.pk).handover_code_hash
        == stored_hash
    )
    assert (
        TransitionLog.objects.filter(
            application=application,
            transition__in=["met_hulp_overgedragen", "met_hulp_nieuwe_code"],
        ).count()
        == 1
    )

    client.force_login(_digid_resident())
    response = client.post(reverse("overnemen:claim"), {"code": code})
    assert response["Location"] == reverse(
        "subsidies:resume", args=[application.reference]
    )


def test_new_code_on_purpose_replaces_the_first(client, scheme, staff):
    """ "Nieuwe code maken" on the page of the double click makes a new code: the
    first code stops working, the new one works; the log says so. After the short
    window a new code needs no such confirmation."""
    client.force_login(staff)
    assistance = start(client, scheme, resident_email="", no_email="on")
    application = assistance.application
    record_consent(client, application)
    url = reverse("met_hulp:handover", args=[application.reference])
    first_code = _sheet_code(client.post(url, {"action": "code"}))
    client.post(url, {"action": "code"})
    response = client.post(
        reverse("met_hulp:reissue_code", args=[application.reference]),
        {"deliberate": "1"},
    )
    new_code = _sheet_code(response)
    assert new_code != first_code
    assert TransitionLog.objects.filter(
        application=application, transition="met_hulp_nieuwe_code"
    ).exists()

    client.force_login(_digid_resident())
    response = client.post(reverse("overnemen:claim"), {"code": first_code})
    assert "Deze code klopt niet." in response.content.decode()
    response = client.post(reverse("overnemen:claim"), {"code": new_code})
    assert response["Location"] == reverse(
        "subsidies:resume", args=[application.reference]
    )


def test_after_the_window_a_new_code_needs_no_confirmation(scheme, staff):
    assistance = services_assisted.assisted_start(
        scheme=scheme, staff=staff, resident_name="Henk de Vries"
    )
    now = timezone.now()
    services_assisted.assisted_consent(
        assistance=assistance,
        staff=staff,
        method=ConsentMethod.IN_PERSON,
        given_at=now,
        note="",
        confirmed=True,
        at=now,
    )
    assistance, first = services_assisted.assisted_handover_code(
        assistance=assistance, staff=staff, at=now
    )
    with pytest.raises(services_assisted.CodeJustMade):
        services_assisted.assisted_reissue_code(
            assistance=assistance, staff=staff, at=now + timedelta(seconds=30)
        )
    later = now + timedelta(seconds=services_assisted.CODE_REPEAT_SECONDS + 1)
    assistance, second = services_assisted.assisted_reissue_code(
        assistance=assistance, staff=staff, at=later
    )
    assert second != first
    stored = ApplicationAssistance.objects.get(pk=assistance.pk)
    assert stored.handover_code_hash == services_assisted._code_hash(second)


# --- 4. the language of the resident's e-mails ------------------------------------


def test_the_hand_over_e_mail_goes_in_the_language_chosen_at_the_start(
    client, scheme, staff, choices, django_capture_on_commit_callbacks
):
    """ "In welke taal wil de bewoner e-mails krijgen?": English is stored on the
    applicant and the hand-over note and its login link come in English; the staff
    screens stay Dutch."""
    client.force_login(staff)
    page = client.get(reverse("met_hulp:start")).content.decode()
    assert "In welke taal wil de bewoner e-mails krijgen?" in page
    assistance = start(client, scheme, mail_language="en")
    application = assistance.application
    assert Applicant.objects.get(pk=application.applicant_id).mail_language == "en"
    fill_every_step(client, application, choices)
    record_consent(client, application)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("met_hulp:handover", args=[application.reference]),
            {"action": "email"},
        )
    assert (
        "krijgt een e-mail met een inloglink"
        in client.get(response["Location"]).content.decode()
    )
    assert Applicant.objects.get(pk=application.applicant_id).mail_language == "en"
    note = OutgoingMail.objects.filter(reference=application.reference).last()
    assert note.subject == (
        f"The wijkbureau has prepared your application {application.reference}"
    )
    assert note.body.startswith("Dear Fatima Bakkali,")
    assert "filled in application" in note.body and "Beste" not in note.body
    (link_mail,) = [
        m
        for m in mail.outbox
        if m.to == ["fatima@example.nl"] and reverse("accounts:magic_link") in m.body
    ]
    assert link_mail.body.startswith("Dear resident,")
    assert "U wilt inloggen" not in link_mail.body


def test_the_hand_over_e_mail_is_dutch_by_default(client, scheme, staff, choices):
    client.force_login(staff)
    assistance = start(client, scheme)
    application = assistance.application
    assert Applicant.objects.get(pk=application.applicant_id).mail_language == "nl"
    fill_every_step(client, application, choices)
    record_consent(client, application)
    client.post(
        reverse("met_hulp:handover", args=[application.reference]),
        {"action": "email"},
    )
    note = OutgoingMail.objects.filter(reference=application.reference).last()
    assert note.subject.startswith("Het wijkbureau heeft uw aanvraag")
    assert note.body.startswith("Beste Fatima Bakkali,")


def test_the_code_sheet_speaks_the_residents_language_and_has_no_inline_script(
    client, scheme, staff, choices
):
    """The sheet the resident takes home follows the language chosen at the start;
    its print button and the double-click guard are scripts from the site (the
    Content Security Policy refuses inline handlers)."""
    client.force_login(staff)
    assistance = start(client, scheme, mail_language="en")
    application = assistance.application
    fill_every_step(client, application, choices)
    record_consent(client, application)
    form = client.get(
        reverse("met_hulp:handover", args=[application.reference])
    ).content.decode()
    assert "data-submit-once" in form and "js/assisted.js" in form
    response = client.post(
        reverse("met_hulp:handover", args=[application.reference]),
        {"action": "code"},
    )
    sheet = response.content.decode()
    assert '<html lang="en">' in sheet
    assert "Your application to the municipality of Utrecht" in sheet
    assert "Log in with DigiD." in sheet and "Log in met DigiD" not in sheet
    assert "onclick" not in sheet and "data-print" in sheet
    assert "no-store" in response["Cache-Control"]
    assert Applicant.objects.get(pk=application.applicant_id).mail_language == "en"


# --- 5. the address cannot move once the resident works on it (review of issue 18) --


TOOK_OVER = (
    "De bewoner is al ingelogd en werkt zelf aan deze aanvraag. Het e-mailadres kunt "
    "u niet meer aanpassen."
)


def _handed_over_by_email(client, scheme, staff, choices, captured, email):
    client.force_login(staff)
    assistance = start(client, scheme, resident_email=email)
    application = assistance.application
    fill_every_step(client, application, choices)
    record_consent(client, application)
    with captured(execute=True):
        client.post(
            reverse("met_hulp:handover", args=[application.reference]),
            {"action": "email"},
        )
    return ApplicationAssistance.objects.get(pk=assistance.pk)


def _log_in_by_link(client, address):
    (link,) = _links_to(address)
    parts = urlsplit(link)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    client.logout()
    return client.post(parts.path, query)


def test_the_address_cannot_be_changed_once_the_resident_logged_in(
    client, scheme, staff, choices, django_capture_on_commit_callbacks
):
    """The resident opened the link and saved a step: the list offers no "E-mailadres
    aanpassen" for it, the page and a direct post are refused with why, and the
    concept stays with the resident."""
    assistance = _handed_over_by_email(
        client,
        scheme,
        staff,
        choices,
        django_capture_on_commit_callbacks,
        "fatima@example.nl",
    )
    application = assistance.application
    response = _log_in_by_link(client, "fatima@example.nl")
    assert response["Location"] == reverse(
        "subsidies:resume", args=[application.reference]
    )
    resident = User.objects.get(email="fatima@example.nl")
    assert resident.last_login > assistance.handed_over_at
    password = resident.password

    client.force_login(staff)
    url = reverse("met_hulp:change_email", args=[application.reference])
    index = client.get(reverse("met_hulp:index")).content.decode()
    assert url not in index and "De bewoner werkt er zelf aan." in index
    response = client.get(url)
    assert response["Location"] == reverse("met_hulp:index")
    assert TOOK_OVER in client.get(reverse("met_hulp:index")).content.decode()
    mail.outbox.clear()
    response = client.post(
        url, {"resident_email": "iemand@example.nl", "mail_language": "nl"}
    )
    assert response["Location"] == reverse("met_hulp:index")

    stored = ApplicationAssistance.objects.get(pk=assistance.pk)
    assert stored.resident_email == "fatima@example.nl"
    applicant = Applicant.objects.get(pk=application.applicant_id)
    assert list(applicant.members.all()) == [resident]
    assert applicant.contact_email == "fatima@example.nl"
    assert not User.objects.filter(email="iemand@example.nl").exists()
    assert User.objects.get(pk=resident.pk).password == password
    assert mail.outbox == []
    assert not TransitionLog.objects.filter(
        application=application, transition="met_hulp_email_aangepast"
    ).exists()

    # The service refuses too, also when only a save after the hand-over shows it.
    with pytest.raises(services.WorkflowError, match="al ingelogd"):
        services_assisted.assisted_change_email(
            assistance=stored, staff=staff, email="iemand@example.nl"
        )


def test_a_save_by_the_resident_after_the_hand_over_also_blocks_the_change(
    client, scheme, staff, choices, django_capture_on_commit_callbacks
):
    """Even without a recorded login (a session from elsewhere): the resident's save
    after the hand-over is enough to refuse."""
    assistance = _handed_over_by_email(
        client,
        scheme,
        staff,
        choices,
        django_capture_on_commit_callbacks,
        "fatima@example.nl",
    )
    application = assistance.application
    resident = User.objects.get(email="fatima@example.nl")
    assert resident.last_login is None
    assert services_assisted.resident_took_over(assistance) is False
    services.application_update(
        application=application, user=resident, fields={"title": "Eigen titel"}
    )
    with pytest.raises(services.WorkflowError, match="al ingelogd"):
        services_assisted.assisted_change_email(
            assistance=assistance, staff=staff, email="iemand@example.nl"
        )
    assert list(Applicant.objects.get(pk=application.applicant_id).members.all()) == [
        resident
    ]


def test_an_existing_account_at_the_old_address_keeps_its_password_and_sessions(
    client, scheme, staff, choices, django_capture_on_commit_callbacks
):
    """The wrong address belongs to someone with an application of their own: the
    change takes only this concept off them. Their password hash, their session and
    their own application stay; the concept goes to the right address."""
    neighbour = UserFactory(email="buurman@example.nl")
    neighbour.set_unusable_password()
    neighbour.save()
    own = Applicant.objects.create(
        kind="bewonersgroep", name="Buurman", contact_email="buurman@example.nl"
    )
    own.members.add(neighbour)
    neighbours_client = type(client)()
    neighbours_client.force_login(neighbour)
    assert (
        neighbours_client.get(reverse("subsidies:my_applications")).status_code == 200
    )
    password = User.objects.get(pk=neighbour.pk).password

    assistance = _handed_over_by_email(
        client,
        scheme,
        staff,
        choices,
        django_capture_on_commit_callbacks,
        "buurman@example.nl",
    )
    application = assistance.application
    # Allowed: the neighbour did not log in after the hand-over and saved nothing.
    assert services_assisted.resident_took_over(assistance) is False
    _change_to_fatima(client, application, django_capture_on_commit_callbacks)

    stored = User.objects.get(pk=neighbour.pk)
    assert stored.password == password
    assert list(own.members.all()) == [stored]
    right = User.objects.get(email="fatima@example.nl")
    applicant = Applicant.objects.get(pk=application.applicant_id)
    assert list(applicant.members.all()) == [right]
    # The neighbour's session still works; the concept is not theirs any more.
    page = neighbours_client.get(reverse("subsidies:my_applications"))
    assert page.status_code == 200
    assert "_auth_user_id" in neighbours_client.session
    assert application.reference not in page.content.decode()


def test_the_claim_page_shows_its_errors_in_english(client, scheme, staff):
    """A resident who chose English reads why the code was refused in English."""
    resident = _digid_resident()
    client.force_login(resident)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("overnemen:claim"), {"code": "AAAA-BBBB-CCCC"})
    page = response.content.decode()
    assert "This code is not right." in page
    assert "Deze code klopt niet" not in page


def _change_to_fatima(client, application, capture_on_commit):
    """Staff correct the hand-over address to fatima@example.nl ("E-mailadres
    aanpassen en opnieuw versturen") and are sent back to the wijkbureau list."""
    url = reverse("met_hulp:change_email", args=[application.reference])
    with capture_on_commit(execute=True):
        response = client.post(
            url, {"resident_email": "fatima@example.nl", "mail_language": "nl"}
        )
    assert response["Location"] == reverse("met_hulp:index")


def test_a_neighbour_who_logs_in_for_their_own_application_does_not_block_the_change(
    client, scheme, staff, choices, django_capture_on_commit_callbacks
):
    """The usual typo: the address belongs to a neighbour with an account and an
    application of their own. The neighbour logs in after the hand-over, for their own
    application: that is not the resident taking over. The list still offers "E-mailadres
    aanpassen", the change goes through, and the neighbour's password, session and own
    application stay."""
    from tests.factories import AddressedApplicantFactory, ApplicationFactory

    own_application = ApplicationFactory(applicant=AddressedApplicantFactory())
    neighbour = own_application.applicant_user
    neighbour.email = "buurman@example.nl"
    neighbour.save(update_fields=["email"])

    assistance = _handed_over_by_email(
        client,
        scheme,
        staff,
        choices,
        django_capture_on_commit_callbacks,
        "buurman@example.nl",
    )
    application = assistance.application
    assert neighbour in Applicant.objects.get(pk=application.applicant_id).members.all()

    neighbours_client = type(client)()
    neighbours_client.force_login(neighbour)
    page = neighbours_client.get(reverse("subsidies:my_applications"))
    assert own_application.reference in page.content.decode()
    stored = User.objects.get(pk=neighbour.pk)
    assert stored.last_login > assistance.handed_over_at
    password = stored.password

    assert services_assisted.resident_took_over(assistance) is False
    client.force_login(staff)
    url = reverse("met_hulp:change_email", args=[application.reference])
    index = client.get(reverse("met_hulp:index")).content.decode()
    assert url in index and "De bewoner werkt er zelf aan." not in index
    _change_to_fatima(client, application, django_capture_on_commit_callbacks)

    stored_assistance = ApplicationAssistance.objects.get(pk=assistance.pk)
    assert stored_assistance.resident_email == "fatima@example.nl"
    right = User.objects.get(email="fatima@example.nl")
    applicant = Applicant.objects.get(pk=application.applicant_id)
    assert list(applicant.members.all()) == [right]
    assert _links_to("fatima@example.nl")
    # The neighbour's account is untouched: password, own application, session.
    stored = User.objects.get(pk=neighbour.pk)
    assert stored.password == password
    assert list(own_application.applicant.members.all()) == [stored]
    page = neighbours_client.get(reverse("subsidies:my_applications"))
    assert page.status_code == 200
    assert "_auth_user_id" in neighbours_client.session
    assert own_application.reference in page.content.decode()
    assert application.reference not in page.content.decode()
