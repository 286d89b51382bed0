"""Accounts, organisations, memberships, API tokens, the audit log and the inbox.

Models hold data and simple invariants only; every write goes through core.services.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who logs in, with real-name data (实名)."""

    full_name = models.CharField(_("name"), max_length=64, blank=True)
    id_number = models.CharField(
        _("ID number"), max_length=18, unique=True, null=True, blank=True,
        help_text=_("Resident identity card number, 18 characters with its check character."),
    )
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return self.full_name or self.username


class OrganisationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    INSTITUTION = "institution", _("Institution")
    DEPARTMENT = "department", _("Government department")
    PLATFORM = "platform", _("Platform operator")


class InstitutionType(models.TextChoices):
    SERVICE_PROVIDER = "service_provider", _("Service provider")
    UNIVERSITY = "university", _("University")
    LAB = "lab", _("Laboratory or research institute")
    INCUBATOR = "incubator", _("Incubator or maker space")
    CUSTODIAN = "custodian", _("Address custodian")
    INVESTOR = "investor", _("Investment institution")


class OrganisationQuerySet(models.QuerySet):
    def departments(self):
        return self.filter(kind=OrganisationKind.DEPARTMENT)


class Organisation(models.Model):
    """A party that acts on the platform: an enterprise, an institution, a department, the operator.

    Enterprises and institutions are keyed by their USCC (code); departments by a short code.
    The registry holds the full register record of an enterprise under the same USCC.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=OrganisationKind.choices, db_index=True)
    institution_type = models.CharField(
        _("institution type"), max_length=24, choices=InstitutionType.choices, blank=True
    )
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=128)
    name_en = models.CharField(_("English name"), max_length=160, blank=True)
    short_name = models.CharField(_("short name"), max_length=64, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("parent"),
    )
    region_code = models.CharField(_("region code"), max_length=6, blank=True)
    aliases = models.JSONField(_("other names"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_department(self) -> bool:
        return self.kind == OrganisationKind.DEPARTMENT


class Role(models.TextChoices):
    LEGAL_REPRESENTATIVE = "legal_rep", _("Legal representative")
    STAFF = "staff", _("Staff")
    OFFICER = "officer", _("Officer")
    REVIEWER = "reviewer", _("Expert reviewer")
    ADMIN = "admin", _("Administrator")


class Membership(models.Model):
    """A person acts for an organisation in a role."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"


class ApiToken(models.Model):
    """A bearer token for an API client. Only a SHA-256 digest of the key is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True, blank=True)
    name = models.CharField(_("name"), max_length=64)
    prefix = models.CharField(max_length=8, db_index=True)
    key_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class AuditEvent(models.Model):
    """One state change. Events form a hash chain: each hash covers the event and the previous hash."""

    seq = models.BigIntegerField(unique=True)
    created_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=160, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text=_("The organisation the actor acted for."),
    )
    department = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text=_("The department responsible for the object; its officers may browse the event."),
    )
    verb = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=200, blank=True)
    params = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(fields=["department", "-seq"], name="audit_department"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.verb} {self.object_type}:{self.object_id}"


class AuditChainHead(models.Model):
    """A single row locked by every append, so the chain has one order even under concurrency."""

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)
    prev_hash = models.CharField(max_length=64, blank=True, default="")  # what the last event links to


class Notification(models.Model):
    """An inbox message to one person; e-mailed after commit when asked."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_requested = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.subject


class CalendarDay(models.Model):
    """An exception to the Monday–Friday working week: a public holiday on a weekday (working=False) or a make-up
    working day on a weekend (调休, working=True), from the State Council's yearly notice. Entered by operators (the
    facts give no calendar); every legal time limit in working days reads it through core.calendar."""

    day = models.DateField(_("day"), unique=True)
    working = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=64, help_text=_("e.g. 国庆节, 春节调休上班"))
    source = models.CharField(_("source"), max_length=200, help_text=_("The notice that sets this day."))

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {self.name}"
