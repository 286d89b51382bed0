"""Credit endpoints under /api/v1/credit.

Public (no token): the public lists and their entries, an enterprise's public credit record, screening a name or
a code (rate-limited per client), a public screening's evidence. With a token (Authorization: Bearer …) of a
department officer: screening by personal ID number and from every list, adjudicating review hits, importing
lists, bulk screening and re-screening, and following those jobs.
"""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.conf import settings
from django.http import Http404
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from shuangchuang.core.apiauth import api_actor
from shuangchuang.core.errors import require
from shuangchuang.core.replica import reads_from_replica
from shuangchuang.credit import presenters, selectors
from shuangchuang.credit.models import Action
from shuangchuang.credit.permissions import can_see_who_screened, can_view_evidence, can_view_job
from shuangchuang.credit.ratelimit import check_screening_rate, client_address
from shuangchuang.credit.services import (
    Party,
    adjudication_record,
    bulk_screen_start,
    list_import,
    rescreen_start,
    screening_run,
)
from shuangchuang.registry.selectors import enterprise_by_uscc

router = Router(tags=["credit"])




# ---- schemas ---------------------------------------------------------------------------------------------

class RestrictionOut(Schema):
    action: str
    action_display: str
    subject: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    duration_months: int | None
    legal_basis: str


class ListOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    kind: str
    department: str
    department_code: str
    subjects: str
    description: str
    legal_basis: str
    listing_rules: str
    removal_rules: str
    term_months: int | None
    repair_allowed: bool
    repair_min_months: int | None
    version: int
    active_entries: int | None
    restrictions: list[RestrictionOut]


class EntryOut(Schema):
    id: int
    list: str
    list_name: str
    subject_type: str
    name: str
    uscc: str
    org_code: str
    old_registration_number: str
    id_number: str
    sex: str
    age: int | None
    legal_representative: str
    reason: str
    authority: str
    document_number: str
    case_number: str
    obligation: str
    performance: str
    filed_on: datetime.date | None
    listed_on: datetime.date
    expires_on: datetime.date | None
    status: str
    status_display: str
    removed_on: datetime.date | None
    removal_reason: str
    version: int


class EntryPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[EntryOut]


class EntryParams(Schema):
    q: str = ""
    page: int = 1
    page_size: int = 20


class AnnualReportOut(Schema):
    year: int
    version: int
    is_current: bool
    filed_at: datetime.datetime
    late: bool
    address: str
    postcode: str
    phone: str
    email: str
    operating_status: str
    operating_status_display: str
    investments: list[dict[str, Any]]
    shareholders: list[dict[str, Any]]
    equity_transfers: list[dict[str, Any]]
    websites: list[dict[str, Any]]
    figures_published: bool
    figures: dict[str, int | None] | None


class CreditRecordOut(Schema):
    uscc: str
    name: str
    status: str
    status_display: str
    registration_authority: str | None
    legal_representative: str | None
    listed: bool
    listings: list[EntryOut]
    history: list[EntryOut]
    records: list[EntryOut]
    annual_reports: list[AnnualReportOut]


ActionName = Literal[tuple(Action.values)]  # type: ignore[valid-type]


class ScreenIn(Schema):
    name: str = ""
    uscc: str = ""
    old_registration_number: str = ""
    id_number: str = ""
    action: ActionName
    on: datetime.date | None = None


class HitRestrictionOut(Schema):
    action: str
    legal_basis: str
    valid_from: str
    valid_to: str | None
    until: str | None


class AdjudicationOut(Schema):
    decision: str
    by: str
    at: str
    note: str


class HitOut(Schema):
    list: str
    list_name: str
    list_version: int
    entry: str
    entry_version: int
    name: str
    uscc: str
    subject_type: str
    id_number: str
    listed_on: str
    listing_reason: str
    authority: str
    score: float
    status: str
    kind: str
    reasons: list[str]
    reason_codes: list[str]
    restricts: bool
    restrictions: list[HitRestrictionOut]
    adjudication: AdjudicationOut | None


class NoteOut(Schema):
    code: str
    text: str


class ScreenOut(Schema):
    blocked: bool
    decision: str
    action: str
    on: str
    scope: str
    hits: list[HitOut]
    notes: list[NoteOut]
    evidence_id: str
    list_versions: dict[str, int]


class EvidenceOut(ScreenOut):
    created_at: datetime.datetime
    actor: str
    channel: str
    query: dict[str, str]


class AdjudicationIn(Schema):
    entry: str
    decision: Literal["same", "not_same"]
    note: str = ""


class AdjudicationCreated(Schema):
    id: int
    entry: str
    entry_version: int
    decision: str


class ImportErrorOut(Schema):
    row: int
    column: str
    code: str
    message: str


class ImportOut(Schema):
    id: int
    status: str
    file_name: str
    total_rows: int
    valid_rows: int
    created: int
    updated: int
    unchanged: int
    skipped: int
    errors: list[ImportErrorOut]


class JobOut(Schema):
    id: int
    kind: str
    status: str
    list: str | None
    total: int
    processed: int
    percent: int
    hits: int
    summary: dict[str, Any]
    error: str
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None


class BulkRowOut(Schema):
    row: int
    query: dict[str, str]
    decision: str
    blocked: bool
    hit_count: int
    error: str
    evidence_id: str | None
    best_list: str | None
    best_name: str | None
    best_score: float | None


class BulkRowPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[BulkRowOut]


# ---- public reads ----------------------------------------------------------------------------------------

def _list_or_404(list_id: str):
    credit_list = selectors.list_by_id(list_id) if list_id.isdigit() else selectors.list_by_code(list_id)
    if credit_list is None:
        raise Http404
    return credit_list


def _page(params) -> tuple[int, int]:
    page_size = max(1, min(params.page_size, settings.API_PAGE_SIZE_MAX))
    return max(1, params.page), page_size


@router.get("/lists", response=list[ListOut], auth=None, summary="The public credit lists")
@reads_from_replica
def lists(request):
    """Every public list with its issuing department, legal basis, listing and removal rules, the restrictions it
    carries (which actions, from when to when) and its current version."""
    return [presenters.public_list(c) for c in selectors.lists_public_with_counts()]


@router.get("/lists/{list_id}/entries", response=EntryPage, auth=None, summary="Entries of a public list")
@reads_from_replica
def list_entries(request, list_id: str, params: Query[EntryParams]):
    """`list_id` is the list's id or code. `q` is a USCC (exact) or part of a name. Listed entries only;
    personal ID numbers masked."""
    credit_list = _list_or_404(list_id)
    if not credit_list.is_public or not credit_list.is_active:
        raise Http404
    page, page_size = _page(params)
    entries = selectors.entries_of_list(credit_list, q=params.q)
    count = entries.count()
    items = entries[(page - 1) * page_size: page * page_size]
    return {"count": count, "page": page, "page_size": page_size,
            "items": [presenters.public_entry(e) for e in items]}


@router.get("/enterprises/{uscc}", response=CreditRecordOut, auth=None, summary="The public credit record")
@reads_from_replica
def enterprise_record(request, uscc: str):
    """Current and past listings, licences and penalties, and annual reports (every version; the figures only
    when the enterprise published them)."""
    enterprise = enterprise_by_uscc(uscc)
    if enterprise is None:
        raise Http404
    return presenters.credit_record(enterprise, selectors.entries_for_enterprise(enterprise),
                                    selectors.annual_reports_for(enterprise))


# ---- screening -------------------------------------------------------------------------------------------

@router.post("/screen", response=ScreenOut, auth=None, summary="Screen a party for an action")
def screen(request, payload: ScreenIn):
    """Is this party on a list that restricts this action? Open to anyone for a name, USCC or old registration
    number (public lists; rate-limited per client, 429 `rate_limited`); with an officer's token also by personal ID
    number and from every list. Each answer is stored as evidence (`evidence_id`)."""
    actor = api_actor(request)
    client = client_address(request)
    check_screening_rate(actor, client)
    result = screening_run(
        actor=actor, action=payload.action, on=payload.on, channel="api", client=client,
        party=Party(name=payload.name, uscc=payload.uscc, old_registration_number=payload.old_registration_number,
                    id_number=payload.id_number),
    )
    return result.as_dict()


@router.get("/evidence/{evidence_id}", response=EvidenceOut, auth=None, summary="The evidence of a screening")
def evidence(request, evidence_id: str):
    record = selectors.evidence_by_id(evidence_id)
    if record is None:
        raise Http404
    actor = api_actor(request)
    require(can_view_evidence(actor, record))
    return {**record.result, "evidence_id": str(record.pk), "created_at": record.created_at,
            "actor": record.actor_label if can_see_who_screened(actor, record)[0] else "",
            "channel": record.channel, "query": record.query}


@router.post("/evidence/{evidence_id}/adjudications", response={201: AdjudicationCreated},
             summary="Decide whether a review hit is the same party", auth=None)
def adjudicate(request, evidence_id: str, payload: AdjudicationIn):
    """Officers: `same` or `not_same` for one hit of this screening. The decision is applied to later screenings
    of the same party until the entry changes."""
    actor = api_actor(request)
    record = selectors.evidence_by_id(evidence_id)
    entry = selectors.entry_by_id(payload.entry)
    if record is None or entry is None:
        raise Http404
    adjudication = adjudication_record(actor=actor, evidence=record, entry=entry, decision=payload.decision,
                                       note=payload.note)
    return Status(201, {"id": adjudication.pk, "entry": str(entry.pk), "entry_version": adjudication.entry_version,
                 "decision": adjudication.decision})


# ---- officers: imports and jobs --------------------------------------------------------------------------

def _import_out(batch) -> dict[str, Any]:
    return {"id": batch.pk, "status": batch.status, "file_name": batch.file_name, "total_rows": batch.total_rows,
            "valid_rows": batch.valid_rows, "created": batch.created, "updated": batch.updated,
            "unchanged": batch.unchanged, "skipped": batch.skipped, "errors": batch.errors}


@router.post("/lists/{list_id}/imports", response={200: ImportOut, 400: ImportOut}, auth=None,
             summary="Import entries into a list (CSV or JSON)")
def import_entries(request, list_id: str, file: File[UploadedFile], skip_bad_rows: Form[bool] = False,
                   dry_run: Form[bool] = False):
    """Officers of the list's department. The format is documented at /credit/import-format/. A file with errors
    imports nothing (400 with the errors per row) unless `skip_bad_rows`; `dry_run` only checks. Importing the
    same file again changes nothing."""
    actor = api_actor(request)
    credit_list = _list_or_404(list_id)
    batch = list_import(actor=actor, credit_list=credit_list, upload=file, skip_bad_rows=skip_bad_rows,
                        dry_run=dry_run)
    return Status(400 if batch.status == "rejected" else 200, _import_out(batch))


def _job_out(job) -> dict[str, Any]:
    return {"id": job.pk, "kind": job.kind, "status": job.status,
            "list": job.credit_list.code if job.credit_list_id else None, "total": job.total,
            "processed": job.processed, "percent": job.percent, "hits": job.hits, "summary": job.summary,
            "error": job.error, "created_at": job.created_at, "started_at": job.started_at,
            "finished_at": job.finished_at}


@router.post("/lists/{list_id}/rescreen", response={202: JobOut}, auth=None,
             summary="Re-screen every registered enterprise against a list")
def rescreen(request, list_id: str):
    job = rescreen_start(actor=api_actor(request), credit_list=_list_or_404(list_id))
    job.refresh_from_db()
    return Status(202, _job_out(job))


@router.post("/screen/bulk", response={202: JobOut}, auth=None, summary="Screen every party of a CSV file")
def screen_bulk(request, file: File[UploadedFile], action: Form[ActionName], on: Form[datetime.date | None] = None):
    """Officers. CSV columns: name, uscc, old_registration_number, id_number, reference. Screened in the
    background; follow the job and read its rows."""
    job = bulk_screen_start(actor=api_actor(request), upload=file, action=action, on=on)
    job.refresh_from_db()
    return Status(202, _job_out(job))


def _job_or_404(request, job_id: int):
    job = selectors.job_by_id(job_id)
    if job is None:
        raise Http404
    require(can_view_job(api_actor(request), job))
    return job


@router.get("/jobs/{job_id}", response=JobOut, auth=None, summary="Progress of a background job")
def job_detail(request, job_id: int):
    return _job_out(_job_or_404(request, job_id))


@router.get("/jobs/{job_id}/rows", response=BulkRowPage, auth=None, summary="Results of a bulk screening")
def job_rows(request, job_id: int, params: Query[EntryParams]):
    job = _job_or_404(request, job_id)
    page, page_size = _page(params)
    rows = selectors.bulk_rows(job)
    count = rows.count()
    items = []
    for row in rows[(page - 1) * page_size: page * page_size]:
        best = row.best or {}
        items.append({"row": row.row, "query": row.query, "decision": row.decision, "blocked": row.blocked,
                      "hit_count": row.hit_count, "error": row.error,
                      "evidence_id": str(row.evidence_id) if row.evidence_id else None,
                      "best_list": best.get("list"), "best_name": best.get("name"), "best_score": best.get("score")})
    return {"count": count, "page": page, "page_size": page_size, "items": items}
