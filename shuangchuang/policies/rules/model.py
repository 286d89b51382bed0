"""The parsed form of a rule: groups (all / any / not) of conditions (fact, operator, value, cited clause)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"

COMPLEMENT = {
    "eq": "ne", "ne": "eq", "lt": "gte", "gte": "lt", "lte": "gt", "gt": "lte", "between": "outside",
    "outside": "between", "in": "not_in", "not_in": "in",
}


@dataclass(frozen=True)
class ParamRef:
    key: str


@dataclass
class Condition:
    fact: str
    op: str
    value: Any  # internal value (fen, Fraction, date, tuple of codes, bool, int) or ParamRef, or a pair of them
    raw: dict
    path: str
    cite: str = ""
    extra: dict = field(default_factory=dict)
    fact_obj: object = None


@dataclass
class Group:
    kind: str  # all | any | not
    children: list
    path: str


class ConditionResult:
    """One condition's outcome for one enterprise. Its sentences are built only when read (an explanation of
    hundreds of benefits is computed for its outcomes; only the shown parts are put into words)."""

    __slots__ = ("condition", "fact_obj", "ctx", "outcome", "value", "note_code", "note_arg", "_requirement")

    def __init__(self, condition: Condition, fact_obj, ctx, outcome: str = UNKNOWN, value=None,
                 note_code: str = "", note_arg: str = ""):
        self.condition, self.fact_obj, self.ctx = condition, fact_obj, ctx
        self.outcome, self.value, self.note_code, self.note_arg = outcome, value, note_code, note_arg
        self._requirement = None

    @property
    def path(self) -> str:
        return self.condition.path

    @property
    def fact(self) -> str:
        return self.condition.fact

    @property
    def op(self) -> str:
        return self.condition.op

    @property
    def cite(self) -> str:
        return self.condition.cite

    @property
    def label(self) -> str:
        return str(self.fact_obj.label)

    @property
    def requirement(self) -> str:
        if self._requirement is None:
            from shuangchuang.policies.rules.text import requirement

            self._requirement = requirement(self.condition, self.fact_obj, self.ctx)
        return self._requirement

    @property
    def actual(self) -> str:
        from shuangchuang.policies.rules.text import value_text

        return value_text(self.fact_obj, self.value)

    @property
    def note(self) -> str:
        from django.utils.translation import gettext as _

        if self.note_code == "unavailable":
            return str(self.fact_obj.unavailable_reason)
        if self.note_code == "parameter":
            return _("The parameter %(key)s is not set for this date.") % {"key": self.note_arg}
        if self.note_code == "missing":
            return _("The register does not have this fact for the enterprise.")
        return ""

    def as_dict(self) -> dict:
        return {"path": self.path, "fact": self.fact, "label": self.label, "op": self.op,
                "requirement": self.requirement, "actual": self.actual, "outcome": self.outcome, "cite": self.cite,
                "note": self.note}


class GroupResult:
    __slots__ = ("kind", "outcome", "children", "path", "group", "ctx")

    def __init__(self, kind: str, outcome: str, children: list, path: str, group=None, ctx=None):
        self.kind, self.outcome, self.children, self.path, self.group, self.ctx = (
            kind, outcome, children, path, group, ctx)

    @property
    def requirement(self) -> str:
        if self.group is None:
            return ""
        from shuangchuang.policies.rules.text import describe_group

        return describe_group(self.group, self.ctx)

    def as_dict(self) -> dict:
        return {"kind": self.kind, "outcome": self.outcome, "path": self.path, "requirement": self.requirement,
                "children": [c.as_dict() for c in self.children]}


@dataclass
class Explanation:
    outcome: str
    root: GroupResult

    @property
    def conditions(self) -> list[ConditionResult]:
        found: list[ConditionResult] = []

        def walk(node):
            if isinstance(node, ConditionResult):
                found.append(node)
            else:
                for child in node.children:
                    walk(child)

        walk(self.root)
        return found

    @property
    def passed(self) -> bool:
        return self.outcome == PASS

    @property
    def failing(self) -> list:
        return [c for c in self.root.children if c.outcome == FAIL]

    @property
    def unknown(self) -> list:
        return [c for c in self.root.children if c.outcome == UNKNOWN]

    @property
    def near_miss(self):
        """The one failing part when everything else of an all-rule passes, else None."""
        if self.outcome == PASS or self.root.kind != "all":
            return None
        failing = self.failing
        if len(failing) == 1 and not self.unknown:
            return failing[0]
        return None

    @property
    def what_would_change_it(self) -> list[ConditionResult]:
        """For a near miss, the failing condition(s) to meet: inside a group, the one condition of the closest
        alternative (e.g. the R&D share of the enterprise's own revenue band)."""
        miss = self.near_miss
        return [] if miss is None else _closest(miss)

    @property
    def change_text(self) -> str:
        return "; ".join(f"{c.requirement} ({c.actual})" if c.actual else c.requirement
                         for c in self.what_would_change_it)

    def as_dict(self) -> dict:
        miss = self.near_miss
        return {"outcome": self.outcome, "conditions": [c.as_dict() for c in self.conditions],
                "near_miss": miss.as_dict() if miss is not None else None, "tree": self.root.as_dict()}


def _failing_leaves(node) -> list:
    if isinstance(node, ConditionResult):
        return [node] if node.outcome == FAIL else []
    return [leaf for child in node.children for leaf in _failing_leaves(child)]


def _closest(node) -> list:
    if isinstance(node, ConditionResult):
        return [node]
    if node.kind == "all":
        failing = [c for c in node.children if c.outcome == FAIL]
        if len(failing) == 1 and not any(c.outcome == UNKNOWN for c in node.children):
            return _closest(failing[0])
    if node.kind == "any":
        options = [_closest(c) for c in node.children if c.outcome == FAIL]
        options = [o for o in options if o]
        if options:
            return min(options, key=len)
    return _failing_leaves(node) or []
