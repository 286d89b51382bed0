"""The evaluation context of a rule: the date it is evaluated on and the parameters valid on that date."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any


@dataclass
class RuleContext:
    on: datetime.date
    _params: dict[str, Any] | None = None
    _cache: dict[Any, Any] = field(default_factory=dict)

    def params(self) -> dict[str, Any]:
        """{key: Parameter row valid on `on`} — one query per context."""
        if self._params is None:
            from shuangchuang.policies.selectors.parameters import parameters_on

            self._params = parameters_on(self.on)
        return self._params

    def param_value(self, key: str):
        """The typed value of a parameter on `on`, or None when it is not set (or not valid on that date)."""
        from shuangchuang.policies.selectors.parameters import typed_value

        row = self.params().get(key)
        return None if row is None else typed_value(row)

    def param_row(self, key: str):
        return self.params().get(key)

    def cached(self, key, compute):
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]


def context_for(on: datetime.date | None = None) -> RuleContext:
    from django.utils import timezone

    return RuleContext(on=on or timezone.localdate())
