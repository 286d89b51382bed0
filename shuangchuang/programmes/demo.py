"""Demo data of the programmes module: the configured programmes of 深府〔2016〕61号 with the amounts and rules of
POLICY-FACTS §6, §8, §11, §13, §14 (a GAP is left to a parameter the officer sets: the maximum then reads
"not fixed"), an open 2026 创客空间 call with a full application form, and applications in every stage from the
demo enterprises and synthetic-city firms: drafts, in review with scores, ranked, in public notice, awarded with
instalments (one paid). The Peacock calls are applied for by the talent (a person with a real-name account;
the employer's USCC is an optional answer; demo-talent has applied to Peacock B), the loan-interest calls use the
interest calculator (applications with interest statements, one proposed for the computed amount), and the
innovative-space call allocates space by lease offers after ranking (one offer made). See demo_mechanisms.

Amounts come from the policies module's effective-dated parameters (loaded by its demo, ORDER 30) by key, never
from constants here. The notice period and the review settings of the demo call are values an officer sets.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from shuangchuang.core.demo import DEMO_PASSWORD, DemoContext
from shuangchuang.core.models import Organisation, OrganisationKind, Role, User

ORDER = 40

LOGINS = [
    ("demo-expert-2", "评审专家 / expert reviewer (programmes expert pool)"),
    ("demo-expert-3", "评审专家 / expert reviewer (programmes expert pool)"),
    ("demo-talent", "人才 / talent applying in person (Peacock B, programmes)"),
]

# (code, benefit code, department, name, maximum parameter, instalments, screen legal representative,
#  refuse double funding, legal basis)
PROGRAMMES = [
    ("maker-space-build", "maker-space-build", "SZ-STIC", "新建、改造提升创客空间资助", "maker_space.build_cap", None,
     False, True, "深府〔2015〕46号 第1条；POLICY-FACTS §14"),
    ("maker-project", "maker-project", "SZ-STIC", "创客个人或团队项目资助", "maker.project_cap", None, False, True,
     "深府〔2015〕46号 第5条；POLICY-FACTS §14"),
    ("first-set-award", "first-set-award", "SZ-EITC", "首台（套）重大技术装备销售奖励", "first_set.award_cap", None,
     False, True, "深发〔2016〕8号；深经贸信息综合字〔2016〕149号；POLICY-FACTS §8（同一项目不重复资助）"),
    ("first-set-premium", "first-set-premium", "SZ-EITC", "首台（套）综合险保费补贴", "", None, False, True,
     "POLICY-FACTS §8（深圳保费支持标准：GAP，由经办人员设定）"),
    ("startup-competition-landing", "startup-competition-funding", "SZ-STIC", "创新创业大赛优胜项目落地资助",
     "startup_competition.cap", None, False, True, "深府〔2015〕46号；《深圳市创业项目管理办法》；POLICY-FACTS §6"),
    ("startup-loan-interest", "startup-loan-small-firm", "SZ-JRB", "创业担保贷款贴息", "", None, True, True,
     "《深圳市创业担保贷款管理办法》（2024）：贴息为实际利率的50%；POLICY-FACTS §11"),
    ("ip-pledge-interest", "ip-pledge-subsidy", "SZ-MQSA", "知识产权质押融资贴息", "", None, False, True,
     "深府办〔2012〕35号；金额 GAP，由经办人员设定；POLICY-FACTS §4.2"),
    ("peacock-a", "peacock-award", "SZ-ORG", "孔雀计划A类人才奖励补贴", "peacock.award.a", 5, True, True,
     "关于促进人才优先发展的若干措施（2016）；POLICY-FACTS §13"),
    ("peacock-b", "peacock-award", "SZ-ORG", "孔雀计划B类人才奖励补贴", "peacock.award.b", 5, True, True,
     "关于促进人才优先发展的若干措施（2016）；POLICY-FACTS §13"),
    ("peacock-c", "peacock-award", "SZ-ORG", "孔雀计划C类人才奖励补贴", "peacock.award.c", 5, True, True,
     "关于促进人才优先发展的若干措施（2016）；POLICY-FACTS §13"),
    ("innovative-space", "innovative-space", "SZ-DRC", "创新型产业用房配租", "", None, False, False,
     "深府办规〔2021〕1号；租金优惠比例、租期 GAP；POLICY-FACTS §12"),
]

# Amount formulas of the facts: (money field of the form, its label, share parameter). A share that is a GAP on
# the date (首台套 after 2020, the 知识产权质押 interest share, Shenzhen's premium support) gives no formula: the
# department decides, and the call page says so.
FORMULAS = {
    "first-set-award": ("sale_price", "首台（套）产品销售合同金额（元）", "first_set.award_rate"),
    "first-set-premium": ("premium", "实际缴纳的年度保费（元）", "first_set.sz_premium_support"),
}
# Loan-interest subsidies: the interest actually paid is computed from the loan (programmes.services.interest) and
# the share parameter of it proposed (a GAP share: the officer enters it).
LOAN_INTEREST = {"startup-loan-interest": "loan.interest_subsidy_share",
                 "ip-pledge-interest": "ip_pledge.interest_subsidy_share"}
LOAN_FORM = {"fields": [
    {"key": "summary", "type": "text", "label": "项目简介", "required": True, "multiline": True},
    {"key": "loan_amount", "type": "money", "label": "贷款金额（元）", "required": True, "min": 0},
    {"key": "annual_rate", "type": "number", "label": "实际年利率（%）", "required": True, "min": 0, "max": 100},
    {"key": "drawdown_on", "type": "date", "label": "放款日期", "required": True},
    {"key": "interest_until", "type": "date", "label": "申请贴息的计息截止日"},
    {"key": "repayments", "type": "table", "label": "还本计划或记录", "max_rows": 50,
     "columns": [{"key": "on", "type": "date", "label": "还本日期", "required": True},
                 {"key": "principal", "type": "money", "label": "还本金额（元）", "required": True}]},
    {"key": "interest_statements", "type": "table", "label": "银行付息凭证（填写后按凭证合计计算）", "max_rows": 50,
     "columns": [{"key": "paid_on", "type": "date", "label": "付息日期", "required": True},
                 {"key": "interest", "type": "money", "label": "利息金额（元）", "required": True}]},
]}

FORM = {"fields": [
    {"key": "space_name", "type": "text", "label": "创客空间名称", "required": True, "max_length": 100},
    {"key": "project_type", "type": "choice", "label": "项目类型", "required": True,
     "choices": [["new", "新建"], ["upgrade", "改造提升"], ["lab", "引进国际创客实验室"]]},
    {"key": "partner_lab", "type": "text", "label": "引进的国际创客实验室名称", "required": True,
     "show_if": {"field": "project_type", "equals": "lab"}},
    {"key": "area", "type": "number", "label": "场地面积（平方米）", "required": True, "min": 0, "max": 100000},
    {"key": "maker_share", "type": "number", "label": "创客使用面积占比（%）", "min": 0, "max": 100},
    {"key": "investment", "type": "money", "label": "项目总投资（元）", "required": True, "min": 0},
    {"key": "opened_on", "type": "date", "label": "开始运营日期"},
    {"key": "teams", "type": "table", "label": "入驻创客团队", "required": True, "max_rows": 30,
     "columns": [{"key": "name", "type": "text", "label": "团队或企业名称", "required": True},
                 {"key": "joined", "type": "date", "label": "入驻日期"},
                 {"key": "people", "type": "number", "label": "人数"}]},
    {"key": "plan", "type": "file", "label": "项目实施方案", "required": True},
]}
ATTACHMENTS = [{"key": "lease", "label": "场地租赁合同或产权证明", "required": True},
               {"key": "audit", "label": "专项审计报告", "required": False}]
CRITERIA = [{"key": "innovation", "label": "创新性与示范作用", "max": 40},
            {"key": "capacity", "label": "运营能力与服务体系", "max": 30},
            {"key": "budget", "label": "预算合理性", "max": 30}]


def is_loaded() -> bool:
    from shuangchuang.programmes.models import Programme

    return Programme.objects.filter(code="maker-space-build").exists()


def _experts(context: DemoContext) -> list:
    from shuangchuang.core.services import membership_grant, user_create
    from shuangchuang.programmes.services import expert_profile_set
    from shuangchuang.registry.demo_city import person_id_number

    university = Organisation.objects.filter(kind=OrganisationKind.INSTITUTION, institution_type="university").first()
    experts = []
    existing = User.objects.filter(username="demo-reviewer").first()
    if existing is not None:
        experts.append(existing)
    for serial, (username, name) in enumerate([("demo-expert-2", "孙立"), ("demo-expert-3", "钱敏")], start=40):
        user = user_create(actor=context.actor, username=username, password=DEMO_PASSWORD, full_name=name,
                           id_number=person_id_number("440304", datetime.date(1984, 1, 1) +
                                                      datetime.timedelta(days=serial * 53), serial),
                           email=f"{username}@example.cn", check_password=False)
        if university is not None:
            membership_grant(actor=context.actor, user=user, organisation=university, role=Role.REVIEWER)
        experts.append(user)
    for user in experts:
        expert_profile_set(actor=context.actor, user=user, fields=["maker_space", "hardware"],
                           institution=university.name if university else "")
    return experts


def load(context: DemoContext) -> None:
    from shuangchuang.policies.models import Benefit
    from shuangchuang.programmes.services import call_create, call_publish, programme_create

    actor = context.actor
    programmes = {}
    for code, benefit_code, department, name, max_param, years, screen_rep, no_double, basis in PROGRAMMES:
        benefit = Benefit.objects.filter(code=benefit_code).select_related("part").first()
        programmes[code] = (programme_create(
            actor=actor, department=Organisation.objects.get(code=department), code=code, name=name,
            description=benefit.summary if benefit else "", legal_basis=basis, benefit=benefit,
            clause=benefit.part if benefit else None, screen_legal_representative=screen_rep,
            refuse_double_funding=no_double), benefit, max_param, years)
    context.log(f"Programmes: {len(programmes)} configured")
    experts = _experts(context)

    now = timezone.now()
    year = timezone.localdate().year
    calls = {}
    for code, (programme, benefit, max_param, years) in programmes.items():
        if code == "maker-space-build":
            continue
        formula = FORMULAS.get(code)
        extra = {}
        if code.startswith("peacock-"):  # applied for by the talent (real-name account), screened by ID number
            age = {"key": "age", "type": "number", "label": "申报时年龄", "required": True, "min": 18}
            if code == "peacock-b":
                age["max"] = 55  # POLICY-FACTS §13: B ≤ 55; the A and C limits are a GAP (no limit set here)
            extra = {"form_schema": {"fields": [
                age,
                {"key": "recognised_on", "type": "date", "label": "人才认定日期", "required": True},
                {"key": "contract_years", "type": "number", "label": "劳动合同期限（年）", "required": True,
                 "min": 1, "max": 20},
                {"key": "employer_uscc", "type": "text", "label": "用人单位统一社会信用代码（如有）", "max_length": 18}]},
                "person_applicants": True, "employer_field": "employer_uscc"}
        stages = ["formal_check", "expert_review", "committee"]
        if code in LOAN_INTEREST:  # a calculation, not an expert scoring
            extra = {"form_schema": LOAN_FORM, "mechanism": "loan_interest", "rate_parameter": LOAN_INTEREST[code]}
            stages = ["formal_check", "committee"]
        if code == "innovative-space":  # ranked in the order of submission, then lease offers
            extra = {"mechanism": "space_lease"}
            stages = ["formal_check", "committee"]
        if formula:
            extra = {"form_schema": {"fields": [
                {"key": "summary", "type": "text", "label": "项目简介", "required": True, "multiline": True},
                {"key": formula[0], "type": "money", "label": formula[1], "required": True, "min": 0}]},
                "rate_parameter": formula[2], "rate_base_field": formula[0]}
        share = (Decimal(1) / years).quantize(Decimal("0.0001")) if years else Decimal(0)
        instalments = [{"share": str(share if i < years - 1 else Decimal(1) - share * (years - 1)), "months": 12 * i}
                       for i in range(years or 0)]
        call = call_create(
            actor=actor, programme=programme, title=f"{year}年{programme.name}申报", year=year,
            online_opens_at=now - datetime.timedelta(days=3), online_closes_at=now + datetime.timedelta(days=45),
            budget_fen=20_000_000_00, max_award_parameter=max_param, rule=benefit.rule if benefit else {},
            stages=stages, instalments=instalments,
            criteria=CRITERIA[:1] + [{"key": "feasibility", "label": "可行性", "max": 60}], expert_field="hardware",
            summary=programme.description, **extra)
        calls[code] = call_publish(actor=actor, call=call)

    programme, benefit, max_param, _years = programmes["maker-space-build"]
    call = call_create(
        actor=actor, programme=programme, title=f"{year}年新建、改造提升创客空间资助申报", year=year,
        summary="对新建、改造提升创客空间，引进国际创客实验室的，按照深府〔2015〕46号予以资助。",
        online_opens_at=now - datetime.timedelta(days=20), online_closes_at=now + datetime.timedelta(days=25),
        paper_opens_at=now - datetime.timedelta(days=20), paper_closes_at=now + datetime.timedelta(days=30),
        paper_address="深圳市科技创新委员会办事窗口（深圳市福田区）", budget_fen=30_000_000_00,
        max_award_parameter=max_param, rule=benefit.rule if benefit else {}, form_schema=FORM,
        attachments=ATTACHMENTS, criteria=CRITERIA, expert_field="maker_space", reviewers_per_application=3,
        review_days=14, aggregation="trimmed_mean",
        stages=["formal_check", "expert_review", "site_visit", "committee", "publicity", "agreement", "performance"],
        publicity_days=7, instalments=[{"share": "0.5", "months": 0}, {"share": "0.5", "months": 12}],
        report_every_months=6)
    call_publish(actor=actor, call=call)
    _applications(context, call, experts)
    from shuangchuang.programmes import demo_mechanisms

    demo_mechanisms.load(context, calls)


def _applicants(context: DemoContext, count: int) -> list:
    """The demo log-in's enterprises, then synthetic-city firms given an organisation and a legal representative
    log-in-less membership (they act through the demo only)."""
    from shuangchuang.core.services import organisation_create
    from shuangchuang.credit.demo import PROTECTED_NAMES
    from shuangchuang.credit.models import ListEntry
    from shuangchuang.registry.models import Enterprise, EnterpriseStatus, LegalForm

    listed = set(ListEntry.objects.exclude(uscc="").values_list("uscc", flat=True)[:100000])
    found = list(Enterprise.objects.filter(name__in=PROTECTED_NAMES).order_by("name"))
    rng = random.Random(context.seed * 11 + 40)
    pool = list(Enterprise.objects.filter(status=EnterpriseStatus.OPERATING,
                                          legal_form__in=[LegalForm.LLC, LegalForm.JSC])
                .exclude(uscc__in=listed).exclude(name__in=PROTECTED_NAMES).order_by("pk")
                .values_list("pk", flat=True)[:5000])
    picks = rng.sample(pool, min(count, len(pool)))
    found += list(Enterprise.objects.filter(pk__in=picks).order_by("pk"))
    out = []
    for enterprise in found:
        organisation = Organisation.objects.filter(code=enterprise.uscc).first() or organisation_create(
            actor=context.actor, kind=OrganisationKind.ENTERPRISE, code=enterprise.uscc, name=enterprise.name)
        out.append((enterprise, organisation))
    return out


def _applications(context: DemoContext, call, experts) -> None:
    from django.core.files.base import ContentFile

    from shuangchuang.core.actor import Actor
    from shuangchuang.programmes.models import Application, Assignment
    from shuangchuang.programmes.services import (
        agreement_sign,
        application_create,
        application_file_add,
        application_transition,
        call_rank,
        conflict_declare,
        instalment_pay,
        notice_publish,
        review_submit,
    )

    officer_user = User.objects.filter(username="demo-officer").first()
    stic = call.programme.department
    officer = Actor(user=officer_user, organisation=stic, roles=frozenset({Role.OFFICER})) if officer_user else \
        context.actor
    rng = random.Random(context.seed * 13 + 41)
    pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
    made = []
    for index, (enterprise, organisation) in enumerate(_applicants(context, 10)):
        applicant = Actor(user=None, organisation=organisation, roles=frozenset({Role.LEGAL_REPRESENTATIVE}),
                          system_label=f"demo-applicant-{index}")
        answers = {"space_name": f"{enterprise.trade_name or enterprise.name[:6]}创客空间",
                   "project_type": "upgrade" if index % 3 else "new", "area": str(600 + 150 * index),
                   "maker_share": "80", "investment": str(2_000_000 + 350_000 * index),
                   "opened_on": "2025-03-01", "teams": [{"name": f"创客团队{j + 1}", "joined": "2025-04-01",
                                                         "people": str(3 + j)} for j in range(3)]}
        try:
            application = application_create(actor=applicant, call=call, project_title=answers["space_name"],
                                             project_key=f"MS-{enterprise.uscc[-8:]}-2026",
                                             requested_fen=(1_000_000 + 250_000 * index) * 100, answers=answers)
        except Exception as exc:  # a demo firm that cannot apply is skipped, with the reason
            context.log(f"Programmes demo: {enterprise.name} skipped ({exc})")
            continue
        if index == 0:
            continue  # the demo log-in's first enterprise keeps a draft to finish in the browser
        for slot in ("plan", "lease"):
            application_file_add(actor=applicant, application=application, slot=slot,
                                 upload=ContentFile(pdf, name=f"{slot}.pdf"))
        try:
            application = application_transition(actor=applicant, application=application, transition="submit")
        except Exception as exc:
            context.log(f"Programmes demo: {enterprise.name} not submitted ({exc})")
            continue
        made.append(application)
    context.log(f"Programmes demo: {len(made)} submitted applications")
    if not made:
        return
    application_transition(actor=officer, application=made[-1], transition="request_info",
                           note="请补充场地租赁合同的备案证明。")
    reviewers = [Actor(user=u, roles=frozenset({Role.REVIEWER})) for u in experts]
    for application in made[:-1]:
        application = application_transition(actor=officer, application=application, transition="accept")
        for reviewer in reviewers:
            assignment = Assignment.objects.create(application=application, reviewer=reviewer.user,
                                                   due_at=timezone.now() + datetime.timedelta(days=14))
            if reviewer.user.username == "demo-reviewer" and application.pk == made[0].pk:
                continue  # left for the demo reviewer: declare, then score
            conflict_declare(actor=reviewer, assignment=assignment, conflict=False)
            review_submit(actor=reviewer, assignment=Assignment.objects.get(pk=assignment.pk),
                          scores={"innovation": rng.randint(22, 39), "capacity": rng.randint(16, 29),
                                  "budget": rng.randint(15, 29)}, comment="方案完整，场地条件符合要求。")
    for application in made[1:-1]:
        application_transition(actor=officer, application=Application.objects.get(pk=application.pk),
                               transition="close_review")
    result = call_rank(actor=officer, call=call)
    context.log(f"Programmes demo: ranked {result.ranked}, {result.funded} within the budget")
    proposed = list(Application.objects.filter(call=call, state="reviewed", proposed_fen__isnull=False)
                    .order_by("rank")[:3])
    for application in proposed:
        application_transition(actor=officer, application=application, transition="propose",
                               amount_fen=application.proposed_fen, note="评审委员会审议通过")
    if proposed:
        notice = notice_publish(actor=officer, call=call, title=f"{call.title}拟资助项目公示",
                                starts_on=timezone.localdate() - datetime.timedelta(days=call.publicity_days + 1))
        first = Application.objects.get(pk=proposed[0].pk)
        application_transition(actor=officer, application=first, transition="award", note="公示期满无异议")
        award = first.award
        agreement_sign(actor=officer, award=award, terms="按项目实施方案执行，专款专用。", milestones=[
            {"title": "完成场地改造", "due_on": (timezone.localdate() + datetime.timedelta(days=180)).isoformat()}])
        instalment_pay(actor=officer, instalment=award.instalments.order_by("seq").first())
        context.log(f"Programmes demo: notice {notice.pk}, award {award.letter_number} with one instalment paid")
