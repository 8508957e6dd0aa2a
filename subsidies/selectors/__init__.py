"""Reads for the public site and the applicant's pages.

Access
    Everything an applicant sees goes through ``applications_for_user`` or
    ``documents_for_user``: only applications of an applicant the user is a member of.
    Anything else is simply not found (the views answer 404), so one resident can never
    reach another's application, documents or letters, not even by guessing a URL.

Public facts of a scheme
    ``scheme_public_facts`` gathers what a scheme page shows live from the database:
    the open round, its closing date, the money still available, the decision period,
    the impact bands and the wijk guarantee. Money still available is the ceiling minus
    what is committed: awarded applications, and applications a fixed allocation
    honoured that wait for their four-eyes approval (the same rule as the decision
    screens use).

What the applicant sent
    ``submission_copy`` is the overview shown on the last step, on the copy page and
    in the receipt e-mail (Wmebv: a copy of what was filled in), so all three say the
    same. ``step_problems`` and ``submission_problems`` say in Dutch what is still
    missing before an application can be sent.
"""

from .access import (
    applicant_documents,
    application_was_sent,
    applications_for_user,
    decision_letter_for,
    document_usage,
    documents_for_user,
    drafts_for_user,
    open_supplement_request,
)
from .schemes import (
    ImpactBand,
    RoundBudget,
    SchemeFacts,
    WijkGuarantee,
    round_budget,
    scheme_facts_changed,
    scheme_public_facts,
)
from .submission import (
    Problem,
    Section,
    step_problems,
    steps_done,
    submission_copy,
    submission_problems,
)
from .timeline import PUBLIC_EVENTS, TimelineEntry, public_timeline

__all__ = [
    "PUBLIC_EVENTS",
    "ImpactBand",
    "RoundBudget",
    "SchemeFacts",
    "Problem",
    "Section",
    "TimelineEntry",
    "WijkGuarantee",
    "applicant_documents",
    "application_was_sent",
    "applications_for_user",
    "decision_letter_for",
    "document_usage",
    "documents_for_user",
    "drafts_for_user",
    "open_supplement_request",
    "public_timeline",
    "round_budget",
    "scheme_facts_changed",
    "scheme_public_facts",
    "step_problems",
    "steps_done",
    "submission_copy",
    "submission_problems",
]
