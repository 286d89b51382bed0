"""Load the module's data: the voucher parameters the policies data does not hold (all GAP, created empty) and
the two schemes (科技创新券 of 市科技创新委, 南山区租房券). Idempotent.

The parameter rows are written here like the policies seed writes its own (get_or_create by key and start date);
policies has no service to define a new parameter yet (see the report to the lead)."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from shuangchuang.core.actor import Actor
from shuangchuang.core.audit import audit_record
from shuangchuang.core.errors import require
from shuangchuang.core.models import Organisation
from shuangchuang.policies.models import Parameter
from shuangchuang.policies.rules import validate_rule
from shuangchuang.registry.models import District
from shuangchuang.vouchers.models import Scheme

DATA = Path(__file__).resolve().parent.parent / "data" / "schemes.json"


def _data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def _parameters(rows: list[dict], departments: dict) -> int:
    created = 0
    for row in rows:
        for period in row["periods"]:
            value = period.get("value")
            if value is not None and row["kind"] == "money":
                value = int(value) * 100
            _row, new = Parameter.objects.get_or_create(
                key=row["key"], valid_from=datetime.date.fromisoformat(period["valid_from"]),
                defaults={"label": row["label"], "kind": row["kind"], "unit": row.get("unit", ""), "value": value,
                          "source": period.get("source", ""), "note": period.get("note", ""),
                          "department": departments[row["department"]]})
            created += new
    return created


def vouchers_seed(*, actor: Actor) -> dict[str, int]:
    require((actor.is_system or actor.is_platform_admin, _("Only the platform loads reference data.")))
    data = _data()
    departments = {o.code: o for o in Organisation.objects.filter(kind__in=["department", "platform"])}
    with transaction.atomic():
        parameters = _parameters(data["parameters"], departments)
        schemes = 0
        for row in data["schemes"]:
            if Scheme.objects.filter(code=row["code"]).exists():
                continue
            district = District.objects.filter(key=row["district"]).first() if row.get("district") else None
            scheme = Scheme.objects.create(
                code=row["code"], kind=row["kind"], name=row["name"], department=departments[row["department"]],
                district=district, legal_basis=row["legal_basis"], summary=row.get("summary", ""),
                rule=validate_rule(row["rule"]), categories=row["categories"], parameters=row["parameters"],
                accepts_enterprises=row["accepts_enterprises"], accepts_makers=row["accepts_makers"],
                accepts_founders=row["accepts_founders"])
            audit_record(actor=actor, verb="vouchers.scheme_created", obj=scheme, department=scheme.department,
                         params={"code": scheme.code, "source": "data/schemes.json"})
            schemes += 1
    return {"parameters": parameters, "schemes": schemes}
