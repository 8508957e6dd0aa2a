"""What a verified identity changes on the application (issue 17).

An eHerkenning login verifies a KvK number: an application started or edited in that
session is that organisation, its KvK number shown read-only and marked verified,
never overwritten by what is posted. A colleague of the same organisation who logs in
with eHerkenning joins its verified applicants, never one whose number was typed. A
resident known only by DigiD or eHerkenning has no e-mail address: the contact
address is typed and confirmed before mail goes there. The assessor sees whether the
KvK number is verified.

The session is set up as the OIDC callback leaves it (``accounts.oidc.session``); one
test goes through the real provider (``tests/oidc/provider.mjs``).
"""

import re

import pytest
import requests
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse

from accounts.models import LoginIdentity
from accounts.oidc import session as oidc_session
from accounts.oidc.backends import LoginFacts
from beoordeling.models import ObjectionLog
from subsidies import services, steps
from subsidies.models import (
    Applicant,
    Application,
    OutgoingMail,
    TargetGroup,
    Theme,
    TransitionLog,
)
from tests.factories import (
    AddressedApplicantFactory,
    ApplicantFactory,
    ApplicationFactory,
    RoundFactory,
    SchemeFactory,
    UserFactory,
    team_assessor,
)
from tests.html_forms import form_data, with_values
from tests.services.oidc_provider import (
    EHERKENNING_EH3,
    EHERKENNING_EH3_COLLEAGUE,
    EHERKENNING_KVK,
    provider_login,
)

VERIFIED = "69599084"
TYPED = "41234567"
CONTACT = "secretaris@buurtkracht.example"

ORGANISATION = {
    "kind": "organisatie",
    "name": "Stichting Buurtkracht",
    "kvk_number": TYPED,
    "contact_name": "Sanne Visser",
    "contact_email": CONTACT,
    "street": "Oudegracht 1",
    "postcode": "3511 AB",
    "city": "Utrecht",
    "iban": "NL91ABNA0417164300",
    "account_holder": "Stichting Buurtkracht",
}


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def scheme():
    scheme = SchemeFactory()
    RoundFactory(scheme=scheme)
    return scheme


def identified_user(provider, key, **fields):
    """A resident as a DigiD or eHerkenning login makes one: no e-mail address."""
    user = get_user_model().objects.create_identified_user()
    LoginIdentity.objects.create(
        user=user, provider=provider, subject_hash=f"{key:0>64}"[:64], **fields
    )
    return user


def log_in(client, user, method, kvk=""):
    """Log ``user`` in as the OIDC callback does: the session says how."""
    client.force_login(user)
    session = client.session
    session[oidc_session.METHOD_KEY] = method
    if kvk:
        session[oidc_session.KVK_KEY] = kvk
    session.save()


def eherkenning_user(client=None, kvk=VERIFIED, key="1"):
    user = identified_user("eherkenning", f"e{key}", kvk_number=kvk)
    if client is not None:
        log_in(client, user, "eherkenning", kvk)
    return user


def start(client, scheme):
    response = client.post(reverse("subsidies:start", args=[scheme.slug]))
    assert response.status_code == 302
    return Application.objects.order_by("-pk").first()


def step1(application):
    return reverse("subsidies:step", args=[application.reference, steps.ORGANISATION])


def kvk_input(html):
    return BeautifulSoup(html, "html.parser").find(
        "input", attrs={"name": "kvk_number"}
    )


def post_step1(client, application, **changes):
    response = client.post(
        step1(application), {**ORGANISATION, "action": "save", **changes}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Applicant.objects.get(pk=application.applicant_id)


# --- eHerkenning: the verified KvK number ----------------------------------------------


@pytest.mark.django_db
def test_an_eherkenning_session_starts_an_organisation_with_the_verified_kvk(
    client, scheme
):
    """The new application's applicant is an organisation with the verified number,
    stored as verified; step 1 shows the number read-only, marked verified, and no
    choice of kind; the contact address is empty, not "None"."""
    eherkenning_user(client)
    application = start(client, scheme)

    applicant = Applicant.objects.get(pk=application.applicant_id)
    assert applicant.kind == "organisatie"
    assert applicant.kvk_number == VERIFIED
    assert applicant.kvk_verified is True
    assert applicant.contact_email == ""

    page = client.get(step1(application)).content.decode()
    field = kvk_input(page)
    assert field["value"] == VERIFIED and field.has_attr("disabled")
    assert "Geverifieerd met eHerkenning" in page
    assert 'name="kind"' not in page
    assert 'name="penvoerder_name"' not in page
    assert "None" not in BeautifulSoup(page, "html.parser").find(
        "input", attrs={"name": "contact_email"}
    ).get("value", "")


@pytest.mark.django_db
def test_a_posted_other_kvk_or_kind_never_overwrites_the_verified_number(
    client, scheme
):
    """A hand-made post with another KvK number, another kind and a penvoerder stores
    the rest of the step, and the applicant stays the verified organisation."""
    eherkenning_user(client)
    application = start(client, scheme)

    applicant = post_step1(
        client,
        application,
        kind="bewonersgroep",
        kvk_number=TYPED,
        penvoerder_name="Buurthuis De Boog",
        penvoerder_kvk="40111111",
    )
    assert (applicant.kind, applicant.kvk_number) == ("organisatie", VERIFIED)
    assert applicant.kvk_verified is True
    assert applicant.penvoerder_name == "" and applicant.penvoerder_kvk == ""
    assert applicant.name == "Stichting Buurtkracht"
    assert applicant.iban == "NL91ABNA0417164300"

    # What the page posts back (the disabled field is not sent) saves as well.
    html = client.get(step1(application)).content.decode()
    data = form_data(html, "save")
    assert "kvk_number" not in data and "kind" not in data
    response = client.post(step1(application), with_values(data, city="Vleuten"))
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert (applicant.kvk_number, applicant.city) == (VERIFIED, "Vleuten")


@pytest.mark.django_db
def test_a_verified_applicant_keeps_its_number_in_a_session_without_eherkenning(
    client,
):
    """A member whose session verified no KvK number (another login) still sees the
    verified number read-only and cannot change it."""
    application = ApplicationFactory(
        applicant=ApplicantFactory(kvk_number=VERIFIED, kvk_verified=True)
    )
    log_in(client, application.applicant_user, "email")

    page = client.get(step1(application)).content.decode()
    assert kvk_input(page).has_attr("disabled")
    assert "Geverifieerd met eHerkenning" in page
    applicant = post_step1(client, application, kvk_number=TYPED)
    assert (applicant.kvk_number, applicant.kvk_verified) == (VERIFIED, True)

    # The service itself keeps the number too, whoever calls it.
    services.applicant_update(
        application=application,
        user=application.applicant_user,
        fields={"kvk_number": TYPED, "kind": "bewonersgroep"},
    )
    applicant.refresh_from_db()
    assert (applicant.kvk_number, applicant.kind) == (VERIFIED, "organisatie")


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["email", "digid"])
def test_a_typed_kvk_stays_editable_and_unverified(client, scheme, method):
    """After an e-mail or DigiD login the KvK number is typed: the field is an
    ordinary input, the number is stored unverified and can be changed."""
    if method == "email":
        user = UserFactory(role="Aanvrager", email="bewoner@example.nl")
    else:
        user = identified_user("digid", "d1")
    log_in(client, user, method)
    application = start(client, scheme)

    page = client.get(step1(application)).content.decode()
    assert not kvk_input(page).has_attr("disabled")
    assert "Geverifieerd met eHerkenning" not in page
    assert 'name="kind"' in page
    applicant = post_step1(client, application)
    assert (applicant.kvk_number, applicant.kvk_verified) == (TYPED, False)
    applicant = post_step1(client, application, kvk_number="41234568")
    assert (applicant.kvk_number, applicant.kvk_verified) == ("41234568", False)
    assert applicant.contact_email == CONTACT


@pytest.mark.django_db
def test_a_second_application_copies_only_the_same_verified_organisation(
    client, scheme
):
    """The details of an earlier application of the same verified organisation are
    copied; the number stays verified."""
    eherkenning_user(client)
    first = start(client, scheme)
    post_step1(client, first)
    second = start(client, scheme)
    applicant = Applicant.objects.get(pk=second.applicant_id)
    assert applicant.pk != first.applicant_id
    assert (applicant.name, applicant.kvk_number) == ("Stichting Buurtkracht", VERIFIED)
    assert applicant.kvk_verified is True


# --- colleagues of the organisation ----------------------------------------------------


@pytest.mark.django_db
def test_an_eherkenning_login_joins_only_the_verified_applicants_of_its_kvk(client):
    """The signal after an eHerkenning login: the colleague becomes a member of the
    applicants verified for that number, and sees their applications on Mijn
    aanvragen; not of one whose same number was typed, nor of another organisation;
    a DigiD login joins nothing."""
    verified = ApplicationFactory(
        applicant=ApplicantFactory(kvk_number=VERIFIED, kvk_verified=True),
        title="Buurtfeest van de stichting",
    )
    typed = ApplicationFactory(
        applicant=ApplicantFactory(kvk_number=VERIFIED, kvk_verified=False),
        title="Zelf ingetypt nummer",
    )
    other = ApplicationFactory(
        applicant=ApplicantFactory(kvk_number="40999999", kvk_verified=True),
        title="Andere stichting",
    )
    colleague = eherkenning_user(key="2")
    resident = identified_user("digid", "d2")
    for user, provider, kvk in (
        (colleague, "eherkenning", VERIFIED),
        (resident, "digid", ""),
    ):
        oidc_session.logged_in_with_identity.send(
            sender=None,
            request=None,
            user=user,
            facts=LoginFacts(provider=provider, kvk_number=kvk),
        )

    assert list(colleague.applicants.all()) == [verified.applicant]
    assert not resident.applicants.exists()
    log_in(client, colleague, "eherkenning", VERIFIED)
    mine = client.get(reverse("subsidies:my_applications")).content.decode()
    assert verified.title in mine
    assert typed.title not in mine and other.title not in mine


# --- accounts without an e-mail address ------------------------------------------------


def _confirmation_token():
    mail = OutgoingMail.objects.filter(subject__icontains="Bevestig").latest("pk")
    assert mail.to == [CONTACT]
    return re.search(r"/contactadres/bevestigen/\?t=(\S+)", mail.body)[1]


@pytest.mark.django_db
def test_a_resident_without_e_mail_types_a_contact_address_that_is_confirmed_first(
    client, scheme
):
    """A DigiD resident starts with an empty contact address; the one typed gets a
    confirmation link and nothing else until it is confirmed (the step says so, and
    names no login address); after the link, mail about the application goes
    there. The submit is logged without an address and without a BSN."""
    user = identified_user("digid", "d3")
    log_in(client, user, "digid")
    application = start(client, scheme)
    applicant = Applicant.objects.get(pk=application.applicant_id)
    assert applicant.contact_email == ""
    assert applicant.login_addresses() == []

    applicant = post_step1(client, application)
    assert applicant.contact_email_needs_confirmation()
    assert applicant.mail_recipients() == []
    page = client.get(step1(application)).content.decode()
    assert "nog niet bevestigd" in page
    assert "sturen wij u geen e-mail over uw aanvraag" in page
    assert "inlogadres" not in page

    token = _confirmation_token()
    client.post(reverse("subsidies:contact_confirm"), {"t": token})
    applicant.refresh_from_db()
    assert applicant.contact_email_confirmed == CONTACT
    assert applicant.mail_recipients() == [CONTACT]
    page = client.get(step1(application)).content.decode()
    assert f"Het e-mailadres {CONTACT} is bevestigd" in page

    # Submit: the receipt goes to the confirmed contact address; the log names the
    # account, not "None".
    application = ApplicationFactory(applicant=applicant)
    applicant.members.remove(application.applicant_user)
    application.target_groups.set([TargetGroup.objects.create(slug="a", name="A")])
    application.themes.set([Theme.objects.create(slug="b", name="B")])
    Application.objects.filter(pk=application.pk).update(
        expected_reach=30, volunteers=4
    )
    services.application_submit(
        application=application,
        user=user,
        truthful_declaration=True,
        accepts_electronic_decisions=False,
    )
    receipt = OutgoingMail.objects.filter(reference=application.reference).get()
    assert receipt.to == [CONTACT]
    log = TransitionLog.objects.get(application=application, transition="submit")
    assert log.actor == user and log.actor_label == "DigiD"


@pytest.mark.django_db
def test_the_received_page_says_no_receipt_went_out_to_an_unconfirmed_address(client):
    """Sent by a DigiD resident whose contact address is not confirmed yet: no
    address to send the receipt to, and the page says so instead of naming none."""
    user = identified_user("digid", "d4")
    application = ApplicationFactory(
        applicant=AddressedApplicantFactory(contact_email=CONTACT),
        expected_reach=30,
        volunteers=4,
    )
    application.applicant.members.set([user])
    application.target_groups.set([TargetGroup.objects.create(slug="a", name="A")])
    application.themes.set([Theme.objects.create(slug="b", name="B")])
    services.application_submit(
        application=application,
        user=user,
        truthful_declaration=True,
        accepts_electronic_decisions=False,
    )
    assert Application.objects.get(pk=application.pk).status == "ingediend"
    log_in(client, user, "digid")
    page = client.get(reverse("subsidies:received", args=[application.reference]))
    html = page.content.decode()
    assert "U krijgt geen ontvangstbevestiging per e-mail" in html
    assert "gestuurd naar ." not in html and CONTACT not in html


@pytest.mark.django_db
def test_a_resident_without_e_mail_can_lodge_and_withdraw_a_bezwaar():
    """The bezwaar's log names an account without an address by its login."""
    from beoordeling.objections.services.handling import objection_withdraw
    from tests.beoordeling.objections.factories import (
        decided_with_letter,
        objection_lodged,
    )

    application, decision = decided_with_letter(status="afgewezen")
    user = eherkenning_user(key="3")
    application.applicant.members.add(user)
    objection = objection_lodged(decision=decision, user=user)
    objection_withdraw(objection=objection, user=user, reason="Toch niet.")
    labels = set(
        ObjectionLog.objects.filter(objection=objection).values_list(
            "actor_label", flat=True
        )
    )
    assert labels == {f"eHerkenning, KvK {VERIFIED}"}


# --- the assessor's screen -------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("verified", "text"),
    [(True, "geverifieerd (eHerkenning)"), (False, "opgegeven door aanvrager")],
)
def test_the_assessor_sees_whether_the_kvk_number_is_verified(client, verified, text):
    application = ApplicationFactory(
        applicant=ApplicantFactory(kvk_number=VERIFIED, kvk_verified=verified),
        submitted=True,
    )
    client.force_login(team_assessor(application))
    page = client.get(reverse("beoordelen:detail", args=[application.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert f"{VERIFIED} ({text})" in html


# --- through the real provider ---------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_an_eh3_login_starts_an_application_with_the_verified_kvk(live_server, oidc):
    """An organisation logs in with eHerkenning (EH3) at the real provider, starts an
    application and sees its KvK number read-only and verified; a colleague of the
    same organisation logs in and finds the application on Mijn aanvragen."""
    scheme = SchemeFactory(name="Initiatievenfonds")
    RoundFactory(scheme=scheme)
    browser = requests.Session()
    landed = provider_login(
        browser, f"{live_server.url}/inloggen/eherkenning/", EHERKENNING_EH3
    )
    assert landed.url == f"{live_server.url}/mijn-aanvragen/"

    start_url = f"{live_server.url}{reverse('subsidies:start', args=[scheme.slug])}"
    page = browser.get(start_url, timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    step = browser.post(
        start_url,
        data={"csrfmiddlewaretoken": token},
        headers={"Referer": start_url},
        timeout=10,
    )
    assert step.status_code == 200 and step.url.endswith("/organisatie/")
    field = kvk_input(step.text)
    assert field["value"] == EHERKENNING_KVK and field.has_attr("disabled")
    assert "Geverifieerd met eHerkenning" in step.text

    application = Application.objects.get()
    assert application.applicant.kvk_number == EHERKENNING_KVK
    assert application.applicant.kvk_verified is True
    assert application.applicant.contact_email == ""
    assert application.created_by.email is None

    colleague = requests.Session()
    landed = provider_login(
        colleague, f"{live_server.url}/inloggen/eherkenning/", EHERKENNING_EH3_COLLEAGUE
    )
    assert application.reference in landed.text
    assert application.applicant.members.count() == 2
