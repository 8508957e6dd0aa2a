"""The assessment and decision screens in the Wagtail admin; each module registers its own."""

from . import assessment_admin, decision_admin  # noqa: F401
