"""Effective-dated parameters, read by date through one selector."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Q, QuerySet

from shuangchuang.policies.models import Parameter, ParameterKind


def typed_value(row: Parameter):
    """The value of a parameter row in its type: money → int fen, integer → int, decimal → Decimal, JSON as is;
    None when it is not set."""
    if row.value is None:
        return None
    if row.kind in (ParameterKind.MONEY, ParameterKind.INTEGER):
        return int(row.value)
    if row.kind == ParameterKind.DECIMAL:
        return Decimal(str(row.value))
    return row.value


def _valid_on(on: datetime.date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))


def parameters_on(on: datetime.date) -> dict[str, Parameter]:
    """{key: the row valid on the date} (the latest valid_from wins where periods overlap)."""
    rows = Parameter.objects.filter(_valid_on(on)).order_by("key", "valid_from")
    return {row.key: row for row in rows}


def parameter_at(key: str, *, on: datetime.date) -> Parameter | None:
    return Parameter.objects.filter(_valid_on(on), key=key).order_by("-valid_from").first()


def parameter_value(key: str, *, on: datetime.date):
    """The typed value of `key` on the date, or None when no row is valid then or the row is not set."""
    row = parameter_at(key, on=on)
    return None if row is None else typed_value(row)


def parameter_rows(key: str) -> QuerySet[Parameter]:
    """Every period of one parameter, oldest first (the rate table of a calculator)."""
    return Parameter.objects.filter(key=key).select_related("department", "set_by").order_by("valid_from")


def parameter_kinds() -> dict[str, str]:
    return dict(Parameter.objects.values_list("key", "kind").distinct())


def parameter_list(*, department=None, prefix: str = "") -> QuerySet[Parameter]:
    rows = Parameter.objects.select_related("department", "set_by").order_by("key", "valid_from")
    if department is not None:
        rows = rows.filter(department=department)
    if prefix:
        rows = rows.filter(key__startswith=prefix)
    return rows
