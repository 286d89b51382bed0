"""The enterprise register and its reference data (districts, GB/T 4754 industries, SME size standard).

Money is integer fen. Reference data is loaded from registry/data/*.json by registry.reference.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shuangchuang.core.models import Organisation


class District(models.Model):
    """A district or new area of the city (GB/T 2260 code where it has one)."""

    key = models.CharField(max_length=16, unique=True, help_text=_("GB/T 2260 code, or a key where there is none."))
    code = models.CharField(_("GB/T 2260 code"), max_length=6, null=True, blank=True, unique=True)
    name = models.CharField(_("name"), max_length=32)
    name_en = models.CharField(_("English name"), max_length=64, blank=True)
    kind = models.CharField(max_length=16, choices=[("district", _("District")), ("new_area", _("New area"))])
    demo_share = models.DecimalField(max_digits=5, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name


class IndustrySection(models.Model):
    code = models.CharField(_("code"), max_length=1, primary_key=True)
    name = models.CharField(_("name"), max_length=64)

    class Meta:
        verbose_name = _("industry section (GB/T 4754)")
        verbose_name_plural = _("industry sections (GB/T 4754)")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class IndustryDivision(models.Model):
    code = models.CharField(_("code"), max_length=2, primary_key=True)
    section = models.ForeignKey(IndustrySection, on_delete=models.PROTECT, related_name="divisions")
    name = models.CharField(_("name"), max_length=64)
    size_category = models.CharField(max_length=32, help_text=_("Row of the SME size standard this division uses."))
    name_terms = models.JSONField(default=list, blank=True, help_text=_("Industry wording used in enterprise names."))

    class Meta:
        verbose_name = _("industry division (GB/T 4754)")
        verbose_name_plural = _("industry divisions (GB/T 4754)")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SizeStandardRow(models.Model):
    """One industry row of the 2011 SME size standard; thresholds in 万元 and persons."""

    category = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=64)
    metrics = models.JSONField(default=list)
    sme_ceiling = models.JSONField(default=dict)
    medium = models.JSONField(default=dict)
    small = models.JSONField(default=dict)
    boundary_below_is_strict = models.BooleanField(default=True)
    source = models.TextField(blank=True)

    class Meta:
        verbose_name = _("SME size standard row")
        verbose_name_plural = _("SME size standard")

    def __str__(self) -> str:
        return self.name


class SizeClassOverride(models.Model):
    """A GB/T 4754 class (4 digits) that uses another row of the size standard than its division."""

    class_code = models.CharField(max_length=4, primary_key=True)
    name = models.CharField(max_length=64)
    size_category = models.CharField(max_length=32)


class NaturalPerson(models.Model):
    """A natural person in the register (legal representatives, investors), keyed by ID number."""

    id_number = models.CharField(_("ID number"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=64, db_index=True)

    class Meta:
        verbose_name = _("natural person")
        verbose_name_plural = _("natural persons")

    def __str__(self) -> str:
        return self.name


class LegalForm(models.TextChoices):
    LLC = "llc", _("Limited liability company (有限责任公司)")
    JSC = "jsc", _("Joint-stock company (股份有限公司)")
    SOLE = "sole", _("Sole proprietorship (个人独资企业)")
    PARTNERSHIP = "partnership", _("Partnership (合伙企业)")
    BRANCH = "branch", _("Branch (分公司)")
    INDIVIDUAL = "individual", _("Individual business (个体工商户)")
    COOPERATIVE = "cooperative", _("Farmers' cooperative (农民专业合作社)")


class EnterpriseStatus(models.TextChoices):
    OPERATING = "operating", _("Operating (存续)")
    DEREGISTERED = "deregistered", _("Deregistered (注销)")
    REVOKED = "revoked", _("Licence revoked (吊销)")
    MOVED_OUT = "moved_out", _("Moved out (迁出)")
    SUSPENDED = "suspended", _("Suspended (停业)")
    LIQUIDATING = "liquidating", _("In liquidation (清算)")


class SizeClass(models.TextChoices):
    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")


class EnterpriseQuerySet(models.QuerySet):
    def operating(self):
        return self.filter(status=EnterpriseStatus.OPERATING)

    def with_reference(self):
        return self.select_related("district", "industry", "industry__section", "registration_authority")


class Enterprise(models.Model):
    uscc = models.CharField(_("USCC"), max_length=18, unique=True)
    old_registration_number = models.CharField(_("old registration number"), max_length=15, blank=True)
    name = models.CharField(_("name"), max_length=128, db_index=True)
    trade_name = models.CharField(_("trade name (字号)"), max_length=32, db_index=True, blank=True)
    legal_form = models.CharField(_("legal form"), max_length=16, choices=LegalForm.choices)
    registration_authority = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("registration authority"),
    )
    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("district"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    industry = models.ForeignKey(
        IndustryDivision, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("industry (GB/T 4754)")
    )
    industry_class_code = models.CharField(_("industry class (4 digits)"), max_length=4, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=EnterpriseStatus.choices, default=EnterpriseStatus.OPERATING, db_index=True
    )
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    legal_representative = models.ForeignKey(
        NaturalPerson, on_delete=models.PROTECT, null=True, blank=True, related_name="enterprises",
        verbose_name=_("legal representative"),
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="branches",
        verbose_name=_("head office (for branches)"),
    )
    registered_capital_fen = models.BigIntegerField(_("registered capital (fen)"), null=True, blank=True)
    employees = models.IntegerField(_("employees"), null=True, blank=True)
    revenue_fen = models.BigIntegerField(_("revenue (fen)"), null=True, blank=True)
    total_assets_fen = models.BigIntegerField(_("total assets (fen)"), null=True, blank=True)
    rd_expense_fen = models.BigIntegerField(_("R&D expense (fen)"), null=True, blank=True)
    financial_year = models.IntegerField(_("financial year of the figures"), null=True, blank=True)
    high_tech_certificate = models.CharField(_("high-tech enterprise certificate"), max_length=32, blank=True)
    high_tech_valid_from = models.DateField(null=True, blank=True)
    high_tech_valid_to = models.DateField(null=True, blank=True)
    is_tech_sme = models.BooleanField(_("tech-SME (科技型中小企业)"), default=False)
    is_listed = models.BooleanField(_("listed"), default=False)
    size_class = models.CharField(
        _("size class"), max_length=8, choices=SizeClass.choices, blank=True, db_index=True,
        help_text=_("Computed from industry, employees, revenue and assets by the 2011 SME standard."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        indexes = [
            models.Index(fields=["district", "industry"], name="enterprise_district_industry"),
            # Eligibility rules (policies) filter on these columns: on PostgreSQL the INCLUDE columns make a rule's
            # count an index-only scan (docs/PERFORMANCE.md, Policies); other databases get the key columns only.
            models.Index(fields=["status", "district", "industry", "size_class"], name="enterprise_rule_facts",
                         include=["employees", "founded_on", "revenue_fen", "total_assets_fen", "rd_expense_fen"]),
        ]

    def __str__(self) -> str:
        return self.name
