"""Public voucher pages: the schemes with their current terms and the catalogue of registered providers."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from shuangchuang.core.replica import reads_from_replica
from shuangchuang.vouchers import selectors
from shuangchuang.vouchers.models import ServiceCategory
from shuangchuang.vouchers.services.common import today

CATEGORY_LABELS = dict(ServiceCategory.choices)


@reads_from_replica
def index(request):
    on = today()
    schemes = [(s, selectors.scheme_terms(s, on)) for s in selectors.schemes_public()]
    return render(request, "vouchers/index.html", {"schemes": schemes, "on": on})


@reads_from_replica
def scheme_detail(request, code: str):
    scheme = selectors.scheme_by_code(code)
    if scheme is None:
        raise Http404
    on = today()
    return render(request, "vouchers/scheme.html", {
        "scheme": scheme, "terms": selectors.scheme_terms(scheme, on), "on": on,
        "categories": [(c, CATEGORY_LABELS.get(c, c)) for c in scheme.categories],
    })


@reads_from_replica
def providers(request):
    category = request.GET.get("category", "")
    if category not in CATEGORY_LABELS:
        category = ""
    rows = selectors.catalogue(category=category, year=today().year)[:300]
    return render(request, "vouchers/providers.html", {"rows": rows, "category": category,
                                                       "categories": ServiceCategory.choices})
