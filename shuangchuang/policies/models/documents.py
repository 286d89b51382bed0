"""Policy documents as data: metadata, full text split into parts (sections, measures, paragraphs), the
responsible units of each part, and the versions an officer's revisions leave behind."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shuangchuang.core.models import Organisation

# Facet vocabularies (codes stored pipe-delimited so that filtering works the same on SQLite and PostgreSQL).
TOPICS = {
    "registration": _("Business registration"),
    "credit": _("Credit and supervision"),
    "ip": _("Intellectual property"),
    "talent": _("Talent"),
    "funding": _("Special funds and subsidies"),
    "tax": _("Tax incentives"),
    "finance": _("Loans, investment and capital markets"),
    "vouchers": _("Vouchers"),
    "space": _("Space and incubation"),
    "services": _("Public services and platforms"),
    "procurement": _("Government procurement"),
    "equipment": _("Equipment and instruments"),
}

BENEFICIARY_TYPES = {
    "enterprise": _("Enterprises"),
    "sme": _("Small and medium-sized enterprises"),
    "startup": _("Start-ups"),
    "high_tech": _("High-tech enterprises"),
    "maker": _("Makers and maker spaces"),
    "talent": _("Talents and founders"),
    "investor": _("Venture-capital firms and investors"),
    "institution": _("Universities, labs and service providers"),
}


def split_codes(value: str) -> list[str]:
    return [code for code in (value or "").split("|") if code]


def join_codes(codes) -> str:
    codes = [c for c in dict.fromkeys(codes) if c]
    return "|" + "|".join(codes) + "|" if codes else ""


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PolicyDocumentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=DocumentStatus.PUBLISHED)


class PolicyDocument(models.Model):
    """One policy document (or a short, cited summary of a related rule)."""

    slug = models.SlugField(max_length=64, unique=True, null=True, blank=True,
                            help_text=_("Key of a document loaded from the module's data files."))
    title = models.CharField(_("title"), max_length=200)
    number = models.CharField(_("document number (文号)"), max_length=64, blank=True, db_index=True)
    index_number = models.CharField(_("index number"), max_length=64, blank=True)
    issuer = models.CharField(_("issuer"), max_length=128, help_text=_("The issuing authority as the document names it."))
    department = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="policy_documents", verbose_name=_("department"),
        help_text=_("The department that keeps this document on the platform; its officers revise and withdraw it."),
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT,
                              db_index=True)
    is_summary = models.BooleanField(
        _("summary of a related rule"), default=False,
        help_text=_("A short summary with citations, not the full text of the document."),
    )
    source_url = models.URLField(_("source URL"), max_length=300, blank=True)
    source_note = models.TextField(_("source"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("full text"), blank=True)
    topics = models.CharField(max_length=200, blank=True, db_index=True)
    beneficiary_types = models.CharField(max_length=200, blank=True)
    districts = models.ManyToManyField("registry.District", blank=True, related_name="+",
                                       help_text=_("Districts the document applies to; none means the whole city."))
    search_text = models.TextField(blank=True, help_text=_("jieba tokens of title, number and text."))
    version = models.PositiveIntegerField(default=1)
    published_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PolicyDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("policy document")
        verbose_name_plural = _("policy documents")
        ordering = [models.F("published_on").desc(nulls_last=True), "-id"]
        indexes = [models.Index(fields=["status", "-published_on"], name="policy_status_published")]

    def __str__(self) -> str:
        return f"{self.title}（{self.number}）" if self.number else self.title

    @property
    def topic_codes(self) -> list[str]:
        return split_codes(self.topics)

    @property
    def beneficiary_codes(self) -> list[str]:
        return split_codes(self.beneficiary_types)

    @property
    def topic_labels(self) -> list[str]:
        return [str(TOPICS.get(c, c)) for c in self.topic_codes]

    @property
    def beneficiary_labels(self) -> list[str]:
        return [str(BENEFICIARY_TYPES.get(c, c)) for c in self.beneficiary_codes]


class PartKind(models.TextChoices):
    PREAMBLE = "preamble", _("Preamble")
    SECTION = "section", _("Section")
    MEASURE = "measure", _("Measure")
    PARAGRAPH = "paragraph", _("Paragraph")
    ATTACHMENT = "attachment", _("Attachment")


class PolicyPart(models.Model):
    """A structured part of a document's text. Measures carry their heading number as written, e.g. （十八）."""

    document = models.ForeignKey(PolicyDocument, on_delete=models.CASCADE, related_name="parts")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    kind = models.CharField(max_length=16, choices=PartKind.choices)
    order = models.PositiveIntegerField(help_text=_("Position in the document."))
    number = models.CharField(_("heading number"), max_length=32, blank=True)
    seq = models.PositiveIntegerField(null=True, blank=True, help_text=_("The heading number as an integer."))
    title = models.CharField(_("title"), max_length=200, blank=True)
    text = models.TextField(_("text"), blank=True)
    units_text = models.CharField(_("responsible units as written"), max_length=500, blank=True)
    units = models.ManyToManyField(Organisation, through="PartUnit", related_name="policy_parts", blank=True)
    search_text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("policy part")
        verbose_name_plural = _("policy parts")
        ordering = ["document", "order"]
        constraints = [models.UniqueConstraint(fields=["document", "order"], name="policy_part_order_unique")]
        indexes = [models.Index(fields=["document", "kind", "seq"], name="policy_part_kind_seq")]

    def __str__(self) -> str:
        if self.kind == PartKind.MEASURE:
            return f"{self.number}{self.title}"
        return (self.number + " " if self.number else "") + self.text[:40]

    @property
    def measure(self) -> PolicyPart | None:
        """The measure this part belongs to (itself when it is one)."""
        if self.kind == PartKind.MEASURE:
            return self
        parent = self.parent
        while parent is not None and parent.kind != PartKind.MEASURE:
            parent = parent.parent
        return parent


class PartUnit(models.Model):
    """A responsible unit (责任单位) of a part, as a department record, with the name as the text writes it."""

    part = models.ForeignKey(PolicyPart, on_delete=models.CASCADE, related_name="part_units")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    written_as = models.CharField(max_length=64)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["part", "order"]
        constraints = [models.UniqueConstraint(fields=["part", "organisation"], name="part_unit_unique")]


class PolicyVersion(models.Model):
    """A snapshot of a document (metadata, text and parts) at each publication or revision."""

    document = models.ForeignKey(PolicyDocument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    note = models.TextField(_("what changed"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_label = models.CharField(max_length=160, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="policy_version_unique")]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"
