"""Expert review: the pool of experts by field, assignments with the conflict-of-interest declaration and the
scored review, site visits."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shuangchuang.programmes.models.application import Application


class ExpertProfile(models.Model):
    """An expert of the pool. Only people with an active reviewer membership are drawn."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_profile")
    fields = models.JSONField(_("fields"), default=list, blank=True)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    related_usccs = models.JSONField(
        _("related enterprises"), default=list, blank=True,
        help_text=_("USCCs of enterprises the expert is related to (employment, shares, family); excluded "
                    "automatically."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")

    def __str__(self) -> str:
        return str(self.user)


class ConflictKind(models.TextChoices):
    NONE = "", _("No conflict")
    RELATED_FIRM = "related_firm", _("I work for, advise or hold shares in the applicant or a related firm")
    SAME_INSTITUTION = "same_institution", _("The applicant's team is from my institution")
    FAMILY = "family", _("A close relative is involved")
    COMPETITOR = "competitor", _("I or my employer compete directly with the applicant")
    OTHER = "other", _("Another reason")


class Assignment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)
    due_at = models.DateTimeField(null=True, blank=True)
    declared_at = models.DateTimeField(null=True, blank=True)
    conflict = models.BooleanField(null=True, help_text="None until declared.")
    conflict_kind = models.CharField(max_length=24, choices=ConflictKind.choices, blank=True)
    conflict_note = models.CharField(max_length=300, blank=True)
    scores = models.JSONField(default=dict, blank=True)
    total = models.DecimalField(max_digits=7, decimal_places=3, null=True, blank=True)
    comment = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application", "id"]
        constraints = [models.UniqueConstraint(fields=["application", "reviewer"], name="assignment_unique")]
        indexes = [models.Index(fields=["reviewer", "submitted_at"], name="assignment_reviewer_open")]


class SiteVisit(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="site_visits")
    visited_on = models.DateField(_("visited on"))
    visitors = models.CharField(_("visitors"), max_length=300)
    findings = models.TextField(_("findings"))
    recommendation = models.CharField(_("recommendation"), max_length=16,
                                      choices=[("support", _("Support")), ("doubts", _("Doubts")),
                                               ("against", _("Against"))])
    recorded_by = models.CharField(max_length=160)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["visited_on", "id"]
