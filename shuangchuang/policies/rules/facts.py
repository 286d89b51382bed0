"""The registry of enterprise facts a rule can test: name, type, label, how to read it from an Enterprise and how
to filter it in SQL.

Types: bool, integer, money (rule values in yuan, compared in fen), ratio (a fraction, shown as %), choice (codes),
date. Every fact gives `read(enterprise, ctx)` (None = unknown), `known_q(ctx)` (rows where the fact is known) and
`q(op, value, ctx)` for the positive operators and their complements (ops.COMPLEMENT), so SQL follows the same
three-valued logic as the explanation.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from typing import Any

from django.db.models import F, Q
from django.db.models.lookups import Exact, GreaterThan, GreaterThanOrEqual, LessThan, LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from shuangchuang.policies.rules.context import RuleContext

try:  # without the credit module the credit fact explains as "unknown"
    from shuangchuang.credit.models import Action as _CreditAction
    from shuangchuang.credit.selectors import blocked_actions as _credit_blocked_actions
    from shuangchuang.credit.selectors import blocked_uscc_subquery as _credit_subquery
except ImportError:  # pragma: no cover - a deployment without the credit module
    _CreditAction = None
    _credit_blocked_actions = None
    _credit_subquery = None
_CREDIT_SUBQUERY_BUILT_IN = _credit_subquery  # tests may swap _credit_subquery; the one-query read is for this one

NOTHING = Q(pk__in=[])

TYPE_OPS = {
    "bool": ("is",),
    "integer": ("eq", "ne", "lt", "lte", "gt", "gte", "between"),
    "money": ("eq", "ne", "lt", "lte", "gt", "gte", "between"),
    "ratio": ("lt", "lte", "gt", "gte", "between"),
    "date": ("lt", "lte", "gt", "gte", "between"),
    "choice": ("in", "not_in"),
}


# ----------------------------------------------------------------------------------------------------------------
# Reference look-ups (districts, industries), cached per process; reloaded when a key is missing.

@lru_cache(maxsize=1)
def _reference() -> dict[str, dict]:
    from shuangchuang.registry.models import District, IndustryDivision, IndustrySection

    districts = list(District.objects.order_by("key").values("id", "key", "name"))
    divisions = list(IndustryDivision.objects.order_by("code").values("code", "section_id", "name"))
    sections = list(IndustrySection.objects.order_by("code").values("code", "name"))
    return {
        "district_key_by_id": {d["id"]: d["key"] for d in districts},
        "district_id_by_key": {d["key"]: d["id"] for d in districts},
        "district_names": {d["key"]: d["name"] for d in districts},
        "section_by_division": {d["code"]: d["section_id"] for d in divisions},
        "division_names": {d["code"]: f"{d['code']} {d['name']}" for d in divisions},
        "section_names": {s["code"]: f"{s['code']} {s['name']}" for s in sections},
    }


def reference(name: str, key=None):
    data = _reference()[name]
    if key is not None and key not in data:
        _reference.cache_clear()
        data = _reference()[name]
    return data


def reference_cache_clear() -> None:
    _reference.cache_clear()


# ----------------------------------------------------------------------------------------------------------------
# Date arithmetic for the age facts. Age in completed years/months; "age ≥ N" ⟺ founded_on ≤ on − N (day clamped).

def shift_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(month_index, 12)
    month += 1
    if year < 1:
        return datetime.date(1, 1, 1)
    if year > 9999:
        return datetime.date(9999, 12, 31)
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def completed_months(founded: datetime.date, on: datetime.date) -> int:
    return (on.year - founded.year) * 12 + (on.month - founded.month) - (1 if on.day < founded.day else 0)


def completed_years(founded: datetime.date, on: datetime.date) -> int:
    return on.year - founded.year - (1 if (on.month, on.day) < (founded.month, founded.day) else 0)


# ----------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Fact:
    name: str
    type: str
    label: Any
    read: Callable[[Any, RuleContext], Any]
    known_q: Callable[[RuleContext], Q]
    q: Callable[[str, Any, RuleContext], Q]
    unit: str = ""
    choices: Callable[[], dict[str, str]] | None = None
    help: Any = ""
    extra: dict[str, Any] = field(default_factory=dict)  # allowed extra keys of a condition, with defaults
    extra_choices: dict[str, Callable[[], dict[str, str]]] = field(default_factory=dict)  # their allowed values
    available: Callable[[], bool] | None = None  # None: always available
    unavailable_reason: Any = ""

    @property
    def ops(self) -> tuple[str, ...]:
        return TYPE_OPS[self.type]

    @property
    def is_available(self) -> bool:
        return self.available is None or bool(self.available())


def column_q(column: str) -> Callable[[str, Any, RuleContext], Q]:
    def build(op: str, value, ctx: RuleContext) -> Q:
        if op in ("eq", "is"):
            return Q(**{column: value})
        if op == "ne":
            return ~Q(**{column: value})
        if op in ("lt", "lte", "gt", "gte"):
            return Q(**{f"{column}__{op}": value})
        if op == "between":
            return Q(**{f"{column}__gte": value[0], f"{column}__lte": value[1]})
        if op == "outside":
            return Q(**{f"{column}__lt": value[0]}) | Q(**{f"{column}__gt": value[1]})
        if op == "in":
            return Q(**{f"{column}__in": list(value)})
        if op == "not_in":
            return ~Q(**{f"{column}__in": list(value)})
        raise ValueError(op)

    return build


def not_null(column: str) -> Callable[[RuleContext], Q]:
    return lambda ctx: Q(**{f"{column}__isnull": False})


def attr(name: str) -> Callable[[Any, RuleContext], Any]:
    return lambda e, ctx: getattr(e, name)


# --- choice facts whose codes differ from the stored column ------------------------------------------------------

def _district_read(e, ctx):
    if e.district_id is None:
        return None
    return reference("district_key_by_id", e.district_id).get(e.district_id)


def _district_q(op, value, ctx):
    ids = [reference("district_id_by_key", key).get(key) for key in value]
    return column_q("district_id")(op, [i for i in ids if i is not None], ctx)


def _section_read(e, ctx):
    if e.industry_id is None:
        return None
    return reference("section_by_division", e.industry_id).get(e.industry_id)


def _section_q(op, value, ctx):
    sections = set(value)
    divisions = [code for code, section in reference("section_by_division").items() if section in sections]
    return column_q("industry_id")(op, divisions, ctx)


def _size_read(e, ctx):
    return e.size_class or None


def _choices_of(choices_cls) -> Callable[[], dict[str, str]]:
    return lambda: {value: str(label) for value, label in choices_cls.choices}


# --- age --------------------------------------------------------------------------------------------------------

def _age_fact_q(months_per_unit: int):
    def at_least(n: int, ctx) -> Q:  # age ≥ n
        return Q(founded_on__lte=shift_months(ctx.on, -n * months_per_unit))

    def at_most(n: int, ctx) -> Q:  # age ≤ n ⟺ not (age ≥ n+1)
        return Q(founded_on__gt=shift_months(ctx.on, -(n + 1) * months_per_unit))

    def build(op, value, ctx):
        if op == "gte":
            return at_least(value, ctx)
        if op == "gt":
            return at_least(value + 1, ctx)
        if op == "lte":
            return at_most(value, ctx)
        if op == "lt":
            return at_most(value - 1, ctx)
        if op == "eq":
            return at_least(value, ctx) & at_most(value, ctx)
        if op == "ne":
            return at_least(value + 1, ctx) | at_most(value - 1, ctx)
        if op == "between":
            return at_least(value[0], ctx) & at_most(value[1], ctx)
        if op == "outside":
            return at_most(value[0] - 1, ctx) | at_least(value[1] + 1, ctx)
        raise ValueError(op)

    return build


def _age_years_read(e, ctx):
    return None if e.founded_on is None else completed_years(e.founded_on, ctx.on)


def _age_months_read(e, ctx):
    return None if e.founded_on is None else completed_months(e.founded_on, ctx.on)


# --- R&D ratio ----------------------------------------------------------------------------------------------------

def _ratio_read(e, ctx):
    if e.rd_expense_fen is None or not e.revenue_fen:
        return None
    return Fraction(e.rd_expense_fen, e.revenue_fen)


def _ratio_known(ctx):
    return Q(rd_expense_fen__isnull=False, revenue_fen__isnull=False, revenue_fen__gt=0)


def _ratio_q(op, value, ctx):
    # rd / revenue  op  p / q   ⟺   rd · q  op  revenue · p   (revenue > 0; integers, exact on every database)
    def cmp(lookup, fraction: Fraction) -> Q:
        left = F("rd_expense_fen") * fraction.denominator
        right = F("revenue_fen") * fraction.numerator
        return Q(lookup(left, right))

    lookups = {"lt": LessThan, "lte": LessThanOrEqual, "gt": GreaterThan, "gte": GreaterThanOrEqual, "eq": Exact}
    if op in lookups:
        return cmp(lookups[op], value)
    if op == "between":
        return cmp(GreaterThanOrEqual, value[0]) & cmp(LessThanOrEqual, value[1])
    if op == "outside":
        return cmp(LessThan, value[0]) | cmp(GreaterThan, value[1])
    raise ValueError(op)


# --- high-tech certificate valid on the date ----------------------------------------------------------------------

def _high_tech_read(e, ctx):
    if not e.high_tech_certificate:
        return False
    if e.high_tech_valid_from is None or e.high_tech_valid_to is None:
        return None
    return e.high_tech_valid_from <= ctx.on <= e.high_tech_valid_to


def _high_tech_known(ctx):
    return Q(high_tech_certificate="") | Q(high_tech_valid_from__isnull=False, high_tech_valid_to__isnull=False)


def _high_tech_q(op, value, ctx):
    valid = ~Q(high_tech_certificate="") & Q(high_tech_valid_from__lte=ctx.on, high_tech_valid_to__gte=ctx.on)
    invalid = Q(high_tech_certificate="") | (
        ~Q(high_tech_certificate="") & (Q(high_tech_valid_from__gt=ctx.on) | Q(high_tech_valid_to__lt=ctx.on))
    )
    return valid if value else invalid


# --- credit: restricted by a list (credit module) -----------------------------------------------------------------

def credit_subquery_function():
    return _credit_subquery


def _credit_available() -> bool:
    return credit_subquery_function() is not None


def _credit_action(ctx, action):
    return action or "special_fund"


def _credit_read(e, ctx, action="special_fund"):
    function = credit_subquery_function()
    if function is None:
        return None
    if function is _CREDIT_SUBQUERY_BUILT_IN and _credit_blocked_actions is not None:  # one query per enterprise and day
        return action in ctx.cached(("credit", e.pk), lambda: _credit_blocked_actions(enterprise=e, on=ctx.on))
    from shuangchuang.registry.models import Enterprise

    return ctx.cached(
        ("credit", e.pk, action),
        lambda: Enterprise.objects.filter(pk=e.pk, uscc__in=function(action=action, on=ctx.on)).exists(),
    )


def _credit_known(ctx):
    return Q() if _credit_available() else NOTHING


def _credit_q(op, value, ctx, action="special_fund"):
    function = credit_subquery_function()
    if function is None:
        return NOTHING
    blocked = Q(uscc__in=function(action=action, on=ctx.on))
    return blocked if value else ~blocked


# ----------------------------------------------------------------------------------------------------------------

def _build_facts() -> dict[str, Fact]:
    from shuangchuang.registry.models import EnterpriseStatus, LegalForm, SizeClass

    facts = [
        Fact("district", "choice", _("District"), _district_read, not_null("district_id"), _district_q,
             choices=lambda: dict(reference("district_names"))),
        Fact("industry_section", "choice", _("Industry section (GB/T 4754)"), _section_read, not_null("industry_id"),
             _section_q, choices=lambda: dict(reference("section_names"))),
        Fact("industry_division", "choice", _("Industry division (GB/T 4754)"), attr("industry_id"),
             not_null("industry_id"), column_q("industry_id"), choices=lambda: dict(reference("division_names"))),
        Fact("legal_form", "choice", _("Legal form"), attr("legal_form"), lambda ctx: ~Q(legal_form=""),
             column_q("legal_form"), choices=_choices_of(LegalForm)),
        Fact("status", "choice", _("Registration status"), attr("status"), lambda ctx: ~Q(status=""),
             column_q("status"), choices=_choices_of(EnterpriseStatus)),
        Fact("size_class", "choice", _("Size class (2011 SME standard)"), _size_read, lambda ctx: ~Q(size_class=""),
             column_q("size_class"), choices=_choices_of(SizeClass)),
        Fact("founded_on", "date", _("Date founded"), attr("founded_on"), not_null("founded_on"),
             column_q("founded_on")),
        Fact("age_years", "integer", _("Age in completed years"), _age_years_read, not_null("founded_on"),
             _age_fact_q(12), unit=_("years")),
        Fact("age_months", "integer", _("Age in completed months"), _age_months_read, not_null("founded_on"),
             _age_fact_q(1), unit=_("months")),
        Fact("employees", "integer", _("Employees"), attr("employees"), not_null("employees"), column_q("employees"),
             unit=_("persons")),
        Fact("revenue", "money", _("Annual revenue"), attr("revenue_fen"), not_null("revenue_fen"),
             column_q("revenue_fen")),
        Fact("total_assets", "money", _("Total assets"), attr("total_assets_fen"), not_null("total_assets_fen"),
             column_q("total_assets_fen")),
        Fact("registered_capital", "money", _("Registered capital"), attr("registered_capital_fen"),
             not_null("registered_capital_fen"), column_q("registered_capital_fen")),
        Fact("rd_expense", "money", _("R&D expense"), attr("rd_expense_fen"), not_null("rd_expense_fen"),
             column_q("rd_expense_fen")),
        Fact("rd_ratio", "ratio", _("R&D expense as a share of revenue"), _ratio_read, _ratio_known, _ratio_q),
        Fact("high_tech", "bool", _("Holds a high-tech enterprise certificate valid on the date"), _high_tech_read,
             _high_tech_known, _high_tech_q),
        Fact("tech_sme", "bool", _("Registered tech-SME (科技型中小企业)"), attr("is_tech_sme"), lambda ctx: Q(),
             column_q("is_tech_sme")),
        Fact("listed", "bool", _("Listed on a stock exchange"), attr("is_listed"), lambda ctx: Q(),
             column_q("is_listed")),
        Fact("credit_blocked", "bool", _("On a credit list that restricts this action"), _credit_read, _credit_known,
             _credit_q, extra={"action": "special_fund"}, available=_credit_available,
             extra_choices={"action": lambda: dict(_CreditAction.choices) if _CreditAction else {}},
             unavailable_reason=_("Credit status is not available: the credit module does not provide it yet.")),
    ]
    return {fact.name: fact for fact in facts}


@lru_cache(maxsize=1)
def all_facts() -> dict[str, Fact]:
    return _build_facts()


def get_fact(name: str) -> Fact | None:
    return all_facts().get(name)
