"""Voucher schemes (科技创新券, district 租房券) and the providers registered (入库) per category and year."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shuangchuang.core.models import Organisation


class SchemeKind(models.TextChoices):
    INNOVATION = "innovation", _("Innovation voucher (科技创新券)")
    RENT = "rent", _("Rent voucher (租房券)")


class ServiceCategory(models.TextChoices):
    """What a voucher buys. The first eight are the innovation-voucher service scope (POLICY-FACTS §5); the last
    two are what a rent voucher pays for (§12)."""

    RESEARCH = "research", _("Research and development (研究开发)")
    TRANSFER = "transfer", _("Technology transfer (技术转移)")
    TESTING = "testing", _("Testing, inspection and certification (检验检测认证)")
    INCUBATION = "incubation", _("Start-up incubation (创业孵化)")
    IP = "ip", _("Intellectual property (知识产权)")
    CONSULTING = "consulting", _("Science and technology consulting (科技咨询)")
    FINANCE = "finance", _("Science and technology finance (科技金融)")
    POPULARISATION = "popularisation", _("Science popularisation (科学技术普及)")
    HOUSING = "housing", _("Rented housing (租赁住房)")
    TALENT_HOUSING = "talent_housing", _("Talent housing (人才住房)")


INNOVATION_CATEGORIES = [c.value for c in list(ServiceCategory)[:8]]
RENT_CATEGORIES = [ServiceCategory.HOUSING.value, ServiceCategory.TALENT_HOUSING.value]

# The roles a scheme reads from effective-dated parameters (policies.Parameter), by key.
PARAMETER_ROLES = (
    "cap.large", "cap.medium", "cap.small", "cap.micro", "cap.maker", "cap.founder", "max_applications_per_year",
    "max_share_of_fee", "validity_months", "annual_cap_per_entity", "small_balance_threshold",
    "small_balance_counts_as_used",
)


class Scheme(models.Model):
    """A voucher scheme of one department: who may apply (a rule), what it buys, and where its numbers come from.

    Caps, shares, counts and periods are effective-dated parameters named in `parameters` ({role: key}), read on
    the date of the act; the yearly budget is a SchemeYear with its ledger accounts."""

    code = models.SlugField(_("code"), max_length=48, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=SchemeKind.choices)
    name = models.CharField(_("name"), max_length=128)
    department = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("owning department"))
    district = models.ForeignKey("registry.District", on_delete=models.PROTECT, null=True, blank=True,
                                 verbose_name=_("district"), help_text=_("For a district scheme (rent vouchers)."))
    legal_basis = models.TextField(_("legal basis"))
    summary = models.TextField(_("summary"), blank=True)
    rule = models.JSONField(_("eligible applicants"), default=dict, blank=True,
                            help_text=_("An eligibility rule over the register (policies rules engine)."))
    accepts_enterprises = models.BooleanField(_("enterprises apply"), default=True)
    accepts_makers = models.BooleanField(_("makers apply through a maker space or a firm"), default=False)
    accepts_founders = models.BooleanField(_("founders apply"), default=False)
    categories = models.JSONField(_("service categories"), default=list)
    parameters = models.JSONField(_("parameter keys"), default=dict, blank=True)
    publicity_days = models.PositiveSmallIntegerField(
        _("publicity period (days)"), default=5,
        help_text=_("Set by the department; the facts give no number (GAP)."))
    settlement_delay_days = models.PositiveSmallIntegerField(
        _("settlement delay (days)"), default=3,
        help_text=_("Payments wait this long in their batch, so an erroneous one can still be cancelled."))
    is_open = models.BooleanField(_("open for applications"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("voucher scheme")
        verbose_name_plural = _("voucher schemes")
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name

    def parameter_key(self, role: str) -> str:
        return self.parameters.get(role, "")


class SchemeYear(models.Model):
    """The budget of a scheme for one calendar year; its money lives in the ledger accounts."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="years")
    year = models.PositiveSmallIntegerField(_("year"))
    budget_fen = models.BigIntegerField(_("yearly budget (fen)"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("scheme year")
        verbose_name_plural = _("scheme years")
        ordering = ["scheme", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "year"], name="vouchers_scheme_year_unique"),
            models.CheckConstraint(condition=models.Q(budget_fen__gte=0), name="vouchers_scheme_year_budget_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} {self.year}"


class RegistrationState(models.TextChoices):
    APPLIED = "applied", _("Applied")
    APPROVED = "approved", _("Registered")
    REJECTED = "rejected", _("Rejected")
    REVOKED = "revoked", _("Revoked")


class ProviderRegistration(models.Model):
    """A provider's registration (入库) for one service category of one scheme in one year."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="registrations")
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("provider"))
    category = models.CharField(_("service category"), max_length=24, choices=ServiceCategory.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    state = models.CharField(_("state"), max_length=16, choices=RegistrationState.choices,
                             default=RegistrationState.APPLIED, db_index=True)
    description = models.TextField(_("qualifications and services"), blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    screening_evidence = models.CharField(max_length=36, blank=True)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    applied_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("provider registration")
        verbose_name_plural = _("provider registrations")
        ordering = ["scheme", "-year", "category", "provider__name"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "provider", "category", "year"],
                                    name="vouchers_registration_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.provider} · {self.get_category_display()} · {self.year}"


class ProviderService(models.Model):
    """One service with its price in the public catalogue."""

    registration = models.ForeignKey(ProviderRegistration, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(_("service"), max_length=128)
    description = models.TextField(_("description"), blank=True)
    price_fen = models.BigIntegerField(_("price (fen)"))
    unit = models.CharField(_("unit"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("provider service")
        verbose_name_plural = _("provider services")
        ordering = ["registration", "name"]
        constraints = [models.CheckConstraint(condition=models.Q(price_fen__gte=0), name="vouchers_price_gte_0")]

    def __str__(self) -> str:
        return self.name
