"""The access matrix: every URL of the project against every role, with the answer due.

The rows are found in the URL configuration, not typed in: the resolver is walked
recursively and a pattern is a row of the matrix when

- its view lives in one of the project's packages (``portal``, ``accounts``,
  ``subsidies``, ``beoordeling``, ``cms``), judged by the module of the view (class);
- or it belongs to a Wagtail ``ModelViewSet``/``SnippetViewSet`` that the project
  registers itself (the viewset *class* is defined in a project package, as in
  ``subsidies/wagtail_hooks.py`` and ``beoordeling/assessment/admin.py``). Wagtail's
  own viewsets stay out, even the users viewset of our ``accounts.User``;
- or it is one of two representatives of the frameworks' own admin URLs, which are
  otherwise out of scope (Wagtail pages, images, documents, users, reports; the Django
  admin): ``wagtailadmin_home`` for the Wagtail admin gate and ``admin:index`` for the
  Django admin gate (superusers only).

``EXPECTED`` gives every row a policy: a small named rule with the answer for each of
the seven roles (anonymous, applicant A, applicant B, an assessor of another team, the
assessor of A's team, a decision maker, an administrator). The first test compares the
rows found with the keys of ``EXPECTED``, so a new URL without an entry fails, and so
does an entry whose URL has gone.

The answers are status codes, or for a redirect where it goes: ``login`` (the
residents' login), ``staff_login`` (the Wagtail or Django admin login),
``dashboard`` (Wagtail's refusal: back to the admin home with a message) or
``redirect:<url name>``. Each cell is one request with the Django test client, as that
role (``force_login``; the staff second factor is switched off). Cells are GET
requests, except for URLs whose policy says POST: views that refuse GET are sent an
empty POST instead, so their permission check is what answers (a 405 would show that
the method is refused, not who may use it). A separate test checks that those URLs do
answer 405 to a GET.

All requests run against one world per module (``access_matrix_data.build_world``);
every request is rolled back, so no cell sees what another did. A cell that shows a gap
against ``docs/security.md`` is listed in ``KNOWN_GAPS``: its expectation is the answer
the threat model asks for, and it is marked ``xfail(strict=True)`` until the view is
fixed. Adding a URL: give it a policy in ``EXPECTED`` (and, if it takes a new keyword,
its value in ``access_matrix_data.ARGUMENTS``).
"""

from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from wagtail.admin.viewsets import viewsets
from wagtail.admin.viewsets.model import ModelViewSet

from accounts.roles import WIJKBUREAU as WIJKBUREAU_ROLE
from subsidies import services_assisted
from subsidies.models import Document
from tests.factories import UserFactory
from tests.portal.access_matrix_data import (
    ARGUMENTS,
    ROLES,
    UNPROVIDED,
    build_world,
    url_kwargs,
)

pytestmark = pytest.mark.django_db

PROJECT_PACKAGES = ("portal", "accounts", "subsidies", "beoordeling", "cms")
#: Routes of Django or Wagtail the matrix covers too: the admin's doors and the
#: language switch in every page's header.
REPRESENTATIVES = ("wagtailadmin_home", "admin:index", "set_language")

# --- finding the rows -----------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str | None
    route: str
    module: str
    keywords: tuple
    positional: int


def _is_ours(module):
    return module.split(".")[0] in PROJECT_PACKAGES


def _view_module(callback):
    return (getattr(callback, "view_class", None) or callback).__module__


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = ":".join(filter(None, (namespace, pattern.namespace)))
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            regex = pattern.pattern.regex
            name = pattern.name
            if name and namespace:
                name = f"{namespace}:{name}"
            yield Route(
                name=name,
                route=prefix + str(pattern.pattern),
                module=_view_module(pattern.callback),
                keywords=tuple(regex.groupindex),
                positional=regex.groups - len(regex.groupindex),
            )


def _project_viewset_models():
    return {
        viewset.url_namespace: viewset.model
        for viewset in viewsets.viewsets
        if isinstance(viewset, ModelViewSet) and _is_ours(type(viewset).__module__)
    }


def _in_scope(route, viewset_namespaces):
    if _is_ours(route.module) or route.name in REPRESENTATIVES:
        return True
    namespace, _sep, _name = (route.name or "").rpartition(":")
    return namespace in viewset_namespaces


def discover():
    """The project's routes in the resolver, and the model of each project viewset."""
    patterns = get_resolver().url_patterns  # importing them registers the viewsets
    models = _project_viewset_models()
    routes = [route for route in _walk(patterns) if _in_scope(route, models)]
    return routes, models


ROUTES, VIEWSET_MODELS = discover()
ROUTES_BY_NAME = {route.name: route for route in ROUTES if route.name}

# --- the answers ----------------------------------------------------------------------

OK = 200
NO_CONTENT = 204
BAD_REQUEST = 400
FORBIDDEN = 403
NOT_FOUND = 404
NOT_ALLOWED = 405
LOGIN = "login"
STAFF_LOGIN = "staff_login"
DASHBOARD = "dashboard"


#: Anonymous visitors, applicant A and applicant B at an admin screen: the anonymous
#: go to the staff login, residents who are logged in get "Geen toegang".
OUTSIDERS = (STAFF_LOGIN, FORBIDDEN, FORBIDDEN)


def to(url_name):
    """A redirect to another page of the same area: the request got past the gate."""
    return f"redirect:{url_name}"


@dataclass(frozen=True)
class Policy:
    name: str
    outcomes: dict
    method: str = "get"


def policy(name, *outcomes, method="get"):
    """Outcomes in the order of ``ROLES``: anonymous, A, B, other team, assessor,
    decision maker, administrator."""
    return Policy(name, dict(zip(ROLES, outcomes, strict=True)), method)


# Public pages, the quick check and open data: everyone.
PUBLIC = policy("public", OK, OK, OK, OK, OK, OK, OK)
# A login link opened without its token is refused for everyone.
LOGIN_LINK = policy("login_link", *[BAD_REQUEST] * 7)
# Logging out is a POST; everyone ends on the home page.
LOGOUT = policy("logout", *[to("wagtail_serve")] * 7, method="post")
# The language switch (Django's set_language) is a POST for everyone; it sets the
# cookie and sends back to ``next`` (without one, to the home page).
SET_LANGUAGE = policy("set_language", *[to("wagtail_serve")] * 7, method="post")
# Wagtail's page-privacy login (/_util/login/) is switched off: it sends everyone to
# the residents' login, and never checks a password (tests/portal/test_security.py).
PAGE_PRIVACY_LOGIN = policy("page_privacy_login", *[LOGIN] * 7)
# An OpenID provider that is not configured: its login URLs are 404 for everyone.
OIDC_UNCONFIGURED = policy("oidc_unconfigured", *[NOT_FOUND] * 7)
# "Mijn aanvragen": anyone logged in; it lists only their own applications.
RESIDENT_LOGIN = policy("resident_login", LOGIN, OK, OK, OK, OK, OK, OK)


def resident_own(done=OK, method="get"):
    """A's application, document or letter: only A's members; anyone else gets 404
    (existence is not revealed), staff included; anonymous goes to the login."""
    return policy(
        "resident_own",
        LOGIN,
        done,
        NOT_FOUND,
        NOT_FOUND,
        NOT_FOUND,
        NOT_FOUND,
        NOT_FOUND,
        method=method,
    )


# The staff login page: a staff member who is logged in goes on to the dashboard.
STAFF_LOGIN_PAGE = policy(
    "staff_login_page", OK, OK, OK, DASHBOARD, DASHBOARD, DASHBOARD, DASHBOARD
)
# The second factor: staff only.
SECOND_FACTOR = policy("second_factor", *OUTSIDERS, OK, OK, OK, OK)
# The Wagtail admin: staff only; residents never reach it.
ADMIN_GATE = policy("admin_gate", *OUTSIDERS, OK, OK, OK, OK)
# The Django admin: superusers only (none of the seven roles).
DJANGO_ADMIN_GATE = policy("django_admin_gate", *OUTSIDERS, *[STAFF_LOGIN] * 4)
# The assessment queue: every staff role, each seeing only their own work in it.
STAFF_QUEUE = policy("staff_queue", *OUTSIDERS, OK, OK, OK, OK)
# A's application (and its files) in the admin: A's team, and the roles that see all.
STAFF_OBJECT = policy("staff_object", *OUTSIDERS, NOT_FOUND, OK, OK, OK)


def assessment_action(done=OK, method="get"):
    """An assessor's action on A's application: A's team only; decision makers and
    administrators read but do not act."""
    return policy(
        "assessment_action",
        *OUTSIDERS,
        NOT_FOUND,
        done,
        DASHBOARD,
        DASHBOARD,
        method=method,
    )


# The assessor's own assessment (declaration, scores): 404 without one.
OWN_ASSESSMENT = policy(
    "own_assessment", *OUTSIDERS, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND
)
# Configuration screens (schemes, rounds, wijken, randvoorwaarden, rubrics, teams).
ADMINISTRATION = policy(
    "administration", *OUTSIDERS, DASHBOARD, DASHBOARD, DASHBOARD, OK
)
# The list of rounds, which decision makers may read too (``subsidies.view_round``).
ADMINISTRATION_READ_BY_DECISION_MAKERS = policy(
    "administration_read_by_decision_makers",
    *OUTSIDERS,
    DASHBOARD,
    DASHBOARD,
    OK,
    OK,
)
# Allocation runs, four eyes, letter batches: decision makers only.
DECISION = policy("decision", *OUTSIDERS, DASHBOARD, DASHBOARD, OK, DASHBOARD)


def decision_action(done):
    """A decision maker's POST; everyone else is refused before it does anything."""
    return policy(
        "decision_action",
        *OUTSIDERS,
        DASHBOARD,
        DASHBOARD,
        done,
        DASHBOARD,
        method="post",
    )


# Payments, batches and bank statements: only a Financieel beheerder
# (``subsidies.manage_payments``), which none of the seven roles is; the permission
# is checked before anything is looked up. What that role sees and may do is in
# tests/beoordeling/payments/test_views.py.
PAYMENTS = policy("payments", *OUTSIDERS, DASHBOARD, DASHBOARD, DASHBOARD, DASHBOARD)
PAYMENTS_ACTION = policy(
    "payments_action",
    *OUTSIDERS,
    DASHBOARD,
    DASHBOARD,
    DASHBOARD,
    DASHBOARD,
    method="post",
)
# Bezwaren (beoordeling/objections/admin.py): read by who has
# ``beoordeling.view_objection`` (of the seven roles only the decision maker);
# registering and handling need ``beoordeling.handle_objection`` (a
# Bezwaarbehandelaar, none of the seven); approving and sending back a proposed
# decision need a decision maker, whose empty POST on a bezwaar not awaiting approval
# is refused on its page. What handlers do: tests/beoordeling/objections/
# test_admin_views.py.
OBJECTION_READ = policy(
    "objection_read", *OUTSIDERS, DASHBOARD, DASHBOARD, OK, DASHBOARD
)
OBJECTION_HANDLING = policy(
    "objection_handling", *OUTSIDERS, DASHBOARD, DASHBOARD, DASHBOARD, DASHBOARD
)
OBJECTION_HANDLING_ACTION = policy(
    "objection_handling_action",
    *OUTSIDERS,
    DASHBOARD,
    DASHBOARD,
    DASHBOARD,
    DASHBOARD,
    method="post",
)
OBJECTION_REVIEW_ACTION = decision_action(to("bezwaren:detail"))

# A beschikking and its PDF: decision makers, and administrators who read decisions.
DECISION_RECORD = policy("decision_record", *OUTSIDERS, DASHBOARD, DASHBOARD, OK, OK)
# Overviews, exports and imports: administrators; other staff get a plain 403.
OVERVIEW = policy("overview", *OUTSIDERS, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)
OVERVIEW_EXPORT = policy(
    "overview_export",
    *OUTSIDERS,
    FORBIDDEN,
    FORBIDDEN,
    FORBIDDEN,
    to("overzichten:list"),
    method="post",
)

# Aanvragen met hulp: a Wijkbureau staff member only; every other staff role is sent
# back to the dashboard.
ASSISTED = policy("assisted", *OUTSIDERS, DASHBOARD, DASHBOARD, DASHBOARD, DASHBOARD)
ASSISTED_ACTION = policy(
    "assisted_action",
    *OUTSIDERS,
    DASHBOARD,
    DASHBOARD,
    DASHBOARD,
    DASHBOARD,
    method="post",
)

MODEL_VIEWS = (
    "index",
    "index_results",
    "add",
    "edit",
    "delete",
    "history",
    "history_results",
    "usage",
)


def viewset_rows(namespace, rule, *, copy=True, overrides=None):
    """The rows of one ModelViewSet: its standard views (and copy unless disabled)."""
    views = MODEL_VIEWS + (("copy",) if copy else ())
    rows = {f"{namespace}:{view}": rule for view in views}
    rows.update({f"{namespace}:{view}": r for view, r in (overrides or {}).items()})
    return rows


EXPECTED = {
    # Frameworks' admin gates (representatives).
    "wagtailadmin_home": ADMIN_GATE,
    "admin:index": DJANGO_ADMIN_GATE,
    # Portal: the staff login and the second factor.
    "wagtailadmin_login": STAFF_LOGIN_PAGE,
    # The admin's logout (portal/security.py; after a staff sign-on it goes on to
    # the provider): a POST that ends anyone's session at the staff login.
    "wagtailadmin_logout": policy("staff_logout", *[STAFF_LOGIN] * 7, method="post"),
    "security:two_factor": SECOND_FACTOR,
    # The staff password reset (rate limited, audited): open to anyone but residents.
    "wagtailadmin_password_reset": policy(
        "password_reset", OK, FORBIDDEN, FORBIDDEN, OK, OK, OK, OK
    ),
    # Its link, choosing the new password (audited; a bad link shows the refusal).
    "wagtailadmin_password_reset_confirm": policy(
        "password_reset_confirm", OK, FORBIDDEN, FORBIDDEN, OK, OK, OK, OK
    ),
    # Setting up the second factor: an invitation link without its token is refused;
    # confirming needs a set-up in progress (POST); a new app needs the current factor
    # (the matrix's sessions have none verified, so staff are sent to the code page).
    "security:enrol": policy("enrol", *OUTSIDERS, *[BAD_REQUEST] * 4),
    "security:confirm": policy(
        "confirm", *OUTSIDERS, *[BAD_REQUEST] * 4, method="post"
    ),
    "security:reenrol": policy("reenrol", *OUTSIDERS, *[to("security:two_factor")] * 4),
    # The Beheerder's list of staff and their second factor (invitations, resets).
    "tweede_stap_beheer:list": ADMINISTRATION,
    # Accounts.
    "accounts:login": PUBLIC,
    "accounts:link_sent": PUBLIC,
    "accounts:magic_link": LOGIN_LINK,
    "accounts:logout": LOGOUT,
    "accounts:page_privacy_login": PAGE_PRIVACY_LOGIN,
    # Where the provider sends the browser back after ending its session.
    "accounts:logged_out": PUBLIC,
    # A quiet session (accounts/session_views.py): "Ingelogd blijven" starts its
    # time again for anyone logged in (204; 403 once it has ended). The page a
    # session's end leads to logs out and goes to the login: a cell's fresh session
    # (force_login) has no activity recorded, so no time left; who still has time
    # goes back instead (tests/portal/test_session_timeout.py).
    "accounts:session_keepalive": policy(
        "session_keepalive", FORBIDDEN, *[NO_CONTENT] * 6, method="post"
    ),
    "accounts:session_expired": policy("session_expired", *[LOGIN] * 7),
    # DigiD, eHerkenning and staff sign-on (accounts.oidc): the matrix configures no
    # provider, so their start and callback URLs do not exist for anyone. Logging in
    # through a configured provider: tests/e2e/test_oidc_journeys.py.
    **{
        f"accounts:oidc_{provider}_{view}": OIDC_UNCONFIGURED
        for provider in ("digid", "eherkenning", "medewerker")
        for view in ("start", "callback")
    },
    # Residents.
    "subsidies:check": PUBLIC,
    "subsidies:start": PUBLIC,
    "subsidies:my_applications": RESIDENT_LOGIN,
    "subsidies:detail": resident_own(),
    "subsidies:resume": resident_own(to("subsidies:step")),
    "subsidies:step": resident_own(),
    "subsidies:received": resident_own(),
    "subsidies:copy": resident_own(),
    # The copy to keep as a PDF and as text (subsidies/views/mine.py).
    "subsidies:copy_pdf": resident_own(),
    "subsidies:copy_text": resident_own(),
    "subsidies:supplement": resident_own(to("subsidies:detail")),
    "subsidies:withdraw": resident_own(),
    "subsidies:letter": resident_own(),
    "subsidies:letter_document": resident_own(),
    "subsidies:change_request": resident_own(),
    "subsidies:document": resident_own(),
    "subsidies:document_delete": resident_own(to("subsidies:step"), method="post"),
    # The verantwoording of A's awarded application: only A's members.
    "subsidies:report": resident_own(),
    "subsidies:report_resume": resident_own(to("subsidies:report_step")),
    "subsidies:report_step": resident_own(),
    "subsidies:report_document_delete": resident_own(
        to("subsidies:report_step"), method="post"
    ),
    # A contact address other than the login address: "send the link again" (A's
    # members only), and the page behind the link, which without its token is
    # refused for everyone logged in (the link itself is for A's members only:
    # tests/subsidies/test_contact_address.py).
    "subsidies:contact_resend": resident_own(to("subsidies:detail"), method="post"),
    # Bezwaar against A's beschikking: the page, the form, the confirmation,
    # withdrawing (a confirmation page on GET) and the letters: only A's members.
    "bezwaar:index": resident_own(),
    "bezwaar:new": resident_own(),
    "bezwaar:sent": resident_own(),
    "bezwaar:withdraw": resident_own(),
    "bezwaar:letter": resident_own(),
    "subsidies:contact_confirm": policy("contact_confirm", LOGIN, *[BAD_REQUEST] * 6),
    # Open data (Woo).
    "opendata:index": PUBLIC,
    "opendata:download": PUBLIC,
    # Assessment.
    # The verantwoordingen to review and the steekproef (A's sent report).
    "verantwoordingen:index": STAFF_QUEUE,
    "verantwoordingen:sample": STAFF_QUEUE,
    "verantwoordingen:review": STAFF_OBJECT,
    "verantwoordingen:question": assessment_action(),
    "beoordelen:index": STAFF_QUEUE,
    "beoordelen:index_results": STAFF_QUEUE,
    "beoordelen:detail": STAFF_OBJECT,
    "beoordelen:document": STAFF_OBJECT,
    "beoordelen:preconditions": assessment_action(),
    "beoordelen:supplement": assessment_action(),
    "beoordelen:set_aside": assessment_action(),
    "beoordelen:assign": assessment_action(),
    "beoordelen:consensus": assessment_action(),
    "beoordelen:complete": assessment_action(to("beoordelen:detail"), method="post"),
    "beoordelen:declare": OWN_ASSESSMENT,
    "beoordelen:declare_amend": OWN_ASSESSMENT,
    "beoordelen:score": OWN_ASSESSMENT,
    "beoordelingsmatrices:index": ADMINISTRATION,
    "beoordelingsmatrices:detail": ADMINISTRATION,
    "beoordelingsmatrices:publish": ADMINISTRATION,
    **viewset_rows("randvoorwaarden", ADMINISTRATION, copy=False),
    **viewset_rows("beoordelingsteams", ADMINISTRATION, copy=False),
    # Allocation and decisions.
    "besluiten:index": DECISION,
    "besluiten:round": DECISION,
    "besluiten:run_create": DECISION,
    "besluiten:rule_publish": decision_action(to("besluiten:run_create")),
    "besluiten:rule_deviation": DECISION,
    "besluiten:compare": DECISION,
    "besluiten:run": DECISION,
    "besluiten:approvals": DECISION,
    "besluiten:batch": DECISION,
    "besluiten:approve": decision_action(to("besluiten:approvals")),
    # Refusing, sending back and answering a sending back: a POST without a reason
    # shows the screen again with the error (the reason is required).
    "besluiten:refuse": decision_action(OK),
    "besluiten:send_back": decision_action(OK),
    "besluiten:revise": decision_action(OK),
    # Deciding by order of receipt: a refusal (here: not the oldest, no motivation)
    # is shown on the confirmation screen with what was typed.
    "besluiten:decide_by_receipt": decision_action(OK),
    "besluiten:batch_start": decision_action(to("besluiten:round")),
    "besluiten:issue_letter": decision_action(to("besluiten:decision")),
    "besluiten:decision": DECISION_RECORD,
    # After the award (beoordeling/decisions/views.py; the POSTs by wrong users in
    # tests/beoordeling/decisions/test_vaststelling_screens.py).
    "besluiten:grant": DECISION,
    "besluiten:fix": DECISION,
    "besluiten:amend": DECISION,
    "besluiten:revoke": DECISION,
    "besluiten:proposals": DECISION,
    "besluiten:proposal": DECISION,
    "besluiten:change_request": DECISION,
    "besluiten:fixing_batch_start": decision_action(to("besluiten:round")),
    "besluiten:decision_pdf": DECISION_RECORD,
    # Overviews, exports and imports.
    "overzichten:list": OVERVIEW,
    "overzichten:export": OVERVIEW_EXPORT,
    "overzichten:jobs": OVERVIEW,
    "overzichten:job": OVERVIEW,
    "overzichten:job_download": OVERVIEW,
    "overzichten:dashboard": OVERVIEW,
    "overzichten:import": OVERVIEW,
    "overzichten:import_record": OVERVIEW,
    "overzichten:history_link": OVERVIEW,
    # Payments (beoordeling/payments/admin.py).
    "betalingen:index": PAYMENTS,
    "betalingen:sync": PAYMENTS_ACTION,
    "betalingen:compose": PAYMENTS,
    "betalingen:batch": PAYMENTS,
    "betalingen:batch_approve": PAYMENTS_ACTION,
    "betalingen:batch_cancel": PAYMENTS_ACTION,
    "betalingen:batch_download": PAYMENTS_ACTION,
    "betalingen:batch_item_release": PAYMENTS_ACTION,
    "betalingen:statement_upload": PAYMENTS,
    "betalingen:statement": PAYMENTS,
    "betalingen:mark_paid": PAYMENTS,
    # Bezwaren (beoordeling/objections/admin.py).
    "bezwaren:index": OBJECTION_READ,
    "bezwaren:detail": OBJECTION_READ,
    "bezwaren:document": OBJECTION_READ,
    "bezwaren:register": OBJECTION_HANDLING,
    **{
        f"bezwaren:{step}": OBJECTION_HANDLING_ACTION
        for step in (
            "assign",
            "classify",
            "judge_lateness",
            "schedule_hearing",
            "record_hearing",
            "waive_hearing",
            "extend",
            "record_decision",
            "decide",
            "withdraw",
        )
    },
    "bezwaren:approve": OBJECTION_REVIEW_ACTION,
    "bezwaren:send_back": OBJECTION_REVIEW_ACTION,
    # Configuration of schemes (subsidies/wagtail_hooks.py).
    **viewset_rows("scheme", ADMINISTRATION),
    **viewset_rows("questionset", ADMINISTRATION),
    **viewset_rows(
        "round",
        ADMINISTRATION,
        overrides={
            "index": ADMINISTRATION_READ_BY_DECISION_MAKERS,
            "index_results": ADMINISTRATION_READ_BY_DECISION_MAKERS,
        },
    ),
    **viewset_rows("roundwijklimit", ADMINISTRATION),
    **viewset_rows("wijk", ADMINISTRATION),
    **viewset_rows("buurt", ADMINISTRATION),
    **viewset_rows("targetgroup", ADMINISTRATION),
    **viewset_rows("theme", ADMINISTRATION),
    # Aanvragen met hulp (subsidies/views/assisted.py): the role Wijkbureau only
    # (``subsidies.assist_application``), none of the seven; the permission is checked
    # before the application is looked up. The Wijkbureau column: WIJKBUREAU_EXPECTED.
    "met_hulp:index": ASSISTED,
    "met_hulp:start": ASSISTED,
    "met_hulp:step": ASSISTED,
    "met_hulp:consent": ASSISTED,
    "met_hulp:handover": ASSISTED,
    "met_hulp:document_delete": ASSISTED_ACTION,
    "met_hulp:reissue_code": ASSISTED_ACTION,
    "met_hulp:change_email": ASSISTED,
    # The resident takes over a concept from the wijkbureau with the printed code
    # (subsidies/urls_assisted.py): anyone logged in sees the form; only a DigiD
    # login with the right code takes it (tests/subsidies/test_assisted.py).
    "overnemen:claim": RESIDENT_LOGIN,
    # The language switch in the header (portal/urls.py, i18n/).
    "set_language": SET_LANGUAGE,
}

#: Cells where the view answers differently from the threat model: (url, role) -> why.
KNOWN_GAPS: dict[tuple[str, str], str] = {}

# --- running the matrix ---------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One world per module, rolled back at its end; each test rolls back its own."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def no_second_factor(settings):
    settings.STAFF_REQUIRE_2FA = False
    # Whatever the environment says, no OpenID provider (OIDC_UNCONFIGURED).
    settings.OIDC_PROVIDERS = {}


def outcome(response):
    """The status code, or for a redirect the kind of page it sends to."""
    if response.status_code != 302:
        return response.status_code
    target = resolve(urlsplit(response["Location"]).path).view_name
    if target == "accounts:login":
        return LOGIN
    if target in ("wagtailadmin_login", "admin:login"):
        return STAFF_LOGIN
    if target == "wagtailadmin_home":
        return DASHBOARD
    return to(target)


def request_as(client, world, role, name, method):
    route = ROUTES_BY_NAME[name]
    url = reverse(name, kwargs=url_kwargs(world, name, route.keywords, VIEWSET_MODELS))
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    return url, getattr(client, method)(url)


def _cells():
    for name in sorted(EXPECTED.keys() & ROUTES_BY_NAME.keys()):
        missing = [k for k in ROUTES_BY_NAME[name].keywords if k in UNPROVIDED]
        for role in ROLES:
            marks = []
            if missing:
                marks.append(pytest.mark.skip(reason=UNPROVIDED[missing[0]]))
            elif (name, role) in KNOWN_GAPS:
                marks.append(
                    pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[(name, role)])
                )
            yield pytest.param(name, role, marks=marks, id=f"{name}-{role}")


#: POST actions that show a confirmation screen on GET first (four eyes:
#: tests/beoordeling/decisions/test_approval_screen.py and test_four_eyes_review.py;
#: order of receipt: test_receipt_screen.py); their POST cells are in EXPECTED.
CONFIRMED_ON_GET = {
    "besluiten:approve",
    "besluiten:refuse",
    "besluiten:send_back",
    "besluiten:revise",
    "besluiten:decide_by_receipt",
}
#: POSTs whose GET is Django's own answer, not ours: set_language sends a GET back to
#: ``next`` without changing the language.
GET_ANSWERED_BY_DJANGO = {"set_language"}


def _post_only_cells():
    skip = CONFIRMED_ON_GET | GET_ANSWERED_BY_DJANGO
    for name in sorted(EXPECTED.keys() & ROUTES_BY_NAME.keys() - skip):
        rule = EXPECTED[name]
        if rule.method != "post":
            continue
        for role, expected in rule.outcomes.items():
            if expected == OK or str(expected).startswith("redirect:"):
                yield pytest.param(name, role, id=f"{name}-{role}")


def test_every_project_url_has_exactly_one_entry_in_the_matrix():
    """The URLs found in the resolver and the keys of EXPECTED are the same set."""
    without_entry = sorted(ROUTES_BY_NAME.keys() - EXPECTED.keys())
    stale = sorted(EXPECTED.keys() - ROUTES_BY_NAME.keys())
    assert without_entry == [], "give these URLs a policy in EXPECTED"
    assert stale == [], "these EXPECTED entries name URLs that are gone"


def test_every_project_url_has_a_unique_name_and_keyword_arguments():
    """A row is known by its name, and the world fills in keywords, not positions."""
    unnamed = [route.route for route in ROUTES if not route.name]
    assert unnamed == [], "name these URL patterns"
    counts = Counter(route.name for route in ROUTES)
    assert [name for name, n in counts.items() if n > 1] == [], "duplicate names"
    positional = [route.name for route in ROUTES if route.positional]
    assert positional == [], "use named groups or path converters"


def test_every_url_keyword_is_provided_by_the_world_or_listed_as_unprovided():
    """An unknown keyword fails here instead of in a hundred cells."""
    keywords = {keyword for route in ROUTES for keyword in route.keywords}
    unknown = sorted(keywords - ARGUMENTS.keys() - UNPROVIDED.keys())
    assert unknown == [], "add these to access_matrix_data.ARGUMENTS or UNPROVIDED"


@pytest.mark.parametrize("name,role", list(_cells()))
def test_every_roles_answer_follows_the_threat_model(client, world, name, role):
    """Each (URL, role) cell answers as EXPECTED says."""
    rule = EXPECTED[name]
    url, response = request_as(client, world, role, name, rule.method)
    expected, observed = rule.outcomes[role], outcome(response)
    assert observed == expected, (
        f"{rule.method.upper()} {url} as {role} ({rule.name}): "
        f"expected {expected}, got {observed}"
    )


@pytest.mark.parametrize("name,role", list(_post_only_cells()))
def test_post_only_urls_refuse_a_get(client, world, name, role):
    """A URL whose cells are POSTs answers 405 to a GET from who may use it."""
    url, response = request_as(client, world, role, name, "get")
    assert response.status_code == NOT_ALLOWED, f"GET {url} as {role}"


# --- the Wijkbureau column ------------------------------------------------------------
# The role Wijkbureau (issue 18) is staff with one permission of its own,
# ``subsidies.assist_application``: it enters the admin and "Aanvragen met hulp", and
# nothing else of the staff screens. Its answer for every URL, by the URL's policy
# (``WIJKBUREAU_BY_POLICY``), or for its own screens by URL (``WIJKBUREAU_EXPECTED``),
# requested with the concept it is filling in for a resident (and that concept's file).

WIJKBUREAU = "wijkbureau"

WIJKBUREAU_BY_POLICY = {
    # What anyone logged in gets: public pages, the logins, the session.
    "public": OK,
    "login_link": BAD_REQUEST,
    "logout": to("wagtail_serve"),
    "set_language": to("wagtail_serve"),
    "page_privacy_login": LOGIN,
    "oidc_unconfigured": NOT_FOUND,
    "resident_login": OK,
    "session_keepalive": NO_CONTENT,
    "session_expired": LOGIN,
    "contact_confirm": BAD_REQUEST,
    # A resident's application (not one it is filling in): never.
    "resident_own": NOT_FOUND,
    # Staff: the admin, its login and logout, the second factor and its set-up.
    "staff_login_page": DASHBOARD,
    "staff_logout": STAFF_LOGIN,
    "second_factor": OK,
    "admin_gate": OK,
    "django_admin_gate": STAFF_LOGIN,
    "password_reset": OK,
    "password_reset_confirm": OK,
    "enrol": BAD_REQUEST,
    "confirm": BAD_REQUEST,
    "reenrol": to("security:two_factor"),
    # Every other staff screen: refused (no assessment, decision, payment, bezwaar,
    # configuration or overview permission).
    **dict.fromkeys(
        (
            "staff_queue",
            "staff_object",
            "assessment_action",
            "own_assessment",
            "administration",
            "administration_read_by_decision_makers",
            "decision",
            "decision_action",
            "decision_record",
            "payments",
            "payments_action",
            "objection_read",
            "objection_handling",
            "objection_handling_action",
        ),
        DASHBOARD,
    ),
    "overview": FORBIDDEN,
    "overview_export": FORBIDDEN,
}

#: Its own screens, on the concept it started: it may work on it.
WIJKBUREAU_EXPECTED = {
    "met_hulp:index": OK,
    "met_hulp:start": OK,
    "met_hulp:step": OK,
    "met_hulp:consent": OK,
    "met_hulp:handover": OK,
    "met_hulp:document_delete": to("met_hulp:step"),
    # Its concept is not handed over with a code: back to the list, with why.
    "met_hulp:reissue_code": to("met_hulp:index"),
    # Its concept is not handed over by login link: back to the list, with why.
    "met_hulp:change_email": to("met_hulp:index"),
}


@pytest.fixture(scope="module")
def wijkbureau(world, django_db_blocker):
    """A Wijkbureau staff member and the concept they fill in for a resident, with one
    file; made inside the module's world, so rolled back with it."""
    with django_db_blocker.unblock():
        staff = UserFactory(role=WIJKBUREAU_ROLE)
        assistance = services_assisted.assisted_start(
            scheme=world.scheme,
            staff=staff,
            resident_name="Fatima Bakkali",
            resident_email="fatima@example.nl",
        )
        concept = assistance.application
        document = Document(
            application=concept,
            kind=Document.Kind.SUPPORT,
            original_name="lijst.pdf",
            content_type="application/pdf",
            size=8,
            sha256="0" * 64,
            uploaded_by=staff,
        )
        document.file.name = f"applications/{concept.pk}/lijst"
        document.save()
    return staff, concept, document


def _wijkbureau_cells():
    for name in sorted(EXPECTED.keys() & ROUTES_BY_NAME.keys()):
        missing = [k for k in ROUTES_BY_NAME[name].keywords if k in UNPROVIDED]
        marks = [pytest.mark.skip(reason=UNPROVIDED[missing[0]])] if missing else []
        yield pytest.param(name, marks=marks, id=f"{name}-{WIJKBUREAU}")


def test_every_policy_has_an_answer_for_the_wijkbureau():
    """A new policy needs its Wijkbureau answer too (or the URL one of its own)."""
    without = sorted(
        {
            rule.name
            for name, rule in EXPECTED.items()
            if name not in WIJKBUREAU_EXPECTED
        }
        - WIJKBUREAU_BY_POLICY.keys()
    )
    assert without == []


@pytest.mark.parametrize("name", list(_wijkbureau_cells()))
def test_the_wijkbureau_role_follows_the_threat_model(client, world, wijkbureau, name):
    """Each URL answers the Wijkbureau staff member as the threat model says."""
    staff, concept, document = wijkbureau
    rule = EXPECTED[name]
    kwargs = url_kwargs(world, name, ROUTES_BY_NAME[name].keywords, VIEWSET_MODELS)
    if name in WIJKBUREAU_EXPECTED:
        own = {"reference": concept.reference, "document_pk": document.pk}
        kwargs.update({key: own[key] for key in kwargs if key in own})
    url = reverse(name, kwargs=kwargs)
    client.force_login(staff)
    response = getattr(client, rule.method)(url)
    expected = WIJKBUREAU_EXPECTED.get(name, WIJKBUREAU_BY_POLICY.get(rule.name))
    observed = outcome(response)
    assert observed == expected, (
        f"{rule.method.upper()} {url} as {WIJKBUREAU} ({rule.name}): "
        f"expected {expected}, got {observed}"
    )


def _own_concept_cells():
    for name in sorted(EXPECTED.keys() & ROUTES_BY_NAME.keys()):
        if EXPECTED[name].name != "resident_own":
            continue
        if "reference" not in ROUTES_BY_NAME[name].keywords:
            continue
        yield pytest.param(name, id=f"{name}-{WIJKBUREAU}-own-concept")


@pytest.mark.parametrize("name", list(_own_concept_cells()))
def test_the_wijkbureau_never_opens_its_concept_as_a_resident(
    client, world, wijkbureau, name
):
    """The concept the staff member fills in is not theirs as an applicant: each
    resident URL of it (view, steps, documents, copy) answers 404 before the hand-over;
    they work on it through the staff pages only (subsidies/selectors/access.py)."""
    staff, concept, document = wijkbureau
    rule = EXPECTED[name]
    kwargs = url_kwargs(world, name, ROUTES_BY_NAME[name].keywords, VIEWSET_MODELS)
    own = {
        "reference": concept.reference,
        "document_pk": document.pk,
        "pk": document.pk,
    }
    kwargs.update({key: own[key] for key in kwargs if key in own})
    url = reverse(name, kwargs=kwargs)
    client.force_login(staff)
    response = getattr(client, rule.method)(url)
    assert outcome(response) == NOT_FOUND, f"{rule.method.upper()} {url}"


def test_my_applications_does_not_list_the_concept_at_the_wijkbureau(
    client, world, wijkbureau
):
    """ "Mijn aanvragen" of the staff member does not list the concept they fill in."""
    staff, concept, document = wijkbureau
    client.force_login(staff)
    response = client.get(reverse("subsidies:my_applications"))
    assert response.status_code == OK
    assert concept.reference not in response.content.decode()
