"""The periods of the name rules, by date: reservation (2 months; 1 year with prior approval) and protection after
deregistration, change or revocation (1 year). POLICY-FACTS §2.3.

The values and their citations are data (names/data/periods.json, effective-dated); an officer may set or
override one as a policies parameter of the same key (shuangchuang.policies parameters), which wins when a row is
valid on the date. Nothing here is a constant in code.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext as _

from shuangchuang.core.errors import ServiceError

DATA_DIR = Path(__file__).resolve().parent / "data"
RESERVATION = "names.reservation_months"
RESERVATION_PRIOR_APPROVAL = "names.reservation_months_prior_approval"
PROTECTION = "names.protection_months"


@dataclass(frozen=True)
class Period:
    key: str
    months: int
    source: str


@lru_cache(maxsize=1)
def _file() -> dict:
    return json.loads((DATA_DIR / "periods.json").read_text(encoding="utf-8"))


def _from_file(key: str, on: datetime.date) -> tuple[int | None, str] | None:
    for row in _file()["parameters"]:
        if row["key"] != key:
            continue
        for period in row["periods"]:
            start = datetime.date.fromisoformat(period["valid_from"])
            end = datetime.date.fromisoformat(period["valid_to"]) if period.get("valid_to") else None
            if start <= on and (end is None or on <= end):
                return period["value"], period["source"]
    return None


def _from_policies(key: str, on: datetime.date) -> tuple[int, str] | None:
    try:
        from shuangchuang.policies.selectors.parameters import parameter_at, typed_value
    except ImportError:  # the policies module is optional
        return None
    row = parameter_at(key, on=on)
    if row is None or row.value is None:
        return None
    return int(typed_value(row)), row.source


def period(key: str, *, on: datetime.date) -> Period:
    """The period in months valid on the date, with its source; a ServiceError when the rules of that date do not
    give it."""
    found = _from_policies(key, on) or _from_file(key, on)
    if found is None or found[0] is None:
        raise ServiceError("period_not_set", _("The period %(key)s is not set for %(date)s; an officer must set it "
                                               "with its source.") % {"key": key, "date": on.isoformat()})
    return Period(key=key, months=int(found[0]), source=found[1])


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the last day of the month where that day does not exist)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=d)
        except ValueError:
            continue
    raise ValueError(day)
