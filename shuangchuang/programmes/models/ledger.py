"""The per-enterprise support ledger: every amount awarded or paid to an enterprise by any programme (and by
voucher schemes) is one row. Rows are never edited; a correction is a new row with the negative amount that
references the row it reverses."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from shuangchuang.core.models import Organisation


class SourceKind(models.TextChoices):
    PROGRAMME = "programme", _("Programme")
    VOUCHER = "voucher", _("Voucher scheme")
    OTHER = "other", _("Other support")


class LedgerKind(models.TextChoices):
    AWARDED = "awarded", _("Awarded")
    PAID = "paid", _("Paid")


class SupportLedgerEntry(models.Model):
    enterprise = models.ForeignKey("registry.Enterprise", on_delete=models.PROTECT, related_name="support_entries",
                                   verbose_name=_("enterprise"))
    source_kind = models.CharField(_("source kind"), max_length=16, choices=SourceKind.choices)
    source_label = models.CharField(_("source"), max_length=200)
    source_app = models.CharField(max_length=32, blank=True, help_text="App label of the record behind the row.")
    source_ref = models.CharField(max_length=64, blank=True, help_text="Primary key of the record behind the row.")
    department = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    clause = models.ForeignKey("policies.PolicyPart", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("policy clause"))
    project_key = models.CharField(_("project"), max_length=120, blank=True, db_index=True)
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    kind = models.CharField(_("kind"), max_length=8, choices=LedgerKind.choices)
    occurred_on = models.DateField(_("date"))
    reverses = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="reversals", verbose_name=_("reverses"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=160, blank=True)

    class Meta:
        verbose_name = _("support ledger entry")
        verbose_name_plural = _("support ledger entries")
        ordering = ["-occurred_on", "-id"]
        indexes = [
            models.Index(fields=["enterprise", "kind", "occurred_on"], name="ledger_enterprise_kind_day"),
            models.Index(fields=["source_app", "source_ref"], name="ledger_source"),
        ]

    def __str__(self) -> str:
        return f"{self.source_label} {self.amount_fen / 100:.2f}"
