"""Effective-dated parameters and the benefits a policy offers, each with its eligibility rule."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shuangchuang.core.models import Organisation
from shuangchuang.policies.models.documents import PolicyDocument, PolicyPart, split_codes


class ParameterKind(models.TextChoices):
    MONEY = "money", _("Amount (fen)")
    DECIMAL = "decimal", _("Decimal number or rate")
    INTEGER = "integer", _("Whole number")
    JSON = "json", _("Structured value")


class Parameter(models.Model):
    """One value of a rate, cap or period, valid from a date (to a date), with its source.

    `value` is None when the facts do not give it (a GAP): an officer of `department` sets it. Decimals are kept as
    strings in the JSON so they stay exact; money is integer fen.
    """

    key = models.CharField(_("key"), max_length=80, db_index=True)
    label = models.CharField(_("label"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=ParameterKind.choices)
    unit = models.CharField(_("unit"), max_length=16, blank=True)
    value = models.JSONField(_("value"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.TextField(_("source"), blank=True, help_text=_("The citation the value comes from."))
    note = models.TextField(_("note"), blank=True)
    department = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    set_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("parameter")
        verbose_name_plural = _("parameters")
        ordering = ["key", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["key", "valid_from"], name="parameter_key_from_unique")]

    def __str__(self) -> str:
        return f"{self.key} @ {self.valid_from}"

    @property
    def is_set(self) -> bool:
        return self.value is not None


class BenefitKind(models.TextChoices):
    SUBSIDY = "subsidy", _("Subsidy")
    VOUCHER = "voucher", _("Voucher")
    TAX_DEDUCTION = "tax_deduction", _("Tax deduction")
    TAX_CREDIT = "tax_credit", _("Tax credit")
    AWARD = "award", _("Award")
    SERVICE = "service", _("Service")
    SPACE = "space", _("Space")
    LOAN = "loan", _("Loan")
    RECOGNITION = "recognition", _("Recognition")


class BenefitStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Audience(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprises (judged on register facts)")
    APPLICANT = "applicant", _("Organisations that qualify on application (the register cannot tell which)")
    PERSON = "person", _("Individuals (conditions checked on application)")


class BenefitQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=BenefitStatus.PUBLISHED, document__status="published")


class Benefit(models.Model):
    """What a policy offers, with its amount formula or cap, its eligibility rule and the clause granting it."""

    code = models.SlugField(_("code"), max_length=80, unique=True)
    document = models.ForeignKey(PolicyDocument, on_delete=models.PROTECT, related_name="benefits")
    part = models.ForeignKey(PolicyPart, on_delete=models.SET_NULL, null=True, blank=True, related_name="benefits",
                             verbose_name=_("clause"))
    department = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="policy_benefits",
                                   verbose_name=_("department"))
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=BenefitKind.choices)
    summary = models.TextField(_("summary"), blank=True)
    amount_text = models.TextField(_("amount or formula"), blank=True)
    amount_params = models.JSONField(_("parameters of the amount"), default=list, blank=True)
    amount_by = models.JSONField(
        _("amount by fact"), default=dict, blank=True,
        help_text=_('The cap that applies to an enterprise, by one of its facts: {"fact": "size_class", '
                    '"params": {"small": "voucher.cap.small"}}.'),
    )
    audience = models.CharField(_("who can receive it"), max_length=16, choices=Audience.choices,
                                default=Audience.ENTERPRISE)
    rule = models.JSONField(_("eligibility rule"), default=dict)
    checked_at_application = models.TextField(
        _("conditions checked on application"), blank=True,
        help_text=_("Conditions the register cannot show (one per line); they are checked when the enterprise applies."),
    )
    citation = models.TextField(_("citation"), blank=True)
    beneficiary_types = models.CharField(max_length=200, blank=True)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True,
                                help_text=_("Words people use for this benefit, for the assistant."))
    status = models.CharField(_("status"), max_length=16, choices=BenefitStatus.choices, default=BenefitStatus.DRAFT,
                              db_index=True)
    opens_on = models.DateField(_("applications open on"), null=True, blank=True)
    apply_until = models.DateField(_("applications close on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    search_text = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BenefitQuerySet.as_manager()

    class Meta:
        verbose_name = _("benefit")
        verbose_name_plural = _("benefits")
        ordering = ["document", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def beneficiary_codes(self) -> list[str]:
        return split_codes(self.beneficiary_types)
