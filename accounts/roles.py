"""The four roles of the portal, as Django groups with their permissions.

Aanvrager: a resident or contact person; owns applications through an Applicant and
needs no model permission. Beoordelaar: checks randvoorwaarden and scores impact.
Besluitvormer: decides under mandate (allocation, award, rejection). Beheerder:
configures schemes, rounds, wijken and exports overviews.

The groups are brought in line after every migrate, so a new permission in this table
reaches every environment without a hand-written data migration.
"""

APPLICANT = "Aanvrager"
ASSESSOR = "Beoordelaar"
DECISION_MAKER = "Besluitvormer"
ADMINISTRATOR = "Beheerder"

STAFF_ROLES = (ASSESSOR, DECISION_MAKER, ADMINISTRATOR)

ROLE_PERMISSIONS = {
    APPLICANT: [],
    ASSESSOR: [
        "wagtailadmin.access_admin",
        "subsidies.view_application",
        "subsidies.assess_application",
        "subsidies.view_transitionlog",
    ],
    DECISION_MAKER: [
        "wagtailadmin.access_admin",
        "subsidies.view_application",
        "subsidies.decide_application",
        "subsidies.view_transitionlog",
        "subsidies.view_round",
        "beoordeling.view_all_applications",
        "beoordeling.view_allocationrun",
        "beoordeling.add_allocationrun",
        "beoordeling.view_decision",
        "beoordeling.add_decision",
        "beoordeling.view_letterbatch",
        "beoordeling.add_letterbatch",
    ],
    ADMINISTRATOR: [
        "wagtailadmin.access_admin",
        "subsidies.view_application",
        "subsidies.view_transitionlog",
        "subsidies.export_overview",
        "beoordeling.import_data",
        "beoordeling.view_exportlog",
        "beoordeling.view_exportjob",
        "beoordeling.view_importrecord",
        "beoordeling.view_allocationrun",
        "beoordeling.view_decision",
        "beoordeling.view_all_applications",
        "beoordeling.add_rubric",
        "beoordeling.view_rubric",
        "accounts.add_twofactorinvitation",
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
