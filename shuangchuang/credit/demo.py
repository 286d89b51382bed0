"""Demo data of the credit module: entries on the built-in lists (some matching synthetic-city enterprises by
name variants only, one a look-alike of a demo enterprise), a list of 市科技创新委 that allows credit repair,
annual reports of the demo enterprises, a finished re-screen, and two more log-ins.

The demo log-ins' own enterprises (深圳市鹏城创芯科技有限公司, 深圳市南岭云数信息技术有限公司) are never listed,
so every demo account can still apply for vouchers and funds; their annual reports are filed.
"""

from __future__ import annotations

import datetime
import random

import opencc

from shuangchuang.core.actor import Actor
from shuangchuang.core.demo import DEMO_PASSWORD, DemoContext
from shuangchuang.core.models import Organisation, OrganisationKind, Role
from shuangchuang.core.selectors import roles_for
from shuangchuang.core.services import membership_grant, organisation_create, user_create
from shuangchuang.credit.models import CreditList, ListEntry
from shuangchuang.credit.normalise import parse_name
from shuangchuang.credit.services import (
    annual_report_file,
    entry_create,
    list_create,
    restriction_create,
    rescreen_run,
    rescreen_start,
)
from shuangchuang.registry.demo_city import person_id_number
from shuangchuang.registry.models import Enterprise, EnterpriseStatus, LegalForm

ORDER = 20

LOGINS = [
    ("demo-officer-court", "深圳市中级人民法院 officer / court officer (失信被执行人名单)"),
    ("demo-listed", "法定代表人 of a listed enterprise / legal representative of a listed enterprise (credit repair)"),
]

PROTECTED_NAMES = ("深圳市鹏城创芯科技有限公司", "深圳市南岭云数信息技术有限公司")
LOOK_ALIKE = "深圳市鹏程创芯科技有限公司"  # sounds like 深圳市鹏城创芯科技有限公司 (城/程 cheng)
COURT = "深圳市中级人民法院"


def is_loaded() -> bool:
    return ListEntry.objects.filter(extra__demo=True).exists()


def _variants(name: str) -> list[str]:
    """Ways the same firm's name is written in published lists."""
    parsed = parse_name(name)
    form = parsed.raw_form or "有限公司"
    return [
        f"{parsed.core}（深圳）{form}",  # region moved into brackets
        opencc.OpenCC("s2t").convert(name),  # traditional characters
        f"{parsed.core}{form}",  # region dropped
        name.replace("有限公司", "股份有限公司") if "股份" not in name else name.replace("股份有限公司", "有限公司"),
        name.replace("（", "(").replace("）", ")").replace("深圳市", "深圳市 "),  # half-width, a space
    ]


def load(context: DemoContext) -> None:
    actor = context.actor
    rng = random.Random(context.seed * 7 + 20)
    protected = set(Enterprise.objects.filter(name__in=PROTECTED_NAMES).values_list("pk", flat=True))
    pool = list(
        Enterprise.objects.filter(status=EnterpriseStatus.OPERATING, legal_form__in=[LegalForm.LLC, LegalForm.JSC])
        .exclude(pk__in=protected).exclude(name__contains="（").order_by("pk").values_list("pk", flat=True)[:20000]
    )
    if len(pool) < 30:
        context.log("Credit demo: the city is too small for the credit demo data; skipped.")
        return
    picks = list(Enterprise.objects.select_related("legal_representative").filter(pk__in=rng.sample(pool, 30))
                 .order_by("pk"))
    lists = {c.code: c for c in CreditList.objects.all()}
    dishonest, abnormal, serious = lists["dishonest-debtor"], lists["abnormal-operation"], lists["serious-violation"]

    def add(credit_list, **values):
        values.setdefault("listed_on", "2025-09-15")
        entry = entry_create(actor=actor, credit_list=credit_list, **values)
        ListEntry.objects.filter(pk=entry.pk).update(extra={**entry.extra, "demo": True})
        return entry

    # 失信被执行人: by code, by name variants only (older court records carry no code), and persons.
    for n, firm in enumerate(picks[:4]):
        add(dishonest, name=firm.name, uscc=firm.uscc, legal_representative=_rep(firm), authority=COURT,
            case_number=f"(2025)粤03执{1201 + n}号", document_number=f"(2024)粤03民初{301 + n}号",
            obligation="支付货款及利息", performance="全部未履行",
            reason="有履行能力而拒不履行生效法律文书确定义务", filed_on="2025-03-02",
            listed_on=f"2025-0{4 + n}-1{n}")
    for n, firm in enumerate(picks[4:9]):
        add(dishonest, name=_variants(firm.name)[n], legal_representative=_rep(firm), authority=COURT,
            case_number=f"(2024)粤03执{881 + n}号", reason="违反财产报告制度", listed_on=f"2024-1{n % 3}-0{n + 1}")
    for n, firm in enumerate(picks[9:11]):
        rep = firm.legal_representative
        if rep is not None:
            add(dishonest, subject_type="person", name=rep.name, id_number=rep.id_number,
                sex="男" if int(rep.id_number[16]) % 2 else "女", authority=COURT,
                case_number=f"(2025)粤03执{951 + n}号",
                reason="以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行", listed_on="2025-06-20")
    # A look-alike of a demo enterprise, without a code: a screening of the demo firm is a hit to review.
    add(dishonest, name=LOOK_ALIKE, legal_representative="程某", authority=COURT, case_number="(2025)粤03执1999号",
        reason="有履行能力而拒不履行生效法律文书确定义务", listed_on="2025-08-08")

    # 经营异常名录 and its escalation to 严重违法企业名单.
    for firm in picks[11:15]:
        add(abnormal, name=firm.name, uscc=firm.uscc, reason="未按照《企业信息公示暂行条例》规定的期限公示2024年度报告",
            authority="深圳市市场和质量监督管理委员会", listed_on="2025-07-01")
    old = picks[15]
    add(abnormal, name=old.name, uscc=old.uscc, reason="未按照《企业信息公示暂行条例》规定的期限公示2022年度报告",
        authority="深圳市市场和质量监督管理委员会", listed_on="2023-07-01")
    add(serious, name=old.name, uscc=old.uscc, legal_representative=_rep(old),
        legal_representative_id_number=old.legal_representative.id_number if old.legal_representative else "",
        reason="列入经营异常名录满三年仍未履行相关义务", authority="深圳市市场和质量监督管理委员会",
        listed_on="2026-07-01")

    # 重大税收违法, 政府采购严重违法失信, 行政处罚 and 行政许可 (双公示).
    add(lists["major-tax-violation"], name=picks[16].name, uscc=picks[16].uscc, legal_representative=_rep(picks[16]),
        reason="虚开增值税专用发票", authority="深圳市国家税务局稽查局", document_number="深国税稽罚〔2025〕88号",
        listed_on="2025-11-03")
    add(lists["procurement-violation"], name=_variants(picks[17].name)[0],
        reason="提供虚假材料谋取中标、成交", authority="深圳市财政委员会", document_number="深财购〔2025〕12号",
        listed_on="2025-05-20", expires_on="2028-05-20")
    for firm in picks[18:21]:
        add(lists["admin-penalty"], name=firm.name, uscc=firm.uscc, reason="未按规定标注产品信息，罚款人民币二万元",
            authority="深圳市市场和质量监督管理委员会", document_number=f"深市质罚〔2026〕{firm.pk % 900 + 100}号",
            listed_on="2026-03-18")
    demo_firms = list(Enterprise.objects.filter(name__in=PROTECTED_NAMES).order_by("pk"))
    for firm in demo_firms:
        add(lists["admin-licence"], name=firm.name, uscc=firm.uscc, reason="增值电信业务经营许可证",
            authority="广东省通信管理局", document_number=f"粤B2-2021{firm.pk % 9000 + 1000}", listed_on="2021-04-06")

    # A list of 市科技创新委 that restricts vouchers and special funds and provides for repair after 6 months.
    stic = Organisation.objects.get(code="SZ-STIC")
    projects = list_create(
        actor=actor, department=stic, code="stic-project-dishonesty", name="科技计划项目严重失信行为记录",
        legal_basis="《深圳市科技计划项目管理办法》", kind="custom",
        description="Serious dishonesty in science and technology projects (false applications, misuse of funds).",
        removal_rules="移出：信用修复获批，或记录期满三年。", term_months=36, repair_allowed=True,
        repair_min_months=6,
    )
    for action in ("voucher", "special_fund"):
        restriction_create(actor=actor, credit_list=projects, action=action, valid_from=datetime.date(2017, 1, 1),
                           legal_basis="《深圳市科技计划项目管理办法》")
    listed_firm = picks[21]
    add(projects, name=listed_firm.name, uscc=listed_firm.uscc, reason="项目验收材料弄虚作假",
        authority="深圳市科技创新委员会", document_number="深科技创新〔2026〕31号", listed_on="2026-03-01")
    for firm in picks[22:24]:
        add(projects, name=_variants(firm.name)[2], reason="专项资金未按规定用途使用",
            authority="深圳市科技创新委员会", listed_on="2026-05-10")

    _accounts(context, listed_firm)
    _annual_reports(context, demo_firms)
    job = rescreen_start(actor=actor, credit_list=dishonest)
    job = rescreen_run(job.pk)
    context.log(f"Credit: {ListEntry.objects.filter(extra__demo=True).count()} list entries, re-screen of "
                f"{job.processed:,} enterprises found {job.hits} hits")


def _rep(firm: Enterprise) -> str:
    return firm.legal_representative.name if firm.legal_representative_id else ""


def _accounts(context: DemoContext, listed_firm: Enterprise) -> None:
    actor = context.actor
    court_officer = user_create(
        actor=actor, username="demo-officer-court", password=DEMO_PASSWORD, full_name="孙立",
        id_number=person_id_number("440304", datetime.date(1991, 4, 8), 8), phone="13800000008",
        email="demo-officer-court@example.cn", check_password=False,
    )
    membership_grant(actor=actor, user=court_officer, organisation=Organisation.objects.get(code="SZ-IPC"),
                     role=Role.OFFICER)
    rep = listed_firm.legal_representative
    listed = user_create(
        actor=actor, username="demo-listed", password=DEMO_PASSWORD, full_name=rep.name if rep else "何静",
        id_number=rep.id_number if rep else person_id_number("440303", datetime.date(1990, 9, 9), 9),
        phone="13800000009",
        email="demo-listed@example.cn", check_password=False,
    )
    organisation = organisation_create(actor=actor, kind=OrganisationKind.ENTERPRISE, code=listed_firm.uscc,
                                       name=listed_firm.name)
    membership_grant(actor=actor, user=listed, organisation=organisation, role=Role.LEGAL_REPRESENTATIVE)
    context.log(f"Credit demo: demo-listed acts for {listed_firm.name}")


def _annual_reports(context: DemoContext, firms: list[Enterprise]) -> None:
    for firm in firms:
        organisation = Organisation.objects.filter(code=firm.uscc).first()
        membership = organisation.memberships.filter(role=Role.LEGAL_REPRESENTATIVE).select_related("user").first() \
            if organisation else None
        if membership is None:
            continue
        owner = Actor(user=membership.user, organisation=organisation,
                      roles=roles_for(membership.user, organisation))
        for year, filed in ((2024, datetime.date(2025, 4, 20)), (2025, datetime.date(2026, 4, 15))):
            annual_report_file(
                actor=owner, enterprise=firm, year=year, on=filed, address=firm.address or "深圳市南山区粤海街道科技园",
                postcode="518057", phone="0755-86000000", email="office@example.cn", operating_status="operating",
                websites=[{"url": "https://www.example.cn"}],
                shareholders=[{"name": membership.user.full_name, "subscribed_fen": firm.registered_capital_fen,
                               "paid_fen": firm.registered_capital_fen}],
                publish_figures=year == 2025, employees=firm.employees, revenue_fen=firm.revenue_fen,
                total_assets_fen=firm.total_assets_fen,
            )
