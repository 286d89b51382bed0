"""Applications for establishment (设立登记) and change (变更登记) registration, their parties and history.

Money is integer fen. ID numbers are kept whole here (the authority needs them) and masked on public pages.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shuangchuang.core.models import Organisation


class ApplicationKind(models.TextChoices):
    ESTABLISHMENT = "establishment", _("Establishment (设立登记)")
    CHANGE = "change", _("Change (变更登记)")


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CORRECTIONS_REQUESTED = "corrections", _("Corrections requested")
    ACCEPTED = "accepted", _("Accepted")
    APPROVED = "approved", _("Registered")
    REJECTED = "rejected", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Application(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=ApplicationKind.choices)
    state = models.CharField(_("state"), max_length=16, choices=ApplicationState.choices,
                             default=ApplicationState.DRAFT, db_index=True)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("applicant"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                     help_text=_("The enterprise a change is for; set on establishment."))
    enterprise = models.ForeignKey("registry.Enterprise", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("enterprise"))
    authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("registration authority"))
    reservation = models.ForeignKey("names.NameReservation", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("name reservation"),
                                    help_text=_("The reserved name this establishment (or name change) uses."))
    name = models.CharField(_("name"), max_length=128, blank=True)
    trade_name = models.CharField(_("trade name (字号)"), max_length=32, blank=True)
    legal_form = models.CharField(_("legal form"), max_length=16, blank=True)
    district = models.ForeignKey("registry.District", on_delete=models.PROTECT, null=True, blank=True,
                                 verbose_name=_("district"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    custodian = models.ForeignKey("registration.Custodian", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="applications", verbose_name=_("custodian (cluster registration)"))
    hosting_start = models.DateField(_("hosting contract from"), null=True, blank=True)
    hosting_end = models.DateField(_("hosting contract to"), null=True, blank=True)
    registered_capital_fen = models.BigIntegerField(_("registered capital (fen)"), null=True, blank=True)
    industry = models.ForeignKey("registry.IndustryDivision", on_delete=models.PROTECT, null=True, blank=True,
                                 verbose_name=_("industry (GB/T 4754)"))
    scope_terms = models.JSONField(_("business scope"), default=list, blank=True)
    legal_rep_name = models.CharField(_("legal representative"), max_length=64, blank=True)
    legal_rep_id_number = models.CharField(_("legal representative's ID number"), max_length=18, blank=True)
    articles = models.FileField(_("articles of association"), upload_to="registration/articles/%Y/%m/", blank=True)
    articles_content_type = models.CharField(max_length=64, blank=True)
    changes = models.JSONField(_("changed items"), default=list, blank=True,
                               help_text=_("For a change: the items that change, with their old values."))
    screening = models.JSONField(_("credit screening"), default=list, blank=True)
    corrections = models.JSONField(_("corrections asked for"), default=list, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    corrections_due = models.DateField(_("corrections to be told by"), null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    decision_due = models.DateField(_("decision due"), null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    uscc = models.CharField(_("USCC"), max_length=18, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("registration application")
        verbose_name_plural = _("registration applications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["authority", "state"], name="registration_app_queue")]

    def __str__(self) -> str:
        return self.name or f"#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state in (ApplicationState.DRAFT, ApplicationState.SUBMITTED,
                              ApplicationState.CORRECTIONS_REQUESTED, ApplicationState.ACCEPTED)


class ShareholderKind(models.TextChoices):
    PERSON = "person", _("Natural person")
    ENTERPRISE = "enterprise", _("Enterprise or organisation")


class Shareholder(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="shareholders")
    kind = models.CharField(_("kind"), max_length=16, choices=ShareholderKind.choices)
    name = models.CharField(_("name"), max_length=128)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    uscc = models.CharField(_("USCC"), max_length=18, blank=True)
    subscribed_capital_fen = models.BigIntegerField(_("subscribed capital (fen)"))

    class Meta:
        verbose_name = _("shareholder")
        verbose_name_plural = _("shareholders")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class OfficerPosition(models.TextChoices):
    EXECUTIVE_DIRECTOR = "executive_director", _("Executive director")
    DIRECTOR = "director", _("Director")
    SUPERVISOR = "supervisor", _("Supervisor")
    MANAGER = "manager", _("Manager")
    LIAISON = "liaison", _("Registration contact person")


class ApplicationOfficer(models.Model):
    """A director, supervisor, manager (董监高) or the registration contact person (filed items)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="officers")
    position = models.CharField(_("position"), max_length=24, choices=OfficerPosition.choices)
    name = models.CharField(_("name"), max_length=64)
    id_number = models.CharField(_("ID number"), max_length=18)

    class Meta:
        verbose_name = _("director, supervisor or manager")
        verbose_name_plural = _("directors, supervisors and managers")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.position})"


class ApplicationStep(models.Model):
    """One transition of an application: who, when, from which state to which, with the note."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps")
    transition = models.CharField(max_length=32)
    from_state = models.CharField(max_length=16)
    to_state = models.CharField(max_length=16)
    actor_label = models.CharField(max_length=160)
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
