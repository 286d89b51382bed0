"""Write use cases of the vouchers module, one keyword-only function each (see the sub-modules)."""

from shuangchuang.vouchers.services.applications import (
    APPLICATION_WORKFLOW,
    application_check,
    application_submit,
    application_transition,
    application_transitions_for,
    voucher_balance_fen,
)
from shuangchuang.vouchers.services.contracts import (
    contract_decide,
    contract_propose,
    related_party_reason,
    tie_record,
    voucher_by_code,
)
from shuangchuang.vouchers.services.expiry import vouchers_expire
from shuangchuang.vouchers.services.ledger import derived_balance, ledger_verify
from shuangchuang.vouchers.services.redemptions import (
    REDEMPTION_WORKFLOW,
    redemption_request,
    redemption_transition,
    redemption_transitions_for,
    settlement_run,
)
from shuangchuang.vouchers.services.scheme_changes import scheme_budget_reduce, scheme_change, scheme_close
from shuangchuang.vouchers.services.schemes import (
    provider_register,
    provider_registration_decide,
    provider_service_add,
    scheme_budget_add,
    scheme_create,
)

__all__ = [
    "APPLICATION_WORKFLOW", "REDEMPTION_WORKFLOW", "application_check", "application_submit",
    "application_transition", "application_transitions_for", "contract_decide", "contract_propose",
    "derived_balance", "ledger_verify", "provider_register", "provider_registration_decide", "provider_service_add",
    "redemption_request", "redemption_transition", "redemption_transitions_for", "related_party_reason",
    "scheme_budget_add", "scheme_budget_reduce", "scheme_change", "scheme_close", "scheme_create", "settlement_run", "tie_record", "voucher_balance_fen", "voucher_by_code",
    "vouchers_expire",
]
