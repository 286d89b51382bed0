"""Read-only admin views of the voucher records; every change goes through the services (and the ledger)."""

from django.contrib import admin

from shuangchuang.core.admin import ReadOnlyAdmin as ReadOnly
from shuangchuang.vouchers.models import (
    Account,
    Application,
    Contract,
    Journal,
    ProviderRegistration,
    Redemption,
    Scheme,
    SchemeYear,
    SettlementBatch,
    Voucher,
)


@admin.register(Scheme)
class SchemeAdmin(ReadOnly):
    list_display = ("code", "name", "kind", "department", "is_open")


@admin.register(SchemeYear)
class SchemeYearAdmin(ReadOnly):
    list_display = ("scheme", "year", "budget_fen")


@admin.register(ProviderRegistration)
class RegistrationAdmin(ReadOnly):
    list_display = ("provider", "scheme", "category", "year", "state")
    list_filter = ("state", "category", "year")


@admin.register(Application)
class ApplicationAdmin(ReadOnly):
    list_display = ("id", "scheme", "applicant_kind", "requested_fen", "state", "submitted_at")
    list_filter = ("state", "applicant_kind")


@admin.register(Voucher)
class VoucherAdmin(ReadOnly):
    list_display = ("code", "face_value_fen", "issued_on", "valid_until", "state")


@admin.register(Contract)
class ContractAdmin(ReadOnly):
    list_display = ("number", "provider", "amount_fen", "max_voucher_fen", "committed_fen", "state")


@admin.register(Redemption)
class RedemptionAdmin(ReadOnly):
    list_display = ("id", "provider", "amount_fen", "state", "requested_at")
    list_filter = ("state",)


@admin.register(SettlementBatch)
class BatchAdmin(ReadOnly):
    list_display = ("scheme_year", "paid_on", "executes_on", "executed_at")


@admin.register(Journal)
class JournalAdmin(ReadOnly):
    list_display = ("id", "kind", "key", "amount_fen", "created_at")
    list_filter = ("kind",)


@admin.register(Account)
class AccountAdmin(ReadOnly):
    list_display = ("id", "kind", "scheme_year", "voucher", "provider", "balance_fen")
    list_filter = ("kind",)
