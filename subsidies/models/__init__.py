from .applicants import Applicant, ApplicantKind
from .applications import (
    Application,
    BudgetLine,
    Document,
    OtherFunding,
    Partner,
    ReferenceCounter,
    SupplementRequest,
)
from .geo import Buurt, TargetGroup, Theme, Wijk
from .log import ImmutableLogError, TransitionLog
from .mail import OutgoingMail
from .rules import AllocationRule, ImmutableRuleError
from .schemes import (
    AllocationMode,
    CeilingExceeded,
    QuestionSet,
    Round,
    RoundWijkLimit,
    Scheme,
    SettlementRoute,
    ShortfallRule,
)

__all__ = [
    "AllocationMode",
    "AllocationRule",
    "CeilingExceeded",
    "ImmutableRuleError",
    "Applicant",
    "ApplicantKind",
    "Application",
    "BudgetLine",
    "Buurt",
    "Document",
    "ImmutableLogError",
    "OtherFunding",
    "OutgoingMail",
    "Partner",
    "QuestionSet",
    "ReferenceCounter",
    "Round",
    "RoundWijkLimit",
    "Scheme",
    "SettlementRoute",
    "ShortfallRule",
    "SupplementRequest",
    "TargetGroup",
    "Theme",
    "TransitionLog",
    "Wijk",
]
