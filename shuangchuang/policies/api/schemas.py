"""Request and response schemas of the policies API."""

from __future__ import annotations

import datetime

from ninja import Schema

class PolicyQuery(Schema):
    q: str = ""
    issuer: str = ""
    topic: str = ""
    beneficiary: str = ""
    district: str = ""
    status: str = ""
    window: str = ""
    page: int = 1
    page_size: int = 20


class PolicyItem(Schema):
    id: int
    title: str
    number: str
    issuer: str
    published_on: datetime.date | None
    status: str
    is_summary: bool
    topics: list[str]
    beneficiary_types: list[str]
    url: str


class PolicyPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[PolicyItem]


class UnitOut(Schema):
    code: str
    name: str
    written_as: str


class ParagraphOut(Schema):
    id: int
    text: str
    units: list[UnitOut]


class MeasureOut(Schema):
    id: int
    number: str
    seq: int | None
    title: str
    units: list[UnitOut]
    paragraphs: list[ParagraphOut]


class BenefitRef(Schema):
    id: int
    code: str
    title: str
    kind: str
    audience: str


class PolicyDetail(PolicyItem):
    index_number: str
    signed_on: datetime.date | None
    effective_from: datetime.date | None
    expires_on: datetime.date | None
    department: str
    version: int
    source_url: str
    source_note: str
    summary: str
    preamble: list[str]
    paragraphs: list[ParagraphOut]
    measures: list[MeasureOut]
    benefits: list[BenefitRef]


class AmountLineOut(Schema):
    key: str
    label: str
    value: str | None
    source: str


class BenefitOut(BenefitRef):
    summary: str
    document_id: int
    document_number: str
    measure: str
    citation: str
    status: str
    amount_text: str
    amounts: list[AmountLineOut]
    rule: dict
    rule_text: list[str]
    checked_at_application: list[str]
    opens_on: datetime.date | None
    apply_until: datetime.date | None


class CountRow(Schema):
    label: str
    count: int


class MatchItem(Schema):
    uscc: str
    name: str
    district: str | None
    industry_division: str | None
    size_class: str | None


class MatchesOut(Schema):
    benefit_id: int
    on: datetime.date
    count: int
    by_district: list[CountRow] | None = None
    by_industry_section: list[CountRow] | None = None
    page: int | None = None
    page_size: int | None = None
    items: list[MatchItem] | None = None


class MatchesQuery(Schema):
    count: int = 0
    page: int = 1
    page_size: int = 50


class ConditionOut(Schema):
    fact: str
    requirement: str
    actual: str
    outcome: str
    cite: str
    note: str


class BenefitResultOut(Schema):
    benefit: BenefitRef
    outcome: str
    cap: str | None
    conditions: list[ConditionOut]
    what_would_change_it: str | None


class EligibilityOut(Schema):
    uscc: str
    name: str
    on: datetime.date
    eligible: list[BenefitResultOut]
    near_misses: list[BenefitResultOut]
    unknown: list[BenefitResultOut]
    not_eligible: list[BenefitResultOut]


class AskIn(Schema):
    question: str


class CitationOut(Schema):
    document: str
    number: str
    measure: str
    text: str
    url: str


class AskOut(Schema):
    answer: str
    kind: str
    citations: list[CitationOut]
    details: list[str]


class RdIn(Schema):
    tax_year: int
    firm_type: str = "general"
    industry_division: str
    expensed_fen: int
    capitalised_fen: int = 0
    expensed_later_fen: int | None = None


class RateOut(Schema):
    start: datetime.date
    end: datetime.date
    rate: str
    source: str


class RdOut(Schema):
    tax_year: int
    firm_type: str
    eligible: bool
    extra_deduction_fen: int
    amortisation_base_fen: int
    amortisation_multiplier: str | None
    rates: list[RateOut]
    steps: list[str]
    sources: list[str]


class StatusIn(Schema):
    listed: bool = False
    high_tech: bool = True
    employees: int
    annual_sales_fen: int
    total_assets_fen: int


class InvestmentIn(Schema):
    investee: str = ""
    invested_on: datetime.date
    amount_fen: int
    disposed_on: datetime.date | None = None
    at_investment: StatusIn
    at_24_months: StatusIn


class IncomeIn(Schema):
    year: int
    taxable_income_fen: int


class VcIn(Schema):
    investments: list[InvestmentIn]
    taxable_income: list[IncomeIn]


class VcInvestmentOut(Schema):
    investee: str
    invested_on: datetime.date
    amount_fen: int
    eligible: bool
    available_on: datetime.date | None
    available_year: int | None
    credit_fen: int
    reasons: list[str]


class VcYearOut(Schema):
    year: int
    becomes_available_fen: int
    taxable_income_fen: int | None
    used_fen: int
    taxable_after_fen: int | None
    carry_forward_fen: int


class VcOut(Schema):
    investments: list[VcInvestmentOut]
    years: list[VcYearOut]
    steps: list[str]
    sources: list[str]


class ParameterOut(Schema):
    key: str
    label: str
    kind: str
    unit: str
    value: object | None
    is_set: bool
    valid_from: datetime.date
    valid_to: datetime.date | None
    source: str
    department: str


