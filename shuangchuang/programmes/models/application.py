"""Applications to a call, their files and their history of transitions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shuangchuang.core.models import Organisation
from shuangchuang.programmes.models.programme import Call


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    INFO_REQUESTED = "info_requested", _("More information requested")
    REVIEW = "review", _("In expert review")
    REVIEWED = "reviewed", _("Reviewed")
    PROPOSED = "proposed", _("Proposed for award")
    PUBLICITY = "publicity", _("In public notice")
    AWARDED = "awarded", _("Awarded")
    COMPLETED = "completed", _("Completed")
    TERMINATED = "terminated", _("Terminated")
    REJECTED = "rejected", _("Not funded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATES = {State.SUBMITTED, State.INFO_REQUESTED, State.REVIEW, State.REVIEWED, State.PROPOSED, State.PUBLICITY}


class Application(models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("call"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="programme_applications",
                                     verbose_name=_("applicant"), null=True, blank=True,
                                     help_text="Empty when a natural person applies (talent calls).")
    enterprise = models.ForeignKey("registry.Enterprise", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("enterprise"), null=True, blank=True)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                               blank=True, verbose_name=_("person applying"),
                               help_text="The natural person who applies to a talent call (no enterprise).")
    employer = models.ForeignKey("registry.Enterprise", on_delete=models.PROTECT, related_name="+", null=True,
                                 blank=True, verbose_name=_("employer"),
                                 help_text="The employer named in a person's answers, found in the register; the "
                                           "person's award is recorded in its support ledger.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   null=True, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    project_title = models.CharField(_("project title"), max_length=200)
    project_key = models.CharField(_("project reference"), max_length=120, blank=True, db_index=True,
                                   help_text=_("Contract, equipment or project number; the same project is not "
                                               "funded twice."))
    requested_fen = models.BigIntegerField(_("amount requested (fen)"))
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    eligibility = models.JSONField(default=dict, blank=True)
    screening_evidence = models.CharField(_("screening evidence"), max_length=64, blank=True)
    screening_evidence_rep = models.CharField(max_length=64, blank=True)
    screening_evidence_person = models.CharField(max_length=64, blank=True)
    info_request = models.TextField(_("information requested"), blank=True)
    score_mean = models.DecimalField(max_digits=7, decimal_places=3, null=True, blank=True)
    score_trimmed = models.DecimalField(max_digits=7, decimal_places=3, null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=3, null=True, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    proposed_fen = models.BigIntegerField(_("proposed amount (fen)"), null=True, blank=True)
    allocation_note = models.CharField(max_length=300, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    state_changed_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(
            condition=models.Q(person__isnull=False) | (models.Q(organisation__isnull=False)
                                                       & models.Q(enterprise__isnull=False)),
            name="application_has_an_applicant")]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["call", "state"], name="application_call_state"),
            models.Index(fields=["call", "rank"], name="application_call_rank"),
            models.Index(fields=["organisation", "state"], name="application_org_state"),
        ]

    def __str__(self) -> str:
        return f"{self.project_title} ({self.pk})"

    @property
    def by_person(self) -> bool:
        return self.person_id is not None

    @property
    def ledger_enterprise(self):
        """The enterprise whose support ledger records this application's amounts: the applicant enterprise, or the
        employer of a person applying; None for a person with no employer in the register."""
        return self.employer if self.person_id is not None else self.enterprise

    @property
    def applicant_name(self) -> str:
        if self.person_id is not None:
            return self.person.full_name or self.person.username
        return self.enterprise.name if self.enterprise_id else ""

    @property
    def reference(self) -> str:
        return f"P{self.call_id:04d}-{self.pk:06d}"


class ApplicationFile(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    slot = models.CharField(max_length=64, help_text="The form field or required attachment the file answers.")
    file = models.FileField(upload_to="programmes/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slot", "id"]


class ApplicationStep(models.Model):
    """One transition of an application (its visible history; the audit log holds the same)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps")
    transition = models.CharField(max_length=32)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16)
    note = models.TextField(blank=True)
    actor_label = models.CharField(max_length=160, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
