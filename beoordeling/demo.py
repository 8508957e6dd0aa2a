"""The assessment and decision part of the seeded demo (idempotent)."""

from .demo_assessment import seed_assessments
from .demo_decisions import seed_decisions


def seed(*, now):
    seed_assessments(now=now)
    seed_decisions(now=now)
