"""Cluster registration and one address, many licences (一址多照 / 集群注册, POLICY-FACTS §2.5).

A custodian firm (托管企业) approved by the authority lends its address, with its annotation, to hosted firms
under hosting contracts with dates, and receives official documents for them; each delivery is recorded."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shuangchuang.core.models import Organisation


class CustodianState(models.TextChoices):
    APPLIED = "applied", _("Applied")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Refused")
    SUSPENDED = "suspended", _("Suspended")


class Custodian(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey("registry.Enterprise", on_delete=models.PROTECT, related_name="+")
    authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("registration authority"))
    address = models.CharField(_("address"), max_length=200)
    annotation = models.CharField(_("address annotation"), max_length=60, default="（托管企业）")
    district = models.ForeignKey("registry.District", on_delete=models.PROTECT, null=True, blank=True)
    declarations = models.JSONField(_("declarations"), default=dict, blank=True)
    title_document = models.FileField(_("proof of title or lease"), upload_to="registration/custodians/%Y/%m/",
                                      blank=True)
    checks = models.JSONField(_("condition checks"), default=list, blank=True)
    screening = models.JSONField(default=list, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=CustodianState.choices,
                             default=CustodianState.APPLIED, db_index=True)
    decision_note = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("custodian firm")
        verbose_name_plural = _("custodian firms")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.organisation.name}{self.annotation}"

    @property
    def annotated_address(self) -> str:
        return f"{self.address}{self.annotation}"


class HostingContract(models.Model):
    custodian = models.ForeignKey(Custodian, on_delete=models.PROTECT, related_name="contracts")
    enterprise = models.ForeignKey("registry.Enterprise", on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    ended_on = models.DateField(_("ended early on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hosting contract")
        verbose_name_plural = _("hosting contracts")
        ordering = ["-starts_on", "-id"]


class ServedDocument(models.Model):
    """An official or legal document received by the custodian for a hosted firm (served on the day signed)."""

    custodian = models.ForeignKey(Custodian, on_delete=models.PROTECT, related_name="documents")
    enterprise = models.ForeignKey("registry.Enterprise", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("document"), max_length=200)
    sender = models.CharField(_("sent by"), max_length=128)
    received_on = models.DateField(_("received on"))
    signed_on = models.DateField(_("signed for on"))
    recorded_by = models.CharField(max_length=160)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document served")
        verbose_name_plural = _("documents served")
        ordering = ["-signed_on", "-id"]
