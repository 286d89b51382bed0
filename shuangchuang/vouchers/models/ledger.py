"""The double-entry ledger: every money movement is a journal of postings that sum to zero.

Accounts: the scheme year's appropriation (the source, the only account that may go below zero), its budget
(uncommitted money), each voucher (unused balance), each voucher's pending account (redemptions under review),
each provider's payable per scheme year (paid, waiting for settlement), and the scheme year's disbursed account.
Flow: appropriation → budget → voucher → pending → payable → disbursed; expiry returns voucher → budget.

An account's balance is the sum of its entries. `Account.balance_fen` is the same sum kept in the row that a
movement locks, so that the database refuses a negative balance (CHECK) and a balance is read without a SUM;
`ledger_verify` checks that the two agree. Corrections are reversing journals, never edits.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountKind(models.TextChoices):
    APPROPRIATION = "appropriation", _("Appropriation")
    BUDGET = "budget", _("Budget")
    VOUCHER = "voucher", _("Voucher")
    PENDING = "pending", _("Redemptions under review")
    PAYABLE = "payable", _("Payable to provider")
    DISBURSED = "disbursed", _("Disbursed")


class Account(models.Model):
    kind = models.CharField(max_length=16, choices=AccountKind.choices)
    scheme_year = models.ForeignKey("vouchers.SchemeYear", on_delete=models.PROTECT, related_name="accounts")
    voucher = models.ForeignKey("vouchers.Voucher", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="accounts")
    provider = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    balance_fen = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(balance_fen__gte=0) | models.Q(kind="appropriation"),
                name="vouchers_account_balance_gte_0",
            ),
            models.UniqueConstraint(fields=["scheme_year", "kind"], condition=models.Q(voucher__isnull=True,
                                    provider__isnull=True), name="vouchers_account_scheme_unique"),
            models.UniqueConstraint(fields=["voucher", "kind"], condition=models.Q(voucher__isnull=False),
                                    name="vouchers_account_voucher_unique"),
            models.UniqueConstraint(fields=["scheme_year", "provider", "kind"],
                                    condition=models.Q(provider__isnull=False), name="vouchers_account_provider_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class JournalKind(models.TextChoices):
    APPROPRIATE = "appropriate", _("Budget appropriated")
    ISSUE = "issue", _("Voucher issued")
    REDEEM_REQUEST = "redeem_request", _("Redemption requested")
    REDEEM_REJECT = "redeem_reject", _("Redemption rejected")
    PAY = "pay", _("Redemption paid")
    CANCEL = "cancel", _("Payment cancelled")
    SETTLE = "settle", _("Settled to provider")
    REFUND = "refund", _("Refund by provider")
    EXPIRE = "expire", _("Expired, returned to budget")
    REDUCE = "reduce", _("Budget reduced")


class Journal(models.Model):
    """One money movement: two or more entries that sum to zero. `key` makes each movement happen once."""

    kind = models.CharField(max_length=16, choices=JournalKind.choices)
    key = models.CharField(max_length=96, unique=True, help_text=_("Idempotency key of the movement."))
    scheme_year = models.ForeignKey("vouchers.SchemeYear", on_delete=models.PROTECT, related_name="+")
    voucher = models.ForeignKey("vouchers.Voucher", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    redemption = models.ForeignKey("vouchers.Redemption", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="journals")
    reverses = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="reversed_by")
    amount_fen = models.BigIntegerField()
    memo = models.CharField(max_length=200, blank=True)
    actor_label = models.CharField(max_length=160, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("journal")
        verbose_name_plural = _("journals")
        ordering = ["-id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount_fen__gt=0), name="vouchers_journal_amount_gt_0")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount_fen}"


class LedgerEntry(models.Model):
    """One posting: a signed amount on one account (positive adds to its balance)."""

    journal = models.ForeignKey(Journal, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries",
                                db_index=False)  # the (account, amount) index below serves look-ups
    amount_fen = models.BigIntegerField()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        # account and amount both in the key: the sum of an account's entries is an index-only scan
        indexes = [models.Index(fields=["account", "amount_fen"], name="vouchers_entry_account")]
        constraints = [models.CheckConstraint(condition=~models.Q(amount_fen=0), name="vouchers_entry_nonzero")]
