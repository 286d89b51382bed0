"""The city's departments and the platform operator, loaded from core/data/departments.json (idempotent)."""

from __future__ import annotations

import json
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "departments.json"


def read_departments() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def load_departments(apps=None) -> int:
    if apps is None:
        from django.apps import apps as live_apps

        apps = live_apps
    Organisation = apps.get_model("core", "Organisation")
    data = read_departments()
    for row in data["departments"]:
        Organisation.objects.update_or_create(
            code=row["code"],
            defaults={"kind": "department", "name": row["name"], "short_name": row["short_name"],
                      "aliases": row["aliases"], "name_en": row["name_en"], "region_code": row["region_code"]},
        )
    Organisation.objects.update_or_create(
        code="PLATFORM",
        defaults={"kind": "platform", "name": "深圳市创新创业公共服务平台运营中心", "short_name": "平台运营中心",
                  "name_en": "Platform operations"},
    )
    return len(data["departments"])
