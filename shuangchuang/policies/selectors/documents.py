"""Reads of policy documents: faceted search (jieba tokens), the document page, versions and their differences."""

from __future__ import annotations

import datetime
import difflib
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from shuangchuang.policies.models import (
    BENEFICIARY_TYPES,
    TOPICS,
    Benefit,
    BenefitStatus,
    DocumentStatus,
    PartKind,
    PartUnit,
    PolicyDocument,
    PolicyPart,
    PolicyVersion,
)
from shuangchuang.policies.models.documents import split_codes
from shuangchuang.policies.search import highlight, query_tokens, token_q
from shuangchuang.policies.selectors.parameters import parameter_value

FILTER_KEYS = ("issuer", "topic", "beneficiary", "district", "status", "window")
STATUS_FILTERS = ("in_force", "expired", "withdrawn", "all")
WINDOW_FILTERS = ("open", "closing_soon")


def closing_soon_days(on: datetime.date) -> int:
    value = parameter_value("policies.closing_soon_days", on=on)
    return int(value) if value is not None else 0


def _status_q(status: str, today: datetime.date) -> Q:
    not_expired = Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    if status == "expired":
        return Q(status=DocumentStatus.PUBLISHED, expires_on__lt=today)
    if status == "withdrawn":
        return Q(status=DocumentStatus.WITHDRAWN)
    if status == "all":
        return Q(status__in=[DocumentStatus.PUBLISHED, DocumentStatus.WITHDRAWN])
    return Q(status=DocumentStatus.PUBLISHED) & not_expired


def _window_q(window: str, today: datetime.date) -> Q:
    open_now = Q(status=BenefitStatus.PUBLISHED) & (Q(opens_on__isnull=True) | Q(opens_on__lte=today)) & (
        Q(apply_until__isnull=True) | Q(apply_until__gte=today))
    if window == "closing_soon":
        until = today + datetime.timedelta(days=closing_soon_days(today))
        open_now &= Q(apply_until__isnull=False, apply_until__lte=until)
    benefits = Benefit.objects.filter(open_now, document=OuterRef("pk"))
    return Q(Exists(benefits))


def document_search(q: str = "", filters: dict | None = None, *, today: datetime.date | None = None
                    ) -> QuerySet[PolicyDocument]:
    """Documents matching every jieba token of q and every filter; public statuses only."""
    filters = filters or {}
    today = today or timezone.localdate()
    documents = PolicyDocument.objects.select_related("department").filter(
        _status_q(filters.get("status") or "in_force", today))
    words = query_tokens(q)
    if words:
        documents = documents.filter(token_q("search_text", words))
    if filters.get("issuer"):
        documents = documents.filter(issuer=filters["issuer"])
    if filters.get("topic"):
        documents = documents.filter(topics__contains=f"|{filters['topic']}|")
    if filters.get("beneficiary"):
        documents = documents.filter(beneficiary_types__contains=f"|{filters['beneficiary']}|")
    if filters.get("district"):
        documents = documents.filter(Q(districts__key=filters["district"]) | Q(districts__isnull=True)).distinct()
    if filters.get("window") in WINDOW_FILTERS:
        documents = documents.filter(_window_q(filters["window"], today))
    return documents.order_by("is_summary", F("published_on").desc(nulls_last=True), "-id")


@dataclass
class Facet:
    key: str
    options: list[tuple[str, str, int]] = field(default_factory=list)  # (value, label, count)


def document_facets(documents: QuerySet[PolicyDocument]) -> list[Facet]:
    """Counts per issuer, topic and beneficiary type within the current results (one query)."""
    rows = list(documents.order_by().values_list("issuer", "topics", "beneficiary_types"))
    issuers = Counter(r[0] for r in rows)
    topics = Counter(code for r in rows for code in split_codes(r[1]))
    beneficiaries = Counter(code for r in rows for code in split_codes(r[2]))
    return [
        Facet("issuer", [(name, name, n) for name, n in issuers.most_common()]),
        Facet("topic", [(code, str(label), topics[code]) for code, label in TOPICS.items() if topics[code]]),
        Facet("beneficiary", [(code, str(label), beneficiaries[code]) for code, label in BENEFICIARY_TYPES.items()
                              if beneficiaries[code]]),
    ]


def matching_parts(document_ids: list[int], q: str, *, per_document: int = 2) -> dict[int, list[dict]]:
    """For each document, its first parts that contain every query word, with the words highlighted."""
    words = query_tokens(q)
    if not words or not document_ids:
        return {}
    parts = (PolicyPart.objects.filter(document_id__in=document_ids, kind__in=[PartKind.PARAGRAPH,
                                                                                  PartKind.PREAMBLE])
             .filter(token_q("search_text", words)).select_related("parent").order_by("document_id", "order"))
    found: dict[int, list[dict]] = {}
    for part in parts:
        bucket = found.setdefault(part.document_id, [])
        if len(bucket) < per_document:
            measure = part.parent if part.parent is not None and part.parent.kind == PartKind.MEASURE else None
            bucket.append({"part": part, "measure": measure, "segments": highlight(snippet(part.text, words), words)})
    return found


def snippet(text: str, words: list[str], width: int = 120) -> str:
    lowered = text.lower()
    positions = [lowered.find(w) for w in words if lowered.find(w) >= 0]
    if not positions or len(text) <= width:
        return text[:width] + ("…" if len(text) > width else "")
    start = max(0, min(positions) - width // 3)
    return ("…" if start else "") + text[start:start + width] + ("…" if start + width < len(text) else "")


def document_detail(pk: int, *, include_drafts: bool = False) -> PolicyDocument | None:
    """One document with its parts, their units and its published benefits."""
    documents = PolicyDocument.objects.select_related("department").prefetch_related(
        Prefetch("parts", queryset=PolicyPart.objects.order_by("order").prefetch_related(
            Prefetch("part_units", queryset=PartUnit.objects.select_related("organisation").order_by("order")))),
        Prefetch("benefits", queryset=Benefit.objects.select_related("part", "part__parent").order_by("id"),
                 to_attr="all_benefits"),
        "districts",
    )
    if not include_drafts:
        documents = documents.exclude(status=DocumentStatus.DRAFT)
    return documents.filter(pk=pk).first()


def document_outline(document: PolicyDocument) -> list[dict]:
    """The parts as a tree: [{"part", "children": [...]}] in document order (from the prefetched parts)."""
    nodes = {part.pk: {"part": part, "children": []} for part in document.parts.all()}
    roots = []
    for part in document.parts.all():
        node = nodes[part.pk]
        if part.parent_id and part.parent_id in nodes:
            nodes[part.parent_id]["children"].append(node)
        else:
            roots.append(node)
    return roots


def measures_of(document: PolicyDocument) -> list[PolicyPart]:
    return [p for p in document.parts.all() if p.kind == PartKind.MEASURE]


def versions_of(document: PolicyDocument) -> QuerySet[PolicyVersion]:
    return document.versions.select_related("created_by").order_by("-number")


def version_diff(document: PolicyDocument, old: int, new: int) -> dict | None:
    """The differences between two versions: changed metadata and a line diff of the text (None when either
    number names no version, numbers beyond what the database can store included)."""
    if not all(0 < n <= 2_147_483_647 for n in (old, new)):
        return None
    rows = {v.number: v for v in document.versions.filter(number__in=[old, new])}
    if old not in rows or new not in rows:
        return None
    a, b = rows[old].snapshot, rows[new].snapshot
    fields = []
    for name in ("title", "number", "issuer", "signed_on", "published_on", "effective_from", "expires_on",
                 "source_url", "summary", "topics", "beneficiary_types", "districts"):
        if a.get(name) != b.get(name):
            fields.append({"name": name, "old": a.get(name), "new": b.get(name)})
    lines = []
    for line in difflib.ndiff(a.get("body", "").splitlines(), b.get("body", "").splitlines()):
        tag, text = line[:1], line[2:]
        if tag == "?":
            continue
        lines.append({"tag": {"+": "added", "-": "removed"}.get(tag, "same"), "text": text})
    changed = [line for line in lines if line["tag"] != "same"]
    return {"old": rows[old], "new": rows[new], "fields": fields, "lines": lines, "changed": len(changed)}


def documents_published_since(q: str, filters: dict, *, since, until) -> QuerySet[PolicyDocument]:
    return document_search(q, filters).filter(published_at__gt=since, published_at__lte=until)


def benefits_published_since(q: str, *, since, until) -> QuerySet[Benefit]:
    benefits = Benefit.objects.published().filter(published_at__gt=since, published_at__lte=until)
    words = query_tokens(q)
    if words:
        benefits = benefits.filter(token_q("search_text", words))
    return benefits.select_related("document").order_by("-published_at")


def issuers() -> list[str]:
    return list(PolicyDocument.objects.published().order_by("issuer").values_list("issuer", flat=True).distinct())


def department_documents(department) -> QuerySet[PolicyDocument]:
    return PolicyDocument.objects.filter(department=department).order_by("-updated_at")
