"""Enterprise names (企业名称自主申报, POLICY-FACTS §2.3): reservations, protected names, investment relations and
the look-up index of every name a proposed name is compared with.

- NameReservation: a name that passed the check, kept for the applicant for a period (2 months; 1 year where
  prior approval applies — periods are data, see names.periods), consumed by establishment, released, expired.
- ProtectedName: a name deregistered, changed or revoked less than a year ago (Art 17 (2)(3)).
- InvestmentRelation: one enterprise invests in another. The registry has no shareholdings, so they are kept here
  (recorded by the registration module on establishment, or by an officer); such a relation lifts the identical
  rule (Art 17).
- NameIndexEntry: one row per name to compare against (registered enterprise, active reservation, protected
  name), with the parts of the name precomputed and indexed, so one check is a handful of index look-ups.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shuangchuang.core.models import Organisation
from shuangchuang.registry.models import Enterprise, IndustryDivision, LegalForm


class ReservationStatus(models.TextChoices):
    RESERVED = "reserved", _("Reserved")
    CONSUMED = "consumed", _("Used for registration")
    RELEASED = "released", _("Released")
    EXPIRED = "expired", _("Expired")


class NameReservation(models.Model):
    name = models.CharField(_("name"), max_length=128)
    region = models.CharField(_("region"), max_length=32, blank=True)
    trade_name = models.CharField(_("trade name (字号)"), max_length=64)
    industry_wording = models.CharField(_("industry wording"), max_length=64, blank=True)
    organisation_form = models.CharField(_("organisation form"), max_length=16)
    legal_form = models.CharField(_("legal form"), max_length=16, choices=LegalForm.choices)
    industry = models.ForeignKey(IndustryDivision, on_delete=models.PROTECT, null=True, blank=True,
                                 verbose_name=_("industry (GB/T 4754)"))
    registration_authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                               verbose_name=_("registration authority"))
    reserved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("reserved by"))
    reserved_for = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("reserved for (organisation)"))
    reserved_at = models.DateTimeField(_("reserved at"))
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=ReservationStatus.choices,
                              default=ReservationStatus.RESERVED, db_index=True)
    prior_approval = models.BooleanField(_("prior approval applies"), default=False)
    similar_acknowledged = models.JSONField(_("similar names acknowledged"), default=list, blank=True)
    investors = models.JSONField(_("declared investors (USCC)"), default=list, blank=True)
    consumed_by = models.ForeignKey(Enterprise, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("used by enterprise"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    period_source = models.TextField(_("source of the period"), blank=True)

    class Meta:
        verbose_name = _("name reservation")
        verbose_name_plural = _("name reservations")
        ordering = ["-reserved_at"]
        indexes = [models.Index(fields=["reserved_by", "-reserved_at"], name="names_reservation_by")]

    def __str__(self) -> str:
        return self.name


class ProtectionReason(models.TextChoices):
    DEREGISTERED = "deregistered", _("Deregistered")
    CHANGED = "changed", _("Name changed")
    REVOKED = "revoked", _("Registration revoked")


class ProtectedName(models.Model):
    name = models.CharField(_("name"), max_length=128)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("enterprise"))
    registration_authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                               related_name="+", verbose_name=_("registration authority"))
    industry = models.ForeignKey(IndustryDivision, on_delete=models.PROTECT, null=True, blank=True,
                                 verbose_name=_("industry (GB/T 4754)"))
    reason = models.CharField(_("reason"), max_length=16, choices=ProtectionReason.choices)
    since = models.DateField(_("since"))
    until = models.DateField(_("protected until"), db_index=True)
    transferred = models.BooleanField(_("name transferred"), default=False)
    source = models.TextField(_("source of the period"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("protected name")
        verbose_name_plural = _("protected names")
        ordering = ["-since"]

    def __str__(self) -> str:
        return self.name


class InvestmentRelation(models.Model):
    investor = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+", verbose_name=_("investor"))
    investee = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+", verbose_name=_("investee"))
    since = models.DateField(_("since"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("investment relation")
        verbose_name_plural = _("investment relations")
        constraints = [models.UniqueConstraint(fields=["investor", "investee"], name="names_investment_unique")]
        indexes = [models.Index(fields=["investee"], name="names_investment_investee")]


class IndexSource(models.TextChoices):
    ENTERPRISE = "e", _("Registered enterprise")
    RESERVATION = "r", _("Reserved name")
    PROTECTED = "p", _("Protected name")


class NameIndexEntry(models.Model):
    """Derived data (rebuilt by `shuangchuang names_index`): the parts of one name, normalised.

    `trade` is the trade name, `trade_rev` the same reversed (for suffix look-ups), `trade_py` its toneless pinyin
    (homophones), `industry` the industry wording, `division` the GB/T 4754 division when known, `form` the
    organisation-form family; `until` is set for names that stop counting on a date (protection, reservation)."""

    source = models.CharField(max_length=1, choices=IndexSource.choices)
    source_id = models.BigIntegerField()
    authority_id = models.BigIntegerField(null=True, blank=True)
    name = models.CharField(max_length=128)
    trade = models.CharField(max_length=64)
    trade_rev = models.CharField(max_length=64)
    trade_py = models.CharField(max_length=200)
    industry = models.CharField(max_length=64, blank=True)
    division = models.CharField(max_length=2, blank=True)
    form = models.CharField(max_length=16, blank=True)
    enterprise_id = models.BigIntegerField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("name index entry")
        verbose_name_plural = _("name index")
        constraints = [models.UniqueConstraint(fields=["source", "source_id"], name="names_index_source")]
        indexes = [
            # The pattern operator class lets PostgreSQL use the index for LIKE 'x%' (trade names beginning with
            # the proposed one) as well as for equality; SQLite ignores it and ranges over its BINARY order.
            models.Index(fields=["authority_id", "trade"], name="names_index_trade",
                         opclasses=["int8_ops", "varchar_pattern_ops"]),
            models.Index(fields=["authority_id", "trade_rev"], name="names_index_trade_rev",
                         opclasses=["int8_ops", "varchar_pattern_ops"]),
            models.Index(fields=["authority_id", "trade_py"], name="names_index_pinyin"),
        ]

    def __str__(self) -> str:
        return self.name
