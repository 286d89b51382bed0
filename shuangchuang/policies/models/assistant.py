"""Approved answers (FAQ) that officers curate for the policy assistant."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shuangchuang.core.models import Organisation
from shuangchuang.policies.models.documents import PolicyPart


class FaqStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Faq(models.Model):
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"))
    citations = models.ManyToManyField(PolicyPart, blank=True, related_name="faqs", verbose_name=_("cited parts"))
    department = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    status = models.CharField(_("status"), max_length=16, choices=FaqStatus.choices, default=FaqStatus.DRAFT)
    search_text = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("approved answer")
        verbose_name_plural = _("approved answers")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.question
