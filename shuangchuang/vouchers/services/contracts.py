"""Service contracts: the provider starts one from the voucher (its QR code); the holder confirms or declines.

The provider must be registered for the contract's category in the year of signing; related parties are refused
with the reason (investment — from the names module's investment relations, which registration records —,
subordination, shared legal representative — from the register, plus ties the
register does not hold, recorded as DeclaredTie)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import audit_record
from shuangchuang.core.errors import Conflict, NotFound, ServiceError, require
from shuangchuang.core.services import notification_send
from shuangchuang.names.selectors import related_enterprise_ids
from shuangchuang.registry.models import Enterprise
from shuangchuang.vouchers.models import (
    ApplicantKind,
    Contract,
    ContractState,
    DeclaredTie,
    ProviderRegistration,
    RegistrationState,
    Voucher,
    VoucherState,
)
from shuangchuang.vouchers.permissions import can_act_as_holder, can_act_for_provider, can_manage_scheme
from shuangchuang.vouchers.services.common import (
    check_documents,
    members_of,
    money_input,
    required_parameter,
    save_documents,
    share_of,
    today,
)


def related_party_reason(application, provider) -> str:
    """Why the holder of an application and a provider are related parties, or "" when the register and the
    recorded ties show none."""
    provider_firm = Enterprise.objects.filter(uscc=provider.code).select_related("legal_representative").first()
    holder_firm = application.enterprise
    person_id = application.person_id_number
    if application.applicant_kind == ApplicantKind.MAKER:
        holder_firm = None
    keys = {k for k in (application.holder_key, holder_firm.uscc if holder_firm else "") if k}
    if provider.code in keys:
        return _("The provider is the holder itself.")
    if provider_firm is not None and holder_firm is not None:
        if provider_firm.parent_id and provider_firm.parent_id == holder_firm.pk \
                or holder_firm.parent_id and holder_firm.parent_id == provider_firm.pk:
            return _("One is a branch of the other (subordination, from the register).")
        if provider_firm.parent_id and provider_firm.parent_id == holder_firm.parent_id:
            return _("Both are branches of the same enterprise (from the register).")
        if provider_firm.legal_representative_id and \
                provider_firm.legal_representative_id == holder_firm.legal_representative_id:
            return _("Both have the same legal representative (from the register).")
        if provider_firm.pk in related_enterprise_ids([holder_firm.pk]):
            return _("One holds shares of the other (investment relation recorded at registration).")
    if provider_firm is not None and person_id and provider_firm.legal_representative_id and \
            provider_firm.legal_representative.id_number == person_id:
        return _("The maker or founder is the provider's legal representative (from the register).")
    provider_keys = {provider.code} | ({provider_firm.legal_representative.id_number}
                                       if provider_firm is not None and provider_firm.legal_representative_id else set())
    if holder_firm is not None and holder_firm.legal_representative_id:
        keys.add(holder_firm.legal_representative.id_number)
    tie = DeclaredTie.objects.filter(Q(party_a__in=keys, party_b__in=provider_keys)
                                     | Q(party_a__in=provider_keys, party_b__in=keys)).first()
    if tie is not None:
        return _("A tie is recorded between them: %(kind)s. %(note)s") % {"kind": tie.get_kind_display(),
                                                                         "note": tie.note}
    return ""


def voucher_by_code(code: str) -> Voucher:
    voucher = Voucher.objects.select_related("application", "application__scheme", "application__enterprise",
                                             "application__organisation", "scheme_year").filter(
        code=(code or "").strip().upper()).first()
    if voucher is None:
        raise NotFound("voucher_not_found", _("There is no voucher with this number."))
    return voucher


def contract_propose(*, actor: Actor, voucher_code: str, category: str, number: str, title: str, amount_fen: int,
                     signed_on: datetime.date, documents: dict | None = None) -> Contract:
    """The provider (acting for itself) records the contract it signed with the holder; the holder confirms."""
    provider = actor.organisation
    if provider is None:
        require((False, _("Act for the provider.")))
    require(can_act_for_provider(actor, provider))
    voucher = voucher_by_code(voucher_code)
    application = voucher.application
    on = today()
    if voucher.state != VoucherState.ACTIVE or voucher.valid_until < on:
        raise Conflict("voucher_not_active", _("This voucher is no longer valid."))
    money_input(amount_fen, field="amount_fen")
    number, title = (number or "").strip(), (title or "").strip()
    if not number or not title:
        raise ServiceError("contract_required", _("Give the contract number and the service."), field="number")
    if not isinstance(signed_on, datetime.date) or signed_on > on:
        raise ServiceError("invalid_signed_on", _("The contract cannot be signed in the future."), field="signed_on")
    if signed_on < voucher.issued_on or signed_on > voucher.valid_until:
        raise ServiceError("outside_period", _("The contract must be signed while the voucher is valid (%(from)s to "
                                               "%(to)s).") % {"from": voucher.issued_on, "to": voucher.valid_until},
                           field="signed_on")
    registration = ProviderRegistration.objects.filter(scheme=application.scheme, provider=provider, category=category,
                                                       year=signed_on.year, state=RegistrationState.APPROVED).first()
    if registration is None:
        raise Conflict("provider_not_registered",
                       _("The provider is not registered for this service category in %(year)d.")
                       % {"year": signed_on.year})
    reason = related_party_reason(application, provider)
    if reason:
        raise Conflict("related_parties", _("Refused: the holder and the provider are related parties. %(reason)s")
                       % {"reason": reason})
    share = required_parameter(application.scheme, "max_share_of_fee", on=signed_on)
    checked = check_documents(documents or {}, required=("contract",))
    with transaction.atomic():
        contract = Contract.objects.create(voucher=voucher, registration=registration, provider=provider, number=number[:64],
                                           title=title[:200], amount_fen=amount_fen,
                                           max_voucher_fen=share_of(amount_fen, share), signed_on=signed_on)
        stored = save_documents(checked, contract=contract)
        audit_record(actor=actor, verb="vouchers.contract_proposed", obj=contract,
                     department=application.scheme.department,
                     params={"voucher": voucher.code, "amount_fen": amount_fen, "share": str(share),
                             "max_voucher_fen": contract.max_voucher_fen, "category": category,
                             "documents": len(stored)})
        recipients = members_of(application.organisation, roles={"legal_rep", "admin", "staff"})
        if recipients:
            notification_send(actor=actor, recipients=recipients, organisation=application.organisation,
                              url=f"/vouchers/my/contracts/{contract.pk}/",
                              subject=_("Confirm the contract with %(provider)s") % {"provider": provider.name},
                              body=title, email=False)
    return contract


def contract_decide(*, actor: Actor, contract: Contract, accept: bool, note: str = "") -> Contract:
    """The holder confirms (signs) or declines a proposed contract."""
    application = contract.voucher.application
    require(can_act_as_holder(actor, application))
    if accept:
        reason = related_party_reason(application, contract.provider)
        if reason:
            raise Conflict("related_parties", _("Refused: the holder and the provider are related parties. "
                                                "%(reason)s") % {"reason": reason})
    with transaction.atomic():
        contract = Contract.objects.select_for_update().get(pk=contract.pk)
        if contract.state != ContractState.PROPOSED:
            raise Conflict("wrong_state", _("This contract is %(state)s; that step is not possible now.")
                           % {"state": contract.get_state_display()})
        contract.state = ContractState.SIGNED if accept else ContractState.DECLINED
        contract.decision_note = (note or "").strip()
        contract.save(update_fields=["state", "decision_note"])
        audit_record(actor=actor, verb="vouchers.contract_signed" if accept else "vouchers.contract_declined",
                     obj=contract, department=application.scheme.department, params={"note": contract.decision_note})
    return contract


def tie_record(*, actor: Actor, scheme, party_a: str, party_b: str, kind: str, note: str = "") -> DeclaredTie:
    """An officer records a tie the register does not hold (investment, co-building, ownership)."""
    require(can_manage_scheme(actor, scheme))
    party_a, party_b = (party_a or "").strip().upper(), (party_b or "").strip().upper()
    if not party_a or not party_b or party_a == party_b:
        raise ServiceError("parties_required", _("Give the codes of two different parties."), field="party_a")
    if kind not in dict(DeclaredTie._meta.get_field("kind").choices):
        raise ServiceError("invalid_kind", _("Unknown kind of tie."), field="kind")
    with transaction.atomic():
        tie = DeclaredTie.objects.create(party_a=party_a[:18], party_b=party_b[:18], kind=kind, note=note[:200],
                                         recorded_by=actor.label)
        audit_record(actor=actor, verb="vouchers.tie_recorded", obj=tie, department=scheme.department,
                     params={"a": party_a, "b": party_b, "kind": kind})
    return tie
