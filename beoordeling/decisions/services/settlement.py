"""What follows the award at once: how it becomes final, and a direct vaststelling.

The scheme's route (``beoordeling.letters.settlement_for``, the rule the verlening
letter prints) decides it for this amount; the application then keeps it as a fact, so
a later change of the scheme does not change a grant already made.
"""

from django.utils.translation import gettext as _

from beoordeling.letters import Settlement as LetterSettlement
from beoordeling.letters import settlement_for
from subsidies.facts import record_settlement_terms
from subsidies.services import fire
from subsidies.workflow import Settlement


def settlement_of(application):
    scheme = application.round.scheme
    route = settlement_for(
        scheme.settlement_route,
        scheme.direct_settlement_max_cents,
        application.awarded_cents or 0,
    )
    if route is LetterSettlement.DIRECT:
        return Settlement.DIRECT
    if route is LetterSettlement.EX_OFFICIO:
        return Settlement.EX_OFFICIO
    return Settlement.REPORT


def settle_award(application, *, actor, at):
    """Record the settlement terms of a just-awarded application; fix a direct one."""
    settlement = settlement_of(application)
    record_settlement_terms(application, settlement=settlement)
    if settlement != Settlement.DIRECT:
        return application
    return fire(
        application=application,
        transition="fix_directly",
        actor=actor,
        at=at,
        reason=_("De verlening stelt de subsidie direct vast."),
    )
