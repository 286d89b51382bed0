"""Voucher schemes, providers, the double-entry ledger and the voucher lifecycle. Money is integer fen."""

from shuangchuang.vouchers.models.ledger import Account, AccountKind, Journal, JournalKind, LedgerEntry
from shuangchuang.vouchers.models.lifecycle import (
    Application,
    ApplicationState,
    ApplicantKind,
    Contract,
    ContractState,
    DeclaredTie,
    Document,
    Redemption,
    RedemptionState,
    SettlementBatch,
    Step,
    Voucher,
    VoucherState,
)
from shuangchuang.vouchers.models.schemes import (
    ProviderRegistration,
    ProviderService,
    RegistrationState,
    Scheme,
    SchemeKind,
    SchemeYear,
    ServiceCategory,
)

__all__ = [
    "Account", "AccountKind", "ApplicantKind", "Application", "ApplicationState", "Contract", "ContractState",
    "DeclaredTie", "Document", "Journal", "JournalKind", "LedgerEntry", "ProviderRegistration", "ProviderService",
    "Redemption", "RedemptionState", "RegistrationState", "Scheme", "SchemeKind", "SchemeYear", "ServiceCategory",
    "SettlementBatch", "Step", "Voucher", "VoucherState",
]
