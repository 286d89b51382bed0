"""Credit lists and their entries, the restriction table, screening evidence and adjudications, list imports,
background jobs (re-screening, bulk screening, late annual-report filers), annual reports and credit repair.

Models hold data and simple invariants only; every write goes through credit.services.
Rules and formats: POLICY-FACTS §3 (企业信息公示暂行条例, 失信被执行人, 财库〔2016〕125号, 深圳经济特区社会信用条例).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shuangchuang.core.models import Organisation


class ListKind(models.TextChoices):
    ABNORMAL_OPERATION = "abnormal_operation", _("Abnormal-operation list")
    SERIOUS_VIOLATION = "serious_violation", _("Serious-violation list")
    DISHONEST_DEBTOR = "dishonest_debtor", _("Dishonest judgment debtors")
    MAJOR_TAX_VIOLATION = "major_tax_violation", _("Major tax-violation parties")
    PROCUREMENT_VIOLATION = "procurement_violation", _("Procurement-violation records")
    ADMIN_PENALTY = "admin_penalty", _("Administrative penalties")
    ADMIN_LICENCE = "admin_licence", _("Administrative licences")
    CUSTOM = "custom", _("List defined by a department")


class SubjectType(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise or organisation")
    PERSON = "person", _("Natural person")


class SubjectScope(models.TextChoices):
    ENTERPRISES = "enterprises", _("Enterprises only")
    PERSONS = "persons", _("Persons only")
    BOTH = "both", _("Enterprises and persons")


class Action(models.TextChoices):
    """Acts that other modules ask about before they give anything (screening `action`)."""

    PROCUREMENT = "procurement", _("Government procurement")
    BIDDING = "bidding", _("Bidding for public works")
    SPECIAL_FUND = "special_fund", _("Application for special funds")
    VOUCHER = "voucher", _("Innovation or rent voucher")
    REGISTRATION = "registration", _("Commercial registration act")
    LEGAL_REPRESENTATIVE = "legal_representative", _("Becoming legal representative of an enterprise")
    LAND_TRANSFER = "land_transfer", _("Transfer of state-owned land")
    HONOURS = "honours", _("Honours and awards")
    ADMIN_APPROVAL = "admin_approval", _("Administrative approval")
    FINANCING = "financing", _("Financing and credit")
    MARKET_ACCESS = "market_access", _("Market access")
    QUALIFICATION = "qualification", _("Qualification recognition")


class CreditList(models.Model):
    """A list or record set (名录/名单) kept by one issuing department, with its rules as data."""

    code = models.SlugField(_("code"), max_length=48, unique=True)
    name = models.CharField(_("name"), max_length=128)
    name_en = models.CharField(_("English name"), max_length=160, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=ListKind.choices, default=ListKind.CUSTOM)
    department = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="credit_lists", verbose_name=_("issuing department"),
    )
    subjects = models.CharField(_("subjects"), max_length=12, choices=SubjectScope.choices,
                                default=SubjectScope.ENTERPRISES)
    description = models.TextField(_("description"), blank=True)
    legal_basis = models.TextField(_("legal basis"))
    listing_rules = models.TextField(_("listing rules"), blank=True)
    removal_rules = models.TextField(_("removal rules"), blank=True)
    is_public = models.BooleanField(
        _("public"), default=True,
        help_text=_("Entries of a public list are shown to anyone (personal ID numbers masked)."),
    )
    is_restrictive = models.BooleanField(
        _("a listing"), default=True,
        help_text=_("Off for record sets such as administrative licences, which are published but are not a listing."),
    )
    term_months = models.PositiveIntegerField(
        _("listing period (months)"), null=True, blank=True,
        help_text=_("An entry leaves the list this long after listing unless it says otherwise. "
                    "Empty: no fixed period."),
    )
    repair_allowed = models.BooleanField(_("credit repair allowed"), default=False)
    repair_min_months = models.PositiveIntegerField(
        _("minimum publicity period before repair (months)"), null=True, blank=True,
    )
    repair_hides_entry = models.BooleanField(
        _("repair removes the entry from publicity"), default=True,
        help_text=_("Otherwise the entry stays public, marked as repaired."),
    )
    escalate_to = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("escalates to"),
    )
    escalate_after_months = models.PositiveIntegerField(_("escalate after (months unremedied)"), null=True, blank=True)
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Raised by every change of the list, its entries or restrictions."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("credit list")
        verbose_name_plural = _("credit lists")
        ordering = ["department__code", "code"]

    def __str__(self) -> str:
        return self.name


class EntryStatus(models.TextChoices):
    ACTIVE = "active", _("On the list")
    REMOVED = "removed", _("Removed")
    REPAIRED = "repaired", _("Repaired")
    EXPIRED = "expired", _("Period ended")


class ListEntry(models.Model):
    """One listed party (or one published record) on a list. Each change raises `version` and keeps the
    previous content as an EntryRevision; adjudications hold only for the version they were made on."""

    credit_list = models.ForeignKey(CreditList, on_delete=models.PROTECT, related_name="entries",
                                    verbose_name=_("list"))
    subject_type = models.CharField(_("subject"), max_length=12, choices=SubjectType.choices,
                                    default=SubjectType.ENTERPRISE)
    name = models.CharField(_("name"), max_length=200)
    uscc = models.CharField(_("USCC"), max_length=18, blank=True, db_index=True)
    org_code = models.CharField(_("organisation code"), max_length=9, blank=True)
    old_registration_number = models.CharField(_("old registration number"), max_length=15, blank=True)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    sex = models.CharField(_("sex"), max_length=8, blank=True)
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=64, blank=True)
    legal_representative_id_number = models.CharField(_("ID number of the legal representative"), max_length=18,
                                                      blank=True)
    reason = models.TextField(_("reason / act"))
    authority = models.CharField(_("deciding authority"), max_length=128, blank=True)
    document_number = models.CharField(_("document number"), max_length=128, blank=True)
    case_number = models.CharField(_("case number"), max_length=128, blank=True)
    obligation = models.TextField(_("obligation"), blank=True)
    performance = models.CharField(_("performance"), max_length=200, blank=True)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    listed_on = models.DateField(_("listed on"), db_index=True)
    expires_on = models.DateField(_("leaves the list on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=EntryStatus.choices, default=EntryStatus.ACTIVE,
                              db_index=True)
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    removal_reason = models.CharField(_("removal reason"), max_length=200, blank=True)
    is_public = models.BooleanField(_("public"), default=True)
    extra = models.JSONField(_("other fields"), default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    source_key = models.CharField(max_length=64, help_text=_("Identifies the entry across imports of the same source."))
    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.SET_NULL, null=True, blank=True, related_name="credit_entries",
        verbose_name=_("registered enterprise"),
    )
    escalated_from = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # normalised name (see credit.normalise), kept for scoring without re-parsing
    name_key = models.CharField(max_length=200, blank=True)
    name_regions = models.CharField(max_length=64, blank=True)
    name_form = models.CharField(max_length=16, blank=True)
    import_batch = models.ForeignKey("ImportBatch", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("list entry")
        verbose_name_plural = _("list entries")
        ordering = ["-listed_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["credit_list", "source_key"], name="credit_entry_source_key")]
        indexes = [
            models.Index(fields=["credit_list", "status", "-listed_on"], name="credit_entry_list_status"),
            models.Index(fields=["enterprise", "status"], name="credit_entry_enterprise"),
            models.Index(fields=["id_number"], name="credit_entry_id_number"),
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.credit_list.name}" if self.credit_list_id else self.name


class EntryKey(models.Model):
    """Look-up keys of an entry (USCC, organisation code, ID number, normalised name, pinyin, near-name
    neighbourhood), so a screening finds its candidates in one index look-up instead of a scan."""

    key = models.CharField(max_length=210, db_index=True)
    entry = models.ForeignKey(ListEntry, on_delete=models.CASCADE, related_name="keys")

    class Meta:
        verbose_name = _("entry look-up key")
        constraints = [models.UniqueConstraint(fields=["entry", "key"], name="credit_entrykey_unique")]


class EnterpriseKey(models.Model):
    """Look-up keys of a registered enterprise's name and codes (the same keys a screening of it would use),
    kept so that re-screening the register is a join of two indexed key tables instead of a parse of every name."""

    enterprise = models.ForeignKey("registry.Enterprise", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=210, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enterprise", "key"], name="credit_enterprisekey_unique")]


class EnterpriseKeyState(models.Model):
    """When an enterprise's keys were computed; an enterprise changed since (updated_at) gets new keys."""

    enterprise = models.OneToOneField("registry.Enterprise", on_delete=models.CASCADE, primary_key=True,
                                      related_name="credit_key_state")
    computed_at = models.DateTimeField()


class EntryRevision(models.Model):
    """The content of an entry before a change (its history is kept after removal and repair)."""

    entry = models.ForeignKey(ListEntry, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    content = models.JSONField()
    change = models.CharField(max_length=32)
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.CharField(max_length=160)

    class Meta:
        ordering = ["entry", "-version"]


class RestrictionSubject(models.TextChoices):
    PARTY = "party", _("The listed party")
    LEGAL_REPRESENTATIVE = "legal_representative", _("The legal representative of the listed party")


class Restriction(models.Model):
    """Which list restricts which action, from when to when, on what legal basis (joint punishment, 联合惩戒)."""

    credit_list = models.ForeignKey(CreditList, on_delete=models.PROTECT, related_name="restrictions",
                                    verbose_name=_("list"))
    action = models.CharField(_("action"), max_length=24, choices=Action.choices)
    subject = models.CharField(_("applies to"), max_length=24, choices=RestrictionSubject.choices,
                               default=RestrictionSubject.PARTY)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True, help_text=_("Last day; empty: open-ended."))
    duration_months = models.PositiveIntegerField(
        _("months from listing"), null=True, blank=True,
        help_text=_("The restriction applies this long from the entry's listing date; empty: while listed."),
    )
    legal_basis = models.TextField(_("legal basis"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("restriction")
        verbose_name_plural = _("restrictions")
        ordering = ["credit_list", "action", "valid_from"]

    def __str__(self) -> str:
        return f"{self.credit_list} → {self.get_action_display()}"


class ScreeningEvidence(models.Model):
    """Evidence of one screening: who asked, when, what, the result, and the versions of the lists consulted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    actor_label = models.CharField(max_length=160)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    deciding_department = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text=_("The department that decides on the action (its officers may read the evidence)."),
    )
    client = models.CharField(max_length=64, blank=True, help_text=_("Client address of an anonymous request."))
    channel = models.CharField(max_length=16, default="api")
    action = models.CharField(max_length=24, choices=Action.choices)
    on_date = models.DateField()
    query = models.JSONField()
    query_key = models.CharField(max_length=210, blank=True)
    decision = models.CharField(max_length=8)
    blocked = models.BooleanField(default=False)
    hit_count = models.PositiveIntegerField(default=0)
    result = models.JSONField()
    list_versions = models.JSONField(default=dict)
    scope = models.CharField(max_length=8, default="public")
    job = models.ForeignKey("Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="evidence")

    class Meta:
        verbose_name = _("screening evidence")
        verbose_name_plural = _("screening evidence")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["query_key", "-created_at"], name="credit_evidence_query")]


class AdjudicationDecision(models.TextChoices):
    SAME = "same", _("Same party")
    NOT_SAME = "not_same", _("Not the same party")


class Adjudication(models.Model):
    """A person's decision whether a screened party is the listed party of an entry. It holds for later
    screenings of the same party until the entry changes (entry_version)."""

    query_key = models.CharField(max_length=210)
    entry = models.ForeignKey(ListEntry, on_delete=models.CASCADE, related_name="adjudications")
    entry_version = models.PositiveIntegerField()
    decision = models.CharField(max_length=8, choices=AdjudicationDecision.choices)
    note = models.CharField(max_length=300, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    evidence = models.ForeignKey(ScreeningEvidence, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["query_key", "entry", "entry_version"], name="credit_adjudication_unique")
        ]


class ImportStatus(models.TextChoices):
    CHECKED = "checked", _("Checked, not imported")
    IMPORTED = "imported", _("Imported")
    REJECTED = "rejected", _("Not imported: errors")
    CANCELLED = "cancelled", _("Cancelled")


class ImportBatch(models.Model):
    """One uploaded file: its rows' check report and, once applied, what it changed."""

    credit_list = models.ForeignKey(CreditList, on_delete=models.PROTECT, related_name="imports")
    file_name = models.CharField(max_length=200)
    file_format = models.CharField(max_length=8)
    sha256 = models.CharField(max_length=64)
    content = models.TextField()
    status = models.CharField(max_length=12, choices=ImportStatus.choices, default=ImportStatus.CHECKED)
    total_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    @property
    def bad_rows(self) -> int:
        return len({e["row"] for e in self.errors})


class JobKind(models.TextChoices):
    RESCREEN = "rescreen", _("Re-screen of every registered enterprise")
    BULK_SCREEN = "bulk_screen", _("Bulk screening of an uploaded file")
    LATE_FILERS = "late_filers", _("Listing of late annual-report filers")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """A background job with the progress its officer watches."""

    kind = models.CharField(max_length=16, choices=JobKind.choices)
    status = models.CharField(max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED)
    credit_list = models.ForeignKey(CreditList, on_delete=models.PROTECT, null=True, blank=True, related_name="jobs")
    department = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_by_label = models.CharField(max_length=160)
    params = models.JSONField(default=dict)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    hits = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return int(self.processed * 100 / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


class RescreenHit(models.Model):
    """A registered enterprise that a re-screen found on a list."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="rescreen_hits")
    enterprise = models.ForeignKey("registry.Enterprise", on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(ListEntry, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    status = models.CharField(max_length=12)
    reasons = models.JSONField(default=list)

    class Meta:
        ordering = ["-score", "id"]


class BulkRow(models.Model):
    """One party of a bulk screening file and its result."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="bulk_rows")
    row = models.PositiveIntegerField()
    query = models.JSONField()
    decision = models.CharField(max_length=8, blank=True)
    blocked = models.BooleanField(default=False)
    hit_count = models.PositiveIntegerField(default=0)
    best = models.JSONField(default=dict)
    error = models.CharField(max_length=200, blank=True)
    evidence = models.ForeignKey(ScreeningEvidence, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["job", "row"]


class OperatingStatus(models.TextChoices):
    OPERATING = "operating", _("Operating")
    SUSPENDED = "suspended", _("Suspended")
    LIQUIDATING = "liquidating", _("In liquidation")


ANNUAL_MONEY_FIELDS = ("total_assets_fen", "liabilities_fen", "guarantees_fen", "owners_equity_fen", "revenue_fen",
                       "main_revenue_fen", "total_profit_fen", "net_profit_fen", "tax_paid_fen")


class AnnualReport(models.Model):
    """An enterprise's annual report (企业年度报告, 企业信息公示暂行条例 Art 8-9, 12). A correction is a new
    version; all versions stay visible. Items 1-6 are public; the figures (item 7) only if the firm chooses."""

    enterprise = models.ForeignKey("registry.Enterprise", on_delete=models.PROTECT, related_name="annual_reports")
    year = models.PositiveSmallIntegerField(_("year reported"))
    version = models.PositiveSmallIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    filed_at = models.DateTimeField()
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    late = models.BooleanField(_("filed late"), default=False)
    # (1) contact
    address = models.CharField(_("address"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    phone = models.CharField(_("phone"), max_length=32)
    email = models.EmailField(_("e-mail"), blank=True)
    # (2) status
    operating_status = models.CharField(_("operating status"), max_length=12, choices=OperatingStatus.choices)
    # (3)-(6)
    investments = models.JSONField(_("investments in other enterprises"), default=list, blank=True)
    shareholders = models.JSONField(_("shareholders' capital"), default=list, blank=True)
    equity_transfers = models.JSONField(_("equity transfers"), default=list, blank=True)
    websites = models.JSONField(_("websites and online shops"), default=list, blank=True)
    # (7) figures, fen
    publish_figures = models.BooleanField(_("publish the figures"), default=False)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    total_assets_fen = models.BigIntegerField(_("total assets"), null=True, blank=True)
    liabilities_fen = models.BigIntegerField(_("total liabilities"), null=True, blank=True)
    guarantees_fen = models.BigIntegerField(_("guarantees given"), null=True, blank=True)
    owners_equity_fen = models.BigIntegerField(_("owners' equity"), null=True, blank=True)
    revenue_fen = models.BigIntegerField(_("revenue"), null=True, blank=True)
    main_revenue_fen = models.BigIntegerField(_("main-business revenue"), null=True, blank=True)
    total_profit_fen = models.BigIntegerField(_("total profit"), null=True, blank=True)
    net_profit_fen = models.BigIntegerField(_("net profit"), null=True, blank=True)
    tax_paid_fen = models.BigIntegerField(_("tax paid"), null=True, blank=True)

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year", "version"], name="credit_annual_report_version"),
        ]
        indexes = [models.Index(fields=["year", "enterprise"], name="credit_annual_report_year")]


class RepairState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    INFO_REQUESTED = "info_requested", _("More information requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RepairApplication(models.Model):
    """A listed party's application for credit repair (信用修复) of one entry."""

    entry = models.ForeignKey(ListEntry, on_delete=models.PROTECT, related_name="repairs")
    entry_version = models.PositiveIntegerField()
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    statement = models.TextField(_("statement"))
    state = models.CharField(_("state"), max_length=16, choices=RepairState.choices, default=RepairState.SUBMITTED)
    decision_note = models.TextField(_("decision note"), blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("credit repair application")
        verbose_name_plural = _("credit repair applications")
        ordering = ["-submitted_at"]


class RepairDocument(models.Model):
    application = models.ForeignKey(RepairApplication, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to="credit/repair/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)


class RepairStep(models.Model):
    """The history of an application, shown to the applicant and the department."""

    application = models.ForeignKey(RepairApplication, on_delete=models.CASCADE, related_name="steps")
    transition = models.CharField(max_length=24)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16)
    note = models.TextField(blank=True)
    actor_label = models.CharField(max_length=160)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "at", "id"]
