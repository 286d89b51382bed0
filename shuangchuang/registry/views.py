"""Public registry pages: search (live with htmx) and the public record of one enterprise."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from shuangchuang.core.idnumber import mask_id_number
from shuangchuang.core.replica import reads_from_replica
from shuangchuang.registry.permissions import can_view_enterprise_figures
from shuangchuang.registry.models import EnterpriseStatus
from shuangchuang.registry.selectors import enterprise_by_uscc, enterprise_search, registry_statistics


@reads_from_replica
def search(request):
    q = request.GET.get("q", "").strip()[:100]
    page = Paginator(enterprise_search(q), 20).get_page(request.GET.get("page")) if q else None
    template = "registry/_results.html" if request.htmx else "registry/search.html"
    return render(request, template, {"q": q, "page": page})


@reads_from_replica
def detail(request, uscc: str):
    enterprise = enterprise_by_uscc(uscc)
    if enterprise is None:
        raise Http404
    show_figures, figures_reason = can_view_enterprise_figures(request.actor, enterprise)
    legal_rep = enterprise.legal_representative
    return render(request, "registry/detail.html", {
        "enterprise": enterprise,
        "show_figures": show_figures,
        "figures_reason": figures_reason,
        "legal_rep_id_masked": mask_id_number(legal_rep.id_number) if legal_rep else "",
    })


def _bars(rows: list[dict], label_key, value_key: str = "n") -> list[dict]:
    top = max((row[value_key] for row in rows), default=0) or 1
    return [
        {"label": label_key(row), "value": row[value_key], "percent": round(100 * row[value_key] / top, 1)}
        for row in rows
    ]


@reads_from_replica
def statistics(request):
    stats = registry_statistics()
    status_labels = dict(EnterpriseStatus.choices)
    return render(request, "registry/statistics.html", {
        "by_district": _bars(stats["by_district"], lambda r: r["district__name"] or "—"),
        "by_section": _bars(stats["by_section"],
                            lambda r: f'{r["industry__section_id"]} {r["industry__section__name"]}'
                            if r["industry__section_id"] else "—"),
        "by_status": _bars(stats["by_status"], lambda r: status_labels.get(r["status"], r["status"])),
    })
