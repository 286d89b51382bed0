"""Innovative industrial space (创新型产业用房, POLICY-FACTS §12): after ranking, the department offers a lease of a
space to a ranked application; the applicant accepts or declines by a deadline; a declined or lapsed offer passes
to the next ranked application of the call.

The facts give no discount ratio and no lease term (GAP): the discount is entered by the officer or comes from the
effective-dated parameter space.rent_discount on the offer date; the term likewise (space.lease_term_years). The rent is fixed from the official reference rent the officer enters (the facts say the rent is
set by reference to it)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from shuangchuang.programmes.models.application import Application


class OfferState(models.TextChoices):
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    LAPSED = "lapsed", _("Lapsed (no answer by the deadline)")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class LeaseOffer(models.Model):
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="lease_offers")
    passed_from = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    help_text="The declined or lapsed offer this one passes on.")
    space = models.CharField(_("space"), max_length=120)
    building = models.CharField(_("building"), max_length=200)
    area_m2 = models.DecimalField(_("area (m²)"), max_digits=10, decimal_places=2)
    reference_rent_fen = models.BigIntegerField(_("reference rent per m² per month (fen)"))
    discount = models.DecimalField(_("discount (share of the reference rent taken off)"), max_digits=5,
                                   decimal_places=4)
    discount_source = models.CharField(_("discount from"), max_length=120)
    rent_fen = models.BigIntegerField(_("rent per m² per month (fen)"))
    monthly_rent_fen = models.BigIntegerField(_("rent per month (fen)"))
    term_starts_on = models.DateField(_("lease starts on"))
    term_ends_on = models.DateField(_("lease ends on"))
    respond_by = models.DateField(_("answer by"))
    state = models.CharField(_("state"), max_length=12, choices=OfferState.choices, default=OfferState.OFFERED)
    answer_note = models.TextField(_("answer note"), blank=True)
    answered_by = models.CharField(max_length=160, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    screening_evidence = models.CharField(_("screening evidence"), max_length=64, blank=True)
    made_by = models.CharField(max_length=160)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "respond_by"], name="lease_offer_open")]
        constraints = [models.UniqueConstraint(fields=["application"], condition=models.Q(state="offered"),
                                               name="lease_offer_one_open")]

    def __str__(self) -> str:
        return f"{self.building} {self.space}"

    @property
    def discount_percent(self) -> Decimal:
        return (self.discount * 100).normalize()


class Lease(models.Model):
    """The lease an accepted offer records: the offer's terms and dates, and the value of the rent discount over
    the term (reference rent − offered rent), which the support ledger holds as awarded."""

    offer = models.OneToOneField(LeaseOffer, on_delete=models.PROTECT, related_name="lease")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="leases")
    enterprise = models.ForeignKey("registry.Enterprise", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("tenant"))
    space = models.CharField(_("space"), max_length=120)
    building = models.CharField(_("building"), max_length=200)
    area_m2 = models.DecimalField(_("area (m²)"), max_digits=10, decimal_places=2)
    reference_rent_fen = models.BigIntegerField(_("reference rent per m² per month (fen)"))
    discount = models.DecimalField(_("discount (share of the reference rent taken off)"), max_digits=5,
                                   decimal_places=4)
    rent_fen = models.BigIntegerField(_("rent per m² per month (fen)"))
    monthly_rent_fen = models.BigIntegerField(_("rent per month (fen)"))
    starts_on = models.DateField(_("lease starts on"))
    ends_on = models.DateField(_("lease ends on"))
    term_months = models.DecimalField(_("term (months)"), max_digits=8, decimal_places=4)
    discount_value_fen = models.BigIntegerField(_("value of the rent discount over the term (fen)"))
    ledger_entry = models.ForeignKey("programmes.SupportLedgerEntry", on_delete=models.PROTECT, related_name="+",
                                     null=True, blank=True)
    recorded_by = models.CharField(max_length=160)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lease")
        verbose_name_plural = _("leases")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return f"{self.building} {self.space} ({self.starts_on}–{self.ends_on})"
