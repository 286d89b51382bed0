"""Programmes and calls: create, change, publish; the application form (form builder) of a call."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import audit_record
from shuangchuang.core.errors import Conflict, ServiceError, require
from shuangchuang.programmes.formschema import validate_attachments, validate_criteria, validate_form_schema
from shuangchuang.programmes.models import ALL_STAGES, Aggregation, Call, CallStatus, Programme
from shuangchuang.programmes.permissions import can_create_programme, can_manage_call, can_manage_programme
from shuangchuang.programmes.services.common import check_aware
from shuangchuang.programmes.services.interest import DAY_BASES

PROGRAMME_FIELDS = ("name", "description", "legal_basis", "clause", "benefit", "annual_cap_fen",
                    "annual_cap_parameter", "person_annual_cap_fen", "person_annual_cap_parameter",
                    "refuse_double_funding", "screen_legal_representative", "is_active")
CALL_FIELDS = ("title", "year", "summary", "online_opens_at", "online_closes_at", "paper_opens_at",
               "paper_closes_at", "paper_address", "budget_fen", "max_award_fen", "max_award_parameter", "rate_parameter",
               "rate_base_field", "person_id_field", "mechanism", "person_applicants", "employer_field", "rule",
               "person_annual_cap_fen",
               "form_schema", "attachments", "criteria", "stages", "expert_field", "reviewers_per_application",
               "review_days", "aggregation", "pass_score", "publicity_days", "instalments", "report_every_months",
               "day_basis")


def _check_parameter_key(key: str, field: str, kind_wanted: str = "money") -> str:
    key = (key or "").strip()
    if key:
        from shuangchuang.policies.selectors.parameters import parameter_kinds

        kind = parameter_kinds().get(key)
        if kind is None:
            raise ServiceError("unknown_parameter", _("There is no parameter %(key)s.") % {"key": key}, field=field)
        if kind != kind_wanted and kind_wanted == "money":
            raise ServiceError("parameter_not_money", _("The parameter %(key)s is not an amount.") % {"key": key},
                               field=field)
        if kind != kind_wanted:
            raise ServiceError("parameter_not_share", _("The parameter %(key)s is not a share.") % {"key": key},
                               field=field)
    return key


def _money(value, field: str, *, required: bool = False) -> int | None:
    if value is None or value == "":
        if required:
            raise ServiceError("required", _("Give an amount."), field=field)
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ServiceError("invalid_amount", _("An amount is a whole, non-negative number of fen."), field=field)
    return value


def _clean_programme(values: dict[str, Any]) -> dict[str, Any]:
    if "name" in values:
        values["name"] = (values["name"] or "").strip()
        if not values["name"]:
            raise ServiceError("name_required", _("Give the programme a name."), field="name")
    if "annual_cap_fen" in values:
        values["annual_cap_fen"] = _money(values["annual_cap_fen"], "annual_cap_fen")
    if "annual_cap_parameter" in values:
        values["annual_cap_parameter"] = _check_parameter_key(values["annual_cap_parameter"], "annual_cap_parameter")
    if "person_annual_cap_fen" in values:
        values["person_annual_cap_fen"] = _money(values["person_annual_cap_fen"], "person_annual_cap_fen")
    if "person_annual_cap_parameter" in values:
        values["person_annual_cap_parameter"] = _check_parameter_key(values["person_annual_cap_parameter"],
                                                                     "person_annual_cap_parameter")
    return values


def programme_create(*, actor: Actor, department, code: str, name: str, **values: Any) -> Programme:
    require(can_create_programme(actor, department))
    unknown = set(values) - set(PROGRAMME_FIELDS)
    if unknown:
        raise ServiceError("unknown_fields", _("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    values = _clean_programme({"name": name, **values})
    code = (code or "").strip()
    if not code:
        raise ServiceError("code_required", _("Give the programme a code."), field="code")
    if Programme.objects.filter(code=code).exists():
        raise Conflict("code_taken", _("Another programme has this code."), field="code")
    with transaction.atomic():
        programme = Programme.objects.create(code=code, department=department, **values)
        audit_record(actor=actor, verb="programmes.programme_created", obj=programme, department=department,
                     params={"code": code, **{k: v for k, v in values.items() if k not in ("clause", "benefit")}})
    return programme


def programme_update(*, actor: Actor, programme: Programme, **changes: Any) -> Programme:
    require(can_manage_programme(actor, programme))
    unknown = set(changes) - set(PROGRAMME_FIELDS)
    if unknown:
        raise ServiceError("unknown_fields", _("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    changes = _clean_programme(changes)
    with transaction.atomic():
        for key, value in changes.items():
            setattr(programme, key, value)
        programme.save()
        audit_record(actor=actor, verb="programmes.programme_updated", obj=programme,
                     department=programme.department,
                     params={k: v for k, v in changes.items() if k not in ("clause", "benefit")})
    return programme


def _clean_instalments(value) -> list[dict]:
    if value in (None, "", []):
        return []
    if not isinstance(value, list):
        raise ServiceError("invalid_instalments", _('Instalments are a list of {"share", "months"}.'),
                           field="instalments")
    cleaned, total = [], Decimal(0)
    for item in value:
        try:
            share = Decimal(str(item["share"]))
            months = int(item.get("months", 0))
        except (KeyError, TypeError, ValueError, InvalidOperation):
            raise ServiceError("invalid_instalments", _('Instalments are a list of {"share", "months"}.'),
                               field="instalments") from None
        if share <= 0 or months < 0 or months > 240:
            raise ServiceError("invalid_instalments", _("Each share is positive and months are 0 to 240."),
                               field="instalments")
        total += share
        cleaned.append({"share": str(share), "months": months, "condition": str(item.get("condition", ""))[:300]})
    if total != 1:
        raise ServiceError("invalid_instalments", _("The shares of the instalments add up to 1 (now %(total)s).")
                           % {"total": total}, field="instalments")
    return cleaned


def _clean_call(values: dict[str, Any], current: Call | None = None) -> dict[str, Any]:
    from shuangchuang.policies.rules import RuleError, validate_rule

    if "title" in values:
        values["title"] = (values["title"] or "").strip()
        if not values["title"]:
            raise ServiceError("title_required", _("Give the call a title."), field="title")
    for name in ("online_opens_at", "online_closes_at", "paper_opens_at", "paper_closes_at"):
        if name in values:
            values[name] = check_aware(values[name], name)
    if "budget_fen" in values:
        values["budget_fen"] = _money(values["budget_fen"], "budget_fen", required=True)
    if "max_award_fen" in values:
        values["max_award_fen"] = _money(values["max_award_fen"], "max_award_fen")
    if "person_annual_cap_fen" in values:
        values["person_annual_cap_fen"] = _money(values["person_annual_cap_fen"], "person_annual_cap_fen")
    if "max_award_parameter" in values:
        values["max_award_parameter"] = _check_parameter_key(values["max_award_parameter"], "max_award_parameter")
    if "rate_parameter" in values:
        values["rate_parameter"] = _check_parameter_key(values["rate_parameter"], "rate_parameter", "decimal")
    if "rule" in values:
        try:
            values["rule"] = validate_rule(values["rule"])
        except RuleError as exc:
            raise ServiceError("invalid_rule", str(getattr(exc, "message", exc)), field="rule") from exc
    if "form_schema" in values:
        values["form_schema"] = validate_form_schema(values["form_schema"])
    if "attachments" in values:
        values["attachments"] = validate_attachments(values["attachments"])
    if "criteria" in values:
        values["criteria"] = validate_criteria(values["criteria"])
    if "stages" in values:
        stages = values["stages"] or []
        if not isinstance(stages, list) or set(stages) - set(ALL_STAGES):
            raise ServiceError("invalid_stages", _("Stages are among: %(stages)s.") % {"stages": ", ".join(ALL_STAGES)},
                               field="stages")
        values["stages"] = [s for s in ALL_STAGES if s in stages]
    if "mechanism" in values and (values["mechanism"] or "") not in ("", "loan_interest", "space_lease"):
        raise ServiceError("invalid_mechanism", _("The mechanism is loan_interest, space_lease or none."),
                           field="mechanism")
    if "day_basis" in values:
        basis = values["day_basis"]
        if isinstance(basis, bool) or not isinstance(basis, int) or basis not in DAY_BASES:
            raise ServiceError("invalid_day_basis", _("The day count of loan interest is 360 or 365 days a year."),
                               field="day_basis")
    if "aggregation" in values and values["aggregation"] not in Aggregation.values:
        raise ServiceError("invalid_aggregation", _("Aggregation is mean or trimmed_mean."), field="aggregation")
    if "instalments" in values:
        values["instalments"] = _clean_instalments(values["instalments"])
    if "year" in values:
        year = values["year"]
        if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
            raise ServiceError("invalid_year", _("Give the budget year."), field="year")
    merged = {name: getattr(current, name, None) for name in CALL_FIELDS} if current else {}
    merged.update(values)
    opens, closes = merged.get("online_opens_at"), merged.get("online_closes_at")
    if opens is None or closes is None:
        raise ServiceError("window_required", _("Give when online applications open and close."),
                           field="online_opens_at")
    if closes <= opens:
        raise ServiceError("window_order", _("Applications must close after they open."), field="online_closes_at")
    paper_from, paper_to = merged.get("paper_opens_at"), merged.get("paper_closes_at")
    if paper_from and paper_to and paper_to <= paper_from:
        raise ServiceError("paper_window_order", _("The paper window must close after it opens."),
                           field="paper_closes_at")
    base = (merged.get("rate_base_field") or "").strip()
    if merged.get("mechanism") == "loan_interest":
        pass  # the rate is the share of the interest the calculator computes, not of a form field
    elif bool(base) != bool(merged.get("rate_parameter")):
        raise ServiceError("rate_incomplete", _("Give both the rate parameter and the money field it applies to."),
                           field="rate_base_field")
    if base:
        fields = {f["key"]: f for f in (merged.get("form_schema") or {}).get("fields", [])}
        if fields.get(base, {}).get("type") != "money":
            raise ServiceError("rate_base_not_money", _("The rate applies to a money field of the form; %(key)s is "
                                                        "not one.") % {"key": base}, field="rate_base_field")
    person = (merged.get("person_id_field") or "").strip()
    if person:
        fields = {f["key"]: f for f in (merged.get("form_schema") or {}).get("fields", [])}
        if fields.get(person, {}).get("type") != "text":
            raise ServiceError("person_field_not_text", _("The person screened is named in a text field of the form; "
                                                          "%(key)s is not one.") % {"key": person},
                               field="person_id_field")
    employer = (merged.get("employer_field") or "").strip()
    if employer:
        fields = {f["key"]: f for f in (merged.get("form_schema") or {}).get("fields", [])}
        if fields.get(employer, {}).get("type") != "text":
            raise ServiceError("employer_field_not_text", _("The employer's USCC is a text field of the form; "
                                                            "%(key)s is not one.") % {"key": employer},
                               field="employer_field")
    if merged.get("mechanism") == "space_lease" and merged.get("instalments"):
        raise ServiceError("space_no_instalments", _(
            "A call for innovative industrial space gives a rent discount, not a payment: its support is recorded "
            "when a lease is taken. Leave the instalments empty."), field="instalments")
    if merged.get("person_applicants") and merged.get("mechanism") == "space_lease":
        raise ServiceError("space_for_enterprises", _("Space is allocated to enterprises, not to persons."),
                           field="mechanism")
    if "publicity" in (merged.get("stages") or []) and not merged.get("publicity_days"):
        raise ServiceError("publicity_days_required", _("Set the public notice period for a call with public notice."),
                           field="publicity_days")
    return values


def call_create(*, actor: Actor, programme: Programme, title: str, year: int, online_opens_at, online_closes_at,
                budget_fen: int, **values: Any) -> Call:
    require(can_manage_programme(actor, programme))
    unknown = set(values) - set(CALL_FIELDS)
    if unknown:
        raise ServiceError("unknown_fields", _("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    values.setdefault("stages", ["formal_check", "expert_review", "committee"])
    values = _clean_call({"title": title, "year": year, "online_opens_at": online_opens_at,
                          "online_closes_at": online_closes_at, "budget_fen": budget_fen, **values})
    with transaction.atomic():
        call = Call.objects.create(programme=programme, created_by=actor.user, **values)
        audit_record(actor=actor, verb="programmes.call_created", obj=call, department=programme.department,
                     params={"title": call.title, "budget_fen": call.budget_fen, "year": call.year})
    return call


def call_update(*, actor: Actor, call: Call, **changes: Any) -> Call:
    """Change a call. Once published, the rules applicants relied on (eligibility, form, attachments, criteria,
    stages) are fixed; dates, budget and texts may still change."""
    require(can_manage_call(actor, call))
    unknown = set(changes) - set(CALL_FIELDS)
    if unknown:
        raise ServiceError("unknown_fields", _("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    frozen = {"rule", "form_schema", "attachments", "criteria", "stages"} & set(changes)
    if call.status != CallStatus.DRAFT and frozen and call.applications.exists():
        raise Conflict("call_frozen", _("Applications exist: the eligibility rule, form, attachments, criteria and "
                                        "stages of this call can no longer change."))
    changes = _clean_call(changes, current=call)
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        for key, value in changes.items():
            setattr(call, key, value)
        call.save()
        audit_record(actor=actor, verb="programmes.call_updated", obj=call, department=call.programme.department,
                     params={"fields": sorted(changes)})
    return call


def call_publish(*, actor: Actor, call: Call) -> Call:
    require(can_manage_call(actor, call))
    if call.status != CallStatus.DRAFT:
        raise Conflict("not_draft", _("Only a draft call can be published."))
    if not call.budget_fen:
        raise ServiceError("budget_required", _("Set the budget before publishing."), field="budget_fen")
    with transaction.atomic():
        call.status = CallStatus.PUBLISHED
        call.published_at = timezone.now()
        call.save(update_fields=["status", "published_at", "updated_at"])
        audit_record(actor=actor, verb="programmes.call_published", obj=call, department=call.programme.department)
    return call


def call_form_update(*, actor: Actor, call: Call, form_schema: dict) -> Call:
    """The form builder's save: the whole schema, validated."""
    return call_update(actor=actor, call=call, form_schema=form_schema)
