"""The content of a beschikking after the award, filled from the database.

Rules:

- The letter names the beschikking it follows from (``earlier_decision``): the latest
  verlening, wijziging or vaststelling of the application, by kenmerk and date; without
  a verlening letter no later letter can be made. A grant awarded on bezwaar has no
  verlening letter: the beslissing op bezwaar that granted it (a well-founded bezwaar
  against an afwijzing, with a new amount) is its verlening (Awb 7:11).
- The amounts are the application's facts as they will be once the decision is taken:
  the verleend amount (``awarded_cents``), what was paid less what was paid back
  (``paid_cents - repaid_cents``, recorded by the payments ledger), and the amount the
  proposal fixes or the new amount of a wijziging. ``beoordeling.letters`` computes the
  set-off (Awb 4:52) and what is reclaimed (Awb 4:57).
- A vaststelling is fixed on the day it is made; its five-year limit (Awb 4:49 lid 3,
  4:57 lid 4) is printed. An intrekking of a vastgestelde grant carries the grant's
  limit, so the letter refuses to be made after it.
- The gemeente's account for a repayment comes from the settings
  (``PAYMENTS_DEBTOR_IBAN`` and ``PAYMENTS_DEBTOR_NAME``, the account the payments
  are made from).
"""

from django.apps import apps
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from beoordeling.letters import (
    FixingGround,
    Ground,
    LetterContent,
    LetterType,
    LineFixing,
    Settlement,
    format_date,
)
from beoordeling.models import AfterAwardAction, Decision, DecisionError, DecisionKind
from subsidies.workflow import RECLAIM_LIMIT_YEARS, years_later
from subsidies.workflow import Settlement as Route

from .letter_content import _lines, _local_date, beschikking_header

#: The decision kind each action makes.
ACTION_KIND = {
    AfterAwardAction.FIX: DecisionKind.VASTSTELLING,
    AfterAwardAction.AMEND: DecisionKind.WIJZIGING,
    AfterAwardAction.REVOKE: DecisionKind.INTREKKING,
}
#: The decisions a later beschikking may follow from, the latest first.
EARLIER_KINDS = (
    DecisionKind.VERLENING,
    DecisionKind.WIJZIGING,
    DecisionKind.VASTSTELLING,
)
#: The afwijzingen a beslissing op bezwaar can turn into a verlening.
REJECTION_KINDS = (
    DecisionKind.AFWIJZING_RANDVOORWAARDEN,
    DecisionKind.AFWIJZING_IMPACT,
    DecisionKind.AFWIJZING_BUDGET,
    DecisionKind.AFWIJZING_CAP,
)
#: A beslissing op bezwaar that granted what an afwijzing refused counts as the
#: verlening (``objection_decided`` is the bezwaar it decided).
GRANTED_ON_OBJECTION = Q(
    kind=DecisionKind.BESLISSING_OP_BEZWAAR,
    objection_decided__remedy_cents__isnull=False,
    objection_decided__decision__kind__in=REJECTION_KINDS,
)
RECLAIM_ACCOUNT_DEFAULTS = {
    "PAYMENTS_DEBTOR_IBAN": "NL04BNGH0285170000",
    "PAYMENTS_DEBTOR_NAME": "Gemeente Utrecht",
}


def reclaim_account():
    """(IBAN, name) of the gemeente's account a recipient pays back to."""
    values = {
        key: getattr(settings, key, None) or default
        for key, default in RECLAIM_ACCOUNT_DEFAULTS.items()
    }
    return values["PAYMENTS_DEBTOR_IBAN"], values["PAYMENTS_DEBTOR_NAME"]


def earlier_decision(application):
    """The latest verlening, wijziging or vaststelling letter of ``application``
    (a beslissing op bezwaar that granted it counts as its verlening)."""
    decision = (
        Decision.objects.filter(application=application)
        .filter(Q(kind__in=EARLIER_KINDS) | GRANTED_ON_OBJECTION)
        .order_by("-created_at", "-pk")
        .first()
    )
    if decision is None:
        raise DecisionError(
            _(
                "Aanvraag %(reference)s heeft nog geen beschikking tot verlening. Maak "
                "die eerst."
            )
            % {"reference": application.reference}
        )
    return decision


def _letter_settlement(application):
    if application.settlement == Route.EX_OFFICIO:
        return Settlement.EX_OFFICIO
    if application.settlement == Route.DIRECT:
        return Settlement.DIRECT
    return Settlement.LATER


#: The grounds of the assessor's review (``ReportReview.ground``) as the letter's.
REVIEW_GROUNDS = {
    "niet_verricht": FixingGround.NOT_DONE,
    "verplichtingen": FixingGround.OBLIGATIONS,
    "onjuiste_gegevens": FixingGround.INCORRECT_DATA,
    "verlening_onjuist": FixingGround.GRANT_KNOWN_WRONG,
    "onnodige_kosten": FixingGround.NOT_NEEDED,
}


def reviewed_lines(application, fixed_cents):
    """The budget lines of the latest review of the verantwoording, as the letter's
    ``lines`` data (a lower line without a ground of its own takes the review's, or
    'lower costs'); [] when there is no review, when it fixes the whole amount (no line
    is then lower), or when ``fixed_cents`` is not what it proposed (its lines would
    not add up to the letter's amount)."""
    try:
        review_model = apps.get_model("beoordeling", "ReportReview")
    except LookupError:  # the review of the verantwoording is not installed
        return []
    review = (
        review_model.objects.filter(application=application)
        .order_by("-created_at", "-pk")
        .first()
    )
    if review is None or review.in_full or review.proposal_cents != fixed_cents:
        return []
    ground = REVIEW_GROUNDS.get(review.ground, FixingGround.LOWER_COSTS)
    return [
        {
            "label": line.description,
            "granted_cents": line.approved_cents,
            "fixed_cents": min(line.accepted_cents, line.approved_cents),
            "ground": ground.value if line.accepted_cents < line.approved_cents else "",
            "motivation": "",
        }
        for line in review.lines.order_by("budget_line_id")
    ]


def _line_fixings(lines):
    return tuple(
        LineFixing(
            label=line["label"],
            granted_cents=int(line["granted_cents"]),
            fixed_cents=int(line["fixed_cents"]),
            ground=FixingGround(line["ground"]) if line.get("ground") else None,
            motivation=line.get("motivation", ""),
        )
        for line in lines or ()
    )


def _fixing_motivation(application, proposal):
    lines = list(_lines(proposal.motivation or application.fixing_motivation or ""))
    if application.report_submitted_at:
        lines.insert(
            0,
            _(
                "Wij hebben uw verantwoording beoordeeld: wat er is gebeurd, wie "
                "meededen en de kosten tegenover de begroting."
            ),
        )
    elif not lines:
        lines.append(
            _(
                "De activiteiten waren op %(end)s afgelopen. Wij hebben geen "
                "aanwijzingen dat zij anders zijn uitgevoerd dan in de verlening staat."
            )
            % {"end": format_date(application.activity_end)}
        )
    return tuple(str(line) for line in lines)


def after_award_content(*, application, proposal, kenmerk, date_sent, at=None):
    """Fill a ``LetterContent`` for the beschikking ``proposal`` makes."""
    at = at or timezone.now()
    kind = ACTION_KIND[AfterAwardAction(proposal.action)]
    earlier = earlier_decision(application)
    iban, account_name = reclaim_account()
    fixed_on = _local_date(application.fixed_at)
    values = {}
    if kind == DecisionKind.VASTSTELLING:
        fixed_on_now = timezone.localdate(at)
        values = {
            "fixed_cents": proposal.fixed_cents,
            "reclaim_limit_on": years_later(fixed_on_now, RECLAIM_LIMIT_YEARS),
            "lines": _line_fixings(proposal.lines),
            "motivation": _fixing_motivation(application, proposal),
        }
        fixed_on = None
    else:
        values = {
            "ground": Ground(proposal.ground) if proposal.ground else None,
            "effective_on": proposal.effective_on,
            "reclaim_limit_on": application.reclaim_limit_on,
            "motivation": _lines(proposal.motivation),
        }
        if kind == DecisionKind.WIJZIGING:
            values["new_awarded_cents"] = proposal.new_awarded_cents
            values["new_activity_end"] = proposal.new_activity_end
            if proposal.change_request_id:
                values["requested_change_on"] = _local_date(
                    proposal.change_request.requested_at
                )
    return LetterContent(
        **beschikking_header(application, kenmerk=kenmerk, date_sent=date_sent),
        letter_type=LetterType(kind.value),
        complete_on=_local_date(application.complete_at),
        requested_cents=application.requested_cents,
        awarded_cents=application.awarded_cents or 0,
        settlement=_letter_settlement(application),
        earlier_kenmerk=earlier.kenmerk,
        earlier_date=earlier.date_sent,
        paid_cents=max(0, application.paid_cents - application.repaid_cents),
        fixed_on=fixed_on,
        report_received_on=_local_date(application.report_submitted_at),
        reclaim_iban=iban,
        reclaim_account_name=account_name,
        **values,
    )
