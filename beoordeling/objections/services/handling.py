"""Handling a bezwaar: the handler, the lateness, the hearing, the deferral, withdrawal.

Every function checks its input first and refuses with a Dutch ``ObjectionError``
that says what to do; then it fires the transition through
``transitions.objection_fire`` with ``prepare``, so the guard and the log see the
facts that are about to be stored, and all of it is rolled back together when the
step is refused. The letters (uitnodiging, verdaging) are written in the same
transaction by ``beoordeling.objections.services.letters``.

- Awb 7:5: the handler took no part in assessing or deciding the application
  (``beoordeling.models.involved_user_ids``).
- Awb 6:11: only a late bezwaar is judged on its lateness, with a motivation.
- Awb 7:2, 7:3: a hearing is planned in the future and reported after it took
  place; not hearing the objector needs a ground of 7:3 and its motivation.
- Awb 7:10 lid 3: the decision is deferred once, by at most six weeks (with the
  Algemene termijnenwet), before the term is over, by letter, with a reason.
- Withdrawal (7:1 ff.): the objector (a member of the applicant) or a handler who
  records a withdrawal by letter or telephone.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from beoordeling.letters import format_date
from beoordeling.models import involved_user_ids
from beoordeling.objections import terms
from beoordeling.objections.workflow import (
    FINAL_STATES,
    Ground,
    HearingWaiver,
    is_handler,
    may_handle,
)

from . import ObjectionError
from .letters import extension_issue, invitation_issue
from .transitions import _log as write_log
from .transitions import objection_fire, objection_lock


def conflict_message():
    """Awb 7:5 in words: the handler (or approver) took part in the application."""
    return _(
        "Deze behandelaar was betrokken bij de aanvraag (beoordeling of besluit) en "
        "mag dit bezwaar niet behandelen (artikel 7:5 Awb)"
    )


def _text(value):
    return (value or "").strip()


def _person(user):
    return user.get_full_name() or user.email


def _require_person(actor):
    """A handling step is always someone's: ``objection_fire`` checks no permission
    for the system (actor None)."""
    if actor is None or not actor.is_authenticated:
        raise ObjectionError(_("Alleen een bezwaarbehandelaar kan deze stap zetten."))


def _require_handler(objection, actor):
    if not is_handler(objection, actor):
        raise ObjectionError(
            _("Alleen de behandelaar van dit bezwaar kan deze stap zetten.")
        )


def objection_assign(*, objection, handler, actor, at=None):
    """Make ``handler`` the handler of ``objection`` (also to hand it over)."""
    _require_person(actor)
    if handler is None or not may_handle(objection, handler):
        raise ObjectionError(
            _("Kies als behandelaar iemand met de rol Bezwaarbehandelaar.")
        )
    if handler.pk in involved_user_ids(objection.application):
        raise ObjectionError(conflict_message())

    def prepare(locked):
        locked.handler = handler

    return objection_fire(
        objection=objection,
        transition="assign",
        actor=actor,
        at=at,
        prepare=prepare,
        reason=_("Behandelaar: %(name)s") % {"name": _person(handler)},
    )


#: The log word of a classification: not a transition (source and target are the
#: state it is in), so not in ``workflow.TRANSITIONS``.
CLASSIFY = "classify"
#: The words of the log steps that are no transition (the staff log shows them).
LOG_WORDS = {CLASSIFY: gettext_lazy("bezwaar indelen")}


def _classification_reason(ground, committee):
    return _("Onderwerp: %(ground)s. Adviescommissie: %(committee)s.") % {
        "ground": Ground(ground).label,
        "committee": _("ja") if committee else _("nee"),
    }


def objection_classify(*, objection, ground, committee, actor, at=None):
    """Record what the bezwaar is about and whether an advisory committee advises.

    Not a transition, but written in the log (``CLASSIFY``, the state unchanged).
    While the decision was not deferred, the date it is due follows the committee (six
    or twelve weeks, Awb 7:10 lid 1); after a deferral it stays. A committee cannot be
    called in once the date the decision was due has passed: the twelve weeks would
    make an overdue bezwaar on time again.
    """
    _require_person(actor)
    at = at or timezone.now()
    if ground not in Ground.values:
        raise ObjectionError(_("Kies waar het bezwaar over gaat."))
    committee = bool(committee)
    with transaction.atomic():
        locked = objection_lock(objection)
        if locked.handler_id is not None:
            _require_handler(locked, actor)
        elif not may_handle(locked, actor):
            raise ObjectionError(
                _("Alleen een bezwaarbehandelaar kan een bezwaar indelen.")
            )
        if locked.state in FINAL_STATES:
            raise ObjectionError(
                _("Dit bezwaar is afgerond; de indeling kan niet meer veranderen.")
            )
        if (
            committee
            and not locked.committee
            and locked.decision_due_on < timezone.localdate(at)
        ):
            raise ObjectionError(
                _(
                    "De beslistermijn is al voorbij (%(date)s). Een adviescommissie "
                    "kan er nu niet meer bij komen: de langere termijn geldt alleen "
                    "als de commissie binnen de termijn wordt ingeschakeld."
                )
                % {"date": format_date(locked.decision_due_on)}
            )
        locked.ground = ground
        locked.committee = committee
        fields = ["ground", "committee"]
        if locked.extended_on is None:
            locked.decision_due_on = terms.decision_due(
                date_sent=locked.decision.date_sent,
                received_on=locked.received_on,
                posted_on=locked.posted_on,
                committee=locked.committee,
            )
            fields.append("decision_due_on")
        locked.save(update_fields=fields)
        write_log(
            objection=locked,
            transition=CLASSIFY,
            source=locked.state,
            actor=actor,
            at=at,
            reason=_classification_reason(ground, committee),
        )
    return locked


def objection_judge_lateness(*, objection, excusable, motivation, actor, at=None):
    """Judge a late bezwaar (Awb 6:11): excusable or not, with the motivation."""
    _require_person(actor)
    if not objection.is_late:
        raise ObjectionError(
            _(
                "Dit bezwaar kwam op tijd binnen. Er is geen termijnoverschrijding om "
                "te beoordelen."
            )
        )
    if excusable not in (True, False):
        raise ObjectionError(
            _("Kies of de termijnoverschrijding verschoonbaar is of niet.")
        )
    motivation = _text(motivation)
    if not motivation:
        raise ObjectionError(
            _(
                "Schrijf op waarom de termijnoverschrijding wel of niet verschoonbaar is."
            )
        )

    def prepare(locked):
        locked.excusable = excusable
        locked.excusability_motivation = motivation

    return objection_fire(
        objection=objection,
        transition="judge_lateness",
        actor=actor,
        at=at,
        prepare=prepare,
        reason=motivation,
    )


def objection_schedule_hearing(*, objection, hearing_at, place, actor, at=None):
    """Plan the hearing (Awb 7:2) and send the objector the invitation."""
    _require_person(actor)
    at = at or timezone.now()
    place = _text(place)
    if not isinstance(hearing_at, datetime):
        raise ObjectionError(_("Vul de datum en het tijdstip van de hoorzitting in."))
    if timezone.is_naive(hearing_at):
        hearing_at = timezone.make_aware(hearing_at)
    if hearing_at <= at:
        raise ObjectionError(_("De hoorzitting moet in de toekomst liggen."))
    if not place:
        raise ObjectionError(_("Vul in waar de hoorzitting is."))

    def prepare(locked):
        locked.hearing_at = hearing_at
        locked.hearing_place = place

    with transaction.atomic():
        planned = objection_fire(
            objection=objection,
            transition="schedule_hearing",
            actor=actor,
            at=at,
            prepare=prepare,
            reason=_("Hoorzitting op %(date)s, %(place)s")
            % {
                "date": timezone.localtime(hearing_at).strftime("%d-%m-%Y %H:%M"),
                "place": place,
            },
        )
        invitation_issue(objection=planned, actor=actor, at=at)
    planned.refresh_from_db()
    return planned


def objection_record_hearing(*, objection, report, actor, at=None):
    """Record the report of the hearing once it took place."""
    _require_person(actor)
    at = at or timezone.now()
    report = _text(report)
    if not report:
        raise ObjectionError(_("Schrijf het verslag van de hoorzitting."))
    if objection.hearing_at is not None and objection.hearing_at > at:
        raise ObjectionError(
            _(
                "De hoorzitting is nog niet geweest. Leg het verslag vast na de "
                "hoorzitting."
            )
        )

    def prepare(locked):
        locked.hearing_report = report

    return objection_fire(
        objection=objection,
        transition="record_hearing",
        actor=actor,
        at=at,
        prepare=prepare,
    )


def objection_waive_hearing(*, objection, waiver, motivation, actor, at=None):
    """Decide without hearing the objector, on a ground of Awb 7:3."""
    _require_person(actor)
    if waiver not in HearingWaiver.values:
        raise ObjectionError(
            _("Kies op welke grond (artikel 7:3 Awb) u afziet van horen.")
        )
    motivation = _text(motivation)
    if not motivation:
        raise ObjectionError(_("Schrijf op waarom u afziet van horen."))

    def prepare(locked):
        locked.hearing_waiver = waiver
        locked.hearing_waiver_motivation = motivation

    return objection_fire(
        objection=objection,
        transition="waive_hearing",
        actor=actor,
        at=at,
        prepare=prepare,
        reason=motivation,
    )


def objection_extend(*, objection, reason, actor, at=None):
    """Defer the decision once by six weeks (Awb 7:10 lid 3) and send the letter."""
    _require_person(actor)
    at = at or timezone.now()
    reason = _text(reason)
    if not reason:
        raise ObjectionError(
            _(
                "Schrijf op waarom de beslissing later komt. Die reden staat in de brief."
            )
        )
    with transaction.atomic():
        locked = objection_lock(objection)
        if locked.extended_on is not None:
            raise ObjectionError(
                _(
                    "De beslissing is al een keer verdaagd. Dat kan maar één keer "
                    "(artikel 7:10 lid 3 Awb)."
                )
            )
        if locked.decision_due_on < timezone.localdate(at):
            raise ObjectionError(
                _(
                    "De beslistermijn is al voorbij (%(date)s). Verdagen kan alleen "
                    "binnen de termijn."
                )
                % {"date": format_date(locked.decision_due_on)}
            )
        due_on = terms.extended_due(locked.decision_due_on)

        def prepare(row):
            row.extension_reason = reason

        extended = objection_fire(
            objection=locked,
            transition="extend",
            actor=actor,
            at=at,
            prepare=prepare,
            reason=reason,
            due_on=due_on,
        )
        extension_issue(objection=extended, actor=actor, at=at)
    extended.refresh_from_db()
    return extended


def objection_withdraw(*, objection, user, reason="", at=None):
    """Withdraw the bezwaar: by the objector, or recorded by a handler."""
    if user is None or not user.is_authenticated:
        # objection_fire skips the permission for the system (actor None): a
        # withdrawal is always someone's.
        raise ObjectionError(_("Log in om uw bezwaar in te trekken."))
    reason = _text(reason)

    def prepare(locked):
        locked.withdrawal_reason = reason

    return objection_fire(
        objection=objection,
        transition="withdraw",
        actor=user,
        at=at,
        prepare=prepare,
        reason=reason,
    )
