"""Write use cases of registration, one keyword-only function each (see the sub-modules).

Other modules import from here: `from shuangchuang.registration.services import application_transition`.
"""

from shuangchuang.registration.services.applications import (
    APPLICATION_WORKFLOW,
    ApplicationData,
    OfficerData,
    ShareholderData,
    application_transition,
    application_update,
    change_apply,
    establishment_apply,
    transitions_for,
)
from shuangchuang.registration.services.approval import licence_issue
from shuangchuang.registration.services.cluster import (
    custodian_apply,
    custodian_decide,
    document_served_record,
    hosting_contract_end,
)
from shuangchuang.registration.services.deregistration import (
    DEREGISTRATION_WORKFLOW,
    bar_lift,
    bar_record,
    deregistration_eligibility,
    deregistration_start,
    deregistration_transition,
    objection_raise,
    objection_resolve,
)
from shuangchuang.registration.services.rules import rule_set
from shuangchuang.registration.services.uscc import uscc_issue

__all__ = [
    "APPLICATION_WORKFLOW", "ApplicationData", "OfficerData", "ShareholderData", "application_transition",
    "application_update", "change_apply", "establishment_apply", "transitions_for", "licence_issue",
    "custodian_apply", "custodian_decide", "document_served_record", "hosting_contract_end",
    "DEREGISTRATION_WORKFLOW", "bar_lift", "bar_record", "deregistration_eligibility", "deregistration_start",
    "deregistration_transition", "objection_raise", "objection_resolve", "rule_set", "uscc_issue",
]
