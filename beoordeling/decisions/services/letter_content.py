"""The content of a beschikking, filled from the database for ``beoordeling.letters``.

Rules:

- The letter type follows from the decision: ``toegekend`` gives a verlening;
  ``buiten_behandeling`` a buiten-behandelingstelling; ``afgewezen`` an afwijzing on the
  randvoorwaarden when one failed, otherwise on the reason of the fixed allocation
  result: ``zero_amount`` (insufficient impact or a knock-out), ``budget`` or ``cap``.
- Each afwijzing carries its own motivation: the randvoorwaarden as the assessor wrote
  them; the score against the lowest impact band; or the score, the rank and the state
  of the ceiling or of the wijk's maximum when the application's turn came (replayed
  from the fixed run, whose results never change). The unused reserve for bezwaren
  that the run left alone is named in a sentence of its own, never counted as money
  kept for other wijken; a refusal rests on the wijk guarantees (Awb 4:26) only when
  they caused it, otherwise on the ceiling. A verlening states score, band
  amount, rank and the reason it was honoured; its obligations start with the last
  day of the activities (ABRvS 29-09-2021, Weert), then the scheme's own list.
- A verlening follows its scheme's route (``Scheme.settlement_route``): fixed later
  after the verantwoording, or fixed directly (always, or up to and including
  ``direct_settlement_max_cents``); the accountability text is the route's own. The
  nadere regel is named by the scheme's ``regulation_title`` and ``regulation_date``
  only; the voorschot comes from ``advance_percent`` and ``advance_part_months``.
- Sender, contact and signatory come from ``LETTER_DEFAULTS``, which
  ``settings.DECISION_LETTER`` may override; the contact person is the decision maker
  who took the decision when known. The IBAN is printed masked.
- Within ``shared_reads()`` (a batch of letters) the letters share what they read that
  cannot change while they are made: a fixed run's results (write-once) are read once
  per run, and ``prefetch_handlers`` reads who took each decision of a chunk in one
  query. Outside it every letter reads afresh; the text is the same either way.
"""

import bisect
import contextlib
import contextvars
import dataclasses
import itertools
import re

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from beoordeling.letters import (
    BudgetRefusal,
    LetterContent,
    LetterType,
    Settlement,
    budget_state_text,
    format_date,
    format_euro,
    objection_reserve_text,
    settlement_for,
)
from beoordeling.models import (
    RELEASED_STATES,
    AllocationReason,
    AllocationResult,
    AllocationRun,
    DecisionError,
    DecisionKind,
    RunKind,
)
from subsidies.iban import mask_iban
from subsidies.models import SupplementRequest, TransitionLog
from subsidies.workflow import GRANTED_STATES, Status

from ..selectors import objection_reserve_used, reason_letter_text

LETTER_DEFAULTS = {
    "sender": "Maatschappelijke Ontwikkeling",
    "contact_name": "Team Subsidies",
    "contact_phone": "14 030",
    "contact_email": "initiatiefloket@utrecht.example",
    "signatory_function": "de teamleider Subsidies van de afdeling Maatschappelijke Ontwikkeling",
}
_REASON_KIND = {
    AllocationReason.ZERO_AMOUNT: DecisionKind.AFWIJZING_IMPACT,
    AllocationReason.BUDGET: DecisionKind.AFWIJZING_BUDGET,
    AllocationReason.CAP: DecisionKind.AFWIJZING_CAP,
}


# --- reads shared by the letters of one batch ---------------------------------------

_shared_reads = contextvars.ContextVar("letter_shared_reads", default=None)


@contextlib.contextmanager
def shared_reads():
    """Letters made inside this block share their reads (see the module's rules)."""
    token = _shared_reads.set({})
    try:
        yield
    finally:
        _shared_reads.reset(token)


def _shared(key, read):
    memo = _shared_reads.get()
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return memo[key]


def letter_settings():
    """Sender, contact and signatory; ``settings.DECISION_LETTER`` may override them."""
    return {**LETTER_DEFAULTS, **getattr(settings, "DECISION_LETTER", {})}


def _fixed_results():
    return (
        AllocationResult.objects.filter(is_fixed=True)
        .exclude(review_state__in=RELEASED_STATES)  # refused or withdrawn: not it
        .select_related("run__rule", "wijk")
    )


def fixed_result_for(application):
    return _fixed_results().filter(application=application).first()


def fixed_results_for(application_ids):
    """``fixed_result_for`` of many applications: ``{id: result}``. The results in
    one query; each run (with its large replay fields) once, shared by its results
    and, inside ``shared_reads``, by the whole batch (a fixed run never changes)."""
    results = {}
    rows = _fixed_results().select_related(None).select_related("wijk")
    for result in rows.filter(application_id__in=application_ids):
        results.setdefault(result.application_id, result)
    for result in results.values():
        result.run = _shared(
            ("run row", result.run_id),
            lambda pk=result.run_id: AllocationRun.objects.select_related("rule").get(
                pk=pk
            ),
        )
    return results


def fixed_result_ids(application_ids):
    """``{application id: id of its fixed result}``: what ``fixed_results_for``
    would find, without reading the results."""
    ids = {}
    rows = (
        AllocationResult.objects.filter(
            is_fixed=True, application_id__in=application_ids
        )
        .exclude(review_state__in=RELEASED_STATES)
        .values_list("application_id", "pk")
    )
    for application_id, pk in rows:
        ids.setdefault(application_id, pk)
    return ids


def decision_kind_for(application, result=None):
    """The letter type of the decision on ``application``; DecisionError when undecided."""
    if application.status in GRANTED_STATES:
        return DecisionKind.VERLENING
    if application.status == Status.SET_ASIDE:
        return DecisionKind.BUITEN_BEHANDELING
    if application.status == Status.REJECTED:
        if application.preconditions_met is False:
            return DecisionKind.AFWIJZING_RANDVOORWAARDEN
        result = result or fixed_result_for(application)
        if result is not None and result.reason in _REASON_KIND:
            return _REASON_KIND[AllocationReason(result.reason)]
        raise DecisionError(
            _(
                "Aanvraag %(reference)s is afgewezen zonder vastgestelde verdeling; "
                "de reden voor de brief ontbreekt."
            )
            % {"reference": application.reference}
        )
    raise DecisionError(
        _("Op aanvraag %(reference)s is nog niet besloten.")
        % {"reference": application.reference}
    )


def _euro(cents):
    return format_euro(int(cents))


def _score(value):
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _lines(text):
    lines = (line.strip().lstrip("-•*").strip() for line in text.splitlines())
    return tuple(line for line in lines if line)


def _local_date(moment):
    return timezone.localdate(moment) if moment else None


def _addressee_name(applicant):
    """Who the beschikking is addressed to. A bewonersgroep without legal form (and
    without penvoerder) cannot hold rights: the person who applied for it receives
    the subsidy and is named; the group is mentioned in the address (``_address``)."""
    if applicant.is_natural_person and applicant.contact_name.strip():
        return applicant.contact_name.strip()
    return applicant.name


def _address(applicant):
    if not (applicant.street.strip() and applicant.postcode.strip()):
        return ()
    postcode = applicant.postcode.replace(" ", "").upper()
    if len(postcode) == 6:
        postcode = f"{postcode[:4]} {postcode[4:]}"
    lines = []
    if applicant.is_natural_person and applicant.contact_name.strip():
        lines.append(_("namens %(group)s") % {"group": applicant.name.strip()})
    elif applicant.contact_name.strip():
        lines.append(_("t.a.v. %(name)s") % {"name": applicant.contact_name.strip()})
    lines += [applicant.street.strip(), f"{postcode}  {applicant.city.strip()}"]
    return tuple(lines)


def _last_transitions():
    return TransitionLog.objects.select_related("actor").order_by("-at", "-pk")


def _actor_name(log):
    if log is not None and log.actor is not None and log.actor.get_full_name():
        return log.actor.get_full_name()
    return ""


def _handler_name(application):
    """Who took the decision: the actor of the last transition, for the letterhead."""
    return _shared(
        ("handler", application.pk),
        lambda: _actor_name(
            _last_transitions().filter(application=application).first()
        ),
    )


def prefetch_handlers(application_ids):
    """Inside ``shared_reads``: read ``_handler_name`` of many applications at once."""
    memo = _shared_reads.get()
    if memo is None:
        return
    last = {}
    for log in _last_transitions().filter(application_id__in=application_ids):
        last.setdefault(log.application_id, log)
    for pk in application_ids:
        memo[("handler", pk)] = _actor_name(last.get(pk))


def letter_header(application, *, kenmerk, date_sent, handler_name):
    """The fields every letter on ``application`` opens and closes with: sender,
    contact person (``handler_name``, else the team), addressee, kenmerk, date and
    signatory."""
    letter = letter_settings()
    applicant = application.applicant
    return {
        "sender": f"{letter['sender']} – {application.round.scheme.name}",
        "contact_name": handler_name or letter["contact_name"],
        "contact_phone": letter["contact_phone"],
        "contact_email": letter["contact_email"],
        "addressee_name": _addressee_name(applicant),
        "addressee_address": _address(applicant),
        "date_sent": date_sent,
        "kenmerk": kenmerk,
        "application_reference": application.reference,
        "application_title": application.title,
        "signatory_function": letter["signatory_function"],
    }


def beschikking_header(application, *, kenmerk, date_sent):
    """``letter_header`` of a beschikking on ``application``, signed by who took the
    decision, with the application's activity and the scheme it rests on."""
    scheme = application.round.scheme
    return {
        **letter_header(
            application,
            kenmerk=kenmerk,
            date_sent=date_sent,
            handler_name=_handler_name(application),
        ),
        "received_on": _local_date(application.submitted_at),
        "activity_description": application.summary,
        "activity_start": application.activity_start,
        "activity_end": application.activity_end,
        "scheme_name": scheme.name,
        "legal_basis": scheme.legal_basis,
        "regulation_title": scheme.regulation_title,
        "regulation_date": scheme.regulation_date,
    }


@dataclasses.dataclass(frozen=True)
class _Position:
    ranked: int
    remaining_cents: int  # of the run's budget, when the application's turn came
    wijk_before_cents: int  # the wijk's total in round terms, when its turn came
    wijk_cap_cents: int | None
    stopped_before: bool


@dataclasses.dataclass(frozen=True)
class _Replay:
    """A fixed run's results laid out to replay it: the floor awards (phase 1) and,
    in order of rank, the awards made in turn (phase 2), with running totals, for
    the whole run and per wijk."""

    ranked: int
    floor_cents: int
    floor_by_wijk: dict
    ranks: list
    totals: list  # totals[i]: the money of the first i awards in turn
    by_wijk: dict  # wijk id: (ranks, totals) of its awards in turn

    def spent_before(self, rank, wijk_id=None):
        """The money awarded before the turn of ``rank`` (``None``: after every
        ranked award), for the whole run or for one wijk."""
        if wijk_id is None:
            floor, ranks, totals = self.floor_cents, self.ranks, self.totals
        else:
            floor = self.floor_by_wijk.get(wijk_id, 0)
            ranks, totals = self.by_wijk.get(wijk_id, ([], [0]))
        count = len(ranks) if rank is None else bisect.bisect_left(ranks, rank)
        return floor + totals[count]


def _totals(amounts):
    return list(itertools.accumulate(amounts, initial=0))


def _replay(run):
    """The ``_Replay`` of a fixed run: one query, shared by the letters of a batch (a
    fixed run's results never change)."""

    def read():
        rows = run.results.order_by().values_list(
            "reason", "rank", "amount_cents", "wijk_id"
        )
        ranked = floor = 0
        floor_by_wijk = {}
        in_turn = []
        for reason, rank, amount_cents, wijk_id in rows:
            if rank is not None:
                ranked += 1
            if reason == AllocationReason.FLOOR:
                floor += amount_cents
                floor_by_wijk[wijk_id] = floor_by_wijk.get(wijk_id, 0) + amount_cents
            elif reason in _IN_TURN and rank is not None:
                in_turn.append((rank, wijk_id, amount_cents))
        in_turn.sort(key=lambda row: row[0])
        per_wijk = {}
        for rank, wijk_id, amount_cents in in_turn:
            ranks, amounts = per_wijk.setdefault(wijk_id, ([], []))
            ranks.append(rank)
            amounts.append(amount_cents)
        return _Replay(
            ranked=ranked,
            floor_cents=floor,
            floor_by_wijk=floor_by_wijk,
            ranks=[rank for rank, _wijk, _amount in in_turn],
            totals=_totals(amount for _rank, _wijk, amount in in_turn),
            by_wijk={
                wijk_id: (ranks, _totals(amounts))
                for wijk_id, (ranks, amounts) in per_wijk.items()
            },
        )

    return _shared(("run", run.pk), read)


_IN_TURN = frozenset({AllocationReason.RANK.value, AllocationReason.PARTIAL.value})


def _position(result):
    """Replay the fixed run up to ``result``: what was left when its turn came.

    Phase 1 (floor awards) comes before everything; in phase 2 the awards ranked
    before ``result`` were made before its turn.
    """
    run = result.run
    replay = _replay(run)
    params = {p["wijk_id"]: p for p in run.wijk_parameters}.get(result.wijk_id, {})
    remaining = run.budget_cents - replay.spent_before(result.rank)
    return _Position(
        ranked=replay.ranked,
        remaining_cents=remaining,
        wijk_before_cents=params.get("committed_cents", 0)
        + replay.spent_before(result.rank, result.wijk_id),
        wijk_cap_cents=params.get("cap_cents"),
        stopped_before=result.candidate_cents <= remaining,
    )


def _rule_lines(run):
    """The version of the published verdeelregel the run applied, and its date."""
    rule = run.rule
    if rule is None:
        return []
    line = _(
        "Wij passen de verdeelregel toe zoals die is bekendgemaakt: versie "
        "%(version)s, bekendgemaakt op %(date)s."
    ) % {"version": rule.version, "date": format_date(_local_date(rule.published_at))}
    if rule.motivation:
        line += " " + _(
            "Deze versie wijkt af van de eerder bekendgemaakte verdeelregel, omdat: "
            "%(motivation)s"
        ) % {"motivation": rule.motivation}
    return [line]


@dataclasses.dataclass(frozen=True)
class _HeldBack:
    """The money left under the ceiling that the run could not spend, and why."""

    guaranteed_cents: int  # the other wijken's guaranteed minimum (order of receipt)
    objection_reserve_cents: int  # the round's reserve for bezwaren, not yet used


def _held_back(result):
    """Split what the run did not get of the money left under the ceiling.

    A run gets the ceiling minus the committed money minus the unused reserve for
    bezwaren (``RoundBudget.remaining_cents``); an order-of-receipt run also leaves
    the other wijken's guaranteed minimum, which its ``wijk_parameters`` replay. When
    the run got any money the split is exact; when it got nothing, the reserve is
    the round's as the bezwaren decided before the run had left it.
    """
    run = result.run
    available = max(0, run.ceiling_cents - run.committed_cents)
    held = max(0, available - run.budget_cents)
    claims = 0
    if run.kind == RunKind.APPLICATION:
        claims = sum(
            max(0, (p.get("floor_cents") or 0) - (p.get("committed_cents") or 0))
            for p in run.wijk_parameters
            if p.get("wijk_id") != result.wijk_id
        )
    if run.budget_cents > 0 or not claims:
        guaranteed = min(claims, held)
        return _HeldBack(guaranteed, held - guaranteed)
    round_ = run.round
    used = _shared(
        ("reserve used", run.pk),
        lambda: objection_reserve_used(round_, at=run.created_at),
    )
    reserve_then = max(0, round_.objection_reserve_cents - used)
    reserve = min(held, reserve_then)
    return _HeldBack(min(claims, held - reserve), reserve)


def _ceiling_reached(result):
    """Whether the money left under the ceiling, less the reserve for bezwaren, was
    less than the amount applied for when this application's turn came (only then
    does Awb 4:25 lid 2 apply; the other wijken's guarantees are the verdeelregel)."""
    run = result.run
    if run.kind == RunKind.APPLICATION:
        left = (
            run.ceiling_cents
            - run.committed_cents
            - _held_back(result).objection_reserve_cents
        )
    else:
        left = _position(result).remaining_cents
    return left < result.candidate_cents


def _reserve_lines(result):
    """The separate sentence on the reserve for bezwaren, when one was kept apart."""
    reserve = _held_back(result).objection_reserve_cents
    return [objection_reserve_text(reserve_cents=reserve)] if reserve else []


def _budget_refusal(result):
    """Why a budget refusal was refused: the ceiling reached (its part for the
    applications, the reserve for bezwaren kept apart), the rest kept for other
    wijken's guaranteed minimum (order of receipt), or a run that stopped earlier."""
    if _ceiling_reached(result):
        return BudgetRefusal.CEILING
    if result.run.kind == RunKind.APPLICATION:
        return BudgetRefusal.RESERVED
    if _position(result).stopped_before:
        return BudgetRefusal.STOPPED
    return BudgetRefusal.CEILING


def _rank_lines(application, result):
    run = result.run
    round_name = application.round.name
    if run.kind == RunKind.APPLICATION:
        return [
            _(
                "Bij de regeling %(scheme)s besluiten wij op aanvragen in de volgorde "
                "waarin zij compleet binnenkwamen. Uw aanvraag was compleet op %(date)s."
            )
            % {
                "scheme": application.round.scheme.name,
                "date": format_date(_local_date(application.complete_at)),
            },
            *_rule_lines(run),
        ]
    position = _position(result)
    lines = [
        _(
            "Wij hebben het geld van %(round)s verdeeld volgens de verdeelregel die "
            "vooraf is bekendgemaakt. De verdeling is vastgesteld op %(date)s."
        )
        % {"round": round_name, "date": format_date(_local_date(run.fixed_at))},
        *_rule_lines(run),
    ]
    if result.rank is not None:
        if run.mode == "ranking":
            order = _(
                "De volgorde hangt af van de impactscore; bij een gelijke score gaat "
                "de aanvraag voor die eerder compleet was."
            )
        else:
            order = _(
                "De volgorde hangt af van de dag waarop een aanvraag compleet was; "
                "bij aanvragen van dezelfde dag bepaalt een loting de volgorde."
            )
        lines.append(
            _("Uw aanvraag staat op plaats %(rank)s van de %(count)s aanvragen. ")
            % {"rank": result.rank, "count": position.ranked}
            + order
        )
    return lines


def _score_lines(application):
    lines = []
    if application.preconditions_met:
        lines.append(_("Uw aanvraag voldoet aan de randvoorwaarden van de regeling."))
    if application.impact_score is not None:
        lines.append(
            _("De impactscore van uw aanvraag is %(score)s van de 100.")
            % {"score": _score(application.impact_score)}
        )
    return lines


def _proposed_line(application):
    return _(
        "Bij die score past volgens de impactbanden van de regeling een bedrag van "
        "%(amount)s (u vroeg %(requested)s)."
    ) % {
        "amount": _euro(application.proposed_cents or 0),
        "requested": _euro(application.requested_cents),
    }


def _motivation_verlening(application, result):
    lines = _score_lines(application) + [_proposed_line(application)]
    if result is not None:
        lines += _rank_lines(application, result)
        lines.append(
            _("U krijgt subsidie, omdat %(reason)s.")
            % {"reason": reason_letter_text(result.reason)}
        )
    return lines


def _motivation_budget(application, result):
    run = result.run
    lines = _score_lines(application) + [_proposed_line(application)]
    lines += _rank_lines(application, result)
    if run.kind == RunKind.APPLICATION:
        held = _held_back(result)
        lines.append(
            budget_state_text(
                round_name=application.round.name,
                ceiling_cents=run.ceiling_cents,
                committed_cents=run.committed_cents,
                reserved_cents=held.guaranteed_cents,
                objection_reserve_cents=held.objection_reserve_cents,
                left_cents=run.budget_cents,
                needed_cents=result.candidate_cents,
            )
        )
    else:
        position = _position(result)
        if position.stopped_before:
            lines.append(
                _(
                    "Volgens de verdeelregel van deze ronde stoppen wij met verdelen bij "
                    "de eerste aanvraag die niet meer in het budget past. Dat was een "
                    "aanvraag met een hogere plaats dan de uwe."
                )
            )
            lines += _reserve_lines(result)
        elif _held_back(result).objection_reserve_cents:
            # "Niet verdeeld" would count the reserve in: say what the applications
            # could still get, and the reserve in a sentence of its own.
            lines.append(
                _(
                    "Het subsidieplafond van %(round)s is %(ceiling)s. Toen uw aanvraag "
                    "aan de beurt was, was daarvan nog %(left)s beschikbaar voor "
                    "aanvragen; voor uw aanvraag was %(amount)s nodig."
                )
                % {
                    "round": application.round.name,
                    "ceiling": _euro(run.ceiling_cents),
                    "left": _euro(position.remaining_cents),
                    "amount": _euro(result.candidate_cents),
                }
            )
            lines += _reserve_lines(result)
        else:
            lines.append(
                _(
                    "Het subsidieplafond van %(round)s is %(ceiling)s. Toen uw aanvraag "
                    "aan de beurt was, was daarvan nog %(left)s niet verdeeld; voor uw "
                    "aanvraag was %(amount)s nodig."
                )
                % {
                    "round": application.round.name,
                    "ceiling": _euro(run.ceiling_cents),
                    "left": _euro(position.remaining_cents),
                    "amount": _euro(result.candidate_cents),
                }
            )
    lines.append(
        _("Wij wijzen uw aanvraag af, omdat %(reason)s.")
        % {"reason": reason_letter_text(result.reason)}
    )
    return lines


def _motivation_cap(application, result):
    lines = _score_lines(application) + [_proposed_line(application)]
    lines += _rank_lines(application, result)
    position = _position(result)
    wijk = result.wijk.name
    if position.wijk_cap_cents is not None:
        lines.append(
            _(
                "Voor wijk %(wijk)s geldt in deze ronde een maximum van %(cap)s. Toen uw "
                "aanvraag aan de beurt was, was aan wijk %(wijk)s al %(before)s "
                "toegekend. Met uw aanvraag van %(amount)s zou de wijk boven dat "
                "maximum komen."
            )
            % {
                "wijk": wijk,
                "cap": _euro(position.wijk_cap_cents),
                "before": _euro(position.wijk_before_cents),
                "amount": _euro(result.candidate_cents),
            }
        )
    lines += _reserve_lines(result)
    lines.append(
        _("Wij wijzen uw aanvraag af, omdat %(reason)s.")
        % {"reason": reason_letter_text(result.reason)}
    )
    return lines


def _motivation_impact(application, result):
    scheme = application.round.scheme
    bands = [b for b in scheme.impact_bands if isinstance(b, dict)]
    minimum = min((b.get("min_score", 0) for b in bands), default=0)
    score = application.impact_score
    lines = []
    if application.preconditions_met:
        lines.append(_("Uw aanvraag voldoet aan de randvoorwaarden van de regeling."))
    if score is not None and score < minimum:
        lines.append(
            _(
                "De impactscore van uw aanvraag is %(score)s van de 100. Voor een "
                "subsidie uit deze regeling is een score van minstens %(minimum)s nodig."
            )
            % {"score": _score(score), "minimum": _score(minimum)}
        )
    else:
        if score is not None:
            lines.append(
                _("De impactscore van uw aanvraag is %(score)s van de 100.")
                % {"score": _score(score)}
            )
        lines.append(
            _(
                "Op een onderdeel dat doorslaggevend is (een knock-out-criterium) "
                "scoorde uw aanvraag 0 punten. Dan is geen subsidie mogelijk."
            )
        )
    lines.append(
        _("Het bedrag waarvoor uw aanvraag in aanmerking komt, is daarom %(zero)s.")
        % {"zero": _euro(0)}
    )
    return lines


def _motivation_preconditions(application):
    lines = list(_lines(application.preconditions_motivation))
    lines.append(
        _(
            "Omdat uw aanvraag niet aan alle randvoorwaarden voldoet, hebben wij de "
            "impact niet beoordeeld."
        )
    )
    return lines


def _motivation_set_aside(application):
    request = (
        SupplementRequest.objects.filter(application=application)
        .order_by("-requested_at")
        .first()
    )
    if request is None:
        return []
    return [
        _("Op %(date)s hebben wij u gevraagd om uw aanvraag aan te vullen: %(message)s")
        % {
            "date": format_date(_local_date(request.requested_at)),
            "message": request.message.strip(),
        },
        _(
            "U had daarvoor de tijd tot en met %(due)s. Wij hebben de aanvulling niet "
            "(op tijd) ontvangen."
        )
        % {"due": format_date(_local_date(request.due_at))},
    ]


def _motivation(application, kind, result):
    if kind == DecisionKind.VERLENING:
        return _motivation_verlening(application, result)
    if kind == DecisionKind.AFWIJZING_RANDVOORWAARDEN:
        return _motivation_preconditions(application)
    if kind == DecisionKind.AFWIJZING_IMPACT:
        return _motivation_impact(application, result)
    if kind == DecisionKind.AFWIJZING_BUDGET:
        return _motivation_budget(application, result)
    if kind == DecisionKind.AFWIJZING_CAP:
        return _motivation_cap(application, result)
    return _motivation_set_aside(application)


#: A scheme obligation that already says the activities are carried out.
_CARRIES_OUT = re.compile(r"\bvoer(?:t|en)?\b.*\bactiviteit(?:en)?\b.*\buit\b", re.I)


def _obligations(application):
    """Each obligation once: the last day of the activities, then the scheme's list.

    When the scheme already says the activities are carried out (as described), the
    first obligation names only the last day, so the letter does not say it twice.
    """
    unique = {}
    for line in _lines(application.round.scheme.letter_obligations):
        unique.setdefault(" ".join(line.lower().split()), line)
    lines = list(unique.values())
    if application.activity_end:
        end = {"end": format_date(application.activity_end)}
        if any(_CARRIES_OUT.search(line) for line in lines):
            first = _("U bent uiterlijk op %(end)s klaar met de activiteiten.") % end
        else:
            first = (
                _(
                    "U voert de activiteiten uit zoals beschreven in uw aanvraag, "
                    "uiterlijk op %(end)s."
                )
                % end
            )
        lines.insert(0, first)
    return tuple(lines)


def _payment(application):
    """The scheme's own payment text and the (masked) account; the amounts and dates
    are computed by the letter (``beoordeling.letters.payment_schedule``)."""
    parts = [application.round.scheme.letter_payment.strip()]
    applicant = application.applicant
    if applicant.iban:
        parts.append(
            _("Wij maken het geld over naar rekening %(iban)s ten name van %(holder)s.")
            % {"iban": mask_iban(applicant.iban), "holder": applicant.account_holder}
        )
    return "\n\n".join(part for part in parts if part)


def _settlement(application, verlening):
    """The route of this award under its scheme: fixed later, or directly."""
    if not verlening:
        return Settlement.LATER
    scheme = application.round.scheme
    return settlement_for(
        scheme.settlement_route,
        scheme.direct_settlement_max_cents,
        application.awarded_cents or 0,
    )


def letter_content(*, application, kind, kenmerk, date_sent, result=None):
    """Fill a ``LetterContent`` for ``application`` from the database."""
    kind = DecisionKind(kind)
    scheme = application.round.scheme
    verlening = kind == DecisionKind.VERLENING
    set_aside = kind == DecisionKind.BUITEN_BEHANDELING
    if result is None and kind not in (
        DecisionKind.AFWIJZING_RANDVOORWAARDEN,
        DecisionKind.BUITEN_BEHANDELING,
    ):
        result = fixed_result_for(application)
    if result is None and kind in _REASON_KIND.values():
        raise DecisionError(
            _("Aanvraag %(reference)s heeft geen vastgestelde verdeling.")
            % {"reference": application.reference}
        )
    settlement = _settlement(application, verlening)
    if not verlening:
        accountability = ""
    elif settlement is Settlement.DIRECT:
        accountability = scheme.letter_accountability_direct
    else:
        accountability = scheme.letter_accountability
    budget = kind == DecisionKind.AFWIJZING_BUDGET and result is not None
    return LetterContent(
        **beschikking_header(application, kenmerk=kenmerk, date_sent=date_sent),
        letter_type=LetterType(kind.value),
        complete_on=None if set_aside else _local_date(application.complete_at),
        requested_cents=0 if set_aside else application.requested_cents,
        awarded_cents=(application.awarded_cents or 0) if verlening else 0,
        motivation=tuple(str(line) for line in _motivation(application, kind, result)),
        obligations=_obligations(application) if verlening else (),
        accountability=accountability,
        payment=_payment(application) if verlening else "",
        settlement=settlement,
        advance_percent=scheme.advance_percent,
        advance_part_months=scheme.advance_part_months,
        budget_refusal=_budget_refusal(result) if budget else BudgetRefusal.CEILING,
        ceiling_reached=(
            result is not None
            and not result.awarded
            and kind in (DecisionKind.AFWIJZING_BUDGET, DecisionKind.AFWIJZING_CAP)
            and _ceiling_reached(result)
        ),
    )
