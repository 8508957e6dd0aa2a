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
from .schemes import (
    AllocationMode,
    QuestionSet,
    Round,
    RoundWijkLimit,
    Scheme,
    ShortfallRule,
)

__all__ = [
    "AllocationMode",
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
    "ShortfallRule",
    "SupplementRequest",
    "TargetGroup",
    "Theme",
    "TransitionLog",
    "Wijk",
]
