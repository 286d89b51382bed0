"""Programmes and their calls for applications. A call carries its rules as data: window, budget, eligibility
rule (policies rules engine), application form schema, required attachments, scoring criteria, stages used."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuangchuang.core.models import Organisation


class Stage(models.TextChoices):
    """Optional stages a programme may use (submission and decision are always there)."""

    FORMAL_CHECK = "formal_check", _("Formal screening")
    EXPERT_REVIEW = "expert_review", _("Expert review")
    SITE_VISIT = "site_visit", _("Site visit")
    COMMITTEE = "committee", _("Committee decision")
    PUBLICITY = "publicity", _("Public notice")
    AGREEMENT = "agreement", _("Agreement and milestones")
    PERFORMANCE = "performance", _("Performance evaluation")


ALL_STAGES = [s.value for s in Stage]


class Aggregation(models.TextChoices):
    MEAN = "mean", _("Mean")
    TRIMMED_MEAN = "trimmed_mean", _("Trimmed mean (highest and lowest dropped)")


class Programme(models.Model):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    department = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="programmes",
                                   verbose_name=_("department"))
    clause = models.ForeignKey("policies.PolicyPart", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("policy clause"))
    benefit = models.ForeignKey("policies.Benefit", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("policy benefit"))
    description = models.TextField(_("description"), blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    annual_cap_fen = models.BigIntegerField(
        _("cap on support per enterprise per year (fen)"), null=True, blank=True,
        help_text=_("Cumulative support from every source in the support ledger; empty for no cap."))
    annual_cap_parameter = models.CharField(
        _("cap parameter"), max_length=80, blank=True,
        help_text=_("Key of an effective-dated parameter holding the cap (used when the cap above is empty)."))
    person_annual_cap_fen = models.BigIntegerField(
        _("cap on awards per person per year (fen)"), null=True, blank=True,
        help_text=_("Talent calls: the awards decided for one natural person in a year; empty for no cap."))
    person_annual_cap_parameter = models.CharField(
        _("cap per person parameter"), max_length=80, blank=True,
        help_text=_("Key of an effective-dated parameter holding the cap per person (used when the cap above is "
                    "empty; a parameter not set on the date means no cap)."))
    refuse_double_funding = models.BooleanField(_("refuse double funding of the same project"), default=True)
    screen_legal_representative = models.BooleanField(_("screen the legal representative too"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["department__code", "code"]

    def __str__(self) -> str:
        return self.name


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


class CallQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=CallStatus.PUBLISHED, programme__is_active=True)

    def open_at(self, moment=None):
        moment = moment or timezone.now()
        return self.published().filter(online_opens_at__lte=moment, online_closes_at__gt=moment)


class Call(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="calls",
                                  verbose_name=_("programme"))
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("budget year"))
    status = models.CharField(_("status"), max_length=16, choices=CallStatus.choices, default=CallStatus.DRAFT,
                              db_index=True)
    summary = models.TextField(_("summary"), blank=True)
    online_opens_at = models.DateTimeField(_("online applications open"))
    online_closes_at = models.DateTimeField(_("online applications close"))
    paper_opens_at = models.DateTimeField(_("paper materials accepted from"), null=True, blank=True)
    paper_closes_at = models.DateTimeField(_("paper materials accepted until"), null=True, blank=True)
    paper_address = models.CharField(_("where to hand in paper materials"), max_length=300, blank=True)
    budget_fen = models.BigIntegerField(_("budget (fen)"))
    max_award_fen = models.BigIntegerField(_("maximum per application (fen)"), null=True, blank=True)
    max_award_parameter = models.CharField(
        _("maximum parameter"), max_length=80, blank=True,
        help_text=_("Key of an effective-dated parameter holding the maximum (used when the maximum is empty)."))
    rate_parameter = models.CharField(
        _("rate parameter"), max_length=80, blank=True,
        help_text=_("Key of an effective-dated share (e.g. of the sale price): the amount is at most this share "
                    "of the answer named below. Not set on the date (a gap in the facts): no formula, the "
                    "department decides."))
    rate_base_field = models.CharField(_("rate base (a money field of the form)"), max_length=40, blank=True)
    mechanism = models.CharField(
        _("special mechanism"), max_length=24, blank=True,
        choices=[("", _("None")), ("loan_interest", _("Loan-interest subsidy calculator")),
                 ("space_lease", _("Lease offers of innovative industrial space"))],
        help_text=_("Loan-interest subsidy: the interest actually paid is computed from the loan answers and the "
                    "share (the rate parameter) of it, capped by the maximum, is proposed. Space: after ranking, "
                    "lease offers are made to ranked applications and pass down the ranking when declined."))
    day_basis = models.PositiveSmallIntegerField(
        _("day count of loan interest (days a year)"), choices=[(360, _("360 days")), (365, _("365 days"))],
        default=360,
        help_text=_("Loan-interest calls: interest = balance × annual rate × days ÷ this number. The default 360 is "
                    "the usual day count of RMB loan interest (daily rate = annual rate ÷ 360); the policy facts fix "
                    "none, so set 365 where the loans of the call count that way. A form field 'day_basis' (the "
                    "loan contract's own count) overrides it for one application."))
    person_applicants = models.BooleanField(
        _("applied for by natural persons"), default=False,
        help_text=_("Talent calls: a person applies for himself or herself (real-name account, no enterprise); "
                    "the conditions are the form's validation."))
    person_annual_cap_fen = models.BigIntegerField(
        _("cap on awards per person per year in this call (fen)"), null=True, blank=True,
        help_text=_("Overrides the programme's cap per person; empty to use the programme's."))
    employer_field = models.CharField(
        _("employer (a text field of the form holding the employer's USCC)"), max_length=40, blank=True)
    person_id_field = models.CharField(
        _("person screened (an ID-number field of the form)"), max_length=40, blank=True,
        help_text=_("For talent programmes: the person named in this answer is screened by ID number at "
                    "submission, decision and every payment."))
    rule = models.JSONField(_("eligibility rule"), default=dict, blank=True)
    form_schema = models.JSONField(_("application form"), default=dict, blank=True)
    attachments = models.JSONField(_("required attachments"), default=list, blank=True)
    criteria = models.JSONField(_("scoring criteria"), default=list, blank=True)
    stages = models.JSONField(_("stages used"), default=list, blank=True)
    expert_field = models.CharField(_("expert field"), max_length=64, blank=True)
    reviewers_per_application = models.PositiveSmallIntegerField(_("reviewers per application"), default=3)
    review_days = models.PositiveSmallIntegerField(_("days for a review"), null=True, blank=True)
    aggregation = models.CharField(_("aggregation"), max_length=16, choices=Aggregation.choices,
                                   default=Aggregation.MEAN)
    pass_score = models.DecimalField(_("pass score"), max_digits=6, decimal_places=2, null=True, blank=True)
    publicity_days = models.PositiveSmallIntegerField(
        _("public notice period (days)"), null=True, blank=True,
        help_text=_("Set by the officer; the policy facts do not fix it for every programme."))
    instalments = models.JSONField(
        _("instalments"), default=list, blank=True,
        help_text=_('Shares of the award and months after the decision, e.g. [{"share": "0.2", "months": 0}].'))
    report_every_months = models.PositiveSmallIntegerField(_("progress report every (months)"), null=True,
                                                           blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")
        ordering = ["-online_opens_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def uses(self, stage: str) -> bool:
        return stage in (self.stages or [])

    def is_open(self, moment=None) -> bool:
        moment = moment or timezone.now()
        return (self.status == CallStatus.PUBLISHED and self.online_opens_at <= moment < self.online_closes_at)

    @property
    def department(self) -> Organisation:
        return self.programme.department
