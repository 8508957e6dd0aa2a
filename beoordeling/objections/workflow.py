"""The bezwaar workflow: states, the state table, guards and permissions.

A bezwaar (Awb chapters 6 and 7) against one beschikking of the portal has its own
small state machine, apart from the application's. The transitions are the
``@transition`` methods of ``beoordeling.models.Objection``; this module holds what they
refer to. ``tests/beoordeling/objections/test_objection_workflow.py`` rebuilds the table
from the FSM and compares it with ``STATE_TABLE``.

State table (source -> target, who, guard)::

    lodge             (new) -> ontvangen                objector online, or a handler
                      for a paper bezwaarschrift; the ontvangstbevestiging goes out
                      (6:14); too late is flagged (6:11), never refused here
    assign            ontvangen, in_behandeling -> in_behandeling   objection handler
                      guard: the handler was not involved in the application (7:5)
    judge_lateness    in_behandeling, hoorzitting_gepland, klaar_voor_beslissing -> same
                      handler; guard: the bezwaar came in too late (6:11)
    schedule_hearing  in_behandeling, klaar_voor_beslissing -> hoorzitting_gepland
                      handler (7:2); guard: a date for the hearing; the invitation goes
                      out; also after not hearing, when the decision needs a hearing
    record_hearing    hoorzitting_gepland -> klaar_voor_beslissing  handler
                      guard: the hearing took place and its report is written
    waive_hearing     in_behandeling, hoorzitting_gepland -> klaar_voor_beslissing
                      handler; guard: a ground of 7:3 with its motivation
    extend            in_behandeling, hoorzitting_gepland, klaar_voor_beslissing -> same
                      handler; guard: not deferred before (7:10 lid 3, once, by letter)
    decide            klaar_voor_beslissing -> beslist             handler
                      guard: the decision is complete and needs no second decision maker
    propose           klaar_voor_beslissing -> ter_goedkeuring     handler
                      guard: complete, and its award is above the round's four-eyes line
    approve           ter_goedkeuring -> beslist                   decision maker
                      guard: not the handler, not involved in the application (7:5)
    send_back         ter_goedkeuring -> klaar_voor_beslissing     decision maker
    withdraw          every open state -> ingetrokken              objector, or a
                      handler who records a withdrawal by letter or phone

A well-founded bezwaar revokes the contested decision and puts a new one in its place
(7:11); what that does to the application is the application's own transitions
(``award_on_objection`` and the others in ``subsidies.workflow``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import DECIDE_APPLICATION, HANDLE_OBJECTION


class ObjectionState(models.TextChoices):
    RECEIVED = "ontvangen", _("Ontvangen")
    IN_HANDLING = "in_behandeling", _("In behandeling")
    HEARING_SCHEDULED = "hoorzitting_gepland", _("Hoorzitting gepland")
    READY = "klaar_voor_beslissing", _("Klaar voor de beslissing")
    AWAITING_APPROVAL = "ter_goedkeuring", _("Wacht op een tweede besluitvormer")
    DECIDED = "beslist", _("Beslist")
    WITHDRAWN = "ingetrokken", _("Ingetrokken")


class Outcome(models.TextChoices):
    NOT_ADMISSIBLE = "niet_ontvankelijk", _("Niet-ontvankelijk")
    UNFOUNDED = "ongegrond", _("Ongegrond")
    WELL_FOUNDED = "gegrond", _("Gegrond")


class Channel(models.TextChoices):
    ONLINE = "online", _("Online, via Mijn aanvragen")
    PAPER = "post", _("Per post of afgegeven")


class Ground(models.TextChoices):
    """What the bezwaar is about, as the handler classifies it (for the overviews)."""

    RULE = "verdeelregel", _("Verdeelregel of subsidieplafond")
    ASSESSMENT = "beoordeling", _("Beoordeling of score")
    PRECONDITIONS = "randvoorwaarden", _("Randvoorwaarden")
    AMOUNT = "bedrag", _("Hoogte van het bedrag")
    PROCEDURE = "procedure", _("Procedure of termijnen")
    OTHER = "anders", _("Anders")


class HearingWaiver(models.TextChoices):
    """Awb 7:3: when the handler may decide without hearing the objector."""

    MANIFESTLY_INADMISSIBLE = "7:3a", _("Het bezwaar is kennelijk niet-ontvankelijk")
    MANIFESTLY_UNFOUNDED = "7:3b", _("Het bezwaar is kennelijk ongegrond")
    OBJECTOR_DECLINED = "7:3c", _("De indiener wil niet gehoord worden")
    NO_ANSWER = (
        "7:3d",
        _("De indiener heeft niet op tijd laten weten dat hij gehoord wil worden"),
    )
    FULLY_MET = "7:3e", _("Wij komen volledig aan het bezwaar tegemoet")


#: Where a bezwaar can still change: the objector may withdraw it, the clock runs.
OPEN_STATES = (
    ObjectionState.RECEIVED,
    ObjectionState.IN_HANDLING,
    ObjectionState.HEARING_SCHEDULED,
    ObjectionState.READY,
    ObjectionState.AWAITING_APPROVAL,
)
#: With a handler, before the decision: lateness is judged and the term deferred here.
HANDLING_STATES = (
    ObjectionState.IN_HANDLING,
    ObjectionState.HEARING_SCHEDULED,
    ObjectionState.READY,
)
FINAL_STATES = frozenset({ObjectionState.DECIDED, ObjectionState.WITHDRAWN})

#: The transition that creates a bezwaar (not an FSM method: the row is new).
LODGE = "lodge"

STATE_TABLE = frozenset(
    {
        (ObjectionState.RECEIVED, "assign", ObjectionState.IN_HANDLING),
        (ObjectionState.IN_HANDLING, "assign", ObjectionState.IN_HANDLING),
        *((state, "judge_lateness", state) for state in HANDLING_STATES),
        *(
            (state, "schedule_hearing", ObjectionState.HEARING_SCHEDULED)
            for state in (ObjectionState.IN_HANDLING, ObjectionState.READY)
        ),
        (ObjectionState.HEARING_SCHEDULED, "record_hearing", ObjectionState.READY),
        (ObjectionState.IN_HANDLING, "waive_hearing", ObjectionState.READY),
        (ObjectionState.HEARING_SCHEDULED, "waive_hearing", ObjectionState.READY),
        *((state, "extend", state) for state in HANDLING_STATES),
        (ObjectionState.READY, "decide", ObjectionState.DECIDED),
        (ObjectionState.READY, "propose", ObjectionState.AWAITING_APPROVAL),
        (ObjectionState.AWAITING_APPROVAL, "approve", ObjectionState.DECIDED),
        (ObjectionState.AWAITING_APPROVAL, "send_back", ObjectionState.READY),
        *((state, "withdraw", ObjectionState.WITHDRAWN) for state in OPEN_STATES),
    }
)

#: Who fires each transition, and the words of the log and the objector's page.
TRANSITIONS = {
    LODGE: (_("bezwaar indienen"), "objector"),
    "assign": (_("behandelaar toewijzen"), "handler"),
    "judge_lateness": (_("termijnoverschrijding beoordelen"), "handler"),
    "schedule_hearing": (_("hoorzitting plannen"), "handler"),
    "record_hearing": (_("verslag hoorzitting vastleggen"), "handler"),
    "waive_hearing": (_("afzien van horen"), "handler"),
    "extend": (_("beslissing verdagen"), "handler"),
    "decide": (_("beslissen op bezwaar"), "handler"),
    "propose": (_("beslissing voorleggen"), "handler"),
    "approve": (_("beslissing goedkeuren"), "decision maker"),
    "send_back": (_("beslissing terugsturen"), "decision maker"),
    "withdraw": (_("bezwaar intrekken"), "objector or handler"),
}


# --- guards ---------------------------------------------------------------------------


def handler_not_involved(objection):
    """Awb 7:5: the handler took no part in the application's assessment or decisions."""
    handler_id = objection.handler_id
    return handler_id is not None and handler_id not in objection.involved_user_ids()


def is_late(objection):
    return objection.is_late


def hearing_planned(objection):
    return objection.hearing_at is not None


def hearing_reported(objection):
    return objection.hearing_at is not None and bool(objection.hearing_report.strip())


def waiver_motivated(objection):
    return bool(objection.hearing_waiver) and bool(
        objection.hearing_waiver_motivation.strip()
    )


def not_extended_before(objection):
    return objection.extended_on is None


def lateness_settled(objection):
    """On time, or late and judged: excusable, or not (then only niet-ontvankelijk)."""
    if not objection.is_late:
        return True
    if objection.excusable is None:
        return False
    return objection.excusable or objection.outcome == Outcome.NOT_ADMISSIBLE


#: Awb 7:3: the outcomes a ground for not hearing the objector allows. Kennelijk
#: niet-ontvankelijk (a) only ends in niet-ontvankelijk; volledig tegemoetgekomen (e)
#: only in gegrond. Kennelijk ongegrond (b) and the objector's own choice (c, d) allow
#: every outcome: a gegrond or niet-ontvankelijk after b does the objector no harm the
#: hearing could have prevented.
WAIVER_OUTCOMES = {
    HearingWaiver.MANIFESTLY_INADMISSIBLE: (Outcome.NOT_ADMISSIBLE,),
    HearingWaiver.FULLY_MET: (Outcome.WELL_FOUNDED,),
}


def waiver_allows(waiver, outcome):
    """Whether deciding ``outcome`` fits the ground ``waiver`` of 7:3 ("" : heard)."""
    allowed = WAIVER_OUTCOMES.get(waiver)
    return allowed is None or outcome in allowed


def waiver_fits_outcome(objection):
    """Not heard: the ground of 7:3 fits the decision (heard: always)."""
    if hearing_reported(objection) or not objection.hearing_waiver:
        return True
    return waiver_allows(objection.hearing_waiver, objection.outcome)


def decision_complete(objection):
    if not objection.outcome or not objection.motivation.strip():
        return False
    if not lateness_settled(objection):
        return False
    if not waiver_fits_outcome(objection):
        return False
    if objection.outcome == Outcome.WELL_FOUNDED:
        return objection.remedy_complete()
    return True


def needs_second_approval(objection):
    """The same four eyes as an award: above the round's threshold."""
    if objection.outcome != Outcome.WELL_FOUNDED or not objection.remedy_cents:
        return False
    threshold = objection.application.round.four_eyes_threshold_cents
    return threshold is not None and objection.remedy_cents > threshold


def decidable_alone(objection):
    return decision_complete(objection) and not needs_second_approval(objection)


def decidable_with_approval(objection):
    return decision_complete(objection) and needs_second_approval(objection)


def approver_independent(objection):
    """The second decision maker is neither the handler nor involved (7:5)."""
    approver_id = objection.approved_by_id
    return (
        approver_id is not None
        and approver_id != objection.handler_id
        and approver_id not in objection.involved_user_ids()
    )


# --- permissions ----------------------------------------------------------------------
# django-fsm calls these as ``permission(instance, user)``.


def may_handle(objection, user):
    return bool(user and user.is_active and user.has_perm(HANDLE_OBJECTION))


def is_handler(objection, user):
    return may_handle(objection, user) and objection.handler_id == user.pk


def is_decision_maker(objection, user):
    return bool(user and user.is_active and user.has_perm(DECIDE_APPLICATION))


def is_objector_or_handler(objection, user):
    """The objector, or the bezwaar's own handler (any handler while none is
    assigned yet) recording a withdrawal that came by letter or phone."""
    if not (user and user.is_authenticated):
        return False
    if objection.application.applicant.has_member(user):
        return True
    if objection.handler_id is None:
        return may_handle(objection, user)
    return is_handler(objection, user)
