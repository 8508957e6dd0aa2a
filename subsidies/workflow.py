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

Later phases (voorschot, vaststelling, verantwoording, betaling) extend this table from
``toegekend``.

The guards read facts recorded on the application (``preconditions_met``,
``impact_score``, ``allocation_outcome``, ...). The assessment app writes those facts;
this app never imports it, so the dependency points one way.
"""

from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import ASSESS_APPLICATION, DECIDE_APPLICATION


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
    }
)


@dataclass(frozen=True)
class TransitionText:
    """One transition as people read it."""

    #: The action on the staff screens and in their messages ("aanvulling vragen").
    staff_label: str
    #: The line on the resident's status page ("Wij hebben u gevraagd ...").
    resident_text: str
    #: Who fires it: "applicant", "assessor" or "decision maker"; the ``@transition``
    #: checks that role's permission (``is_applicant``, ``is_assessor``, ...).
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
        _("De subsidie is toegekend. U krijgt een besluit."),
        "decision maker",
    ),
    "reject": TransitionText(
        _("afwijzen"),
        _("De aanvraag is afgewezen. U krijgt een besluit."),
        "decision maker",
    ),
    "withdraw": TransitionText(
        _("intrekken"), _("U heeft de aanvraag ingetrokken."), "applicant"
    ),
}

#: States in which the applicant can no longer change anything.
CLOSED_STATES = frozenset(
    {Status.SET_ASIDE, Status.AWARDED, Status.REJECTED, Status.WITHDRAWN}
)
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
DECIDED_STATES = (Status.AWARDED, Status.REJECTED, Status.SET_ASIDE)
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
        missing.append(_("de verklaring dat alles naar waarheid is ingevuld"))
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
