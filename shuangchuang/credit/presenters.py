"""What of the credit data is public: list entries (personal ID numbers masked), lists, annual reports (items
1-6 always, the figures of item 7 only when the enterprise chose to publish them) and the credit record of an
enterprise. Used by the public pages and the API alike."""

from __future__ import annotations

from typing import Any

from shuangchuang.core.idnumber import mask_id_number
from shuangchuang.credit.models import ANNUAL_MONEY_FIELDS as MONEY_FIELDS
from shuangchuang.credit.models import AnnualReport, CreditList, EntryStatus, ListEntry


def public_list(credit_list: CreditList, *, active_count: int | None = None) -> dict[str, Any]:
    return {
        "id": credit_list.pk,
        "code": credit_list.code,
        "name": credit_list.name,
        "name_en": credit_list.name_en,
        "kind": credit_list.kind,
        "department": credit_list.department.name,
        "department_code": credit_list.department.code,
        "subjects": credit_list.subjects,
        "description": credit_list.description,
        "legal_basis": credit_list.legal_basis,
        "listing_rules": credit_list.listing_rules,
        "removal_rules": credit_list.removal_rules,
        "term_months": credit_list.term_months,
        "repair_allowed": credit_list.repair_allowed,
        "repair_min_months": credit_list.repair_min_months,
        "version": credit_list.version,
        "active_entries": active_count if active_count is not None else getattr(credit_list, "active_count", None),
        "restrictions": [
            {"action": r.action, "action_display": str(r.get_action_display()), "subject": r.subject,
             "valid_from": r.valid_from, "valid_to": r.valid_to, "duration_months": r.duration_months,
             "legal_basis": r.legal_basis}
            for r in credit_list.restrictions.all()
        ],
    }


def public_entry(entry: ListEntry, *, full_id_numbers: bool = False) -> dict[str, Any]:
    """An entry as published. Persons: name, sex, age and the ID number masked (SPC rules Art 4); the full
    number only for the issuing department."""
    def id_shown(value: str) -> str:
        return value if full_id_numbers else mask_id_number(value)

    return {
        "id": entry.pk,
        "list": entry.credit_list.code,
        "list_name": entry.credit_list.name,
        "subject_type": entry.subject_type,
        "name": entry.name,
        "uscc": entry.uscc,
        "org_code": entry.org_code,
        "old_registration_number": entry.old_registration_number,
        "id_number": id_shown(entry.id_number),
        "sex": entry.sex,
        "age": entry.age,
        "legal_representative": entry.legal_representative,
        "reason": entry.reason,
        "authority": entry.authority,
        "document_number": entry.document_number,
        "case_number": entry.case_number,
        "obligation": entry.obligation,
        "performance": entry.performance,
        "filed_on": entry.filed_on,
        "listed_on": entry.listed_on,
        "expires_on": entry.expires_on,
        "status": entry.status,
        "status_display": str(entry.get_status_display()),
        "removed_on": entry.removed_on,
        "removal_reason": entry.removal_reason,
        "version": entry.version,
    }


def public_annual_report(report: AnnualReport) -> dict[str, Any]:
    data: dict[str, Any] = {
        "year": report.year,
        "version": report.version,
        "is_current": report.is_current,
        "filed_at": report.filed_at,
        "late": report.late,
        "address": report.address,
        "postcode": report.postcode,
        "phone": report.phone,
        "email": report.email,
        "operating_status": report.operating_status,
        "operating_status_display": str(report.get_operating_status_display()),
        "investments": report.investments,
        "shareholders": report.shareholders,
        "equity_transfers": report.equity_transfers,
        "websites": report.websites,
        "figures_published": report.publish_figures,
        "figures": None,
    }
    if report.publish_figures:
        data["figures"] = {"employees": report.employees,
                           **{name: getattr(report, name) for name in MONEY_FIELDS}}
    return data


def credit_record(enterprise, entries, reports) -> dict[str, Any]:
    """The public credit record of an enterprise: current listings, past listings, records (licences and
    penalties, 双公示) and annual reports with every version."""
    listings, history, records = [], [], []
    for entry in entries:
        data = public_entry(entry)
        if entry.credit_list.kind in ("admin_licence", "admin_penalty"):
            records.append(data)
        elif entry.status == EntryStatus.ACTIVE:
            listings.append(data)
        else:
            history.append(data)
    return {
        "uscc": enterprise.uscc,
        "name": enterprise.name,
        "status": enterprise.status,
        "status_display": str(enterprise.get_status_display()),
        "registration_authority": enterprise.registration_authority.name if enterprise.registration_authority_id
        else None,
        "legal_representative": enterprise.legal_representative.name if enterprise.legal_representative_id else None,
        "listed": bool(listings),
        "listings": listings,
        "history": history,
        "records": records,
        "annual_reports": [public_annual_report(r) for r in reports],
    }
