"""Setting a registration rule (a period, a time limit, the custodian conditions, the departments told of a
deregistration) from a date: how the registration authority fills a GAP of the facts or follows a new rule
without a code change.

Rules are append-only: a new version starts after the last one and not before today; the version in force until
then ends the day before. Past versions are never edited, so every decision taken under them can still be
explained. A value keeps the shape of the versions before it (validate_rule_value)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import audit_record
from shuangchuang.core.errors import ServiceError, require
from shuangchuang.core.models import Organisation
from shuangchuang.registration.permissions import can_set_rules
from shuangchuang.registration.models import RuleParameter
from shuangchuang.registration.selectors import authorities, today

# Integers inside a rule that must be at least 1 (a period of 0 days would skip the notice).
POSITIVE_KEYS = {"notice_days", "apply_window_days", "decide_within_days"}


def _invalid(message: str) -> ServiceError:
    return ServiceError("invalid_value", message, field="value")


def _kind(value) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, str):
        return "str"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "dict"
    return "none" if value is None else "other"


def _check_int(name: str, value: int, *, minimum: int) -> None:
    if value < minimum or value > 3650:
        raise _invalid(_("%(name)s must be a whole number from %(min)s to 3650.") % {"name": name, "min": minimum})


def _check_departments(value) -> None:
    if not isinstance(value, list) or not value or not all(isinstance(code, str) for code in value):
        raise _invalid(_("Give a list of one or more department codes."))
    if len(set(value)) != len(value):
        raise _invalid(_("A department is listed twice."))
    known = set(Organisation.objects.filter(code__in=value, kind="department").values_list("code", flat=True))
    unknown = [code for code in value if code not in known]
    if unknown:
        raise _invalid(_("Unknown department: %(codes)s.") % {"codes": ", ".join(unknown)})


def _check_against(name: str, value, examples: list) -> None:
    """`value` has the shape of the earlier non-null `examples` of the same place in the rule."""
    kinds = {_kind(example) for example in examples}
    kind = _kind(value)
    if not kinds:  # a GAP never set: a number of months or days
        if kind != "int":
            raise _invalid(_("%(name)s must be a whole number.") % {"name": name})
        _check_int(name, value, minimum=1)
        return
    if kind not in kinds:
        raise _invalid(_("%(name)s has the wrong kind of value.") % {"name": name})
    if kind == "int":
        _check_int(name, value, minimum=1 if name in POSITIVE_KEYS or not examples or min(
            e for e in examples if _kind(e) == "int") >= 1 else 0)
    elif kind == "str":
        if not value.strip():
            raise _invalid(_("%(name)s must not be empty.") % {"name": name})
    elif kind == "list":
        allowed = {item for example in examples if isinstance(example, list) for item in example}
        if not value or not all(isinstance(item, str) for item in value) or len(set(value)) != len(value):
            raise _invalid(_("%(name)s must list one or more different values.") % {"name": name})
        unknown = [item for item in value if item not in allowed]
        if unknown:
            raise _invalid(_("%(name)s: unknown value %(items)s.") % {"name": name, "items": ", ".join(unknown)})
    elif kind == "dict":
        dicts = [example for example in examples if isinstance(example, dict)]
        allowed = {key for example in dicts for key in example}
        required = set(dicts[-1])
        missing = sorted(required - set(value))
        if missing:
            raise _invalid(_("%(name)s lacks: %(keys)s.") % {"name": name, "keys": ", ".join(missing)})
        extra = sorted(set(value) - allowed)
        if extra:
            raise _invalid(_("%(name)s: unknown part %(keys)s.") % {"name": name, "keys": ", ".join(extra)})
        for key, item in value.items():
            _check_against(key, item, [example[key] for example in dicts if key in example])


def validate_rule_value(key: str, value, *, versions: list[RuleParameter]) -> None:
    """Refuse (ServiceError on field "value") a value that does not fit the rule: the same parts and kinds of
    value as the versions before, positive periods, known legal forms, existing departments."""
    if value is None:
        raise _invalid(_("Give a value."))
    if key == "deregistration.notify_departments":
        _check_departments(value)
        return
    _check_against(key, value, [row.value for row in versions if row.value is not None])


def rule_set(*, actor: Actor, key: str, valid_from: datetime.date, value, source: str) -> RuleParameter:
    """Give `key` a new version from `valid_from` on; the version in force before then ends the day before."""
    require(can_set_rules(actor))
    with transaction.atomic():
        versions = list(RuleParameter.objects.select_for_update().filter(key=key).order_by("valid_from"))
        if not versions:
            raise ServiceError("unknown_rule", _("Unknown rule."), field="key")
        last = versions[-1]
        if valid_from < today():
            raise ServiceError("past_date", _("A new version cannot start in the past."), field="valid_from")
        if valid_from <= last.valid_from:
            raise ServiceError("not_after_last", _("A new version must start after the last one (%(date)s).")
                               % {"date": last.valid_from.isoformat()}, field="valid_from")
        source = (source or "").strip()
        if not source:
            raise ServiceError("source_required", _("Cite the source of the value."), field="source")
        validate_rule_value(key, value, versions=versions)
        if last.valid_to is None or last.valid_to >= valid_from:
            last.valid_to = valid_from - datetime.timedelta(days=1)
            last.save(update_fields=["valid_to"])
        row = RuleParameter.objects.create(key=key, label=last.label, value=value, source=source,
                                           valid_from=valid_from, valid_to=None)
        audit_record(actor=actor, verb="registration.rule_set", obj=row,
                     department=actor.department or authorities().first(),
                     params={"key": key, "valid_from": valid_from.isoformat(), "value": value, "source": source,
                             "previous": {"valid_from": last.valid_from.isoformat(), "value": last.value}})
    return row
