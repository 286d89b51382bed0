"""Applications, vouchers, contracts, redemptions and settlement batches, with their documents and history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shuangchuang.core.models import Organisation


class ApplicantKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    MAKER = "maker", _("Maker (through a maker space or a firm)")
    FOUNDER = "founder", _("Founder")


class ApplicationState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    PUBLICISED = "publicised", _("In publicity")
    ISSUED = "issued", _("Voucher issued")
    REJECTED = "rejected", _("Rejected")
    REFUSED = "refused", _("Refused by screening")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Application(models.Model):
    """An application for a voucher. The holder is the enterprise, or the maker or founder (a person) with the
    organisation that applies for them (`organisation`)."""

    scheme = models.ForeignKey("vouchers.Scheme", on_delete=models.PROTECT, related_name="applications")
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    applicant_kind = models.CharField(_("applicant"), max_length=16, choices=ApplicantKind.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("applying organisation"))
    enterprise = models.ForeignKey("registry.Enterprise", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    person_name = models.CharField(_("maker or founder"), max_length=64, blank=True)
    person_id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    holder_key = models.CharField(max_length=40, db_index=True,
                                  help_text=_("USCC of the enterprise or ID number of the person: who holds it."))
    size_class = models.CharField(_("cap class"), max_length=8, blank=True)
    cap_fen = models.BigIntegerField(_("cap on the application date (fen)"))
    requested_fen = models.BigIntegerField(_("amount requested (fen)"))
    purpose = models.TextField(_("service need"))
    project_key = models.CharField(
        _("project"), max_length=120, blank=True,
        help_text=_("The project the service is for, as named in other funding: a project already funded by the city "
                    "is not supported again."))
    eligibility = models.JSONField(default=dict, blank=True)
    screening_evidence = models.CharField(_("screening evidence"), max_length=120, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=ApplicationState.choices,
                             default=ApplicationState.SUBMITTED, db_index=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    publicity_ends_on = models.DateField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("voucher application")
        verbose_name_plural = _("voucher applications")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["scheme", "holder_key", "year"], name="vouchers_app_holder_year")]
        constraints = [
            models.CheckConstraint(condition=models.Q(requested_fen__gt=0) & models.Q(requested_fen__lte=models.F("cap_fen")),
                                   name="vouchers_app_requested_within_cap"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} · {self.holder_name}"

    @property
    def holder_name(self) -> str:
        if self.applicant_kind == ApplicantKind.ENTERPRISE:
            return self.organisation.name
        return self.person_name


class VoucherState(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXHAUSTED = "exhausted", _("Used up")
    EXPIRED = "expired", _("Expired")


class Voucher(models.Model):
    """An issued voucher. Its balance is its ledger account's; the face value never changes."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="voucher")
    scheme_year = models.ForeignKey("vouchers.SchemeYear", on_delete=models.PROTECT, related_name="vouchers")
    code = models.CharField(_("voucher number"), max_length=16, unique=True)
    face_value_fen = models.BigIntegerField(_("face value (fen)"))
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"), db_index=True)
    state = models.CharField(_("state"), max_length=16, choices=VoucherState.choices, default=VoucherState.ACTIVE,
                             db_index=True)

    class Meta:
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
        ordering = ["-issued_on", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(face_value_fen__gt=0), name="vouchers_face_gt_0")]

    def __str__(self) -> str:
        return self.code


class ContractState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed by the provider")
    SIGNED = "signed", _("Signed")
    DECLINED = "declined", _("Declined by the holder")


class Contract(models.Model):
    """A service contract between the voucher's holder and a registered provider. `max_voucher_fen` is the share
    of the fee the voucher may pay (read on the signing date); `committed_fen` is what redemptions hold or paid."""

    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="contracts")
    registration = models.ForeignKey("vouchers.ProviderRegistration", on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("provider"))
    number = models.CharField(_("contract number"), max_length=64)
    title = models.CharField(_("service"), max_length=200)
    amount_fen = models.BigIntegerField(_("contract amount (fen)"))
    max_voucher_fen = models.BigIntegerField(_("voucher may pay at most (fen)"))
    committed_fen = models.BigIntegerField(default=0)
    signed_on = models.DateField(_("signed on"))
    state = models.CharField(_("state"), max_length=16, choices=ContractState.choices, default=ContractState.PROPOSED,
                             db_index=True)
    decision_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("service contract")
        verbose_name_plural = _("service contracts")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_fen__gt=0), name="vouchers_contract_amount_gt_0"),
            models.CheckConstraint(condition=models.Q(committed_fen__gte=0)
                                   & models.Q(committed_fen__lte=models.F("max_voucher_fen")),
                                   name="vouchers_contract_committed_within_share"),
            models.CheckConstraint(condition=models.Q(max_voucher_fen__lte=models.F("amount_fen")),
                                   name="vouchers_contract_share_within_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.title}"


class RedemptionState(models.TextChoices):
    REQUESTED = "requested", _("Requested by the provider")
    AUDITED = "audited", _("Audited")
    PUBLICISED = "publicised", _("In publicity")
    PAID = "paid", _("Paid, awaiting settlement")
    SETTLED = "settled", _("Settled")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Payment cancelled")
    REFUNDED = "refunded", _("Refunded")


class Redemption(models.Model):
    """The provider's request to be paid from the voucher for a service done under a contract."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="redemptions")
    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="redemptions")
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    idempotency_key = models.CharField(max_length=64)
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    holder_paid_fen = models.BigIntegerField(_("paid by the holder (fen)"))
    service_done_on = models.DateField(_("service completed on"))
    state = models.CharField(_("state"), max_length=16, choices=RedemptionState.choices,
                             default=RedemptionState.REQUESTED, db_index=True)
    audit_note = models.TextField(_("audit note"), blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    publicity_ends_on = models.DateField(null=True, blank=True)
    screening_evidence = models.CharField(_("screening evidence at payment"), max_length=80, blank=True)
    batch = models.ForeignKey("vouchers.SettlementBatch", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="redemptions")
    support_entry_id = models.BigIntegerField(null=True, blank=True,
                                              help_text=_("The row of the per-enterprise support ledger."))
    requested_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "idempotency_key"], name="vouchers_redemption_idempotent"),
            models.CheckConstraint(condition=models.Q(amount_fen__gt=0), name="vouchers_redemption_amount_gt_0"),
        ]

    def __str__(self) -> str:
        return f"{self.voucher} · {self.amount_fen}"


class SettlementBatch(models.Model):
    """The payments of one scheme year made on one day; settled to the providers after the delay window."""

    scheme_year = models.ForeignKey("vouchers.SchemeYear", on_delete=models.PROTECT, related_name="batches")
    paid_on = models.DateField()
    executes_on = models.DateField(_("settles on"))
    executed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("settlement batch")
        verbose_name_plural = _("settlement batches")
        ordering = ["-paid_on"]
        constraints = [models.UniqueConstraint(fields=["scheme_year", "paid_on"], name="vouchers_batch_per_day")]

    def __str__(self) -> str:
        return f"{self.scheme_year} {self.paid_on}"


class DeclaredTie(models.Model):
    """A tie between two parties the register does not show (investment, co-building, ownership), recorded by an
    officer or declared by a party. Keyed by USCC or ID number."""

    party_a = models.CharField(max_length=18, db_index=True)
    party_b = models.CharField(max_length=18, db_index=True)
    kind = models.CharField(max_length=16, choices=[("investment", _("Investment")),
                                                    ("co_building", _("Co-building")),
                                                    ("ownership", _("Ownership"))])
    note = models.CharField(max_length=200, blank=True)
    recorded_by = models.CharField(max_length=160, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("declared tie")
        verbose_name_plural = _("declared ties")


class Document(models.Model):
    """A proof attached to a contract or a redemption (the contract, the holder's own payment, the service)."""

    KINDS = [("contract", _("Contract")), ("holder_payment", _("Proof of the holder's own payment")),
             ("service", _("Proof of the service"))]

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, null=True, blank=True, related_name="documents")
    redemption = models.ForeignKey(Redemption, on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="documents")
    kind = models.CharField(max_length=16, choices=KINDS)
    file = models.FileField(upload_to="vouchers/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)


class Step(models.Model):
    """The history of an application, contract or redemption, shown to both sides."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, null=True, blank=True, related_name="steps")
    redemption = models.ForeignKey(Redemption, on_delete=models.CASCADE, null=True, blank=True, related_name="steps")
    transition = models.CharField(max_length=24)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16)
    note = models.TextField(blank=True)
    actor_label = models.CharField(max_length=160)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
