"""What a login put in the session, read in one place.

``login_method`` is how the user logged in (``digid``, ``eherkenning``, ``medewerker``,
or ``email`` for the login link); a verified KvK number and branch are kept for an
eHerkenning login, and ``staff_mfa`` when the staff sign-on asserted multi-factor.
"""

from django.dispatch import Signal

METHOD_KEY = "login_method"
LEVEL_KEY = "login_level"
KVK_KEY = "login_verified_kvk"
BRANCH_KEY = "login_verified_branch"
MFA_KEY = "staff_mfa"
EMAIL = "email"

#: Sent after an OIDC login, with ``request``, ``user`` and ``facts`` (``LoginFacts``):
#: ``subsidies`` joins an eHerkenning login to its organisation's verified applicants.
logged_in_with_identity = Signal()


def store(request, facts):
    session = request.session
    session[METHOD_KEY] = facts.provider
    session[LEVEL_KEY] = facts.level
    for key, value in ((KVK_KEY, facts.kvk_number), (BRANCH_KEY, facts.branch_number)):
        if value:
            session[key] = value
        else:
            session.pop(key, None)
    if facts.mfa:
        session[MFA_KEY] = True
    else:
        session.pop(MFA_KEY, None)


def login_method(request):
    session = getattr(request, "session", None)
    return session.get(METHOD_KEY, "") if session is not None else ""


def verified_kvk(request):
    """The KvK number an eHerkenning login verified in this session, or ""."""
    session = getattr(request, "session", None)
    if session is None or session.get(METHOD_KEY) != "eherkenning":
        return ""
    return session.get(KVK_KEY, "")


def verified_branch(request):
    session = getattr(request, "session", None)
    if session is None or session.get(METHOD_KEY) != "eherkenning":
        return ""
    return session.get(BRANCH_KEY, "")


def staff_mfa(request):
    """True when the staff sign-on of this session asserted multi-factor."""
    session = getattr(request, "session", None)
    return bool(session is not None and session.get(MFA_KEY))
