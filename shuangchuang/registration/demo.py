"""Demo data of registration: two establishments approved through the whole workflow (one a custodian firm for
cluster registration, one hosted at its address), an application waiting in the authority's queue, and a
simplified-deregistration notice in progress. Log in as demo-enterprise (applicant) and demo-officer-amr."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from shuangchuang.core.actor import Actor
from shuangchuang.core.demo import DemoContext
from shuangchuang.core.models import Organisation, User
from shuangchuang.core.selectors import roles_for
from shuangchuang.core.errors import ServiceError
from shuangchuang.registration import names_bridge
from shuangchuang.registration.services import (
    ApplicationData,
    OfficerData,
    ShareholderData,
    application_transition,
    custodian_apply,
    custodian_decide,
    deregistration_start,
    establishment_apply,
)
from shuangchuang.registry.models import Enterprise

ORDER = 40
LOGINS = [
    ("demo-enterprise", "注册申请人 / applicant for establishment, change and deregistration"),
    ("demo-officer-amr", "登记机关审核 / registration authority officer (review queue)"),
]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _actor(user: User, organisation: Organisation | None = None) -> Actor:
    if organisation is None:
        return Actor(user=user)
    return Actor(user=user, organisation=organisation, roles=roles_for(user, organisation))


def _reserve(context: DemoContext, actor: Actor, name: str, industry: str) -> int | None:
    if not names_bridge.available():
        return None
    from shuangchuang.names.services import name_reserve

    amr = Organisation.objects.get(code="SZ-MQSA")
    reservation = name_reserve(actor=actor, name=name, legal_form="llc", registration_authority=amr,
                               industry_code=industry, acknowledge_similar=True)
    return reservation.pk


def _data(owner: User, name: str, industry: str, scope: list[str], reservation_id, **extra) -> ApplicationData:
    data = ApplicationData(
        name=name, reservation_id=reservation_id, legal_form="llc", district="440305",
        address="深圳市南山区粤海街道科技南路18号", registered_capital_fen=100_000_000, industry=industry,
        scope_terms=scope, legal_rep_name=owner.full_name, legal_rep_id_number=owner.id_number,
        shareholders=[ShareholderData(name=owner.full_name, id_number=owner.id_number,
                                      subscribed_capital_fen=100_000_000)],
        officers=[OfficerData(position="executive_director", name=owner.full_name, id_number=owner.id_number)],
    )
    for key, value in extra.items():
        setattr(data, key, value)
    return data


def _establish(context, owner, officer, name, industry, scope, *, approve=True, **extra):
    applicant = _actor(owner)
    reservation_id = _reserve(context, applicant, name, industry)
    application = establishment_apply(actor=applicant, data=_data(owner, name, industry, scope, reservation_id,
                                                                  **extra), articles=_pdf("articles.pdf"))
    application_transition(actor=applicant, application=application, transition="submit")
    if approve:
        application_transition(actor=officer, application=application, transition="approve")
    return application


def load(context: DemoContext) -> None:
    owner = User.objects.filter(username="demo-enterprise").first()
    officer_user = User.objects.filter(username="demo-officer-amr").first()
    if owner is None or officer_user is None:
        context.log("Registration demo skipped: the registry's demo accounts are missing.")
        return
    officer = _actor(officer_user, Organisation.objects.get(code="SZ-MQSA"))
    try:
        secretary = _establish(context, owner, officer, "深圳市前湾商务秘书有限公司", "72", ["S0014", "S0015"])
        organisation = Organisation.objects.get(code=secretary.uscc)
        custodian = custodian_apply(
            actor=_actor(owner, organisation), enterprise=secretary.enterprise, address="深圳市南山区前湾一路1号",
            declarations={"service_place": True, "staff_and_procedures": True}, title_document=_pdf("lease.pdf"))
        custodian_decide(actor=officer, custodian=custodian, decision="approve")
        today = timezone.localdate()
        hosted = _establish(context, owner, officer, "深圳市星河智造科技有限公司", "65", ["S0001", "S0005"],
                            address="", custodian_id=custodian.pk, hosting_start=today,
                            hosting_end=today + datetime.timedelta(days=365))
        waiting = _establish(context, owner, officer, "深圳市云栖数据服务有限公司", "65", ["S0004"], approve=False)
        context.log(f"Registration: licences for {secretary.uscc} and {hosted.uscc}; application {waiting.pk} "
                    "waiting for review")
    except ServiceError as exc:
        context.log(f"Registration demo establishments skipped: {exc.message}")
    target = Enterprise.objects.filter(name="深圳市南岭云数信息技术有限公司").first()
    organisation = Organisation.objects.filter(code=target.uscc).first() if target else None
    if target is not None and organisation is not None:
        try:
            file = deregistration_start(actor=_actor(owner, organisation), enterprise=target, ground="not_started",
                                        promise=_pdf("promise.pdf"))
            context.log(f"Registration: deregistration notice of {target.name} until {file.notice_end}")
        except ServiceError as exc:
            context.log(f"Registration demo notice skipped: {exc.message}")
