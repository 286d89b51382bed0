"""Cluster registration (集群注册) and one address, many licences (一址多照), POLICY-FACTS §2.5.

A firm applies to act as custodian (托管企业); the conditions are configurable checks (rule
"cluster.custodian_checks": each can be switched off by the authority) and the authority approves. Hosted firms
then register the custodian's address with its annotation (an establishment or change application with the
custodian), under a hosting contract with dates; the custodian records each document served for them.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import audit_record
from shuangchuang.core.errors import Conflict, ServiceError, require
from shuangchuang.registration import selectors
from shuangchuang.registration.models import Custodian, CustodianState, HostingContract, ServedDocument
from shuangchuang.registration.permissions import can_apply_for_enterprise, can_decide_custodian, \
    can_serve_for_custodian
from shuangchuang.registration.services.common import ScreenedParty, check_upload, screen_parties
from shuangchuang.registry.models import District, Enterprise

SECRETARY_TERM = "商务秘书服务"
DECLARATIONS = ("service_place", "staff_and_procedures")


def custodian_checks(enterprise: Enterprise, *, annotation: str, declarations: dict, has_title: bool,
                     screening: list[dict], on: datetime.date) -> list[dict]:
    """Each configured condition with pass/fail and why; a switched-off condition is not listed."""
    enabled = selectors.rule_value("cluster.custodian_checks", on=on) or {}
    licence = selectors.current_licence(enterprise)
    results = []

    def add(code: str, ok: bool, message: str) -> None:
        if enabled.get(code, False):
            results.append({"code": code, "ok": bool(ok), "message": str(message)})

    add("scope_business_secretary", licence is not None and SECRETARY_TERM in licence.scope,
        _("The business scope includes %(term)s.") % {"term": SECRETARY_TERM})
    add("address_annotated", "托管" in (annotation or ""), _("The address is marked as the custodian's (托管企业)."))
    add("service_place", declarations.get("service_place"), _("A fixed place where documents can be served."))
    add("clear_title", has_title, _("Proof of title or lease of the premises is attached."))
    firm = [s for s in screening if s["role"] == "custodian"]
    rep = [s for s in screening if s["role"] == "custodian_legal_representative"]
    add("not_listed", firm and not any(s["blocked"] or s["hits"] for s in firm),
        _("The firm is on no abnormal-operation or dishonesty list."))
    add("legal_rep_not_listed", not any(s["blocked"] or s["hits"] for s in rep),
        _("The legal representative is on no such list."))
    add("staff_and_procedures", declarations.get("staff_and_procedures"),
        _("Staff and procedures fit for the service."))
    return results


def custodian_apply(*, actor: Actor, enterprise: Enterprise, address: str, annotation: str = "（托管企业）",
                    district: str = "", declarations: dict | None = None, title_document=None) -> Custodian:
    require(can_apply_for_enterprise(actor, enterprise))
    address = " ".join((address or "").split())[:200]
    if not address:
        raise ServiceError("address_required", _("Enter the address offered to hosted firms."), field="address")
    if Custodian.objects.filter(enterprise=enterprise, state__in=[CustodianState.APPLIED,
                                                                  CustodianState.APPROVED]).exists():
        raise Conflict("already_custodian", _("This firm has already applied or is approved."))
    found_district = District.objects.filter(key=district).first() if district else enterprise.district
    declarations = {k: bool((declarations or {}).get(k)) for k in DECLARATIONS}
    content_type = check_upload(title_document, "title_document") if title_document is not None else ""
    parties = [ScreenedParty("custodian", enterprise.name, uscc=enterprise.uscc)]
    if enterprise.legal_representative_id:
        rep = enterprise.legal_representative
        parties.append(ScreenedParty("custodian_legal_representative", rep.name, id_number=rep.id_number))
    screening = screen_parties(parties, client=f"custodian:{enterprise.uscc}",
                               authority=enterprise.registration_authority)
    on = timezone.localdate()
    checks = custodian_checks(enterprise, annotation=annotation, declarations=declarations,
                              has_title=bool(content_type), screening=screening, on=on)
    with transaction.atomic():
        custodian = Custodian(organisation=actor.organisation, enterprise=enterprise,
                              authority=enterprise.registration_authority, address=address,
                              annotation=(annotation or "")[:60], district=found_district, declarations=declarations,
                              checks=checks, screening=screening)
        if title_document is not None:
            title_document.seek(0)
            custodian.title_document.save(f"title-{enterprise.uscc}.pdf", title_document, save=False)
        custodian.save()
        audit_record(actor=actor, verb="registration.custodian_applied", obj=custodian,
                     department=custodian.authority,
                     params={"checks": {c["code"]: c["ok"] for c in checks},
                             "evidence": [s["evidence_id"] for s in screening]})
    return custodian


def custodian_decide(*, actor: Actor, custodian: Custodian, decision: str, note: str = "") -> Custodian:
    """Approve (every configured condition must pass), refuse or suspend a custodian firm."""
    require(can_decide_custodian(actor, custodian))
    allowed = {"approve": ({CustodianState.APPLIED, CustodianState.SUSPENDED}, CustodianState.APPROVED),
               "reject": ({CustodianState.APPLIED}, CustodianState.REJECTED),
               "suspend": ({CustodianState.APPROVED}, CustodianState.SUSPENDED)}
    if decision not in allowed:
        raise ServiceError("invalid_decision", _("Approve, refuse or suspend."), field="decision")
    sources, target = allowed[decision]
    if custodian.state not in sources:
        raise Conflict("wrong_state", _("Not possible in the state %(state)s.") % {
            "state": custodian.get_state_display()})
    note = (note or "").strip()
    if decision != "approve" and not note:
        raise ServiceError("note_required", _("Give the reasons."), field="note")
    if decision == "approve":
        failing = [c["message"] for c in custodian.checks if not c["ok"]]
        if failing:
            raise Conflict("conditions_not_met", _("Conditions not met: %(list)s") % {"list": " ".join(failing)})
    with transaction.atomic():
        before = custodian.state
        custodian.state = target
        custodian.decision_note = note
        custodian.decided_at = timezone.now()
        custodian.save(update_fields=["state", "decision_note", "decided_at"])
        audit_record(actor=actor, verb=f"registration.custodian_{decision}", obj=custodian,
                     department=custodian.authority, params={"from": before, "to": target, "note": note})
    return custodian


def hosting_contract_end(*, actor: Actor, contract: HostingContract, on: datetime.date) -> HostingContract:
    require(can_serve_for_custodian(actor, contract.custodian))
    if on < contract.starts_on:
        raise ServiceError("invalid_date", _("A contract cannot end before it starts."), field="on")
    with transaction.atomic():
        contract.ended_on = on
        contract.save(update_fields=["ended_on"])
        audit_record(actor=actor, verb="registration.hosting_ended", obj=contract,
                     department=contract.custodian.authority, params={"on": on})
    return contract


def document_served_record(*, actor: Actor, custodian: Custodian, enterprise: Enterprise, title: str, sender: str,
                           received_on: datetime.date, signed_on: datetime.date) -> ServedDocument:
    """Record a document received for a hosted firm; it counts as served on the day the custodian signs."""
    require(can_serve_for_custodian(actor, custodian))
    if not selectors.hosted_at(custodian, received_on).filter(enterprise=enterprise).exists():
        raise Conflict("not_hosted", _("This firm was not hosted by the custodian on that day."))
    title, sender = " ".join((title or "").split()), " ".join((sender or "").split())
    if not title or not sender:
        raise ServiceError("incomplete", _("Enter the document and who sent it."), field="title")
    if signed_on < received_on:
        raise ServiceError("invalid_date", _("It cannot be signed for before it is received."), field="signed_on")
    with transaction.atomic():
        document = ServedDocument.objects.create(custodian=custodian, enterprise=enterprise, title=title[:200],
                                                 sender=sender[:128], received_on=received_on, signed_on=signed_on,
                                                 recorded_by=actor.label)
        audit_record(actor=actor, verb="registration.document_served", obj=document, object_label=title[:200],
                     department=custodian.authority, params={"enterprise": enterprise.uscc, "signed_on": signed_on})
    return document
