"""Shared pieces of the calculators: exact money arithmetic and parameter look-ups with clear errors."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from shuangchuang.core.errors import ServiceError
from shuangchuang.policies.models import Parameter
from shuangchuang.policies.rules.text import money_text
from shuangchuang.policies.selectors.parameters import parameter_at, typed_value


def fen_times(amount_fen: int, rate: Decimal) -> int:
    return int((Decimal(amount_fen) * rate).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def check_amount(value, field: str, *, allow_zero: bool = True) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ServiceError("invalid_amount", _("Amounts are whole fen."), field=field)
    if value < 0 or (value == 0 and not allow_zero):
        raise ServiceError("negative_amount", _("The amount cannot be negative.") if value < 0 else
                           _("The amount must be more than zero."), field=field)
    return value


def required_parameter(key: str, on: datetime.date, field: str = "") -> tuple[Parameter, object]:
    """The parameter row valid on the date and its value; a clear error when there is none or it is not set."""
    row = parameter_at(key, on=on)
    if row is None:
        raise ServiceError("outside_table", _("The rule has no value for %(date)s (%(key)s).")
                           % {"date": on.isoformat(), "key": key}, field=field or None)
    if row.value is None:
        raise ServiceError(
            "parameter_not_set",
            _("“%(label)s” is not set for %(date)s; an officer of %(department)s must set it from its source.")
            % {"label": row.label, "date": on.isoformat(), "department": row.department.name}, field=field or None)
    return row, typed_value(row)


def percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


__all__ = ["check_amount", "fen_times", "money_text", "percent", "required_parameter"]
