"""Helpers shared by the registration services: uploads, screening of parties, money, the system actor."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.errors import ServiceError
from shuangchuang.core.files import DOCUMENT_TYPES, validate_upload
from shuangchuang.core.idnumber import mask_id_number

# Screening by personal ID number is for officers; the registration system screens the parties it is given.
REGISTRATION_SYSTEM = Actor.system("registration")


def check_upload(upload, field: str) -> str:
    """The detected content type of an uploaded document, or a ServiceError on the field."""
    try:
        return validate_upload(upload, allowed_types=DOCUMENT_TYPES)
    except ValidationError as exc:
        raise ServiceError(exc.code or "bad_file", " ".join(str(m) for m in exc.messages), field=field) from exc


def check_fen(value, field: str, *, positive: bool = False) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or (positive and value == 0):
        raise ServiceError("invalid_amount", _("Amounts are whole fen, never negative."), field=field)
    return value


@dataclass(frozen=True)
class ScreenedParty:
    role: str  # "shareholder" or "legal_representative" (or "custodian", "custodian_legal_representative")
    name: str
    id_number: str = ""
    uscc: str = ""


def screen_parties(parties: list[ScreenedParty], *, client: str = "", actor: Actor | None = None,
                   authority=None) -> list[dict]:
    """Screen each party (shareholders: action "registration"; the legal representative: "legal_representative")
    and return one summary per party with the evidence id and, where barred, the basis.

    The registration system screens for applicants (screening by ID number is for officers); an officer of the
    authority screens in their own name, so the evidence is theirs to open and adjudicate in the credit module.
    The authority deciding the application is named on the evidence, so its officers can open the system's too."""
    actor = actor if actor is not None and actor.department is not None else REGISTRATION_SYSTEM
    from shuangchuang.credit.services import Party, screening_run

    summaries = []
    for party in parties:
        action = "legal_representative" if party.role.endswith("legal_representative") else "registration"
        result = screening_run(
            actor=actor, party=Party(name=party.name, uscc=party.uscc, id_number=party.id_number),
            action=action, channel="registration", client=client, deciding_department=authority,
        )
        basis = []
        for hit in result.hits:
            for restriction in hit.get("restrictions", []):
                if hit.get("status") in ("match", "confirmed"):
                    basis.append({"list": hit["list_name"], "listed_on": hit["listed_on"],
                                  "reason": hit["listing_reason"], "legal_basis": restriction["legal_basis"]})
        summaries.append({
            "role": party.role, "name": party.name, "id_number": mask_id_number(party.id_number),
            "uscc": party.uscc, "action": action, "decision": result.decision, "blocked": result.blocked,
            "evidence_id": result.evidence_id, "basis": basis, "hits": len(result.hits),
        })
    return summaries


def barred_message(summaries: list[dict]) -> str:
    parts = []
    for s in summaries:
        if s["blocked"]:
            grounds = "; ".join(f"{b['list']} ({b['listed_on']}): {b['legal_basis'] or b['reason']}" for b in s["basis"])
            parts.append(_("%(name)s may not act as %(role)s: %(grounds)s") % {
                "name": s["name"], "role": role_label(s["role"]), "grounds": grounds})
    return " ".join(parts)


def role_label(role: str) -> str:
    return {
        "shareholder": _("shareholder"), "legal_representative": _("legal representative"),
        "custodian": _("custodian firm"), "custodian_legal_representative": _("custodian's legal representative"),
    }.get(role, role)
