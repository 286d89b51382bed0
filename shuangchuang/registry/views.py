"""Public registry pages: search (live with htmx) and the public record of one enterprise."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from shuangchuang.core.idnumber import mask_id_number
from shuangchuang.core.replica import reads_from_replica
from shuangchuang.registry.permissions import can_view_enterprise_figures
from shuangchuang.registry.selectors import enterprise_by_uscc, enterprise_search


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
