"""What of an enterprise is public (shown to anyone, on pages and in the API)."""

from __future__ import annotations

from shuangchuang.registry.models import Enterprise


def public_enterprise(enterprise: Enterprise) -> dict:
    industry = enterprise.industry
    return {
        "uscc": enterprise.uscc,
        "name": enterprise.name,
        "legal_form": enterprise.legal_form,
        "legal_form_display": enterprise.get_legal_form_display(),
        "status": enterprise.status,
        "status_display": enterprise.get_status_display(),
        "district": enterprise.district.name if enterprise.district_id else None,
        "industry_section": industry.section_id if industry else None,
        "industry_division": industry.code if industry else None,
        "industry_name": industry.name if industry else None,
        "founded_on": enterprise.founded_on,
        "registration_authority": enterprise.registration_authority.name if enterprise.registration_authority_id else None,
        "legal_representative": enterprise.legal_representative.name if enterprise.legal_representative_id else None,
        "address": enterprise.address,
        "size_class": enterprise.size_class or None,
    }
