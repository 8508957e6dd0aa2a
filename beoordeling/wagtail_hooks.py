"""The assessment, decision and overview screens in the Wagtail admin.

Each module registers its own hooks; importing them here is what makes Wagtail load them.
"""

from . import assessment_admin, decision_admin, export_admin  # noqa: F401
