"""The audit log of DigiD, eHerkenning and staff logins records who, how and from
where, and never a BSN or another claim value (AVG): checked on every log record of
every logger at DEBUG, the portal's own and the libraries' (mozilla-django-oidc,
requests, urllib3)."""

import logging

import pytest
import requests

from accounts.models import LoginIdentity
from portal.shared.ratelimit import AUDIT_LOGGER
from tests.services.oidc_provider import (
    DIGID_BASIS,
    DIGID_BASIS_BSN,
    DIGID_INVALID_BSN,
    DIGID_MIDDEN,
    DIGID_MIDDEN_BSN,
    DIGID_SUBSTANTIEEL,
    DIGID_SUBSTANTIEEL_BSN,
    EHERKENNING_EH3,
    STAFF_MFA,
    portal_logout,
    provider_login,
    submit_provider_logout,
)

pytestmark = pytest.mark.django_db(transaction=True)

BSNS = (DIGID_MIDDEN_BSN, DIGID_SUBSTANTIEEL_BSN, DIGID_BASIS_BSN, "123456789")
#: Claim values of the test accounts that no audit line may carry.
CLAIM_VALUES = (
    "MobileTwoFactorContract",
    "PasswordProtectedTransport",
    "urn:etoegang",
    "000038509490",
    "urn:gemeente-utrecht",
    "initiatiefloket-beoordelaar",
    "Sanne",
    DIGID_MIDDEN,  # the test provider's subject (sub) of the accounts
    EHERKENNING_EH3,
    STAFF_MFA,
)
LIBRARIES = ("mozilla_django_oidc", "requests", "urllib3", "django", "accounts")


def text_of(record):
    """Everything a handler could write of a record: message, arguments, exception."""
    parts = [record.getMessage(), repr(record.args)]
    if record.exc_info:
        parts.append(logging.Formatter().formatException(record.exc_info))
    return " ".join(parts)


def test_no_bsn_or_claim_value_is_logged_during_oidc_logins(oidc, live_server, caplog):
    """A DigiD login and logout at the provider, refusals (level too low, invalid
    BSN), an eHerkenning and a staff login: the audit lines say what happened, and
    no log record of any logger names a BSN; audit lines name no claim value."""
    caplog.set_level(logging.DEBUG)
    for name in LIBRARIES:
        caplog.set_level(logging.DEBUG, logger=name)
    digid = f"{live_server.url}/inloggen/digid/"

    browser = requests.Session()
    provider_login(browser, digid, DIGID_MIDDEN)
    user = LoginIdentity.objects.get().user
    submit_provider_logout(
        browser, portal_logout(browser, live_server.url).headers["Location"]
    )
    provider_login(requests.Session(), digid, DIGID_SUBSTANTIEEL)
    provider_login(requests.Session(), digid, DIGID_BASIS)
    provider_login(requests.Session(), digid, DIGID_INVALID_BSN)
    provider_login(
        requests.Session(), f"{live_server.url}/inloggen/eherkenning/", EHERKENNING_EH3
    )
    provider_login(
        requests.Session(), f"{live_server.url}/inloggen/medewerker/", STAFF_MFA
    )

    everything = [text_of(record) for record in caplog.records]
    # The search looked at real material: the libraries logged the exchange too.
    assert any(record.name.startswith("urllib3") for record in caplog.records)
    for text in everything:
        for bsn in BSNS:
            assert bsn not in text, text
    audit = [
        record.getMessage() for record in caplog.records if record.name == AUDIT_LOGGER
    ]
    digid_login = (
        f"Login succeeded: user='id:{user.pk}' ip=127.0.0.1 "
        "path=/inloggen/digid/callback/ backend=accounts.oidc.backends.DigiDBackend"
    )
    assert digid_login in audit
    assert f"Logout: user='id:{user.pk}' ip=127.0.0.1" in audit
    assert "OIDC login refused: provider=digid reason=level ip=127.0.0.1" in audit
    assert "OIDC login refused: provider=digid reason=claims ip=127.0.0.1" in audit
    assert any("backends.EHerkenningBackend" in line for line in audit)
    assert any(
        "sso.beoordelaar@utrecht.example" in line and "StaffBackend" in line
        for line in audit
    )
    for line in audit:
        for value in CLAIM_VALUES:
            assert value not in line, line
