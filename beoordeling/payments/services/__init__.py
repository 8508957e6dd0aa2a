"""The payment use cases: ``planning`` (the ledger), ``batches`` (four eyes and the
exports) and ``statements`` (camt.053 in, and marking paid by hand)."""

from django.core.exceptions import PermissionDenied

from accounts.roles import MANAGE_PAYMENTS


class PaymentError(Exception):
    """A payment step that may not happen now; the message is for the user, in Dutch."""


def require_manager(actor):
    if actor is None or not actor.has_perm(MANAGE_PAYMENTS):
        raise PermissionDenied
