"""Which source files face residents: their strings must have an English text.

Staff screens (the Wagtail admin, assessment, decisions, payments, exports, the
bezwaar handling) stay Dutch. Paths are relative to the repository root; a
directory means every file below it.
"""

RESIDENT_TEMPLATES = [
    "templates/400.html",
    "templates/403.html",
    "templates/403_csrf.html",
    "templates/404.html",
    "templates/413.html",
    "templates/500.html",
    "templates/503.html",
    "templates/base.html",
    "templates/accounts/emails/login_link.txt",
    "templates/accounts/emails/login_link_subject.txt",
    "templates/accounts/link_invalid.html",
    "templates/accounts/link_sent.html",
    "templates/accounts/logged_out.html",
    "templates/accounts/login.html",
    "templates/accounts/magic_link.html",
    "templates/accounts/oidc_failed.html",
    # The e-mails staff send about an application, in the applicant's language
    # (subsidies/mail_language.py); the letters they announce stay Dutch.
    "templates/beoordeling/assessment/email/",
    "templates/beoordeling/decisions/email/",
    "templates/beoordeling/objections/email/",
    "templates/beoordeling/objections/public/",
    "templates/blocks/",
    "templates/cms/",
    "templates/forms/utrecht/",
    "templates/includes/",
    "templates/subsidies/",
]

RESIDENT_PYTHON = [
    "accounts/forms.py",
    "accounts/views.py",
    "accounts/session_views.py",
    "accounts/oidc/views.py",
    "portal/security.py",
    "portal/shared/forms.py",
    "cms/models.py",
    "beoordeling/objections/forms_public.py",
    "beoordeling/objections/views_public.py",
    "subsidies/changes.py",
    "subsidies/claim_messages.py",
    "subsidies/contact_address.py",
    "subsidies/eligibility.py",
    "subsidies/forms/",
    "subsidies/models/applicants.py",
    "subsidies/models/applications.py",
    "subsidies/models/changes.py",
    "subsidies/models/geo.py",
    "subsidies/models/reports.py",
    "subsidies/reports.py",
    "subsidies/selectors/access.py",
    "subsidies/selectors/submission.py",
    "subsidies/selectors/timeline.py",
    "subsidies/services.py",
    "subsidies/steps.py",
    "subsidies/uploads.py",
    "subsidies/views/",
    "subsidies/workflow.py",
]

RESIDENT_SOURCES = RESIDENT_TEMPLATES + RESIDENT_PYTHON


def is_resident(path):
    """True when ``path`` (relative, with forward slashes) is a resident-facing source."""
    return any(
        path == source or (source.endswith("/") and path.startswith(source))
        for source in RESIDENT_SOURCES
    )
