"""Reads of the registry: search, look-ups and the size class of given figures."""

from __future__ import annotations

import re

from django.core.cache import cache
from django.db.models import Count, QuerySet

from shuangchuang.core.models import Organisation
from shuangchuang.registry.models import Enterprise
from shuangchuang.registry.reference import size_rules
from shuangchuang.registry.size_class import classify

USCC_LIKE = re.compile(r"^[0-9A-Z]{18}$")


def enterprise_search(q: str) -> QuerySet[Enterprise]:
    """Enterprises whose USCC equals q, or whose name contains q; operating firms first, then by name."""
    q = " ".join((q or "").split())
    enterprises = Enterprise.objects.with_reference()
    if not q:
        return enterprises.none()
    if USCC_LIKE.match(q.upper()):
        return enterprises.filter(uscc=q.upper()).order_by("id")  # ordered, so it can be paged
    return enterprises.filter(name__contains=q).order_by("status", "name", "id")


def enterprise_by_uscc(uscc: str) -> Enterprise | None:
    return (
        Enterprise.objects.with_reference()
        .select_related("legal_representative", "parent")
        .filter(uscc=(uscc or "").upper())
        .first()
    )


def enterprise_for_organisation(organisation: Organisation | None) -> Enterprise | None:
    if organisation is None or organisation.kind != "enterprise":
        return None
    return enterprise_by_uscc(organisation.code)


def size_class_for(
    *, division_code: str | None, class_code: str = "", employees: int | None, revenue_fen: int | None,
    assets_fen: int | None,
) -> str:
    """The size class for these figures, or "" when the industry or a needed figure is unknown."""
    if not division_code:
        return ""
    rules, by_division, by_class = size_rules()
    category = by_class.get(class_code) or by_division.get(division_code)
    rule = rules.get(category or "")
    if rule is None:
        return ""
    return classify(rule, employees=employees, revenue_fen=revenue_fen, assets_fen=assets_fen)


STATISTICS_CACHE_SECONDS = 600


def registry_statistics() -> dict:
    """Operating enterprises by district and by industry section, and all enterprises by status.

    Three GROUP BY queries over the register, cached for ten minutes (the figures move slowly)."""
    cached = cache.get("registry:statistics")
    if cached is not None:
        return cached
    operating = Enterprise.objects.operating()
    stats = {
        "by_district": list(
            operating.values("district__name").annotate(n=Count("id")).order_by("-n", "district__name")
        ),
        "by_section": list(
            operating.values("industry__section_id", "industry__section__name")
            .annotate(n=Count("id")).order_by("-n", "industry__section_id")
        ),
        "by_status": list(Enterprise.objects.values("status").annotate(n=Count("id")).order_by("-n", "status")),
    }
    cache.set("registry:statistics", stats, STATISTICS_CACHE_SECONDS)
    return stats
