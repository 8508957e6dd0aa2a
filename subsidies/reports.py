"""The verantwoording: the recipient's report after the activities, and what goes with it.

Use cases (keyword arguments, never a request) and reads for the resident's report
form (``subsidies.views.report``), the questions the gemeente asks about a report,
the steekproef's request for a report, and the reminders.

When is a report open for the recipient? When the award asks one (``report_due_on``
is set, status ``toegekend``), and again while the gemeente waits for an answer to its
question (``verantwoording_aanvulling``). Otherwise it is read-only: sent reports are
never changed by the recipient. Each step saves with the same version check as the
application form (``services.versioned_step_saving``), so a second tab cannot
overwrite the first unseen.

Reminders (``send_report_reminders``) go through the outbox: 14 days before the due
date, and 1 and 14 days after it while no report came in; each once per due date
(``ReportReminder``), so running it twice a day sends nothing twice.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import facts, mail_language, steps
from .models import (
    Application,
    Document,
    Report,
    ReportIncome,
    ReportLine,
    ReportQuestion,
    ReportReminder,
)
from .money import format_euros
from .services import (
    WorkflowError,
    _check_member,
    _queue_mail,
    _store_document,
    fire,
    versioned_step_saving,
)
from .workflow import Settlement, Status

#: Days relative to the due date on which a reminder goes out (negative: before).
REMINDER_DAYS = {
    ReportReminder.Kind.BEFORE: -14,
    ReportReminder.Kind.LATE: 1,
    ReportReminder.Kind.LATE_AGAIN: 14,
}
#: The fields of ``Report`` the recipient fills in on the first two steps.
ACTIVITY_FIELDS = ("what_happened", "course", "deviations", "started_on", "ended_on")
PEOPLE_FIELDS = ("participants", "volunteers")


class ReportLocked(WorkflowError):
    """The report was sent (and no question is open): it cannot be changed now."""


# --- reads ----------------------------------------------------------------------------


def report_open(application):
    """May the recipient fill in (or complete) the report now?"""
    if application.status == Status.REPORT_SUPPLEMENT_REQUESTED:
        return True
    return (
        application.status == Status.AWARDED and application.report_due_on is not None
    )


def report_of(application):
    """The application's report, or None when nothing was filled in yet."""
    return Report.objects.filter(application=application).first()


def open_question(application):
    return (
        ReportQuestion.objects.filter(
            report__application=application, answered_at__isnull=True
        )
        .order_by("-asked_at")
        .first()
    )


def report_documents(application):
    return application.documents.filter(kind=Document.Kind.REPORT).order_by(
        "uploaded_at", "pk"
    )


@dataclass(frozen=True)
class Obligation:
    """What the recipient has to do after the award, for "Mijn aanvragen"."""

    kind: str  # "report", "question", "sent", "nothing", ""
    text: str
    due_on: object = None
    late: bool = False


def obligation(application, *, today=None):
    """What is due and when, in plain words; ``kind`` "" when there is nothing to say."""
    today = today or timezone.localdate()
    status = application.status
    if status == Status.REPORT_SUPPLEMENT_REQUESTED:
        question = open_question(application)
        due = timezone.localdate(question.due_at) if question else None
        return Obligation(
            "question",
            _("Wij hebben een vraag over uw verantwoording."),
            due,
            bool(due and due < today),
        )
    if status == Status.REPORT_SUBMITTED:
        return Obligation("sent", _("Wij hebben uw verantwoording ontvangen."))
    if status not in (Status.AWARDED, Status.FIXED):
        return Obligation("", "")
    if status == Status.AWARDED and application.report_due_on is not None:
        return Obligation(
            "report",
            _("Stuur uw verantwoording uiterlijk op %(date)s.")
            % {"date": _format_date(application.report_due_on)},
            application.report_due_on,
            application.report_due_on < today,
        )
    if application.report_due_on is None and application.settlement in (
        Settlement.DIRECT,
        Settlement.EX_OFFICIO,
    ):
        return Obligation(
            "nothing",
            _(
                "U hoeft ons niets te sturen. Bewaar wel de bonnen en bewijzen: wij "
                "kunnen er later om vragen."
            ),
        )
    return Obligation("", "")


def _format_date(day):
    from django.utils.formats import date_format

    return date_format(day, "j F Y")


@dataclass
class Section:
    step: str
    title: str
    rows: list = field(default_factory=list)


def money_rows(application, report):
    """Per approved budget line: (line, approved cents, spent cents or None)."""
    spent = {}
    if report is not None:
        spent = {line.budget_line_id: line.spent_cents for line in report.lines.all()}
    return [
        (line, line.amount_cents, spent.get(line.pk))
        for line in application.budget_lines.all()
    ]


def report_copy(application, report):
    """The report as stored, per step: (label, value) rows, for the last step, the
    status page and the staff screen, so all three show the same."""
    report = report or Report(application=application)
    sections = []
    course = report.get_course_display() if report.course else ""
    sections.append(
        Section(
            steps.REPORT_ACTIVITY,
            str(steps.get(steps.REPORT_ACTIVITY, steps.REPORT_STEPS).title),
            [
                (_("Wat er is gebeurd"), report.what_happened),
                (_("Ging het zoals gepland?"), course),
                (_("Wat ging anders"), report.deviations),
                (_("Begonnen op"), _date_or_blank(report.started_on)),
                (_("Klaar op"), _date_or_blank(report.ended_on)),
            ],
        )
    )
    sections.append(
        Section(
            steps.REPORT_PEOPLE,
            str(steps.get(steps.REPORT_PEOPLE, steps.REPORT_STEPS).title),
            [
                (_("Aantal deelnemers"), _number_or_blank(report.participants)),
                (_("Aantal vrijwilligers"), _number_or_blank(report.volunteers)),
            ],
        )
    )
    rows = []
    spent_total = 0
    for line, approved, spent in money_rows(application, report if report.pk else None):
        rows.append(
            (
                _("%(line)s (begroot %(approved)s)")
                % {"line": line.description, "approved": format_euros(approved)},
                format_euros(spent) if spent is not None else "",
            )
        )
        spent_total += spent or 0
    rows.append((_("Uitgegeven in totaal"), format_euros(spent_total)))
    income_total = 0
    if report.pk:
        for item in report.income.all():
            rows.append(
                (
                    _("Inkomsten: %(source)s") % {"source": item.source},
                    format_euros(item.amount_cents),
                )
            )
            income_total += item.amount_cents
    rows.append((_("Inkomsten in totaal"), format_euros(income_total)))
    sections.append(
        Section(
            steps.REPORT_MONEY,
            str(steps.get(steps.REPORT_MONEY, steps.REPORT_STEPS).title),
            rows,
        )
    )
    documents = report_documents(application)
    sections.append(
        Section(
            steps.REPORT_PROOF,
            str(steps.get(steps.REPORT_PROOF, steps.REPORT_STEPS).title),
            [(_("Bestand"), document.original_name) for document in documents],
        )
    )
    return sections


def _date_or_blank(day):
    return _format_date(day) if day else ""


def _number_or_blank(number):
    return "" if number is None else str(number)


def report_problems(application, report):
    """What is missing before the report can be sent: (href, text) pairs."""
    problems = []

    def at(slug):
        return reverse("subsidies:report_step", args=[application.reference, slug])

    if report is None or not report.what_happened.strip():
        problems.append(
            (at(steps.REPORT_ACTIVITY), _("Vertel wat er is gebeurd (stap 1)."))
        )
    if report is None or not report.course:
        problems.append(
            (
                at(steps.REPORT_ACTIVITY),
                _("Kies of het ging zoals gepland (stap 1)."),
            )
        )
    if report is None or report.participants is None:
        problems.append(
            (at(steps.REPORT_PEOPLE), _("Vul het aantal deelnemers in (stap 2)."))
        )
    lines = application.budget_lines.count()
    if report is None or report.lines.count() < lines:
        problems.append(
            (
                at(steps.REPORT_MONEY),
                _("Vul bij elke kostenpost in wat u heeft uitgegeven (stap 3)."),
            )
        )
    return problems


# --- the recipient's use cases ---------------------------------------------------------


def _check_report_open(application, user):
    _check_member(application, user)
    fresh = Application.objects.only("status", "report_due_on").get(pk=application.pk)
    if not report_open(fresh):
        raise ReportLocked(
            _(
                "Uw verantwoording is verstuurd. U kunt hem niet meer wijzigen. Wilt "
                "u iets aanvullen? Neem dan contact op met het wijkbureau."
            )
        )


def report_start(*, application, user):
    """The report to fill in (made on the first visit)."""
    _check_report_open(application, user)
    report, _created = Report.objects.get_or_create(application=application)
    return report


def report_step_saving(*, report, user, step, version, fingerprint=""):
    """Save one step of the report as one unit, only from an up-to-date page."""
    _check_report_open(report.application, user)
    return versioned_step_saving(
        row=report, step=step, version=version, fingerprint=fingerprint
    )


def report_update(*, report, user, fields):
    """Store the typed fields of step 1 or 2 (only those, never others)."""
    _check_report_open(report.application, user)
    allowed = set(ACTIVITY_FIELDS) | set(PEOPLE_FIELDS)
    values = {name: value for name, value in fields.items() if name in allowed}
    for name, value in values.items():
        if value is None and name in ("what_happened", "course", "deviations"):
            values[name] = ""
    if values:
        Report.objects.filter(pk=report.pk).update(**values, updated_at=timezone.now())
        for name, value in values.items():
            setattr(report, name, value)


def report_set_money(*, report, user, spent, income):
    """Store the money step: ``spent`` maps each approved budget line's pk to the
    cents spent on it; ``income`` is a list of {source, amount_cents}. Replaces what
    the step stored, in one transaction."""
    application = report.application
    _check_report_open(application, user)
    line_ids = set(application.budget_lines.values_list("pk", flat=True))
    if set(spent) - line_ids:
        raise ValueError("a report line for a budget line of another application")
    with transaction.atomic():
        report.lines.all().delete()
        ReportLine.objects.bulk_create(
            ReportLine(report=report, budget_line_id=pk, spent_cents=cents)
            for pk, cents in spent.items()
        )
        report.income.all().delete()
        ReportIncome.objects.bulk_create(
            ReportIncome(
                report=report, source=item["source"], amount_cents=item["amount_cents"]
            )
            for item in income
        )
        Report.objects.filter(pk=report.pk).update(updated_at=timezone.now())


def report_set_step(*, report, user, step):
    _check_report_open(report.application, user)
    if step not in steps.REPORT_SLUGS:
        raise ValueError(f"Unknown report step {step!r}")
    Report.objects.filter(pk=report.pk).update(current_step=step)
    report.current_step = step


def report_document_add(*, application, user, uploaded_file, checked):
    """Store a checked upload (``uploads.check_upload``) as proof with the report."""
    _check_report_open(application, user)
    return _store_document(
        application=application,
        user=user,
        uploaded_file=uploaded_file,
        checked=checked,
        kind=Document.Kind.REPORT,
    )


def report_document_remove(*, document, user):
    """Remove proof from a report that is still open, file and all."""
    if document.kind != Document.Kind.REPORT:
        raise WorkflowError(_("Dit bestand hoort niet bij de verantwoording."))
    _check_report_open(document.application, user)
    name, storage = document.file.name, document.file.storage
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))


class ReportIncomplete(WorkflowError):
    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__(_("Uw verantwoording is nog niet compleet."))


def report_submit(*, application, user, truthful_declaration, answer="", at=None):
    """Send the report (``submit_report``), or the answer to the gemeente's question
    with the completed report (``supplement_report``), with a receipt by e-mail."""
    _check_report_open(application, user)
    at = at or timezone.now()
    with transaction.atomic():
        fresh = Application.objects.select_related("applicant").get(pk=application.pk)
        report = Report.objects.get(application=fresh)
        problems = report_problems(fresh, report)
        if not truthful_declaration:
            problems.append(
                ("#id_truthful_declaration", _("Vink aan dat alles klopt."))
            )
        question = None
        if fresh.status == Status.REPORT_SUPPLEMENT_REQUESTED:
            question = open_question(fresh)
            if not answer.strip():
                problems.append(("#id_answer", _("Schrijf uw antwoord op onze vraag.")))
        if problems:
            raise ReportIncomplete(problems)
        mail_language.remember(fresh.applicant, by=user)
        Report.objects.filter(pk=report.pk).update(
            truthful_declaration=True, submitted_at=at
        )
        if question is not None:
            ReportQuestion.objects.filter(pk=question.pk).update(
                answer=answer.strip(), answered_at=at
            )
            sent = fire(
                application=fresh,
                transition="supplement_report",
                actor=user,
                at=at,
                reason=_("Antwoord op de vraag over de verantwoording."),
            )
        else:
            sent = fire(
                application=fresh, transition="submit_report", actor=user, at=at
            )
        report.refresh_from_db()
        _queue_mail(
            template="report_received",
            application=sent,
            context={
                "sections": report_copy(sent, report),
                "answer": answer.strip() if question else "",
            },
        )
    return sent


# --- the gemeente's side: questions, the steekproef's request -------------------------


def report_question_ask(*, application, actor, message, due_on, at=None):
    """Ask for more about a sent report (``request_report_supplement``): the question
    with its term is stored, the vaststelling clock pauses, and the recipient gets an
    e-mail."""
    at = at or timezone.now()
    due_at = timezone.make_aware(datetime.combine(due_on, time(23, 59)))
    if due_at <= at:
        raise WorkflowError(_("Kies een datum in de toekomst."))
    with transaction.atomic():
        asked = fire(
            application=application,
            transition="request_report_supplement",
            actor=actor,
            at=at,
            due_at=due_at,
            reason=message.strip(),
        )
        report = Report.objects.get(application=asked)
        ReportQuestion.objects.create(
            report=report,
            asked_by=actor,
            message=message.strip(),
            asked_at=at,
            due_at=due_at,
        )
        _queue_mail(
            template="report_question",
            application=asked,
            context={"message": message.strip(), "due_on": due_on},
        )
    return asked


def report_require(*, application, due_on):
    """Ask a report of an award that would be fixed ex officio (the steekproef), and
    tell the recipient by e-mail."""
    if application.status != Status.AWARDED or application.settlement != (
        Settlement.EX_OFFICIO
    ):
        raise WorkflowError(
            _("Alleen als u subsidie kreeg en wij het bedrag zelf vaststellen.")
        )
    with transaction.atomic():
        facts.require_report(application, due_on=due_on)
        _queue_mail(
            template="report_requested",
            application=application,
            context={"due_on": due_on},
        )
    return application


# --- reminders ---------------------------------------------------------------------


def reminder_due(application, today):
    """The reminder to send today for this application, or None: the latest kind
    whose day has come (a late run never sends two at once)."""
    due = application.report_due_on
    if due is None:
        return None
    kind = None
    for candidate, days in REMINDER_DAYS.items():
        day = due + timedelta(days=days)
        if today >= day and (days >= 0 or today < due):
            kind = candidate
    return kind


def send_report_reminders(*, today=None):
    """Queue the reminders due today; each (kind, due date) once. Returns the count."""
    today = today or timezone.localdate()
    waiting = Application.objects.filter(
        status=Status.AWARDED, report_due_on__isnull=False
    ).select_related("applicant")
    sent = 0
    for application in waiting:
        kind = reminder_due(application, today)
        if kind is None:
            continue
        if ReportReminder.objects.filter(
            application=application, kind=kind, due_on=application.report_due_on
        ).exists():
            continue
        try:
            with transaction.atomic():
                ReportReminder.objects.create(
                    application=application,
                    kind=kind,
                    due_on=application.report_due_on,
                    sent_at=timezone.now(),
                )
                _queue_mail(
                    template="report_reminder",
                    application=application,
                    context={
                        "late": kind != ReportReminder.Kind.BEFORE,
                        "due_on": application.report_due_on,
                    },
                )
        except IntegrityError:
            continue
        sent += 1
    return sent
