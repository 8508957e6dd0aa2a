"""Rounds: the ceiling guard and the published verdeelregel.

One guard for the ceiling (Awb 4:25): every path that commits money or changes a
round's ceiling (allocation runs, order-of-receipt decisions, four eyes, the history
import, editing a round, and later post-award changes and bezwaar) runs inside
``ceiling_guard(round_id)``. It takes the round's row lock, lets the caller write, and
before the transaction ends sums the committed money again (``Round.committed_cents``);
if that is above the ceiling, everything the caller wrote is rolled back with
``CeilingExceeded``. Because the check reads what was actually written, a path cannot
forget a case.

The verdeelregel (Awb 4:26, 4:27) of a round is an ``AllocationRule`` version:

- ``rule_publish_first`` publishes version 1 from the round's draft (its shortfall
  rule, minimum partial amount, lottery seed and wijk limits); it is refused once the
  round has closed.
- ``rule_publish_deviation`` publishes a later version with other parameters; it needs
  a motivation and is refused after the round's closing moment.
- ``rule_in_force`` is the version an allocation uses: the newest published at or
  before the moment of the decision. Without one, nothing is allocated.
"""

from contextlib import contextmanager

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AllocationRule, Round, RoundWijkLimit, Wijk


class RuleError(Exception):
    """The verdeelregel cannot be published like this; the message is in Dutch."""


def round_lock(round_id):
    """Lock the round row until the end of the transaction; returns the fresh round."""
    return (
        Round.objects.select_for_update(of=("self",))
        .select_related("scheme")
        .get(pk=round_id)
    )


@contextmanager
def ceiling_guard(round_id):
    """Lock the round, run the caller's writes, then refuse them if over the ceiling."""
    with transaction.atomic():
        round_ = round_lock(round_id)
        yield round_
        round_.check_ceiling()


def rule_in_force(round_, at=None):
    return (
        AllocationRule.objects.filter(round=round_)
        .in_force(at or timezone.now())
        .first()
    )


def _wijk_rows(limits):
    """``limits``: {wijk_id: (floor, cap)} -> the stored rows, in wijk order."""
    rows = []
    for wijk in Wijk.objects.order_by("sort_order", "name"):
        floor, cap = limits.get(wijk.pk, (0, None))
        if floor == 0 and cap is None:
            continue
        rows.append(
            {
                "wijk_id": wijk.pk,
                "code": wijk.code,
                "name": wijk.name,
                "floor_cents": int(floor),
                "cap_cents": None if cap is None else int(cap),
            }
        )
    return rows


def _check_limits(round_, limits, min_partial_cents):
    for wijk_id, (floor, cap) in limits.items():
        if floor < 0 or (cap is not None and cap < 0):
            raise RuleError(_("Een bedrag in de verdeelregel kan niet negatief zijn."))
        if cap is not None and cap < floor:
            raise RuleError(
                _("Het maximum van een wijk is lager dan haar gegarandeerde minimum.")
            )
        if floor > round_.ceiling_cents or (
            cap is not None and cap > round_.ceiling_cents
        ):
            raise RuleError(
                _("Een garantie of maximum van een wijk is hoger dan het plafond.")
            )
        if not Wijk.objects.filter(pk=wijk_id).exists():
            raise RuleError(_("Onbekende wijk in de verdeelregel."))
    total_floor = sum(floor for floor, _cap in limits.values())
    if total_floor > round_.ceiling_cents:
        raise RuleError(
            _("De garanties van de wijken samen zijn hoger dan het plafond.")
        )
    if not 0 <= min_partial_cents <= round_.ceiling_cents:
        raise RuleError(_("Het minimale deelbedrag ligt niet tussen 0 en het plafond."))


def _publish(
    *,
    round_,
    actor,
    at,
    on_shortfall,
    min_partial_cents,
    lottery_seed,
    limits,
    text,
    motivation,
):
    _check_limits(round_, limits, min_partial_cents)
    last = AllocationRule.objects.filter(round=round_).aggregate(v=Max("version"))["v"]
    return AllocationRule.objects.create(
        round=round_,
        version=(last or 0) + 1,
        published_at=at,
        published_by=actor,
        mode=round_.scheme.allocation_mode,
        on_shortfall=on_shortfall,
        min_partial_cents=min_partial_cents,
        lottery_seed=lottery_seed,
        wijk_limits=_wijk_rows(limits),
        text=text,
        motivation=motivation,
    )


def rule_publish_first(*, round, actor=None, at=None):
    """Publish version 1 of the round's verdeelregel from the round's draft."""
    at = at or timezone.now()
    with transaction.atomic():
        round_ = round_lock(round.pk)
        if AllocationRule.objects.filter(round=round_).exists():
            raise RuleError(_("De verdeelregel van deze ronde is al bekendgemaakt."))
        if at >= round_.closes_at:
            raise RuleError(_("De ronde is gesloten."))
        limits = {
            limit.wijk_id: (limit.floor_cents, limit.cap_cents)
            for limit in RoundWijkLimit.objects.filter(round=round_)
        }
        return _publish(
            round_=round_,
            actor=actor,
            at=at,
            on_shortfall=round_.on_shortfall,
            min_partial_cents=round_.min_partial_cents,
            lottery_seed=round_.lottery_seed,
            limits=limits,
            text=round_.published_rule,
            motivation="",
        )


def rule_publish_deviation(
    *,
    round,
    actor,
    motivation,
    limits,
    on_shortfall,
    min_partial_cents,
    text="",
    at=None,
):
    """Publish a new version that deviates from the one in force, with a motivation.

    ``limits`` maps wijk id to (floor, cap) in cents. Refused without a motivation,
    before version 1, and from the round's closing moment on.
    """
    at = at or timezone.now()
    motivation = (motivation or "").strip()
    if not motivation:
        raise RuleError(
            _("Motiveer waarom de verdeelregel afwijkt van de bekendgemaakte versie.")
        )
    with transaction.atomic():
        round_ = round_lock(round.pk)
        current = rule_in_force(round_, at)
        if current is None:
            raise RuleError(_("Maak eerst de verdeelregel van deze ronde bekend."))
        if at >= round_.closes_at:
            raise RuleError(
                _(
                    "De ronde is gesloten. Na de sluitingsdatum kan de verdeelregel "
                    "van deze ronde niet meer veranderen."
                )
            )
        return _publish(
            round_=round_,
            actor=actor,
            at=at,
            on_shortfall=on_shortfall,
            min_partial_cents=min_partial_cents,
            lottery_seed=current.lottery_seed,
            limits=limits,
            text=text or current.text,
            motivation=motivation,
        )
