"""Matching and push: who was told about which benefit, push progress, saved searches with alerts."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shuangchuang.core.models import Organisation
from shuangchuang.policies.models.benefits import Benefit


class PushStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class BenefitPush(models.Model):
    """One background run that tells every matching enterprise about a benefit, with its progress."""

    benefit = models.ForeignKey(Benefit, on_delete=models.CASCADE, related_name="pushes")
    benefit_version = models.PositiveIntegerField()
    reason = models.CharField(max_length=16, default="published")
    status = models.CharField(max_length=16, choices=PushStatus.choices, default=PushStatus.QUEUED)
    on = models.DateField(help_text=_("The date the rule is evaluated on."))
    total = models.PositiveIntegerField(default=0, help_text=_("Matching enterprises when the push started."))
    processed = models.PositiveIntegerField(default=0)
    notified = models.PositiveIntegerField(default=0, help_text=_("Enterprises told for the first time."))
    messages = models.PositiveIntegerField(default=0, help_text=_("Inbox messages to the people of those enterprises."))
    max_id = models.BigIntegerField(default=0)
    cursor = models.BigIntegerField(default=0, help_text=_("Enterprises with an id up to this one are done."))
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("benefit push")
        verbose_name_plural = _("benefit pushes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.benefit} push #{self.pk}"

    @property
    def percent(self) -> int:
        if self.status == PushStatus.DONE:
            return 100
        if not self.max_id:
            return 0
        return min(99, int(self.cursor * 100 / self.max_id))


class BenefitNotice(models.Model):
    """An enterprise was told about a benefit — once per benefit, whatever the number of pushes."""

    benefit = models.ForeignKey(Benefit, on_delete=models.CASCADE, related_name="notices")
    enterprise = models.ForeignKey("registry.Enterprise", on_delete=models.CASCADE, related_name="+")
    push = models.ForeignKey(BenefitPush, on_delete=models.SET_NULL, null=True, blank=True, related_name="notices")
    created_at = models.DateTimeField(auto_now_add=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("benefit notice")
        verbose_name_plural = _("benefit notices")
        constraints = [models.UniqueConstraint(fields=["benefit", "enterprise"], name="benefit_notice_once")]
        indexes = [models.Index(fields=["enterprise", "-created_at"], name="notice_enterprise"),
                   models.Index(fields=["push"], name="notice_push")]


class DigestFrequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


def new_token() -> str:
    return secrets.token_urlsafe(24)


class SavedSearch(models.Model):
    """A person's saved policy search; new matching policies and benefits arrive in a daily or weekly digest."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="policy_searches")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("search words"), max_length=200, blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    frequency = models.CharField(_("frequency"), max_length=8, choices=DigestFrequency.choices,
                                 default=DigestFrequency.WEEKLY)
    is_active = models.BooleanField(_("active"), default=True)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name
