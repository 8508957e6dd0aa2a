"""A contact address other than the login address is confirmed by a link (issue 14).

Read back from the outbox who gets what: the confirmation link goes to the new
address only, and says nothing the resident typed; receipts go only to the login
address until the link is used by a member of the applicant; after that to both.
The link works once, expires, is refused when forged, when opened by someone else,
or after the address changed again; "send again" is rate limited and only for one's
own application.
"""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from subsidies import services, steps
from subsidies.models import Applicant, OutgoingMail, TargetGroup, Theme
from subsidies.models.applicants import ContactEmailConfirmation
from tests.factories import AddressedApplicantFactory, ApplicationFactory, UserFactory
from tests.html_forms import form_data, with_values

pytestmark = pytest.mark.django_db

CONTACT = "secretaris@buurtkracht.example"


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def draft(client):
    application = ApplicationFactory(
        applicant=AddressedApplicantFactory(contact_email="bewoner@example.nl"),
        expected_reach=30,
        volunteers=4,
    )
    user = application.applicant_user
    Applicant.objects.filter(pk=application.applicant_id).update(
        contact_email=user.email
    )
    application.target_groups.set([TargetGroup.objects.create(slug="a", name="A")])
    application.themes.set([Theme.objects.create(slug="b", name="B")])
    client.force_login(user)
    return application


def _step1(application):
    return reverse("subsidies:step", args=[application.reference, steps.ORGANISATION])


def _type_contact(client, application, email):
    html = client.get(_step1(application)).content.decode()
    response = client.post(
        _step1(application), with_values(form_data(html, "save"), contact_email=email)
    )
    assert response.status_code == 302
    return response


def _confirmation_mails():
    return [m for m in OutgoingMail.objects.order_by("pk") if "Bevestig" in m.subject]


def _token(mail):
    return re.search(r"/contactadres/bevestigen/\?t=(\S+)", mail.body)[1]


def _confirm_url():
    return reverse("subsidies:contact_confirm")


def test_a_new_contact_address_gets_only_a_link_and_no_receipt_until_confirmed(
    client, draft
):
    """Typing another address sends one mail, to that address, with the link and
    nothing the resident typed; the step shows 'nog niet bevestigd' with a button
    to send it again; the receipt goes to the login address only."""
    login_address = draft.applicant_user.email
    _type_contact(client, draft, CONTACT.upper())

    (link_mail,) = _confirmation_mails()
    assert link_mail.to == [CONTACT]
    assert draft.reference in link_mail.body
    applicant = Applicant.objects.get(pk=draft.applicant_id)
    for typed in (applicant.name, applicant.contact_name, applicant.street):
        assert typed not in link_mail.body
    assert applicant.contact_email_confirmed == ""
    assert applicant.mail_recipients() == [login_address]

    page = client.get(_step1(draft)).content.decode()
    assert "nog niet bevestigd" in page
    assert "Stuur de link opnieuw" in page
    assert login_address in page

    services.application_submit(
        application=draft,
        user=draft.applicant_user,
        truthful_declaration=True,
        accepts_electronic_decisions=True,
    )
    receipts = [m for m in OutgoingMail.objects.all() if m not in _confirmation_mails()]
    assert [m.to for m in receipts] == [[login_address]]
    received = client.get(reverse("subsidies:received", args=[draft.reference]))
    assert login_address in received.content.decode()
    assert CONTACT not in received.content.decode()
    # After sending, the status page still shows it and offers the link again.
    detail = client.get(reverse("subsidies:detail", args=[draft.reference]))
    assert "nog niet bevestigd" in detail.content.decode()


def test_the_link_confirms_once_and_then_mail_goes_to_both_addresses(client, draft):
    """The page behind the link shows a button (only the POST confirms; the page
    sends its origin only as Referer); after it, the contact address is confirmed,
    shown as such, and the next e-mail goes to both addresses. The same link a
    second time is refused in Dutch."""
    login_address = draft.applicant_user.email
    _type_contact(client, draft, CONTACT)
    token = _token(_confirmation_mails()[0])

    page = client.get(_confirm_url(), {"t": token})
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "origin"
    assert "Bevestigen" in page.content.decode()
    assert Applicant.objects.get(pk=draft.applicant_id).contact_email_confirmed == ""

    done = client.post(_confirm_url(), {"t": token}, follow=True)
    assert f"Het e-mailadres {CONTACT} is bevestigd" in done.content.decode()
    applicant = Applicant.objects.get(pk=draft.applicant_id)
    assert applicant.contact_email_confirmed == CONTACT
    assert applicant.mail_recipients() == sorted([login_address, CONTACT])
    step = client.get(_step1(draft)).content.decode()
    assert "is bevestigd" in step and "nog niet bevestigd" not in step

    again = client.post(_confirm_url(), {"t": token})
    assert again.status_code == 400
    assert "al gebruikt" in again.content.decode()

    services.application_submit(
        application=draft,
        user=draft.applicant_user,
        truthful_declaration=True,
        accepts_electronic_decisions=True,
    )
    (receipt,) = [m for m in OutgoingMail.objects.all() if "Bevestig" not in m.subject]
    assert receipt.to == sorted([login_address, CONTACT])


def test_changing_the_address_again_resets_the_confirmation(client, draft):
    """A confirmed address changed to another one: the confirmation is gone, a new
    link goes to the new address only, and the unused older link is refused."""
    login_address = draft.applicant_user.email
    _type_contact(client, draft, CONTACT)
    client.post(_confirm_url(), {"t": _token(_confirmation_mails()[0])})
    assert Applicant.objects.get(pk=draft.applicant_id).contact_email_is_confirmed

    _type_contact(client, draft, "penningmeester@buurtkracht.example")
    applicant = Applicant.objects.get(pk=draft.applicant_id)
    assert applicant.contact_email_confirmed == ""
    assert applicant.mail_recipients() == [login_address]
    mails = _confirmation_mails()
    assert [m.to for m in mails] == [[CONTACT], ["penningmeester@buurtkracht.example"]]

    _type_contact(client, draft, "derde@buurtkracht.example")
    stale = _token(_confirmation_mails()[1])
    refused = client.post(_confirm_url(), {"t": stale})
    assert refused.status_code == 400
    assert (
        "U heeft deze link al gebruikt, of er is een nieuwere link"
        in refused.content.decode()
    )
    assert not Applicant.objects.get(pk=draft.applicant_id).contact_email_is_confirmed

    # Back to the login address: nothing to confirm, no mail.
    _type_contact(client, draft, login_address)
    assert len(_confirmation_mails()) == 3
    assert Applicant.objects.get(pk=draft.applicant_id).mail_recipients() == [
        login_address
    ]


def test_an_expired_or_forged_link_is_refused_in_dutch(client, draft):
    _type_contact(client, draft, CONTACT)
    token = _token(_confirmation_mails()[0])
    ContactEmailConfirmation.objects.update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    expired = client.post(_confirm_url(), {"t": token})
    assert expired.status_code == 400
    assert "Deze link is verlopen" in expired.content.decode()

    forged = client.post(_confirm_url(), {"t": token[:-3] + "abc"})
    assert forged.status_code == 400
    assert "Deze link klopt niet" in forged.content.decode()
    assert client.get(_confirm_url()).status_code == 400
    assert not Applicant.objects.get(pk=draft.applicant_id).contact_email_is_confirmed


def test_someone_else_cannot_confirm_the_address(client, draft):
    """Another resident logged in with the link is refused (in Dutch) and confirms
    nothing; the link then still works for the applicant's own member. Someone not
    logged in is sent to the login first."""
    _type_contact(client, draft, CONTACT)
    token = _token(_confirmation_mails()[0])
    owner = draft.applicant_user

    client.logout()
    anonymous = client.get(_confirm_url(), {"t": token})
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))

    stranger = UserFactory(role="Aanvrager", email=CONTACT)
    client.force_login(stranger)
    refused = client.post(_confirm_url(), {"t": token})
    assert refused.status_code == 400
    assert "niet bevestigen met dit account" in refused.content.decode()
    assert not Applicant.objects.get(pk=draft.applicant_id).contact_email_is_confirmed
    # Nor can the stranger ask for links for someone else's application.
    other = client.post(reverse("subsidies:contact_resend", args=[draft.reference]))
    assert other.status_code == 404

    client.force_login(owner)
    assert client.post(_confirm_url(), {"t": token}).status_code == 302
    assert (
        Applicant.objects.get(pk=draft.applicant_id).contact_email_confirmed == CONTACT
    )


def test_sending_the_link_again_is_limited(client, draft, settings):
    """'Send again' replaces the link (the older one stops working) and is limited
    per resident: over the limit a Dutch message and no mail."""
    settings.CONTACT_CONFIRMATION_LIMIT = 2
    _type_contact(client, draft, CONTACT)  # the first of two
    resend = reverse("subsidies:contact_resend", args=[draft.reference])
    first = client.post(resend, {"terug": "stap"}, follow=True)
    assert "opnieuw een link gestuurd" in first.content.decode()
    assert len(_confirmation_mails()) == 2
    older = _token(_confirmation_mails()[0])
    assert client.post(_confirm_url(), {"t": older}).status_code == 400

    limited = client.post(resend, {"terug": "stap"}, follow=True)
    assert "te vaak laten sturen" in limited.content.decode()
    assert len(_confirmation_mails()) == 2
    newest = _token(_confirmation_mails()[1])
    assert client.post(_confirm_url(), {"t": newest}).status_code == 302


def test_a_confirmed_address_carries_over_to_the_next_application(client, draft):
    """The next application copies the applicant's details: a confirmed contact
    address stays confirmed there, and its mail goes to both addresses."""
    _type_contact(client, draft, CONTACT)
    client.post(_confirm_url(), {"t": _token(_confirmation_mails()[0])})
    user = draft.applicant_user
    following = services.application_start(scheme=draft.round.scheme, user=user)
    applicant = following.applicant
    assert applicant.pk != draft.applicant_id
    assert applicant.contact_email == CONTACT
    assert applicant.contact_email_is_confirmed
    assert applicant.mail_recipients() == sorted([user.email, CONTACT])
    assert len(_confirmation_mails()) == 1


def test_the_page_says_a_link_was_sent_only_when_one_was(client, draft, settings):
    """Over the limit no link goes out: step 1 then says no valid link was sent and
    offers to send one, instead of telling the resident to wait for a mail that never
    comes; the limit's message names the window in minutes."""
    settings.CONTACT_CONFIRMATION_LIMIT = 1
    settings.CONTACT_CONFIRMATION_WINDOW = 30 * 60
    _type_contact(client, draft, CONTACT)
    html = client.get(_step1(draft)).content.decode()
    assert "Wij hebben een e-mail met een link naar dat adres gestuurd" in html

    other = "penningmeester@buurtkracht.example"
    _type_contact(client, draft, other)  # over the limit: nothing sent
    assert [m.to for m in _confirmation_mails()] == [[CONTACT]]
    html = client.get(_step1(draft)).content.decode()
    assert "Wij hebben een e-mail met een link" not in html
    assert "Wij hebben nog geen geldige link naar dat adres gestuurd" in html
    assert "Stuur een link om te bevestigen" in html

    resend = reverse("subsidies:contact_resend", args=[draft.reference])
    limited = client.post(resend, {"terug": "stap"}, follow=True).content.decode()
    assert "Wacht 30 minuten en probeer het dan opnieuw." in limited
