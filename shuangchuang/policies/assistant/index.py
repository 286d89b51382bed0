"""The assistant's in-memory index: passages of published documents and published benefits, built lazily from the
database once per process and rebuilt when a document, benefit or approved answer changes (checked per question
by a cheap signature query, so every app server sees changes made on another)."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django.db.models import Count, Max

from shuangchuang.policies.assistant.bm25 import BM25
from shuangchuang.policies.models import Benefit, DocumentStatus, Faq, FaqStatus, PartKind, PolicyDocument, PolicyPart
from shuangchuang.policies.search import tokens


@dataclass(frozen=True)
class Passage:
    part_id: int
    document_id: int
    document: str
    number: str
    measure: str
    measure_title: str
    text: str
    is_summary: bool


@dataclass
class Index:
    signature: tuple
    passages: list[Passage]
    bm25: BM25
    benefits: list[Benefit]
    benefit_bm25: BM25
    faqs: list[Faq]
    faq_tokens: list[set[str]]


_lock = threading.Lock()
_index: Index | None = None


def signature() -> tuple:
    documents = PolicyDocument.objects.aggregate(n=Count("id"), m=Max("updated_at"))
    benefits = Benefit.objects.aggregate(n=Count("id"), m=Max("updated_at"))
    faqs = Faq.objects.aggregate(n=Count("id"), m=Max("updated_at"))
    return (documents["n"], documents["m"], benefits["n"], benefits["m"], faqs["n"], faqs["m"])


def _build(sig: tuple) -> Index:
    parts = list(
        PolicyPart.objects.filter(document__status=DocumentStatus.PUBLISHED,
                                  kind__in=[PartKind.PARAGRAPH, PartKind.PREAMBLE])
        .exclude(text="").select_related("document", "parent").order_by("document_id", "order")
    )
    benefits = list(Benefit.objects.published().select_related("document", "part", "part__parent", "department")
                    .order_by("id"))
    keywords_by_part: dict[int, list[str]] = {}
    for benefit in benefits:
        if benefit.part_id:
            keywords_by_part.setdefault(benefit.part_id, []).extend(tokens(f"{benefit.title} {benefit.keywords}"))
    passages, bags = [], []
    for part in parts:
        measure = part.parent if part.parent is not None and part.parent.kind == PartKind.MEASURE else None
        bag = tokens(part.text)
        if measure is not None:
            bag += tokens(measure.title) * 2
        bag += keywords_by_part.get(part.pk, [])
        passages.append(Passage(part.pk, part.document_id, part.document.title, part.document.number,
                                measure.number if measure else "", measure.title if measure else "", part.text,
                                part.document.is_summary))
        bags.append(bag)
    benefit_bags = [tokens(f"{b.title} {b.keywords}") for b in benefits]
    faqs = list(Faq.objects.filter(status=FaqStatus.APPROVED).select_related("approved_by", "department")
                .prefetch_related("citations__document", "citations__parent").order_by("id"))
    return Index(sig, passages, BM25(bags), benefits, BM25(benefit_bags, b=0.3), faqs,
                 [set(tokens(f.question)) for f in faqs])


def get_index() -> Index:
    global _index
    sig = signature()
    current = _index
    if current is not None and current.signature == sig:
        return current
    with _lock:
        if _index is None or _index.signature != sig:
            _index = _build(sig)
        return _index


def invalidate() -> None:
    global _index
    with _lock:
        _index = None
