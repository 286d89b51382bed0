"""Load the registration rules (data/rules.json) and the standard business-scope terms (data/scope_terms.json).

Idempotent upserts; works with live models and with a migration's historical models (pass `apps`)."""

from __future__ import annotations

import datetime
import json
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def read(name: str) -> dict:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def authority_codes() -> tuple[str, ...]:
    """Codes of the departments that are registration authorities (data/rules.json)."""
    return tuple(row["code"] for row in read("rules.json")["authorities"])


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def load_rules(apps=None) -> dict[str, int]:
    if apps is None:
        from django.apps import apps as live_apps

        apps = live_apps
    RuleParameter = apps.get_model("registration", "RuleParameter")
    ScopeTerm = apps.get_model("registration", "ScopeTerm")
    rules = read("rules.json")
    for row in rules["parameters"]:
        RuleParameter.objects.update_or_create(
            key=row["key"], valid_from=_date(row["valid_from"]),
            defaults={"label": row["label"], "value": row["value"], "valid_to": _date(row.get("valid_to")),
                      "source": row.get("source", "")},
        )
    # Versions the authority added later (rule_set) stay in force after a reload: each version open or running
    # past the start of the next one ends the day before it.
    for key in {row["key"] for row in rules["parameters"]}:
        versions = list(RuleParameter.objects.filter(key=key).order_by("valid_from"))
        for version, following in zip(versions, versions[1:]):
            if version.valid_to is None or version.valid_to >= following.valid_from:
                version.valid_to = following.valid_from - datetime.timedelta(days=1)
                version.save(update_fields=["valid_to"])
    terms = read("scope_terms.json")["terms"]
    for row in terms:
        ScopeTerm.objects.update_or_create(
            code=row["code"], defaults={"text": row["text"], "division": row.get("division", ""),
                                        "prior_approval": row.get("prior_approval", False)},
        )
    return {"parameters": len(rules["parameters"]), "scope_terms": len(terms)}
