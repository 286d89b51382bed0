"""Models of online commercial registration (POLICY-FACTS §2): applications for establishment and change, the
electronic business licence, simplified deregistration with its public notice and objections, cluster
registration (custodians, hosting contracts, documents served) and the effective-dated rules as data."""

from shuangchuang.registration.models.applications import (
    Application,
    ApplicationKind,
    ApplicationState,
    ApplicationStep,
    OfficerPosition,
    ShareholderKind,
    ApplicationOfficer,
    Shareholder,
)
from shuangchuang.registration.models.cluster import Custodian, CustodianState, HostingContract, ServedDocument
from shuangchuang.registration.models.common import RegistrationBar, BarKind, RuleParameter, ScopeTerm, UsccCounter
from shuangchuang.registration.models.deregistration import (
    Deregistration,
    DeregistrationState,
    Objection,
    ObjectionState,
    ObjectorKind,
)
from shuangchuang.registration.models.licences import Licence

__all__ = [
    "Application", "ApplicationKind", "ApplicationState", "ApplicationStep", "OfficerPosition", "ShareholderKind",
    "ApplicationOfficer", "Shareholder", "Custodian", "CustodianState", "HostingContract", "ServedDocument",
    "RegistrationBar", "BarKind", "RuleParameter", "ScopeTerm", "UsccCounter", "Deregistration",
    "DeregistrationState", "Objection", "ObjectionState", "ObjectorKind", "Licence",
]
