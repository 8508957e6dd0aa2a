"""Use cases that change applications: create, budget, and fire workflow transitions.

Every transition goes through ``fire``: it locks the application row, checks the
transition is allowed from the current status, that its guards hold and that the actor
may fire it, runs it, saves, and writes one transition log row, all in one database
transaction. Two people acting on one application at once: the second waits for the
lock, then finds the status moved on and gets a ``WorkflowError`` in plain Dutch.
Services take keyword arguments and never a request.

The applicant's side (the public form) is at the end: starting an application, saving
each step, documents, submitting with a receipt e-mail (Wmebv: an
ontvangstbevestiging with a copy of what was sent), an aanvulling and withdrawing.
Each checks that the user acts for the applicant and that the application may still
be changed; a submitted application is never changed by the applicant again.
"""

import functools
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import (
    ConcurrentTransition,
    TransitionNotAllowed,
    can_proceed,
)

from . import contact_address, counters, mail_language, selectors, steps, workflow
from .mail import queue_mail
from .models import (
    Applicant,
    ApplicantKind,
    Application,
    BudgetLine,
    Document,
    OtherFunding,
    Partner,
    SupplementRequest,
    TransitionLog,
)
from .workflow import Status

SYSTEM_ACTOR_LABEL = "Systeem"


class WorkflowError(Exception):
    """A transition that may not happen now; the message is for the user, in Dutch."""


#: The staff label of each transition (``workflow.TRANSITIONS``).
TRANSITION_LABELS = {
    name: text.staff_label for name, text in workflow.TRANSITIONS.items()
}


def next_reference(*, prefix, year):
    """Hand out the next reference like ``IF-2026-0042`` (``subsidies.counters``)."""
    return f"{prefix}-{year}-{counters.next_number(prefix=prefix, year=year):04d}"


def application_create(*, round, applicant, created_by=None, **fields):
    now = timezone.now()
    with transaction.atomic():
        reference = next_reference(
            prefix=round.scheme.reference_prefix, year=timezone.localdate(now).year
        )
        application = Application(
            reference=reference,
            round=round,
            applicant=applicant,
            created_by=created_by,
            question_set=round.scheme.current_question_set(),
            **fields,
        )
        application.save()
    return application


def application_recalculate_requested(*, application):
    """The requested amount is always the sum of the budget lines."""
    total = application.budget_total_cents()
    Application.objects.filter(pk=application.pk).update(requested_cents=total)
    application.requested_cents = total
    return total


def not_allowed_message(application, name):
    label = TRANSITION_LABELS.get(name, name)
    return _("U kunt deze aanvraag nu niet %(action)s: de status is '%(status)s'.") % {
        "action": label,
        "status": Status(application.status).label,
    }


def _missing_parts(application):
    return _("er nog iets ontbreekt: %(missing)s") % {
        "missing": ", ".join(
            str(part) for part in workflow.missing_for_submission(application)
        )
    }


#: Why a guard of a transition does not hold, in words for the person who tried it.
#: A callable gets the application and gives the reason.
GUARD_REASONS = {
    workflow.form_is_complete: _missing_parts,
    workflow.round_is_open: lambda application: _("de ronde niet open is"),
    workflow.activity_starts_after_today: lambda application: _(
        "de activiteit niet na vandaag begint"
    ),
    workflow.supplement_term_running: lambda application: _(
        "de termijn voor de aanvulling voorbij is"
    ),
    workflow.supplement_term_expired: lambda application: _(
        "de termijn voor de aanvulling nog loopt"
    ),
    workflow.preconditions_met: lambda application: _(
        "nog niemand heeft vastgelegd dat de aanvraag aan de randvoorwaarden voldoet"
    ),
    workflow.preconditions_failed: lambda application: _(
        "nog niemand met een motivering heeft vastgelegd dat de aanvraag niet aan "
        "de randvoorwaarden voldoet"
    ),
    workflow.assessment_recorded: lambda application: _(
        "de impactscore of het voorgestelde bedrag ontbreekt"
    ),
    workflow.allocation_honours: lambda application: _(
        "de verdeling deze aanvraag geen bedrag toekent"
    ),
    workflow.four_eyes_satisfied: lambda application: _(
        "een tweede beslisser dit bedrag nog moet goedkeuren"
    ),
    workflow.allocation_does_not_honour: lambda application: _(
        "de verdeling deze aanvraag niet afwijst"
    ),
    workflow.settled_directly: lambda application: _(
        "deze subsidie geen directe vaststelling heeft"
    ),
    workflow.report_asked: lambda application: _("wij geen verslag hebben gevraagd"),
    workflow.fixing_allowed: lambda application: _(
        "er geen geldig vastgesteld bedrag is, of de activiteit nog niet voorbij is"
    ),
    workflow.award_recorded: lambda application: _(
        "de aanvraag geen bedrag heeft gekregen"
    ),
    workflow.fixed_amount_recorded: lambda application: _(
        "er geen geldig vastgesteld bedrag is"
    ),
    workflow.never_fixed: lambda application: _(
        "de subsidie al een vaststelling heeft"
    ),
    workflow.was_fixed: lambda application: _(
        "de subsidie nog geen vaststelling heeft"
    ),
    workflow.within_reclaim_limit: lambda application: _(
        "de vaststelling meer dan vijf jaar oud is"
    ),
    workflow.money_settled: lambda application: _(
        "het betaalde bedrag niet gelijk is aan het vastgestelde bedrag"
    ),
}


def guard_refused_message(application, name, method):
    """Which transition was refused, from which status, and why: the guards of the
    transition that do not hold, each in words (``GUARD_REASONS``)."""
    found = method._django_fsm.get_transition(application.status)
    failed = [
        condition
        for condition in (found.conditions if found else [])
        if not condition(application)
    ]
    reasons = [
        GUARD_REASONS[condition](application)
        if condition in GUARD_REASONS
        else _("niet aan alle voorwaarden is voldaan")
        for condition in failed
    ] or [_("niet aan alle voorwaarden is voldaan")]
    return _(
        "De stap '%(action)s' kan nu niet vanuit de status '%(status)s', omdat "
        "%(reasons)s."
    ) % {
        "action": TRANSITION_LABELS.get(name, name),
        "status": Status(application.status).label,
        "reasons": functools.reduce(
            lambda first, second: (
                _("%(first)s en %(second)s") % {"first": first, "second": second}
            ),
            reasons,
        ),
    }


def actor_label(actor):
    """How the log names who acted: the e-mail address, or for a resident known only
    by DigiD or eHerkenning (no address) the account's name (never the BSN)."""
    if actor is None:
        return SYSTEM_ACTOR_LABEL
    return actor.email or str(actor)


def fire(*, application, transition, actor, reason="", at=None, **kwargs):
    """Fire one workflow transition and log it. ``actor=None`` means the system.

    Returns the fresh application. Raises ``WorkflowError`` with a Dutch message when
    the transition is not possible now or the actor may not fire it.
    """
    at = at or timezone.now()
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update()
            .select_related("round__scheme", "applicant")
            .get(pk=application.pk)
        )
        method = getattr(locked, transition, None)
        if method is None or not hasattr(method, "_django_fsm"):
            raise ValueError(f"Unknown transition {transition!r}")
        if not can_proceed(method, check_conditions=False):
            raise WorkflowError(not_allowed_message(locked, transition))
        # The permission alone: django-fsm's ``has_transition_perm`` also checks the
        # guards, and would call a guard that fails a missing right.
        if actor is not None and not method._django_fsm.has_transition_perm(
            locked, locked.status, actor
        ):
            raise WorkflowError(
                _("U heeft geen recht om deze aanvraag te %(action)s.")
                % {"action": TRANSITION_LABELS.get(transition, transition)}
            )
        if not can_proceed(method):
            raise WorkflowError(guard_refused_message(locked, transition, method))
        source = locked.status
        try:
            method(at=at, **kwargs)
            locked.save()
        except (TransitionNotAllowed, ConcurrentTransition) as error:
            raise WorkflowError(
                _(
                    "Iemand anders heeft deze aanvraag net gewijzigd. Laad de pagina opnieuw."
                )
            ) from error
        TransitionLog.objects.create(
            application=locked,
            reference=locked.reference,
            transition=transition,
            source=source,
            target=locked.status,
            actor=actor,
            actor_label=actor_label(actor),
            at=at,
            reason=reason,
        )
    return locked


# --- the applicant's side: the public application form ---------------------------------

#: What the applicant fills in about itself (step "organisatie").
APPLICANT_FIELDS = (
    "kind",
    "name",
    "kvk_number",
    "rsin",
    "penvoerder_name",
    "penvoerder_kvk",
    "contact_name",
    "contact_email",
    "contact_phone",
    "street",
    "postcode",
    "city",
    "iban",
    "account_holder",
)
#: Plain fields of the application the applicant fills in.
APPLICATION_FIELDS = (
    "title",
    "summary",
    "wijk",
    "activity_start",
    "activity_end",
    "impact_plan",
    "expected_reach",
    "volunteers",
)
APPLICATION_RELATIONS = ("buurten", "target_groups", "themes")
ANSWERS_VERSION_KEY = "_vragenset_versie"


class ApplicationLocked(WorkflowError):
    """The application was submitted (or closed): the applicant can no longer edit it."""


class SubmissionIncomplete(WorkflowError):
    """Something is missing; ``problems`` lists it in Dutch for the applicant."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__(_("Uw aanvraag is nog niet compleet."))


def _check_member(application, user):
    if not (user and user.is_authenticated and application.applicant.has_member(user)):
        raise WorkflowError(_("U kunt alleen uw eigen aanvragen wijzigen."))


def _check_editable(application, user):
    _check_member(application, user)
    current = Application.objects.only("status").get(pk=application.pk).status
    if current != Status.DRAFT:
        raise ApplicationLocked(
            _(
                "Deze aanvraag is al verstuurd. U kunt hem niet meer wijzigen. Wilt u "
                "iets aanvullen? Neem dan contact op met het wijkbureau."
            )
        )


class StepAlreadySaved(Exception):
    """The same save of a step arrived twice (a double click): nothing more to store."""


class StepSavedElsewhere(WorkflowError):
    """The step was saved in another tab or window after this page was shown."""

    def __init__(self):
        super().__init__(
            _(
                "U heeft deze stap intussen in een ander venster opgeslagen. Wat u "
                "daar opsloeg, ziet u hieronder bij 'Nu bewaard'. Wat u hier typte, "
                "hebben wij niet bewaard: het staat nog in het formulier. Kijk wat u "
                "wilt houden en sla de stap dan opnieuw op."
            )
        )


def application_step_version(*, application, step):
    """How often ``step`` was saved: the number its page carries, read fresh."""
    versions = (
        Application.objects.filter(pk=application.pk)
        .values_list("step_versions", flat=True)
        .first()
    )
    return int((versions or {}).get(step, 0))


@contextmanager
def application_step_saving(*, application, user, step, version, fingerprint=""):
    """Save one step of a concept as one unit, only from an up-to-date page.

    Locks the application's row, then compares ``version`` (the number the page was
    shown with, from its hidden field) with the number stored for the step. When
    another tab saved the step in between, nothing is stored and
    ``StepSavedElsewhere`` is raised; otherwise the body of the ``with`` stores the
    step and the number goes up by one, in the same transaction. ``version=None``
    (a post without the field, not from our page) is not compared.

    ``fingerprint`` identifies what was posted. When the save that made the step's
    number go up was this very post (a double click sends the form twice),
    ``StepAlreadySaved`` is raised instead: it is stored already, nothing is lost.
    """
    _check_editable(application, user)
    with versioned_step_saving(
        row=application, step=step, version=version, fingerprint=fingerprint
    ):
        yield
        # The applicant row is loaded already (``_check_member``): no query unless
        # the language changed.
        mail_language.remember(application.applicant, by=user)


@contextmanager
def versioned_step_saving(*, row, step, version, fingerprint=""):
    """The version check of ``application_step_saving`` for any row with a
    ``step_versions`` field (the application, its verantwoording): lock, compare,
    store in the body, count the save, all in one transaction."""
    model = type(row)
    with transaction.atomic():
        locked = (
            model.objects.select_for_update().only("pk", "step_versions").get(pk=row.pk)
        )
        versions = dict(locked.step_versions or {})
        current = int(versions.get(step, 0))
        last_post = f"{step}.post"
        if version is not None and str(version).strip() != str(current):
            if (
                fingerprint
                and str(version).strip() == str(current - 1)
                and versions.get(last_post) == fingerprint
            ):
                raise StepAlreadySaved()
            raise StepSavedElsewhere()
        yield
        versions[step] = current + 1
        if fingerprint:
            versions[last_post] = fingerprint
        model.objects.filter(pk=row.pk).update(step_versions=versions)
        row.step_versions = versions


def application_start(*, scheme, user, at=None, verified_kvk=""):
    """A new concept application in the scheme's open round, for this user.

    The applicant's details are copied from the user's latest application, so nobody
    types them twice (WCAG 3.3.7); each application keeps its own copy, so changing
    them later never changes what an earlier application said.

    ``verified_kvk`` is the KvK number an eHerkenning login verified in this session
    (``accounts.oidc.session.verified_kvk``): the applicant is then that organisation,
    its KvK number marked verified, and details are copied only from an earlier
    application of the same verified organisation. A user without an e-mail address
    (DigiD, eHerkenning) starts with an empty contact address, to type in step 1.
    """
    round_ = scheme.open_round(at)
    if round_ is None:
        raise WorkflowError(
            _("Voor %(scheme)s is op dit moment geen ronde open.") % {"scheme": scheme}
        )
    # Never an applicant of imported history a Beheerder linked to this user: its
    # name, IBAN and addresses come from the old system.
    # Nor the resident's applicant a wijkbureau staff member is filling in: those
    # details are the resident's, never the staff member's own.
    candidates = (
        Applicant.objects.filter(members=user)
        .exclude(history_links__isnull=False)
        .exclude(applications__assistance__assisted_by=user)
    )
    if verified_kvk:
        candidates = candidates.filter(kvk_number=verified_kvk, kvk_verified=True)
    previous = candidates.order_by("-created_at", "-pk").first()
    if previous is not None:
        fields = {name: getattr(previous, name) for name in APPLICANT_FIELDS}
        # A contact address confirmed for the previous application stays confirmed.
        fields["contact_email_confirmed"] = previous.contact_email_confirmed
    else:
        fields = {
            "kind": "",
            "name": "",
            "contact_name": user.get_full_name(),
            "contact_email": user.email or "",
            "city": "Utrecht",
        }
    if verified_kvk:
        fields.update(_verified_organisation(verified_kvk))
    with transaction.atomic():
        applicant = Applicant.objects.create(**fields)
        applicant.members.add(user)
        application = application_create(
            round=round_,
            applicant=applicant,
            created_by=user,
            current_step=steps.STEPS[0].slug,
        )
    return application


def _verified_organisation(kvk_number):
    """The applicant fields an eHerkenning login fixes: an organisation, this KvK."""
    return {
        "kind": ApplicantKind.ORGANISATION,
        "kvk_number": kvk_number,
        "kvk_verified": True,
        "penvoerder_name": "",
        "penvoerder_kvk": "",
    }


def applicant_update(*, application, user, fields, verified_kvk=""):
    """Store the applicant's details typed in step 1 (only the fields given).

    A verified KvK number is never overwritten: an applicant whose number an
    eHerkenning login verified stays that organisation, whatever is posted; in a
    session with a verified number (``verified_kvk``) an applicant not yet verified
    becomes that organisation. A typed KvK number stays unverified.

    A changed contact address loses its confirmation and, when it is not a login
    address, gets a confirmation link (``subsidies.contact_address``).
    """
    _check_editable(application, user)
    unknown = set(fields) - set(APPLICANT_FIELDS)
    if unknown:
        raise ValueError(f"Not an applicant field: {sorted(unknown)}")
    applicant = application.applicant
    fields = dict(fields)
    kvk_number = applicant.kvk_number if applicant.kvk_verified else verified_kvk
    if kvk_number:
        fields.update(_verified_organisation(kvk_number))
    old_contact = (applicant.contact_email or "").strip().lower()
    for name, value in fields.items():
        setattr(applicant, name, "" if value is None else value)
    if "contact_email" in fields and applicant.letters_by_post_only:
        # Without an e-mail address decisions can only come by post (art. 2:8 Awb
        # needs an address to send to); the review step then does not ask.
        applicant.accepts_electronic_decisions = False
        fields["accepts_electronic_decisions"] = False
    with transaction.atomic():
        if fields:
            applicant.save(update_fields=list(fields))
        if (applicant.contact_email or "").strip().lower() != old_contact:
            # A new contact address receives nothing until a link confirms it.
            contact_address.contact_email_changed(
                applicant=applicant, user=user, application=application
            )
    return applicant


def application_update(*, application, user, fields=None, relations=None, answers=None):
    """Store plain fields, many-to-many choices and the scheme's answers of a concept.

    ``answers`` are merged into the stored answers together with the version of the
    question set they answer, so an old answer keeps its meaning when questions change.
    """
    _check_editable(application, user)
    fields = fields or {}
    relations = relations or {}
    unknown = (set(fields) - set(APPLICATION_FIELDS)) | (
        set(relations) - set(APPLICATION_RELATIONS)
    )
    if unknown:
        raise ValueError(f"Not an application field: {sorted(unknown)}")
    with transaction.atomic():
        update = {**fields, "updated_at": timezone.now()}
        if answers is not None:
            merged = dict(application.answers or {})
            for key, value in answers.items():
                # A question left open is not stored as an empty answer, so a step
                # sent back as it was shown stores exactly what was there.
                if value in (None, "", []):
                    merged.pop(key, None)
                else:
                    merged[key] = value
            answered = set(merged) - {ANSWERS_VERSION_KEY}
            if application.question_set_id is not None and answered:
                merged[ANSWERS_VERSION_KEY] = application.question_set.version
            update["answers"] = merged
        Application.objects.filter(pk=application.pk).update(**update)
        for name, values in relations.items():
            getattr(application, name).set(values)
    application.refresh_from_db()
    return application


def _lock_rows_of(application):
    """Lock the application's row before its rows are replaced. Two tabs saving the
    same step at once then take turns: the second deletes what the first stored
    instead of adding its rows beside them (on PostgreSQL a delete does not see rows
    committed after it began), so the last save wins whole."""
    Application.objects.select_for_update().filter(pk=application.pk).first()


def application_set_partners(*, application, user, partners):
    """Replace the partners by ``partners``: dicts with name, kind, role, letter."""
    _check_editable(application, user)
    with transaction.atomic():
        _lock_rows_of(application)
        application.partners.all().delete()
        Partner.objects.bulk_create(
            Partner(
                application=application,
                name=item["name"],
                kind=item.get("kind") or Partner.Kind.OTHER,
                role=item.get("role", ""),
                letter_of_support=bool(item.get("letter_of_support")),
            )
            for item in partners
        )


def application_set_budget(*, application, user, lines, other_funding):
    """Replace the budget lines and other funding; the requested amount follows.

    ``lines``: dicts with category, description, amount_cents. ``other_funding``:
    dicts with source, state, amount_cents. Amounts are integer cents.
    """
    _check_editable(application, user)
    maximum = application.round.scheme.max_amount_cents
    total = sum(int(line["amount_cents"]) for line in lines)
    if any(int(item["amount_cents"]) <= 0 for item in [*lines, *other_funding]):
        raise WorkflowError(_("Een bedrag moet hoger zijn dan 0 euro."))
    if total > maximum:
        raise WorkflowError(_("Het totaal is hoger dan het maximum van deze regeling."))
    with transaction.atomic():
        _lock_rows_of(application)
        application.budget_lines.all().delete()
        BudgetLine.objects.bulk_create(
            BudgetLine(
                application=application,
                category=line["category"],
                description=line["description"],
                amount_cents=int(line["amount_cents"]),
            )
            for line in lines
        )
        application.other_funding.all().delete()
        OtherFunding.objects.bulk_create(
            OtherFunding(
                application=application,
                source=item["source"],
                state=item["state"],
                amount_cents=int(item["amount_cents"]),
            )
            for item in other_funding
        )
        application_recalculate_requested(application=application)
    return application


def application_set_step(*, application, user, step):
    """Remember the step the applicant is on, to resume there later (any device)."""
    _check_editable(application, user)
    if step not in steps.SLUGS:
        raise ValueError(f"Unknown step {step!r}")
    Application.objects.filter(pk=application.pk).update(
        current_step=step, updated_at=timezone.now()
    )
    application.current_step = step


def _store_document(*, application, user, uploaded_file, checked, kind):
    document = Document(
        application=application,
        kind=kind,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=user,
    )
    uploaded_file.seek(0)
    document.file.save(checked.sha256, uploaded_file, save=False)
    document.save()
    return document


def document_add(*, application, user, uploaded_file, checked, kind):
    """Store a checked upload (``subsidies.uploads.check_upload``) with a concept."""
    _check_editable(application, user)
    if kind in (Document.Kind.DECISION_LETTER, Document.Kind.SUPPLEMENT):
        raise ValueError(f"An applicant cannot add a document of kind {kind!r}")
    return _store_document(
        application=application,
        user=user,
        uploaded_file=uploaded_file,
        checked=checked,
        kind=kind,
    )


def document_remove(*, document, user):
    """Remove a document from a concept application, file and all."""
    _check_editable(document.application, user)
    if document.kind == Document.Kind.DECISION_LETTER:
        raise WorkflowError(_("Een besluit kunt u niet verwijderen."))
    name, storage = document.file.name, document.file.storage
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))


def application_submit(
    *, application, user, truthful_declaration, accepts_electronic_decisions, at=None
):
    """Submit a concept (the ``submit`` transition) and send the receipt e-mail.

    Raises ``SubmissionIncomplete`` with the problems in Dutch when something is
    missing, and ``WorkflowError`` when the transition is refused; nothing is stored
    then.
    """
    _check_editable(application, user)
    with transaction.atomic():
        Application.objects.filter(pk=application.pk).update(
            truthful_declaration=bool(truthful_declaration)
        )
        Applicant.objects.filter(pk=application.applicant_id).update(
            accepts_electronic_decisions=bool(accepts_electronic_decisions)
        )
        fresh = Application.objects.with_related().get(pk=application.pk)
        problems = selectors.submission_problems(fresh, at=at)
        if problems:
            raise SubmissionIncomplete(problems)
        mail_language.remember(fresh.applicant, by=user)
        submitted = fire(application=fresh, transition="submit", actor=user, at=at)
        # The copy's labels in the mail's language, not the page's.
        with mail_language.in_language_of(submitted):
            sections = selectors.submission_copy(submitted)
        _queue_mail(
            template="receipt", application=submitted, context={"sections": sections}
        )
    return submitted


def application_withdraw(*, application, user, reason=""):
    """Withdraw an application (the ``withdraw`` transition) and confirm by e-mail."""
    _check_member(application, user)
    with transaction.atomic():
        mail_language.remember(application.applicant, by=user)
        withdrawn = fire(
            application=application,
            transition="withdraw",
            actor=user,
            reason=reason.strip(),
        )
        _queue_mail(
            template="withdrawn", application=withdrawn, context={"reason": reason}
        )
    return withdrawn


def supplement_submit(*, application, user, answer, files, at=None):
    """Answer the open request for more information, with files, before its deadline.

    ``files`` are ``(uploaded_file, checked)`` pairs from ``uploads.check_upload``.
    The answer, the files and the ``supplement`` transition are stored together or
    not at all; files already written are removed again when it fails.
    """
    _check_member(application, user)
    at = at or timezone.now()
    request = selectors.open_supplement_request(application)
    if application.status != Status.SUPPLEMENT_REQUESTED or request is None:
        raise WorkflowError(_("Er staat geen vraag om aanvulling open."))
    if request.due_at < at:
        raise WorkflowError(
            _(
                "De termijn om aan te vullen is voorbij. Neem contact op met het "
                "wijkbureau."
            )
        )
    stored = []
    try:
        with transaction.atomic():
            SupplementRequest.objects.filter(pk=request.pk).update(
                answer=answer.strip(), answered_at=at
            )
            mail_language.remember(application.applicant, by=user)
            for uploaded_file, checked in files:
                stored.append(
                    _store_document(
                        application=application,
                        user=user,
                        uploaded_file=uploaded_file,
                        checked=checked,
                        kind=Document.Kind.SUPPLEMENT,
                    )
                )
            supplemented = fire(
                application=application,
                transition="supplement",
                actor=user,
                at=at,
                reason=_("Aanvulling ingestuurd door de aanvrager."),
            )
            _queue_mail(
                template="supplement",
                application=supplemented,
                context={
                    "answer": answer,
                    "files": [checked.name for _f, checked in files],
                },
            )
    except Exception:
        for document in stored:
            document.file.storage.delete(document.file.name)
        raise
    return supplemented


def _recipients(application):
    return application.applicant.mail_recipients()


def _queue_mail(*, template, application, context):
    """Queue one of the applicant's e-mails (ontvangstbevestiging and the like).

    It goes through the outbox (``subsidies.mail``): it leaves only when the change it
    reports is committed, is retried when the mail server refuses, and stays on record
    as proof that it was sent (Wmebv). Subject and body are in the applicant's
    language (``mail_language``), also when staff or a scheduled job sends it.
    """
    context = {
        "application": application,
        "site_url": settings.PUBLIC_SITE_URL,
        **context,
    }
    with mail_language.in_language_of(application):
        subject = render_to_string(f"subsidies/emails/{template}_subject.txt", context)
        body = render_to_string(f"subsidies/emails/{template}.txt", context)
    return queue_mail(
        to=_recipients(application),
        subject=subject,
        body=body,
        reference=application.reference,
    )
