"""Demo data of the vouchers module: the two schemes (科技创新券 of 市科技创新委 with a demo budget, 南山区租房券
whose numbers the district has not set), the demo provider registered for testing and IP services, and one voucher
of the demo enterprise taken through contract and redemption to a payment waiting in its settlement batch.

No number the facts leave open is invented here: the voucher's last valid day is given by the officer at issue
(the validity period is a GAP), and the rent scheme's face value stays "not set"."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from shuangchuang.core.actor import Actor
from shuangchuang.core.demo import DemoContext
from shuangchuang.core.models import Membership, Role, User
from shuangchuang.core.selectors import roles_for
from shuangchuang.core.services import membership_grant

ORDER = 50
LOGINS: list[tuple[str, str]] = []  # the registry's demo log-ins: demo-enterprise, demo-provider, demo-officer
DEMO_BUDGET_FEN = 500_000_000  # 500万元: a demo figure, not a policy fact
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def is_loaded() -> bool:
    from shuangchuang.vouchers.models import Voucher

    return Voucher.objects.exists()


def _actors(username: str, kind: str) -> list[Actor]:
    memberships = (Membership.objects.filter(user__username=username, organisation__kind=kind, is_active=True)
                   .select_related("user", "organisation").order_by("organisation__code"))
    seen, actors = set(), []
    for m in memberships:
        if m.organisation_id not in seen:
            seen.add(m.organisation_id)
            actors.append(Actor(user=m.user, organisation=m.organisation, roles=roles_for(m.user, m.organisation)))
    return actors


def _eligible_holder(scheme) -> Actor | None:
    """The demo enterprise log-in's first firm that may apply (the policies demo gives one of them R&D figures)."""
    from shuangchuang.core.errors import ServiceError
    from shuangchuang.vouchers.services import application_check

    for actor in _actors("demo-enterprise", "enterprise"):
        try:
            if not application_check(actor=actor, scheme=scheme, applicant_kind="enterprise")["refusal"]:
                return actor
        except ServiceError:
            continue
    return None


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def load(context: DemoContext) -> None:
    from shuangchuang.core.errors import ServiceError
    from shuangchuang.vouchers.models import ProviderRegistration, Scheme, SchemeYear
    from shuangchuang.vouchers.services import (
        application_submit,
        application_transition,
        contract_decide,
        contract_propose,
        provider_register,
        provider_registration_decide,
        redemption_request,
        redemption_transition,
        scheme_budget_add,
    )
    from shuangchuang.vouchers.services.seed import vouchers_seed

    context.log(f"Vouchers: {vouchers_seed(actor=context.actor)}")
    if is_loaded():
        return
    scheme = Scheme.objects.get(code="sz-innovation-voucher")
    officers = _actors("demo-officer", "department")
    officer, holder = (officers[0] if officers else None), _eligible_holder(scheme)
    provider_user = User.objects.filter(username="demo-provider").first()
    if officer is None or holder is None or provider_user is None:
        context.log("Vouchers: no demo officer, eligible demo enterprise or provider; schemes only")
        return
    provider_org = Membership.objects.filter(user=provider_user).select_related("organisation").first().organisation
    membership_grant(actor=context.actor, user=provider_user, organisation=provider_org, role=Role.ADMIN)
    provider = Actor(user=provider_user, organisation=provider_org, roles=roles_for(provider_user, provider_org))
    today = timezone.localdate()
    if not SchemeYear.objects.filter(scheme=scheme, year=today.year).exists():
        scheme_budget_add(actor=officer, scheme=scheme, year=today.year, amount_fen=DEMO_BUDGET_FEN,
                          note="演示预算 / demo budget")
    for category, service, price in (("testing", "电磁兼容（EMC）检测", 3_000_000),
                                     ("ip", "发明专利申请代理", 800_000)):
        if ProviderRegistration.objects.filter(scheme=scheme, provider=provider_org, category=category,
                                               year=today.year).exists():
            continue
        registration = provider_register(actor=provider, scheme=scheme, category=category, year=today.year,
                                         description="CNAS 认可实验室（演示）",
                                         services=[{"name": service, "price_fen": price, "unit": "项"}])
        provider_registration_decide(actor=officer, registration=registration, approve=True)
    try:
        application = application_submit(actor=holder, scheme=scheme, applicant_kind="enterprise",
                                         requested_fen=8_000_000, purpose="新产品电磁兼容检测认证")
    except ServiceError as exc:
        context.log(f"Vouchers: the demo enterprise cannot apply ({exc.message})")
        return
    application_transition(actor=officer, application=application, transition="publicise",
                           on=today - datetime.timedelta(days=scheme.publicity_days))
    application = application_transition(actor=officer, application=application, transition="issue",
                                         valid_until=today + datetime.timedelta(days=365),
                                         note="有效期由审批时确定（有效期参数未设置）")
    voucher = application.voucher
    contract = contract_propose(actor=provider, voucher_code=voucher.code, category="testing", number="PCJC-2026-018",
                                title="电磁兼容（EMC）检测", amount_fen=12_000_000, signed_on=today,
                                documents={"contract": [_pdf("contract.pdf")]})
    contract = contract_decide(actor=holder, contract=contract, accept=True)
    redemption = redemption_request(actor=provider, contract=contract, idempotency_key="demo-1",
                                    holder_paid_fen=6_000_000, service_done_on=today,
                                    documents={"holder_payment": [_pdf("payment.pdf")], "service": [_pdf("report.pdf")]})
    redemption_transition(actor=officer, redemption=redemption, transition="audit", note="委托审计：材料齐全，金额无误")
    redemption_transition(actor=officer, redemption=redemption, transition="publicise",
                          on=today - datetime.timedelta(days=scheme.publicity_days))
    redemption_transition(actor=officer, redemption=redemption, transition="pay")
    context.log(f"Vouchers: voucher {voucher.code} issued to {holder.organisation.name}, one payment in its batch")
