"""Query expansion: English questions and everyday words → the terms the policy texts use."""

from __future__ import annotations

import re

ENGLISH = [
    (r"innovation vouchers?|s&t vouchers?|tech(nology)? vouchers?", "科技创新券 创新券"),
    (r"\bvouchers?\b", "创新券"),
    (r"rent vouchers?|housing vouchers?", "租房券 租赁住房"),
    (r"r\s*&\s*d|research and development", "研发费用 研发"),
    (r"super[- ]?deduction|extra deduction|additional deduction", "加计扣除"),
    (r"venture capital|\bvc\b|venture investment", "创业投资 创业投资企业"),
    (r"tax credit|offset.*taxable income|taxable income", "抵扣 应纳税所得额"),
    (r"\btax(es)?\b", "税收"),
    (r"guaranteed loans?|start-?up loans?", "创业担保贷款"),
    (r"\bloans?\b", "贷款"),
    (r"maker ?spaces?|makerspaces?|co-?working", "创客空间 众创空间"),
    (r"\bmakers?\b", "创客"),
    (r"first[- ]of[- ]kind|first set|major (technical )?equipment", "首台（套） 重大技术装备"),
    (r"insurance|premium", "保费 保险"),
    (r"patents?", "专利"),
    (r"intellectual property|\bip\b", "知识产权"),
    (r"pledge", "质押 质押融资"),
    (r"peacock", "孔雀计划"),
    (r"overseas talent|foreign talent|talents?", "人才 海外人才"),
    (r"business registration|company registration|register a (company|business)", "商事登记 登记"),
    (r"business licen[cs]e|one licen[cs]e", "营业执照 一照一码 多证合一"),
    (r"deregist(er|ration)|close (a|my) company", "简易注销 注销"),
    (r"company names?|enterprise names?", "企业名称"),
    (r"blacklist|dishonest|credit record|bad credit", "失信 信用 联合惩戒"),
    (r"\bcredit\b", "信用"),
    (r"government procurement|public procurement|procurement", "政府采购"),
    (r"\bipo\b|go public|stock listing|\blisting\b", "上市 改制上市"),
    (r"bonds?", "债券"),
    (r"crowdfunding", "众筹"),
    (r"crowdsourcing", "众包"),
    (r"incubators?|accelerators?", "孵化器 加速器"),
    (r"instruments?|scientific equipment|large equipment", "大型科学仪器"),
    (r"mentors?", "创业导师"),
    (r"industrial space|office space|innovative industry space", "创新型产业用房"),
    (r"housing|\brent\b", "租房 住房"),
    (r"university students?|graduates?|students?", "大学生 高校"),
    (r"researchers?|scientists?", "科研人员"),
    (r"subsid(y|ies)|grants?|funding", "资助 补贴 专项资金"),
    (r"awards?|prizes?", "奖励"),
    (r"competitions?|contests?", "创新创业大赛 大赛"),
    (r"virtual secretary|assistant", "虚拟秘书"),
    (r"anti-?trust|monopol(y|ies)", "反垄断 垄断"),
    (r"\bfees?\b|charges", "收费"),
    (r"state-owned", "国有 国有企业"),
    (r"hong kong", "香港 深港"),
    (r"military|defen[cs]e", "军民融合"),
    (r"3d printing", "3D 打印"),
    (r"e-?commerce", "电子商务"),
    (r"high-?tech enterprises?|hnte", "高新技术企业"),
    (r"qianhai", "前海"),
    (r"small (and|&) medium|\bsmes?\b|small firms?", "中小微企业 小微企业"),
    (r"banks?", "银行"),
    (r"guidance fund|fund of funds", "引导基金"),
    (r"policy publication|publish(ed)? policies", "政策发布"),
    (r"publicity|promotion", "宣传"),
    (r"fast protection|rights protection", "快速维权"),
    (r"accelerated depreciation", "固定资产加速折旧"),
]

CHINESE = [
    ("高企", "高新技术企业"),
    ("研发加计", "研发费用 加计扣除"),
    ("加计", "加计扣除"),
    ("创投", "创业投资"),
    ("首台套", "首台（套）"),
    ("担保贷", "创业担保贷款"),
    ("众创", "众创空间 创客空间"),
    ("孵化", "孵化器"),
    ("知产", "知识产权"),
    ("上市", "上市 新三板"),
    ("黑名单", "失信 联合惩戒"),
    ("注销", "简易注销"),
    ("营业执照", "一照一码 多证合一"),
    ("租房", "租房券 租赁住房"),
    ("办公场地", "创新型产业用房"),
    ("留学", "海外 人才"),
]

_english = [(re.compile(pattern, re.IGNORECASE), terms) for pattern, terms in ENGLISH]


def expand(question: str) -> str:
    """The question plus the policy-text terms of the words it uses."""
    extra = [terms for pattern, terms in _english if pattern.search(question)]
    extra += [terms for word, terms in CHINESE if word in question]
    return question + (" " + " ".join(extra) if extra else "")


def is_english(question: str) -> bool:
    letters = sum(1 for ch in question if ch.isascii() and ch.isalpha())
    han = sum(1 for ch in question if "\u4e00" <= ch <= "\u9fff")
    return letters > han
