"""Residents log in with DigiD through the broker (the real test provider): the BSN
finds the same account from any device, is stored only as a keyed hash, and a level
below DigiD Midden, a cancelled login or an invalid BSN logs nobody in."""

import re

import pytest
import requests
from django.contrib.auth import SESSION_KEY
from django.core import mail

from accounts.models import LoginIdentity, User
from accounts.roles import APPLICANT
from tests.factories import ApplicantFactory, ApplicationFactory, UserFactory
from tests.services.oidc_provider import (
    DIGID_BASIS,
    DIGID_BASIS_BSN,
    DIGID_INVALID_BSN,
    DIGID_MIDDEN,
    DIGID_MIDDEN_BSN,
    DIGID_SUBSTANTIEEL,
    EHERKENNING_EH3,
    login_by_email_link,
    portal_session,
    provider_login,
)

pytestmark = pytest.mark.django_db(transaction=True)


def start(live_server):
    return f"{live_server.url}/inloggen/digid/"


def row_values(instance):
    """Every stored value of a row, as text."""
    return [str(getattr(instance, field.attname)) for field in instance._meta.fields]


def test_digid_midden_logs_in_a_resident_known_only_by_a_keyed_hash(oidc, live_server):
    """The first DigiD login makes an Aanvrager without an e-mail address; the BSN is
    stored nowhere in the identity or the user, only a 64-hex keyed hash."""
    browser = requests.Session()
    page = provider_login(browser, start(live_server), DIGID_MIDDEN)

    assert page.status_code == 200
    assert page.url == f"{live_server.url}/mijn-aanvragen/"
    assert "U bent ingelogd met DigiD" in page.text
    identity = LoginIdentity.objects.get(provider=LoginIdentity.Provider.DIGID)
    assert re.fullmatch(r"[0-9a-f]{64}", identity.subject_hash)
    assert identity.level_of_assurance == "midden"
    assert identity.kvk_number == ""
    assert identity.last_login_at is not None
    user = identity.user
    assert user.email is None
    assert not user.has_usable_password()
    assert list(user.groups.values_list("name", flat=True)) == [APPLICANT]
    for value in row_values(identity) + row_values(user):
        assert DIGID_MIDDEN_BSN not in value
    stored = portal_session(browser)
    assert int(stored[SESSION_KEY]) == user.pk
    assert stored["login_method"] == "digid"
    assert stored["login_level"] == "midden"


def test_the_same_bsn_finds_the_same_account_and_its_applications_on_another_device(
    oidc, live_server
):
    """A second login in a fresh browser is the same user, who sees the applications
    of the applicant they belong to on Mijn aanvragen, without any e-mail."""
    first = requests.Session()
    provider_login(first, start(live_server), DIGID_MIDDEN)
    user = LoginIdentity.objects.get(provider=LoginIdentity.Provider.DIGID).user
    applicant = ApplicantFactory(name="Buurtvereniging De Linde")
    application = ApplicationFactory(
        applicant=applicant, title="Zomerfeest in de Lindestraat"
    )
    applicant.members.add(user)

    other_device = requests.Session()
    page = provider_login(other_device, start(live_server), DIGID_MIDDEN)

    assert page.url == f"{live_server.url}/mijn-aanvragen/"
    assert int(portal_session(other_device)[SESSION_KEY]) == user.pk
    assert "Zomerfeest in de Lindestraat" in page.text
    assert application.reference in page.text
    assert User.objects.filter(identities__provider="digid").count() == 1
    assert LoginIdentity.objects.count() == 1
    assert len(mail.outbox) == 0


def test_a_higher_level_than_midden_is_admitted(oidc, live_server):
    """DigiD Substantieel is above the minimum: the login succeeds at that level."""
    browser = requests.Session()
    page = provider_login(browser, start(live_server), DIGID_SUBSTANTIEEL)

    assert page.url == f"{live_server.url}/mijn-aanvragen/"
    identity = LoginIdentity.objects.get()
    assert identity.level_of_assurance == "substantieel"
    assert portal_session(browser)["login_level"] == "substantieel"


def test_a_digid_login_never_joins_the_account_logged_in_by_email(oidc, live_server):
    """A forwarded login link or a shared computer must not tie a person's BSN to
    someone else's account (found in review): logged in by e-mail link, a first
    DigiD login is the person's own new account, and the e-mail account keeps its
    applications and gets no identity; later DigiD logins find the new account."""
    resident = UserFactory(email="bewoner@example.nl", role=APPLICANT)
    applicant = ApplicantFactory(members=[resident])
    ApplicationFactory(applicant=applicant, title="Plantenbakken op het plein")
    browser = requests.Session()
    page = login_by_email_link(browser, live_server.url, "bewoner@example.nl")
    assert page.url == f"{live_server.url}/mijn-aanvragen/"
    assert portal_session(browser)["login_method"] == "email"

    page = provider_login(browser, start(live_server), DIGID_MIDDEN)

    assert "U bent ingelogd met DigiD" in page.text
    assert "Plantenbakken op het plein" not in page.text
    identity = LoginIdentity.objects.get()
    assert identity.user != resident
    assert identity.user.email is None
    assert int(portal_session(browser)[SESSION_KEY]) == identity.user.pk
    assert portal_session(browser)["login_method"] == "digid"
    assert not resident.identities.exists()

    other_device = requests.Session()
    provider_login(other_device, start(live_server), DIGID_MIDDEN)
    assert int(portal_session(other_device)[SESSION_KEY]) == identity.user.pk


def test_a_bsn_tied_to_another_account_logs_in_to_that_account(oidc, live_server):
    """Logged in by e-mail as one account, a DigiD login whose BSN belongs to another
    account logs in to the other one; the e-mail account gets no identity."""
    provider_login(requests.Session(), start(live_server), DIGID_MIDDEN)
    digid_user = LoginIdentity.objects.get().user
    UserFactory(email="ander@example.nl", role=APPLICANT)
    browser = requests.Session()
    login_by_email_link(browser, live_server.url, "ander@example.nl")

    page = provider_login(browser, start(live_server), DIGID_MIDDEN)

    assert page.url == f"{live_server.url}/mijn-aanvragen/"
    assert int(portal_session(browser)[SESSION_KEY]) == digid_user.pk
    assert LoginIdentity.objects.get().user == digid_user
    assert not LoginIdentity.objects.filter(user__email="ander@example.nl").exists()


def test_a_digid_login_after_an_eherkenning_login_is_the_persons_own_account(
    oidc, live_server
):
    """A person's BSN is never tied to an organisation's account: logged in with
    eHerkenning in this browser, a first DigiD login makes the person's own account."""
    browser = requests.Session()
    provider_login(browser, f"{live_server.url}/inloggen/eherkenning/", EHERKENNING_EH3)
    organisation = LoginIdentity.objects.get(provider="eherkenning").user

    provider_login(browser, start(live_server), DIGID_MIDDEN)

    person = LoginIdentity.objects.get(provider="digid").user
    assert person != organisation
    assert int(portal_session(browser)[SESSION_KEY]) == person.pk
    assert list(organisation.identities.values_list("provider", flat=True)) == [
        "eherkenning"
    ]


def test_digid_basis_is_refused_naming_digid_midden(oidc, live_server):
    """Below the minimum: a Dutch page that names DigiD Midden, status 403, nobody
    logged in, nothing stored."""
    browser = requests.Session()
    page = provider_login(browser, start(live_server), DIGID_BASIS)

    assert page.status_code == 403
    assert "Dit inlogmiddel is niet sterk genoeg" in page.text
    assert "DigiD Midden" in page.text
    assert "DigiD app of met een sms-controle" in page.text
    assert "eHerkenning" not in page.text.split("<main", 1)[1].split("</main>", 1)[0]
    assert DIGID_BASIS_BSN not in page.text
    assert SESSION_KEY not in portal_session(browser)
    assert not LoginIdentity.objects.exists()
    assert not User.objects.exists()


def test_cancelling_at_the_provider_logs_nobody_in(oidc, live_server):
    """ "Annuleren" on the provider's page: "Inloggen afgebroken", with a way to try
    again, and nothing stored."""
    browser = requests.Session()
    page = provider_login(browser, start(live_server), DIGID_MIDDEN, action="cancel")

    assert page.status_code == 200
    assert page.url.startswith(f"{live_server.url}/inloggen/digid/callback/")
    assert "Inloggen afgebroken" in page.text
    assert "/inloggen/digid/" in page.text
    assert SESSION_KEY not in portal_session(browser)
    assert not LoginIdentity.objects.exists()
    assert not User.objects.exists()


def test_a_bsn_that_fails_the_elfproef_is_refused(oidc, live_server):
    """A broker that sends an invalid BSN: the "claims" page, nobody logged in."""
    browser = requests.Session()
    page = provider_login(browser, start(live_server), DIGID_INVALID_BSN)

    assert page.status_code == 400
    assert "Inloggen is niet gelukt" in page.text
    assert "niet de gegevens die we nodig hebben" in page.text
    assert "123456789" not in page.text
    assert SESSION_KEY not in portal_session(browser)
    assert not LoginIdentity.objects.exists()
    assert not User.objects.exists()
