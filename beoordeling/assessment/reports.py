"""Reviewing a verantwoording, and the steekproef of the ex officio route.

Reads and use cases for the screens in ``views_report``; the team and recusal rules
are the assessment's (``selectors.applications_visible_to`` and ``may_act``), the
workflow's transitions fire through ``subsidies``.

The proposal (``review_propose``)
    Per approved budget line the assessor accepts an amount: at most what was spent.
    The proposed vaststelling is the accepted costs together, never above the
    verlening: ``min(verleend, som geaccepteerd)``. In full (the verlening) needs no
    ground; lower needs a ground from Awb 4:46 lid 2 (or "onnodige kosten tellen
    niet mee") and a motivation. The motivation recorded with the amount
    (``facts.record_fixed_amount``) names the ground and every reduced line, so the
    vaststelling letter can say it; the lines themselves are kept in
    ``ReportReview``.

The steekproef (``sample_draw``)
    The population: awards fixed ex officio (settlement ``ambtshalve``) whose
    activities have ended, that have no report asked and were in no earlier draw.
    The sample is ``ceil(population * percentage / 100)``, at least 1 when there is a
    population, chosen by ``random.Random(seed).sample`` over the population ordered by
    id; the seed is stored and shown, so anyone can draw the same sample again
    (``pick``). Each chosen award is asked for a report with a due date and an e-mail.
"""

import math
import random
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from subsidies import facts
from subsidies import reports as subsidy_reports
from subsidies.models import Application
from subsidies.money import format_euros
from subsidies.workflow import REPORT_STATES, REPORT_WEEKS, Settlement, Status

from ..models import ReductionGround, ReportReview, ReportReviewLine, SampleDraw
from . import selectors
from .services import AssessmentError, _require_assessor

#: Days before the vaststelling date from which a report counts as "binnenkort".
DUE_SOON_DAYS = selectors.DUE_SOON_DAYS
#: The steekproef percentage unless ``settings.REPORT_SAMPLE_PERCENTAGE`` says otherwise.
DEFAULT_SAMPLE_PERCENTAGE = 10
#: A selected award has at least this long to send its report.
SAMPLE_MIN_WEEKS = 4


# --- reads ----------------------------------------------------------------------------


def reports_visible_to(user):
    """The sent reports ``user`` may see: the assessment's team rule."""
    return (
        selectors.applications_visible_to(user)
        .filter(status__in=REPORT_STATES)
        .select_related("round__scheme", "applicant", "wijk", "report")
        .order_by("fixing_due_on", "pk")
    )


@dataclass(frozen=True)
class DueState:
    key: str  # "te_laat", "binnenkort", "loopt", "stil"
    label: str


def due_state(application, *, today=None):
    """The vaststelling deadline of a report under review, as on the other queues."""
    today = today or timezone.localdate()
    if application.status == Status.REPORT_SUPPLEMENT_REQUESTED:
        return DueState("stil", _("Termijn staat stil (vraag aan de ontvanger)"))
    due = application.fixing_due_on
    if due is None:
        return DueState("loopt", "")
    if due < today:
        return DueState("te_laat", _("Vaststellingstermijn verlopen"))
    if due < today + timedelta(days=DUE_SOON_DAYS):
        return DueState("binnenkort", _("Vaststelling binnen 7 dagen"))
    return DueState("loopt", _("Termijn loopt"))


def latest_review(application):
    return (
        ReportReview.objects.filter(application=application)
        .prefetch_related("lines")
        .first()
    )


# --- the proposal ---------------------------------------------------------------------


def _line_text(line):
    return _(
        "%(line)s: begroot %(approved)s, uitgegeven %(spent)s, geaccepteerd %(accepted)s"
    ) % {
        "line": line.description,
        "approved": format_euros(line.approved_cents),
        "spent": format_euros(line.spent_cents),
        "accepted": format_euros(line.accepted_cents),
    }


def review_propose(*, application, actor, accepted, ground="", motivation="", at=None):
    """Propose the amount to fix after a report; ``accepted`` maps each approved
    budget line's pk to the cents accepted. Records the amount for ``fix``."""
    at = at or timezone.now()
    _require_assessor(application, actor)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status != Status.REPORT_SUBMITTED:
            raise AssessmentError(
                _("Alleen een ingediende verantwoording kunt u beoordelen.")
            )
        report = subsidy_reports.report_of(locked)
        rows = subsidy_reports.money_rows(locked, report)
        errors = {}
        lines = []
        for budget_line, approved, spent in rows:
            cents = accepted.get(budget_line.pk)
            spent = spent or 0
            if cents is None:
                errors[budget_line.pk] = _("Vul het geaccepteerde bedrag in.")
                continue
            if cents > spent:
                errors[budget_line.pk] = _(
                    "U kunt niet meer accepteren dan er is uitgegeven (%(spent)s)."
                ) % {"spent": format_euros(spent)}
                continue
            lines.append(
                ReportReviewLine(
                    budget_line=budget_line,
                    description=budget_line.description,
                    approved_cents=approved,
                    spent_cents=spent,
                    accepted_cents=cents,
                )
            )
        if errors:
            raise AssessmentError(_("Controleer de bedragen per kostenpost."), errors)
        awarded = locked.awarded_cents or 0
        proposed = min(awarded, sum(line.accepted_cents for line in lines))
        in_full = proposed == awarded
        motivation = motivation.strip()
        if not in_full and not ground:
            raise AssessmentError(
                _("Kies de grond voor een lagere vaststelling."),
                {"ground": _("Kies een grond.")},
            )
        if not in_full and not motivation:
            raise AssessmentError(
                _("Schrijf waarom het bedrag lager is."),
                {"motivation": _("Schrijf een motivering.")},
            )
        review = ReportReview.objects.create(
            application=locked,
            reviewer=actor,
            created_at=at,
            granted_cents=awarded,
            proposal_cents=proposed,
            in_full=in_full,
            ground=ground if not in_full else "",
            motivation=motivation,
        )
        for line in lines:
            line.review = review
        ReportReviewLine.objects.bulk_create(lines)
        facts.record_fixed_amount(
            locked, fixed_cents=proposed, motivation=fixing_motivation(review, lines)
        )
    return review


def fixing_motivation(review, lines):
    """The text recorded with the amount: the ground, the motivation, the lower lines."""
    if review.in_full:
        return review.motivation or _(
            "De verantwoording laat zien dat de activiteiten zijn verricht zoals "
            "verleend. De subsidie wordt vastgesteld op het verleende bedrag."
        )
    parts = [
        ReductionGround(review.ground).label + ".",
        review.motivation,
        _("Lager vastgesteld per kostenpost:"),
    ]
    parts += [
        "- " + _line_text(line)
        for line in lines
        if line.accepted_cents < line.approved_cents
    ]
    return "\n".join(part for part in parts if part)


def report_question(*, application, actor, message, due_on, at=None):
    """Ask the recipient for more (``request_report_supplement``): the clock pauses."""
    _require_assessor(application, actor)
    return subsidy_reports.report_question_ask(
        application=application, actor=actor, message=message, due_on=due_on, at=at
    )


# --- the steekproef ---------------------------------------------------------------------


def sample_percentage():
    return int(getattr(settings, "REPORT_SAMPLE_PERCENTAGE", DEFAULT_SAMPLE_PERCENTAGE))


def sample_population(*, actor, today=None):
    """Ex officio awards whose activities ended, no report asked, never in a draw,
    among the applications ``actor`` may handle (the team rule of the assessment: an
    assessor draws for the wijken and schemes of their teams)."""
    today = today or timezone.localdate()
    return (
        selectors.applications_visible_to(actor)
        .filter(
            status=Status.AWARDED,
            settlement=Settlement.EX_OFFICIO,
            report_due_on__isnull=True,
            activity_end__lt=today,
        )
        .exclude(sample_populations__isnull=False)
        .order_by("pk")
    )


def sample_size(population_count, percentage):
    if population_count == 0:
        return 0
    return min(population_count, max(1, math.ceil(population_count * percentage / 100)))


def pick(ids, *, percentage, seed):
    """The ids the seed chooses from ``ids`` (ordered as given): repeatable."""
    ids = sorted(ids)
    size = sample_size(len(ids), percentage)
    return sorted(random.Random(str(seed)).sample(ids, size))


def sample_due_on(application, today):
    """At least ``SAMPLE_MIN_WEEKS`` from today, never before the usual 13 weeks after
    the activities."""
    usual = application.activity_end + timedelta(weeks=REPORT_WEEKS)
    return max(usual, today + timedelta(weeks=SAMPLE_MIN_WEEKS))


def sample_draw(*, actor, seed=None, percentage=None, at=None):
    """Draw one steekproef and ask each chosen award for a report (with an e-mail)."""
    at = at or timezone.now()
    today = timezone.localdate(at)
    if not selectors.is_assessor(actor):
        raise AssessmentError(_("Alleen een beoordelaar kan een steekproef trekken."))
    percentage = sample_percentage() if percentage is None else int(percentage)
    if not 1 <= percentage <= 100:
        raise AssessmentError(_("Kies een percentage van 1 tot en met 100."))
    seed = str(seed).strip() if seed not in (None, "") else secrets.token_hex(8)
    with transaction.atomic():
        population = list(
            sample_population(actor=actor, today=today).select_for_update()
        )
        if not population:
            raise AssessmentError(
                _(
                    "Er zijn geen afgelopen subsidies die ambtshalve worden "
                    "vastgesteld en nog niet in een steekproef zaten."
                )
            )
        chosen_ids = pick(
            [application.pk for application in population],
            percentage=percentage,
            seed=seed,
        )
        chosen = [a for a in population if a.pk in set(chosen_ids)]
        draw = SampleDraw.objects.create(
            drawn_at=at,
            drawn_by=actor,
            seed=seed,
            percentage=percentage,
            due_on=max(sample_due_on(a, today) for a in chosen),
        )
        draw.population.set(population)
        draw.selected.set(chosen)
        for application in chosen:
            subsidy_reports.report_require(
                application=application, due_on=sample_due_on(application, today)
            )
    return draw
