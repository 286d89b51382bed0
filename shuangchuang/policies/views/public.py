"""Public pages: the policy library with facets and Chinese search, documents, versions, benefits, eligibility."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from shuangchuang.core.replica import reads_from_replica
from shuangchuang.policies.models import DocumentStatus
from shuangchuang.policies.permissions import can_edit_document, can_view_eligibility, can_view_matches
from shuangchuang.policies.rules import RuleContext, describe
from shuangchuang.policies.search import query_tokens, token_q
from shuangchuang.policies.selectors.benefits import (
    amount_lines,
    benefit_detail,
    benefit_matches,
    eligibility_for,
    explain_benefit,
    match_breakdown,
    notices_for,
    published_benefits,
    pushes_of,
)
from shuangchuang.policies.selectors.documents import (
    FILTER_KEYS,
    document_detail,
    document_facets,
    document_outline,
    document_search,
    matching_parts,
    version_diff,
    versions_of,
)
from shuangchuang.policies.selectors.parameters import parameter_list
from shuangchuang.policies.views.common import acting_enterprise, bars, denied
from shuangchuang.registry.models import District
from shuangchuang.registry.selectors import enterprise_by_uscc


def _filters(request) -> dict:
    return {key: request.GET.get(key, "").strip()[:64] for key in FILTER_KEYS if request.GET.get(key, "").strip()}


@reads_from_replica
def index(request):
    q = request.GET.get("q", "").strip()[:100]
    filters = _filters(request)
    documents = document_search(q, filters)
    page = Paginator(documents, 20).get_page(request.GET.get("page"))
    snippets = matching_parts([d.pk for d in page.object_list], q)
    benefits = []
    words = query_tokens(q)
    if words:
        benefits = list(published_benefits().filter(token_q("search_text", words))[:5])
    context = {
        "q": q, "filters": filters, "page": page, "facets": document_facets(documents), "snippets": snippets,
        "benefits": benefits, "districts": District.objects.order_by("key"),
        "rows": [(d, snippets.get(d.pk, [])) for d in page.object_list],
        "query_string": request.GET.urlencode(),
    }
    template = "policies/_results.html" if request.htmx and not request.htmx.boosted else "policies/index.html"
    return render(request, template, context)


def document(request, pk: int):
    doc = document_detail(pk, include_drafts=True)
    if doc is None:
        raise Http404
    can_edit = can_edit_document(request.actor, doc)[0] and not request.actor.is_system
    if doc.status == DocumentStatus.DRAFT and not can_edit:
        raise Http404
    enterprise = acting_enterprise(request)
    mine = []
    if enterprise is not None:
        for benefit in doc.all_benefits:
            if benefit.status == "published" and benefit.audience != "person":
                mine.append(explain_benefit(benefit, enterprise))
    return render(request, "policies/document.html", {
        "doc": doc, "outline": document_outline(doc), "can_edit": can_edit, "enterprise": enterprise,
        "mine": mine, "benefits": [b for b in doc.all_benefits if b.status == "published" or can_edit],
    })


def versions(request, pk: int):
    doc = document_detail(pk, include_drafts=True)
    if doc is None or (doc.status == DocumentStatus.DRAFT and not can_edit_document(request.actor, doc)[0]):
        raise Http404
    return render(request, "policies/versions.html", {"doc": doc, "versions": versions_of(doc)})


def diff(request, pk: int, old: int, new: int):
    doc = document_detail(pk, include_drafts=True)
    if doc is None or (doc.status == DocumentStatus.DRAFT and not can_edit_document(request.actor, doc)[0]):
        raise Http404
    changes = version_diff(doc, old, new)
    if changes is None:
        raise Http404
    return render(request, "policies/diff.html", {"doc": doc, "changes": changes})


@reads_from_replica
def benefits(request):
    return render(request, "policies/benefits.html", {"benefits": published_benefits().order_by("document_id", "id")})


def benefit(request, pk: int):
    item = benefit_detail(pk, include_drafts=True)
    if item is None:
        raise Http404
    officer = can_view_matches(request.actor, item)[0] and not request.actor.is_system
    if item.status != "published" and not officer:
        raise Http404
    ctx = RuleContext(on=timezone.localdate())
    enterprise = acting_enterprise(request)
    context = {
        "benefit": item, "lines": amount_lines(item, ctx), "rule_text": describe(item.rule),
        "checked": [line for line in item.checked_at_application.splitlines() if line.strip()],
        "officer": officer, "enterprise": enterprise,
        "result": explain_benefit(item, enterprise) if enterprise is not None and item.audience != "person"
        else None,
    }
    if officer and item.audience != "person":
        breakdown = match_breakdown(item)
        context.update(breakdown=breakdown, district_chart=bars(breakdown.by_district),
                       section_chart=bars(breakdown.by_section), pushes=pushes_of(item)[:5])
    return render(request, "policies/benefit.html", context)


def matches(request, pk: int):
    item = benefit_detail(pk, include_drafts=True)
    if item is None:
        raise Http404
    allowed, reason = can_view_matches(request.actor, item)
    if not allowed:
        return denied(request, reason)
    page = Paginator(benefit_matches(item), 50).get_page(request.GET.get("page"))
    return render(request, "policies/matches.html", {"benefit": item, "page": page})


def eligibility(request, uscc: str | None = None):
    """What an enterprise can get today: the acting enterprise, or (for officers) the one named by its USCC."""
    actor = request.actor
    uscc = (uscc or request.GET.get("uscc", "")).strip().upper()
    enterprise = enterprise_by_uscc(uscc) if uscc else acting_enterprise(request)
    if uscc and enterprise is None:
        raise Http404
    if actor.is_anonymous:
        return redirect_to_login(request.get_full_path())
    if enterprise is None:
        if actor.department is not None:
            return render(request, "policies/eligibility_lookup.html", {})
        return denied(request, _no_enterprise_reason())
    allowed, reason = can_view_eligibility(actor, enterprise)
    if not allowed:
        return denied(request, reason)
    report = eligibility_for(enterprise)
    return render(request, "policies/eligibility.html", {
        "report": report, "enterprise": enterprise, "notices": notices_for(enterprise)[:10]})


def _no_enterprise_reason() -> str:
    from django.utils.translation import gettext as _

    return _("Act for an enterprise (switch in the header) to see what it can get.")


@reads_from_replica
def parameters(request):
    rows = list(parameter_list())
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(row.key, []).append(row)
    today = timezone.localdate()
    current = []
    for key, periods in groups.items():
        valid = [p for p in periods if p.valid_from <= today and (p.valid_to is None or p.valid_to >= today)]
        current.append({"key": key, "label": periods[-1].label, "periods": periods,
                        "current": valid[-1] if valid else None, "department": periods[-1].department})
    return render(request, "policies/parameters.html", {"groups": current, "today": today})
