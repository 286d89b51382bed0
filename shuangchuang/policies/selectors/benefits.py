"""Reads of benefits: the benefit page, its amount parameters, an enterprise's eligibility (with near misses) and
the enterprises matching a benefit, with their breakdown by district and industry."""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from shuangchuang.policies.models import Audience, Benefit, BenefitNotice, BenefitPush, Parameter
from shuangchuang.policies.rules import Explanation, RuleContext, explain, parsed_rule, rule_q
from shuangchuang.policies.rules.facts import reference
from shuangchuang.policies.rules.text import money_text
from shuangchuang.policies.selectors.parameters import typed_value
from shuangchuang.registry.models import Enterprise


def published_benefits() -> QuerySet[Benefit]:
    return Benefit.objects.published().select_related("document", "part", "part__parent", "department")


HEAVY_FIELDS = ("search_text", "document__body", "document__search_text", "document__summary",
                "document__source_note", "part__search_text", "part__text", "part__parent__search_text",
                "part__parent__text")
_matching_cache: dict = {}


def matching_benefits() -> list[Benefit]:
    """The published benefits with what matching needs (no long texts), cached per process and reloaded when a
    benefit or a document changes (one aggregate query)."""
    signature = tuple(Benefit.objects.aggregate(n=Count("id"), b=Max("updated_at"),
                                                d=Max("document__updated_at")).values())
    cached = _matching_cache.get("benefits")
    if cached is None or cached[0] != signature:
        cached = (signature, list(published_benefits().defer(*HEAVY_FIELDS).order_by("id")))
        _matching_cache["benefits"] = cached
    return cached[1]


def benefit_detail(pk: int, *, include_drafts: bool = False) -> Benefit | None:
    benefits = Benefit.objects.select_related("document", "part", "part__parent", "department")
    if not include_drafts:
        benefits = benefits.published()
    return benefits.filter(pk=pk).first()


def parameter_text(row: Parameter | None) -> str:
    if row is None or row.value is None:
        return ""
    value = typed_value(row)
    if row.kind == "money":
        return money_text(value)
    if row.kind == "decimal" and not row.unit:
        number = value * 100
        return f"{number.normalize():f}%"
    if row.kind == "json":
        return str(value)
    return f"{value} {row.unit}".strip()


@dataclass
class AmountLine:
    key: str
    label: str
    text: str
    is_set: bool
    source: str
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None


def amount_lines(benefit: Benefit, ctx: RuleContext) -> list[AmountLine]:
    lines = []
    for key in benefit.amount_params:
        row = ctx.param_row(key)
        if row is None:
            lines.append(AmountLine(key, key, "", False, ""))
            continue
        lines.append(AmountLine(key, row.label, parameter_text(row), row.value is not None, row.source,
                                row.valid_from, row.valid_to))
    return lines


def amount_for(benefit: Benefit, enterprise: Enterprise, ctx: RuleContext) -> AmountLine | None:
    """The cap that applies to this enterprise (amount_by), e.g. the voucher cap of its size class."""
    by = benefit.amount_by or {}
    if not by:
        return None
    from shuangchuang.policies.rules import get_fact

    fact = get_fact(by.get("fact", ""))
    if fact is None:
        return None
    value = fact.read(enterprise, ctx)
    key = by.get("params", {}).get(value)
    if key is None:
        return None
    row = ctx.param_row(key)
    if row is None:
        return AmountLine(key, key, "", False, "")
    return AmountLine(key, row.label, parameter_text(row), row.value is not None, row.source)


@dataclass
class BenefitResult:
    benefit: Benefit
    explanation: Explanation
    amount: AmountLine | None = None


@dataclass
class EligibilityReport:
    enterprise: Enterprise
    on: datetime.date
    eligible: list[BenefitResult] = field(default_factory=list)
    near_misses: list[BenefitResult] = field(default_factory=list)
    unknown: list[BenefitResult] = field(default_factory=list)
    not_eligible: list[BenefitResult] = field(default_factory=list)
    if_you_qualify: list[BenefitResult] = field(default_factory=list)
    applicant_checked: int = 0
    for_individuals: list[Benefit] = field(default_factory=list)

    @property
    def checked(self) -> int:
        return (len(self.eligible) + len(self.near_misses) + len(self.unknown) + len(self.not_eligible)
                + self.applicant_checked)


def eligibility_for(enterprise: Enterprise, *, on: datetime.date | None = None,
                    benefits: list[Benefit] | None = None) -> EligibilityReport:
    """Every published benefit for this enterprise on the date: eligible, near misses (one failing condition,
    with what would change it), unknown (facts missing), not eligible, and — for benefits whose main condition the
    register cannot show — those whose register conditions it meets. Three queries once the published benefits are
    cached in the process: the parameters on the day, the benefits' change signature, the enterprise's credit
    restrictions."""
    on = on or timezone.localdate()
    ctx = RuleContext(on=on)
    ctx.params()
    report = EligibilityReport(enterprise=enterprise, on=on)
    for benefit in (benefits if benefits is not None else matching_benefits()):
        if benefit.audience == Audience.PERSON:
            report.for_individuals.append(benefit)
            continue
        explanation = explain(parsed_rule(("benefit", benefit.pk, benefit.updated_at), benefit.rule), enterprise,
                              ctx=ctx)
        result = BenefitResult(benefit, explanation, amount_for(benefit, enterprise, ctx))
        if benefit.audience == Audience.APPLICANT:
            report.applicant_checked += 1
            if explanation.passed:
                report.if_you_qualify.append(result)
            continue
        if explanation.passed:
            report.eligible.append(result)
        elif explanation.near_miss is not None:
            report.near_misses.append(result)
        elif explanation.outcome == "unknown":
            report.unknown.append(result)
        else:
            report.not_eligible.append(result)
    return report


def explain_benefit(benefit: Benefit, enterprise: Enterprise, *, on: datetime.date | None = None) -> BenefitResult:
    ctx = RuleContext(on=on or timezone.localdate())
    return BenefitResult(benefit, explain(benefit.rule, enterprise, ctx=ctx), amount_for(benefit, enterprise, ctx))


def benefit_matches(benefit: Benefit, *, on: datetime.date | None = None) -> QuerySet[Enterprise]:
    """The enterprises the benefit's rule selects on the date (one SQL query, never a loop)."""
    return (Enterprise.objects.filter(rule_q(benefit.rule, on=on or timezone.localdate()))
            .select_related("district", "industry").order_by("id"))


@dataclass
class Breakdown:
    count: int
    by_district: list[tuple[str, int]]
    by_section: list[tuple[str, int]]


def match_breakdown(benefit: Benefit, *, on: datetime.date | None = None) -> Breakdown:
    """How many enterprises match, by district and by industry section: one grouped SQL pass over the matches."""
    return rule_breakdown(benefit.rule, on=on)


def rule_breakdown(rule: dict, *, on: datetime.date | None = None) -> Breakdown:
    matches = Enterprise.objects.filter(rule_q(rule, on=on or timezone.localdate())).order_by()
    districts = reference("district_key_by_id")
    names = reference("district_names")
    sections = reference("section_by_division")
    section_names = reference("section_names")
    by_district: dict[str, int] = {}
    by_section: dict[str, int] = {}
    with analytic_query():
        rows = list(matches.values_list("district_id", "industry_id").annotate(n=Count("id")))
    for district_id, industry_id, n in rows:
        district = names.get(districts.get(district_id), "—")
        section = section_names.get(sections.get(industry_id), "—")
        by_district[district] = by_district.get(district, 0) + n
        by_section[section] = by_section.get(section, 0) + n
    return Breakdown(sum(by_district.values()), sorted(by_district.items(), key=lambda item: -item[1]),
                     sorted(by_section.items(), key=lambda item: -item[1]))


@contextmanager
def analytic_query():
    """Settings for one large read over the register on PostgreSQL: no JIT compilation (its start-up costs more
    than it saves here) and enough memory for exact bitmaps. SET LOCAL ends with the transaction."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
                cursor.execute("SET LOCAL work_mem = '64MB'")
        yield


def matching_count(rule: dict, *, on: datetime.date | None = None) -> int:
    with analytic_query():
        return Enterprise.objects.filter(rule_q(rule, on=on or timezone.localdate())).count()


def pushes_of(benefit: Benefit) -> QuerySet[BenefitPush]:
    return benefit.pushes.order_by("-created_at", "-id")


def push_detail(pk: int) -> BenefitPush | None:
    return BenefitPush.objects.select_related("benefit", "benefit__department").filter(pk=pk).first()


def notices_for(enterprise: Enterprise) -> QuerySet[BenefitNotice]:
    return (BenefitNotice.objects.filter(enterprise=enterprise).select_related("benefit", "benefit__document")
            .order_by("-created_at"))


def department_benefits(department) -> QuerySet[Benefit]:
    return Benefit.objects.filter(department=department).select_related("document").order_by("-updated_at")
