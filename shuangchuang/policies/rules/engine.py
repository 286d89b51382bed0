"""Validate, explain and compile rules.

A rule is JSON: a group {"all": [...]}, {"any": [...]} or {"not": node}; a condition
{"fact": name, "op": operator, "value": v, "cite": "（十八）"}. Values may be {"param": key} (an effective-dated
parameter read on the evaluation date). Three-valued logic: a condition whose fact (or parameter) is unknown is
"unknown"; `all` passes when every part passes, fails when one fails; `any` the other way round; `not` swaps pass
and fail. The SQL compiled from a rule selects exactly the enterprises whose explanation passes.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from shuangchuang.core.errors import ServiceError
from shuangchuang.policies.rules.context import RuleContext, context_for
from shuangchuang.policies.rules.facts import NOTHING, Fact, all_facts, get_fact
from shuangchuang.policies.rules.model import (
    COMPLEMENT,
    FAIL,
    PASS,
    UNKNOWN,
    Condition,
    ConditionResult,
    Explanation,
    Group,
    GroupResult,
    ParamRef,
)
from shuangchuang.policies.rules import text as rule_text

MAX_DEPTH = 4
MAX_CONDITIONS = 40
PARAM_KINDS = {"money": {"money"}, "integer": {"integer"}, "ratio": {"decimal"}}
NON_NEGATIVE = {"integer", "money", "ratio"}
ACTION_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class RuleError(ServiceError):
    """A rule that cannot be saved; `field` is the path of the offending part, e.g. rule.all[2].value."""


# ----------------------------------------------------------------------------------------------------------------
# Parsing and validation

def _param_ref(value, fact: Fact, path: str, params_known: dict | None) -> ParamRef:
    key = value.get("param")
    if not isinstance(key, str) or set(value) != {"param"}:
        raise RuleError("rule_bad_param", _("A parameter reference is written {\"param\": \"key\"}."), field=path)
    kinds = PARAM_KINDS.get(fact.type)
    if not kinds:
        raise RuleError("rule_param_not_allowed", _("This fact cannot be compared with a parameter."), field=path)
    if params_known is not None:
        kind = params_known.get(key)
        if kind is None:
            raise RuleError("rule_unknown_param", _("There is no parameter called %(key)s.") % {"key": key},
                            field=path)
        if kind not in kinds:
            raise RuleError("rule_param_type",
                            _("The parameter %(key)s has the wrong type for this fact.") % {"key": key}, field=path)
    return ParamRef(key)


def _scalar(value, fact: Fact, path: str, params_known: dict | None):
    if isinstance(value, dict):
        return _param_ref(value, fact, path, params_known)
    kind = fact.type
    if kind == "bool":
        if not isinstance(value, bool):
            raise RuleError("rule_wrong_type", _("This fact is yes or no: give true or false."), field=path)
        return value
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise RuleError("rule_wrong_type", _("This fact is a whole number."), field=path)
        if value < 0:
            raise RuleError("rule_negative", _("The value cannot be negative."), field=path)
        return value
    if kind in ("money", "ratio"):
        if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
            raise RuleError("rule_wrong_type", _("This fact is a number."), field=path)
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise RuleError("rule_wrong_type", _("This fact is a number."), field=path) from None
        if not number.is_finite():
            raise RuleError("rule_wrong_type", _("This fact is a number."), field=path)
        if number < 0:
            raise RuleError("rule_negative", _("The value cannot be negative."), field=path)
        if kind == "money":
            fen = number * 100
            if fen != fen.to_integral_value():
                raise RuleError("rule_money_precision", _("Amounts are in yuan with at most two decimals."),
                                field=path)
            if fen > 10**17:
                raise RuleError("rule_too_large", _("The amount is too large."), field=path)
            return int(fen)
        if number.as_tuple().exponent < -4 or number > 1000:
            raise RuleError("rule_ratio_precision",
                            _("A share is a fraction such as 0.05 (5 %), with at most four decimals."), field=path)
        return Fraction(number)
    if kind == "date":
        if not isinstance(value, str) or not re.match(r"^\d{4}-\d{2}-\d{2}$", value):
            _bad_date(path)
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            _bad_date(path)
    raise RuleError("rule_wrong_type", _("This value does not fit the fact."), field=path)


def _bad_date(path: str):
    raise RuleError("rule_wrong_type", _("Dates are written YYYY-MM-DD."), field=path)


def _condition(raw: dict, path: str, params_known: dict | None) -> Condition:
    name = raw.get("fact")
    fact = get_fact(name) if isinstance(name, str) else None
    if fact is None:
        raise RuleError("rule_unknown_fact", _("There is no fact called %(name)s.") % {"name": name},
                        field=f"{path}.fact")
    if not fact.is_available:
        raise RuleError("rule_fact_unavailable", str(fact.unavailable_reason), field=f"{path}.fact")
    allowed = {"fact", "op", "value", "cite", *fact.extra}
    unknown_keys = sorted(set(raw) - allowed)
    if unknown_keys:
        raise RuleError("rule_unknown_key", _("Unknown key in a condition: %(keys)s.") % {"keys": ", ".join(unknown_keys)},
                        field=path)
    op = raw.get("op")
    if op not in fact.ops:
        raise RuleError("rule_bad_op", _("The operator %(op)s cannot be used with %(fact)s; use one of %(ops)s.")
                        % {"op": op, "fact": fact.label, "ops": ", ".join(fact.ops)}, field=f"{path}.op")
    if "value" not in raw:
        raise RuleError("rule_missing_value", _("Give a value."), field=f"{path}.value")
    value = raw["value"]
    vpath = f"{path}.value"
    if op == "between":
        if not isinstance(value, list) or len(value) != 2:
            raise RuleError("rule_between", _("A range is written [lowest, highest]."), field=vpath)
        low, high = (_scalar(v, fact, f"{vpath}[{i}]", params_known) for i, v in enumerate(value))
        if not isinstance(low, ParamRef) and not isinstance(high, ParamRef) and low > high:
            raise RuleError("rule_empty_range", _("The range is empty: the lowest value is above the highest."),
                            field=vpath)
        internal: Any = (low, high)
    elif op in ("in", "not_in"):
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise RuleError("rule_choice_empty", _("Choose at least one value."), field=vpath)
        choices = fact.choices() if fact.choices and params_known is not None else None
        wrong = [v for v in value if choices is not None and v not in choices]
        if wrong:
            raise RuleError("rule_unknown_choice", _("Unknown value(s) for %(fact)s: %(values)s.")
                            % {"fact": fact.label, "values": ", ".join(wrong)}, field=vpath)
        internal = tuple(dict.fromkeys(value))
    else:
        internal = _scalar(value, fact, vpath, params_known)
        if fact.type in NON_NEGATIVE and not isinstance(internal, ParamRef):
            if (op == "lt" and internal <= 0) or (op == "lte" and internal < 0):
                raise RuleError("rule_empty_range", _("No enterprise can meet this condition: the value is never "
                                                      "below zero."), field=vpath)
    extra = {}
    for key, default in fact.extra.items():
        given = raw.get(key, default)
        if not isinstance(given, str) or not ACTION_RE.match(given):
            raise RuleError("rule_bad_extra", _("Invalid %(key)s.") % {"key": key}, field=f"{path}.{key}")
        allowed_values = fact.extra_choices[key]() if key in fact.extra_choices else None
        if allowed_values and given not in allowed_values:
            raise RuleError("rule_bad_extra", _("Unknown %(key)s “%(value)s”. Use one of: %(values)s.")
                            % {"key": key, "value": given, "values": ", ".join(allowed_values)}, field=f"{path}.{key}")
        extra[key] = given
    cite = raw.get("cite", "")
    if not isinstance(cite, str) or len(cite) > 200:
        raise RuleError("rule_bad_cite", _("The cited clause is a short text."), field=f"{path}.cite")
    return Condition(fact=fact.name, op=op, value=internal, raw=dict(raw), path=path, cite=cite.strip(), extra=extra,
                     fact_obj=fact)


def _bounds(condition: Condition, fact: Fact):
    """(low, low_inclusive, high, high_inclusive) of an ordered condition with literal values, else None."""
    op, value = condition.op, condition.value
    if fact.type not in ("integer", "money", "ratio", "date") or op == "ne":
        return None
    values = value if op == "between" else (value,)
    if any(isinstance(v, ParamRef) for v in values):
        return None
    if op == "eq":
        return value, True, value, True
    if op == "between":
        return value[0], True, value[1], True
    if op in ("gt", "gte"):
        return value, op == "gte", None, True
    return None, True, value, op == "lte"


def _check_consistent(group: Group) -> None:
    """In an all-group, conditions on one fact must leave some value possible."""
    if group.kind != "all":
        return
    ranges: dict[str, list] = {}
    choices: dict[str, set] = {}
    for child in group.children:
        if not isinstance(child, Condition) or child.extra:
            continue
        fact = get_fact(child.fact)
        if child.op == "in":
            current = choices.get(child.fact)
            choices[child.fact] = set(child.value) if current is None else current & set(child.value)
            if not choices[child.fact]:
                raise RuleError("rule_contradiction", _("The conditions on %(fact)s exclude each other: no enterprise "
                                                        "can meet them.") % {"fact": fact.label}, field=child.path)
            continue
        bounds = _bounds(child, fact)
        if bounds is None:
            continue
        low, low_inc, high, high_inc = bounds
        current = ranges.setdefault(child.fact, [None, True, None, True])
        if low is not None and (current[0] is None or low > current[0] or (low == current[0] and not low_inc)):
            current[0], current[1] = low, low_inc
        if high is not None and (current[2] is None or high < current[2] or (high == current[2] and not high_inc)):
            current[2], current[3] = high, high_inc
        lo, lo_inc, hi, hi_inc = current
        if lo is not None and hi is not None:
            if fact.type in ("integer", "money"):
                lo = lo if lo_inc else lo + 1
                hi = hi if hi_inc else hi - 1
                empty = lo > hi
            else:
                empty = lo > hi or (lo == hi and not (lo_inc and hi_inc))
            if empty:
                raise RuleError("rule_contradiction", _("The conditions on %(fact)s exclude each other: no enterprise "
                                                        "can meet them.") % {"fact": fact.label}, field=child.path)


def _node(raw, path: str, depth: int, counter: list, params_known: dict | None):
    if not isinstance(raw, dict):
        raise RuleError("rule_not_object", _("Each part of a rule is an object."), field=path)
    if "fact" in raw:
        counter[0] += 1
        if counter[0] > MAX_CONDITIONS:
            raise RuleError("rule_too_long", _("A rule has at most %(n)s conditions.") % {"n": MAX_CONDITIONS},
                            field=path)
        return _condition(raw, path, params_known)
    kinds = [k for k in ("all", "any", "not") if k in raw]
    if len(kinds) != 1 or len(raw) != 1:
        raise RuleError("rule_bad_group", _("A group is written {\"all\": [...]}, {\"any\": [...]} or {\"not\": {...}}."),
                        field=path)
    if depth >= MAX_DEPTH:
        raise RuleError("rule_too_deep", _("Groups can be nested at most %(n)s deep.") % {"n": MAX_DEPTH}, field=path)
    kind = kinds[0]
    if kind == "not":
        return Group("not", [_node(raw["not"], f"{path}.not", depth + 1, counter, params_known)], path)
    items = raw[kind]
    if not isinstance(items, list):
        raise RuleError("rule_bad_group", _("The parts of a group are a list."), field=path)
    if kind == "any" and not items:
        raise RuleError("rule_empty_any", _("An any-group needs at least one condition."), field=path)
    group = Group(kind, [_node(item, f"{path}.{kind}[{i}]", depth + 1, counter, params_known)
                         for i, item in enumerate(items)], path)
    _check_consistent(group)
    return group


def _known_params() -> dict[str, str]:
    from shuangchuang.policies.selectors.parameters import parameter_kinds

    return parameter_kinds()


def parse_rule(rule, *, check_params: bool = True) -> Group:
    """The parsed rule; raises RuleError with a clear message and the path of the problem.

    check_params=False parses a stored (already validated) rule: parameter keys and choice codes are not looked up."""
    if rule in (None, {}):
        rule = {"all": []}
    return _node(rule, "rule", 0, [0], _known_params() if check_params else None)


_parsed: dict = {}


def parsed_rule(key, rule) -> Group:
    """A stored rule parsed once per process for `key` (e.g. (benefit id, updated_at)); parsed trees are read-only."""
    tree = _parsed.get(key)
    if tree is None:
        if len(_parsed) > 5000:
            _parsed.clear()
        tree = _parsed[key] = parse_rule(rule, check_params=False)
    return tree


def validate_rule(rule) -> dict:
    """Check a rule an officer wrote; return it (an empty rule becomes {"all": []}) or raise RuleError."""
    parse_rule(rule)
    return rule if rule else {"all": []}


# ----------------------------------------------------------------------------------------------------------------
# Evaluation

def _resolve(value, ctx: RuleContext, fact: Fact):
    """The internal value with parameters read on ctx.on; raises LookupError(key) when one is not set."""
    if value.__class__ in _PLAIN:
        return value
    if isinstance(value, tuple) and fact.type != "choice":
        return tuple(_resolve(v, ctx, fact) for v in value)
    if isinstance(value, ParamRef):
        resolved = ctx.param_value(value.key)
        if resolved is None:
            raise LookupError(value.key)
        if fact.type == "ratio":
            return Fraction(Decimal(str(resolved)))
        return int(resolved)
    return value


_PLAIN = {int, bool, Fraction, datetime.date, str}


def _test(op: str, actual, value) -> bool:
    if op in ("eq", "is"):
        return actual == value
    if op == "ne":
        return actual != value
    if op == "lt":
        return actual < value
    if op == "lte":
        return actual <= value
    if op == "gt":
        return actual > value
    if op == "gte":
        return actual >= value
    if op == "between":
        return value[0] <= actual <= value[1]
    if op == "in":
        return actual in value
    if op == "not_in":
        return actual not in value
    raise ValueError(op)


def _explain_condition(condition: Condition, enterprise, ctx: RuleContext) -> ConditionResult:
    fact = condition.fact_obj
    if not fact.is_available:
        return ConditionResult(condition, fact, ctx, UNKNOWN, note_code="unavailable")
    try:
        value = _resolve(condition.value, ctx, fact)
    except LookupError as missing:
        return ConditionResult(condition, fact, ctx, UNKNOWN, note_code="parameter", note_arg=missing.args[0])
    actual = fact.read(enterprise, ctx, **condition.extra) if condition.extra else fact.read(enterprise, ctx)
    if actual is None:
        return ConditionResult(condition, fact, ctx, UNKNOWN, note_code="missing")
    return ConditionResult(condition, fact, ctx, PASS if _test(condition.op, actual, value) else FAIL, actual)


def _combine(kind: str, outcomes: list[str]) -> str:
    if kind == "not":
        return {PASS: FAIL, FAIL: PASS}.get(outcomes[0], UNKNOWN)
    if kind == "all":
        result = PASS
        for outcome in outcomes:
            if outcome == FAIL:
                return FAIL
            if outcome != PASS:
                result = UNKNOWN
        return result
    result = FAIL
    for outcome in outcomes:
        if outcome == PASS:
            return PASS
        if outcome != FAIL:
            result = UNKNOWN
    return result


def _explain_node(node, enterprise, ctx):
    if node.__class__ is Condition:
        return _explain_condition(node, enterprise, ctx)
    children = [_explain_node(child, enterprise, ctx) for child in node.children]
    return GroupResult(node.kind, _combine(node.kind, [c.outcome for c in children]), children, node.path, node, ctx)


def explain(rule, enterprise, *, on: datetime.date | None = None, ctx: RuleContext | None = None) -> Explanation:
    """Each condition pass / fail / unknown for one enterprise, with the cited clause and the actual value."""
    ctx = ctx or context_for(on)
    tree = rule if isinstance(rule, Group) else parse_rule(rule, check_params=False)
    root = _explain_node(tree, enterprise, ctx)
    if not isinstance(root, GroupResult):
        root = GroupResult("all", root.outcome, [root], "rule")
    return Explanation(outcome=root.outcome, root=root)


# ----------------------------------------------------------------------------------------------------------------
# Compilation to SQL

def _complement_q(condition: Condition, fact: Fact, value, ctx) -> Q:
    if condition.op == "is":
        return fact.q("is", not value, ctx, **condition.extra)
    return fact.q(COMPLEMENT[condition.op], value, ctx, **condition.extra)


def _compile(node, ctx: RuleContext) -> tuple[Q, Q]:
    """(pass, fail) conditions of a node."""
    if isinstance(node, Condition):
        fact = get_fact(node.fact)
        if not fact.is_available:
            return NOTHING, NOTHING
        try:
            value = _resolve(node.value, ctx, fact)
        except LookupError:
            return NOTHING, NOTHING
        known = fact.known_q(ctx)
        return known & fact.q(node.op, value, ctx, **node.extra), known & _complement_q(node, fact, value, ctx)
    parts = [_compile(child, ctx) for child in node.children]
    if node.kind == "not":
        passed, failed = parts[0]
        return failed, passed
    if node.kind == "all":
        if not parts:
            return Q(), NOTHING
        passed, failed = parts[0]
        for p, f in parts[1:]:
            passed &= p
            failed |= f
        return passed, failed
    passed, failed = parts[0]
    for p, f in parts[1:]:
        passed |= p
        failed &= f
    return passed, failed


def rule_q(rule, *, on: datetime.date | None = None, ctx: RuleContext | None = None) -> Q:
    """A Q over registry.Enterprise selecting exactly the enterprises the rule passes on the date."""
    ctx = ctx or context_for(on)
    tree = rule if isinstance(rule, Group) else parse_rule(rule, check_params=False)
    return _compile(tree, ctx)[0]


def matching_enterprises(rule, *, on: datetime.date | None = None, queryset=None, ctx: RuleContext | None = None):
    from shuangchuang.registry.models import Enterprise

    queryset = Enterprise.objects.all() if queryset is None else queryset
    return queryset.filter(rule_q(rule, on=on, ctx=ctx))


def describe(rule, *, on: datetime.date | None = None) -> list[str]:
    """The rule as sentences, one per top-level part."""
    ctx = context_for(on)
    tree = rule if isinstance(rule, Group) else parse_rule(rule, check_params=False)
    return [rule_text.describe_node(child, ctx) for child in tree.children] if tree.kind != "not" else [
        rule_text.describe_node(tree, ctx)]


def fact_catalogue() -> list[dict]:
    """The facts an officer can use, with their operators and choices (for forms and the API)."""
    out = []
    for fact in all_facts().values():
        out.append({
            "name": fact.name, "type": fact.type, "label": str(fact.label), "unit": str(fact.unit),
            "ops": list(fact.ops), "available": fact.is_available,
            "unavailable_reason": str(fact.unavailable_reason) if not fact.is_available else "",
            "choices": fact.choices() if fact.choices else None,
        })
    return out
