"""What of a registration record is shown: to its applicant and authority (whole), to the public (masked)."""

from __future__ import annotations

from shuangchuang.core.idnumber import mask_id_number
from shuangchuang.registration.checks import corrections
from shuangchuang.registration.models import Application, Deregistration, Licence


def application_dict(application: Application, *, with_check: bool = True) -> dict:
    return {
        "id": application.pk, "kind": application.kind, "state": application.state,
        "state_display": str(application.get_state_display()), "authority": application.authority.name,
        "name": application.name, "reservation_id": application.reservation_id, "legal_form": application.legal_form,
        "district": application.district.key if application.district_id else "", "address": application.address,
        "custodian_id": application.custodian_id, "hosting_start": application.hosting_start,
        "hosting_end": application.hosting_end, "registered_capital_fen": application.registered_capital_fen,
        "industry": application.industry_id or "", "scope_terms": application.scope_terms,
        "legal_rep_name": application.legal_rep_name,
        "legal_rep_id_number": mask_id_number(application.legal_rep_id_number),
        "shareholders": [{"kind": h.kind, "name": h.name, "id_number": mask_id_number(h.id_number), "uscc": h.uscc,
                          "subscribed_capital_fen": h.subscribed_capital_fen} for h in application.shareholders.all()],
        "officers": [{"position": o.position, "name": o.name, "id_number": mask_id_number(o.id_number)}
                     for o in application.officers.all()],
        "articles": bool(application.articles), "changes": application.changes,
        "screening": application.screening, "corrections_requested": application.corrections,
        "completeness": corrections(application) if with_check and application.is_open else [],
        "submitted_at": application.submitted_at, "corrections_due": application.corrections_due,
        "decision_due": application.decision_due, "decided_at": application.decided_at,
        "decision_note": application.decision_note, "uscc": application.uscc,
    }


def licence_dict(licence: Licence) -> dict:
    return {
        "uscc": licence.uscc, "name": licence.name, "type": licence.legal_form,
        "legal_representative": licence.legal_representative,
        "registered_capital_fen": licence.registered_capital_fen, "address": licence.address,
        "scope": licence.scope, "authority": licence.authority, "founded_on": licence.founded_on,
        "issued_on": licence.issued_on, "current": licence.is_current,
        "superseded": licence.superseded_at is not None, "revoked": licence.revoked_at is not None,
    }


def notice_dict(file: Deregistration) -> dict:
    """A deregistration notice as published (no ID numbers, no objectors' contacts)."""
    return {
        "id": file.pk, "name": file.enterprise.name, "uscc": file.enterprise.uscc,
        "authority": file.authority.name if file.authority_id else "", "rule_version": file.rule_version,
        "ground": file.reason, "notice_start": file.notice_start, "notice_end": file.notice_end,
        "apply_by": file.extended_to or file.apply_by, "state": file.state,
    }
