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
from .assistance import ApplicationAssistance, ConsentMethod, HandoverRoute
from .changes import ChangeRequest
from .geo import Buurt, TargetGroup, Theme, Wijk
from .log import ImmutableLogError, TransitionLog
from .mail import OutgoingMail
from .reports import (
    Report,
    ReportIncome,
    ReportLine,
    ReportQuestion,
    ReportReminder,
)
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
    "ChangeRequest",
    "ConsentMethod",
    "ImmutableRuleError",
    "Applicant",
    "ApplicantKind",
    "Application",
    "ApplicationAssistance",
    "BudgetLine",
    "Buurt",
    "Document",
    "HandoverRoute",
    "ImmutableLogError",
    "OtherFunding",
    "OutgoingMail",
    "Partner",
    "QuestionSet",
    "ReferenceCounter",
    "Report",
    "ReportIncome",
    "ReportLine",
    "ReportQuestion",
    "ReportReminder",
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
