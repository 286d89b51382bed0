"""Simplified deregistration (简易注销, POLICY-FACTS §2.4): the public notice with its 承诺书, objections during
the notice, the application in the window after it, the authority's decision. The rule version in force on
the day the notice starts is stored with its periods, so a notice keeps the rules it began under."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shuangchuang.core.models import Organisation


class DeregistrationState(models.TextChoices):
    NOTICE = "notice", _("Public notice")
    APPLIED = "applied", _("Applied")
    APPROVED = "approved", _("Deregistered")
    REJECTED = "rejected", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    LAPSED = "lapsed", _("Lapsed (not applied in time)")


class Deregistration(models.Model):
    enterprise = models.ForeignKey("registry.Enterprise", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("registration authority"))
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("state"), max_length=16, choices=DeregistrationState.choices,
                             default=DeregistrationState.NOTICE, db_index=True)
    rule_version = models.CharField(_("rule version"), max_length=8)
    is_public = models.BooleanField(_("published"), default=True,
                                    help_text=_("Individual businesses are not published: departments are asked."))
    rule = models.JSONField(_("rule applied"), default=dict)
    eligibility = models.JSONField(_("eligibility check"), default=list)
    reason = models.CharField(_("ground"), max_length=16,
                              choices=[("not_started", _("Never started business")),
                                       ("no_debts", _("No claims or debts, or all settled"))])
    promise = models.FileField(_("investors' written promise (承诺书)"), upload_to="registration/promises/%Y/%m/")
    promise_content_type = models.CharField(max_length=64, blank=True)
    notice_start = models.DateField(_("notice from"))
    notice_end = models.DateField(_("notice until"))
    apply_by = models.DateField(_("apply by"))
    extended_to = models.DateField(_("extended to"), null=True, blank=True)
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    steps = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("simplified deregistration")
        verbose_name_plural = _("simplified deregistrations")
        ordering = ["-notice_start", "-id"]
        indexes = [models.Index(fields=["state", "notice_end"], name="registration_dereg_notice")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.notice_start}"


class ObjectorKind(models.TextChoices):
    DEPARTMENT = "department", _("Department")
    CREDITOR = "creditor", _("Creditor")
    PUBLIC = "public", _("Member of the public or interested party")


class ObjectionState(models.TextChoices):
    OPEN = "open", pgettext_lazy("objection", "Open")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


class Objection(models.Model):
    deregistration = models.ForeignKey(Deregistration, on_delete=models.CASCADE, related_name="objections")
    kind = models.CharField(_("objector"), max_length=16, choices=ObjectorKind.choices)
    name = models.CharField(_("name of the objector"), max_length=128)
    contact = models.CharField(_("contact (phone or e-mail)"), max_length=128)
    reason = models.TextField(_("reason"))
    amount_fen = models.BigIntegerField(_("amount claimed (fen)"), null=True, blank=True)
    department = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+")
    state = models.CharField(_("state"), max_length=16, choices=ObjectionState.choices, default=ObjectionState.OPEN)
    resolution_note = models.TextField(_("resolution"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.name}: {self.reason[:40]}"
