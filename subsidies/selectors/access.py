"""Access: only applications of applicants the user is a member of; the rest is
not found. Also the hook for the decision letter."""

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from ..models import Application, Document, SupplementRequest
from ..workflow import Status


def applications_for_user(user):
    """The applications this user may see: those of applicants the user acts for.

    A concept a wijkbureau staff member fills in for a resident (issue 18) is not
    among them while it is at the wijkbureau: the staff member works on it through
    the staff pages (``subsidies.views.assisted``) only, never as its applicant.
    """
    return (
        Application.objects.for_applicant_user(user)
        .exclude(assistance__isnull=False, assistance__handed_over_at__isnull=True)
        .with_related()
        .order_by("-created_at", "-pk")
    )


def documents_for_user(user):
    if not user.is_authenticated:
        return Document.objects.none()
    return (
        Document.objects.filter(application__applicant__members=user)
        .exclude(
            application__assistance__isnull=False,
            application__assistance__handed_over_at__isnull=True,
        )
        .distinct()
    )


def drafts_for_user(user, scheme=None):
    drafts = applications_for_user(user).filter(status=Status.DRAFT)
    if scheme is not None:
        drafts = drafts.filter(round__scheme=scheme)
    return drafts


def application_was_sent(application):
    """Whether the application left the concept status (read from the database)."""
    return (
        Application.objects.filter(pk=application.pk)
        .exclude(status=Status.DRAFT)
        .exists()
    )


#: Documents the gemeente wrote (beschikkingen and the letters of a bezwaar): shown
#: apart from the applicant's uploads and not counted against their quota.
_GEMEENTE_KINDS = (Document.Kind.DECISION_LETTER, Document.Kind.LETTER)


def applicant_documents(application):
    """The documents the applicant uploaded (the gemeente's letters are shown apart)."""
    return application.documents.exclude(kind__in=_GEMEENTE_KINDS).order_by(
        "uploaded_at", "pk"
    )


def document_usage(application):
    """How many documents the applicant uploaded and their size together (the quota
    of ``subsidies.uploads.check_quota``)."""
    totals = application.documents.exclude(kind__in=_GEMEENTE_KINDS).aggregate(
        count=Count("pk"), size=Sum("size")
    )
    return totals["count"], totals["size"] or 0


def decision_letter_for(application):
    """HOOK for the decision letters: the letter to offer for download, or None.

    The letters issue stores every sent beschikking as a ``Document`` of kind
    ``beschikking`` on the application (see ``beoordeling.models.decisions``), so this
    app can offer it without importing ``beoordeling``. Until a letter exists this
    returns None and the download view answers 404. If letters ever need a "sent"
    gate (for instance only after ``Decision.date_sent``), it belongs here.
    """
    return (
        application.documents.filter(kind=Document.Kind.DECISION_LETTER)
        .order_by("-uploaded_at", "-pk")
        .first()
    )


#: The kind of beschikking a stored letter is, by the start of its file name (the
#: letters of ``beoordeling.decisions`` name them so); anything else is the decision
#: on the application.
LETTER_TITLES = {
    "vaststelling-": _("Vaststelling van de subsidie"),
    "wijziging-": _("Wijziging van de subsidie"),
    "intrekking-": _("Intrekking van de subsidie"),
    "terugvordering-": _("Terugvordering"),
    "beslissing-op-bezwaar-": _("Beslissing op bezwaar"),
}


def letter_title(document):
    for prefix, title in LETTER_TITLES.items():
        if document.original_name.startswith(prefix):
            return title
    return _("Besluit op uw aanvraag")


def decision_letters_for(application):
    """Every beschikking of the application, oldest first, each with its ``title``."""
    letters = list(
        application.documents.filter(kind=Document.Kind.DECISION_LETTER).order_by(
            "uploaded_at", "pk"
        )
    )
    for letter in letters:
        letter.title = letter_title(letter)
    return letters


def open_supplement_request(application):
    return (
        SupplementRequest.objects.filter(
            application=application, answered_at__isnull=True
        )
        .order_by("-requested_at")
        .first()
    )
