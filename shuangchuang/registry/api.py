"""Registry endpoints: USCC check (anyone), enterprise search and public record (anyone)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from shuangchuang.core.replica import reads_from_replica

from shuangchuang.registry.presenters import public_enterprise
from shuangchuang.registry.selectors import enterprise_by_uscc, enterprise_search
from shuangchuang.registry.uscc import REASON_MESSAGES, parse_uscc

router = Router(tags=["registry"])


class UsccOut(Schema):
    code: str
    valid: bool
    reason: str | None
    message: str | None
    parts: dict[str, str | None]


class EnterpriseOut(Schema):
    uscc: str
    name: str
    legal_form: str
    legal_form_display: str
    status: str
    status_display: str
    district: str | None
    industry_section: str | None
    industry_division: str | None
    industry_name: str | None
    founded_on: datetime.date | None
    registration_authority: str | None
    legal_representative: str | None
    address: str
    size_class: str | None


class EnterprisePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[EnterpriseOut]


class SearchParams(Schema):
    q: str = ""
    page: int = 1
    page_size: int = 20


def _uscc_answer(code: str) -> dict:
    result = parse_uscc(code)
    return {
        "code": result.code,
        "valid": result.valid,
        "reason": result.reason,
        "message": _(REASON_MESSAGES[result.reason]) if result.reason else None,
        "parts": result.parts,
    }


@router.get("/uscc/", response=UsccOut, auth=None, summary="Check an empty USCC", include_in_schema=False)
def uscc_check_empty(request):
    return _uscc_answer("")


@router.get("/uscc/{code}", response=UsccOut, auth=None, summary="Check a unified social credit code")
def uscc_check(request, code: str):
    """Validates completely (characters, registering department and entity type, region code, GB 11714 check
    on positions 9-17, check character). Always 200: `valid` false with a machine `reason` for bad input."""
    return _uscc_answer(code)


@router.get("/enterprises", response=EnterprisePage, auth=None, summary="Search the enterprise register")
@reads_from_replica
def enterprises_search(request, params: Query[SearchParams]):
    """`q` is a USCC (exact) or part of a name. Public fields only."""
    page_size = max(1, min(params.page_size, settings.API_PAGE_SIZE_MAX))
    page = max(1, params.page)
    results = enterprise_search(params.q)
    count = results.count()
    offset = (page - 1) * page_size
    items = results[offset : offset + page_size] if offset < count else []  # a page far beyond the end: no query
    return {"count": count, "page": page, "page_size": page_size, "items": [public_enterprise(e) for e in items]}


@router.get("/enterprises/{uscc}", response=EnterpriseOut, auth=None, summary="The public record of one enterprise")
@reads_from_replica
def enterprise_detail(request, uscc: str):
    enterprise = enterprise_by_uscc(uscc)
    if enterprise is None:
        raise Http404
    return public_enterprise(enterprise)
