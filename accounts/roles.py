"""The four roles of the portal, as Django groups with their permissions.

Aanvrager: a resident or contact person; owns applications through an Applicant and
needs no model permission. Beoordelaar: checks randvoorwaarden and scores impact.
Besluitvormer: decides under mandate (allocation, award, rejection, vaststelling,
intrekking). Beheerder: configures schemes, rounds, wijken and exports overviews.
Financieel beheerder: composes and approves payment batches (four eyes: two people of
this group) and registers what was paid and repaid. Bezwaarbehandelaar: handles
bezwaren (a jurist, never involved in the contested decision, Awb 7:5) and decides on
them under mandate; a well-founded bezwaar that awards money above the round's
four-eyes line also needs a Besluitvormer. Wijkbureau: a staff member at the desk who
fills in an application for a resident, records their consent and hands it over
(``subsidies.services_assisted``); never assesses or decides what they filled in.

The groups are brought in line after every migrate, so a new permission in this table
reaches every environment without a hand-written data migration.
"""

APPLICANT = "Aanvrager"
ASSESSOR = "Beoordelaar"
DECISION_MAKER = "Besluitvormer"
ADMINISTRATOR = "Beheerder"
FINANCIAL_ADMINISTRATOR = "Financieel beheerder"
OBJECTION_HANDLER = "Bezwaarbehandelaar"
WIJKBUREAU = "Wijkbureau"

STAFF_ROLES = (
    ASSESSOR,
    DECISION_MAKER,
    ADMINISTRATOR,
    FINANCIAL_ADMINISTRATOR,
    OBJECTION_HANDLER,
    WIJKBUREAU,
)

# The permission names, spelt once: the roles below and every check in the code use
# these (tests/accounts/test_permission_names.py finds any other spelling).
ACCESS_ADMIN = "wagtailadmin.access_admin"
VIEW_APPLICATION = "subsidies.view_application"
ASSESS_APPLICATION = "subsidies.assess_application"
DECIDE_APPLICATION = "subsidies.decide_application"
VIEW_TRANSITIONLOG = "subsidies.view_transitionlog"
VIEW_ROUND = "subsidies.view_round"
EXPORT_OVERVIEW = "subsidies.export_overview"
MANAGE_PAYMENTS = "subsidies.manage_payments"
VIEW_ALL_APPLICATIONS = "beoordeling.view_all_applications"
VIEW_ALLOCATIONRUN = "beoordeling.view_allocationrun"
ADD_ALLOCATIONRUN = "beoordeling.add_allocationrun"
VIEW_DECISION = "beoordeling.view_decision"
ADD_DECISION = "beoordeling.add_decision"
VIEW_LETTERBATCH = "beoordeling.view_letterbatch"
ADD_LETTERBATCH = "beoordeling.add_letterbatch"
IMPORT_DATA = "beoordeling.import_data"
VIEW_EXPORTLOG = "beoordeling.view_exportlog"
VIEW_EXPORTJOB = "beoordeling.view_exportjob"
VIEW_IMPORTRECORD = "beoordeling.view_importrecord"
ADD_RUBRIC = "beoordeling.add_rubric"
VIEW_RUBRIC = "beoordeling.view_rubric"
ADD_TWOFACTORINVITATION = "accounts.add_twofactorinvitation"
HANDLE_OBJECTION = "beoordeling.handle_objection"
VIEW_OBJECTION = "beoordeling.view_objection"
ASSIST_APPLICATION = "subsidies.assist_application"

ROLE_PERMISSIONS = {
    APPLICANT: [],
    ASSESSOR: [
        ACCESS_ADMIN,
        VIEW_APPLICATION,
        ASSESS_APPLICATION,
        VIEW_TRANSITIONLOG,
    ],
    DECISION_MAKER: [
        ACCESS_ADMIN,
        VIEW_APPLICATION,
        DECIDE_APPLICATION,
        VIEW_TRANSITIONLOG,
        VIEW_ROUND,
        VIEW_ALL_APPLICATIONS,
        VIEW_ALLOCATIONRUN,
        ADD_ALLOCATIONRUN,
        VIEW_DECISION,
        ADD_DECISION,
        VIEW_LETTERBATCH,
        ADD_LETTERBATCH,
        VIEW_OBJECTION,
    ],
    OBJECTION_HANDLER: [
        ACCESS_ADMIN,
        VIEW_APPLICATION,
        VIEW_TRANSITIONLOG,
        VIEW_ALL_APPLICATIONS,
        VIEW_ROUND,
        VIEW_DECISION,
        VIEW_OBJECTION,
        HANDLE_OBJECTION,
    ],
    WIJKBUREAU: [
        ACCESS_ADMIN,
        ASSIST_APPLICATION,
    ],
    FINANCIAL_ADMINISTRATOR: [
        ACCESS_ADMIN,
        VIEW_APPLICATION,
        VIEW_TRANSITIONLOG,
        MANAGE_PAYMENTS,
    ],
    ADMINISTRATOR: [
        ACCESS_ADMIN,
        VIEW_APPLICATION,
        VIEW_TRANSITIONLOG,
        EXPORT_OVERVIEW,
        IMPORT_DATA,
        VIEW_EXPORTLOG,
        VIEW_EXPORTJOB,
        VIEW_IMPORTRECORD,
        VIEW_ALLOCATIONRUN,
        VIEW_DECISION,
        VIEW_ALL_APPLICATIONS,
        ADD_RUBRIC,
        VIEW_RUBRIC,
        ADD_TWOFACTORINVITATION,
        *(
            f"beoordeling.{action}_{model}"
            for model in ("preconditionrule", "team")
            for action in ("add", "change", "delete", "view")
        ),
        *(
            f"subsidies.{action}_{model}"
            for model in (
                "scheme",
                "round",
                "wijk",
                "buurt",
                "roundwijklimit",
                "targetgroup",
                "theme",
                "questionset",
            )
            for action in ("add", "change", "delete", "view")
        ),
    ],
}


def sync_role_groups(sender=None, **kwargs):
    """Create the role groups and give each exactly its permissions."""
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    # post_migrate fires once per app; the permissions exist after the last one.
    with_models = [
        config for config in apps.get_app_configs() if config.models_module is not None
    ]
    if sender is not None and sender is not with_models[-1]:
        return
    for role, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        permissions = []
        for code in codes:
            app_label, codename = code.split(".", 1)
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                permissions.append(permission)
        group.permissions.set(permissions)
