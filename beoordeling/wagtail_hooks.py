"""The assessment, decision, bezwaar, overview and payment screens in the Wagtail admin.

Each sub-package registers its own hooks in its ``admin`` module; importing them here is
what makes Wagtail load them.
"""

from .assessment import admin as assessment_admin  # noqa: F401
from .decisions import admin as decision_admin  # noqa: F401
from .objections import admin as objection_admin  # noqa: F401
from .overviews import admin as overview_admin  # noqa: F401
from .payments import admin as payment_admin  # noqa: F401
