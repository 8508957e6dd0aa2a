"""The resident's pages: the quick check, the application form, "Mijn aanvragen".

Views stay thin: they find the application through ``selectors`` (only the user's own;
anything else is a 404), bind a form, call a service, and redirect or render.
"""

from .changes import change_request, letter_document_download
from .contact import contact_confirm, contact_resend
from .form import application_resume, application_step, document_delete
from .mine import (
    application_copy,
    application_detail,
    application_received,
    application_supplement,
    application_withdraw,
    document_download,
    letter_download,
    my_applications,
)
from .report import (
    report_detail,
    report_document_delete,
    report_resume,
    report_step,
)
from .start import quick_check, scheme_start

__all__ = [
    "application_copy",
    "application_detail",
    "application_received",
    "application_resume",
    "application_step",
    "application_supplement",
    "application_withdraw",
    "change_request",
    "contact_confirm",
    "contact_resend",
    "document_delete",
    "document_download",
    "letter_document_download",
    "letter_download",
    "my_applications",
    "quick_check",
    "report_detail",
    "report_document_delete",
    "report_resume",
    "report_step",
    "scheme_start",
]
