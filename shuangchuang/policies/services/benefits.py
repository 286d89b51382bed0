"""Benefits (what a policy offers, with its eligibility rule) and effective-dated parameters."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import audit_record
from shuangchuang.core.errors import Conflict, ServiceError, require
from shuangchuang.core.tasks import enqueue_after_commit
from shuangchuang.policies.models import (
    BENEFICIARY_TYPES,
    Audience,
    Benefit,
    BenefitKind,
    BenefitStatus,
    DocumentStatus,
    Parameter,
    ParameterKind,
    PolicyDocument,
    PolicyPart,
)
from shuangchuang.policies.models.documents import join_codes
from shuangchuang.policies.permissions import can_edit_benefit, can_manage_policies, can_set_parameter
from shuangchuang.policies.rules import validate_rule
from shuangchuang.policies.search import search_text

BENEFIT_FIELDS = ("title", "kind", "summary", "amount_text", "amount_params", "amount_by", "rule", "citation", "beneficiary_types",
                  "keywords", "opens_on", "apply_until", "audience", "checked_at_application", "part")


def _clean_benefit(values: dict, document: PolicyDocument) -> dict:
    cleaned = dict(values)
    if "title" in cleaned:
        cleaned["title"] = (cleaned["title"] or "").strip()
        if not cleaned["title"]:
            raise ServiceError("title_required", _("Give the benefit a title."), field="title")
    if "kind" in cleaned and cleaned["kind"] not in BenefitKind.values:
        raise ServiceError("invalid_kind", _("Unknown kind of benefit."), field="kind")
    if "audience" in cleaned and cleaned["audience"] not in Audience.values:
        raise ServiceError("invalid_audience", _("Unknown audience."), field="audience")
    if "rule" in cleaned:
        cleaned["rule"] = validate_rule(cleaned["rule"])
    if "beneficiary_types" in cleaned:
        codes = list(cleaned["beneficiary_types"] or [])
        wrong = [c for c in codes if c not in BENEFICIARY_TYPES]
        if wrong:
            raise ServiceError("unknown_code", _("Unknown values: %(values)s.") % {"values": ", ".join(wrong)},
                               field="beneficiary_types")
        cleaned["beneficiary_types"] = join_codes(codes)
    if "amount_params" in cleaned:
        keys = list(cleaned["amount_params"] or [])
        known = set(Parameter.objects.filter(key__in=keys).values_list("key", flat=True))
        missing = [k for k in keys if k not in known]
        if missing:
            raise ServiceError("unknown_parameter", _("Unknown parameters: %(keys)s.") % {"keys": ", ".join(missing)},
                               field="amount_params")
        cleaned["amount_params"] = keys
    if cleaned.get("amount_by"):
        cleaned["amount_by"] = _clean_amount_by(cleaned["amount_by"])
    part = cleaned.get("part")
    if part is not None and part.document_id != document.pk:
        raise ServiceError("part_elsewhere", _("The clause must be a part of the same document."), field="part")
    return cleaned


def _clean_amount_by(amount_by) -> dict:
    from shuangchuang.policies.rules import get_fact

    fact = get_fact(amount_by.get("fact", "")) if isinstance(amount_by, dict) else None
    params = amount_by.get("params") if isinstance(amount_by, dict) else None
    if fact is None or fact.type != "choice" or not isinstance(params, dict) or not params:
        raise ServiceError("invalid_amount_by", _("The amount by fact names a choice fact and a parameter per value."),
                           field="amount_by")
    choices = fact.choices()
    known = set(Parameter.objects.filter(key__in=list(params.values())).values_list("key", flat=True))
    wrong = [code for code, key in params.items() if code not in choices or key not in known]
    if wrong:
        raise ServiceError("invalid_amount_by", _("Unknown values or parameters in the amount by fact: %(values)s.")
                           % {"values": ", ".join(wrong)}, field="amount_by")
    return {"fact": fact.name, "params": dict(params)}


def _check_window(benefit: Benefit) -> None:
    if benefit.opens_on and benefit.apply_until and benefit.apply_until < benefit.opens_on:
        raise ServiceError("dates_inverted", _("Applications cannot close before they open."), field="apply_until")


def _refresh_search(benefit: Benefit) -> None:
    benefit.search_text = search_text(benefit.title, benefit.summary, benefit.amount_text, benefit.keywords,
                                      benefit.citation)


def benefit_create(
    *,
    actor: Actor,
    document: PolicyDocument,
    title: str,
    kind: str,
    rule: dict,
    code: str = "",
    department=None,
    **values: Any,
) -> Benefit:
    """A draft benefit of a document, with its rule validated."""
    department = department or document.department
    require(can_manage_policies(actor, department))
    unknown = set(values) - set(BENEFIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    cleaned = _clean_benefit({"title": title, "kind": kind, "rule": rule, **values}, document)
    code = slugify(code or "") or f"benefit-{timezone.now():%Y%m%d%H%M%S%f}"
    benefit = Benefit(document=document, department=department, code=code, **cleaned)
    _check_window(benefit)
    _refresh_search(benefit)
    try:
        with transaction.atomic():
            benefit.save()
            audit_record(actor=actor, verb="policies.benefit_created", obj=benefit, department=department,
                         params={"code": code, "rule": benefit.rule})
    except IntegrityError as exc:
        raise Conflict("code_exists", _("A benefit with this code already exists."), field="code") from exc
    return benefit


def benefit_update(*, actor: Actor, benefit: Benefit, **changes: Any) -> Benefit:
    """Change a benefit (its rule, amount, window…). A published benefit is pushed again to newly matching
    enterprises; enterprises already told are not told twice."""
    require(can_edit_benefit(actor, benefit))
    if benefit.status == BenefitStatus.WITHDRAWN:
        raise Conflict("withdrawn", _("A withdrawn benefit cannot be changed."))
    unknown = set(changes) - set(BENEFIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    cleaned = _clean_benefit(changes, benefit.document)
    changed = {}
    for name, value in cleaned.items():
        current = getattr(benefit, name)
        if current != value:
            changed[name] = value if name != "part" else (value.pk if value else None)
            setattr(benefit, name, value)
    if not changed:
        return benefit
    _check_window(benefit)
    _refresh_search(benefit)
    with transaction.atomic():
        benefit.version += 1
        benefit.save()
        audit_record(actor=actor, verb="policies.benefit_updated", obj=benefit, department=benefit.department,
                     params={"version": benefit.version, "changed": changed})
        if benefit.status == BenefitStatus.PUBLISHED and benefit.audience == Audience.ENTERPRISE:
            from shuangchuang.policies.tasks import start_benefit_push

            enqueue_after_commit(start_benefit_push, benefit.pk, "changed")
    return benefit


def benefit_publish(*, actor: Actor, benefit: Benefit) -> Benefit:
    """Publish a benefit; every matching enterprise is told once, in the background."""
    require(can_edit_benefit(actor, benefit))
    if benefit.status == BenefitStatus.PUBLISHED:
        raise Conflict("already_published", _("This benefit is already published."))
    validate_rule(benefit.rule)
    with transaction.atomic():
        benefit.status = BenefitStatus.PUBLISHED
        benefit.published_at = timezone.now()
        benefit.save(update_fields=["status", "published_at", "updated_at"])
        audit_record(actor=actor, verb="policies.benefit_published", obj=benefit, department=benefit.department,
                     params={"version": benefit.version})
        if benefit.audience == Audience.ENTERPRISE and benefit.document.status == DocumentStatus.PUBLISHED:
            from shuangchuang.policies.tasks import start_benefit_push

            enqueue_after_commit(start_benefit_push, benefit.pk, "published")
    return benefit


def benefit_withdraw(*, actor: Actor, benefit: Benefit, reason: str) -> Benefit:
    require(can_edit_benefit(actor, benefit))
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("reason_required", _("Give the reason for the withdrawal."), field="reason")
    if benefit.status == BenefitStatus.WITHDRAWN:
        raise Conflict("already_withdrawn", _("This benefit is already withdrawn."))
    with transaction.atomic():
        benefit.status = BenefitStatus.WITHDRAWN
        benefit.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, verb="policies.benefit_withdrawn", obj=benefit, department=benefit.department,
                     params={"reason": reason})
    return benefit


# ----------------------------------------------------------------------------------------------------------------

def coerce_parameter_value(kind: str, value, *, field: str = "value"):
    """The stored form of an officer's value: money in yuan → integer fen; decimal → exact string; integer → int."""
    if value is None or value == "":
        return None
    if kind == ParameterKind.JSON:
        return value
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise ServiceError("invalid_number", _("Enter a number."), field=field) from None
    if not number.is_finite():
        raise ServiceError("invalid_number", _("Enter a number."), field=field)
    if number < 0:
        raise ServiceError("negative", _("The value cannot be negative."), field=field)
    if kind == ParameterKind.MONEY:
        fen = number * 100
        if fen != fen.to_integral_value():
            raise ServiceError("money_precision", _("Amounts are in yuan with at most two decimals."), field=field)
        return int(fen)
    if kind == ParameterKind.INTEGER:
        if number != number.to_integral_value():
            raise ServiceError("not_integer", _("Enter a whole number."), field=field)
        return int(number)
    return format(number.normalize(), "f")


def parameter_set(*, actor: Actor, parameter: Parameter, value, source: str, note: str = "") -> Parameter:
    """Set (or correct) the value of one period of a parameter, with the source it comes from."""
    require(can_set_parameter(actor, parameter))
    source = (source or "").strip()
    if not source:
        raise ServiceError("source_required", _("Cite the source of the value."), field="source")
    stored = coerce_parameter_value(parameter.kind, value)
    before = parameter.value
    with transaction.atomic():
        parameter.value = stored
        parameter.source = source
        if note:
            parameter.note = note.strip()
        parameter.set_by = actor.user if actor.user is not None and actor.user.pk else None
        parameter.set_at = timezone.now()
        parameter.save()
        audit_record(actor=actor, verb="policies.parameter_set", obj=parameter, department=parameter.department,
                     params={"key": parameter.key, "valid_from": parameter.valid_from, "before": before,
                             "after": stored, "source": source})
    return parameter


def parameter_add_period(*, actor: Actor, key: str, valid_from: datetime.date, value, source: str,
                         valid_to: datetime.date | None = None, note: str = "") -> Parameter:
    """A new period of an existing parameter; the open period before it now ends the day before."""
    previous = Parameter.objects.filter(key=key).order_by("-valid_from").first()
    if previous is None:
        raise ServiceError("unknown_parameter", _("There is no parameter called %(key)s.") % {"key": key}, field="key")
    require(can_set_parameter(actor, previous))
    if valid_from <= previous.valid_from:
        raise ServiceError("period_order", _("A new period starts after the last one."), field="valid_from")
    if valid_to is not None and valid_to < valid_from:
        raise ServiceError("dates_inverted", _("The period ends before it starts."), field="valid_to")
    source = (source or "").strip()
    if not source:
        raise ServiceError("source_required", _("Cite the source of the value."), field="source")
    stored = coerce_parameter_value(previous.kind, value)
    with transaction.atomic():
        if previous.valid_to is None or previous.valid_to >= valid_from:
            previous.valid_to = valid_from - datetime.timedelta(days=1)
            previous.save(update_fields=["valid_to", "updated_at"])
        row = Parameter.objects.create(
            key=key, label=previous.label, kind=previous.kind, unit=previous.unit, value=stored,
            valid_from=valid_from, valid_to=valid_to, source=source, note=note, department=previous.department,
            set_by=actor.user if actor.user is not None and actor.user.pk else None, set_at=timezone.now(),
        )
        audit_record(actor=actor, verb="policies.parameter_period_added", obj=row, department=row.department,
                     params={"key": key, "valid_from": valid_from, "valid_to": valid_to, "value": stored,
                             "source": source})
    return row


__all__ = ["PolicyPart", "benefit_create", "benefit_publish", "benefit_update", "benefit_withdraw",
           "coerce_parameter_value", "parameter_add_period", "parameter_set"]
