"""Models of the policies module: documents and their parts, parameters, benefits, matching and the assistant.

Models hold data and simple invariants only; every write goes through policies.services.
"""

from shuangchuang.policies.models.assistant import Faq, FaqStatus
from shuangchuang.policies.models.benefits import Audience, Benefit, BenefitKind, BenefitStatus, Parameter, ParameterKind
from shuangchuang.policies.models.documents import (
    BENEFICIARY_TYPES,
    TOPICS,
    DocumentStatus,
    PartKind,
    PartUnit,
    PolicyDocument,
    PolicyPart,
    PolicyVersion,
)
from shuangchuang.policies.models.matching import (
    BenefitNotice,
    BenefitPush,
    DigestFrequency,
    PushStatus,
    SavedSearch,
)

__all__ = [
    "Audience", "BENEFICIARY_TYPES", "TOPICS", "Benefit", "BenefitKind", "BenefitNotice", "BenefitPush", "BenefitStatus",
    "DigestFrequency", "DocumentStatus", "Faq", "FaqStatus", "Parameter", "ParameterKind", "PartKind", "PartUnit",
    "PolicyDocument", "PolicyPart", "PolicyVersion", "PushStatus", "SavedSearch",
]
