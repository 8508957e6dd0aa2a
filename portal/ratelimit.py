"""Moved to ``portal.shared.ratelimit``; this name stays only for code not yet moved
(import from ``portal.shared.ratelimit``)."""

from portal.shared.ratelimit import (  # noqa: F401
    AUDIT_LOGGER,
    attempt_allowed,
    audit_log,
    client_ip,
    give_back,
    give_back_attempt,
    hit,
)
