"""Load the registry's reference data from registry/data/*.json (idempotent upserts).

Works with live models and with a migration's historical models (pass `apps`).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from shuangchuang.registry.size_class import SizeRule

DATA_DIR = Path(__file__).resolve().parent / "data"


def read(name: str, data_dir: Path = DATA_DIR) -> dict:
    return json.loads((data_dir / name).read_text(encoding="utf-8"))


def load_reference_data(apps=None) -> dict[str, int]:
    if apps is None:
        from django.apps import apps as live_apps

        apps = live_apps
    District = apps.get_model("registry", "District")
    IndustrySection = apps.get_model("registry", "IndustrySection")
    IndustryDivision = apps.get_model("registry", "IndustryDivision")
    SizeStandardRow = apps.get_model("registry", "SizeStandardRow")
    SizeClassOverride = apps.get_model("registry", "SizeClassOverride")

    districts = read("districts.json")
    for row in districts["districts"]:
        District.objects.update_or_create(
            key=row.get("key") or row["code"],
            defaults={"code": row["code"], "name": row["name"], "name_en": row["name_en"], "kind": row["kind"],
                      "demo_share": row["demo_share"]},
        )
    industries = read("industries.json")
    for row in industries["sections"]:
        IndustrySection.objects.update_or_create(code=row["code"], defaults={"name": row["name"]})
    for row in industries["divisions"]:
        IndustryDivision.objects.update_or_create(
            code=row["code"],
            defaults={"section_id": row["section"], "name": row["name"], "size_category": row["size_category"],
                      "name_terms": row["name_terms"]},
        )
    for row in industries["class_overrides"]:
        SizeClassOverride.objects.update_or_create(
            class_code=row["class_code"], defaults={"name": row["name"], "size_category": row["size_category"]}
        )
    standard = read("sme_size_standard.json")
    for row in standard["rows"]:
        SizeStandardRow.objects.update_or_create(
            category=row["category"],
            defaults={"name": row["name"], "metrics": row["metrics"], "sme_ceiling": row["sme_ceiling"],
                      "medium": row["medium"], "small": row["small"],
                      "boundary_below_is_strict": standard["boundary_below_is_strict"], "source": standard["source"]},
        )
    return {"districts": len(districts["districts"]), "divisions": len(industries["divisions"])}


@lru_cache(maxsize=1)
def size_rules() -> tuple[dict[str, SizeRule], dict[str, str], dict[str, str]]:
    """(rules by category, category by division code, category by class code) from the database.

    Cached per process; reference_cache_clear() after the table changes.
    """
    from shuangchuang.registry.models import IndustryDivision, SizeClassOverride, SizeStandardRow

    rules = {
        row.category: SizeRule(row.category, tuple(row.metrics), row.sme_ceiling, row.medium, row.small,
                               row.boundary_below_is_strict)
        for row in SizeStandardRow.objects.all()
    }
    by_division = dict(IndustryDivision.objects.values_list("code", "size_category"))
    by_class = dict(SizeClassOverride.objects.values_list("class_code", "size_category"))
    return rules, by_division, by_class


def reference_cache_clear() -> None:
    size_rules.cache_clear()
