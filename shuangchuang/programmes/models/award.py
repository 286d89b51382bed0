"""After the decision: the public notice (公示) with objections, the award with its decision letter, agreement,
milestones and instalments, and performance evaluation (progress reports, KPIs, outcome, clawback)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shuangchuang.programmes.models.application import Application
from shuangchuang.programmes.models.programme import Call


class PublicNotice(models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="notices")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until (inclusive)"))
    applications = models.ManyToManyField(Application, related_name="notices")
    published_by = models.CharField(max_length=160)
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.title


class ObjectionState(models.TextChoices):
    OPEN = "open", pgettext_lazy("objection", "Open")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


class Objection(models.Model):
    notice = models.ForeignKey(PublicNotice, on_delete=models.PROTECT, related_name="objections")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="objections")
    name = models.CharField(_("your name"), max_length=64)
    contact = models.CharField(_("phone or e-mail"), max_length=120)
    text = models.TextField(_("objection"))
    state = models.CharField(max_length=16, choices=ObjectionState.choices, default=ObjectionState.OPEN)
    resolution = models.TextField(blank=True)
    resolved_by = models.CharField(max_length=160, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class Award(models.Model):
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="award")
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    letter_number = models.CharField(_("decision letter number"), max_length=64, unique=True)
    letter_text = models.TextField(_("decision letter"))
    decided_at = models.DateTimeField()
    ledger_entry = models.ForeignKey("programmes.SupportLedgerEntry", on_delete=models.PROTECT, related_name="+",
                                     null=True, blank=True)
    agreement_terms = models.TextField(_("agreement terms"), blank=True)
    agreement_signed_at = models.DateTimeField(_("agreement signed"), null=True, blank=True)
    outcome = models.CharField(_("evaluation outcome"), max_length=16, blank=True,
                               choices=[("excellent", _("Excellent")), ("passed", _("Passed")),
                                        ("basically_passed", _("Basically passed")), ("failed", _("Failed"))])
    outcome_note = models.TextField(blank=True)
    evaluated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.letter_number


class Milestone(models.Model):
    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    evidence = models.TextField(blank=True)
    reported_by = models.CharField(max_length=160, blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.CharField(max_length=160, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


class InstalmentState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    PAID = "paid", _("Paid")
    STOPPED = "stopped", _("Stopped")
    CANCELLED = "cancelled", _("Cancelled")


class Instalment(models.Model):
    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="instalments")
    seq = models.PositiveSmallIntegerField()
    due_on = models.DateField(_("due on"))
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    condition = models.CharField(_("condition"), max_length=300, blank=True)
    milestone = models.ForeignKey(Milestone, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    required_milestones = models.ManyToManyField(
        Milestone, blank=True, related_name="instalments_waiting",
        verbose_name=_("milestones required before payment"),
        help_text=_("Each must be reported reached and accepted by an officer before this instalment is paid."))
    state = models.CharField(max_length=16, choices=InstalmentState.choices, default=InstalmentState.PLANNED)
    checked_at = models.DateTimeField(null=True, blank=True)
    check_result = models.JSONField(default=dict, blank=True)
    screening_evidence = models.CharField(max_length=64, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    ledger_entry = models.ForeignKey("programmes.SupportLedgerEntry", on_delete=models.PROTECT, related_name="+",
                                     null=True, blank=True)

    class Meta:
        ordering = ["award", "seq"]
        constraints = [models.UniqueConstraint(fields=["award", "seq"], name="instalment_seq_unique")]


class ProgressReport(models.Model):
    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="reports")
    due_on = models.DateField(_("due on"))
    submitted_at = models.DateTimeField(null=True, blank=True)
    text = models.TextField(_("progress"), blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]


class Kpi(models.Model):
    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(_("indicator"), max_length=120)
    unit = models.CharField(_("unit"), max_length=24, blank=True)
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=2)
    actual = models.DecimalField(_("actual"), max_digits=16, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["id"]


class Clawback(models.Model):
    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="clawbacks")
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    reason = models.TextField(_("reason"))
    decided_by = models.CharField(max_length=160)
    decided_at = models.DateTimeField(auto_now_add=True)
    recovered_at = models.DateTimeField(null=True, blank=True)
    ledger_entry = models.ForeignKey("programmes.SupportLedgerEntry", on_delete=models.PROTECT, related_name="+",
                                     null=True, blank=True)
