"""The application workflow: states, the state table, guards and permissions.

The transitions themselves are one block of ``@transition`` methods on
``subsidies.models.Application``; this module holds what they refer to, so the rules
read in one place. Python names are English; the stored values are the Dutch words that
appear in exports and open data.

State table (source -> target, who, guard); tests/subsidies/test_transition_table.py
checks it against ``STATE_TABLE``, ``TRANSITIONS`` and the ``@transition`` methods::

    submit                concept -> ingediend                 applicant
                          guard: form complete, round open, activity starts after today
    request_supplement    ingediend -> aanvulling_gevraagd     assessor
                          sets a hersteltermijn (Awb 4:5); the decision clock pauses
    supplement            aanvulling_gevraagd -> ingediend     applicant
                          guard: before the hersteltermijn ends; the clock resumes
    set_aside             aanvulling_gevraagd -> buiten_behandeling   assessor
                          guard: the hersteltermijn has expired
    accept                ingediend -> in_beoordeling          assessor
                          guard: every hard randvoorwaarde met
    reject_preconditions  ingediend -> afgewezen               assessor
                          guard: a hard randvoorwaarde not met, with a motivation
    complete_assessment   in_beoordeling -> beoordeeld         assessor
                          guard: an impact score is recorded (enough submitted
                          assessments, no open disagreement); fired on the
                          assessor's behalf when the last assessment comes in
    award                 beoordeeld -> toegekend              decision maker
                          guard: a vastgestelde allocation honours it; four eyes
                          above the round's threshold
    reject                beoordeeld -> afgewezen              decision maker
                          guard: a vastgestelde allocation does not honour it
    withdraw              concept, ingediend, aanvulling_gevraagd, in_beoordeling,
                          beoordeeld -> ingetrokken            applicant
    fix_directly          toegekend -> vastgesteld             decision maker
                          guard: the award's settlement is direct (the verlening
                          letter fixes the amount, VNG model ASV art. 15)
    submit_report         toegekend -> verantwoording_ingediend   applicant
                          guard: a verantwoording is asked (``report_due_on``);
                          the vaststelling is due 13 weeks later
    request_report_supplement  verantwoording_ingediend -> verantwoording_aanvulling   assessor
                          the vaststelling clock pauses; a proposed amount is cleared
    supplement_report     verantwoording_aanvulling -> verantwoording_ingediend   applicant
                          the clock resumes: the vaststelling date moves on
    fix                   toegekend, verantwoording_ingediend -> vastgesteld   decision maker
                          guard: an amount is recorded, at most the award; from
                          toegekend only ex officio: no report asked, activities over
    amend                 toegekend -> toegekend               decision maker
                          a wijzigingsbesluit; its new facts are recorded first
    revoke                toegekend, verantwoording_ingediend, verantwoording_aanvulling,
                          vastgesteld, afgesloten -> subsidie_ingetrokken   decision maker
                          guard: a vaststelling only within 5 years (Awb 4:49 lid 3),
                          also when it was paid and closed
    close                 vastgesteld -> afgesloten            financial administrator
                          guard: paid minus repaid equals the fixed amount
    award_on_objection    afgewezen -> toegekend               objection handler
                          a well-founded bezwaar (Awb 7:11); guard: an amount,
                          recorded first under the round's ceiling guard
    reopen_on_objection   buiten_behandeling -> ingediend      objection handler
                          the application is handled after all; the clock runs again
    revise_award_on_objection  toegekend -> toegekend          objection handler
                          guard: the new amount is recorded
    revise_fixing_on_objection  vastgesteld, afgesloten -> vastgesteld   objection handler
                          guard: the new fixed amount is recorded
    restore_award_on_objection  subsidie_ingetrokken -> toegekend   objection handler
                          the intrekking is revoked; guard: never fixed
    restore_fixing_on_objection  subsidie_ingetrokken -> vastgesteld   objection handler
                          the intrekking is revoked; guard: it was fixed

The ``*_on_objection`` transitions are fired by the bezwaar's handler, or by the
decision maker who approved a decision above the four-eyes line
(``beoordeling.objections``); they are the only ways out of a final state.

After the award the money is in the payments ledger (``beoordeling.payments``); it
records the totals paid and repaid here (``facts.record_money``), so ``close`` reads
them without importing it.

The guards read facts recorded on the application (``preconditions_met``,
``impact_score``, ``allocation_outcome``, ...). The assessment app writes those facts;
this app never imports it, so the dependency points one way.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import (
    ASSESS_APPLICATION,
    DECIDE_APPLICATION,
    HANDLE_OBJECTION,
    MANAGE_PAYMENTS,
)


class Status(models.TextChoices):
    DRAFT = "concept", _("Concept")
    SUBMITTED = "ingediend", _("Ingediend")
    SUPPLEMENT_REQUESTED = "aanvulling_gevraagd", _("Aanvulling gevraagd")
    SET_ASIDE = "buiten_behandeling", _("Buiten behandeling gesteld")
    IN_ASSESSMENT = "in_beoordeling", _("In beoordeling")
    ASSESSED = "beoordeeld", _("Beoordeeld")
    AWARDED = "toegekend", _("Toegekend")
    REJECTED = "afgewezen", _("Afgewezen")
    WITHDRAWN = "ingetrokken", _("Ingetrokken")
    REPORT_SUBMITTED = "verantwoording_ingediend", _("Verantwoording ingediend")
    REPORT_SUPPLEMENT_REQUESTED = (
        "verantwoording_aanvulling",
        _("Aanvulling op de verantwoording gevraagd"),
    )
    FIXED = "vastgesteld", _("Vastgesteld")
    CLOSED = "afgesloten", _("Afgesloten")
    REVOKED = "subsidie_ingetrokken", _("Subsidie ingetrokken")


class Settlement(models.TextChoices):
    """How an award becomes final, stored on the application when it is awarded."""

    DIRECT = "direct", _("Direct vastgesteld in de verlening")
    EX_OFFICIO = "ambtshalve", _("Ambtshalve vaststellen na de activiteiten")
    REPORT = "verantwoording", _("Vaststellen na de verantwoording")


#: Weeks after the end of the activities in which the recipient sends the
#: verantwoording (the verlening letter says "binnen 13 weken na afloop"), and weeks in
#: which the gemeente then fixes the amount: after the report, or ex officio after the
#: activities (VNG model ASV art. 15). ``docs/decisions.md`` records the reading.
REPORT_WEEKS = 13
FIXING_WEEKS = 13
#: Awb 4:49 lid 3 and 4:57 lid 4: no intrekking of a vaststelling and no terugvordering
#: later than five years after the vaststelling.
RECLAIM_LIMIT_YEARS = 5


def settlement_terms(settlement, activity_end):
    """The deadlines an award's settlement sets: (report_due_on, fixing_due_on)."""
    if settlement == Settlement.DIRECT or activity_end is None:
        return None, None
    if settlement == Settlement.REPORT:
        report_due = activity_end + timedelta(weeks=REPORT_WEEKS)
        return report_due, report_due + timedelta(weeks=FIXING_WEEKS)
    return None, activity_end + timedelta(weeks=FIXING_WEEKS)


def years_later(day, years):
    """The same calendar day ``years`` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


#: What an applicant sees; staff see ``Status`` labels.
PUBLIC_LABELS = {
    Status.DRAFT: _("Nog niet ingediend"),
    Status.SUBMITTED: _("Ontvangen"),
    Status.SUPPLEMENT_REQUESTED: _("Wij hebben meer informatie nodig"),
    Status.SET_ASIDE: _("Niet in behandeling genomen"),
    Status.IN_ASSESSMENT: _("In behandeling"),
    Status.ASSESSED: _("In behandeling"),
    Status.AWARDED: _("Toegekend"),
    Status.REJECTED: _("Afgewezen"),
    Status.WITHDRAWN: _("Ingetrokken"),
    Status.REPORT_SUBMITTED: _("Verantwoording ontvangen"),
    Status.REPORT_SUPPLEMENT_REQUESTED: _("Wij hebben meer informatie nodig"),
    Status.FIXED: _("Subsidie vastgesteld"),
    Status.CLOSED: _("Afgerond"),
    Status.REVOKED: _("Subsidie ingetrokken"),
}

#: The documented table, compared with the FSM by a test: (source, transition, target).
STATE_TABLE = frozenset(
    {
        (Status.DRAFT, "submit", Status.SUBMITTED),
        (Status.SUBMITTED, "request_supplement", Status.SUPPLEMENT_REQUESTED),
        (Status.SUPPLEMENT_REQUESTED, "supplement", Status.SUBMITTED),
        (Status.SUPPLEMENT_REQUESTED, "set_aside", Status.SET_ASIDE),
        (Status.SUBMITTED, "accept", Status.IN_ASSESSMENT),
        (Status.SUBMITTED, "reject_preconditions", Status.REJECTED),
        (Status.IN_ASSESSMENT, "complete_assessment", Status.ASSESSED),
        (Status.ASSESSED, "award", Status.AWARDED),
        (Status.ASSESSED, "reject", Status.REJECTED),
        *(
            (source, "withdraw", Status.WITHDRAWN)
            for source in (
                Status.DRAFT,
                Status.SUBMITTED,
                Status.SUPPLEMENT_REQUESTED,
                Status.IN_ASSESSMENT,
                Status.ASSESSED,
            )
        ),
        (Status.AWARDED, "fix_directly", Status.FIXED),
        (Status.AWARDED, "submit_report", Status.REPORT_SUBMITTED),
        (
            Status.REPORT_SUBMITTED,
            "request_report_supplement",
            Status.REPORT_SUPPLEMENT_REQUESTED,
        ),
        (
            Status.REPORT_SUPPLEMENT_REQUESTED,
            "supplement_report",
            Status.REPORT_SUBMITTED,
        ),
        (Status.AWARDED, "fix", Status.FIXED),
        (Status.REPORT_SUBMITTED, "fix", Status.FIXED),
        (Status.AWARDED, "amend", Status.AWARDED),
        *(
            (source, "revoke", Status.REVOKED)
            for source in (
                Status.AWARDED,
                Status.REPORT_SUBMITTED,
                Status.REPORT_SUPPLEMENT_REQUESTED,
                Status.FIXED,
                Status.CLOSED,
            )
        ),
        (Status.FIXED, "close", Status.CLOSED),
        (Status.REJECTED, "award_on_objection", Status.AWARDED),
        (Status.SET_ASIDE, "reopen_on_objection", Status.SUBMITTED),
        (Status.AWARDED, "revise_award_on_objection", Status.AWARDED),
        (Status.FIXED, "revise_fixing_on_objection", Status.FIXED),
        (Status.CLOSED, "revise_fixing_on_objection", Status.FIXED),
        (Status.REVOKED, "restore_award_on_objection", Status.AWARDED),
        (Status.REVOKED, "restore_fixing_on_objection", Status.FIXED),
    }
)

#: The herroepingen on bezwaar (Awb 7:11): the only ways out of a final state.
OBJECTION_TRANSITIONS = frozenset(
    {
        "award_on_objection",
        "reopen_on_objection",
        "revise_award_on_objection",
        "revise_fixing_on_objection",
        "restore_award_on_objection",
        "restore_fixing_on_objection",
    }
)


@dataclass(frozen=True)
class TransitionText:
    """One transition as people read it."""

    #: The action on the staff screens and in their messages ("aanvulling vragen").
    staff_label: str
    #: The line on the resident's status page ("Wij hebben u gevraagd ...").
    resident_text: str
    #: Who fires it: "applicant", "assessor", "decision maker" or "financial
    #: administrator"; the ``@transition`` checks that role's permission
    #: (``is_applicant``, ``is_assessor``, ...).
    fired_by: str


#: Every transition of ``STATE_TABLE``, once: its words and who fires it.
TRANSITIONS = {
    "submit": TransitionText(
        _("indienen"),
        _("U heeft de aanvraag verstuurd. Wij hebben hem ontvangen."),
        "applicant",
    ),
    "request_supplement": TransitionText(
        _("aanvulling vragen"),
        _(
            "Wij hebben u gevraagd om meer informatie. Tot u antwoordt, staat de "
            "beslistermijn stil."
        ),
        "assessor",
    ),
    "supplement": TransitionText(
        _("aanvulling insturen"),
        _("U heeft de gevraagde informatie gestuurd."),
        "applicant",
    ),
    "set_aside": TransitionText(
        _("buiten behandeling stellen"),
        _(
            "Wij hebben de aanvraag niet in behandeling genomen, omdat de informatie "
            "niet op tijd binnen was."
        ),
        "assessor",
    ),
    "accept": TransitionText(
        _("in behandeling nemen"),
        _(
            "De aanvraag voldoet aan de voorwaarden. Wij beoordelen nu wat het "
            "initiatief oplevert."
        ),
        "assessor",
    ),
    "reject_preconditions": TransitionText(
        _("afwijzen op randvoorwaarden"),
        _("De aanvraag voldoet niet aan de voorwaarden. U krijgt een besluit."),
        "assessor",
    ),
    "complete_assessment": TransitionText(
        _("beoordeling afronden"),
        _("De beoordeling is klaar. Het besluit volgt na de verdeling van het budget."),
        "assessor",
    ),
    "award": TransitionText(
        _("toekennen"),
        _("U krijgt de subsidie. Wij sturen u een besluit."),
        "decision maker",
    ),
    "reject": TransitionText(
        _("afwijzen"),
        _("Wij hebben de aanvraag afgewezen. Wij sturen u een besluit."),
        "decision maker",
    ),
    "withdraw": TransitionText(
        _("intrekken"), _("U heeft de aanvraag ingetrokken."), "applicant"
    ),
    "fix_directly": TransitionText(
        _("direct vaststellen"),
        _(
            "Het bedrag staat meteen vast. U hoeft achteraf geen verantwoording te "
            "sturen, maar bewaar de bonnen."
        ),
        "decision maker",
    ),
    "submit_report": TransitionText(
        _("verantwoording insturen"),
        _("U heeft de verantwoording gestuurd. Wij bekijken die."),
        "applicant",
    ),
    "request_report_supplement": TransitionText(
        _("aanvulling op de verantwoording vragen"),
        _(
            "Wij hebben u gevraagd om meer informatie over de verantwoording. Tot u "
            "antwoordt, staat de termijn voor de vaststelling stil."
        ),
        "assessor",
    ),
    "supplement_report": TransitionText(
        _("verantwoording aanvullen"),
        _("U heeft de gevraagde informatie over de verantwoording gestuurd."),
        "applicant",
    ),
    "fix": TransitionText(
        _("vaststellen"),
        _("Wij hebben het bedrag van de subsidie vastgesteld. U krijgt een besluit."),
        "decision maker",
    ),
    "amend": TransitionText(
        _("verlening wijzigen"),
        _("Wij hebben de subsidie gewijzigd. U krijgt een besluit."),
        "decision maker",
    ),
    "revoke": TransitionText(
        _("subsidie intrekken"),
        _("Wij hebben de subsidie ingetrokken. U krijgt een besluit."),
        "decision maker",
    ),
    "close": TransitionText(
        _("afsluiten"),
        _("Wij hebben alles betaald. Het dossier is gesloten."),
        "financial administrator",
    ),
    "award_on_objection": TransitionText(
        _("alsnog toekennen na bezwaar"),
        _(
            "Uw bezwaar is gegrond. Wij hebben de subsidie alsnog toegekend. U krijgt "
            "een besluit."
        ),
        "objection handler",
    ),
    "reopen_on_objection": TransitionText(
        _("alsnog in behandeling nemen na bezwaar"),
        _(
            "Uw bezwaar is gegrond. Wij nemen de aanvraag alsnog in behandeling. U "
            "krijgt later een besluit op de aanvraag."
        ),
        "objection handler",
    ),
    "revise_award_on_objection": TransitionText(
        _("verlening herzien na bezwaar"),
        _("Uw bezwaar is gegrond. Wij hebben het bedrag van de subsidie aangepast."),
        "objection handler",
    ),
    "revise_fixing_on_objection": TransitionText(
        _("vaststelling herzien na bezwaar"),
        _("Uw bezwaar is gegrond. Wij hebben het vastgestelde bedrag aangepast."),
        "objection handler",
    ),
    "restore_award_on_objection": TransitionText(
        _("intrekking herroepen na bezwaar"),
        _("Uw bezwaar is gegrond. Wij trekken de subsidie niet meer in."),
        "objection handler",
    ),
    "restore_fixing_on_objection": TransitionText(
        _("intrekking van de vaststelling herroepen na bezwaar"),
        _(
            "Uw bezwaar is gegrond. Wij trekken de subsidie niet meer in; het "
            "vastgestelde bedrag geldt weer."
        ),
        "objection handler",
    ),
}

#: Awarded (a verlening was sent) and on to what follows it: the verantwoording, the
#: vaststelling, closure or an intrekking by the gemeente.
GRANTED_STATES = (
    Status.AWARDED,
    Status.REPORT_SUBMITTED,
    Status.REPORT_SUPPLEMENT_REQUESTED,
    Status.FIXED,
    Status.CLOSED,
    Status.REVOKED,
)
#: Awarded and not yet fixed: the verantwoording or the ex officio vaststelling is due.
BEFORE_FIXING_STATES = (
    Status.AWARDED,
    Status.REPORT_SUBMITTED,
    Status.REPORT_SUPPLEMENT_REQUESTED,
)
#: The verantwoording is with the gemeente (or waiting for its aanvulling).
REPORT_STATES = (Status.REPORT_SUBMITTED, Status.REPORT_SUPPLEMENT_REQUESTED)
#: The end: no transition leads out of these but a herroeping on bezwaar
#: (``OBJECTION_TRANSITIONS``); ``afgesloten`` is not one: a closed grant can still be
#: withdrawn within five years of its vaststelling, Awb 4:49.
FINAL_STATES = frozenset(
    {
        Status.SET_ASIDE,
        Status.REJECTED,
        Status.WITHDRAWN,
        Status.REVOKED,
    }
)
#: States in which the applicant can no longer change or withdraw the application
#: itself: it ended, or the gemeente decided on it (what follows an award is the
#: grant's, not the application's).
CLOSED_STATES = frozenset({*FINAL_STATES, *GRANTED_STATES})
#: States in which the gemeente's decision clock is running (also: still on their way
#: to a decision, so an older one goes first in the order of receipt).
CLOCK_RUNNING_STATES = frozenset(
    {Status.SUBMITTED, Status.IN_ASSESSMENT, Status.ASSESSED}
)
#: In the assessor's hands: assessors can still be assigned, the randvoorwaarden
#: checked or an aanvulling asked; others' scores stay hidden.
OPEN_STATES = (Status.SUBMITTED, Status.SUPPLEMENT_REQUESTED, Status.IN_ASSESSMENT)
#: Submitted and not closed: "in behandeling" on the public scheme page.
IN_PROCESS_STATES = (*OPEN_STATES, Status.ASSESSED)
#: Decided by the gemeente, each with its beschikking: the award overview, the letters.
DECIDED_STATES = (*GRANTED_STATES, Status.REJECTED, Status.SET_ASIDE)
#: Every status of a submitted application (all but the concept), in the FSM's order.
SUBMITTED_STATES = tuple(s for s in Status if s != Status.DRAFT)

# Every group of statuses is defined here, once; other modules import them
# (tests/subsidies/test_status_groups.py holds that).


class AllocationOutcome(models.TextChoices):
    HONOURED = "gehonoreerd", _("Gehonoreerd in de verdeling")
    NOT_HONOURED = "niet_gehonoreerd", _("Niet gehonoreerd in de verdeling")


# --- guards -------------------------------------------------------------------------
# Each takes the application and answers yes or no; ``missing_for_submission`` says why.


def missing_for_submission(application):
    """The parts of the form still empty, as Dutch phrases for the applicant."""
    missing = []
    if not application.title.strip():
        missing.append(_("de titel van uw initiatief"))
    if not application.summary.strip():
        missing.append(_("een korte beschrijving"))
    if application.wijk_id is None:
        missing.append(_("de wijk waar de activiteit plaatsvindt"))
    if application.activity_start is None or application.activity_end is None:
        missing.append(_("de periode van de activiteit"))
    if not application.impact_plan.strip():
        missing.append(_("het impactplan"))
    if application.requested_cents <= 0:
        missing.append(_("een begroting met minstens één kostenpost"))
    elif application.requested_cents > application.round.scheme.max_amount_cents:
        missing.append(_("een gevraagd bedrag binnen het maximum van de regeling"))
    if not application.applicant.is_complete():
        missing.append(_("de gegevens van de aanvrager (naam, IBAN en tenaamstelling)"))
    if not application.truthful_declaration:
        missing.append(_("de verklaring dat u alles naar waarheid heeft ingevuld"))
    return missing


def form_is_complete(application):
    return not missing_for_submission(application)


def round_is_open(application):
    return application.round.is_open()


def activity_starts_after_today(application):
    start = application.activity_start
    return start is not None and start > timezone.localdate()


def supplement_term_running(application):
    due = application.supplement_due_at
    return due is not None and timezone.now() <= due


def supplement_term_expired(application):
    due = application.supplement_due_at
    return due is not None and timezone.now() > due


def preconditions_met(application):
    return application.preconditions_met is True


def preconditions_failed(application):
    return application.preconditions_met is False and bool(
        application.preconditions_motivation.strip()
    )


def assessment_recorded(application):
    return (
        application.impact_score is not None and application.proposed_cents is not None
    )


def allocation_honours(application):
    return (
        application.allocation_outcome == AllocationOutcome.HONOURED
        and (application.awarded_cents or 0) > 0
    )


def allocation_does_not_honour(application):
    return application.allocation_outcome == AllocationOutcome.NOT_HONOURED


def four_eyes_satisfied(application):
    threshold = application.round.four_eyes_threshold_cents
    if threshold is None or (application.awarded_cents or 0) <= threshold:
        return True
    return application.second_approver_id is not None


def settled_directly(application):
    return application.settlement == Settlement.DIRECT


def report_asked(application):
    return application.report_due_on is not None


def _fixed_amount_recorded(application):
    fixed = application.fixed_cents
    return fixed is not None and 0 <= fixed <= (application.awarded_cents or 0)


def fixing_allowed(application):
    """An amount is recorded; ex officio (from toegekend) only when no report was
    asked and the activities are over."""
    if not _fixed_amount_recorded(application):
        return False
    if application.status == Status.REPORT_SUBMITTED:
        return True
    end = application.activity_end
    return (
        application.settlement == Settlement.EX_OFFICIO
        and not report_asked(application)
        and end is not None
        and end < timezone.localdate()
    )


def award_recorded(application):
    return (application.awarded_cents or 0) > 0


def fixed_amount_recorded(application):
    return _fixed_amount_recorded(application)


def never_fixed(application):
    return application.fixed_at is None


def was_fixed(application):
    return application.fixed_at is not None


def within_reclaim_limit(application):
    """Not a vaststelling older than five years (Awb 4:49 lid 3)."""
    limit = application.reclaim_limit_on
    return limit is None or timezone.localdate() <= limit


def money_settled(application):
    """What was paid, less what was paid back, is the fixed amount."""
    fixed = application.fixed_cents
    return fixed is not None and application.paid_cents - application.repaid_cents == (
        fixed
    )


# --- permissions ----------------------------------------------------------------------
# django-fsm calls these as ``permission(instance, user)``.


def is_applicant(application, user):
    return bool(
        user and user.is_authenticated and application.applicant.has_member(user)
    )


def is_assessor(application, user):
    return bool(user and user.is_active and user.has_perm(ASSESS_APPLICATION))


def is_decision_maker(application, user):
    return bool(user and user.is_active and user.has_perm(DECIDE_APPLICATION))


def is_financial_administrator(application, user):
    return bool(user and user.is_active and user.has_perm(MANAGE_PAYMENTS))


def is_objection_decider(application, user):
    """The handler of a bezwaar, or the decision maker who approved its decision."""
    return bool(
        user
        and user.is_active
        and (user.has_perm(HANDLE_OBJECTION) or user.has_perm(DECIDE_APPLICATION))
    )
