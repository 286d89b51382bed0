"""Demo data of the policies module: the seed policy 深府〔2016〕61号 with its 34 measures, the cited summaries of the
related rules, the dated parameters and the benefits with their rules; R&D figures for the demo log-in's first
enterprise (so several benefits match and one is a near miss), an approved answer, an alert and a push."""

from __future__ import annotations

from shuangchuang.core.demo import DemoContext
from shuangchuang.core.models import Membership, Organisation, User

ORDER = 30


def is_loaded() -> bool:
    from shuangchuang.policies.models import PolicyDocument

    return PolicyDocument.objects.filter(slug="sz-2016-61").exists()


def _demo_enterprise():
    from shuangchuang.registry.models import Enterprise

    membership = (Membership.objects.filter(user__username="demo-enterprise", organisation__kind="enterprise",
                                            is_active=True).select_related("organisation")
                  .order_by("organisation__code").first())
    if membership is None:
        return None, None
    return membership.user, Enterprise.objects.filter(uscc=membership.organisation.code).first()


def load(context: DemoContext) -> None:
    from shuangchuang.core.errors import ServiceError
    from shuangchuang.core.actor import Actor
    from shuangchuang.core.selectors import roles_for
    from shuangchuang.policies.models import Benefit, PartKind, PolicyDocument, SavedSearch
    from shuangchuang.policies.services import (
        benefit_push_start,
        faq_approve,
        faq_create,
        saved_search_create,
        seed_load,
    )
    from shuangchuang.policies.selectors.benefits import eligibility_for
    from shuangchuang.registry.services import enterprise_update_figures

    added = seed_load(actor=context.actor)
    context.log(f"Policies: {added}")

    user, enterprise = _demo_enterprise()
    if enterprise is not None:
        if enterprise.rd_expense_fen is None and enterprise.revenue_fen:
            # R&D spending of 4 % of revenue: vouchers and the R&D deduction match; the high-tech recognition
            # (5 % for revenue up to 5000万元) is a near miss with "what would change it".
            enterprise = enterprise_update_figures(
                actor=context.actor, enterprise=enterprise, financial_year=enterprise.financial_year or 2025,
                employees=enterprise.employees, revenue_fen=enterprise.revenue_fen,
                total_assets_fen=enterprise.total_assets_fen, rd_expense_fen=enterprise.revenue_fen * 4 // 100)
        report = eligibility_for(enterprise)
        context.log(f"Policies: {enterprise.name} is eligible for {len(report.eligible)} benefits, "
                    f"{len(report.near_misses)} near misses")
        organisation = Organisation.objects.get(code=enterprise.uscc)
        if not SavedSearch.objects.filter(user=user).exists():
            saved_search_create(actor=Actor(user=user, organisation=organisation,
                                            roles=roles_for(user, organisation)),
                                name="创新券与研发费用", query="创新券", frequency="weekly")

    officer = User.objects.filter(username="demo-officer").first()
    stic = Organisation.objects.get(code="SZ-STIC")
    seed = PolicyDocument.objects.get(slug="sz-2016-61")
    if officer is not None and not seed.parts.filter(faqs__isnull=False).exists():
        officer_actor = Actor(user=officer, organisation=stic, roles=roles_for(officer, stic))
        measure = seed.parts.get(kind=PartKind.MEASURE, number="（十七）")
        try:
            faq = faq_create(
                actor=officer_actor, department=stic, question="什么是虚拟秘书服务？",
                answer="虚拟秘书是全市创新创业公共服务平台为创新创业企业提供的服务之一，与政策发布、创新资源整合一起列在"
                       "深府〔2016〕61号（十七）。在本平台上，政策助手按政策原文回答问题并注明出处；企业登录后可按登记信息查询"
                       "能享受哪些政策。",
                citations=[measure.children.order_by("order").last()],
            )
            faq_approve(actor=officer_actor, faq=faq)
        except ServiceError as exc:  # pragma: no cover - demo data only
            context.log(f"Policies: approved answer skipped ({exc.message})")

    voucher = Benefit.objects.get(code="innovation-voucher")
    if not voucher.pushes.exists():
        push = benefit_push_start(actor=context.actor, benefit=voucher, reason="demo")
        context.log(f"Policies: push of “{voucher.title}” queued to {push.total} matching enterprises")
