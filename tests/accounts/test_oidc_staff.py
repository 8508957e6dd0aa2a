"""Staff log in with the gemeente's identity provider (the real test provider): the
portal's groups follow the mapped claim, groups given by hand stay, a resident's
account is never made staff, and multi-factor is read from acr/amr."""

import pytest
import requests
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group

from accounts.models import LoginIdentity, User
from accounts.roles import (
    APPLICANT,
    ASSESSOR,
    DECISION_MAKER,
    FINANCIAL_ADMINISTRATOR,
)
from tests.factories import UserFactory
from tests.services.oidc_provider import (
    STAFF_MFA,
    STAFF_MFA_EMAIL,
    STAFF_NO_ROLE,
    STAFF_PASSWORD_ONLY,
    STAFF_PASSWORD_ONLY_EMAIL,
    portal_session,
    provider_login,
)

pytestmark = pytest.mark.django_db(transaction=True)


def start(live_server):
    return f"{live_server.url}/inloggen/medewerker/"


def group_names(user):
    return sorted(user.groups.values_list("name", flat=True))


def test_a_staff_member_with_a_mapped_group_reaches_the_admin(oidc, live_server):
    """The claim's mapped group (Beoordelaar) is given, an unmapped value ("intranet")
    is ignored, the name is taken from the claims, and multi-factor is recorded."""
    browser = requests.Session()
    page = provider_login(browser, start(live_server), STAFF_MFA)

    assert page.status_code == 200
    assert page.url == f"{live_server.url}/admin/"
    user = User.objects.get(email=STAFF_MFA_EMAIL)
    assert group_names(user) == [ASSESSOR]
    assert (user.first_name, user.last_name) == ("Sanne", "de Vries")
    assert not user.has_usable_password()
    assert "Sanne" in page.text  # Wagtail's dashboard greets the staff member
    identity = LoginIdentity.objects.get(user=user)
    assert identity.provider == LoginIdentity.Provider.STAFF
    assert len(identity.subject_hash) == 64
    stored = portal_session(browser)
    assert int(stored[SESSION_KEY]) == user.pk
    assert stored["login_method"] == "medewerker"
    assert stored["staff_mfa"] is True


def test_a_password_only_sign_on_does_not_count_as_multi_factor(oidc, live_server):
    """amr "pwd" alone: logged in with the mapped group, but without staff_mfa."""
    browser = requests.Session()
    page = provider_login(browser, start(live_server), STAFF_PASSWORD_ONLY)

    assert page.url == f"{live_server.url}/admin/"
    user = User.objects.get(email=STAFF_PASSWORD_ONLY_EMAIL)
    assert group_names(user) == [DECISION_MAKER]
    stored = portal_session(browser)
    assert int(stored[SESSION_KEY]) == user.pk
    assert "staff_mfa" not in stored


def test_the_next_login_takes_away_a_mapped_group_and_keeps_one_given_by_hand(
    oidc, live_server, settings
):
    """The groups named in the map are exactly those the claim gives; a group the
    Beheerder gave by hand, outside the map, stays."""
    provider_login(requests.Session(), start(live_server), STAFF_MFA)
    user = User.objects.get(email=STAFF_MFA_EMAIL)
    user.groups.add(Group.objects.get(name=FINANCIAL_ADMINISTRATOR))
    providers = {name: dict(values) for name, values in settings.OIDC_PROVIDERS.items()}
    # Beoordelaar now comes from another claim value; "intranet" gives Besluitvormer;
    # Financieel beheerder is no longer mapped.
    providers["medewerker"]["group_map"] = (
        "initiatiefloket-beoordelaar-nieuw=Beoordelaar,intranet=Besluitvormer"
    )
    settings.OIDC_PROVIDERS = providers

    browser = requests.Session()
    page = provider_login(browser, start(live_server), STAFF_MFA)

    assert page.url == f"{live_server.url}/admin/"
    assert int(portal_session(browser)[SESSION_KEY]) == user.pk
    assert group_names(user) == [DECISION_MAKER, FINANCIAL_ADMINISTRATOR]
    assert LoginIdentity.objects.filter(user=user).count() == 1


def test_a_staff_member_without_a_role_is_refused(oidc, live_server):
    """No mapped group in the claim: the "role" page, 403, no account made."""
    browser = requests.Session()
    page = provider_login(browser, start(live_server), STAFF_NO_ROLE)

    assert page.status_code == 403
    assert "U heeft geen rol in het Initiatiefloket" in page.text
    assert "/admin/login/" in page.text
    assert SESSION_KEY not in portal_session(browser)
    assert not User.objects.exists()
    assert not LoginIdentity.objects.exists()


def test_a_residents_account_with_the_same_email_is_never_made_staff(oidc, live_server):
    """The sign-on's e-mail address belongs to a resident's account: refused with the
    "account" page; the resident keeps only the Aanvrager group and no identity."""
    resident = UserFactory(email=STAFF_MFA_EMAIL, role=APPLICANT)
    browser = requests.Session()
    page = provider_login(browser, start(live_server), STAFF_MFA)

    assert page.status_code == 403
    assert "Dit account kan zo niet inloggen" in page.text
    assert SESSION_KEY not in portal_session(browser)
    resident.refresh_from_db()
    assert group_names(resident) == [APPLICANT]
    assert not resident.is_staff
    assert not resident.is_municipal_staff
    assert (resident.first_name, resident.last_name) != ("Sanne", "de Vries")
    assert not LoginIdentity.objects.exists()


def test_an_existing_staff_account_with_the_same_email_is_linked(oidc, live_server):
    """A staff account made by hand (password login) with the sign-on's address is
    the account the sign-on logs in to, from then on by its identity."""
    staff = UserFactory(email=STAFF_MFA_EMAIL, role=ASSESSOR)
    browser = requests.Session()
    page = provider_login(browser, start(live_server), STAFF_MFA)

    assert page.url == f"{live_server.url}/admin/"
    assert int(portal_session(browser)[SESSION_KEY]) == staff.pk
    assert LoginIdentity.objects.get().user == staff
    assert User.objects.count() == 1


def test_a_claim_without_any_mapped_group_takes_the_role_away_before_refusing(
    oidc, live_server, settings
):
    """A known staff member whose claim no longer names a mapped group is refused, and
    the mapped groups go first: a password login to the same account no longer
    carries the role (found in review)."""
    provider_login(requests.Session(), start(live_server), STAFF_MFA)
    user = User.objects.get(email=STAFF_MFA_EMAIL)
    assert group_names(user) == [ASSESSOR]
    providers = {name: dict(values) for name, values in settings.OIDC_PROVIDERS.items()}
    providers["medewerker"]["group_map"] = "initiatiefloket-elders=Beoordelaar"
    settings.OIDC_PROVIDERS = providers

    browser = requests.Session()
    page = provider_login(browser, start(live_server), STAFF_MFA)

    assert page.status_code == 403
    assert "U heeft geen rol in het Initiatiefloket" in page.text
    assert SESSION_KEY not in portal_session(browser)
    assert group_names(user) == []


def test_a_superusers_account_with_the_same_email_is_never_linked(oidc, live_server):
    """A superuser is linked to a sign-on only by hand, never by a claim."""
    superuser = User.objects.create_superuser(STAFF_MFA_EMAIL, "Een-lang-wachtwoord-1")
    browser = requests.Session()
    page = provider_login(browser, start(live_server), STAFF_MFA)

    assert page.status_code == 403
    assert "Dit account kan zo niet inloggen" in page.text
    assert SESSION_KEY not in portal_session(browser)
    assert not LoginIdentity.objects.filter(user=superuser).exists()
    superuser.refresh_from_db()
    assert group_names(superuser) == []


@pytest.mark.parametrize(
    ("claims", "multi_factor"),
    [
        ({"amr": ["pwd", "otp"]}, True),
        ({"amr": ["mfa"]}, True),
        ({"amr": "mfa"}, True),
        ({"amr": ["otp"]}, False),
        ({"amr": ["sms"]}, False),
        ({"amr": ["pwd"]}, False),
        ({"amr": ["pwd", "kba"]}, False),
        ({}, False),
        ({"acr": ["urn:gemeente:mfa", "urn:gemeente:pwd"]}, True),
        ({"acr": ["urn:gemeente:pwd"]}, False),
        ({"acr": "urn:gemeente:mfa"}, True),
    ],
)
def test_one_factor_alone_never_skips_the_code(settings, claims, multi_factor):
    """RFC 8176: "otp" or "sms" alone is one factor; multi-factor is "mfa", two
    different methods of which one is a second factor, or a configured acr value
    (a list of acr values is read as a list, never a 500)."""
    from accounts.oidc.backends import StaffBackend
    from tests.services.oidc_provider import provider_settings

    providers = provider_settings("https://login.utrecht.example")
    providers["medewerker"]["mfa_acr"] = "urn:gemeente:mfa"
    settings.OIDC_PROVIDERS = providers

    assert StaffBackend().asserts_mfa(claims) is multi_factor
