"""Policies endpoints under /api/v1: the library, benefits and their matches, eligibility, the assistant and the
calculators. Public endpoints need no token; eligibility and matches take a bearer token (or the session)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from ninja import Query, Router
from ninja.errors import AuthenticationError

from shuangchuang.core.actor import Actor
from shuangchuang.core.apiauth import api_actor as core_api_actor
from shuangchuang.core.errors import require
from shuangchuang.core.replica import reads_from_replica
from shuangchuang.policies.api.schemas import (
    AskIn,
    AskOut,
    BenefitOut,
    BenefitRef,
    EligibilityOut,
    MatchesOut,
    MatchesQuery,
    ParameterOut,
    PolicyDetail,
    PolicyPage,
    PolicyQuery,
    RdIn,
    RdOut,
    VcIn,
    VcOut,
)
from shuangchuang.policies.assistant import ask
from shuangchuang.policies.calculators import Investment, InvesteeStatus, rd_super_deduction, vc_tax_credit
from shuangchuang.policies.models import PartKind
from shuangchuang.policies.permissions import can_view_eligibility, can_view_matches
from shuangchuang.policies.rules import RuleContext, describe, fact_catalogue
from shuangchuang.policies.selectors.benefits import (
    amount_lines,
    benefit_detail,
    benefit_matches,
    eligibility_for,
    match_breakdown,
    matching_count,
    published_benefits,
)
from shuangchuang.policies.selectors.documents import document_detail, document_outline, document_search
from shuangchuang.policies.selectors.parameters import parameter_list
from shuangchuang.registry.selectors import enterprise_by_uscc, enterprise_for_organisation

router = Router(tags=["policies"])


def api_actor(request) -> Actor:
    """The bearer token's actor, else the session's (the assistant widget and pages call these endpoints)."""
    return core_api_actor(request, session=True)


def _page_size(value: int) -> int:
    return max(1, min(value, settings.API_PAGE_SIZE_MAX))


# --- helpers ------------------------------------------------------------------------------------------------------

def _units(part) -> list[dict]:
    return [{"code": u.organisation.code, "name": u.organisation.name, "written_as": u.written_as}
            for u in part.part_units.all()]


def _policy_item(doc) -> dict:
    return {"id": doc.pk, "title": doc.title, "number": doc.number, "issuer": doc.issuer,
            "published_on": doc.published_on, "status": doc.status, "is_summary": doc.is_summary,
            "topics": doc.topic_codes, "beneficiary_types": doc.beneficiary_codes, "url": f"/policies/{doc.pk}/"}


def _benefit_ref(benefit) -> dict:
    return {"id": benefit.pk, "code": benefit.code, "title": benefit.title, "kind": benefit.kind,
            "audience": benefit.audience}


def _result(result) -> dict:
    explanation = result.explanation
    miss = explanation.near_miss
    return {
        "benefit": _benefit_ref(result.benefit), "outcome": explanation.outcome,
        "cap": result.amount.text if result.amount is not None and result.amount.is_set else None,
        "conditions": [{"fact": c.fact, "requirement": c.requirement, "actual": c.actual, "outcome": c.outcome,
                        "cite": c.cite, "note": c.note} for c in explanation.conditions],
        "what_would_change_it": explanation.change_text if miss is not None else None,
    }


# --- endpoints ----------------------------------------------------------------------------------------------------

@router.get("/policies", response=PolicyPage, auth=None, summary="Search the policy library")
@reads_from_replica
def policies(request, params: Query[PolicyQuery]):
    """`q` is matched on jieba tokens (Chinese words; English policy terms are not translated here — use the
    assistant). Filters: issuer, topic, beneficiary, district (key), status (in_force | expired | withdrawn | all),
    window (open | closing_soon)."""
    filters = {k: getattr(params, k) for k in ("issuer", "topic", "beneficiary", "district", "status", "window")
               if getattr(params, k)}
    documents = document_search(params.q, filters)
    page_size, page = _page_size(params.page_size), max(1, params.page)
    items = documents[(page - 1) * page_size: page * page_size]
    return {"count": documents.count(), "page": page, "page_size": page_size,
            "items": [_policy_item(d) for d in items]}


@router.get("/policies/{policy_id}", response=PolicyDetail, auth=None,
            summary="One policy document with its measures and their responsible units")
def policy_detail(request, policy_id: int):
    doc = document_detail(policy_id)
    if doc is None:
        raise Http404
    measures, preamble, loose = [], [], []
    for node in document_outline(doc):
        part = node["part"]
        if part.kind == PartKind.MEASURE:
            measures.append(node)
        elif part.kind == PartKind.SECTION:
            measures.extend(child for child in node["children"] if child["part"].kind == PartKind.MEASURE)
        elif part.kind == PartKind.PREAMBLE:
            preamble.append(part.text)
        elif part.kind == PartKind.PARAGRAPH:
            loose.append({"id": part.pk, "text": part.text, "units": _units(part)})
    return {
        **_policy_item(doc), "index_number": doc.index_number, "signed_on": doc.signed_on,
        "effective_from": doc.effective_from, "expires_on": doc.expires_on, "department": doc.department.name,
        "version": doc.version, "source_url": doc.source_url, "source_note": doc.source_note, "summary": doc.summary,
        "preamble": preamble, "paragraphs": loose,
        "measures": [{"id": m["part"].pk, "number": m["part"].number, "seq": m["part"].seq, "title": m["part"].title,
                      "units": _units(m["part"]),
                      "paragraphs": [{"id": c["part"].pk, "text": c["part"].text, "units": _units(c["part"])}
                                     for c in m["children"]]} for m in measures],
        "benefits": [_benefit_ref(b) for b in doc.all_benefits if b.status == "published"],
    }


@router.get("/benefits", response=list[BenefitRef], auth=None, summary="Published benefits")
def benefits(request):
    return [_benefit_ref(b) for b in published_benefits().order_by("id")]


@router.get("/benefits/{benefit_id}", response=BenefitOut, auth=None, summary="One benefit, its amount and rule")
def benefit(request, benefit_id: int):
    item = benefit_detail(benefit_id)
    if item is None:
        raise Http404
    ctx = RuleContext(on=timezone.localdate())
    measure = item.part.parent.number if item.part and item.part.parent else (item.part.number if item.part else "")
    return {
        **_benefit_ref(item), "summary": item.summary, "document_id": item.document_id,
        "document_number": item.document.number, "measure": measure, "citation": item.citation,
        "status": item.status, "amount_text": item.amount_text,
        "amounts": [{"key": line.key, "label": line.label, "value": line.text if line.is_set else None,
                     "source": line.source} for line in amount_lines(item, ctx)],
        "rule": item.rule, "rule_text": describe(item.rule),
        "checked_at_application": [line for line in item.checked_at_application.splitlines() if line.strip()],
        "opens_on": item.opens_on, "apply_until": item.apply_until,
    }


@router.get("/benefits/{benefit_id}/matches", response=MatchesOut, auth=None,
            summary="How many and which enterprises match a benefit (officers of its department)")
def matches(request, benefit_id: int, params: Query[MatchesQuery]):
    """`count=1`: the count with its breakdown by district and industry section; otherwise a page of enterprises.
    Needs a token (or session) of an officer of the benefit's department."""
    item = benefit_detail(benefit_id, include_drafts=True)
    if item is None:
        raise Http404
    actor = api_actor(request)
    if actor.is_anonymous:
        raise AuthenticationError()
    require(can_view_matches(actor, item))
    on = timezone.localdate()
    if params.count:
        breakdown = match_breakdown(item, on=on)
        return {"benefit_id": item.pk, "on": on, "count": breakdown.count,
                "by_district": [{"label": k, "count": n} for k, n in breakdown.by_district],
                "by_industry_section": [{"label": k, "count": n} for k, n in breakdown.by_section]}
    found = benefit_matches(item, on=on)
    page_size, page = _page_size(params.page_size), max(1, params.page)
    rows = found[(page - 1) * page_size: page * page_size]
    return {"benefit_id": item.pk, "on": on, "count": matching_count(item.rule, on=on), "page": page,
            "page_size": page_size,
            "items": [{"uscc": e.uscc, "name": e.name, "district": e.district.name if e.district_id else None,
                       "industry_division": e.industry_id, "size_class": e.size_class or None} for e in rows]}


@router.get("/enterprises/{uscc}/eligibility", response=EligibilityOut, auth=None,
            summary="What an enterprise can get today (the enterprise itself and officers)")
def eligibility(request, uscc: str):
    actor = api_actor(request)
    if actor.is_anonymous:
        raise AuthenticationError()
    enterprise = enterprise_by_uscc(uscc)
    if enterprise is None:
        raise Http404
    require(can_view_eligibility(actor, enterprise))
    report = eligibility_for(enterprise)
    return {"uscc": enterprise.uscc, "name": enterprise.name, "on": report.on,
            "eligible": [_result(r) for r in report.eligible], "near_misses": [_result(r) for r in report.near_misses],
            "unknown": [_result(r) for r in report.unknown], "not_eligible": [_result(r) for r in report.not_eligible]}


@router.post("/assistant/ask", response=AskOut, auth=None, summary="Ask the policy assistant")
def assistant_ask(request, payload: AskIn):
    """Chinese or English free text. With a token acting for an enterprise, eligibility questions are answered
    from the rules engine. `kind` is faq, retrieval, eligibility or none; `measure` is the heading number as
    written in the document, e.g. （十八）."""
    actor = api_actor(request)
    enterprise = enterprise_for_organisation(actor.organisation) if actor.user is not None else None
    answer = ask(payload.question, enterprise=enterprise)
    return {**answer.as_dict(), "details": answer.details}


@router.post("/calculators/rd-super-deduction", response=RdOut, auth=None, summary="R&D super-deduction")
def calculator_rd(request, payload: RdIn):
    """Amounts in fen. `firm_type`: general, tech_sme, manufacturing, ic_machine_tool. Rates come from the
    dated parameters rd.* (POLICY-FACTS §9); `expensed_later_fen` is needed when the rate changes within the year."""
    result = rd_super_deduction(**payload.dict())
    data = result.as_dict()
    data["rates"] = [{"start": r["from"], "end": r["to"], "rate": r["rate"], "source": r["source"]}
                     for r in data["rates"]]
    return data


@router.post("/calculators/vc-tax-credit", response=VcOut, auth=None, summary="Venture-capital 70 % credit")
def calculator_vc(request, payload: VcIn):
    """Amounts in fen. Each investment with the investee's status at the investment and at 24 months; taxable
    income by year. Returns the year each credit becomes available, the credit used and carried forward by year."""
    investments = [Investment(investee=i.investee, invested_on=i.invested_on, amount_fen=i.amount_fen,
                              disposed_on=i.disposed_on, at_investment=InvesteeStatus(**i.at_investment.dict()),
                              at_24_months=InvesteeStatus(**i.at_24_months.dict())) for i in payload.investments]
    incomes = {row.year: row.taxable_income_fen for row in payload.taxable_income}
    return vc_tax_credit(investments=investments, taxable_income=incomes).as_dict()


@router.get("/parameters", response=list[ParameterOut], auth=None, summary="Effective-dated rates, caps and periods")
def parameters(request, prefix: str = ""):
    return [{"key": p.key, "label": p.label, "kind": p.kind, "unit": p.unit, "value": p.value,
             "is_set": p.value is not None, "valid_from": p.valid_from, "valid_to": p.valid_to, "source": p.source,
             "department": p.department.name} for p in parameter_list(prefix=prefix)]


@router.get("/rule-facts", response=list[dict], auth=None, summary="The facts eligibility rules can test")
def rule_facts(request):
    return fact_catalogue()
