"""Write use cases of the registry."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import audit_record
from shuangchuang.core.errors import Conflict, ServiceError, require
from shuangchuang.core.idnumber import validate_id_number
from shuangchuang.core.models import Organisation
from shuangchuang.registry.models import (
    District,
    Enterprise,
    EnterpriseStatus,
    IndustryDivision,
    LegalForm,
    NaturalPerson,
)
from shuangchuang.registry.permissions import (
    can_change_registration,
    can_register_enterprise,
    can_update_enterprise_figures,
)
from shuangchuang.registry.selectors import size_class_for
from shuangchuang.registry.uscc import REASON_MESSAGES, parse_uscc


def _check_money(name: str, value: int | None) -> None:
    if value is not None and (not isinstance(value, int) or value < 0):
        raise ServiceError("invalid_amount", _("Amounts are whole fen and never negative."), field=name)


def enterprise_register(
    *,
    actor: Actor,
    uscc: str,
    name: str,
    legal_form: str,
    trade_name: str = "",
    registration_authority: Organisation | None = None,
    district: District | None = None,
    address: str = "",
    industry: IndustryDivision | None = None,
    industry_class_code: str = "",
    founded_on: datetime.date | None = None,
    legal_representative: NaturalPerson | None = None,
    registered_capital_fen: int | None = None,
    employees: int | None = None,
    revenue_fen: int | None = None,
    total_assets_fen: int | None = None,
) -> Enterprise:
    require(can_register_enterprise(actor, registration_authority))
    result = parse_uscc(uscc)
    if not result.valid:
        raise ServiceError(f"uscc_{result.reason}", _(REASON_MESSAGES[result.reason]), field="uscc")
    name = " ".join((name or "").split())
    if not name:
        raise ServiceError("name_required", _("Enter the enterprise's name."), field="name")
    if legal_form not in LegalForm.values:
        raise ServiceError("invalid_legal_form", _("Unknown legal form."), field="legal_form")
    for field_name, value in (("registered_capital_fen", registered_capital_fen), ("revenue_fen", revenue_fen),
                              ("total_assets_fen", total_assets_fen)):
        _check_money(field_name, value)
    enterprise = Enterprise(
        uscc=result.code, name=name, trade_name=trade_name, legal_form=legal_form,
        registration_authority=registration_authority, district=district, address=address, industry=industry,
        industry_class_code=industry_class_code, founded_on=founded_on, legal_representative=legal_representative,
        registered_capital_fen=registered_capital_fen, employees=employees, revenue_fen=revenue_fen,
        total_assets_fen=total_assets_fen,
    )
    enterprise.size_class = size_class_for(
        division_code=industry.code if industry else None, class_code=industry_class_code, employees=employees,
        revenue_fen=revenue_fen, assets_fen=total_assets_fen,
    )
    try:
        with transaction.atomic():
            enterprise.save()
            audit_record(
                actor=actor, verb="registry.enterprise_registered", obj=enterprise, department=registration_authority,
                params={"uscc": enterprise.uscc, "name": enterprise.name},
            )
    except IntegrityError as exc:
        raise Conflict("uscc_exists", _("An enterprise with this USCC is already registered.")) from exc
    return enterprise


def enterprise_update_figures(
    *,
    actor: Actor,
    enterprise: Enterprise,
    financial_year: int,
    employees: int | None,
    revenue_fen: int | None,
    total_assets_fen: int | None,
    rd_expense_fen: int | None = None,
) -> Enterprise:
    """Record the enterprise's figures for a year and recompute its size class."""
    require(can_update_enterprise_figures(actor, enterprise))
    if employees is not None and employees < 0:
        raise ServiceError("invalid_employees", _("The number of employees cannot be negative."), field="employees")
    for field_name, value in (("revenue_fen", revenue_fen), ("total_assets_fen", total_assets_fen),
                              ("rd_expense_fen", rd_expense_fen)):
        _check_money(field_name, value)
    before = {"employees": enterprise.employees, "revenue_fen": enterprise.revenue_fen,
              "total_assets_fen": enterprise.total_assets_fen, "size_class": enterprise.size_class}
    enterprise.financial_year = financial_year
    enterprise.employees = employees
    enterprise.revenue_fen = revenue_fen
    enterprise.total_assets_fen = total_assets_fen
    enterprise.rd_expense_fen = rd_expense_fen
    enterprise.size_class = size_class_for(
        division_code=enterprise.industry_id, class_code=enterprise.industry_class_code, employees=employees,
        revenue_fen=revenue_fen, assets_fen=total_assets_fen,
    )
    with transaction.atomic():
        enterprise.save(update_fields=["financial_year", "employees", "revenue_fen", "total_assets_fen",
                                       "rd_expense_fen", "size_class", "updated_at"])
        audit_record(
            actor=actor, verb="registry.enterprise_figures_updated", obj=enterprise,
            department=enterprise.registration_authority,
            params={"before": before, "financial_year": financial_year, "size_class": enterprise.size_class},
        )
    return enterprise


def natural_person_get_or_create(*, actor: Actor, id_number: str, name: str) -> NaturalPerson:
    """The register's record of a person by resident ID number (validated), created on first use."""
    try:
        id_number = validate_id_number(id_number)
    except ValidationError as exc:
        raise ServiceError(exc.code or "invalid_id_number", exc.messages[0], field="id_number") from exc
    name = " ".join((name or "").split())
    if not name:
        raise ServiceError("name_required", _("Enter the person's name."), field="name")
    with transaction.atomic():
        person, created = NaturalPerson.objects.get_or_create(id_number=id_number, defaults={"name": name})
        if created:
            audit_record(actor=actor, verb="registry.person_recorded", obj=person, object_label=name,
                         params={"name": name})
    return person


CHANGEABLE = ("name", "trade_name", "address", "district", "registered_capital_fen", "legal_representative")


def enterprise_change(*, actor: Actor, enterprise: Enterprise, changes: dict) -> Enterprise:
    """Change registered particulars (keys of CHANGEABLE) of an operating enterprise; one audit event with the
    values before and after. The registration module calls it on approving a change registration."""
    require(can_change_registration(actor, enterprise))
    unknown = set(changes) - set(CHANGEABLE)
    if unknown:
        raise ServiceError("invalid_change", _("These particulars cannot be changed here: %(fields)s.")
                           % {"fields": ", ".join(sorted(unknown))})
    if "name" in changes:
        changes["name"] = " ".join((changes["name"] or "").split())
        if not changes["name"]:
            raise ServiceError("name_required", _("Enter the enterprise's name."), field="name")
    _check_money("registered_capital_fen", changes.get("registered_capital_fen"))
    with transaction.atomic():
        enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        if enterprise.status != EnterpriseStatus.OPERATING:
            raise Conflict("not_operating", _("Only an operating enterprise can change its registration."))

        def shown(field, value):
            return value.pk if hasattr(value, "pk") else value

        before = {field: shown(field, getattr(enterprise, field)) for field in changes}
        for field, value in changes.items():
            setattr(enterprise, field, value)
        enterprise.save(update_fields=[*changes, "updated_at"])
        audit_record(actor=actor, verb="registry.enterprise_changed", obj=enterprise,
                     department=enterprise.registration_authority,
                     params={"before": before, "after": {f: shown(f, v) for f, v in changes.items()}})
    return enterprise


def enterprise_status_set(*, actor: Actor, enterprise: Enterprise, status: str, on: datetime.date) -> Enterprise:
    """Set the registration status (deregistered, revoked, …) from a day; audited."""
    require(can_change_registration(actor, enterprise))
    if status not in EnterpriseStatus.values:
        raise ServiceError("invalid_status", _("Unknown registration status."), field="status")
    with transaction.atomic():
        enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        before = enterprise.status
        enterprise.status = status
        enterprise.status_changed_on = on
        enterprise.save(update_fields=["status", "status_changed_on", "updated_at"])
        audit_record(actor=actor, verb="registry.enterprise_status_set", obj=enterprise,
                     department=enterprise.registration_authority,
                     params={"from": before, "to": status, "on": on})
    return enterprise
