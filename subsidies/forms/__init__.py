"""Public forms: the quick check, the application steps and what follows submission.

``portal.shared.forms`` draws them with the gemeente Utrecht markup; ``fields`` holds the fields
for euros, dates and account numbers; one module per step holds its forms.
"""

from portal.shared.forms import (
    LineEndingsMixin,
    UtrechtFormMixin,
    error_summary,
    utrecht_renderer,
)

from .budget import (
    BudgetFormSet,
    OtherFundingFormSet,
    budget_initial,
    other_funding_initial,
)
from .check import QuickCheckForm
from .impact import ImpactForm, question_field
from .initiative import InitiativeForm, PartnerFormSet, partner_initial
from .organisation import OrganisationForm
from .submission import DocumentForm, ReviewForm, SupplementForm, WithdrawForm

__all__ = [
    "BudgetFormSet",
    "DocumentForm",
    "ImpactForm",
    "InitiativeForm",
    "LineEndingsMixin",
    "OrganisationForm",
    "OtherFundingFormSet",
    "PartnerFormSet",
    "QuickCheckForm",
    "ReviewForm",
    "SupplementForm",
    "UtrechtFormMixin",
    "WithdrawForm",
    "budget_initial",
    "error_summary",
    "other_funding_initial",
    "partner_initial",
    "question_field",
    "utrecht_renderer",
]
