"""Built-in credit lists and their restrictions, loaded from credit/data/lists.json (idempotent).

The data migration loads them once; afterwards they are data that the issuing departments edit, so a second
load only creates what is missing and never overwrites an officer's changes.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "lists.json"


def read_lists() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def load_lists(apps=None) -> int:
    if apps is None:
        from django.apps import apps as live_apps

        apps = live_apps
    Organisation = apps.get_model("core", "Organisation")
    CreditList = apps.get_model("credit", "CreditList")
    Restriction = apps.get_model("credit", "Restriction")
    data = read_lists()
    created = 0
    by_code = {}
    for row in data["lists"]:
        department = Organisation.objects.filter(code=row["department"]).first()
        if department is None:
            continue
        credit_list, was_created = CreditList.objects.get_or_create(
            code=row["code"],
            defaults={
                "name": row["name"], "name_en": row.get("name_en", ""), "kind": row["kind"],
                "department": department, "subjects": row.get("subjects", "enterprises"),
                "legal_basis": row["legal_basis"], "description": row.get("description", ""),
                "listing_rules": row.get("listing_rules", ""), "removal_rules": row.get("removal_rules", ""),
                "term_months": row.get("term_months"), "is_restrictive": row.get("is_restrictive", True),
                "repair_allowed": row.get("repair_allowed", False), "repair_min_months": row.get("repair_min_months"),
                "escalate_after_months": row.get("escalate_after_months"),
            },
        )
        by_code[row["code"]] = credit_list
        if not was_created:
            continue
        created += 1
        for restriction in row.get("restrictions", []):
            Restriction.objects.create(
                credit_list=credit_list, action=restriction["action"],
                subject=restriction.get("subject", "party"),
                valid_from=datetime.date.fromisoformat(restriction["valid_from"]),
                valid_to=datetime.date.fromisoformat(restriction["valid_to"]) if restriction.get("valid_to") else None,
                duration_months=restriction.get("duration_months"), legal_basis=restriction["legal_basis"],
            )
    for row in data["lists"]:
        target = row.get("escalate_to")
        if target and row["code"] in by_code and target in by_code and by_code[row["code"]].escalate_to_id is None:
            by_code[row["code"]].escalate_to = by_code[target]
            by_code[row["code"]].save(update_fields=["escalate_to"])
    return created
