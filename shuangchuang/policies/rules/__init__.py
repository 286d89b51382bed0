"""The eligibility rules engine — the shared mechanism other modules (programmes, vouchers, restrictions) call.

Public API (stable):

    validate_rule(rule) -> dict                       raise RuleError(code, message, field=path) when invalid
    explain(rule, enterprise, *, on=None) -> Explanation   pass / fail / unknown per condition, clause cited
    rule_q(rule, *, on=None) -> Q                     the same rule as a filter over registry.Enterprise
    matching_enterprises(rule, *, on=None, queryset=None) -> QuerySet[Enterprise]
    describe(rule, *, on=None) -> list[str]           the rule as sentences
    fact_catalogue() -> list[dict]                    the facts, their types, operators and choices
    RuleContext / context_for(on)                     share one context (parameters read once) across calls

A rule is JSON: {"all": [...]}, {"any": [...]}, {"not": {...}} of conditions
{"fact": "employees", "op": "lte", "value": 500, "cite": "（六）"}; values may be {"param": "key"}.
"""

from shuangchuang.policies.rules.context import RuleContext, context_for
from shuangchuang.policies.rules.engine import (
    RuleError,
    describe,
    explain,
    fact_catalogue,
    matching_enterprises,
    parse_rule,
    parsed_rule,
    rule_q,
    validate_rule,
)
from shuangchuang.policies.rules.facts import Fact, all_facts, get_fact
from shuangchuang.policies.rules.model import FAIL, PASS, UNKNOWN, ConditionResult, Explanation, GroupResult

__all__ = [
    "FAIL", "PASS", "UNKNOWN", "ConditionResult", "Explanation", "Fact", "GroupResult", "RuleContext", "RuleError",
    "all_facts",
    "context_for", "describe", "explain", "fact_catalogue", "get_fact", "matching_enterprises",
    "parse_rule", "parsed_rule", "rule_q", "validate_rule",
]
