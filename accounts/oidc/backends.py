"""One authentication backend per OpenID provider, on mozilla-django-oidc.

mozilla-django-oidc's backend exchanges the code, checks the ID token's signature and
nonce (and PKCE) and reads the userinfo; these subclasses decide who that is. Each
backend answers only the callback of its own provider (the view sets
``request.oidc_provider``), reads its settings only then (a provider that is not
configured never breaks a password login), and refuses with a reason the failure page
explains (``request.oidc_failure``): a level of assurance below the minimum, a claim
missing, no role for staff.

What a backend learned for the session (the level, a verified KvK number, multi-factor
asserted for staff) it leaves on ``request.oidc_login``; the callback view stores it
after ``login()``, which may flush the session.

mozilla-django-oidc checks the ID token's signature and nonce, not its issuer,
audience and expiry, nor that the userinfo is about the same subject (OpenID Connect
Core 3.1.3.7 and 5.3.2); ``check_id_token`` and ``get_userinfo`` add those checks.
"""

import logging
import time
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from stdnum.nl import bsn as bsn_number

from . import assurance, identities, providers

logger = logging.getLogger(__name__)

#: Seconds the provider's clock may run ahead of ours when checking ``exp``.
CLOCK_SKEW_SECONDS = 60


@dataclass
class LoginFacts:
    """What one OIDC login established, for the session (never the BSN)."""

    provider: str
    level: str = ""
    kvk_number: str = ""
    branch_number: str = ""
    mfa: bool = False


def _as_list(value):
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


class PortalOIDCBackend(OIDCAuthenticationBackend):
    provider = None

    def __init__(self, *args, **kwargs):
        # mozilla-django-oidc reads every setting here; ours are read per provider,
        # and only in ``authenticate``, when this provider's callback is being handled.
        self.UserModel = get_user_model()

    def get_settings(self, attr, *args):
        return providers.oidc_setting(self.provider, attr, args[0] if args else None)

    @property
    def conf(self):
        return providers.config(self.provider)

    def authenticate(self, request, **kwargs):
        if request is None or getattr(request, "oidc_provider", None) != self.provider:
            return None
        if self.conf is None:
            return None
        self.OIDC_OP_TOKEN_ENDPOINT = self.get_settings("OIDC_OP_TOKEN_ENDPOINT")
        self.OIDC_OP_USER_ENDPOINT = self.get_settings("OIDC_OP_USER_ENDPOINT")
        self.OIDC_OP_JWKS_ENDPOINT = self.get_settings("OIDC_OP_JWKS_ENDPOINT")
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        self.OIDC_RP_CLIENT_SECRET = self.get_settings("OIDC_RP_CLIENT_SECRET")
        self.OIDC_RP_SIGN_ALGO = self.get_settings("OIDC_RP_SIGN_ALGO")
        self.OIDC_RP_IDP_SIGN_KEY = None
        return super().authenticate(request, **kwargs)

    def check_id_token(self, payload):
        """Refuse an ID token not issued by this provider to this client, or expired.

        Raises ``LoginRefused("error")``; the log names the check, never a value."""
        client_id = self.conf["client_id"]
        audience = payload.get("aud")
        audience = [audience] if isinstance(audience, str) else list(audience or [])
        expires = payload.get("exp")
        checks = {
            "iss": str(payload.get("iss", "")).rstrip("/")
            == self.conf["issuer"].rstrip("/"),
            "aud": client_id in audience,
            "azp": len(audience) < 2 or payload.get("azp") == client_id,
            "exp": isinstance(expires, (int, float))
            and expires + CLOCK_SKEW_SECONDS > time.time(),
            "sub": bool(payload.get("sub")),
        }
        for check, passed in checks.items():
            if not passed:
                logger.warning(
                    "OIDC ID token refused: provider=%s check=%s", self.provider, check
                )
                raise identities.LoginRefused("error")

    def get_userinfo(self, access_token, id_token, payload):
        """The userinfo claims, with ``acr`` and ``amr`` from the verified ID token
        (they are claims of the authentication, not of the person). Userinfo about
        another subject than the ID token's is refused."""
        claims = dict(super().get_userinfo(access_token, id_token, payload))
        if claims.get("sub") != payload.get("sub"):
            logger.warning(
                "OIDC userinfo refused: provider=%s check=sub", self.provider
            )
            raise identities.LoginRefused("error")
        for name in ("acr", "amr"):
            if name in payload:
                claims[name] = payload[name]
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        try:
            self.check_id_token(payload)
            claims = self.get_userinfo(access_token, id_token, payload)
            user, facts = self.resolve(claims)
        except identities.LoginRefused as refused:
            self.request.oidc_failure = refused.reason
            logger.info(
                "OIDC login refused: provider=%s reason=%s",
                self.provider,
                refused.reason,
            )
            return None
        self.request.oidc_login = facts
        return user

    def resolve(self, claims):
        """(user, LoginFacts) for these claims, or raise ``LoginRefused``."""
        raise NotImplementedError

    def _level(self, claims):
        claimed = claims.get(self.conf["loa_claim"])
        if not assurance.meets(self.provider, claimed, self.conf["min_loa"]):
            raise identities.LoginRefused("level")
        return assurance.level(self.provider, claimed)


class DigiDBackend(PortalOIDCBackend):
    """A person: the BSN (checked with the elfproef) finds the account by its hash."""

    provider = providers.DIGID

    def resolve(self, claims):
        level = self._level(claims)
        number = str(claims.get(self.conf["bsn_claim"]) or "").strip()
        if not (number.isascii() and bsn_number.is_valid(number)):
            raise identities.LoginRefused("claims")
        # Never added to the account logged in in this browser: a forwarded login
        # link or a shared computer would tie a person's BSN to someone else's
        # account. A DigiD login is always the person's own account.
        user = identities.resident_login(
            self.provider, number, level_of_assurance=level
        )
        return user, LoginFacts(provider=self.provider, level=level)


class EHerkenningBackend(PortalOIDCBackend):
    """An organisation: the KvK number verified, the acting person by a pseudonym."""

    provider = providers.EHERKENNING

    def resolve(self, claims):
        level = self._level(claims)
        kvk = str(claims.get(self.conf["kvk_claim"]) or "").strip()
        branch = str(claims.get(self.conf["branch_claim"]) or "").strip()
        acting = str(claims.get(self.conf["acting_subject_claim"]) or "").strip()
        valid_kvk = len(kvk) == 8 and kvk.isascii() and kvk.isdigit()
        valid_branch = not branch or (
            len(branch) == 12 and branch.isascii() and branch.isdigit()
        )
        if not (valid_kvk and valid_branch and acting):
            raise identities.LoginRefused("claims")
        user = identities.resident_login(
            self.provider,
            f"{kvk}:{branch}:{acting}",
            kvk_number=kvk,
            branch_number=branch,
            level_of_assurance=level,
        )
        facts = LoginFacts(
            provider=self.provider, level=level, kvk_number=kvk, branch_number=branch
        )
        return user, facts


class StaffBackend(PortalOIDCBackend):
    """A staff member of the gemeente: groups from a claim, multi-factor from acr/amr."""

    provider = providers.STAFF

    def group_map(self):
        pairs = (item.split("=", 1) for item in self.conf["group_map"].split(","))
        return {
            claim.strip(): group.strip()
            for claim, group in (pair for pair in pairs if len(pair) == 2)
            if claim.strip() and group.strip()
        }

    def asserts_mfa(self, claims):
        """True when the provider asserts more than one factor: ``amr`` holds "mfa",
        or two different methods of which one is a second factor (RFC 8176: "otp"
        or "sms" alone is one factor), or ``acr`` is a value configured as
        multi-factor."""
        amr = _as_list(claims.get("amr"))
        acr = _as_list(claims.get("acr"))
        factors = {v.strip() for v in self.conf["mfa_amr"].split(",") if v.strip()}
        mfa_acr = {v.strip() for v in self.conf["mfa_acr"].split(",") if v.strip()}
        methods = {str(value) for value in amr}
        if "mfa" in methods or mfa_acr.intersection(str(value) for value in acr):
            return True
        return len(methods) >= 2 and bool(factors.intersection(methods))

    def resolve(self, claims):
        sub = str(claims.get("sub") or "").strip()
        email = str(claims.get("email") or "").strip().lower()
        if not sub or not email:
            raise identities.LoginRefused("claims")
        claimed = claims.get(self.conf["groups_claim"]) or []
        if isinstance(claimed, str):
            claimed = [claimed]
        mapping = self.group_map()
        groups = sorted({mapping[value] for value in claimed if value in mapping})
        if not groups:
            identities.staff_without_role(
                sub=sub, managed_groups=sorted(set(mapping.values()))
            )
            raise identities.LoginRefused("role")
        if claims.get("email_verified") is False:
            raise identities.LoginRefused("claims")
        user = identities.staff_login(
            sub=sub,
            email=email,
            first_name=str(claims.get("given_name") or ""),
            last_name=str(claims.get("family_name") or ""),
            groups=groups,
            managed_groups=sorted(set(mapping.values())),
        )
        return user, LoginFacts(provider=self.provider, mfa=self.asserts_mfa(claims))
