"""Schemes, their yearly budgets, and the providers registered (入库) per category and year."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import audit_record
from shuangchuang.core.errors import Conflict, ServiceError, require
from shuangchuang.credit.services import Party
from shuangchuang.policies.rules import validate_rule
from shuangchuang.vouchers.models import (
    AccountKind,
    JournalKind,
    ProviderRegistration,
    ProviderService,
    RegistrationState,
    Scheme,
    SchemeKind,
    SchemeYear,
    ServiceCategory,
)
from shuangchuang.vouchers.permissions import can_act_for_provider, can_manage_scheme, can_register_provider
from shuangchuang.vouchers.services.common import blocked_message, money_input, screen, today
from shuangchuang.vouchers.services.ledger import account_for, transfer
from shuangchuang.vouchers.services.scheme_changes import budget_movement_key
from shuangchuang.vouchers.models.schemes import PARAMETER_ROLES


def scheme_create(*, actor: Actor, department, code: str, kind: str, name: str, legal_basis: str, categories: list[str],
                  parameters: dict[str, str], rule: dict | None = None, summary: str = "", district=None,
                  accepts_enterprises: bool = True, accepts_makers: bool = False, accepts_founders: bool = False,
                  publicity_days: int = 5, settlement_delay_days: int = 3) -> Scheme:
    require(can_manage_scheme(actor, department=department))
    if kind not in SchemeKind.values:
        raise ServiceError("invalid_kind", _("Unknown kind of scheme."), field="kind")
    if not (name or "").strip():
        raise ServiceError("name_required", _("Give the scheme a name."), field="name")
    if not (legal_basis or "").strip():
        raise ServiceError("legal_basis_required", _("Cite the legal basis of the scheme."), field="legal_basis")
    categories = list(dict.fromkeys(categories or []))
    if not categories or any(c not in ServiceCategory.values for c in categories):
        raise ServiceError("invalid_categories", _("Choose the service categories from the list."),
                           field="categories")
    unknown = sorted(set(parameters or {}) - set(PARAMETER_ROLES))
    if unknown:
        raise ServiceError("invalid_parameters", _("Unknown parameter roles: %(roles)s.") % {"roles": ", ".join(unknown)},
                           field="parameters")
    if not (accepts_enterprises or accepts_makers or accepts_founders):
        raise ServiceError("no_applicants", _("Say who may apply."), field="accepts_enterprises")
    rule = validate_rule(rule or {})
    scheme = Scheme(code=code, kind=kind, name=name.strip(), department=department, district=district,
                    legal_basis=legal_basis.strip(), summary=summary, rule=rule, categories=categories,
                    parameters=dict(parameters or {}), accepts_enterprises=accepts_enterprises,
                    accepts_makers=accepts_makers, accepts_founders=accepts_founders, publicity_days=publicity_days,
                    settlement_delay_days=settlement_delay_days)
    try:
        with transaction.atomic():
            scheme.save()
            audit_record(actor=actor, verb="vouchers.scheme_created", obj=scheme, department=department,
                         params={"code": code, "kind": kind, "categories": categories, "parameters": scheme.parameters,
                                 "rule": rule})
    except IntegrityError as exc:
        raise Conflict("scheme_exists", _("A scheme with this code already exists.")) from exc
    return scheme


def scheme_budget_add(*, actor: Actor, scheme: Scheme, year: int, amount_fen: int, note: str = "") -> SchemeYear:
    """Appropriate money to a scheme year (the first time creates the year). A reduction is a separate decision
    (scheme_changes.scheme_budget_reduce)."""
    require(can_manage_scheme(actor, scheme))
    money_input(amount_fen, field="amount_fen")
    if not 2000 <= int(year) <= 2100:
        raise ServiceError("invalid_year", _("Give a year such as 2026."), field="year")
    with transaction.atomic():
        scheme_year, _created = SchemeYear.objects.get_or_create(scheme=scheme, year=year,
                                                                defaults={"budget_fen": 0})
        scheme_year = SchemeYear.objects.select_for_update().get(pk=scheme_year.pk)
        key = budget_movement_key(scheme_year)  # unique per addition or reduction (read under the lock)
        journal = transfer(actor=actor, kind=JournalKind.APPROPRIATE, key=key,
                           scheme_year=scheme_year, source=account_for(scheme_year, AccountKind.APPROPRIATION),
                           target=account_for(scheme_year, AccountKind.BUDGET), amount_fen=amount_fen,
                           memo=note or _("Yearly budget"))
        scheme_year.budget_fen += amount_fen
        scheme_year.save(update_fields=["budget_fen"])
        audit_record(actor=actor, verb="vouchers.budget_added", obj=scheme_year, department=scheme.department,
                     params={"year": year, "amount_fen": amount_fen, "journal": journal.pk, "note": note})
    return scheme_year


def scheme_year_for(scheme: Scheme, year: int) -> SchemeYear:
    scheme_year = SchemeYear.objects.filter(scheme=scheme, year=year).first()
    if scheme_year is None:
        raise Conflict("no_budget", _("The scheme has no budget for %(year)s.") % {"year": year})
    return scheme_year


def provider_register(*, actor: Actor, scheme: Scheme, category: str, year: int | None = None,
                      description: str = "", services: list[dict] = ()) -> ProviderRegistration:
    """A provider applies to be registered for one category of a scheme in a year, with its priced services."""
    require(can_register_provider(actor))
    if category not in scheme.categories:
        raise ServiceError("invalid_category", _("This scheme does not cover that service category."),
                           field="category")
    year = year or today().year
    services = list(services)
    if not services:
        raise ServiceError("services_required", _("List at least one service with its price."), field="services")
    cleaned = []
    for index, row in enumerate(services):
        name = (row.get("name") or "").strip()
        if not name:
            raise ServiceError("service_name_required", _("Name each service."), field=f"services[{index}].name")
        price = money_input(row.get("price_fen"), field=f"services[{index}].price_fen", allow_zero=True)
        cleaned.append(ProviderService(name=name[:128], description=(row.get("description") or "")[:2000],
                                       price_fen=price, unit=(row.get("unit") or "")[:32]))
    try:
        with transaction.atomic():
            registration = ProviderRegistration.objects.create(
                scheme=scheme, provider=actor.organisation, category=category, year=year,
                description=(description or "").strip(), applied_by=actor.user)
            for service in cleaned:
                service.registration = registration
            ProviderService.objects.bulk_create(cleaned)
            audit_record(actor=actor, verb="vouchers.provider_applied", obj=registration, department=scheme.department,
                         params={"scheme": scheme.code, "category": category, "year": year, "services": len(cleaned)})
    except IntegrityError as exc:
        raise Conflict("already_registered",
                       _("This provider has already applied for this category and year.")) from exc
    return registration


def provider_registration_decide(*, actor: Actor, registration: ProviderRegistration, approve: bool,
                                 note: str = "") -> ProviderRegistration:
    """The department approves (after credit screening of the provider) or rejects a registration; it may revoke
    an approved one."""
    require(can_manage_scheme(actor, registration.scheme))
    note = (note or "").strip()
    if not approve and not note:
        raise ServiceError("note_required", _("Give the reason."), field="note")
    result = (screen(Party(name=registration.provider.name, uscc=registration.provider.code),
                     scheme=registration.scheme) if approve else None)
    with transaction.atomic():
        registration = ProviderRegistration.objects.select_for_update().get(pk=registration.pk)
        sources = {RegistrationState.APPLIED} if approve else {RegistrationState.APPLIED, RegistrationState.APPROVED}
        if registration.state not in sources:
            raise Conflict("wrong_state", _("This registration is %(state)s; that step is not possible now.")
                           % {"state": registration.get_state_display()})
        before = registration.state
        if result is not None:
            registration.screening_evidence = result.evidence_id
        if approve and result.blocked:
            registration.state = RegistrationState.REJECTED
            note = blocked_message(result)
        elif approve:
            registration.state = RegistrationState.APPROVED
        else:
            registration.state = (RegistrationState.REVOKED if before == RegistrationState.APPROVED
                                  else RegistrationState.REJECTED)
        registration.decision_note = note
        registration.decided_at = timezone.now()
        registration.save()
        audit_record(actor=actor, verb="vouchers.provider_decided", obj=registration,
                     department=registration.scheme.department,
                     params={"from": before, "to": registration.state, "note": note,
                             "evidence": registration.screening_evidence})
    return registration


def provider_registration_check(registration: ProviderRegistration) -> None:
    """Raise unless the provider may still act under this registration."""
    if registration.state != RegistrationState.APPROVED:
        raise Conflict("provider_not_registered", _("The provider is not registered for this service category."))


def provider_service_add(*, actor: Actor, registration: ProviderRegistration, name: str, price_fen: int,
                         unit: str = "", description: str = "") -> ProviderService:
    require(can_act_for_provider(actor, registration.provider))
    if not (name or "").strip():
        raise ServiceError("service_name_required", _("Name each service."), field="name")
    money_input(price_fen, field="price_fen", allow_zero=True)
    with transaction.atomic():
        service = ProviderService.objects.create(registration=registration, name=name.strip()[:128],
                                                 price_fen=price_fen, unit=unit[:32], description=description)
        audit_record(actor=actor, verb="vouchers.service_added", obj=service, department=registration.scheme.department,
                     params={"registration": registration.pk, "price_fen": price_fen})
    return service
