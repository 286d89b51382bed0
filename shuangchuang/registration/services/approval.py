"""What approval does, inside the approving transaction of application_transition:

- establishment: a new USCC of the authority's region, the enterprise in the registry (registry service
  enterprise_register), its organisation on the platform with the applicant as member, the name reservation
  consumed, the hosting contract of a cluster registration, and the electronic business licence;
- change: the changed items written to the register, the old name protected for a year, the licence reissued.
"""

from __future__ import annotations

import datetime
import secrets

from django.utils import timezone

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import audit_record
from shuangchuang.core.models import OrganisationKind, Role
from shuangchuang.core.services import membership_grant, organisation_create
from shuangchuang.registration import names_bridge, selectors
from shuangchuang.registration.models import Application, ApplicationKind, HostingContract, Licence
from shuangchuang.registration.services.common import REGISTRATION_SYSTEM
from shuangchuang.registration.services.uscc import uscc_issue
from shuangchuang.registry.models import Enterprise, NaturalPerson
from shuangchuang.registry.services import enterprise_change, enterprise_register, natural_person_get_or_create

LEGAL_FORM_ZH = {
    "llc": "有限责任公司", "jsc": "股份有限公司", "sole": "个人独资企业", "partnership": "合伙企业",
    "branch": "分公司", "individual": "个体工商户", "cooperative": "农民专业合作社",
}
PRIOR_APPROVAL_NOTE = "（依法须经批准的项目，经相关部门批准后方可开展经营活动）"


def _person(actor: Actor, name: str, id_number: str) -> NaturalPerson:
    return natural_person_get_or_create(actor=actor, id_number=id_number, name=name)


def _trade_name(application: Application) -> str:
    found = names_bridge.reservation(application.reservation_id)
    return getattr(found, "trade_name", "") if found is not None else ""


def scope_for_licence(codes) -> str:
    terms = selectors.scope_terms_by_code(codes)
    text = "；".join(terms[c].text for c in codes if c in terms)
    if any(terms[c].prior_approval for c in codes if c in terms):
        text += PRIOR_APPROVAL_NOTE
    return text


def licence_issue(*, actor: Actor, enterprise: Enterprise, application: Application | None, scope: str,
                  on: datetime.date) -> Licence:
    """Issue the licence of the enterprise as registered now; the current one, if any, is superseded."""
    now = timezone.now()
    Licence.objects.filter(enterprise=enterprise, superseded_at__isnull=True).update(superseded_at=now)
    licence = Licence.objects.create(
        enterprise=enterprise, application=application, token=secrets.token_urlsafe(18)[:24], uscc=enterprise.uscc,
        name=enterprise.name, legal_form=LEGAL_FORM_ZH.get(enterprise.legal_form, enterprise.legal_form),
        legal_representative=enterprise.legal_representative.name if enterprise.legal_representative_id else "",
        registered_capital_fen=enterprise.registered_capital_fen, address=enterprise.address, scope=scope,
        authority=enterprise.registration_authority.name if enterprise.registration_authority_id else "",
        founded_on=enterprise.founded_on or on, issued_on=on,
    )
    audit_record(actor=actor, verb="registration.licence_issued", obj=licence,
                 department=enterprise.registration_authority, params={"uscc": licence.uscc, "token": licence.token})
    return licence


def approve(*, actor: Actor, application: Application, on: datetime.date) -> None:
    if application.kind == ApplicationKind.ESTABLISHMENT:
        _establish(actor, application, on)
    else:
        _change(actor, application, on)


def _hosting(application: Application, enterprise: Enterprise) -> None:
    if application.custodian_id:
        HostingContract.objects.create(custodian=application.custodian, enterprise=enterprise,
                                       starts_on=application.hosting_start, ends_on=application.hosting_end)


def _record_investors(actor: Actor, application: Application, enterprise: Enterprise, on: datetime.date) -> None:
    usccs = [h.uscc for h in application.shareholders.all() if h.uscc]
    for investor in Enterprise.objects.filter(uscc__in=usccs):
        names_bridge.record_investment(actor=actor, investor=investor, investee=enterprise, since=on,
                                       source=f"registration application {application.pk}")


def _establish(actor: Actor, application: Application, on: datetime.date) -> None:
    authority = application.authority
    uscc = uscc_issue(region=authority.region_code, legal_form=application.legal_form)
    person = _person(actor, application.legal_rep_name, application.legal_rep_id_number)
    enterprise = enterprise_register(
        actor=actor, uscc=uscc, name=application.name, legal_form=application.legal_form,
        trade_name=_trade_name(application), registration_authority=authority, district=application.district,
        address=application.address, industry=application.industry, founded_on=on, legal_representative=person,
        registered_capital_fen=application.registered_capital_fen,
    )
    organisation = organisation_create(actor=REGISTRATION_SYSTEM, kind=OrganisationKind.ENTERPRISE, code=uscc,
                                       name=application.name)
    applicant = application.applicant
    role = Role.LEGAL_REPRESENTATIVE if applicant.id_number == application.legal_rep_id_number else Role.ADMIN
    membership_grant(actor=REGISTRATION_SYSTEM, user=applicant, organisation=organisation, role=role)
    names_bridge.consume(actor=actor, reservation_id=application.reservation_id, enterprise=enterprise)
    _record_investors(actor, application, enterprise, on)
    _hosting(application, enterprise)
    application.uscc = uscc
    application.enterprise = enterprise
    application.organisation = organisation
    licence_issue(actor=actor, enterprise=enterprise, application=application,
                  scope=scope_for_licence(application.scope_terms), on=on)


def _change(actor: Actor, application: Application, on: datetime.date) -> None:
    """Write the changed items to the register (registry.enterprise_change, audited there)."""
    enterprise = Enterprise.objects.get(pk=application.enterprise_id)
    items = {c["item"] for c in application.changes}
    old_name = enterprise.name
    changes = {}
    if "name" in items:
        changes["name"] = application.name
        changes["trade_name"] = _trade_name(application) or enterprise.trade_name
    if "address" in items:
        changes["address"] = application.address
        changes["district"] = application.district
    if "capital" in items:
        changes["registered_capital_fen"] = application.registered_capital_fen
    if "legal_representative" in items:
        changes["legal_representative"] = _person(actor, application.legal_rep_name, application.legal_rep_id_number)
    enterprise = enterprise_change(actor=actor, enterprise=enterprise, changes=changes)
    if "address" in items:
        _hosting(application, enterprise)
    audit_record(actor=actor, verb="registration.enterprise_changed", obj=enterprise,
                 department=enterprise.registration_authority,
                 params={"items": sorted(items), "application": application.pk})
    if "name" in items:
        organisation = application.organisation
        if organisation is not None:
            organisation.name = enterprise.name
            organisation.save(update_fields=["name"])
        names_bridge.protect(actor=actor, name=old_name, enterprise=enterprise, reason="changed", since=on)
        names_bridge.consume(actor=actor, reservation_id=application.reservation_id, enterprise=enterprise)
    current = selectors.current_licence(enterprise)
    scope = scope_for_licence(application.scope_terms) if "scope" in items else (current.scope if current else "")
    licence_issue(actor=actor, enterprise=enterprise, application=application, scope=scope, on=on)
