"""Models of the programmes module (data and simple invariants only; writes go through programmes.services)."""

from shuangchuang.programmes.models.application import (
    OPEN_STATES,
    Application,
    ApplicationFile,
    ApplicationStep,
    State,
)
from shuangchuang.programmes.models.award import (
    Award,
    Clawback,
    Instalment,
    InstalmentState,
    Kpi,
    Milestone,
    Objection,
    ObjectionState,
    ProgressReport,
    PublicNotice,
)
from shuangchuang.programmes.models.ledger import LedgerKind, SourceKind, SupportLedgerEntry
from shuangchuang.programmes.models.programme import (
    ALL_STAGES,
    Aggregation,
    Call,
    CallStatus,
    Programme,
    Stage,
)
from shuangchuang.programmes.models.space import Lease, LeaseOffer, OfferState
from shuangchuang.programmes.models.review import Assignment, ConflictKind, ExpertProfile, SiteVisit

__all__ = [
    "ALL_STAGES", "OPEN_STATES", "Aggregation", "Application", "ApplicationFile", "ApplicationStep", "Assignment",
    "Award", "Call", "CallStatus", "Clawback", "ConflictKind", "ExpertProfile", "Instalment", "InstalmentState",
    "Kpi", "Lease", "LeaseOffer", "LedgerKind", "Milestone", "Objection", "ObjectionState", "OfferState", "Programme", "ProgressReport", "PublicNotice",
    "SiteVisit", "SourceKind", "Stage", "State", "SupportLedgerEntry",
]
