"""Write use cases of the policies module: one keyword-only function each, one transaction, one audit event."""

from shuangchuang.policies.services.assistant import faq_approve, faq_create, faq_withdraw
from shuangchuang.policies.services.benefits import (
    benefit_create,
    benefit_publish,
    benefit_update,
    benefit_withdraw,
    parameter_add_period,
    parameter_set,
)
from shuangchuang.policies.services.documents import (
    policy_import_text,
    policy_publish,
    policy_revise,
    policy_withdraw,
)
from shuangchuang.policies.services.matching import (
    benefit_push_chunk,
    benefit_push_start,
    deadline_reminders_send,
    push_document_benefits,
    saved_search_create,
    saved_search_delete,
    saved_search_digest_send,
    saved_search_unsubscribe,
)
from shuangchuang.policies.services.seed import seed_load

__all__ = [
    "benefit_create", "benefit_publish", "benefit_push_chunk", "benefit_push_start", "benefit_update",
    "benefit_withdraw", "deadline_reminders_send", "faq_approve", "faq_create", "faq_withdraw", "parameter_add_period", "parameter_set",
    "policy_import_text", "policy_publish", "policy_revise", "policy_withdraw", "push_document_benefits", "saved_search_create",
    "saved_search_delete", "saved_search_digest_send", "saved_search_unsubscribe", "seed_load",
]
