"""Organisations log in with eHerkenning through the broker (the real test provider):
the KvK number and branch are verified for the session and kept on the identity; each
acting person is their own account; a level below EH3 logs nobody in."""

import pytest
import requests
from django.contrib.auth import SESSION_KEY

from accounts.models import LoginIdentity, User
from accounts.oidc.session import logged_in_with_identity
from accounts.roles import APPLICANT
from tests.services.oidc_provider import (
    EHERKENNING_BRANCH,
    EHERKENNING_EH2,
    EHERKENNING_EH3,
    EHERKENNING_EH3_COLLEAGUE,
    EHERKENNING_KVK,
    portal_session,
    provider_login,
)

pytestmark = pytest.mark.django_db(transaction=True)


def start(live_server):
    return f"{live_server.url}/inloggen/eherkenning/"


@pytest.fixture
def identity_signals():
    """The ``logged_in_with_identity`` signals sent during the test."""
    sent = []

    def receiver(sender, request, user, facts, **kwargs):
        sent.append((user.pk, facts))

    logged_in_with_identity.connect(receiver, dispatch_uid="test-oidc-eherkenning")
    yield sent
    logged_in_with_identity.disconnect(dispatch_uid="test-oidc-eherkenning")


def test_eh3_logs_in_an_organisation_with_its_verified_kvk_number(
    oidc, live_server, identity_signals
):
    """The identity keeps the KvK number and branch; the session holds them as
    verified; the other apps hear of it through the signal."""
    browser = requests.Session()
    page = provider_login(browser, start(live_server), EHERKENNING_EH3)

    assert page.status_code == 200
    assert page.url == f"{live_server.url}/mijn-aanvragen/"
    assert "U bent ingelogd met eHerkenning" in page.text
    identity = LoginIdentity.objects.get()
    assert identity.provider == LoginIdentity.Provider.EHERKENNING
    assert identity.kvk_number == EHERKENNING_KVK
    assert identity.branch_number == EHERKENNING_BRANCH
    assert identity.level_of_assurance == "eh3"
    assert len(identity.subject_hash) == 64
    assert identity.user.email is None
    assert list(identity.user.groups.values_list("name", flat=True)) == [APPLICANT]
    assert str(identity) == f"eHerkenning, KvK {EHERKENNING_KVK}"
    stored = portal_session(browser)
    assert int(stored[SESSION_KEY]) == identity.user.pk
    assert stored["login_method"] == "eherkenning"
    assert stored["login_verified_kvk"] == EHERKENNING_KVK
    assert stored["login_verified_branch"] == EHERKENNING_BRANCH
    [(user_pk, facts)] = identity_signals
    assert user_pk == identity.user.pk
    assert (facts.provider, facts.kvk_number, facts.branch_number, facts.level) == (
        "eherkenning",
        EHERKENNING_KVK,
        EHERKENNING_BRANCH,
        "eh3",
    )


def test_a_colleague_of_the_same_organisation_is_another_account(oidc, live_server):
    """Same KvK number, another acting person (pseudonym): another user, both with
    the verified KvK number; the first one logging in again finds their own."""
    first = requests.Session()
    provider_login(first, start(live_server), EHERKENNING_EH3)
    colleague = requests.Session()
    provider_login(colleague, start(live_server), EHERKENNING_EH3_COLLEAGUE)

    identities = LoginIdentity.objects.order_by("pk")
    assert identities.count() == 2
    mine, theirs = identities
    assert mine.user != theirs.user
    assert mine.subject_hash != theirs.subject_hash
    assert {mine.kvk_number, theirs.kvk_number} == {EHERKENNING_KVK}
    assert int(portal_session(first)[SESSION_KEY]) == mine.user.pk
    assert int(portal_session(colleague)[SESSION_KEY]) == theirs.user.pk
    assert portal_session(colleague)["login_verified_kvk"] == EHERKENNING_KVK

    again = requests.Session()
    provider_login(again, start(live_server), EHERKENNING_EH3)
    assert int(portal_session(again)[SESSION_KEY]) == mine.user.pk
    assert User.objects.count() == 2


def test_eh2_is_refused_naming_eh3(oidc, live_server):
    """Below EH3: the Dutch page names eHerkenning EH3, status 403, nothing stored."""
    browser = requests.Session()
    page = provider_login(browser, start(live_server), EHERKENNING_EH2)

    assert page.status_code == 403
    assert "Dit inlogmiddel is niet sterk genoeg" in page.text
    assert "eHerkenning EH3" in page.text
    assert "eHerkenning-middel van dit niveau" in page.text
    assert "DigiD" not in page.text.split("<main", 1)[1].split("</main>", 1)[0]
    assert "/inloggen/eherkenning/" in page.text
    stored = portal_session(browser)
    assert SESSION_KEY not in stored
    assert "login_verified_kvk" not in stored
    assert not LoginIdentity.objects.exists()
    assert not User.objects.exists()
