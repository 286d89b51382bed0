"""Setting a registration rule (a period, a time limit, the custodian conditions) from a date: how the
registration authority fills a GAP of the facts or follows a new rule without a code change."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import audit_record
from shuangchuang.core.errors import ServiceError, require
from shuangchuang.registration.models import RuleParameter
from shuangchuang.registration.permissions import can_set_rules
from shuangchuang.registration.selectors import authorities, rule_at


def rule_set(*, actor: Actor, key: str, valid_from: datetime.date, value, source: str) -> RuleParameter:
    """Give `key` a value from `valid_from` on; the row in force before then ends the day before."""
    require(can_set_rules(actor))
    current = rule_at(key, on=valid_from)
    known = RuleParameter.objects.filter(key=key).first()
    if known is None:
        raise ServiceError("unknown_rule", _("Unknown rule."), field="key")
    if isinstance(known.value, dict) and not isinstance(value, dict):
        raise ServiceError("invalid_value", _("This rule takes a structured value."), field="value")
    source = (source or "").strip()
    if not source:
        raise ServiceError("source_required", _("Cite the source of the value."), field="source")
    with transaction.atomic():
        if current is not None and current.valid_from < valid_from:
            current.valid_to = valid_from - datetime.timedelta(days=1)
            current.save(update_fields=["valid_to"])
        row, _created = RuleParameter.objects.update_or_create(
            key=key, valid_from=valid_from,
            defaults={"label": known.label, "value": value, "source": source,
                      "valid_to": current.valid_to if current is not None and current.valid_from == valid_from
                      else None})
        audit_record(actor=actor, verb="registration.rule_set", obj=row, department=actor.department or
                     authorities().first(), params={"key": key, "valid_from": valid_from, "value": value,
                                                     "source": source})
    return row
