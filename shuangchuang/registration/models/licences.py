"""The electronic business licence (电子营业执照): one licence with the USCC instead of separate certificates.

A licence is issued on establishment and reissued on each change; the earlier one is then superseded. The
fields are those the licence must show (实施细则 Art 23, POLICY-FACTS §2.1)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Licence(models.Model):
    enterprise = models.ForeignKey("registry.Enterprise", on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey("registration.Application", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="licences")
    token = models.CharField(max_length=32, unique=True, help_text=_("The code of the verification link."))
    uscc = models.CharField(_("unified social credit code"), max_length=18, db_index=True)
    name = models.CharField(_("name"), max_length=128)
    legal_form = models.CharField(_("type"), max_length=64)
    legal_representative = models.CharField(_("legal representative"), max_length=64)
    registered_capital_fen = models.BigIntegerField(_("registered capital (fen)"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=260)
    scope = models.TextField(_("business scope"))
    authority = models.CharField(_("registration authority"), max_length=128)
    founded_on = models.DateField(_("date of establishment"))
    issued_on = models.DateField(_("issued on"))
    issued_at = models.DateTimeField(auto_now_add=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True, help_text=_("Set when the enterprise is deregistered."))

    class Meta:
        verbose_name = _("business licence")
        verbose_name_plural = _("business licences")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} {self.uscc}"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None and self.revoked_at is None
