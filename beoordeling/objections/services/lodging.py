"""Lodging a bezwaar: online by the applicant, or registered from paper by a handler.

Rules (Awb 6:4-6:11, 6:14; the shared design in ``beoordeling.objections.workflow``):

- A bezwaar is possible against every beschikking of the application but a beslissing
  op bezwaar: against that one only beroep at the rechtbank is possible. Likewise,
  once a bezwaar against a beschikking was decided, no new bezwaar against that
  beschikking is taken: the road is beroep against the beslissing op bezwaar. A
  withdrawn bezwaar blocks nothing.
- At most one open bezwaar per beschikking. The check runs under a lock on the
  application, so two lodgings at once cannot both pass it.
- The term, the lateness and the date the decision is due come from
  ``beoordeling.objections.terms``. A late bezwaar is registered and flagged
  (``is_late``), never refused here: whether the lateness is excusable is the
  handler's judgement (6:11).
- The reference ``BZ2026-000001`` comes from the one counter of kenmerken.
- The row, its attachments (``subsidies.Document`` of kind ``bezwaar``, through the
  upload checks of ``subsidies.uploads``; the applicant's upload quota applies to
  a bezwaar online only, not to the scans of a paper one), the first log row and the
  ontvangstbevestiging (6:14) are written in one transaction: all or nothing. Files
  already written are removed again when it fails.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beoordeling.models import DecisionKind, Objection
from beoordeling.objections import terms
from beoordeling.objections.workflow import (
    OPEN_STATES,
    Channel,
    ObjectionState,
    may_handle,
)
from subsidies import counters
from subsidies.models import Application, Document
from subsidies.selectors import document_usage
from subsidies.uploads import UploadRefused, check_quota, check_upload

from . import ObjectionError
from .letters import acknowledgement_issue
from .transitions import log_lodged

#: The counter of the bezwaar references (a tilde: never a scheme's prefix).
OBJECTION_PREFIX = "~B"


def objection_reference(*, year):
    """Hand out the next reference like ``BZ2026-000001``; safe under concurrency."""
    number = counters.next_number(prefix=OBJECTION_PREFIX, year=year)
    return f"BZ{year}-{number:06d}"


def _require_text(value, message):
    text = (value or "").strip()
    if not text:
        raise ObjectionError(message)
    return text


def _require_objectable(decision):
    """Not a beslissing op bezwaar, and no bezwaar against it decided: against the
    beslissing op bezwaar the road is beroep (Awb 8:1), not a second bezwaar. A
    withdrawn bezwaar blocks nothing: a new one within the term is possible."""
    if decision.kind == DecisionKind.BESLISSING_OP_BEZWAAR:
        raise ObjectionError(
            _(
                "Tegen een beslissing op bezwaar kunt u geen bezwaar maken. U kunt wel "
                "in beroep gaan bij de rechtbank Midden-Nederland; hoe dat gaat, staat "
                "in de brief."
            )
        )
    decided = (
        Objection.objects.filter(decision_id=decision.pk, state=ObjectionState.DECIDED)
        .only("reference")
        .first()
    )
    if decided is not None:
        raise ObjectionError(
            _(
                "Op het bezwaar tegen besluit %(kenmerk)s is al beslist (%(reference)s). "
                "Tegen die beslissing op bezwaar kunt u geen nieuw bezwaar maken. U "
                "kunt wel in beroep gaan bij de rechtbank Midden-Nederland; hoe dat "
                "gaat, staat in de beslissing op bezwaar."
            )
            % {"kenmerk": decision.kenmerk, "reference": decided.reference}
        )


def _require_no_open_objection(decision):
    open_one = (
        Objection.objects.filter(decision_id=decision.pk, state__in=OPEN_STATES)
        .only("reference")
        .first()
    )
    if open_one is not None:
        raise ObjectionError(
            _(
                "Tegen besluit %(kenmerk)s loopt al een bezwaar (%(reference)s). Wilt "
                "u iets toevoegen? Stuur het dan mee onder dat kenmerk."
            )
            % {"kenmerk": decision.kenmerk, "reference": open_one.reference}
        )


def _checked_files(files, application, *, quota):
    """``files`` as ``(uploaded_file, checked)`` pairs; a bare file is checked here.

    The forms check every upload already (``subsidies.uploads.check_upload``); a
    file that comes without its check is checked here. With ``quota`` the
    application's upload quota is checked for all of them together: the applicant's
    own uploads count against it, the scans staff make of a paper bezwaarschrift do
    not (the applicant cannot be refused a bezwaar by post for a full quota).
    """
    pairs = []
    try:
        for item in files or ():
            if isinstance(item, tuple | list):
                uploaded_file, checked = item
            else:
                uploaded_file, checked = item, check_upload(item)
            pairs.append((uploaded_file, checked))
        if pairs and quota:
            count, size = document_usage(application)
            check_quota(
                used_count=count,
                used_bytes=size,
                sizes=[checked.size for _file, checked in pairs],
            )
    except UploadRefused as error:
        raise ObjectionError(str(error)) from error
    return pairs


def _store_attachment(*, application, user, uploaded_file, checked, at):
    document = Document(
        application=application,
        kind=Document.Kind.OBJECTION,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=user,
        uploaded_at=at,
    )
    uploaded_file.seek(0)
    document.file.save(checked.sha256, uploaded_file, save=False)
    document.save()
    return document


def _lodge(
    *,
    decision,
    channel,
    objector_name,
    reasons,
    received_on,
    posted_on,
    files,
    actor,
    at,
    reason,
):
    _require_objectable(decision)
    objector_name = _require_text(
        objector_name, _("Vul de naam in van wie het bezwaar indient.")
    )
    reasons = _require_text(
        reasons,
        _(
            "Schrijf op waarom u het niet eens bent met het besluit. Zonder gronden "
            "kunnen wij het bezwaar niet behandelen."
        ),
    )
    pairs = _checked_files(files, decision.application, quota=channel == Channel.ONLINE)
    stored = []
    try:
        with transaction.atomic():
            application = Application.objects.select_for_update(of=("self",)).get(
                pk=decision.application_id
            )
            # Again under the lock: a bezwaar decided or lodged meanwhile counts.
            _require_objectable(decision)
            _require_no_open_objection(decision)
            year = timezone.localdate(at).year
            objection = Objection.objects.create(
                reference=objection_reference(year=year),
                application=application,
                decision=decision,
                channel=channel,
                objector_name=objector_name,
                reasons=reasons,
                received_on=received_on,
                posted_on=posted_on,
                lodged_by=actor,
                lodged_at=at,
                term_end=terms.objection_term_end(decision.date_sent),
                is_late=not terms.lodged_in_time(
                    date_sent=decision.date_sent,
                    received_on=received_on,
                    posted_on=posted_on,
                ),
                decision_due_on=terms.decision_due(
                    date_sent=decision.date_sent,
                    received_on=received_on,
                    posted_on=posted_on,
                ),
            )
            for uploaded_file, checked in pairs:
                stored.append(
                    _store_attachment(
                        application=application,
                        user=actor,
                        uploaded_file=uploaded_file,
                        checked=checked,
                        at=at,
                    )
                )
            objection.attachments.set(stored)
            log_lodged(objection=objection, actor=actor, at=at, reason=reason)
            acknowledgement_issue(objection=objection, actor=actor, at=at)
    except Exception:
        for document in stored:
            document.file.storage.delete(document.file.name)
        raise
    return Objection.objects.select_related("application", "decision").get(
        pk=objection.pk
    )


def objection_lodge(*, decision, objector_name, reasons, files=(), user, at=None):
    """Lodge a bezwaar online, by a member of the application's applicant.

    ``files`` are ``(uploaded_file, checked)`` pairs from ``uploads.check_upload``
    (a bare uploaded file is checked here). Raises ``ObjectionError`` (Dutch) when
    the bezwaar may not be lodged; nothing is stored then.
    """
    at = at or timezone.now()
    applicant = decision.application.applicant
    if not (user and user.is_active and applicant.has_member(user)):
        raise ObjectionError(
            _("U kunt alleen bezwaar maken tegen een besluit over uw eigen aanvraag.")
        )
    return _lodge(
        decision=decision,
        channel=Channel.ONLINE,
        objector_name=objector_name,
        reasons=reasons,
        received_on=timezone.localdate(at),
        posted_on=None,
        files=files,
        actor=user,
        at=at,
        reason=_("Online ingediend."),
    )


def objection_register(
    *,
    decision,
    objector_name,
    reasons,
    received_on,
    posted_on=None,
    files=(),
    actor,
    at=None,
):
    """Register a bezwaarschrift that came by post or was handed in, by a handler.

    ``received_on`` is the day it arrived (not in the future); ``posted_on`` the
    postmark, when it matters for Awb 6:9 (a letter posted in time that arrives
    within a week after the term ended is on time).
    """
    at = at or timezone.now()
    if not may_handle(None, actor):
        raise ObjectionError(
            _("Alleen een bezwaarbehandelaar kan een bezwaarschrift registreren.")
        )
    if received_on is None:
        raise ObjectionError(_("Vul in op welke datum het bezwaarschrift binnenkwam."))
    today = timezone.localdate(at)
    if received_on > today:
        raise ObjectionError(
            _("De datum van ontvangst kan niet in de toekomst liggen.")
        )
    if posted_on is not None and posted_on > received_on:
        raise ObjectionError(
            _("De datum van het poststempel kan niet na de datum van ontvangst liggen.")
        )
    return _lodge(
        decision=decision,
        channel=Channel.PAPER,
        objector_name=objector_name,
        reasons=reasons,
        received_on=received_on,
        posted_on=posted_on,
        files=files,
        actor=actor,
        at=at,
        reason=_("Bezwaarschrift per post of afgegeven, geregistreerd."),
    )
