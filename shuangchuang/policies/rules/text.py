"""Rules as sentences: the requirement of each condition and the value an enterprise has."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from shuangchuang.policies.rules.model import Condition, Group, ParamRef


def money_text(fen: int) -> str:
    amount = Decimal(fen) / 100
    if amount == amount.to_integral_value():
        return f"¥{int(amount):,}"
    return f"¥{amount:,.2f}"


def percent_text(value: Fraction) -> str:
    number = (Decimal(value.numerator) / Decimal(value.denominator) * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    text = f"{number:f}".rstrip("0").rstrip(".")
    return f"{text}%"


def value_text(fact, value) -> str:
    if value is None:
        return _("unknown")
    if fact.type == "bool":
        return _("yes") if value else _("no")
    if fact.type == "money":
        return money_text(value)
    if fact.type == "ratio":
        return percent_text(value)
    if fact.type == "date":
        return value.isoformat() if isinstance(value, datetime.date) else str(value)
    if fact.type == "choice":
        choices = fact.choices() if fact.choices else {}
        if isinstance(value, (list, tuple)):
            return "、".join(choices.get(v, v) for v in value)
        return choices.get(value, value)
    if fact.unit:
        return f"{value} {fact.unit}"
    return str(value)


def _operand_text(fact, value, ctx) -> str:
    if isinstance(value, ParamRef):
        row = ctx.param_row(value.key) if ctx is not None else None
        label = row.label if row is not None else value.key
        if row is None or row.value is None:
            return _("the parameter “%(label)s” (not set)") % {"label": label}
        from shuangchuang.policies.selectors.parameters import typed_value

        current = typed_value(row)
        if fact.type == "ratio":
            current = Fraction(Decimal(str(current)))
        return _("the parameter “%(label)s” (%(value)s)") % {"label": label, "value": value_text(fact, current)}
    return value_text(fact, value)


ORDERED = {
    "eq": lambda: _("%(fact)s is %(value)s"),
    "ne": lambda: _("%(fact)s is not %(value)s"),
    "lt": lambda: _("%(fact)s is less than %(value)s"),
    "lte": lambda: _("%(fact)s is at most %(value)s"),
    "gt": lambda: _("%(fact)s is more than %(value)s"),
    "gte": lambda: _("%(fact)s is at least %(value)s"),
}
DATES = {
    "lt": lambda: _("%(fact)s is before %(value)s"),
    "lte": lambda: _("%(fact)s is on or before %(value)s"),
    "gt": lambda: _("%(fact)s is after %(value)s"),
    "gte": lambda: _("%(fact)s is on or after %(value)s"),
}


def requirement(condition: Condition, fact, ctx=None) -> str:
    op, value = condition.op, condition.value
    label = str(fact.label)
    if op == "is":
        text = (_("%(fact)s: yes") if value else _("%(fact)s: no")) % {"fact": label}
    elif op == "between":
        text = _("%(fact)s is between %(low)s and %(high)s") % {
            "fact": label, "low": _operand_text(fact, value[0], ctx), "high": _operand_text(fact, value[1], ctx)}
    elif op == "in":
        text = _("%(fact)s is one of: %(value)s") % {"fact": label, "value": value_text(fact, value)}
    elif op == "not_in":
        text = _("%(fact)s is none of: %(value)s") % {"fact": label, "value": value_text(fact, value)}
    else:
        template = (DATES.get(op) if fact.type == "date" else None) or ORDERED[op]
        text = template() % {"fact": label, "value": _operand_text(fact, value, ctx)}
    if condition.extra.get("action"):
        text = _("%(text)s (action: %(action)s)") % {"text": text, "action": condition.extra["action"]}
    return text


def describe_node(node, ctx=None) -> str:
    if isinstance(node, Condition):
        from shuangchuang.policies.rules.facts import get_fact

        return requirement(node, get_fact(node.fact), ctx)
    return describe_group(node, ctx)


def describe_group(group: Group, ctx=None) -> str:
    parts = [describe_node(child, ctx) for child in group.children]
    if group.kind == "not":
        return _("not: %(part)s") % {"part": parts[0]}
    if not parts:
        return _("no conditions")
    joined = "; ".join(parts)
    if group.kind == "all":
        return _("all of: %(parts)s") % {"parts": joined}
    return _("any of: %(parts)s") % {"parts": joined}
