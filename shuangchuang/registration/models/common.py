"""Rules as effective-dated data, standard business-scope terms, the USCC counter and registration bars."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shuangchuang.core.models import Organisation


class RuleParameter(models.Model):
    """A period, time limit or rule version valid from a date (to a date), with its source (data/rules.json).

    `value` is None where the facts give nothing (GAP): the registration authority sets it."""

    key = models.CharField(_("key"), max_length=80, db_index=True)
    label = models.CharField(_("label"), max_length=200)
    value = models.JSONField(_("value"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.TextField(_("source"), blank=True)

    class Meta:
        verbose_name = _("registration rule")
        verbose_name_plural = _("registration rules")
        ordering = ["key", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["key", "valid_from"], name="registration_rule_key_from")]

    def __str__(self) -> str:
        return f"{self.key} @ {self.valid_from}"


class ScopeTerm(models.Model):
    """A standard business-scope wording (经营范围规范表述) an applicant picks from."""

    code = models.CharField(_("code"), max_length=16, primary_key=True)
    text = models.CharField(_("wording"), max_length=120)
    division = models.CharField(_("industry division (GB/T 4754)"), max_length=2, blank=True)
    prior_approval = models.BooleanField(_("needs a licence before registration"), default=False)

    class Meta:
        verbose_name = _("business-scope term")
        verbose_name_plural = _("business-scope terms")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.text


class UsccCounter(models.Model):
    """The next organisation-code serial of a registration region, locked (SELECT … FOR UPDATE) by each issue."""

    region = models.CharField(max_length=6, primary_key=True)
    next_serial = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("USCC counter")
        verbose_name_plural = _("USCC counters")


class BarKind(models.TextChoices):
    EQUITY_FROZEN = "equity_frozen", _("Equity frozen")
    EQUITY_PLEDGED = "equity_pledged", _("Equity pledged")
    CHATTEL_MORTGAGE = "chattel_mortgage", _("Chattel mortgage (动产抵押)")
    OUTWARD_INVESTMENT = "outward_investment", _("Holds investments in other entities")
    INVESTIGATION = "investigation", _("Under investigation or compulsory measures")
    LITIGATION = "litigation", _("In litigation or arbitration")
    UNPAID_FINE = "unpaid_fine", _("Fine not yet paid")
    DEREGISTRATION_SUSPENDED = "deregistration_suspended", _("Simplified deregistration suspended")
    OTHER = "other", _("Other bar")


class RegistrationBar(models.Model):
    """A fact in the register that bars simplified deregistration (实施细则 Art 48), recorded by a department."""

    enterprise = models.ForeignKey("registry.Enterprise", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=32, choices=BarKind.choices)
    since = models.DateField(_("since"))
    lifted_on = models.DateField(_("lifted on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    department = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("recorded by"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("registration bar")
        verbose_name_plural = _("registration bars")
        indexes = [models.Index(fields=["enterprise", "since"], name="registration_bar_enterprise")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.kind}"
